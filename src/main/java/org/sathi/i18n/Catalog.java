package org.sathi.i18n;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One language's messages and global words. Placeholders {@code {name}} are filled from the
 * call's arguments first, then from the caller's country's numbers. A line that names a number
 * the country does not have ({@code ""}) is left out: a caller is never given another country's.
 */
public record Catalog(String language, Map<String, String> messages, Map<String, List<String>> words, Map<String, String> numbers) {

  public static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

  public boolean has(String key) {
    return messages.containsKey(key);
  }

  public String text(String key, Map<String, String> args) {
    String template = messages.get(key);
    if (template == null) throw new IllegalStateException("message key " + key + " missing in " + language);
    if (template.indexOf('{') < 0) return template;
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    boolean dropped = false;
    while (m.find()) {
      String name = m.group(1);
      String value = args.get(name);
      if (value == null) value = numbers.getOrDefault(name, m.group());
      if (value.isEmpty() && !args.containsKey(name)) {
        value = "\u0000"; // marks the line to leave out
        dropped = true;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (!dropped) return out.toString();
    StringBuilder kept = new StringBuilder();
    for (String line : out.toString().split("\n", -1)) {
      if (line.indexOf('\u0000') >= 0) continue;
      if (!kept.isEmpty()) kept.append('\n');
      kept.append(line);
    }
    return kept.toString();
  }

  /** The same messages with a country's numbers. */
  public Catalog withNumbers(Map<String, String> countryNumbers) {
    return new Catalog(language, messages, words, Map.copyOf(countryNumbers));
  }

  public String text(String key) {
    return text(key, Map.of());
  }

  public List<String> words(String kind) {
    return words.getOrDefault(kind, List.of());
  }
}
