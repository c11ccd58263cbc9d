package org.sathi.flow;

import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.sathi.flow.Node.Source;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Language;
import org.sathi.i18n.Languages;
import org.sathi.i18n.SmsSegments;
import org.sathi.i18n.SmsText;
import org.sathi.i18n.TtsVoices;

/**
 * Loads {@code ivr-flows/} and validates it whole: every problem is collected, each with
 * {@code file:line}, and a bundle is returned only when there are none.
 */
public final class FlowLoader {

  /**
   * @param largest per language, the largest reply the flows can produce, for operators to see the cost
   */
  public record Result(FlowBundle bundle, List<Problem> problems, Map<String, Largest> largest) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** The largest reply in one language: its size and what produces it. */
  public record Largest(SmsSegments size, String what) {}

  private final Map<String, Largest> largest = new LinkedHashMap<>();

  /** Keys the engine itself uses, whatever the flows say. */
  public static final List<String> ENGINE_KEYS = List.of(
      "common.more", "common.invalid.choice", "common.invalid.number", "common.invalid.text",
      "common.restart", "common.help", "common.exit", "common.welcome_back", "common.fallback");

  /** Keys the SMS host uses (following up a report by its code); text only, so no recordings are needed. */
  public static final List<String> SMS_KEYS = List.of(
      "followup.new", "followup.working", "followup.referred", "followup.closed", "followup.more",
      "followup.added", "followup.unknown", "followup.locked");

  /** Keys a call needs besides the flows' own, in every language callers can hear. */
  public static final List<String> VOICE_KEYS = List.of(
      "voice.option", "voice.language", "voice.fallback", "voice.connecting", "voice.noanswer", "voice.voicemail.done",
      "voice.goodbye", "voice.timeup");

  /** The engine's keys that a call can say (help, exit, welcome back and paging are SMS only). */
  static final List<String> VOICE_ENGINE_KEYS = List.of(
      "common.invalid.choice", "common.invalid.number", "common.invalid.text", "common.restart");

  /** A recorded option is its label's recording, then this recording with the digit: voice.press.1 says "press 1". */
  public static final String PRESS = "voice.press.";
  /** Optional: what the "press N" recordings say ({digit}), for ./sathi audio render. */
  public static final String PRESS_WORDING = "voice.press";
  /** What an officer hears on answering a hand-off, in the default language (the duty desk's). */
  public static final String SCREEN_KEY = "voice.screen";

  public static final List<String> WORD_KINDS = List.of("menu", "back", "help", "exit", "more", "dontknow");

  /** Placeholders the engine fills at run time; the rest must be configured numbers. */
  static final Set<String> RUNTIME_PLACEHOLDERS = Set.of("reference", "min", "max", "label", "digit");

  static final String SAMPLE_REFERENCE = "ABCD-EFGH";

  private final Path dir;
  private final Map<String, String> numbers;
  private final int maxSegments;
  private final List<Problem> problems = new ArrayList<>();

  private FlowLoader(Path dir, Map<String, String> numbers, int maxSegments) {
    this.dir = dir;
    this.numbers = numbers;
    this.maxSegments = maxSegments;
  }

  /** With the directory of numbers abroad at {@code config/directory.yaml} beside the flows' folder. */
  public static Result load(Path dir, Map<String, String> numbers, int maxSegmentsPerReply) {
    Path parent = dir.toAbsolutePath().getParent();
    return load(dir, numbers, maxSegmentsPerReply, parent == null ? Path.of("config/directory.yaml") : parent.resolve("config/directory.yaml"));
  }

  public static Result load(Path dir, Map<String, String> numbers, int maxSegmentsPerReply, Path directoryFile) {
    return load(dir, numbers, maxSegmentsPerReply, directoryFile, Set.of());
  }

  /**
   * @param beingRecorded languages whose recordings are being made now ({@code ./sathi audio render}):
   *                      their missing recordings are not problems
   */
  public static Result load(Path dir, Map<String, String> numbers, int maxSegmentsPerReply, Path directoryFile, Set<String> beingRecorded) {
    // Each caller's own country's numbers, from config/countries.yaml beside the directory; the
    // budget is checked with the longest number of each kind, so it holds for every country.
    Path countriesFile = directoryFile.resolveSibling("countries.yaml");
    org.sathi.config.Countries.Loaded countries = org.sathi.config.Countries.load(countriesFile, numbers);
    Map<String, String> widest = countries.countries().widest();
    FlowLoader loader = new FlowLoader(dir, widest, maxSegmentsPerReply);
    loader.problems.addAll(countries.problems());
    loader.countries = countries.countries();
    loader.countriesFile = countriesFile;
    loader.directoryFile = directoryFile;
    loader.beingRecorded = Set.copyOf(beingRecorded);
    return loader.run();
  }

  private Path directoryFile;
  private Path countriesFile;
  private org.sathi.config.Countries countries;
  private Set<String> beingRecorded = Set.of();
  private Directory directory = Directory.empty();

  private Result run() {
    Languages languages = loadLanguages();
    Map<String, Catalog> catalogs = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> keyLines = new HashMap<>();
    if (languages != null) {
      for (Language l : languages.enabled()) loadCatalog(l, catalogs, keyLines);
    }
    Map<String, Node> nodes = loadFlows();
    String mainMenu = null;
    if (nodes != null) {
      // A main.yaml that failed to parse has already been reported; "no main flow" would mislead.
      if (!flowStartIds.containsKey(FlowBundle.MAIN_FLOW)) {
        if (!unreadableFlows) {
          problems.add(new Problem(path("flows").toString(), 1, "there is no flow with id 'main'; add flows/main.yaml, the main menu every conversation returns to"));
        }
      } else {
        mainMenu = flowStartIds.get(FlowBundle.MAIN_FLOW);
        checkGraph(nodes, mainMenu);
      }
      if (nodes.values().stream().anyMatch(n -> n instanceof Node.CountryNumbers)) loadDirectory(languages);
      if (languages != null) checkMessages(nodes, languages, catalogs, keyLines);
    }
    if (languages != null && countries != null) {
      Map<String, String> served = new LinkedHashMap<>();
      for (Language l : languages.enabled()) for (String cc : l.countryCodes()) served.putIfAbsent(cc, "language " + l.code() + " (languages.yaml countryCodes)");
      problems.addAll(countries.missing(countriesFile.toString(), served));
    }
    if (!problems.isEmpty() || languages == null || nodes == null) {
      Collections.sort(problems);
      return new Result(null, List.copyOf(problems), Map.of());
    }
    // The budget is checked with the longest number of each kind; callers then get their own country's.
    FlowBundle bundle = new FlowBundle(languages, Map.copyOf(catalogs), Map.copyOf(nodes), mainMenu, Map.copyOf(recordings), directory);
    try {
      checkBudget(bundle, keyLines);
    } catch (RuntimeException e) {
      // The structure checks should make this impossible; if not, say so as a problem, not a stack trace.
      problems.add(new Problem(path("flows").toString(), 1, "the flows could not be rendered: " + e.getMessage()));
    }
    Collections.sort(problems);
    return new Result(problems.isEmpty() ? bundle.withCountries(countries) : null, List.copyOf(problems), Collections.unmodifiableMap(largest));
  }

  // ---- languages.yaml ----------------------------------------------------------------------

  private Languages loadLanguages() {
    Path file = path("languages.yaml");
    Mapping root = readMapping(file);
    if (root == null) return null;
    String f = file.toString();
    List<Language> enabled = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    YamlTree list = root.get("languages");
    if (!(list instanceof Sequence seq) || seq.items().isEmpty()) {
      problems.add(new Problem(f, root.line(), "'languages' must be a list of at least one language"));
      return null;
    }
    Map<String, Integer> substitutes = new LinkedHashMap<>();
    Map<String, Language> all = new LinkedHashMap<>();
    for (YamlTree item : seq.items()) {
      if (!(item instanceof Mapping m)) {
        problems.add(new Problem(f, item.line(), "each language must be a mapping with code, name, scripts, voice"));
        continue;
      }
      allowOnly(f, m, Set.of("code", "name", "enabled", "scripts", "countryCodes", "voice", "review"));
      String code = string(f, m, "code", true);
      String name = string(f, m, "name", true);
      if (code == null || name == null) continue;
      if (!code.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
        problems.add(new Problem(f, m.entries().get("code").line(), "language code '" + code + "' is not a BCP-47 code such as 'bn' or 'ne'"));
      }
      if (!codes.add(code)) problems.add(new Problem(f, m.line(), "language '" + code + "' is declared twice"));
      List<Character.UnicodeScript> scripts = new ArrayList<>();
      for (Scalar s : scalars(f, m, "scripts")) {
        try {
          scripts.add(Character.UnicodeScript.forName(s.value()));
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(f, s.line(), "unknown Unicode script '" + s.value() + "' (use names like LATIN, BENGALI, DEVANAGARI)"));
        }
      }
      List<String> countryCodes = new ArrayList<>();
      for (Scalar s : scalars(f, m, "countryCodes")) {
        if (s.value() == null || !s.value().matches("[1-9][0-9]{0,3}")) {
          problems.add(new Problem(f, s.line(), "calling code '" + s.value() + "' must be digits without '+', such as \"880\""));
        } else {
          countryCodes.add(s.value());
        }
      }
      Language.Voice voice = voice(f, m, code, substitutes);
      String review = string(f, m, "review", false);
      Language language = new Language(code, name, List.copyOf(scripts), List.copyOf(countryCodes), voice, review);
      all.put(code, language);
      if (bool(f, m, "enabled", true)) enabled.add(language);
    }
    for (var e : substitutes.entrySet()) {
      Language sub = all.get(e.getKey().split(">")[1]);
      if (sub == null || !enabled.contains(sub) || sub.voice() == null || sub.voice().tts() == null || !TtsVoices.speaks(sub.voice().locale())) {
        problems.add(new Problem(f, e.getValue(), "voice substitute '" + e.getKey().split(">")[1] + "' must be an enabled language with a tts voice"));
      }
    }
    String def = string(f, root, "default", true);
    Language fallback = enabled.stream().filter(l -> l.code().equals(def)).findFirst().orElse(null);
    if (def != null && fallback == null) {
      problems.add(new Problem(f, root.entries().get("default").line(), "default language '" + def + "' is not an enabled language"));
    }
    if (enabled.isEmpty()) problems.add(new Problem(f, seq.line(), "no language is enabled"));
    return fallback == null ? null : new Languages(List.copyOf(enabled), fallback);
  }

  private Language.Voice voice(String f, Mapping m, String code, Map<String, Integer> substitutes) {
    YamlTree v = m.get("voice");
    if (!(v instanceof Mapping vm)) {
      problems.add(new Problem(f, v == null ? m.line() : v.line(), "language '" + code + "' needs a voice: tts, substitute or recorded (a call must never be silent)"));
      return null;
    }
    allowOnly(f, vm, Set.of("tts", "locale", "substitute", "recorded", "smsOnly"));
    String tts = string(f, vm, "tts", false);
    String locale = string(f, vm, "locale", false);
    String substitute = string(f, vm, "substitute", false);
    boolean recorded = bool(f, vm, "recorded", false);
    boolean smsOnly = bool(f, vm, "smsOnly", false);
    int ways = (tts != null ? 1 : 0) + (substitute != null ? 1 : 0) + (recorded ? 1 : 0) + (smsOnly ? 1 : 0);
    if (ways != 1) {
      problems.add(new Problem(f, vm.line(), "language '" + code + "' voice must have exactly one of tts, substitute, recorded: true or smsOnly: true"));
    }
    if (tts != null && locale == null) {
      problems.add(new Problem(f, vm.line(), "language '" + code + "' tts voice needs a locale, such as bn-IN"));
    }
    if (tts != null && locale != null && !TtsVoices.speaks(locale)) {
      problems.add(new Problem(f, vm.line(), "language '" + code + "': Twilio has no text-to-speech for locale '" + locale
          + "'; record its prompts (recorded: true), declare a substitute, or set smsOnly: true"));
    } else if (tts != null && TtsVoices.voice(tts).isEmpty()) {
      problems.add(new Problem(f, vm.line(), "language '" + code + "': '" + tts + "' is not a Twilio voice (see the <Say> voices, such as Polly.Aditi or Google.bn-IN-Standard-A)"));
    }
    if (substitute != null) substitutes.put(code + ">" + substitute, vm.line());
    voiceLines.put(code, vm.line());
    return new Language.Voice(tts, locale, substitute, recorded, smsOnly);
  }

  private final Map<String, Integer> voiceLines = new HashMap<>();

  // ---- messages/<code>.yaml ----------------------------------------------------------------

  private void loadCatalog(Language language, Map<String, Catalog> catalogs, Map<String, Map<String, Integer>> keyLines) {
    Path file = path("messages/" + language.code() + ".yaml");
    String f = file.toString();
    if (!Files.exists(file)) {
      problems.add(new Problem(f, 1, "language '" + language.code() + "' is enabled but has no catalog; create " + f));
      return;
    }
    Mapping root = readMapping(file);
    if (root == null) return;
    Map<String, String> messages = new LinkedHashMap<>();
    Map<String, List<String>> words = new LinkedHashMap<>();
    Map<String, Integer> lines = new HashMap<>();
    for (Entry e : root.entries().values()) {
      lines.put(e.key(), e.line());
      if (e.key().startsWith("words.")) {
        String kind = e.key().substring("words.".length());
        if (!WORD_KINDS.contains(kind)) {
          problems.add(new Problem(f, e.line(), "unknown word list '" + e.key() + "'; known: words." + String.join(", words.", WORD_KINDS)));
        }
        List<String> list = new ArrayList<>();
        if (e.value() instanceof Sequence s) {
          for (YamlTree w : s.items()) {
            if (w instanceof Scalar sc && sc.value() != null && !sc.value().isBlank()) list.add(sc.value());
            else problems.add(new Problem(f, w.line(), e.key() + " must be a list of words"));
          }
        } else {
          problems.add(new Problem(f, e.line(), e.key() + " must be a list, such as [menu, m]"));
        }
        words.put(kind, List.copyOf(list));
      } else if (e.value() instanceof Scalar s && s.value() != null) {
        messages.put(e.key(), s.value());
        Matcher m = Catalog.PLACEHOLDER.matcher(s.value());
        while (m.find()) {
          String name = m.group(1);
          if (!RUNTIME_PLACEHOLDERS.contains(name) && !numbers.containsKey(name) && !org.sathi.config.Countries.KINDS.contains(name)) {
            problems.add(new Problem(f, e.line(), "'" + e.key() + "' uses {" + name + "}, which is neither a kind of number of config/countries.yaml (" + String.join(", ", org.sathi.config.Countries.KINDS) + ") nor one of {reference}, {min}, {max}"));
          }
        }
      } else {
        problems.add(new Problem(f, e.line(), "'" + e.key() + "' must be a text"));
      }
    }
    for (String key : ENGINE_KEYS) {
      if (!messages.containsKey(key)) problems.add(new Problem(f, 1, "message key '" + key + "' is missing (the engine uses it)"));
    }
    for (String key : SMS_KEYS) {
      if (!messages.containsKey(key)) problems.add(new Problem(f, 1, "message key '" + key + "' is missing (SMS follow-up uses it)"));
    }
    if (language.spoken()) {
      for (String key : VOICE_KEYS) {
        if (!messages.containsKey(key)) problems.add(new Problem(f, 1, "message key '" + key + "' is missing (calls use it)"));
      }
    }
    for (var need : Map.of("voice.option", List.of("{label}", "{digit}"), "voice.language", List.of("{digit}")).entrySet()) {
      String text = messages.get(need.getKey());
      for (String p : need.getValue()) {
        if (text != null && !text.contains(p)) {
          problems.add(new Problem(f, lines.get(need.getKey()), "'" + need.getKey() + "' must say " + p + ", or callers never hear which key to press"));
        }
      }
    }
    for (var e : messages.keySet()) {
      if (e.startsWith("voice.") && !VOICE_KEYS.contains(e) && !e.equals(PRESS_WORDING) && !e.equals(SCREEN_KEY)
          && !messages.containsKey(e.substring("voice.".length()))) {
        problems.add(new Problem(f, lines.get(e), "'" + e + "' is the call's wording of '" + e.substring("voice.".length())
            + "', which is not a message key here; fix the name or remove it"));
      }
    }
    for (String kind : WORD_KINDS) {
      if (!words.containsKey(kind)) problems.add(new Problem(f, 1, "word list 'words." + kind + "' is missing"));
    }
    catalogs.put(language.code(), new Catalog(language.code(), Map.copyOf(messages), Map.copyOf(words), Map.copyOf(numbers)));
    keyLines.put(language.code(), lines);
  }

  // ---- flows/*.yaml ------------------------------------------------------------------------

  private final Map<String, String> flowStartIds = new HashMap<>();
  private boolean unreadableFlows;
  /** Message keys each node uses, with where. */
  private final List<KeyUse> keyUses = new ArrayList<>();
  /** Unresolved targets, checked once every flow is read. */
  private final List<Target> targets = new ArrayList<>();

  private record KeyUse(String key, Source source) {}

  private record Target(String flow, String raw, Source source) {}

  private Map<String, Node> loadFlows() {
    Path flowsDir = path("flows");
    List<Path> files;
    try (Stream<Path> s = Files.list(flowsDir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      problems.add(new Problem(flowsDir.toString(), 1, "cannot list flows: " + e.getMessage()));
      return null;
    }
    if (files.size() > Limits.MAX_FLOWS) {
      problems.add(new Problem(flowsDir.toString(), 1, files.size() + " flows; at most " + Limits.MAX_FLOWS + " (Limits.MAX_FLOWS)"));
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    Map<String, String> flowFiles = new HashMap<>();
    for (Path file : files) {
      Mapping root = readMapping(file);
      if (root == null) {
        unreadableFlows = true;
        continue;
      }
      String f = file.toString();
      allowOnly(f, root, Set.of("id", "start", "nodes"));
      String flow = string(f, root, "id", true);
      String start = string(f, root, "start", true);
      if (flow == null) continue;
      if (!flow.matches("[a-z][a-z0-9_]*")) problems.add(new Problem(f, root.entries().get("id").line(), "flow id '" + flow + "' must be lower case letters, digits, _"));
      if (flowFiles.containsKey(flow)) {
        problems.add(new Problem(f, root.entries().get("id").line(), "flow id '" + flow + "' is also used by " + flowFiles.get(flow)));
        continue;
      }
      flowFiles.put(flow, f);
      YamlTree nodesTree = root.get("nodes");
      if (!(nodesTree instanceof Mapping nm) || nm.entries().isEmpty()) {
        problems.add(new Problem(f, nodesTree == null ? root.line() : nodesTree.line(), "'nodes' must map node ids to nodes"));
        continue;
      }
      if (nm.entries().size() > Limits.MAX_NODES_PER_FLOW) {
        problems.add(new Problem(f, nm.line(), nm.entries().size() + " nodes; at most " + Limits.MAX_NODES_PER_FLOW + " per flow (Limits.MAX_NODES_PER_FLOW)"));
      }
      for (Entry e : nm.entries().values()) {
        Source src = new Source(f, e.line());
        if (!e.key().matches("[a-z][a-z0-9_]*")) problems.add(new Problem(f, e.line(), "node id '" + e.key() + "' must be lower case letters, digits, _"));
        if (!(e.value() instanceof Mapping m)) {
          problems.add(new Problem(f, e.line(), "node '" + e.key() + "' must be a mapping with a type"));
          continue;
        }
        Node node = readNode(flow, flow + "." + e.key(), m, src);
        if (node != null) nodes.put(node.id(), node);
      }
      if (start != null) {
        flowStartIds.put(flow, flow + "." + start);
        if (!nm.entries().containsKey(start)) problems.add(new Problem(f, root.entries().get("start").line(), "start node '" + start + "' is not one of this flow's nodes"));
      }
    }
    for (Target t : targets) {
      if (!nodes.containsKey(qualify(t.flow(), t.raw()))) {
        problems.add(new Problem(t.source().file(), t.source().line(), "exit to missing node '" + t.raw() + "'" + hintTarget(t.raw())));
      }
    }
    return nodes;
  }

  private static String hintTarget(String raw) {
    return raw.contains(".") ? "" : " (a node of another flow is written flow.node)";
  }

  static String qualify(String flow, String raw) {
    return raw.contains(".") ? raw : flow + "." + raw;
  }

  private static final Map<String, Set<String>> FIELDS = Map.of(
      "menu", Set.of("type", "prompt", "options", "invalid", "timeout", "timeoutSeconds"),
      "language", Set.of("type", "prompt", "next", "invalid", "timeout", "timeoutSeconds"),
      "question", Set.of("type", "kind", "prompt", "options", "min", "max", "dontKnow", "maxLength", "save", "next", "invalid", "timeout",
          "timeoutSeconds"),
      "info", Set.of("type", "content", "done", "next", "invalid", "timeout", "timeoutSeconds"),
      "message", Set.of("type", "text", "next"),
      "report", Set.of("type", "message", "next"),
      "handoff", Set.of("type", "message", "next"),
      "end", Set.of("type", "message"),
      "followup", Set.of("type", "prompt", "invalid", "timeout", "timeoutSeconds"),
      "directory", Set.of("type", "prompt", "done", "next", "invalid", "timeout", "timeoutSeconds"));

  private Node readNode(String flow, String id, Mapping m, Source src) {
    String f = src.file();
    String type = string(f, m, "type", true);
    if (type == null) return null;
    if (!FIELDS.containsKey(type)) {
      problems.add(new Problem(f, m.entries().get("type").line(), "unknown node type '" + type + "'; known types: " + String.join(", ", new TreeMap<>(FIELDS).keySet())));
      return null;
    }
    allowOnly(f, m, FIELDS.get(type));
    String main = null; // no invalid/timeout target: the engine sends the caller to the main menu
    return switch (type) {
      case "menu" -> {
        // A menu must say where a caller goes after three invalid answers and after silence.
        String invalid = target(flow, f, m, "invalid", true, null);
        String timeout = target(flow, f, m, "timeout", true, null);
        yield new Node.Menu(id, key(f, m, "prompt", true, src), options(flow, f, m, src, true), invalid, timeout, seconds(f, m), src);
      }
      case "language" -> new Node.LanguageChoice(id, key(f, m, "prompt", true, src), target(flow, f, m, "next", true, null),
          target(flow, f, m, "invalid", false, main), target(flow, f, m, "timeout", false, main), seconds(f, m), src);
      case "question" -> question(flow, id, m, src, main);
      case "info" -> new Node.Info(id, key(f, m, "content", true, src), orDefault(key(f, m, "done", false, src), "common.continue", src),
          target(flow, f, m, "next", true, null), target(flow, f, m, "invalid", false, main), target(flow, f, m, "timeout", false, main),
          seconds(f, m), src);
      case "message" -> new Node.Message(id, key(f, m, "text", true, src), target(flow, f, m, "next", true, null), src);
      case "report" -> new Node.SubmitReport(id, key(f, m, "message", true, src), target(flow, f, m, "next", true, null), src);
      case "handoff" -> new Node.Handoff(id, key(f, m, "message", true, src), target(flow, f, m, "next", true, null), src);
      case "end" -> new Node.End(id, key(f, m, "message", false, src), src);
      case "directory" -> new Node.CountryNumbers(id, key(f, m, "prompt", true, src), orDefault(key(f, m, "done", false, src), "common.continue", src),
          target(flow, f, m, "next", true, null), target(flow, f, m, "invalid", false, main), target(flow, f, m, "timeout", false, main),
          seconds(f, m), src);
      case "followup" -> new Node.FollowUp(id, key(f, m, "prompt", true, src), target(flow, f, m, "invalid", false, main),
          target(flow, f, m, "timeout", false, main), seconds(f, m), src);
      default -> null;
    };
  }

  private String orDefault(String key, String fallback, Source src) {
    if (key != null) return key;
    keyUses.add(new KeyUse(fallback, src));
    return fallback;
  }

  private Node question(String flow, String id, Mapping m, Source src, String main) {
    String f = src.file();
    String kindName = string(f, m, "kind", true);
    Node.QuestionKind kind = null;
    if (kindName != null) {
      try {
        kind = Node.QuestionKind.valueOf(kindName.toUpperCase());
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(f, m.entries().get("kind").line(), "unknown question kind '" + kindName + "'; known kinds: text, choice, number"));
      }
    }
    String prompt = key(f, m, "prompt", true, src);
    String save = string(f, m, "save", true);
    String next = target(flow, f, m, "next", true, null);
    List<Node.Option> options = kind == Node.QuestionKind.CHOICE ? options(flow, f, m, src, false) : List.of();
    if (kind != Node.QuestionKind.CHOICE && m.get("options") != null) {
      problems.add(new Problem(f, m.get("options").line(), "only a choice question has options"));
    }
    int min = integer(f, m, "min", 0);
    int max = integer(f, m, "max", kind == Node.QuestionKind.NUMBER ? Integer.MIN_VALUE : 0);
    if (kind == Node.QuestionKind.NUMBER) {
      if (m.get("max") == null) problems.add(new Problem(f, m.line(), "a number question needs 'max' (and 'min', default 0)"));
      else if (max < min) problems.add(new Problem(f, m.get("max").line(), "max " + max + " is below min " + min));
    }
    int maxLength = integer(f, m, "maxLength", 500);
    if (maxLength < 1 || maxLength > Limits.MAX_TEXT_ANSWER) {
      problems.add(new Problem(f, m.get("maxLength").line(), "maxLength must be 1.." + Limits.MAX_TEXT_ANSWER));
    }
    boolean dontKnow = bool(f, m, "dontKnow", false);
    if (kind == null) return null;
    return new Node.Question(id, kind, prompt, options, min, max, dontKnow, maxLength, save, next,
        target(flow, f, m, "invalid", false, main), target(flow, f, m, "timeout", false, main), seconds(f, m), src);
  }

  /** How long a call waits for keys at a node: 0 (the configured default) or 1..{@value Limits#MAX_TIMEOUT_SECONDS}. */
  private int seconds(String f, Mapping m) {
    int s = integer(f, m, "timeoutSeconds", 0);
    if (m.get("timeoutSeconds") != null && (s < 1 || s > Limits.MAX_TIMEOUT_SECONDS)) {
      problems.add(new Problem(f, m.get("timeoutSeconds").line(), "timeoutSeconds must be 1.." + Limits.MAX_TIMEOUT_SECONDS));
      return 0;
    }
    return s;
  }

  private List<Node.Option> options(String flow, String f, Mapping m, Source src, boolean isMenu) {
    YamlTree t = m.get("options");
    if (!(t instanceof Sequence seq) || seq.items().isEmpty()) {
      problems.add(new Problem(f, t == null ? m.line() : t.line(), "'options' must be a list of { digit, label, " + (isMenu ? "goto" : "value") + " }"));
      return List.of();
    }
    if (seq.items().size() > Limits.MAX_OPTIONS_PER_MENU) {
      problems.add(new Problem(f, seq.line(), seq.items().size() + " options; at most " + Limits.MAX_OPTIONS_PER_MENU + " (one digit each)"));
    }
    List<Node.Option> options = new ArrayList<>();
    Set<String> digits = new HashSet<>();
    for (YamlTree item : seq.items()) {
      if (!(item instanceof Mapping om)) {
        problems.add(new Problem(f, item.line(), "an option must be a mapping { digit, label, ... }"));
        continue;
      }
      Source os = new Source(f, om.line());
      allowOnly(f, om, Set.of("digit", "label", "goto", "value"));
      String digit = string(f, om, "digit", true);
      if (digit != null && !digit.matches("[0-9]")) problems.add(new Problem(f, om.line(), "option digit '" + digit + "' must be one digit 0-9"));
      if (digit != null && !digits.add(digit)) problems.add(new Problem(f, om.line(), "digit " + digit + " is used twice in this list"));
      String label = key(f, om, "label", true, os);
      String target = target(flow, f, om, "goto", isMenu, null);
      String value = string(f, om, "value", !isMenu);
      options.add(new Node.Option(digit, label, target, value, os));
    }
    return List.copyOf(options);
  }

  // ---- config/directory.yaml ------------------------------------------------------------------

  /** Countries a directory node may list: one digit each. */
  static final int MAX_COUNTRIES = 9;
  static final java.util.regex.Pattern PHONE = java.util.regex.Pattern.compile("\\+?[0-9][0-9 ()-]{1,19}");

  private void loadDirectory(Languages languages) {
    String f = directoryFile.toString();
    if (!Files.exists(directoryFile)) {
      problems.add(new Problem(f, 1, "a flow has a directory node, but there is no " + f + "; create it (see the sample in the project)"));
      return;
    }
    Mapping root = readMapping(directoryFile);
    if (root == null) return;
    allowOnly(f, root, Set.of("countries"));
    if (!(root.get("countries") instanceof Sequence seq) || seq.items().isEmpty()) {
      problems.add(new Problem(f, root.line(), "'countries' must be a list of at least one country"));
      return;
    }
    if (seq.items().size() > MAX_COUNTRIES) {
      problems.add(new Problem(f, seq.line(), seq.items().size() + " countries; at most " + MAX_COUNTRIES + " (one digit each)"));
    }
    List<Directory.Country> countries = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    for (YamlTree item : seq.items()) {
      if (!(item instanceof Mapping m)) {
        problems.add(new Problem(f, item.line(), "a country is a mapping: code, sample, emergency, police, helpline, embassy"));
        continue;
      }
      allowOnly(f, m, Set.of("code", "sample", "emergency", "police", "helpline", "embassy"));
      String code = string(f, m, "code", true);
      if (code == null) continue;
      if (!code.matches("[A-Z]{2}")) problems.add(new Problem(f, m.entries().get("code").line(), "country code '" + code + "' must be two capital letters (ISO 3166), such as MY"));
      if (!codes.add(code)) problems.add(new Problem(f, m.line(), "country " + code + " is listed twice"));
      Map<String, String> numbers = new LinkedHashMap<>();
      for (String kind : List.of("emergency", "police", "helpline")) {
        String n = string(f, m, kind, false);
        if (n != null && !PHONE.matcher(n).matches()) problems.add(new Problem(f, m.entries().get(kind).line(), "'" + n + "' is not a phone number"));
        if (n != null) numbers.put(kind, n);
      }
      Map<String, String> embassy = new LinkedHashMap<>();
      YamlTree e = m.get("embassy");
      if (e instanceof Mapping em) {
        for (Entry en : em.entries().values()) {
          String n = en.value() instanceof Scalar sc ? sc.value() : null;
          if (languages != null && languages.byCode(en.key()).isEmpty()) {
            problems.add(new Problem(f, en.line(), "embassy numbers are by the caller's language; '" + en.key() + "' is not an enabled language"));
          } else if (n == null || !PHONE.matcher(n).matches()) {
            problems.add(new Problem(f, en.line(), "the embassy number for " + en.key() + " is not a phone number"));
          } else {
            embassy.put(en.key(), n);
          }
        }
      } else if (e != null) {
        problems.add(new Problem(f, e.line(), "'embassy' maps a language to the number of its country's embassy, such as { bn: \"+60 3 0000 0000\" }"));
      }
      if (numbers.isEmpty() && embassy.isEmpty()) problems.add(new Problem(f, m.line(), "country " + code + " has no number"));
      Source src = new Source(f, m.line());
      countries.add(new Directory.Country(code, bool(f, m, "sample", false), Map.copyOf(numbers), Map.copyOf(embassy), src));
      keyUses.add(new KeyUse("country." + code, src));
    }
    for (String kind : Directory.KINDS) keyUses.add(new KeyUse("directory." + kind, new Source(f, root.line())));
    directory = new Directory(List.copyOf(countries));
  }

  /** Countries of the directory whose numbers are samples, not verified. */
  public static long samples(FlowBundle bundle) {
    return bundle.directory().countries().stream().filter(Directory.Country::sample).count();
  }

  // ---- whole-graph checks --------------------------------------------------------------------

  private void checkGraph(Map<String, Node> nodes, String mainMenu) {
    // Reachability from the main menu.
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(mainMenu));
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (!seen.add(id) || !nodes.containsKey(id)) continue;
      todo.addAll(exits(nodes.get(id)));
    }
    for (Node n : nodes.values()) {
      if (!seen.contains(n.id())) {
        problems.add(new Problem(n.source().file(), n.source().line(), "node '" + n.id() + "' is unreachable from the main menu; link to it or remove it"));
      }
    }
    // A loop through nodes that never wait would spin forever within one turn.
    Map<String, Integer> state = new HashMap<>();
    for (Node n : nodes.values()) findLoop(n.id(), nodes, state, new ArrayList<>());
  }

  private void findLoop(String id, Map<String, Node> nodes, Map<String, Integer> state, List<String> path) {
    Node n = nodes.get(id);
    if (n == null || n instanceof Node.Waiting || n instanceof Node.End) return;
    Integer s = state.get(id);
    if (s != null && s == 2) return;
    if (s != null && s == 1) {
      List<String> loop = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
      loop.add(id);
      problems.add(new Problem(n.source().file(), n.source().line(), "loop without an exit: " + String.join(" -> ", loop) + " never waits for the caller"));
      return;
    }
    state.put(id, 1);
    path.add(id);
    for (String next : exits(n)) findLoop(next, nodes, state, path);
    path.remove(path.size() - 1);
    state.put(id, 2);
  }

  static List<String> exits(Node n) {
    List<String> out = new ArrayList<>();
    switch (n) {
      case Node.Menu m -> {
        m.options().forEach(o -> out.add(o.target()));
        out.add(m.invalid());
        out.add(m.timeout());
      }
      case Node.LanguageChoice l -> java.util.Collections.addAll(out, l.next(), l.invalid(), l.timeout());
      case Node.Question q -> {
        q.options().forEach(o -> out.add(o.target()));
        java.util.Collections.addAll(out, q.next(), q.invalid(), q.timeout());
      }
      case Node.Info i -> java.util.Collections.addAll(out, i.next(), i.invalid(), i.timeout());
      case Node.FollowUp u -> java.util.Collections.addAll(out, u.invalid(), u.timeout());
      case Node.CountryNumbers c -> java.util.Collections.addAll(out, c.next(), c.invalid(), c.timeout());
      case Node.Message m -> out.add(m.next());
      case Node.SubmitReport r -> out.add(r.next());
      case Node.Handoff h -> out.add(h.next());
      case Node.End e -> {}
    }
    out.removeIf(java.util.Objects::isNull);
    return out;
  }

  private void checkMessages(Map<String, Node> nodes, Languages languages, Map<String, Catalog> catalogs, Map<String, Map<String, Integer>> keyLines) {
    for (KeyUse use : keyUses) {
      for (Language l : languages.enabled()) {
        Catalog c = catalogs.get(l.code());
        if (c != null && !c.has(use.key())) {
          problems.add(new Problem(use.source().file(), use.source().line(), "message key '" + use.key() + "' is missing in " + l.code() + " (" + path("messages/" + l.code() + ".yaml") + ")"));
        }
      }
    }
    checkVoices(nodes, languages, catalogs);
    checkWords(languages, catalogs, keyLines);
  }

  /**
   * A word that works everywhere must mean one thing: in each language, against its own lists and
   * the default language's (which work in every language), no word may be in two lists. "x" meaning
   * both exit and back would wipe a conversation the caller meant to go back in.
   */
  private void checkWords(Languages languages, Map<String, Catalog> catalogs, Map<String, Map<String, Integer>> keyLines) {
    Catalog fallback = catalogs.get(languages.fallback().code());
    for (Language l : languages.enabled()) {
      Catalog c = catalogs.get(l.code());
      if (c == null || fallback == null) continue;
      Map<String, String> kindOf = new HashMap<>();
      for (Catalog source : List.of(c, fallback)) {
        for (String kind : WORD_KINDS) {
          for (String w : source.words(kind)) {
            String n = Engine.normalize(w);
            String before = kindOf.putIfAbsent(n, kind);
            if (before != null && !before.equals(kind)) {
              // The line of this language's own list: the clash may come from the default language's words.
              Integer line = keyLines.getOrDefault(l.code(), Map.of()).get("words." + (source == fallback && c != fallback ? before : kind));
              problems.add(new Problem(path("messages/" + l.code() + ".yaml").toString(), line == null ? 1 : line,
                  "'" + w + "' is in words." + before + " and words." + kind + (source == fallback && c != fallback ? " (the "
                  + languages.fallback().code() + " words work in every language)" : "") + "; a word must mean one thing"));
            }
          }
        }
      }
    }
  }

  /** Audio files under audio/<code>/, by message key (the file name without .mp3 or .wav). */
  private final Map<String, Map<String, String>> recordings = new LinkedHashMap<>();

  static final int MAX_PROMPT_PROBLEMS_PER_LANGUAGE = 10;

  /**
   * Every prompt a call can play, in every language callers can hear, must have a source: its
   * recording, the language's TTS voice, or its substitute's. Recordings-only languages need a file
   * for every prompt, and "press N" for every digit a menu offers.
   */
  private void checkVoices(Map<String, Node> nodes, Languages languages, Map<String, Catalog> catalogs) {
    Map<String, Source> where = new HashMap<>();
    for (KeyUse use : keyUses) where.putIfAbsent(use.key(), use.source());
    Source languagesFile = new Source(path("languages.yaml").toString(), 1);
    Language desk = languages.fallback();
    Catalog deskCatalog = catalogs.get(desk.code());
    if (deskCatalog != null && !deskCatalog.has(SCREEN_KEY)) {
      problems.add(new Problem(path("messages/" + desk.code() + ".yaml").toString(), 1,
          "message key '" + SCREEN_KEY + "' is missing: officers hear it when they answer a hand-off (press 1 to take the call)"));
    }
    if (desk.voice() != null && desk.voice().smsOnly()) {
      problems.add(new Problem(path("languages.yaml").toString(), voiceLines.getOrDefault(desk.code(), 1),
          "the default language '" + desk.code() + "' must have a voice: calls fall back to it"));
    }
    Set<String> keys = promptKeys(nodes, languages.enabled().size(), directory);
    for (Language l : languages.enabled()) {
      Map<String, String> files = scanAudio(l.code());
      recordings.put(l.code(), files);
      if (!l.spoken() || !l.voice().recorded() || beingRecorded.contains(l.code())) continue;
      if (l == desk && !files.containsKey(SCREEN_KEY)) {
        problems.add(new Problem(path("languages.yaml").toString(), voiceLines.getOrDefault(desk.code(), 1),
            "voice prompt '" + SCREEN_KEY + "' in " + desk.code() + " has no recording: officers hear it when they answer a hand-off"));
      }
      List<String> missing = keys.stream().filter(k -> !files.containsKey(k)).toList();
      Integer line = voiceLines.get(l.code());
      for (String k : missing.subList(0, Math.min(missing.size(), MAX_PROMPT_PROBLEMS_PER_LANGUAGE))) {
        Source src = where.getOrDefault(k, new Source(languagesFile.file(), line == null ? 1 : line));
        problems.add(new Problem(src.file(), src.line(), "voice prompt '" + k + "' in " + l.code()
            + " has no source: no recording " + path("audio/" + l.code() + "/" + k + ".mp3") + " (or .wav), and " + l.code()
            + " is declared recorded: true; record it, or give " + l.code() + " a TTS voice or a substitute"));
      }
      if (missing.size() > MAX_PROMPT_PROBLEMS_PER_LANGUAGE) {
        problems.add(new Problem(languagesFile.file(), line == null ? 1 : line, "... and " + (missing.size() - MAX_PROMPT_PROBLEMS_PER_LANGUAGE)
            + " more voice prompts in " + l.code() + " have no recording"));
      }
    }
  }

  /**
   * Every recording a recordings-only language needs: each message a flow says, the engine's and the
   * call's own messages, and "press N" for every key a menu offers.
   */
  public static Set<String> promptKeys(FlowBundle bundle) {
    return promptKeys(bundle.nodes(), bundle.languages().enabled().size(), bundle.directory());
  }

  static Set<String> promptKeys(Map<String, Node> nodes, int languages, Directory directory) {
    Set<String> keys = new java.util.LinkedHashSet<>();
    Set<String> digits = new java.util.TreeSet<>();
    for (Node n : nodes.values()) {
      switch (n) {
        case Node.Menu m -> {
          keys.add(m.prompt());
          m.options().forEach(o -> { keys.add(o.label()); digits.add(o.digit()); });
        }
        case Node.LanguageChoice l -> keys.add(l.prompt());
        case Node.Question q -> {
          keys.add(q.prompt());
          q.options().forEach(o -> { keys.add(o.label()); digits.add(o.digit()); });
        }
        case Node.Info i -> {
          keys.add(i.content());
          keys.add(i.done());
          digits.add(Engine.MORE_DIGIT);
        }
        case Node.FollowUp f -> keys.add(f.prompt());
        case Node.CountryNumbers c -> {
          keys.add(c.prompt());
          keys.add(c.done());
          digits.add(Engine.MORE_DIGIT);
        }
        case Node.Message m -> keys.add(m.text());
        case Node.SubmitReport r -> keys.add(r.message());
        case Node.Handoff h -> keys.add(h.message());
        case Node.End e -> { if (e.message() != null) keys.add(e.message()); }
      }
    }
    keys.addAll(VOICE_ENGINE_KEYS);
    for (String k : VOICE_KEYS) if (!k.equals("voice.option")) keys.add(k);
    for (int i = 1; i <= Math.min(languages, Limits.LANGUAGES_PER_PAGE); i++) digits.add(String.valueOf(i));
    if (languages > Limits.LANGUAGES_PER_PAGE) {
      digits.add(Engine.MORE_LANGUAGES_DIGIT);
      keys.add("common.more");
    }
    for (String d : digits) keys.add(PRESS + d);
    for (Directory.Country c : directory.countries()) keys.add("country." + c.code());
    if (!directory.countries().isEmpty()) for (String kind : Directory.KINDS) keys.add("directory." + kind);
    return keys;
  }

  private Map<String, String> scanAudio(String code) {
    Path dir = path("audio/" + code);
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) return files;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0 && AUDIO_TYPES.containsKey(name.substring(dot + 1)) && Files.isRegularFile(p)) files.putIfAbsent(name.substring(0, dot), name);
      }
    } catch (IOException e) {
      problems.add(new Problem(dir.toString(), 1, "cannot list recordings: " + e.getMessage()));
    }
    return files;
  }

  /** Audio Sathi serves to Twilio, by file extension: Twilio plays both. */
  public static final Map<String, String> AUDIO_TYPES = Map.of("mp3", "audio/mpeg", "wav", "audio/wav");

  /** Every screen the engine can show must fit the reply budget, in every language. */
  private void checkBudget(FlowBundle bundle, Map<String, Map<String, Integer>> keyLines) {
    Engine engine = new Engine(bundle, () -> SAMPLE_REFERENCE, maxSegments);
    for (Language l : bundle.languages().enabled()) {
      String code = l.code();
      Catalog c = bundle.catalog(code);
      for (Node n : bundle.nodes().values()) {
        String entering = SmsText.render(engine.preview(code, n.id()));
        measure(code, n.id(), n.source(), entering, "entering " + n.id());
        boolean menu = n instanceof Node.Menu || n instanceof Node.Question q && q.kind() == Node.QuestionKind.CHOICE;
        SmsSegments size = SmsSegments.of(entering);
        if (menu && size.encoding() == SmsSegments.Encoding.GSM_7 && size.segments() > 1) {
          problems.add(new Problem(n.source().file(), n.source().line(), "in " + code + ", the menu " + n.id() + " is " + size.units()
              + " GSM-7 characters, " + size.segments() + " SMS segments; a menu must fit one (160): shorten its labels in messages/" + code + ".yaml"));
        }
        if (n instanceof Node.Waiting) {
          measure(code, n.id(), n.source(), SmsText.render(engine.previewInvalid(code, n.id())), "an invalid answer at " + n.id());
          measure(code, n.id(), n.source(), SmsText.render(engine.previewEmpty(code, n.id())), "an empty message at " + n.id());
          measure(code, n.id(), n.source(), SmsText.render(engine.previewGiveUp(code, n.id())), "the third invalid answer at " + n.id());
        }
        if (n instanceof Node.CountryNumbers) {
          List<List<SmsText.Line>> screens = engine.previewCountries(code, n.id());
          for (int p = 0; p < screens.size(); p++) {
            measure(code, n.id(), n.source(), SmsText.render(screens.get(p)), "the numbers of " + bundle.directory().countries().get(p).code() + " at " + n.id());
          }
        }
        if (n instanceof Node.LanguageChoice) {
          List<List<SmsText.Line>> screens = engine.previewLanguagePages(code, n.id());
          for (int p = 1; p < screens.size(); p++) measure(code, n.id(), n.source(), SmsText.render(screens.get(p)), "screen " + (p + 1) + " of " + n.id());
        }
        if (n instanceof Node.Info info) {
          List<String> pages = engine.pages(code, info);
          String longest = pages.stream().reduce("", (a, b) -> a.length() >= b.length() ? a : b);
          if (pages.size() > 20) {
            Integer line = keyLines.get(code).get(info.content());
            problems.add(new Problem(path("messages/" + code + ".yaml").toString(), line == null ? 1 : line, "'" + info.content() + "' makes " + pages.size() + " SMS pages; split it into topics"));
          }
          measure(code, n.id(), n.source(), longest, "a page of " + n.id());
        }
      }
      measure(code, bundle.mainMenu(), bundle.node(bundle.mainMenu()).source(),
          SmsText.render(engine.advance(null, new Input.Start(code, true)).prompts()), "welcome back to " + bundle.mainMenu());
      for (String key : List.of("common.help", "common.fallback", "common.exit", "followup.new", "followup.working", "followup.referred",
          "followup.closed", "followup.added", "followup.unknown", "followup.locked")) {
        String text = c.text(key, Map.of("reference", SAMPLE_REFERENCE))
            + (key.startsWith("followup.") && !key.equals("followup.added") && !key.equals("followup.unknown") && !key.equals("followup.locked")
            ? "\n" + c.text("followup.more") : "");
        SmsSegments s = SmsSegments.of(text);
        if (s.segments() > maxSegments) {
          Integer line = keyLines.get(code).get(key);
          problems.add(new Problem(path("messages/" + code + ".yaml").toString(), line == null ? 1 : line,
              "'" + key + "' is " + s.segments() + " SMS segments; the limit is " + maxSegments + " (sms.maxSegmentsPerReply): shorten it"));
        }
      }
    }
  }

  private void measure(String language, String node, Source src, String text, String what) {
    SmsSegments s = SmsSegments.of(text);
    Largest top = largest.get(language);
    if (top == null || s.units() * 1000 / SmsSegments.capacity(s.encoding(), 1) > top.size().units() * 1000 / SmsSegments.capacity(top.size().encoding(), 1)) {
      largest.put(language, new Largest(s, what));
    }
    if (s.segments() > maxSegments) {
      problems.add(new Problem(src.file(), src.line(), "in " + language + ", " + what + " makes a reply of " + s.segments() + " SMS segments ("
          + s.encoding() + ", " + s.units() + " units); the limit is " + maxSegments + " (sms.maxSegmentsPerReply): shorten its messages in messages/" + language + ".yaml"));
    }
  }

  // ---- small readers that record problems instead of throwing -------------------------------

  private Path path(String relative) {
    return dir.resolve(relative);
  }

  private Mapping readMapping(Path file) {
    String f = file.toString();
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      problems.add(new Problem(f, 1, "not valid UTF-8; save the file as UTF-8"));
      return null;
    } catch (IOException e) {
      problems.add(new Problem(f, 1, "cannot read: " + e.getMessage()));
      return null;
    }
    try {
      YamlTree tree = YamlTree.parse(text);
      if (tree instanceof Mapping m) return m;
      problems.add(new Problem(f, tree.line(), "expected a mapping at the top of the file"));
    } catch (YamlTree.SyntaxError e) {
      problems.add(new Problem(f, e.line, e.getMessage()));
    }
    return null;
  }

  private void allowOnly(String f, Mapping m, Set<String> allowed) {
    for (Entry e : m.entries().values()) {
      if (!allowed.contains(e.key())) {
        problems.add(new Problem(f, e.line(), "unknown field '" + e.key() + "'; allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed))));
      }
    }
  }

  private String string(String f, Mapping m, String field, boolean required) {
    YamlTree t = m.get(field);
    if (t == null) {
      if (required) problems.add(new Problem(f, m.line(), "missing '" + field + "'"));
      return null;
    }
    if (t instanceof Scalar s && s.value() != null && !s.value().isBlank()) return s.value();
    problems.add(new Problem(f, t.line(), "'" + field + "' must be a non-empty text"));
    return null;
  }

  private String key(String f, Mapping m, String field, boolean required, Source src) {
    String key = string(f, m, field, required);
    if (key != null) keyUses.add(new KeyUse(key, new Source(f, m.entries().get(field).line())));
    return key;
  }

  private String target(String flow, String f, Mapping m, String field, boolean required, String fallback) {
    String raw = string(f, m, field, required);
    if (raw == null) return fallback;
    targets.add(new Target(flow, raw, new Source(f, m.entries().get(field).line())));
    return qualify(flow, raw);
  }

  private boolean bool(String f, Mapping m, String field, boolean fallback) {
    YamlTree t = m.get(field);
    if (t == null) return fallback;
    if (t instanceof Scalar s && ("true".equals(s.value()) || "false".equals(s.value()))) return Boolean.parseBoolean(s.value());
    problems.add(new Problem(f, t.line(), "'" + field + "' must be true or false"));
    return fallback;
  }

  private int integer(String f, Mapping m, String field, int fallback) {
    YamlTree t = m.get(field);
    if (t == null) return fallback;
    if (t instanceof Scalar s && s.value() != null && s.value().matches("-?\\d{1,9}")) return Integer.parseInt(s.value());
    problems.add(new Problem(f, t.line(), "'" + field + "' must be a whole number"));
    return fallback;
  }

  private List<Scalar> scalars(String f, Mapping m, String field) {
    YamlTree t = m.get(field);
    if (t == null) return List.of();
    if (!(t instanceof Sequence s)) {
      problems.add(new Problem(f, t.line(), "'" + field + "' must be a list"));
      return List.of();
    }
    List<Scalar> out = new ArrayList<>();
    for (YamlTree item : s.items()) {
      if (item instanceof Scalar sc) out.add(sc);
      else problems.add(new Problem(f, item.line(), "'" + field + "' must be a list of texts"));
    }
    return out;
  }
}
