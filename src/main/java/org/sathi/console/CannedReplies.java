package org.sathi.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sathi.config.ConfigFile;
import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.SmsSegments;

/**
 * The prepared replies an officer can send a reporter ({@code config/replies.yaml}): each has an id,
 * its meaning in the console's languages (what the officer reads) and its text in every language the
 * flows speak (what the reporter gets), so an officer who does not read the reporter's language can
 * still answer them in it. Validated whole at load, with {@code file:line}: every text in every flow
 * language, within the SMS budget, with only the placeholders Sathi fills. Pure: no I/O beyond
 * reading the file in {@link #load}, nothing from Vert.x.
 */
public record CannedReplies(List<Reply> replies, String defaultLanguage, Map<String, String> review) {

  /** A prepared reply fits this many SMS segments in every language (fewer when {@code sms.maxSegmentsPerReply} is lower). */
  public static final int MAX_SEGMENTS = 2;
  /** More than this is no longer a list an officer can pick from. */
  public static final int MAX_REPLIES = 50;
  /** What a text may name: the report's own reference code. */
  public static final Set<String> PLACEHOLDERS = Set.of("reference");
  /** Every reference code has this length and alphabet (GSM-7), so the budget checked with it holds for every report. */
  static final String SAMPLE_REFERENCE = "ACDE-FGHJ";
  static final Pattern ID = Referrals.ID;
  static final Set<String> FIELDS = Set.of("id", "meaning", "text");

  /**
   * @param meaning by console language: what the officer reads
   * @param text    by flow language: what the reporter gets, with {@code {reference}} still to fill
   */
  public record Reply(String id, Map<String, String> meaning, Map<String, String> text) {
    public Reply {
      meaning = Collections.unmodifiableMap(new LinkedHashMap<>(meaning));
      text = Collections.unmodifiableMap(new LinkedHashMap<>(text));
    }
  }

  public CannedReplies {
    replies = List.copyOf(replies);
    review = Collections.unmodifiableMap(new LinkedHashMap<>(review));
  }

  public static CannedReplies none() {
    return new CannedReplies(List.of(), "en", Map.of());
  }

  public Optional<Reply> find(String id) {
    return replies.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The meaning in the console language, or in the default language when it has none there; the language used comes first. */
  public Map.Entry<String, String> meaning(Reply r, String language) {
    String lang = language != null && r.meaning().containsKey(language) ? language : defaultLanguage;
    return Map.entry(lang, r.meaning().getOrDefault(lang, r.id()));
  }

  /** What the reporter gets, in their language, with the report's reference filled in; null when the reply has no text in it. */
  public String text(Reply r, String language, String reference) {
    String template = language == null ? null : r.text().get(language);
    return template == null ? null : fill(template, reference);
  }

  /** Languages whose texts are not marked reviewed (review: "reviewed ..."), in the file's order: drafts for native review. */
  public List<String> drafts() {
    Set<String> languages = new LinkedHashSet<>();
    replies.forEach(r -> languages.addAll(r.text().keySet()));
    return languages.stream().filter(l -> !review.getOrDefault(l, "").startsWith("reviewed")).toList();
  }

  static String fill(String template, String reference) {
    return template.replace("{reference}", reference);
  }

  // ---- loading -----------------------------------------------------------------------------

  /** The replies, or every problem in the file (then {@code replies} is null). A missing file is no replies. */
  public record Loaded(CannedReplies replies, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Reads and validates the file.
   *
   * @param languages       the languages the flows use: each reply needs a text in every one, and no other
   * @param defaultLanguage the default language: every reply needs its meaning in it (the console falls back to it)
   * @param maxSegments     the SMS budget of one prepared reply, in segments
   */
  public static Loaded load(Path file, Collection<String> languages, String defaultLanguage, int maxSegments) {
    ConfigFile f = new ConfigFile(file);
    if (!Files.exists(file)) return new Loaded(none(), List.of());
    Set<String> known = new LinkedHashSet<>(languages);
    Mapping root = f.read(file);
    List<Reply> replies = new ArrayList<>();
    Map<String, String> review = new LinkedHashMap<>();
    if (root != null) {
      f.allowOnly(root, Set.of("review", "replies"));
      readReview(f, root, known, review);
      YamlTree list = root.get("replies");
      if (!(list instanceof Sequence s)) {
        f.problem(f.lineOf(root, "replies"), "'replies' must be a list of { id, meaning, text }");
      } else {
        if (s.items().size() > MAX_REPLIES) {
          f.problem(s.line(), s.items().size() + " replies; at most " + MAX_REPLIES + " (officers pick from one list)");
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (YamlTree item : s.items()) {
          if (!(item instanceof Mapping m)) {
            f.problem(item.line(), "each reply is a mapping { id, meaning, text }");
            continue;
          }
          Reply r = reply(f, m, known, defaultLanguage, maxSegments);
          if (r == null) continue;
          Integer first = seen.putIfAbsent(r.id(), f.lineOf(m, "id"));
          if (first != null) f.problem(f.lineOf(m, "id"), "reply '" + r.id() + "' is listed twice (first at line " + first + ")");
          else replies.add(r);
        }
      }
    }
    List<Problem> problems = new ArrayList<>(f.problems);
    Collections.sort(problems);
    return problems.isEmpty()
        ? new Loaded(new CannedReplies(replies, defaultLanguage, review), List.of())
        : new Loaded(null, List.copyOf(problems));
  }

  private static void readReview(ConfigFile f, Mapping root, Set<String> known, Map<String, String> out) {
    YamlTree t = root.get("review");
    if (t == null) return;
    if (!(t instanceof Mapping m)) {
      f.problem(f.lineOf(root, "review"), "'review' maps each language to who checked its texts, such as bn: \"draft: needs review by a native"
          + " Bengali speaker\"");
      return;
    }
    for (Entry e : m.entries().values()) {
      if (!known.contains(e.key())) {
        f.problem(e.line(), unknownLanguage(e.key(), known));
        continue;
      }
      String v = f.string(m, e.key(), true);
      if (v != null) out.put(e.key(), v.strip());
    }
  }

  private static Reply reply(ConfigFile f, Mapping m, Set<String> known, String defaultLanguage, int maxSegments) {
    f.allowOnly(m, FIELDS);
    String id = f.string(m, "id", true);
    if (id != null && !ID.matcher(id).matches()) {
      f.problem(f.lineOf(m, "id"), "id '" + id + "' must be lower-case letters, digits and '-'");
      id = null;
    }
    String name = id == null ? "this reply" : "reply '" + id + "'";
    Map<String, String> meaning = texts(f, m, "meaning", known, name);
    if (meaning != null && !meaning.isEmpty() && !meaning.containsKey(defaultLanguage)) {
      f.problem(f.lineOf(m, "meaning"), name + " has no meaning in " + defaultLanguage + ", the default language the console falls back to");
    }
    Map<String, String> text = texts(f, m, "text", known, name);
    if (text != null) {
      List<String> missing = known.stream().filter(l -> !text.containsKey(l)).toList();
      if (!missing.isEmpty() && !text.isEmpty()) {
        f.problem(f.lineOf(m, "text"), name + " has no text in " + String.join(", ", missing) + ": every language the flows use needs one,"
            + " or its reporters cannot get this reply");
      }
      checkTexts(f, (Mapping) m.get("text"), text, defaultLanguage, maxSegments, name);
    }
    if (id == null || meaning == null || text == null) return null;
    return new Reply(id, meaning, text);
  }

  /** A mapping of language to non-empty text; null (with a problem) when absent or not one. */
  private static Map<String, String> texts(ConfigFile f, Mapping m, String field, Set<String> known, String name) {
    YamlTree t = m.get(field);
    if (!(t instanceof Mapping byLanguage) || byLanguage.entries().isEmpty()) {
      f.problem(t == null ? m.line() : f.lineOf(m, field), name + ": '" + field + "' must map each language to its text, such as en: \"...\"");
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : byLanguage.entries().values()) {
      if (!known.contains(e.key())) {
        f.problem(e.line(), unknownLanguage(e.key(), known));
        continue;
      }
      if (e.value() instanceof Scalar s && s.value() != null && !s.value().isBlank()) {
        out.put(e.key(), s.value().strip());
      } else {
        f.problem(e.line(), name + ": the " + field + " in " + e.key() + " must be a non-empty text");
      }
    }
    return out;
  }

  /** Placeholders Sathi fills, the same in every language as in the default one, and the SMS budget once filled. */
  private static void checkTexts(ConfigFile f, Mapping byLanguage, Map<String, String> text, String defaultLanguage, int maxSegments,
      String name) {
    Set<String> expected = text.containsKey(defaultLanguage) ? placeholders(text.get(defaultLanguage)) : null;
    for (Map.Entry<String, String> t : text.entrySet()) {
      String lang = t.getKey();
      int line = byLanguage.entries().get(lang).line();
      String problem = badBraces(t.getValue());
      if (problem != null) {
        f.problem(line, name + ": the " + lang + " text has " + problem + "; a placeholder is {name}, and replies may use "
            + placeholderList());
        continue;
      }
      Set<String> named = placeholders(t.getValue());
      Set<String> unknown = new TreeSet<>(named);
      unknown.removeAll(PLACEHOLDERS);
      if (!unknown.isEmpty()) {
        f.problem(line, name + ": the " + lang + " text names {" + String.join("}, {", unknown) + "}, which Sathi does not fill; replies may use "
            + placeholderList());
        continue;
      }
      if (expected != null && !lang.equals(defaultLanguage) && !named.equals(expected)) {
        Set<String> lacking = new TreeSet<>(expected);
        lacking.removeAll(named);
        Set<String> extra = new TreeSet<>(named);
        extra.removeAll(expected);
        f.problem(line, name + ": the " + lang + " text " + (lacking.isEmpty() ? "" : "lacks {" + String.join("}, {", lacking) + "}")
            + (lacking.isEmpty() || extra.isEmpty() ? "" : " and ") + (extra.isEmpty() ? "" : "has {" + String.join("}, {", extra) + "}")
            + ", unlike the " + defaultLanguage + " text: every language must say the same");
      }
      SmsSegments size = SmsSegments.of(fill(t.getValue(), SAMPLE_REFERENCE));
      if (size.segments() > maxSegments) {
        boolean gsm = size.encoding() == SmsSegments.Encoding.GSM_7;
        f.problem(line, name + ": the " + lang + " text needs " + size.segments() + " SMS segments (" + (gsm ? "GSM-7, " + size.units()
            + " septets: 160 in one segment, 153 a segment once split" : "UCS-2, " + size.units() + " UTF-16 units: 70 in one segment, 67 a"
            + " segment once split") + (named.isEmpty() ? "" : ", with a 9-character {reference}") + "); a prepared reply fits " + maxSegments
            + ": shorten it");
      }
    }
  }

  private static Set<String> placeholders(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = Catalog.PLACEHOLDER.matcher(text);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** A brace that is not part of a well-formed {@code {name}}, described; null when there is none. */
  private static String badBraces(String text) {
    String rest = Catalog.PLACEHOLDER.matcher(text).replaceAll("");
    if (rest.indexOf('{') >= 0) return "a '{' that does not start a placeholder";
    if (rest.indexOf('}') >= 0) return "a '}' that does not end a placeholder";
    return null;
  }

  private static String placeholderList() {
    return "{" + String.join("}, {", new TreeSet<>(PLACEHOLDERS)) + "}";
  }

  private static String unknownLanguage(String code, Set<String> known) {
    return "unknown language '" + code + "'; the flows' languages are " + String.join(", ", known) + " (ivr-flows/languages.yaml)";
  }
}
