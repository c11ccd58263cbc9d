package org.sathi.i18n;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One language's messages and global words. Placeholders {@code {name}} are filled from the
 * call's arguments first, then from the configured numbers.
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
    while (m.find()) {
      String name = m.group(1);
      String value = args.getOrDefault(name, numbers.getOrDefault(name, m.group()));
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  public String text(String key) {
    return text(key, Map.of());
  }

  public List<String> words(String kind) {
    return words.getOrDefault(kind, List.of());
  }
}
