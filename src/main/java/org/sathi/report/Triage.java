package org.sathi.report;

import org.sathi.config.ConfigFile;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;

/**
 * Triage rules from {@code config/triage.yaml}: how soon a report or a hand-off must be seen, and
 * which flags it carries. Every report starts at {@link #DEFAULT_PRIORITY}; rules only ever raise it.
 * The file is validated whole at load and every mistake is reported with {@code file:line}.
 *
 * <p>Pure: no I/O beyond reading the file in {@link #load}, nothing from Vert.x.
 */
public final class Triage {

  /** What arrived: a report (answers given) or a hand-off (the caller asked for a person). */
  public enum Kind { REPORT, HANDOFF }

  /**
   * One thing to assess.
   *
   * @param language         the conversation's language code
   * @param answers          the reporter's answers; null for a hand-off
   * @param samePlaceLastDay how many earlier reports named the same {@link #placeKey place} in the last
   *                         24 hours; the host counts them. A hand-off has no answers and no place: only
   *                         hand-off rules apply to it.
   */
  public record Item(Kind kind, String language, ReportAnswers answers, int samePlaceLastDay) {}

  /** The rules, or every problem found in the file (then {@code triage} is null). */
  public record Loaded(Triage triage, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public static final Priority DEFAULT_PRIORITY = Priority.P3;

  /** The only version of the file this code reads. */
  public static final int VERSION = 1;

  public static final List<String> RULE_KINDS = List.of("answer", "handoff", "keywords", "repeat_place");

  /**
   * The answers a rule can test and their value codes, as the report flow saves them
   * (ivr-flows/flows/report.yaml; a test keeps the two in step). {@code age} is a number.
   */
  public static final Map<String, Set<String>> CHOICE_ANSWERS = Map.of(
      "who", Set.of("self", "child", "children", "adult", "other"),
      "what", Set.of("forced_labour", "sexual_exploitation", "forced_criminality", "forced_begging",
          "moved_or_sold", "forced_marriage", "online_abuse", "other"),
      "danger", Set.of("yes", "no", "unsure"),
      "gender", Set.of("boy", "girl", "other", "unknown"),
      "contact", Set.of("yes", "no"));

  static final String AGE = "age";
  static final Set<String> FREE_TEXT_ANSWERS = Set.of("place", "details");

  /** Oldest age a rule may name: the report flow accepts 0 to 120. */
  public static final int MAX_AGE = 120;
  /** Shortest keyword, in characters: a one-letter substring would match nearly every message. */
  public static final int MIN_KEYWORD_LENGTH = 2;
  public static final int MAX_REPEAT_THRESHOLD = 1000;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Set<String> COMMON_FIELDS = Set.of("id", "kind", "reason", "priority", "flags");
  private static final Map<String, Set<String>> KIND_FIELDS = Map.of(
      "answer", Set.of("field", "in", "below"),
      "handoff", Set.of(),
      "keywords", Set.of("keywords"),
      "repeat_place", Set.of("threshold"));

  // ---- the rules --------------------------------------------------------------------------

  private sealed interface Test {}

  private record AnswerIn(String field, Set<String> values) implements Test {}

  private record AgeBelow(int years) implements Test {}

  private record Handoff() implements Test {}

  private record Keywords(List<Keyword> keywords) implements Test {}

  private record RepeatPlace(int threshold) implements Test {}

  /** A normalised keyword; Latin-script ones match whole words, others (Bengali) match anywhere. */
  private record Keyword(String text, Pattern wholeWord) {
    boolean in(String normalisedText) {
      return wholeWord == null ? normalisedText.contains(text) : wholeWord.matcher(normalisedText).find();
    }
  }

  private record Rule(String id, String reason, Priority priority, Set<String> flags, Test test) {}

  private final List<Rule> rules;

  private Triage(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The ids of the rules, in file order. */
  public List<String> ruleIds() {
    return rules.stream().map(Rule::id).toList();
  }

  /** Runs every rule against the item. Never throws for odd input: missing answers simply fire nothing. */
  public Assessment assess(Item item) {
    Priority priority = DEFAULT_PRIORITY;
    Set<String> flags = new TreeSet<>();
    List<Assessment.Fired> fired = new ArrayList<>();
    String freeText = freeText(item);
    for (Rule rule : rules) {
      String detail = fires(rule.test(), item, freeText);
      if (detail == null) continue;
      if (rule.priority() != null) priority = priority.atLeast(rule.priority());
      flags.addAll(rule.flags());
      fired.add(new Assessment.Fired(rule.id(), rule.reason() + detail));
    }
    return new Assessment(priority, new TreeSet<>(flags), fired);
  }

  /** Null when the rule does not fire; otherwise what to add to its reason (often nothing). */
  private static String fires(Test test, Item item, String freeText) {
    ReportAnswers a = item.kind() == Kind.REPORT ? item.answers() : null;
    return switch (test) {
      case AnswerIn t -> {
        // An answer not given (a voicemail, a call that ended half way) fires nothing: Set.of(...).contains(null) would throw.
        String value = a == null ? null : choice(a, t.field());
        yield value != null && t.values().contains(value) ? "" : null;
      }
      case AgeBelow t -> a != null && a.age() != null && a.age() < t.years() ? " (age " + a.age() + ")" : null;
      case Handoff t -> item.kind() == Kind.HANDOFF ? "" : null;
      case Keywords t -> {
        for (Keyword k : t.keywords()) {
          if (k.in(freeText)) yield ": \"" + k.text() + "\"";
        }
        yield null;
      }
      case RepeatPlace t -> item.kind() == Kind.REPORT && item.samePlaceLastDay() >= t.threshold()
          ? " (" + item.samePlaceLastDay() + " earlier in the last 24 hours)" : null;
    };
  }

  private static String choice(ReportAnswers a, String field) {
    return switch (field) {
      case "who" -> a.who();
      case "what" -> a.what();
      case "danger" -> a.danger();
      case "gender" -> a.gender();
      case "contact" -> a.contact();
      default -> null;
    };
  }

  private static String freeText(Item item) {
    ReportAnswers a = item.answers();
    if (item.kind() != Kind.REPORT || a == null) return "";
    StringBuilder b = new StringBuilder();
    if (a.details() != null) b.append(a.details());
    if (a.place() != null) b.append('\n').append(a.place());
    return normalise(b.toString());
  }

  // ---- text --------------------------------------------------------------------------------

  /**
   * Text as keywords are matched: NFC, lower case, one kind of apostrophe, no zero-width joiners
   * (Bengali keyboards differ in where they put them), whitespace runs as one space.
   */
  static String normalise(String s) {
    String n = Normalizer.normalize(s, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    n = n.replace('\u2019', '\'').replace('\u2018', '\'').replace('\u02BC', '\'');
    n = n.replace("\u200C", "").replace("\u200D", "");
    n = n.replaceAll("\\s+", " ").strip();
    return Normalizer.normalize(n, Normalizer.Form.NFC);
  }

  /**
   * The form of a place name the host counts repeated reports by: NFC, lower case, punctuation and
   * symbols removed, runs of spaces made one. "Mirpur-10, Dhaka." and "mirpur 10  dhaka" are one place.
   */
  public static String placeKey(String place) {
    if (place == null) return "";
    String n = Normalizer.normalize(place, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    n = n.replaceAll("['\u2018\u2019\u02BC]", "");
    n = n.replace("\u200C", "").replace("\u200D", "");
    n = n.replaceAll("[\\p{P}\\p{S}]", " ");
    n = n.replaceAll("\\s+", " ").strip();
    return Normalizer.normalize(n, Normalizer.Form.NFC);
  }

  private static boolean latinOnly(String keyword) {
    return keyword.codePoints().filter(Character::isLetter)
        .allMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.LATIN);
  }

  private static Keyword keyword(String raw) {
    String text = normalise(raw);
    if (!latinOnly(text)) return new Keyword(text, null);
    String edge = "[\\p{L}\\p{M}\\p{N}]";
    return new Keyword(text, Pattern.compile("(?<!" + edge + ")" + Pattern.quote(text) + "(?!" + edge + ")"));
  }

  // ---- loading -----------------------------------------------------------------------------

  /**
   * Reads and validates the triage file.
   *
   * @param enabledLanguages the codes of the enabled languages; every keywords rule needs a list for each
   */
  public static Loaded load(Path file, Set<String> enabledLanguages) {
    ConfigFile f = new ConfigFile(file);
    List<Rule> rules = new ArrayList<>();
    Mapping root = f.read(file);
    if (root != null) {
      f.allowOnly(root, Set.of("version", "rules"));
      Integer version = f.integer(root, "version", true, 0, Integer.MAX_VALUE);
      if (version != null && version != VERSION) {
        f.problem(f.lineOf(root, "version"), "'version' is " + version + "; this Sathi reads version " + VERSION);
      }
      YamlTree list = root.get("rules");
      if (!(list instanceof Sequence seq) || seq.items().isEmpty()) {
        f.problem(list == null ? root.line() : f.lineOf(root, "rules"), "'rules' must be a list of at least one rule");
      } else {
        Map<String, Integer> ids = new HashMap<>();
        for (YamlTree item : seq.items()) {
          Rule r = rule(f, item, ids, enabledLanguages);
          if (r != null) rules.add(r);
        }
      }
    }
    List<Problem> problems = new ArrayList<>(f.problems);
    Collections.sort(problems);
    return problems.isEmpty() ? new Loaded(new Triage(rules), List.of()) : new Loaded(null, List.copyOf(problems));
  }

  private static Rule rule(ConfigFile f, YamlTree item, Map<String, Integer> ids, Set<String> enabledLanguages) {
    if (!(item instanceof Mapping m)) {
      f.problem(item.line(), "each rule must be a mapping with id, kind, reason and what it does");
      return null;
    }
    String id = f.string(m, "id", true);
    if (id != null) {
      if (!NAME.matcher(id).matches()) {
        f.problem(f.lineOf(m, "id"), "rule id '" + id + "' must be lower-case letters, digits and _, starting with a letter");
      }
      Integer first = ids.putIfAbsent(id, f.lineOf(m, "id"));
      if (first != null) f.problem(f.lineOf(m, "id"), "rule id '" + id + "' is used twice (first at line " + first + ")");
    }
    String name = id == null ? "this rule" : "rule '" + id + "'";
    String kind = f.string(m, "kind", true);
    Set<String> allowed = new LinkedHashSet<>(COMMON_FIELDS);
    if (kind != null && !KIND_FIELDS.containsKey(kind)) {
      f.problem(f.lineOf(m, "kind"), "unknown rule kind '" + kind + "'; kinds: " + String.join(", ", RULE_KINDS));
      kind = null;
    }
    if (kind != null) {
      allowed.addAll(KIND_FIELDS.get(kind));
      f.allowOnly(m, allowed);
    }
    String reason = f.string(m, "reason", true);
    Priority priority = priority(f, m);
    Set<String> flags = flags(f, m);
    if (!m.entries().containsKey("priority") && !m.entries().containsKey("flags")) {
      f.problem(m.line(), name + " does nothing: give it a priority, flags or both");
    }
    if (kind == null) return null;
    Test test = switch (kind) {
      case "answer" -> answer(f, m);
      case "handoff" -> new Handoff();
      case "keywords" -> keywords(f, m, enabledLanguages);
      case "repeat_place" -> {
        Integer n = f.integer(m, "threshold", true, 1, MAX_REPEAT_THRESHOLD);
        yield n == null ? null : new RepeatPlace(n);
      }
      default -> null;
    };
    if (test == null || id == null || reason == null || flags == null) return null;
    return new Rule(id, reason, priority, flags, test);
  }

  private static Priority priority(ConfigFile f, Mapping m) {
    String p = f.string(m, "priority", false);
    if (p == null) return null;
    try {
      return Priority.valueOf(p);
    } catch (IllegalArgumentException e) {
      f.problem(f.lineOf(m, "priority"), "priority '" + p + "' must be P1, P2 or P3");
      return null;
    }
  }

  private static Set<String> flags(ConfigFile f, Mapping m) {
    List<Scalar> list = f.texts(m, "flags");
    if (list == null) return Set.of();
    Set<String> flags = new TreeSet<>();
    for (Scalar s : list) {
      if (NAME.matcher(s.value()).matches()) flags.add(s.value());
      else f.problem(s.line(), "flag '" + s.value() + "' must be lower-case letters, digits and _, starting with a letter");
    }
    return Collections.unmodifiableSet(flags);
  }

  private static Test answer(ConfigFile f, Mapping m) {
    String field = f.string(m, "field", true);
    if (field == null) return null;
    int line = f.lineOf(m, "field");
    if (FREE_TEXT_ANSWERS.contains(field)) {
      f.problem(line, "answer field '" + field + "' is free text; match words in it with a keywords rule");
      return null;
    }
    if (AGE.equals(field)) {
      if (m.entries().containsKey("in")) f.problem(f.lineOf(m, "in"), "age is a number: use 'below', not 'in'");
      Integer below = f.integer(m, "below", true, 1, MAX_AGE);
      return below == null ? null : new AgeBelow(below);
    }
    Set<String> known = CHOICE_ANSWERS.get(field);
    if (known == null) {
      TreeSet<String> fields = new TreeSet<>(CHOICE_ANSWERS.keySet());
      fields.add(AGE);
      f.problem(line, "unknown answer field '" + field + "'; answer fields: " + String.join(", ", fields));
      return null;
    }
    if (m.entries().containsKey("below")) f.problem(f.lineOf(m, "below"), "'below' only applies to age; use 'in' for " + field);
    List<Scalar> values = f.texts(m, "in");
    if (values == null) {
      f.problem(m.line(), "missing 'in': the values of " + field + " that fire this rule");
      return null;
    }
    if (values.isEmpty()) {
      if (m.get("in") instanceof Sequence) f.problem(f.lineOf(m, "in"), "'in' must name at least one value of " + field);
      return null;
    }
    Set<String> chosen = new LinkedHashSet<>();
    boolean bad = false;
    for (Scalar v : values) {
      if (known.contains(v.value())) {
        chosen.add(v.value());
        continue;
      }
      bad = true;
      String hint = "true".equals(v.value()) || "false".equals(v.value())
          ? " (write \"yes\" or \"no\" in quotes: YAML reads a bare yes or no as true or false)" : "";
      f.problem(v.line(), "'" + v.value() + "' is not a value of " + field + "; values: "
          + String.join(", ", new TreeSet<>(known)) + hint);
    }
    return bad ? null : new AnswerIn(field, Set.copyOf(chosen));
  }

  private static Test keywords(ConfigFile f, Mapping m, Set<String> enabledLanguages) {
    YamlTree t = m.get("keywords");
    if (t == null) {
      f.problem(m.line(), "missing 'keywords': a list of words per language, such as keywords: {en: [...], bn: [...]}");
      return null;
    }
    int line = f.lineOf(m, "keywords");
    if (!(t instanceof Mapping byLanguage)) {
      f.problem(line, "'keywords' must map each language code to a list of words");
      return null;
    }
    List<Keyword> keywords = new ArrayList<>();
    boolean bad = false;
    Map<String, Entry> entries = new LinkedHashMap<>(byLanguage.entries());
    for (String language : new TreeSet<>(enabledLanguages)) {
      if (!entries.containsKey(language)) {
        f.problem(line, "no keyword list for enabled language '" + language + "'; add one under keywords (people write in every enabled language)");
        bad = true;
      }
    }
    for (Entry e : entries.values()) {
      List<Scalar> words = f.texts(byLanguage, e.key());
      if (words == null || words.isEmpty()) {
        if (e.value() instanceof Sequence) f.problem(e.line(), "the keyword list for '" + e.key() + "' is empty");
        bad = true;
        continue;
      }
      for (Scalar w : words) {
        Keyword k = keyword(w.value());
        if (k.text().codePointCount(0, k.text().length()) < MIN_KEYWORD_LENGTH) {
          f.problem(w.line(), "keyword '" + w.value() + "' is too short: it would match almost any message");
          bad = true;
        } else if (enabledLanguages.contains(e.key())) {
          keywords.add(k);
        }
      }
    }
    return bad ? null : new Keywords(List.copyOf(keywords));
  }
}
