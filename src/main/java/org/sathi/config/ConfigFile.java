package org.sathi.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;


import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;

/**
 * One configuration file being read: small readers that record a {@link Problem} with the line
 * instead of throwing, so that a loader can report every mistake in the file at once.
 */
public final class ConfigFile {

  public final String name;
  public final List<Problem> problems = new ArrayList<>();

  public ConfigFile(Path file) {
    this.name = file.toString();
  }

  public void problem(int line, String message) {
    problems.add(new Problem(name, line, message));
  }

  /** The top-level mapping, or null (with a problem) when the file cannot be read or parsed. */
  public Mapping read(Path file) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      problem(1, "not valid UTF-8; save the file as UTF-8");
      return null;
    } catch (IOException e) {
      problem(1, "cannot read the file (" + e.getClass().getSimpleName() + ")");
      return null;
    }
    try {
      YamlTree tree = YamlTree.parse(text);
      if (tree instanceof Mapping m) return m;
      problem(tree.line(), "expected a mapping at the top of the file");
    } catch (YamlTree.SyntaxError e) {
      problem(e.line, e.getMessage());
    }
    return null;
  }

  public void allowOnly(Mapping m, Set<String> allowed) {
    for (Entry e : m.entries().values()) {
      if (!allowed.contains(e.key())) {
        problem(e.line(), "unknown field '" + e.key() + "'; allowed here: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  public int lineOf(Mapping m, String field) {
    Entry e = m.entries().get(field);
    return e == null ? m.line() : e.line();
  }

  public String string(Mapping m, String field, boolean required) {
    YamlTree t = m.get(field);
    if (t == null) {
      if (required) problem(m.line(), "missing '" + field + "'");
      return null;
    }
    if (t instanceof Scalar s && s.value() != null && !s.value().isBlank()) return s.value();
    problem(lineOf(m, field), "'" + field + "' must be a non-empty text");
    return null;
  }

  /** true or false; the fallback when absent (or wrong, with a problem). */
  public boolean bool(Mapping m, String field, boolean fallback) {
    YamlTree t = m.get(field);
    if (t == null) return fallback;
    if (t instanceof Scalar s && ("true".equals(s.value()) || "false".equals(s.value()))) return Boolean.parseBoolean(s.value());
    problem(lineOf(m, field), "'" + field + "' must be true or false");
    return fallback;
  }

  /** A whole number within bounds, or null (with a problem when present but wrong, or missing and required). */
  public Integer integer(Mapping m, String field, boolean required, int min, int max) {
    YamlTree t = m.get(field);
    if (t == null) {
      if (required) problem(m.line(), "missing '" + field + "'");
      return null;
    }
    if (t instanceof Scalar s && s.value() != null && s.value().matches("-?\\d{1,9}")) {
      int v = Integer.parseInt(s.value());
      if (v >= min && v <= max) return v;
    }
    problem(lineOf(m, field), "'" + field + "' must be a whole number from " + min + " to " + max);
    return null;
  }

  /** The texts of a list; wrong items are problems. Null when the field is absent. */
  public List<Scalar> texts(Mapping m, String field) {
    YamlTree t = m.get(field);
    if (t == null) return null;
    if (!(t instanceof Sequence s)) {
      problem(lineOf(m, field), "'" + field + "' must be a list");
      return List.of();
    }
    List<Scalar> out = new ArrayList<>();
    for (YamlTree item : s.items()) {
      if (item instanceof Scalar sc && sc.value() != null && !sc.value().isBlank()) out.add(sc);
      else problem(item.line(), "'" + field + "' must be a list of non-empty texts");
    }
    return out;
  }
}
