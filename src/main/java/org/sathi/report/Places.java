package org.sathi.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.sathi.config.ConfigFile;
import org.sathi.config.Countries;
import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;
import org.sathi.flow.Areas;

/**
 * Each country's administrative areas with their ISO 3166-2 codes ({@code config/places.yaml}), in
 * two levels: first-level areas (Bangladesh's divisions, Nepal's provinces) and the areas within one
 * (Bangladesh's districts). A report's {@code area} is one of these codes; published tables count it
 * under its first-level area ({@link #rollUp}), because a district is too small a cell to publish.
 * Countries are named by the ISO 3166-1 alpha-2 code that {@code config/countries.yaml} gives them
 * ({@code iso:}). Validated whole at load, with {@code file:line}.
 *
 * <p>Pure: no I/O beyond reading the file in {@link #load}, nothing from Vert.x.
 */
public final class Places {

  /** The places, or every problem found in the file (then {@code places} is null). */
  public record Loaded(Places places, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * One area.
   *
   * @param parent the first-level area it is in; null for a first-level area
   * @param names  language code -> name; always has English
   * @param also   other spellings callers write (Chittagong for Chattogram)
   */
  public record Area(String code, String parent, Map<String, String> names, List<String> also, int line) {
    public boolean firstLevel() {
      return parent == null;
    }

    /** The name in a language, or in English. */
    public String name(String language) {
      String n = language == null ? null : names.get(language);
      return n != null ? n : names.get(ENGLISH);
    }
  }

  /** Every area must have a name in this language: the menu's and the console's fallback. */
  public static final String ENGLISH = "en";

  /** An ISO 3166-2 code: the country's alpha-2 code, a hyphen, and one to three letters or digits. */
  static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,3}");

  /** A free text this short (in letters) is also taken as the start of a name: "chatto" for Chattogram. */
  static final int MIN_PREFIX = 4;

  /** A Latin word this long may differ from a name by a doubled letter, sh for s, ee for i or oo for u. */
  static final int MIN_LOOSE = 5;

  /**
   * Endings a Bengali or Nepali word takes after a place name, written together with it
   * ("খুলনায়", in Khulna; "ঢাকার", of Dhaka; "कोशीमा", in Koshi). Only these, so that a longer word
   * that begins like a name is not taken for it.
   */
  static final Set<String> ENDINGS = Set.of(
      "য়", "য়ে", "য়ের", "তে", "তেই", "র", "ের", "এর", "ে", "েই", "কে", "ও", "ই", "েও",
      "मा", "को", "का", "की", "बाट", "ले", "मै", "सम्म", "तिर")
      .stream().map(e -> Normalizer.normalize(e, Normalizer.Form.NFC)).collect(Collectors.toUnmodifiableSet());

  private final Map<String, List<Area>> byCountry;
  private final Map<String, List<String>> levels;
  private final Map<String, Area> byCode;
  /** Per area code, each way of writing its name as words, folded. */
  private final Map<String, List<List<String>>> written = new java.util.concurrent.ConcurrentHashMap<>();

  private Places(Map<String, List<Area>> byCountry, Map<String, List<String>> levels) {
    this.levels = Map.copyOf(levels);
    Map<String, List<Area>> copy = new LinkedHashMap<>();
    byCountry.forEach((c, areas) -> copy.put(c, List.copyOf(areas)));
    this.byCountry = Collections.unmodifiableMap(copy);
    Map<String, Area> codes = new LinkedHashMap<>();
    copy.values().forEach(areas -> areas.forEach(a -> codes.put(a.code(), a)));
    this.byCode = Collections.unmodifiableMap(codes);
  }

  public static Places none() {
    return new Places(Map.of(), Map.of());
  }

  /** The countries (ISO 3166-1 alpha-2) that have areas. */
  public Set<String> countries() {
    return byCountry.keySet();
  }

  /** What a country's two levels are called (division, district), as the file says; empty when it does not. */
  public List<String> levels(String country) {
    return levels.getOrDefault(country, List.of());
  }

  /** Every area of a country, first-level areas and the areas within them, in the file's order. */
  public List<Area> areas(String country) {
    return byCountry.getOrDefault(country, List.of());
  }

  /** A listed area, or empty. */
  public Optional<Area> area(String code) {
    return Optional.ofNullable(code == null ? null : byCode.get(code));
  }

  /** A country's first-level areas (divisions, provinces) for a short menu, named in the language or in English. */
  public List<Areas.Choice> menu(String country, String language) {
    return areas(country).stream().filter(Area::firstLevel).map(a -> new Areas.Choice(a.code(), a.name(language))).toList();
  }

  /** An area's name in a language, or in English; null for a code that is not listed. */
  public String name(String code, String language) {
    return area(code).map(a -> a.name(language)).orElse(null);
  }

  /**
   * The area a published table counts a report under ("origin"): a district rolls up to its
   * division, a division stays itself. Null for no area, or for a code this file does not list (a
   * report of an older places.yaml), which a table counts as unknown.
   */
  public String rollUp(String code) {
    return area(code).map(a -> a.firstLevel() ? a.code() : a.parent()).orElse(null);
  }

  /** {@link #match(String, String, String, String)} in the whole country. */
  public Optional<String> match(String country, String language, String text) {
    return match(country, language, text, null);
  }

  /**
   * The most specific area of a country that a caller's free text names: a name in their language
   * or in English, or a listed spelling, as whole words (NFC, case folded, accents of Latin letters
   * ignored, a Bengali or Nepali ending allowed), or a short answer that is the start of one name.
   * A district wins over its division. Empty when nothing matches, or the text names areas in
   * different first-level areas (it is not clear which one the report is about).
   *
   * @param within an area code, or null: only that area and the areas within it count
   */
  public Optional<String> match(String country, String language, String text, String within) {
    if (text == null || text.isBlank()) return Optional.empty();
    List<String> words = List.of(fold(text).split(" "));
    if (words.isEmpty() || words.get(0).isEmpty()) return Optional.empty();
    List<Area> candidates = new ArrayList<>();
    for (Area a : inside(country, within)) {
      if (names(a, language).stream().anyMatch(name -> occurs(name, words))) candidates.add(a);
    }
    if (candidates.isEmpty() && words.size() == 1 && words.get(0).codePointCount(0, words.get(0).length()) >= MIN_PREFIX) {
      String start = words.get(0);
      for (Area a : inside(country, within)) {
        if (names(a, language).stream().anyMatch(name -> name.get(0).startsWith(start))) candidates.add(a);
      }
    }
    Set<String> firstLevels = candidates.stream().map(a -> a.firstLevel() ? a.code() : a.parent()).collect(Collectors.toSet());
    if (firstLevels.size() != 1) return Optional.empty();
    List<Area> inner = candidates.stream().filter(a -> !a.firstLevel()).toList();
    return Optional.of(inner.size() == 1 ? inner.get(0).code() : firstLevels.iterator().next());
  }

  private List<Area> inside(String country, String within) {
    List<Area> all = areas(country);
    if (within == null) return all;
    return all.stream().filter(a -> a.code().equals(within) || within.equals(a.parent())).toList();
  }

  /** The ways of writing an area's name a caller of this language may use, each as folded words. */
  private List<List<String>> names(Area a, String language) {
    List<List<String>> all = written.computeIfAbsent(a.code() + "|" + language, k -> {
      Set<String> texts = new LinkedHashSet<>();
      if (language != null && a.names().containsKey(language)) texts.add(a.names().get(language));
      texts.add(a.names().get(ENGLISH));
      texts.addAll(a.also());
      List<List<String>> out = new ArrayList<>();
      for (String t : texts) {
        List<String> words = List.of(fold(t).split(" "));
        if (words.get(0).isEmpty()) continue;
        out.add(words);
        if (words.size() > 1) out.add(List.of(String.join("", words))); // "Coxsbazar" for Cox's Bazar
      }
      return List.copyOf(out);
    });
    return all;
  }

  /** Whether the name's words occur in a row in the text's words. */
  private static boolean occurs(List<String> name, List<String> words) {
    for (int i = 0; i + name.size() <= words.size(); i++) {
      boolean all = true;
      for (int j = 0; j < name.size() && all; j++) all = sameWord(words.get(i + j), name.get(j), j == name.size() - 1);
      if (all) return true;
    }
    return false;
  }

  private static boolean sameWord(String word, String name, boolean last) {
    if (word.equals(name)) return true;
    if (latin(name)) return name.length() >= MIN_LOOSE && loose(word).equals(loose(name));
    return last && word.startsWith(name) && ENDINGS.contains(word.substring(name.length()));
  }

  private static boolean latin(String word) {
    return word.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN);
  }

  /** The spellings of one Latin name that differ only in small ways written alike: Barishal, Barisal. */
  private static String loose(String word) {
    String w = word.replace("sh", "s").replace("ee", "i").replace("oo", "u");
    StringBuilder out = new StringBuilder(w.length());
    for (int i = 0; i < w.length(); i++) if (i == 0 || w.charAt(i) != w.charAt(i - 1)) out.append(w.charAt(i));
    return out.toString();
  }

  /**
   * Text as words to compare: NFC, lower case, accents of Latin letters dropped (Chattogrām), other
   * scripts' vowel signs kept, apostrophes and joiners dropped (Cox's), anything else that is not a
   * letter, a mark or a digit a space.
   */
  static String fold(String text) {
    String d = Normalizer.normalize(Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder(d.length());
    boolean afterLatin = false;
    for (int i = 0; i < d.length(); ) {
      int cp = d.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      boolean mark = type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
      if (mark) {
        if (!afterLatin) out.appendCodePoint(cp);
        continue;
      }
      if (type == Character.FORMAT || cp == '\'' || cp == '\u2019' || cp == '\u2018' || cp == '\u02BC' || cp == '`') continue;
      if (Character.isLetterOrDigit(cp)) {
        out.appendCodePoint(cp);
        afterLatin = Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN;
      } else {
        out.append(' ');
        afterLatin = false;
      }
    }
    return Normalizer.normalize(out.toString(), Normalizer.Form.NFC).strip().replaceAll(" +", " ");
  }

  // ---- the flows' view: by the caller's calling code ------------------------------------------------

  /** These places for the flows, which know a caller by their calling code: config/countries.yaml gives each its country. */
  public Areas forCallers(Countries countries) {
    Places places = this;
    Map<String, String> isoByCallingCode = new LinkedHashMap<>();
    if (countries != null) countries.isoCodes().forEach((cc, iso) -> {
      if (byCountry.containsKey(iso)) isoByCallingCode.put(cc, iso);
    });
    return new Areas() {
      @Override
      public List<Choice> choices(String callingCode, String language) {
        String iso = callingCode == null ? null : isoByCallingCode.get(callingCode);
        return iso == null ? List.of() : places.menu(iso, language);
      }

      @Override
      public Optional<String> match(String callingCode, String language, String text, String within) {
        String iso = callingCode == null ? null : isoByCallingCode.get(callingCode);
        return iso == null ? Optional.empty() : places.match(iso, language, text, within);
      }

      @Override
      public List<String> callingCodes() {
        return List.copyOf(isoByCallingCode.keySet());
      }

      @Override
      public String name(String code, String language) {
        return places.name(code, language);
      }

      @Override
      public String rollUp(String code) {
        return places.rollUp(code);
      }
    };
  }

  // ---- loading -----------------------------------------------------------------------------

  static final Set<String> COUNTRY_FIELDS = Set.of("name", "levels", "areas");
  static final Set<String> AREA_FIELDS = Set.of("code", "parent", "name", "also");

  /**
   * Reads and validates the places. A missing file is no problem: then no caller is asked for an area.
   *
   * @param countries the ISO 3166-1 alpha-2 codes config/countries.yaml gives ({@code iso:}); each country here must be one
   */
  public static Loaded load(Path file, Set<String> countries) {
    if (!Files.exists(file)) return new Loaded(none(), List.of());
    ConfigFile f = new ConfigFile(file);
    Mapping root = f.read(file);
    Map<String, List<Area>> byCountry = new LinkedHashMap<>();
    Map<String, List<String>> levels = new LinkedHashMap<>();
    if (root != null) {
      f.allowOnly(root, Set.of("countries"));
      if (!(root.get("countries") instanceof Mapping cm)) {
        f.problem(f.lineOf(root, "countries"), "'countries' must map each country's ISO 3166-1 alpha-2 code (BD) to its areas");
      } else {
        Map<String, Area> seen = new HashMap<>();
        for (Entry e : cm.entries().values()) {
          List<Area> areas = country(f, e, countries, seen);
          if (areas != null) byCountry.put(e.key(), areas);
          if (e.value() instanceof Mapping m && m.get("levels") instanceof Sequence ls) {
            levels.put(e.key(), ls.items().stream().map(i -> i instanceof Scalar sc ? sc.value() : null).filter(v -> v != null).toList());
          }
        }
      }
    }
    List<Problem> problems = new ArrayList<>(f.problems);
    Collections.sort(problems);
    return problems.isEmpty() ? new Loaded(new Places(byCountry, levels), List.of()) : new Loaded(null, List.copyOf(problems));
  }

  private static List<Area> country(ConfigFile f, Entry e, Set<String> countries, Map<String, Area> seen) {
    String country = e.key();
    if (!country.matches("[A-Z]{2}")) {
      f.problem(e.line(), "country '" + country + "' must be an ISO 3166-1 alpha-2 code, two capital letters, such as BD");
      return null;
    }
    if (!countries.contains(country)) {
      f.problem(e.line(), "unknown country " + country + ": config/countries.yaml has no country with iso: " + country
          + (countries.isEmpty() ? "" : " (it has " + String.join(", ", new java.util.TreeSet<>(countries)) + ")"));
    }
    if (!(e.value() instanceof Mapping m)) {
      f.problem(e.line(), "country " + country + " must be a mapping with areas");
      return null;
    }
    f.allowOnly(m, COUNTRY_FIELDS);
    f.string(m, "name", false);
    List<Scalar> levels = f.texts(m, "levels");
    if (levels != null && levels.size() > 2) f.problem(f.lineOf(m, "levels"), "'levels' names at most two levels, such as [division, district]");
    if (!(m.get("areas") instanceof Sequence seq) || seq.items().isEmpty()) {
      f.problem(f.lineOf(m, "areas"), "country " + country + " needs 'areas': a list of { code, name: { en: ... }, parent, also }");
      return null;
    }
    List<Area> areas = new ArrayList<>();
    for (YamlTree item : seq.items()) {
      if (!(item instanceof Mapping am)) {
        f.problem(item.line(), "an area is a mapping: { code: " + country + "-..., name: { en: ..., ... } }");
        continue;
      }
      Area a = area(f, am, country, seen);
      if (a != null) areas.add(a);
    }
    // A parent must be a first-level area of the same country, wherever it is in the list.
    Map<String, Area> mine = areas.stream().collect(Collectors.toMap(Area::code, a -> a, (a, b) -> a));
    for (Area a : areas) {
      if (a.parent() == null) continue;
      Area p = mine.get(a.parent());
      if (p == null) {
        Area elsewhere = seen.get(a.parent());
        f.problem(a.line(), "area " + a.code() + " is in '" + a.parent() + "', which is not " + (elsewhere != null
            ? "an area of " + country : "listed") + "; 'parent' must be a first-level area of " + country);
      } else if (!p.firstLevel()) {
        f.problem(a.line(), "area " + a.code() + " is in " + p.code() + ", which is itself in " + p.parent()
            + "; 'parent' must be a first-level area of " + country + " (two levels only)");
      }
    }
    if (areas.stream().noneMatch(Area::firstLevel) && !areas.isEmpty()) {
      f.problem(seq.line(), "country " + country + " has no first-level area (one without 'parent')");
    }
    return areas;
  }

  private static Area area(ConfigFile f, Mapping m, String country, Map<String, Area> seen) {
    f.allowOnly(m, AREA_FIELDS);
    String code = f.string(m, "code", true);
    String parent = f.string(m, "parent", false);
    Map<String, String> names = names(f, m);
    List<String> also = new ArrayList<>();
    List<Scalar> spellings = f.texts(m, "also");
    if (spellings != null) spellings.forEach(s -> also.add(s.value().strip()));
    if (code == null) return null;
    if (!CODE.matcher(code).matches()) {
      f.problem(f.lineOf(m, "code"), "area code '" + code + "' is not an ISO 3166-2 code: the country's two letters, a hyphen and 1 to 3 letters or digits, such as " + country + "-A");
      return null;
    }
    if (!code.startsWith(country + "-")) {
      f.problem(f.lineOf(m, "code"), "area code " + code + " is listed under " + country + " but does not start with " + country + "-");
      return null;
    }
    Area earlier = seen.get(code);
    if (earlier != null) {
      f.problem(f.lineOf(m, "code"), "area code " + code + " is listed twice (also on line " + earlier.line() + ")");
      return null;
    }
    if (code.equals(parent)) {
      f.problem(f.lineOf(m, "parent"), "area " + code + " cannot be in itself");
      parent = null;
    }
    if (names == null) return null;
    Area a = new Area(code, parent, names, List.copyOf(also), m.line());
    seen.put(code, a);
    return a;
  }

  /** The names by language; null (with problems) when there is no English name or a name is empty. */
  private static Map<String, String> names(ConfigFile f, Mapping m) {
    YamlTree t = m.get("name");
    if (!(t instanceof Mapping nm)) {
      f.problem(t == null ? m.line() : f.lineOf(m, "name"), "'name' must map language codes to the area's name, with at least en: { en: Khulna, bn: খুলনা }");
      return null;
    }
    Map<String, String> names = new LinkedHashMap<>();
    boolean bad = false;
    for (Entry e : nm.entries().values()) {
      if (!e.key().matches("[a-z]{2,3}")) {
        f.problem(e.line(), "'" + e.key() + "' is not a language code (en, bn, ne, ...)");
        bad = true;
        continue;
      }
      String n = e.value() instanceof Scalar s && s.value() != null ? s.value().strip() : null;
      if (n == null || n.isEmpty() || fold(n).isEmpty()) {
        f.problem(e.line(), "the " + e.key() + " name is empty");
        bad = true;
        continue;
      }
      names.put(e.key(), Normalizer.normalize(n, Normalizer.Form.NFC));
    }
    if (!names.containsKey(ENGLISH) && !bad) {
      f.problem(nm.line(), "every area needs an English name (en): menus and the console fall back to it");
      bad = true;
    }
    return bad ? null : Map.copyOf(names);
  }
}
