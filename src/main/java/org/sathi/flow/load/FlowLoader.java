package org.sathi.flow.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sathi.config.Countries;
import org.sathi.config.Problem;
import org.sathi.flow.Directory;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.Node;
import org.sathi.flow.node.CountryNumbers;
import org.sathi.flow.node.NodeReader.KeyUse;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Language;
import org.sathi.i18n.Languages;
import org.sathi.i18n.SmsSegments;
import org.sathi.report.Places;

/**
 * Loads {@code ivr-flows/} and validates it whole: every problem is collected, each with
 * {@code file:line}, and a bundle is returned only when there are none. Each kind of file has its
 * reader ({@link LanguagesFile}, {@link CatalogFile}, {@link FlowFiles}, {@link DirectoryFile}) and
 * each whole-set rule its check ({@link GraphCheck}, {@link WordsCheck}, {@link VoiceCheck},
 * {@link BudgetCheck}); this class runs them in order.
 */
public final class FlowLoader {

  /**
   * @param largest per language, the largest reply the flows can produce, for operators to see the cost
   */
  /** @param places the areas of config/places.yaml (none when the file is missing or has problems), for reports and statistics */
  public record Result(FlowBundle bundle, List<Problem> problems, Map<String, Largest> largest, Places places) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** The largest reply in one language: its size and what produces it. */
  public record Largest(SmsSegments size, String what) {}

  /** Keys the engine itself uses, whatever the flows say. */
  public static final List<String> ENGINE_KEYS = List.of(
      "common.more", "common.invalid.choice", "common.invalid.number", "common.invalid.text",
      "common.restart", "common.help", "common.exit", "common.welcome_back", "common.fallback");

  /** Keys the SMS host uses (following up a report by its code); text only, so no recordings are needed. */
  public static final List<String> SMS_KEYS = List.of(
      "followup.new", "followup.working", "followup.referred", "followup.closed", "followup.more",
      "followup.added", "followup.unknown", "followup.locked");

  /** Keys of USSD screens: paging ({@code 98. More}), {@code 0. Back}, the offer to go on with a report that was cut off, and the fallback. */
  public static final List<String> USSD_KEYS = List.of("common.more", "common.back", "common.continue", "ussd.resume.prompt", "ussd.resume.restart",
      "ussd.fallback");

  /** Keys a call needs besides the flows' own, in every language callers can hear. */
  public static final List<String> VOICE_KEYS = List.of(
      "voice.option", "voice.language", "voice.fallback", "voice.connecting", "voice.noanswer", "voice.voicemail.done",
      "voice.missed.noanswer", "voice.missed.consent", "voice.missed.code", "voice.missed.message", "voice.goodbye", "voice.timeup");

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

  /** Audio Sathi serves to Twilio, by file extension: Twilio plays both. */
  public static final Map<String, String> AUDIO_TYPES = Map.of("mp3", "audio/mpeg", "wav", "audio/wav");

  private final Path dir;
  private final int maxSegments;
  private final Path directoryFile;
  private final Path countriesFile;
  private final Countries.Loaded countries;
  private final Places places;
  private final Set<String> beingRecorded;
  private final List<Problem> problems = new ArrayList<>();

  private FlowLoader(Path dir, int maxSegments, Path directoryFile, Countries.Loaded countries, Places places, Set<String> beingRecorded) {
    this.dir = dir;
    this.maxSegments = maxSegments;
    this.directoryFile = directoryFile;
    this.countriesFile = directoryFile.resolveSibling("countries.yaml");
    this.countries = countries;
    this.places = places;
    this.beingRecorded = Set.copyOf(beingRecorded);
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
   * @param numbers       the fallback numbers, for a caller of a country that config/countries.yaml does not list
   * @param beingRecorded languages whose recordings are being made now ({@code ./sathi audio render}):
   *                      their missing recordings are not problems
   */
  public static Result load(Path dir, Map<String, String> numbers, int maxSegmentsPerReply, Path directoryFile, Set<String> beingRecorded) {
    // Each caller's own country's numbers, from config/countries.yaml beside the directory.
    Countries.Loaded countries = Countries.load(directoryFile.resolveSibling("countries.yaml"), numbers);
    // Where a concern is: each country's areas, from config/places.yaml beside it, by the countries' iso codes.
    Places.Loaded places = Places.load(directoryFile.resolveSibling("places.yaml"), Set.copyOf(countries.countries().isoCodes().values()));
    FlowLoader loader = new FlowLoader(dir, maxSegmentsPerReply, directoryFile, countries, places.ok() ? places.places() : Places.none(),
        beingRecorded);
    loader.problems.addAll(countries.problems());
    loader.problems.addAll(places.problems());
    return loader.run();
  }

  private Result run() {
    // The budget is checked with the longest number of each kind, so it holds for every country.
    Map<String, String> widest = countries.countries().widest();
    LanguagesFile languagesFile = new LanguagesFile(dir.resolve("languages.yaml"));
    Languages languages = languagesFile.read(dir.resolve("languages.yaml"));
    problems.addAll(languagesFile.file().problems);
    Map<String, Catalog> catalogs = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> keyLines = new HashMap<>();
    if (languages != null) {
      for (Language l : languages.enabled()) {
        Path path = dir.resolve("messages/" + l.code() + ".yaml");
        CatalogFile file = new CatalogFile(path);
        Catalog catalog = file.read(path, l, widest);
        problems.addAll(file.file().problems);
        if (catalog == null) continue;
        catalogs.put(l.code(), catalog);
        keyLines.put(l.code(), file.lines);
      }
    }
    FlowFiles flows = new FlowFiles();
    Map<String, Node> nodes = flows.read(dir.resolve("flows"));
    problems.addAll(flows.problems);
    String mainMenu = null;
    Directory directory = Directory.empty();
    VoiceCheck voices = new VoiceCheck(dir, problems);
    if (nodes != null) {
      // A main.yaml that failed to parse has already been reported; "no main flow" would mislead.
      if (!flows.starts.containsKey(FlowBundle.MAIN_FLOW)) {
        if (!flows.unreadable) {
          problems.add(new Problem(dir.resolve("flows").toString(), 1, "there is no flow with id 'main'; add flows/main.yaml, the main menu every conversation returns to"));
        }
      } else {
        mainMenu = flows.starts.get(FlowBundle.MAIN_FLOW);
        GraphCheck.check(nodes, mainMenu, problems);
      }
      if (nodes.values().stream().anyMatch(n -> n instanceof CountryNumbers)) {
        DirectoryFile file = new DirectoryFile(directoryFile);
        directory = file.read(directoryFile, languages, flows.keyUses);
        problems.addAll(file.file().problems);
      }
      if (languages != null) {
        checkKeys(flows.keyUses, languages, catalogs);
        voices.check(nodes, directory, languages, catalogs, flows.keyUses, languagesFile.voiceLines, beingRecorded);
        WordsCheck.check(dir, languages, catalogs, keyLines, problems);
      }
    }
    if (languages != null) {
      Map<String, String> served = new LinkedHashMap<>();
      for (Language l : languages.enabled()) for (String cc : l.countryCodes()) served.putIfAbsent(cc, "language " + l.code() + " (languages.yaml countryCodes)");
      problems.addAll(countries.countries().missing(countriesFile.toString(), served));
    }
    if (!problems.isEmpty() || languages == null || nodes == null) {
      Collections.sort(problems);
      return new Result(null, List.copyOf(problems), Map.of(), places);
    }
    FlowBundle bundle = new FlowBundle(languages, Map.copyOf(catalogs), Map.copyOf(nodes), mainMenu, Map.copyOf(voices.recordings), directory)
        .withAreas(places.forCallers(countries.countries()));
    BudgetCheck budget = new BudgetCheck(dir, maxSegments, problems);
    try {
      budget.check(bundle, keyLines);
    } catch (RuntimeException e) {
      // The structure checks should make this impossible; if not, say so as a problem, not a stack trace.
      problems.add(new Problem(dir.resolve("flows").toString(), 1, "the flows could not be rendered: " + e.getMessage()));
    }
    Collections.sort(problems);
    return new Result(problems.isEmpty() ? bundle.withCountries(countries.countries()) : null, List.copyOf(problems),
        Collections.unmodifiableMap(budget.largest), places);
  }

  /** Every message key a flow uses is in every enabled language's catalog. */
  private void checkKeys(List<KeyUse> keyUses, Languages languages, Map<String, Catalog> catalogs) {
    for (KeyUse use : keyUses) {
      for (Language l : languages.enabled()) {
        Catalog c = catalogs.get(l.code());
        if (c != null && !c.has(use.key())) {
          problems.add(new Problem(use.source().file(), use.source().line(), "message key '" + use.key() + "' is missing in " + l.code()
              + " (" + dir.resolve("messages/" + l.code() + ".yaml") + ")"));
        }
      }
    }
  }

  /**
   * Every recording a recordings-only language needs: each message a flow says, the engine's and the
   * call's own messages, and "press N" for every key a menu offers.
   */
  public static Set<String> promptKeys(FlowBundle bundle) {
    return VoiceCheck.promptKeys(bundle.nodes(), bundle.languages().enabled().size(), bundle.directory());
  }

  /** Countries of the directory whose numbers are samples, not verified. */
  public static long samples(FlowBundle bundle) {
    return bundle.directory().countries().stream().filter(Directory.Country::sample).count();
  }
}
