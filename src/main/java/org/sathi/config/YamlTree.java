package org.sathi.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers the line of every key and value, so that every load
 * error can name {@code file:line}. Jackson's tree model forgets locations; its parser does not.
 */
public sealed interface YamlTree {
  int line();

  record Scalar(String value, int line) implements YamlTree {}

  record Entry(String key, int line, YamlTree value) {}

  record Mapping(Map<String, Entry> entries, int line) implements YamlTree {
    public YamlTree get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : e.value();
    }
  }

  record Sequence(List<YamlTree> items, int line) implements YamlTree {}

  /** A syntax error, with the line it was found on. */
  final class SyntaxError extends Exception {
    public final int line;

    SyntaxError(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  YAMLFactory FACTORY = new YAMLFactory();

  static YamlTree parse(String text) throws SyntaxError {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) return new Mapping(Map.of(), 1);
      return read(p);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
      throw new SyntaxError(line, e.getOriginalMessage().lines().findFirst().orElse("not valid YAML"));
    } catch (IOException e) {
      throw new SyntaxError(1, "cannot read: " + e.getMessage());
    }
  }

  private static YamlTree read(JsonParser p) throws IOException, SyntaxError {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          if (entries.containsKey(key)) throw new SyntaxError(keyLine, "duplicate key '" + key + "'");
          p.nextToken();
          entries.put(key, new Entry(key, keyLine, read(p)));
        }
        return new Mapping(entries, line);
      }
      case START_ARRAY -> {
        List<YamlTree> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) items.add(read(p));
        return new Sequence(items, line);
      }
      case VALUE_NULL -> {
        return new Scalar(null, line);
      }
      default -> {
        return new Scalar(p.getText(), line);
      }
    }
  }
}
