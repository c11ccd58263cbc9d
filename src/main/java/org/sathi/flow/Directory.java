package org.sathi.flow;

import java.util.List;
import java.util.Map;

/**
 * Numbers for people in trouble abroad, by the country they are in ({@code config/directory.yaml}):
 * the local emergency, police and helpline numbers, and the caller's own country's embassy there,
 * by the caller's language. A {@code directory} node lets the caller pick the country.
 */
public record Directory(List<Country> countries) {

  /** The kinds of number, in the order a caller sees them. */
  public static final List<String> KINDS = List.of("emergency", "police", "helpline", "embassy");

  /**
   * @param sample  the numbers are examples to replace with verified ones before going live
   * @param numbers kind -> number, for emergency, police and helpline
   * @param embassy language code -> the number of that language's country's embassy here
   */
  public record Country(String code, boolean sample, Map<String, String> numbers, Map<String, String> embassy, Node.Source source) {}

  public static Directory empty() {
    return new Directory(List.of());
  }

  /** The numbers a caller in this language sees for a country, by kind, in order. */
  public static List<Map.Entry<String, String>> numbersFor(Country country, String language) {
    List<Map.Entry<String, String>> out = new java.util.ArrayList<>();
    for (String kind : KINDS) {
      String n = kind.equals("embassy") ? country.embassy().get(language) : country.numbers().get(kind);
      if (n != null) out.add(Map.entry(kind, n));
    }
    return out;
  }
}
