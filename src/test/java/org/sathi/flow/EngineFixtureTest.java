package org.sathi.flow;
import org.sathi.flow.load.FlowLoader;
import org.sathi.config.YamlTree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;
import org.sathi.i18n.SmsSegments;
import org.sathi.i18n.SmsText;

/**
 * Runs the engine fixtures in {@code src/test/resources/engine/}: one file per node type, each a
 * small flow set and cases that drive {@link Engine} turn by turn, plus {@code load-errors.yaml},
 * whose cases are broken flow sets and the exact problems {@link FlowLoader} must report.
 *
 * <p>A fixture file:
 * <pre>
 * maxSegments: 3              # optional, the reply budget (default {@value #DEFAULT_MAX_SEGMENTS})
 * country: "880"              # optional, the caller's calling code (default none: the fallback numbers, no areas)
 * numbers: {emergency: "999"} # optional, the configured numbers (default {emergency: "999"})
 * languages: |                # optional, the whole languages.yaml (default engine/base/languages.yaml: English)
 * flows:                      # flows/NAME: the file's text, written as is
 *   main.yaml: |
 *     id: main
 *     ...
 * messages:                   # extra catalog lines per language, written ABOVE the base catalog
 *   en: |                     #   (engine/base/LANG.yaml: every engine key and word list), so line 1 is
 *     main.prompt: "Hi"       #   the first line here; a base key cannot be given again
 * files:                      # any other file, written as is (audio/bn/KEY.mp3: ""; config/directory.yaml for
 *                             #   a directory node; config/countries.yaml and config/places.yaml for an area
 *                             #   node); `name: ~` in a case: the file's not there
 * cases:
 *   - name: what the case shows
 *     knownBug: "..."         # optional: an engine bug; the case is skipped while it fails, and fails once it passes
 *     flows/messages/languages/files/numbers/maxSegments   # optional, override the file's (flows and files by name)
 *     inputs: [start, text: "1", digits: "2", timeout, back, resume, recording: "https://r/1", {recording: "https://r/2", seconds: "9"}, hangup,
 *              {start: bn, returning: "true"}]
 *     expect:                 # the step after the last input
 *       reply: "..."          # SmsText.render(step.prompts()), exactly
 *       replies: [...]        # or: every turn's reply, in order
 *       node: main.menu       # the node the conversation rests on; or wiped: true (Step.next() == null)
 *       invalid: 0            # invalid answers in a row (default 0)
 *       events: []            # every event, {type: SimpleName, field: value, ...} (default none)
 *       answers: {...}        # optional: the saved answers, exactly
 *       wait/language/ended/page/history   # optional
 *   - name: a load error
 *     problems: ["flows/main.yaml:3: ..."]   # instead of inputs: the loader's problems, exactly, paths relative
 * </pre>
 * A case whose first input is not {@code start} begins from {@code Conversation.fresh("en")}, as a
 * host would for a caller it has no conversation for. Every reply must fit the reply budget.
 */
class EngineFixtureTest {

  static final List<String> FIXTURES = List.of(
      "menu", "language", "question-choice", "question-number", "question-text", "info", "message", "followup",
      "report", "handoff", "end", "directory", "area", "areatext", "global-words", "voice-keys", "load-errors");

  /** The numbers abroad a directory node lists, within the case's folder. */
  static final String DIRECTORY = "config/directory.yaml";

  /**
   * Every kind of node in the registry has its fixture here, {@code engine/<type>.yaml} (or
   * {@code <type>-<variant>.yaml}, one per variant, as the question kinds have): a new kind without
   * one fails the build.
   */
  @org.junit.jupiter.api.Test
  void everyRegisteredNodeKindHasItsFixture() {
    for (org.sathi.flow.node.NodeKind kind : org.sathi.flow.node.NodeKinds.ALL) {
      List<String> fixtures = FIXTURES.stream().filter(f -> f.equals(kind.name()) || f.startsWith(kind.name() + "-")).toList();
      assertThat(fixtures).as("the engine fixture of node type '%s': add src/test/resources/engine/%s.yaml to FIXTURES", kind.name(), kind.name())
          .isNotEmpty();
      for (String f : fixtures) {
        assertThat(resourceText("engine/" + f + ".yaml"))
            .as("engine/%s.yaml must use a node of type %s", f, kind.name()).contains("type: " + kind.name());
      }
    }
  }

  static final int DEFAULT_MAX_SEGMENTS = 3;
  static final Map<String, String> DEFAULT_NUMBERS = Map.of("emergency", "999");
  static final List<String> BASE_LANGUAGES = List.of("en", "bn");

  static final Set<String> FILE_FIELDS = Set.of("maxSegments", "country", "numbers", "languages", "flows", "messages", "files", "cases");
  static final Set<String> CASE_FIELDS = Set.of("name", "knownBug", "maxSegments", "country", "numbers", "languages", "flows", "messages", "files", "inputs",
      "expect", "problems");
  static final Set<String> EXPECT_FIELDS = Set.of("reply", "replies", "node", "wiped", "invalid", "events", "answers", "wait", "language", "ended", "page", "history");

  /** A mistake in a fixture file, as opposed to a failed expectation. */
  static final class FixtureError extends IllegalArgumentException {
    FixtureError(String message) {
      super(message);
    }

    FixtureError(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @TempDir
  Path temp;

  private final AtomicInteger caseDirs = new AtomicInteger();

  /** {@code -Dengine.fixtures=menu,info} runs only those fixture files. */
  @TestFactory
  Stream<DynamicNode> engineFixtures() {
    String only = System.getProperty("engine.fixtures", "");
    Set<String> chosen = only.isBlank() ? Set.copyOf(FIXTURES) : Set.of(only.split(","));
    return FIXTURES.stream().filter(chosen::contains).map(this::fixture);
  }

  private DynamicNode fixture(String name) {
    String resource = "engine/" + name + ".yaml";
    Mapping file = parse(resource, resourceText(resource));
    check(resource, file, FILE_FIELDS);
    if (!(file.get("cases") instanceof Sequence cases) || cases.items().isEmpty()) {
      throw new FixtureError(resource + ": 'cases' must be a non-empty list");
    }
    List<DynamicTest> tests = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (YamlTree item : cases.items()) {
      if (!(item instanceof Mapping c)) throw new FixtureError(resource + ":" + item.line() + ": a case must be a mapping");
      String where = resource + ":" + c.line();
      check(where, c, CASE_FIELDS);
      String caseName = text(c, "name");
      if (caseName == null || !names.add(caseName)) throw new FixtureError(where + ": each case needs a unique name");
      URI source = URI.create("classpath:/" + resource + "?line=" + c.line());
      tests.add(DynamicTest.dynamicTest(caseName, source, () -> runCase(where, file, c)));
    }
    return DynamicContainer.dynamicContainer(name + ".yaml", URI.create("classpath:/" + resource), tests.stream());
  }

  private void runCase(String where, Mapping file, Mapping c) throws IOException {
    String knownBug = text(c, "knownBug");
    if (knownBug == null) {
      runChecks(where, file, c);
      return;
    }
    try {
      runChecks(where, file, c);
    } catch (FixtureError e) {
      throw e; // a broken fixture is never excused as a known bug
    } catch (AssertionError | RuntimeException e) {
      throw new TestAbortedException("known bug: " + knownBug + "\n" + e.getMessage(), e);
    }
    fail(where + ": this case passes now; remove its knownBug (" + knownBug + ")");
  }

  private void runChecks(String where, Mapping file, Mapping c) throws IOException {
    Path dir = Files.createDirectories(temp.resolve("case-" + caseDirs.incrementAndGet()));
    writeFlowSet(dir, file, c);
    int maxSegments = Integer.parseInt(pick(file, c, "maxSegments", String.valueOf(DEFAULT_MAX_SEGMENTS)));
    Map<String, String> numbers = c.get("numbers") != null ? stringMap(c.get("numbers"))
        : file.get("numbers") != null ? stringMap(file.get("numbers")) : DEFAULT_NUMBERS;
    FlowLoader.Result loaded = FlowLoader.load(dir, numbers, maxSegments, dir.resolve(DIRECTORY));
    List<String> problems = loaded.problems().stream().map(p -> relative(dir, p.toString())).toList();

    if (c.get("problems") != null) {
      assertThat(problems).as("%s: problems", where).containsExactlyElementsOf(strings(c.get("problems")));
      if (problems.isEmpty()) assertThat(loaded.bundle()).as("%s: a clean flow set yields a bundle", where).isNotNull();
      else assertThat(loaded.bundle()).as("%s: a flow set with problems yields no bundle", where).isNull();
      return;
    }
    assertThat(problems).as("%s: the fixture's flow set must load cleanly", where).isEmpty();
    assertThat(loaded.bundle()).isNotNull();

    AtomicInteger issued = new AtomicInteger();
    Engine engine = new Engine(loaded.bundle(), () -> "TEST-%04d".formatted(issued.incrementAndGet()), maxSegments);
    if (!(c.get("inputs") instanceof Sequence inputs) || inputs.items().isEmpty()) {
      throw new FixtureError(where + ": 'inputs' must be a non-empty list");
    }
    Conversation conversation = Conversation.fresh("en");
    String country = pick(file, c, "country", null);
    Step step = null;
    List<String> replies = new ArrayList<>();
    for (YamlTree raw : inputs.items()) {
      Input input = input(where, raw);
      if (conversation == null && !(input instanceof Input.Start)) {
        throw new FixtureError(where + ": after a wipe the next input must be start (a new contact)");
      }
      step = engine.advance(conversation == null ? Conversation.fresh("en") : conversation, input, country);
      String reply = SmsText.render(step.prompts());
      replies.add(reply);
      assertThat(SmsSegments.of(reply).segments())
          .as("%s: reply to %s must fit %d SMS segments:%n%s", where, input, maxSegments, reply)
          .isLessThanOrEqualTo(maxSegments);
      conversation = step.next();
    }
    expect(where, c, step, replies);
  }

  private void expect(String where, Mapping c, Step step, List<String> replies) {
    if (!(c.get("expect") instanceof Mapping e)) throw new FixtureError(where + ": 'expect' is missing");
    check(where, e, EXPECT_FIELDS);
    if (e.get("reply") == null && e.get("replies") == null) throw new FixtureError(where + ": expect needs reply or replies");
    if (e.get("reply") != null) {
      assertThat(replies.get(replies.size() - 1)).as("%s: reply", where).isEqualTo(text(e, "reply"));
    }
    if (e.get("replies") != null) {
      assertThat(replies).as("%s: replies, turn by turn", where).containsExactlyElementsOf(strings(e.get("replies")));
    }
    assertThat(events(step.events())).as("%s: events", where).isEqualTo(e.get("events") == null ? List.of() : plain(e.get("events")));

    Conversation next = step.next();
    if ("true".equals(text(e, "wiped"))) {
      assertThat(next).as("%s: the conversation is wiped (Step.next() == null)", where).isNull();
      assertThat(step.awaiting()).as("%s: wait", where).isEqualTo(Step.Wait.END);
      return;
    }
    assertThat(next).as("%s: the conversation is kept", where).isNotNull();
    if (e.get("node") == null) throw new FixtureError(where + ": expect needs node (or wiped: true)");
    assertThat(next.node()).as("%s: node", where).isEqualTo(text(e, "node"));
    assertThat(next.invalid()).as("%s: invalid answers in a row", where).isEqualTo(Integer.parseInt(pick(e, null, "invalid", "0")));
    if (e.get("answers") != null) assertThat(next.answers()).as("%s: answers", where).isEqualTo(stringMap(e.get("answers")));
    if (e.get("wait") != null) assertThat(step.awaiting()).as("%s: wait", where).isEqualTo(Step.Wait.valueOf(text(e, "wait")));
    if (e.get("language") != null) assertThat(next.language()).as("%s: language", where).isEqualTo(text(e, "language"));
    if (e.get("ended") != null) assertThat(next.ended()).as("%s: ended", where).isEqualTo(Boolean.parseBoolean(text(e, "ended")));
    if (e.get("page") != null) assertThat(next.page()).as("%s: page", where).isEqualTo(Integer.parseInt(text(e, "page")));
    if (e.get("history") != null) assertThat(next.history()).as("%s: history", where).containsExactlyElementsOf(strings(e.get("history")));
  }

  // ---- the flow set on disk --------------------------------------------------------------------

  private static void writeFlowSet(Path dir, Mapping file, Mapping c) throws IOException {
    String languages = pick(file, c, "languages", null);
    write(dir.resolve("languages.yaml"), languages != null ? languages : resourceText("engine/base/languages.yaml"));
    Files.createDirectories(dir.resolve("flows"));
    for (var f : merged(file, c, "flows").entrySet()) {
      if (f.getValue() != null) write(dir.resolve("flows").resolve(f.getKey()), f.getValue());
    }
    Map<String, String> messages = merged(file, c, "messages");
    Set<String> codes = new LinkedHashSet<>(BASE_LANGUAGES);
    codes.addAll(messages.keySet());
    for (String code : codes) {
      if (messages.containsKey(code) && messages.get(code) == null) continue; // `bn: ~` means no catalog at all
      String extra = messages.getOrDefault(code, "");
      if (!extra.isEmpty() && !extra.endsWith("\n")) extra += "\n";
      String base = BASE_LANGUAGES.contains(code) ? resourceText("engine/base/" + code + ".yaml") : "";
      write(dir.resolve("messages/" + code + ".yaml"), extra + base);
    }
    for (var f : merged(file, c, "files").entrySet()) {
      if (f.getValue() != null) write(dir.resolve(f.getKey()), f.getValue()); // `name: ~` means no such file
    }
  }

  private static Map<String, String> merged(Mapping file, Mapping c, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Mapping m : new Mapping[] {file, c}) {
      if (m.get(field) instanceof Mapping files) {
        for (Entry e : files.entries().values()) out.put(e.key(), scalar(e.value()));
      }
    }
    return out;
  }

  private static void write(Path path, String text) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, text, StandardCharsets.UTF_8);
  }

  private static String relative(Path dir, String problem) {
    return problem.replace(dir.toString() + dir.getFileSystem().getSeparator(), "");
  }

  // ---- inputs and events -----------------------------------------------------------------------

  private static Input input(String where, YamlTree raw) {
    if (raw instanceof Scalar s) {
      return switch (String.valueOf(s.value())) {
        case "start" -> new Input.Start("en", false);
        case "timeout" -> new Input.Timeout();
        case "hangup" -> new Input.Hangup();
        case "back" -> new Input.Back();
        case "resume" -> new Input.Resume();
        default -> throw new FixtureError(where + ": unknown input '" + s.value() + "'; write text: \"...\" for a text");
      };
    }
    if (raw instanceof Mapping m && m.get("start") != null) {
      return new Input.Start(text(m, "start"), "true".equals(text(m, "returning")));
    }
    if (raw instanceof Mapping m && m.get("recording") != null && m.get("seconds") != null) {
      return new Input.Recording(text(m, "recording"), Integer.valueOf(text(m, "seconds")));
    }
    if (raw instanceof Mapping m && m.entries().size() == 1) {
      Entry e = m.entries().values().iterator().next();
      String value = e.value() instanceof Scalar s && s.value() != null ? s.value() : "";
      return switch (e.key()) {
        case "text" -> new Input.Text(value);
        case "digits" -> new Input.Digits(value);
        case "recording" -> new Input.Recording(value);
        default -> throw new FixtureError(where + ":" + raw.line() + ": unknown input '" + e.key() + "'");
      };
    }
    throw new FixtureError(where + ":" + raw.line() + ": an input is start, timeout, hangup, back, resume, or one of text/digits/recording: VALUE");
  }

  /** Events as plain maps: {type: SimpleName, component: value, ...}, maps sorted by key. */
  static List<Object> events(List<Event> events) {
    List<Object> out = new ArrayList<>();
    for (Event event : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", event.getClass().getSimpleName());
      for (RecordComponent rc : event.getClass().getRecordComponents()) {
        try {
          Object value = rc.getAccessor().invoke(event);
          m.put(rc.getName(), value instanceof Map<?, ?> map ? new TreeMap<>(map) : value == null ? null : String.valueOf(value));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      out.add(m);
    }
    return out;
  }

  // ---- reading fixtures --------------------------------------------------------------------------

  private static Mapping parse(String name, String text) {
    try {
      if (YamlTree.parse(text) instanceof Mapping m) return m;
    } catch (YamlTree.SyntaxError e) {
      throw new FixtureError(name + ":" + e.line + ": " + e.getMessage(), e);
    }
    throw new FixtureError(name + ": expected a mapping");
  }

  private static String resourceText(String name) {
    try (InputStream in = EngineFixtureTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new FixtureError("no test resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A typo in a fixture must not quietly turn an assertion off. */
  private static void check(String where, Mapping m, Set<String> allowed) {
    for (Entry e : m.entries().values()) {
      if (!allowed.contains(e.key())) throw new FixtureError(where + ":" + e.line() + ": unknown fixture field '" + e.key() + "'; allowed: " + new java.util.TreeSet<>(allowed));
    }
  }

  private static String text(Mapping m, String field) {
    YamlTree t = m.get(field);
    if (t == null) return null;
    if (t instanceof Scalar s) return s.value() == null ? "" : s.value();
    throw new FixtureError("line " + t.line() + ": '" + field + "' must be a text");
  }

  private static String pick(Mapping file, Mapping c, String field, String fallback) {
    if (c != null && c.get(field) != null) return text(c, field);
    if (file.get(field) != null) return text(file, field);
    return fallback;
  }

  private static List<String> strings(YamlTree t) {
    if (!(t instanceof Sequence s)) throw new FixtureError("line " + t.line() + ": expected a list");
    return s.items().stream().map(EngineFixtureTest::scalar).toList();
  }

  private static Map<String, String> stringMap(YamlTree t) {
    if (!(t instanceof Mapping m)) throw new FixtureError("line " + t.line() + ": expected a mapping");
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : m.entries().values()) out.put(e.key(), scalar(e.value()));
    return out;
  }

  private static String scalar(YamlTree t) {
    if (t instanceof Scalar s) return s.value();
    throw new FixtureError("line " + t.line() + ": expected a text");
  }

  /** A fixture value as plain Java: texts, lists, and maps sorted by key. */
  private static Object plain(YamlTree t) {
    return switch (t) {
      case Scalar s -> s.value();
      case Sequence s -> s.items().stream().map(EngineFixtureTest::plain).toList();
      case Mapping m -> {
        Map<String, Object> out = new TreeMap<>();
        for (Entry e : m.entries().values()) out.put(e.key(), plain(e.value()));
        yield out;
      }
    };
  }
}
