package org.sathi.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;

/**
 * The useful numbers of each country callers reach the hotline from ({@code config/countries.yaml}),
 * by calling code: a caller is always given their own country's numbers, never another's. Each
 * number carries the source it was taken from, and whether the helpline has verified it. A caller
 * from a country not listed gets the {@code numbers:} of {@code config/sathi.yaml} (shipped: 112,
 * which every GSM phone dials as an emergency call).
 */
public record Countries(Map<String, Country> byCallingCode, Map<String, String> fallback) {

  /** The kinds of number messages may name, as {@code {emergency}}, ...: every country must have an emergency number. */
  public static final List<String> KINDS = List.of("emergency", "childHelpline", "womenHelpline", "antiTrafficking");
  public static final String EMERGENCY = "emergency";

  /** One number and where it comes from. */
  public record Number(String number, String source, boolean verified) {}

  /** @param iso the ISO 3166-1 alpha-2 code (BD), or null when not given; config/places.yaml names countries by it */
  public record Country(String callingCode, String name, Map<String, Number> numbers, int line, String iso) {}

  /** What a caller of an unlisted country is told to dial: every GSM phone places 112 as an emergency call (3GPP TS 22.101 §10). */
  public static final String GSM_EMERGENCY = "112";

  public Countries {
    byCallingCode = Map.copyOf(byCallingCode);
    Map<String, String> f = new LinkedHashMap<>(fallback);
    f.putIfAbsent(EMERGENCY, GSM_EMERGENCY);
    fallback = Map.copyOf(f);
  }

  public static Countries none(Map<String, String> fallback) {
    return new Countries(Map.of(), fallback);
  }

  /** The calling code of an E.164 number among the listed countries (the longest that matches), or null. */
  public String callingCode(String e164) {
    if (e164 == null) return null;
    String digits = e164.startsWith("+") ? e164.substring(1) : e164;
    for (int len = Math.min(4, digits.length()); len >= 1; len--) {
      String cc = digits.substring(0, len);
      if (byCallingCode.containsKey(cc)) return cc;
    }
    return null;
  }

  /** The numbers messages use for a caller of this calling code: every kind, "" where the country has none. */
  public Map<String, String> numbers(String callingCode) {
    Country c = callingCode == null ? null : byCallingCode.get(callingCode);
    Map<String, String> out = new LinkedHashMap<>();
    for (String kind : KINDS) {
      String n = c != null ? (c.numbers().containsKey(kind) ? c.numbers().get(kind).number() : "") : fallback.getOrDefault(kind, "");
      out.put(kind, n);
    }
    return out;
  }

  /** Every number not yet verified by the helpline, for {@code validate}'s notes. */
  public List<String> unverified() {
    List<String> out = new ArrayList<>();
    byCallingCode.values().stream().sorted(java.util.Comparator.comparingInt(Country::line)).forEach(c -> c.numbers().forEach((kind, n) -> {
      if (!n.verified()) out.add("+" + c.callingCode() + " " + c.name() + " " + kind + " " + n.number() + " (source: " + n.source() + ")");
    }));
    return out;
  }

  /** The result of reading the file: the countries, and every problem with its line. */
  public record Loaded(Countries countries, List<Problem> problems) {}

  static final Set<String> FIELDS = Set.of("callingCode", "iso", "name", "numbers");
  static final Set<String> NUMBER_FIELDS = Set.of("number", "source", "verified");

  public static Loaded load(Path file, Map<String, String> fallback) {
    ConfigFile f = new ConfigFile(file);
    Map<String, Country> countries = new LinkedHashMap<>();
    if (!Files.exists(file)) return new Loaded(none(fallback), f.problems);
    Mapping root = f.read(file);
    if (root != null) {
      f.allowOnly(root, Set.of("countries"));
      YamlTree list = root.get("countries");
      if (!(list instanceof Sequence s)) {
        f.problem(f.lineOf(root, "countries"), "'countries' must be a list of countries");
      } else {
        for (YamlTree item : s.items()) {
          if (!(item instanceof Mapping m)) {
            f.problem(item.line(), "each country is a mapping with callingCode, name and numbers");
            continue;
          }
          Country c = country(f, m);
          if (c == null) continue;
          if (countries.containsKey(c.callingCode())) f.problem(m.line(), "calling code " + c.callingCode() + " is listed twice");
          else if (c.iso() != null && countries.values().stream().anyMatch(o -> c.iso().equals(o.iso()))) {
            f.problem(f.lineOf(m, "iso"), "iso " + c.iso() + " is listed twice");
          } else countries.put(c.callingCode(), c);
        }
      }
    }
    return new Loaded(new Countries(countries, fallback), f.problems);
  }

  private static Country country(ConfigFile f, Mapping m) {
    f.allowOnly(m, FIELDS);
    String code = f.string(m, "callingCode", true);
    String name = f.string(m, "name", true);
    String iso = f.string(m, "iso", false);
    if (iso != null && !iso.matches("[A-Z]{2}")) {
      f.problem(f.lineOf(m, "iso"), "'iso' must be the ISO 3166-1 alpha-2 code, two capital letters, such as BD");
      iso = null;
    }
    if (code != null && !code.matches("[1-9]\\d{0,3}")) {
      f.problem(f.lineOf(m, "callingCode"), "'callingCode' must be a calling code without +, such as \"880\"");
      code = null;
    }
    Map<String, Number> numbers = new LinkedHashMap<>();
    YamlTree nt = m.get("numbers");
    if (!(nt instanceof Mapping nm)) {
      f.problem(f.lineOf(m, "numbers"), "'numbers' must map each kind (" + String.join(", ", KINDS) + ") to {number, source}");
    } else {
      for (Entry e : nm.entries().values()) {
        if (!KINDS.contains(e.key())) {
          f.problem(e.line(), "unknown kind of number '" + e.key() + "'; known: " + String.join(", ", KINDS));
          continue;
        }
        if (!(e.value() instanceof Mapping n)) {
          f.problem(e.line(), "'" + e.key() + "' must be {number: \"...\", source: \"...\"}");
          continue;
        }
        f.allowOnly(n, NUMBER_FIELDS);
        String number = f.string(n, "number", true);
        String source = f.string(n, "source", true);
        if (number != null && !number.matches("\\+?[0-9][0-9 ]{1,18}")) {
          f.problem(f.lineOf(n, "number"), "'number' must be digits (spaces allowed), such as \"999\" or \"0800 1111\"");
          number = null;
        }
        boolean verified = n.get("verified") instanceof Scalar v && "true".equals(v.value());
        if (number != null && source != null) numbers.put(e.key(), new Number(number, source, verified));
      }
      if (nm.get(EMERGENCY) == null) f.problem(nm.line(), "country " + (code == null ? "" : "+" + code + " ") + "has no emergency number");
    }
    if (code == null || name == null) return null;
    return new Country(code, name, Map.copyOf(numbers), m.line(), iso);
  }

  /**
   * A problem for each calling code that something serves (a language's countryCodes, a channel's
   * countries) but that has no numbers here. {@code required}: calling code -> who serves it.
   */
  public List<Problem> missing(String file, Map<String, String> required) {
    List<Problem> out = new ArrayList<>();
    required.forEach((code, who) -> {
      if (!byCallingCode.containsKey(code)) {
        out.add(new Problem(file, 1, "calling code " + code + " has no numbers here, but " + who + " serves it; add it with its emergency number"));
      }
    });
    return out;
  }

  /**
   * For each kind, the longest number any country has: a message that fits the SMS budget with
   * these fits it with every country's (a country without the kind only loses a line).
   */
  public Map<String, String> widest() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kind : KINDS) {
      String longest = fallback.getOrDefault(kind, "");
      for (Country c : byCallingCode.values()) {
        Number n = c.numbers().get(kind);
        if (n != null && n.number().length() > longest.length()) longest = n.number();
      }
      out.put(kind, longest);
    }
    return out;
  }

  /** The ISO 3166-1 alpha-2 code of a calling code's country, or null when it is not listed or has no {@code iso}. */
  public String iso(String callingCode) {
    Country c = callingCode == null ? null : byCallingCode.get(callingCode);
    return c == null ? null : c.iso();
  }

  /** Every ISO 3166-1 alpha-2 code listed, by calling code. */
  public Map<String, String> isoCodes() {
    Map<String, String> out = new LinkedHashMap<>();
    byCallingCode.values().stream().sorted(java.util.Comparator.comparingInt(Country::line)).forEach(c -> {
      if (c.iso() != null) out.put(c.callingCode(), c.iso());
    });
    return out;
  }

  /** Every calling code listed. */
  public Set<String> callingCodes() {
    return new LinkedHashSet<>(byCallingCode.keySet());
  }
}
