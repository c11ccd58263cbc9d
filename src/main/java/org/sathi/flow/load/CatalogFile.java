package org.sathi.flow.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.sathi.config.ConfigFile;
import org.sathi.config.Countries;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Language;

/**
 * Reads one language's {@code messages/<code>.yaml}: its messages and word lists, with every key the
 * engine, the SMS host and calls need, and only placeholders that something fills.
 */
final class CatalogFile {
  private final ConfigFile file;
  /** The line of each key, for later problems about a message. */
  final Map<String, Integer> lines = new HashMap<>();

  CatalogFile(Path path) {
    this.file = new ConfigFile(path);
  }

  ConfigFile file() {
    return file;
  }

  /** The catalog, or null when the file is missing or cannot be read. */
  Catalog read(Path path, Language language, Map<String, String> numbers) {
    if (!Files.exists(path)) {
      file.problem(1, "language '" + language.code() + "' is enabled but has no catalog; create " + file.name);
      return null;
    }
    Mapping root = file.read(path);
    if (root == null) return null;
    Map<String, String> messages = new LinkedHashMap<>();
    Map<String, List<String>> words = new LinkedHashMap<>();
    for (Entry e : root.entries().values()) {
      lines.put(e.key(), e.line());
      if (e.key().startsWith("words.")) {
        words.put(e.key().substring("words.".length()), words(e));
      } else if (e.value() instanceof Scalar s && s.value() != null) {
        messages.put(e.key(), s.value());
        checkPlaceholders(e, s.value(), numbers);
      } else {
        file.problem(e.line(), "'" + e.key() + "' must be a text");
      }
    }
    checkKeys(language, messages, words);
    return new Catalog(language.code(), Map.copyOf(messages), Map.copyOf(words), Map.copyOf(numbers));
  }

  private List<String> words(Entry e) {
    String kind = e.key().substring("words.".length());
    if (!FlowLoader.WORD_KINDS.contains(kind)) {
      file.problem(e.line(), "unknown word list '" + e.key() + "'; known: words." + String.join(", words.", FlowLoader.WORD_KINDS));
    }
    List<String> list = new ArrayList<>();
    if (e.value() instanceof Sequence s) {
      for (YamlTree w : s.items()) {
        if (w instanceof Scalar sc && sc.value() != null && !sc.value().isBlank()) list.add(sc.value());
        else file.problem(w.line(), e.key() + " must be a list of words");
      }
    } else {
      file.problem(e.line(), e.key() + " must be a list, such as [menu, m]");
    }
    return List.copyOf(list);
  }

  private void checkPlaceholders(Entry e, String text, Map<String, String> numbers) {
    Matcher m = Catalog.PLACEHOLDER.matcher(text);
    while (m.find()) {
      String name = m.group(1);
      if (!FlowLoader.RUNTIME_PLACEHOLDERS.contains(name) && !numbers.containsKey(name) && !Countries.KINDS.contains(name)) {
        file.problem(e.line(), "'" + e.key() + "' uses {" + name + "}, which is neither a kind of number of config/countries.yaml ("
            + String.join(", ", Countries.KINDS) + ") nor one of {reference}, {min}, {max}");
      }
    }
  }

  private void checkKeys(Language language, Map<String, String> messages, Map<String, List<String>> words) {
    for (String key : FlowLoader.ENGINE_KEYS) {
      if (!messages.containsKey(key)) file.problem(1, "message key '" + key + "' is missing (the engine uses it)");
    }
    for (String key : FlowLoader.SMS_KEYS) {
      if (!messages.containsKey(key)) file.problem(1, "message key '" + key + "' is missing (SMS follow-up uses it)");
    }
    for (String key : FlowLoader.USSD_KEYS) {
      if (!messages.containsKey(key)) file.problem(1, "message key '" + key + "' is missing (USSD screens use it)");
    }
    if (language.spoken()) {
      for (String key : FlowLoader.VOICE_KEYS) {
        if (!messages.containsKey(key)) file.problem(1, "message key '" + key + "' is missing (calls use it)");
      }
    }
    for (var need : Map.of("voice.option", List.of("{label}", "{digit}"), "voice.language", List.of("{digit}")).entrySet()) {
      String text = messages.get(need.getKey());
      for (String p : need.getValue()) {
        if (text != null && !text.contains(p)) {
          file.problem(lines.get(need.getKey()), "'" + need.getKey() + "' must say " + p + ", or callers never hear which key to press");
        }
      }
    }
    for (var e : messages.keySet()) {
      if (e.startsWith("voice.") && !FlowLoader.VOICE_KEYS.contains(e) && !e.equals(FlowLoader.PRESS_WORDING) && !e.equals(FlowLoader.SCREEN_KEY)
          && !messages.containsKey(e.substring("voice.".length()))) {
        file.problem(lines.get(e), "'" + e + "' is the call's wording of '" + e.substring("voice.".length())
            + "', which is not a message key here; fix the name or remove it");
      }
    }
    for (String kind : FlowLoader.WORD_KINDS) {
      if (!words.containsKey(kind)) file.problem(1, "word list 'words." + kind + "' is missing");
    }
  }
}
