package org.sathi.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;

/**
 * Runs the triage fixtures in {@code src/test/resources/triage/} against the real
 * {@code config/triage.yaml} and the enabled languages of {@code ivr-flows/languages.yaml}: one file
 * per rule kind, each with cases in English and in Bengali, plus {@code load-errors.yaml}.
 *
 * <pre>
 * cases:
 *   - name: what the case shows
 *     item:                      # Triage.Item
 *       kind: report             # or handoff
 *       language: bn
 *       answers: {who: child, danger: "yes", age: "12", details: "...", place: "..."}   # as the flow saves them; none for a hand-off
 *       samePlaceLastDay: 2      # default 0
 *     expect:
 *       priority: P2
 *       flags: [child]           # exactly (default none)
 *       fired: [child_reported]  # rule ids, in rule order, exactly (default none)
 *       reasons: ["..."]         # optional: the timeline reasons, exactly
 * placeKeys:                     # optional (repeat-place.yaml): Triage.placeKey(place) == key
 *   - {place: "Mirpur-10, Dhaka.", key: "mirpur 10 dhaka"}
 * </pre>
 * load-errors.yaml: {@code cases: [{name, languages: [en, bn], file: |..., problems: ["triage.yaml:3: ..."]}]}.
 */
class TriageTest {

  /** Fixture file per rule kind of config/triage.yaml. */
  static final Map<String, String> FIXTURES = Map.of(
      "answer", "answers", "handoff", "handoff", "keywords", "keywords", "repeat_place", "repeat-place");

  static final Path CONFIG = Path.of(System.getProperty("sathi.triage", "config/triage.yaml"));
  static final Path LANGUAGES = Path.of("ivr-flows/languages.yaml");
  static final Path REPORT_FLOW = Path.of("ivr-flows/flows/report.yaml");

  static final Set<String> CASE_FIELDS = Set.of("name", "item", "expect");
  static final Set<String> ITEM_FIELDS = Set.of("kind", "language", "answers", "samePlaceLastDay");
  static final Set<String> EXPECT_FIELDS = Set.of("priority", "flags", "fired", "reasons");
  static final Set<String> ANSWER_FIELDS = Set.of("who", "what", "danger", "age", "gender", "place", "details", "contact");

  /** A mistake in a fixture file, as opposed to a failed expectation. */
  static final class FixtureError extends IllegalArgumentException {
    FixtureError(String message) {
      super(message);
    }
  }

  @TempDir
  Path temp;

  @TestFactory
  Stream<DynamicNode> ruleKindFixtures() {
    Set<String> languages = enabledLanguages();
    Triage.Loaded loaded = Triage.load(CONFIG, languages);
    assertThat(loaded.problems()).as("config/triage.yaml must load cleanly").isEmpty();
    Map<String, String> kindOfRule = ruleKinds();
    assertThat(new TreeSet<>(kindOfRule.values())).as("every rule kind has a fixture file")
        .isSubsetOf(FIXTURES.keySet());
    return new TreeSet<>(FIXTURES.keySet()).stream().map(kind -> fixture(kind, loaded.triage(), languages, kindOfRule));
  }

  private DynamicNode fixture(String kind, Triage triage, Set<String> languages, Map<String, String> kindOfRule) {
    String resource = "triage/" + FIXTURES.get(kind) + ".yaml";
    Mapping file = parse(resource, resourceText(resource));
    check(resource, file, Set.of("cases", "placeKeys"));
    List<DynamicNode> tests = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    Set<String> caseLanguages = new TreeSet<>();
    Set<String> firedHere = new TreeSet<>();
    for (Mapping c : cases(resource, file)) {
      String where = resource + ":" + c.line();
      check(where, c, CASE_FIELDS);
      String name = text(c, "name");
      if (name == null || !names.add(name)) throw new FixtureError(where + ": each case needs a unique name");
      if (!(c.get("item") instanceof Mapping item)) throw new FixtureError(where + ": 'item' is missing");
      if (!(c.get("expect") instanceof Mapping expect)) throw new FixtureError(where + ": 'expect' is missing");
      Triage.Item input = item(where, item);
      caseLanguages.add(input.language());
      firedHere.addAll(strings(expect.get("fired")));
      tests.add(DynamicTest.dynamicTest(name, URI.create("classpath:/" + resource + "?line=" + c.line()),
          () -> expect(where, expect, triage.assess(input))));
    }
    tests.add(DynamicTest.dynamicTest("cases in every enabled language", () ->
        assertThat(caseLanguages).as("%s: languages of the cases", resource).containsAll(languages)));
    tests.add(DynamicTest.dynamicTest("every " + kind + " rule fires in some case", () -> {
      Set<String> ofKind = new TreeSet<>();
      kindOfRule.forEach((id, k) -> {
        if (k.equals(kind)) ofKind.add(id);
      });
      assertThat(firedHere).as("%s: rules of kind %s fired by its cases", resource, kind).containsAll(ofKind);
    }));
    if (file.get("placeKeys") instanceof Sequence keys) {
      for (YamlTree k : keys.items()) {
        if (!(k instanceof Mapping m)) throw new FixtureError(resource + ":" + k.line() + ": a place key case is {place, key}");
        String place = text(m, "place");
        String key = text(m, "key");
        tests.add(DynamicTest.dynamicTest("placeKey(" + place + ")",
            () -> assertThat(Triage.placeKey(place)).as("%s:%d", resource, m.line()).isEqualTo(key == null ? "" : key)));
      }
    }
    return DynamicContainer.dynamicContainer(FIXTURES.get(kind) + ".yaml", URI.create("classpath:/" + resource), tests.stream());
  }

  private static Triage.Item item(String where, Mapping item) {
    check(where, item, ITEM_FIELDS);
    String kind = text(item, "kind");
    String language = text(item, "language");
    if (kind == null || language == null) throw new FixtureError(where + ": item needs kind and language");
    Triage.Kind k = switch (kind) {
      case "report" -> Triage.Kind.REPORT;
      case "handoff" -> Triage.Kind.HANDOFF;
      default -> throw new FixtureError(where + ": item kind is report or handoff, not " + kind);
    };
    ReportAnswers answers = null;
    if (item.get("answers") instanceof Mapping a) {
      check(where, a, ANSWER_FIELDS);
      Map<String, String> saved = new HashMap<>();
      for (Entry e : a.entries().values()) saved.put(e.key(), ((Scalar) e.value()).value());
      answers = ReportAnswers.from(saved, "sms");
    } else if (k == Triage.Kind.REPORT) {
      throw new FixtureError(where + ": a report item needs answers");
    }
    String same = text(item, "samePlaceLastDay");
    return new Triage.Item(k, language, answers, same == null ? 0 : Integer.parseInt(same));
  }

  private static void expect(String where, Mapping e, Assessment a) {
    check(where, e, EXPECT_FIELDS);
    String priority = text(e, "priority");
    if (priority == null) throw new FixtureError(where + ": expect needs a priority");
    assertThat(a.priority()).as("%s: priority (fired %s)", where, a.fired()).isEqualTo(Priority.valueOf(priority));
    assertThat(a.flags()).as("%s: flags", where).containsExactlyElementsOf(new TreeSet<>(strings(e.get("flags"))));
    assertThat(a.ruleIds()).as("%s: fired rules, in order", where).containsExactlyElementsOf(strings(e.get("fired")));
    if (e.get("reasons") != null) {
      assertThat(a.fired().stream().map(Assessment.Fired::reason).toList()).as("%s: reasons", where)
          .containsExactlyElementsOf(strings(e.get("reasons")));
    }
  }

  @TestFactory
  Stream<DynamicTest> loadErrors() {
    String resource = "triage/load-errors.yaml";
    Mapping file = parse(resource, resourceText(resource));
    check(resource, file, Set.of("cases"));
    List<DynamicTest> tests = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    int n = 0;
    for (Mapping c : cases(resource, file)) {
      String where = resource + ":" + c.line();
      check(where, c, Set.of("name", "languages", "file", "problems"));
      String name = text(c, "name");
      if (name == null || !names.add(name)) throw new FixtureError(where + ": each case needs a unique name");
      String text = text(c, "file");
      if (text == null || c.get("problems") == null) throw new FixtureError(where + ": a case needs file and problems");
      Set<String> languages = c.get("languages") == null ? Set.of("en", "bn") : new LinkedHashSet<>(strings(c.get("languages")));
      Path dir = temp.resolve("case-" + (++n));
      tests.add(DynamicTest.dynamicTest(name, URI.create("classpath:/" + resource + "?line=" + c.line()), () -> {
        Files.createDirectories(dir);
        Path triageFile = dir.resolve("triage.yaml");
        Files.writeString(triageFile, text, StandardCharsets.UTF_8);
        Triage.Loaded loaded = Triage.load(triageFile, languages);
        List<String> problems = loaded.problems().stream().map(p -> p.toString().replace(dir + "/", "")).toList();
        assertThat(problems).as("%s: problems", where).containsExactlyElementsOf(strings(c.get("problems")));
        if (problems.isEmpty()) assertThat(loaded.triage()).as("%s: a clean file yields rules", where).isNotNull();
        else assertThat(loaded.triage()).as("%s: a file with problems yields no rules", where).isNull();
      }));
    }
    return tests.stream();
  }

  @Test
  void answerValuesAreTheReportFlowsValues() {
    Mapping flow = parse(REPORT_FLOW.toString(), read(REPORT_FLOW));
    Map<String, Set<String>> fromFlow = new HashMap<>();
    Mapping nodes = (Mapping) flow.get("nodes");
    for (Entry e : nodes.entries().values()) {
      Mapping node = (Mapping) e.value();
      if (!"choice".equals(text(node, "kind")) || text(node, "save") == null) continue;
      Set<String> values = new TreeSet<>();
      for (YamlTree o : ((Sequence) node.get("options")).items()) values.add(text((Mapping) o, "value"));
      fromFlow.put(text(node, "save"), values);
    }
    assertThat(fromFlow.keySet()).isEqualTo(Triage.CHOICE_ANSWERS.keySet());
    fromFlow.forEach((field, values) ->
        assertThat(new TreeSet<>(Triage.CHOICE_ANSWERS.get(field))).as("values of %s", field).isEqualTo(values));
  }

  @Test
  void theShippedRulesNeedAListForEveryEnabledLanguage() {
    Set<String> more = new LinkedHashSet<>(enabledLanguages());
    more.add("si");
    Triage.Loaded loaded = Triage.load(CONFIG, more);
    assertThat(loaded.ok()).isFalse();
    assertThat(loaded.problems()).isNotEmpty().allSatisfy(p -> {
      assertThat(p.file()).isEqualTo(CONFIG.toString());
      assertThat(p.message()).isEqualTo("no keyword list for enabled language 'si'; add one under keywords (people write in every enabled language)");
    });
  }

  // ---- fixture reading -----------------------------------------------------------------------

  static Set<String> enabledLanguages() {
    Mapping root = parse(LANGUAGES.toString(), read(LANGUAGES));
    Set<String> codes = new TreeSet<>();
    for (YamlTree l : ((Sequence) root.get("languages")).items()) {
      Mapping m = (Mapping) l;
      if (!"false".equals(text(m, "enabled"))) codes.add(text(m, "code"));
    }
    return codes;
  }

  /** Rule id to kind, as config/triage.yaml declares them. */
  static Map<String, String> ruleKinds() {
    Mapping root = parse(CONFIG.toString(), read(CONFIG));
    Map<String, String> kinds = new LinkedHashMap<>();
    for (YamlTree r : ((Sequence) root.get("rules")).items()) kinds.put(text((Mapping) r, "id"), text((Mapping) r, "kind"));
    return kinds;
  }

  private static List<Mapping> cases(String resource, Mapping file) {
    if (!(file.get("cases") instanceof Sequence cases) || cases.items().isEmpty()) {
      throw new FixtureError(resource + ": 'cases' must be a non-empty list");
    }
    List<Mapping> out = new ArrayList<>();
    for (YamlTree item : cases.items()) {
      if (!(item instanceof Mapping c)) throw new FixtureError(resource + ":" + item.line() + ": a case must be a mapping");
      out.add(c);
    }
    return out;
  }

  static void check(String where, Mapping m, Set<String> allowed) {
    for (Entry e : m.entries().values()) {
      if (!allowed.contains(e.key())) throw new FixtureError(where + ": unknown field '" + e.key() + "' (line " + e.line() + ")");
    }
  }

  static String text(Mapping m, String field) {
    YamlTree t = m.get(field);
    if (t == null) return null;
    if (t instanceof Scalar s) return s.value();
    throw new FixtureError("line " + t.line() + ": '" + field + "' must be a text");
  }

  static List<String> strings(YamlTree t) {
    if (t == null) return List.of();
    if (!(t instanceof Sequence s)) throw new FixtureError("line " + t.line() + ": expected a list");
    List<String> out = new ArrayList<>();
    for (YamlTree i : s.items()) {
      if (!(i instanceof Scalar sc)) throw new FixtureError("line " + i.line() + ": expected a text");
      out.add(sc.value());
    }
    return out;
  }

  static Mapping parse(String where, String text) {
    try {
      if (YamlTree.parse(text) instanceof Mapping m) return m;
      throw new FixtureError(where + ": expected a mapping");
    } catch (YamlTree.SyntaxError e) {
      throw new FixtureError(where + ":" + e.line + ": " + e.getMessage());
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String resourceText(String resource) {
    try (InputStream in = TriageTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new FixtureError("missing test resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
