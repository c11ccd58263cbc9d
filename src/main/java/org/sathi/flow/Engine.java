package org.sathi.flow;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sathi.flow.Node.Waiting;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.SmsText;
import org.sathi.i18n.SmsText.Line;

/**
 * The flow engine: {@code advance(conversation, input) -> step}. Pure: it reads the bundle, asks
 * the host for reference codes, and returns what should happen; the host does the rest.
 */
public final class Engine {

  /** Supplies reference codes for new reports; the host decides how they are made. */
  public interface References {
    String next();
  }

  public static final String MORE_DIGIT = "1";
  /** On the language menu, when there are more languages than fit one screen, 9 shows the next ones. */
  public static final String MORE_LANGUAGES_DIGIT = "9";

  private final FlowBundle bundle;
  private final References references;
  private final int maxSegments;
  private final Map<String, List<String>> pageCache = new ConcurrentHashMap<>();
  /** Each catalog's word lists, normalised once: every turn checks the text against them all. */
  private final Map<List<String>, Set<String>> normalizedWords = new ConcurrentHashMap<>();

  public Engine(FlowBundle bundle, References references, int maxSegmentsPerReply) {
    this.bundle = bundle;
    this.references = references;
    this.maxSegments = maxSegmentsPerReply;
  }

  public FlowBundle bundle() {
    return bundle;
  }

  public Step advance(Conversation conversation, Input input) {
    return advance(conversation, input, null);
  }

  /** @param country the caller's calling code: messages give that country's numbers (null: the fallback numbers) */
  public Step advance(Conversation conversation, Input input, String country) {
    if (conversation == null && !(input instanceof Input.Start)) {
      conversation = Conversation.fresh(bundle.languages().fallback().code());
    }
    Turn turn = new Turn(this, conversation, country);
    switch (input) {
      case Input.Start start -> {
        turn.conversation = Conversation.fresh(bundle.languages().get(start.language()).code());
        if (start.text() != null && turn.isWord("exit", normalize(start.text()))) {
          turn.exit(); // even with nothing to wipe, "exit" must never answer with a menu
        } else {
          if (start.returning()) turn.say("common.welcome_back");
          turn.enter(bundle.mainMenu());
        }
      }
      case Input.Hangup hangup -> turn.hangup();
      case Input.Timeout timeout -> turn.timeout();
      case Input.Text text -> answer(turn, text.text());
      case Input.Digits digits -> digits(turn, digits.digits());
      case Input.Recording recording -> recording(turn, recording.url(), recording.seconds());
      case Input.Back back -> {
        if (turn.current() == null) turn.restart();
        else turn.back();
      }
      case Input.Resume resume -> {
        Waiting node = turn.current();
        if (node == null) turn.restart();
        else turn.render(node);
      }
    }
    return turn.step();
  }

  /** Beside a recorded answer, the answer that says how many seconds it is: {@code details.seconds}. */
  public static final String SECONDS = ".seconds";

  /** The answer saved with a report the caller did not finish: the call ended first. */
  public static final String ENDED_ANSWER = "ended";

  /** The main menu again, in the conversation's language (a call leaves a screen it cannot use, such as typing a code). */
  public Step mainMenu(Conversation conversation) {
    return mainMenu(conversation, null);
  }

  public Step mainMenu(Conversation conversation, String country) {
    Turn turn = new Turn(this, Conversation.fresh(conversation.language()), country);
    turn.enter(bundle.mainMenu());
    return turn.step();
  }

  /** Whether the text is one of the words that work everywhere (menu, back, help, exit) in this language. */
  public boolean isGlobalWord(String language, String raw) {
    Turn turn = new Turn(this, Conversation.fresh(language), null);
    String text = normalize(raw);
    return turn.isWord("exit", text) || turn.isWord("menu", text) || turn.isWord("back", text) || turn.isWord("help", text);
  }

  /** What entering {@code nodeId} says in {@code language}; the validator measures these. */
  public List<Line> preview(String language, String nodeId) {
    Turn turn = new Turn(this, Conversation.fresh(language), null);
    turn.enter(nodeId);
    return turn.prompts;
  }

  /** How many screens the language menu takes: {@link Limits#LANGUAGES_PER_PAGE} languages each. */
  int languagePages() {
    int n = bundle.languages().enabled().size();
    return Math.max(1, (n + Limits.LANGUAGES_PER_PAGE - 1) / Limits.LANGUAGES_PER_PAGE);
  }

  /** The numbers screen of every country of the directory, in a language; the validator measures each. */
  public List<List<Line>> previewCountries(String language, String nodeId) {
    List<List<Line>> out = new ArrayList<>();
    for (int p = 1; p <= bundle.directory().countries().size(); p++) {
      Turn turn = new Turn(this, new Conversation(language, nodeId, p, 0, 0, List.of(), Map.of(), false), null);
      turn.render((Waiting) bundle.node(nodeId));
      out.add(turn.prompts);
    }
    return out;
  }

  /**
   * A waiting node's screen at a page, for a caller of a country (calling code), and the hint with it
   * after a wrong answer: the validator measures the screens that depend on the caller's country
   * (the areas of config/places.yaml).
   */
  public List<List<Line>> previewScreen(String language, String nodeId, String country, int page) {
    Turn turn = new Turn(this, new Conversation(language, nodeId, page, 0, 0, List.of(), Map.of(), false), country);
    turn.render((Waiting) bundle.node(nodeId));
    List<Line> screen = List.copyOf(turn.prompts);
    turn.prompts.clear();
    turn.invalid();
    return List.of(screen, List.copyOf(turn.prompts));
  }

  /** Every screen of the language menu in a language; the validator measures each. */
  public List<List<Line>> previewLanguagePages(String language, String nodeId) {
    List<List<Line>> out = new ArrayList<>();
    for (int p = 0; p < languagePages(); p++) {
      Turn turn = new Turn(this, new Conversation(language, nodeId, p, 0, 0, List.of(), Map.of(), false), null);
      turn.render((Waiting) bundle.node(nodeId));
      out.add(turn.prompts);
    }
    return out;
  }

  /** What an invalid answer at a waiting node says: the hint, then the node again. */
  public List<Line> previewInvalid(String language, String nodeId) {
    Turn turn = new Turn(this, Conversation.fresh(language), null);
    turn.enter(nodeId);
    turn.prompts.clear();
    turn.invalid();
    return turn.prompts;
  }

  /** What an empty message (a photo, a blank text) at a waiting node says: the hint, and the node again when it fits. */
  public List<Line> previewEmpty(String language, String nodeId) {
    Turn turn = new Turn(this, Conversation.fresh(language), null);
    turn.enter(nodeId);
    turn.prompts.clear();
    answer(turn, "");
    return turn.prompts;
  }

  /** What the third invalid answer in a row says: the restart line, then the node's invalid target. */
  public List<Line> previewGiveUp(String language, String nodeId) {
    Turn turn = new Turn(this, Conversation.fresh(language), null);
    turn.enter(nodeId);
    turn.prompts.clear();
    Conversation c = turn.conversation;
    turn.conversation = new Conversation(c.language(), c.node(), c.page(), Limits.MAX_INVALID_ANSWERS - 1, 0, c.history(), c.answers(), false);
    turn.invalid();
    return turn.prompts;
  }

  /** The pages of long content in a language, with the numbers of a country (null: the fallback numbers); the last page offers {@code done}. */
  public List<String> pages(String language, String country, String content, String done) {
    return pageCache.computeIfAbsent(language + "\u0000" + country + "\u0000" + content + "\u0000" + done, k -> {
      Catalog c = bundle.catalog(language, country);
      String longestFooter = longer(option(MORE_DIGIT, "common.more", c), option(MORE_DIGIT, done, c));
      return SmsText.pages(c.text(content), longestFooter, maxSegments);
    });
  }

  private static String option(String digit, String key, Catalog c) {
    return Line.option(digit, key, c.text(key)).rendered();
  }

  private static String longer(String a, String b) {
    return a.length() >= b.length() ? a : b;
  }

  private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

  /** Lower-case, trimmed, any script's digits as ASCII, a trailing full stop dropped. */
  public static String normalize(String raw) {
    String text = raw == null ? "" : raw;
    if (text.length() > Limits.MAX_INPUT_CHARS) text = text.substring(0, Limits.MAX_INPUT_CHARS);
    text = SPACES.matcher(Normalizer.normalize(text, Normalizer.Form.NFC).strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      int d = Character.isDigit(cp) ? Character.digit(cp, 10) : -1;
      if (d >= 0) out.append((char) ('0' + d));
      else out.appendCodePoint(cp);
    });
    String s = out.toString();
    while (s.endsWith(".") && s.length() > 1) s = s.substring(0, s.length() - 1).strip();
    return s;
  }

  /** The values a waiting node's hint fills in (a number question's {min} and {max}); none for other nodes. */
  public static Map<String, String> hintArgs(Node node) {
    return node instanceof Node.Waiting w ? w.hintArgs() : Map.of();
  }

  References references() {
    return references;
  }

  int maxSegments() {
    return maxSegments;
  }

  boolean matches(List<String> words, String text) {
    return normalizedWords.computeIfAbsent(words, ws -> ws.stream().map(Engine::normalize).collect(java.util.stream.Collectors.toSet()))
        .contains(text);
  }

  /** One turn: the words that work everywhere first, then the node the caller is at. */
  private void answer(Turn turn, String raw) {
    String text = normalize(raw);
    if (turn.isWord("exit", text)) {
      turn.exit();
      return;
    }
    Waiting node = turn.current();
    if (text.isEmpty() && node != null) {
      // An empty message (a photo, a slip of the thumb) is not an answer and does not count as a
      // wrong one: the hint and the screen again, nothing changed.
      turn.hint(node);
      return;
    }
    // A node that no longer exists (the flows changed since the last turn) also starts afresh.
    if (node == null || turn.isWord("menu", text)) {
      turn.restart();
      return;
    }
    if (turn.isWord("help", text)) {
      turn.help(node);
      return;
    }
    if (turn.isWord("back", text)) {
      turn.back();
      return;
    }
    node.answer(turn, raw, text);
  }

  /**
   * Keys pressed on a call. In every menu {@code *} says it again and {@code 0} changes the
   * language (unless the menu has a 0 of its own); at a number question that allows it, {@code *}
   * means "don't know". Anything else is an answer like a text.
   */
  private void digits(Turn turn, String raw) {
    String d = raw == null ? "" : raw.strip();
    Waiting node = turn.current();
    if (node != null && d.equals("*")) {
      if (!node.star(turn)) turn.render(node);
      return;
    }
    if (node != null && d.equals("0") && node.offersLanguageChange()) {
      Optional<Node> choose = bundle.nodes().values().stream().filter(n -> n instanceof Waiting w && w.choosesLanguage()).findFirst();
      if (choose.isPresent()) {
        turn.leave(choose.get().id());
        return;
      }
    }
    answer(turn, d);
  }

  private static void recording(Turn turn, String url, Integer seconds) {
    Waiting node = turn.current();
    if (node == null) turn.enter(turn.bundle().mainMenu());
    else node.recording(turn, url, seconds);
  }
}
