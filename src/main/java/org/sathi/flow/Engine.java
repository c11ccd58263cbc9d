package org.sathi.flow;

import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sathi.flow.Event.ConversationWiped;
import org.sathi.flow.Event.HandoffRequested;
import org.sathi.flow.Event.ReportSubmitted;
import org.sathi.flow.Node.End;
import org.sathi.flow.Node.Handoff;
import org.sathi.flow.Node.Info;
import org.sathi.flow.Node.LanguageChoice;
import org.sathi.flow.Node.Menu;
import org.sathi.flow.Node.Message;
import org.sathi.flow.Node.Option;
import org.sathi.flow.Node.Question;
import org.sathi.flow.Node.SubmitReport;
import org.sathi.flow.Node.Waiting;
import org.sathi.flow.Step.Wait;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Language;
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
    Turn turn = new Turn(conversation);
    turn.country = country;
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
      case Input.Text text -> turn.answer(text.text());
      case Input.Digits digits -> turn.digits(digits.digits());
      case Input.Recording recording -> turn.recording(recording.url(), recording.seconds());
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
    Turn turn = new Turn(Conversation.fresh(conversation.language()));
    turn.country = country;
    turn.enter(bundle.mainMenu());
    return turn.step();
  }

  /** Whether the text is one of the words that work everywhere (menu, back, help, exit) in this language. */
  public boolean isGlobalWord(String language, String raw) {
    Turn turn = new Turn(Conversation.fresh(language));
    String text = normalize(raw);
    return turn.isWord("exit", text) || turn.isWord("menu", text) || turn.isWord("back", text) || turn.isWord("help", text);
  }

  /** What entering {@code nodeId} says in {@code language}; the validator measures these. */
  public List<Line> preview(String language, String nodeId) {
    Turn turn = new Turn(Conversation.fresh(language));
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
      Turn turn = new Turn(new Conversation(language, nodeId, p, 0, 0, List.of(), Map.of(), false));
      turn.render(bundle.node(nodeId));
      out.add(turn.prompts);
    }
    return out;
  }

  /** Every screen of the language menu in a language; the validator measures each. */
  public List<List<Line>> previewLanguagePages(String language, String nodeId) {
    List<List<Line>> out = new ArrayList<>();
    for (int p = 0; p < languagePages(); p++) {
      Turn turn = new Turn(new Conversation(language, nodeId, p, 0, 0, List.of(), Map.of(), false));
      turn.render(bundle.node(nodeId));
      out.add(turn.prompts);
    }
    return out;
  }

  /** What an invalid answer at a waiting node says: the hint, then the node again. */
  public List<Line> previewInvalid(String language, String nodeId) {
    Turn turn = new Turn(Conversation.fresh(language));
    turn.enter(nodeId);
    turn.prompts.clear();
    turn.invalid();
    return turn.prompts;
  }

  /** What an empty message (a photo, a blank text) at a waiting node says: the hint, and the node again when it fits. */
  public List<Line> previewEmpty(String language, String nodeId) {
    Turn turn = new Turn(Conversation.fresh(language));
    turn.enter(nodeId);
    turn.prompts.clear();
    turn.answer("");
    return turn.prompts;
  }

  /** What the third invalid answer in a row says: the restart line, then the node's invalid target. */
  public List<Line> previewGiveUp(String language, String nodeId) {
    Turn turn = new Turn(Conversation.fresh(language));
    turn.enter(nodeId);
    turn.prompts.clear();
    Conversation c = turn.conversation;
    turn.conversation = new Conversation(c.language(), c.node(), c.page(), Limits.MAX_INVALID_ANSWERS - 1, 0, c.history(), c.answers(), false);
    turn.invalid();
    return turn.prompts;
  }

  /** The pages of an info node's content in a language. */
  public List<String> pages(String language, Info info) {
    return pages(language, null, info);
  }

  /** The same, with the numbers of a country (the numbers list differs by country). */
  public List<String> pages(String language, String country, Info info) {
    return pageCache.computeIfAbsent(language + "\u0000" + country + "\u0000" + info.id(), k -> {
      Catalog c = bundle.catalog(language, country);
      String longestFooter = longer(option(MORE_DIGIT, "common.more", c), option(MORE_DIGIT, info.done(), c));
      return SmsText.pages(c.text(info.content()), longestFooter, maxSegments);
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
  static String normalize(String raw) {
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

  /** One turn's working state. */
  private final class Turn {
    Conversation conversation;
    final List<Line> prompts = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    Wait wait = Wait.END;
    boolean wiped;
    int steps;

    /** The caller's calling code, for their own country's numbers; null for the fallback numbers. */
    String country;

    Turn(Conversation conversation) {
      this.conversation = conversation;
    }

    Catalog catalog() {
      return bundle.catalog(conversation.language(), country);
    }

    void say(String key) {
      say(key, Map.of());
    }

    void say(String key, Map<String, String> args) {
      prompts.add(Line.say(key, catalog().text(key, args)));
    }

    Step step() {
      return new Step(wiped ? null : conversation, prompts, wiped ? Wait.END : wait, events);
    }

    boolean isWord(String kind, String text) {
      if (matches(catalog().words(kind), text)) return true;
      Catalog fallback = bundle.catalog(bundle.languages().fallback().code());
      return matches(fallback.words(kind), text);
    }

    private boolean matches(List<String> words, String text) {
      return normalizedWords.computeIfAbsent(words, ws -> ws.stream().map(Engine::normalize).collect(java.util.stream.Collectors.toSet()))
          .contains(text);
    }

    void answer(String raw) {
      String text = normalize(raw);
      if (isWord("exit", text)) {
        exit();
        return;
      }
      if (text.isEmpty() && current() != null) {
        // An empty message (a photo, a slip of the thumb) is not an answer and does not count as a
        // wrong one: the hint and the screen again, nothing changed.
        Node node = current();
        int before = prompts.size();
        say(hintFor(node), hintArgs(node));
        if (node instanceof Info info) {
          showFooter(info);
        } else {
          render(node);
          hintAloneUnlessItFits(node, before);
        }
        return;
      }
      // A node that no longer exists (the flows changed since the last turn) also starts afresh.
      if (current() == null || isWord("menu", text)) {
        conversation = Conversation.fresh(conversation.language());
        enter(bundle.mainMenu());
        return;
      }
      Node node = current();
      if (isWord("help", text)) {
        say("common.help");
        wait = waitFor(node);
        return;
      }
      if (isWord("back", text)) {
        back();
        return;
      }
      switch (node) {
        case Menu menu -> pick(menu.options(), text).ifPresentOrElse(o -> leave(o.target()), this::invalid);
        case LanguageChoice choice -> chooseLanguage(choice, text);
        case Question question -> answerQuestion(question, raw, text);
        case Info info -> more(info, text);
        case Node.FollowUp f -> invalid(); // a code never reaches the engine: the host looks it up
        case Node.CountryNumbers cn -> countryNumbers(cn, text);
        default -> throw new IllegalStateException("conversation rests on a node that does not wait: " + node.id());
      }
    }

    String orMain(String target) {
      return target != null ? target : bundle.mainMenu();
    }

    /** Quick exit: one neutral line, nothing of the conversation kept. */
    void exit() {
      say("common.exit");
      events.add(new ConversationWiped());
      wiped = true;
    }

    /** The node the caller is answering; null when there is none or it no longer exists. */
    Node current() {
      return conversation.node() == null || conversation.ended() ? null : bundle.nodes().get(conversation.node());
    }

    void recording(String url, Integer seconds) {
      if (current() instanceof Question q && q.kind() == Node.QuestionKind.TEXT) {
        save(q.save(), url);
        if (seconds != null) save(q.save() + SECONDS, seconds.toString());
        leave(q.next());
      } else if (current() == null) {
        enter(bundle.mainMenu());
      } else {
        invalid();
      }
    }

    /** Silence: the first two times the prompt again, the third time the node's timeout target. */
    void timeout() {
      if (!(current() instanceof Waiting w)) {
        enter(bundle.mainMenu());
        return;
      }
      int count = conversation.silences() + 1;
      if (count >= Limits.MAX_SILENCES) {
        leave(orMain(w.timeout()));
        return;
      }
      render(w);
      Conversation c = conversation;
      conversation = new Conversation(c.language(), c.node(), c.page(), c.invalid(), count, c.history(), c.answers(), false);
    }

    /**
     * Keys pressed on a call. In every menu {@code *} says it again and {@code 0} changes the
     * language (unless the menu has a 0 of its own); at a number question that allows it, {@code *}
     * means "don't know". Anything else is an answer like a text.
     */
    void digits(String raw) {
      String d = raw == null ? "" : raw.strip();
      Node node = current();
      if (node instanceof Question q && q.kind() == Node.QuestionKind.NUMBER && d.equals("*")) {
        if (q.dontKnow()) {
          save(q.save(), "unknown");
          leave(q.next());
        } else {
          render(q);
        }
        return;
      }
      if (node instanceof Waiting w && d.equals("*")) {
        render(w);
        return;
      }
      if (d.equals("0") && offersLanguageChange(node)) {
        Optional<Node> choose = bundle.nodes().values().stream().filter(n -> n instanceof LanguageChoice).findFirst();
        if (choose.isPresent()) {
          leave(choose.get().id());
          return;
        }
      }
      answer(d);
    }

    private boolean offersLanguageChange(Node node) {
      List<Option> options = switch (node) {
        case Menu m -> m.options();
        case Question q when q.kind() == Node.QuestionKind.CHOICE -> q.options();
        case Info i -> List.of(new Option(MORE_DIGIT, null, null, null, null));
        case Node.CountryNumbers cn -> List.of(new Option(MORE_DIGIT, null, null, null, null));
        case null, default -> null;
      };
      return options != null && options.stream().noneMatch(o -> o.digit().equals("0"));
    }

    /**
     * The call ended. Answers given on the way to a report are not thrown away: they are handed
     * over as a report marked {@value #ENDED_ANSWER}, though the caller never heard its code.
     */
    void hangup() {
      Node node = current();
      if (node != null && !conversation.answers().isEmpty()) {
        SubmitReport ahead = reportAhead(node);
        // Left the report's questions (silence sent them to the menu, or 0 to the language menu):
        // the report is the one the saved answers were asked for.
        for (Node n : bundle.nodes().values()) {
          if (ahead != null) break;
          if (n instanceof Question q && conversation.answers().containsKey(q.save())) ahead = reportAhead(q);
        }
        if (ahead != null) {
          Map<String, String> answers = new LinkedHashMap<>(conversation.answers());
          answers.put(ENDED_ANSWER, "hangup");
          events.add(new ReportSubmitted(references.next(), conversation.language(), ahead.id(), answers));
        }
      }
      String at = conversation.node();
      conversation = new Conversation(conversation.language(), at, 0, 0, 0, List.of(), Map.of(), true);
      wait = Wait.END;
    }

    /** The report node the caller was answering questions for: forward through questions and messages only. */
    private SubmitReport reportAhead(Node from) {
      Deque<Node> todo = new ArrayDeque<>(List.of(from));
      Set<String> seen = new HashSet<>();
      while (!todo.isEmpty()) {
        Node n = todo.pop();
        if (!seen.add(n.id())) continue;
        List<String> next = switch (n) {
          case SubmitReport r -> {
            yield null;
          }
          case Question q -> {
            List<String> out = new ArrayList<>();
            q.options().forEach(o -> { if (o.target() != null) out.add(o.target()); });
            out.add(q.next());
            yield out;
          }
          case Message m -> List.of(m.next());
          default -> List.of();
        };
        if (next == null) return (SubmitReport) n;
        for (String id : next) {
          Node target = bundle.nodes().get(id);
          if (target != null) todo.add(target);
        }
      }
      return null;
    }

    void back() {
      List<String> history = conversation.history();
      if (history.isEmpty()) {
        enter(bundle.mainMenu());
        return;
      }
      String previous = history.get(history.size() - 1);
      if (!bundle.nodes().containsKey(previous)) previous = bundle.mainMenu();
      conversation = with(conversation.node(), 0, 0, history.subList(0, history.size() - 1), conversation.answers());
      enter(previous, false);
    }

    Optional<Option> pick(List<Option> options, String text) {
      for (Option o : options) {
        if (o.digit().equals(text) || normalize(catalog().text(o.label())).equals(text)) return Optional.of(o);
      }
      return Optional.empty();
    }

    void chooseLanguage(LanguageChoice choice, String text) {
      List<Language> languages = bundle.languages().enabled();
      int pages = languagePages();
      int page = Math.min(conversation.page(), pages - 1);
      if (pages > 1 && text.equals(MORE_LANGUAGES_DIGIT)) {
        conversation = with(conversation.node(), (page + 1) % pages, 0, conversation.history(), conversation.answers());
        render(choice);
        return;
      }
      for (int i = 0; i < languages.size(); i++) {
        Language l = languages.get(i);
        boolean onPage = i / Limits.LANGUAGES_PER_PAGE == page && String.valueOf(i % Limits.LANGUAGES_PER_PAGE + 1).equals(text);
        if (onPage || normalize(l.name()).equals(text) || l.code().equals(text)) {
          conversation = new Conversation(l.code(), conversation.node(), 0, 0, 0, conversation.history(), conversation.answers(), false);
          leave(choice.next());
          return;
        }
      }
      invalid();
    }

    void answerQuestion(Question q, String raw, String text) {
      switch (q.kind()) {
        case CHOICE -> pick(q.options(), text).ifPresentOrElse(o -> {
          save(q.save(), o.value());
          leave(o.target() != null ? o.target() : q.next());
        }, this::invalid);
        case NUMBER -> {
          if (q.dontKnow() && isWord("dontknow", text)) {
            save(q.save(), "unknown");
            leave(q.next());
            return;
          }
          Integer n = text.matches("\\d{1,6}") ? Integer.valueOf(text) : null;
          if (n != null && n >= q.min() && n <= q.max()) {
            save(q.save(), n.toString());
            leave(q.next());
          } else {
            invalid();
          }
        }
        case TEXT -> {
          String answer = raw == null ? "" : raw.strip();
          if (answer.isEmpty()) {
            invalid();
            return;
          }
          int max = Math.min(q.maxLength(), Limits.MAX_TEXT_ANSWER);
          if (answer.length() > max) {
            // Never keep half of a surrogate pair (an emoji cut in two is not text).
            int cut = Character.isHighSurrogate(answer.charAt(max - 1)) ? max - 1 : max;
            answer = answer.substring(0, cut);
          }
          save(q.save(), answer);
          leave(q.next());
        }
      }
    }

    void more(Info info, String text) {
      if (!text.equals(MORE_DIGIT) && !isWord("more", text)) {
        invalid();
        return;
      }
      List<String> pages = pages(conversation.language(), country, info);
      if (conversation.page() + 1 < pages.size()) {
        conversation = with(info.id(), conversation.page() + 1, 0, conversation.history(), conversation.answers());
        showPage(info);
      } else {
        leave(info.next());
      }
    }

    /** First the country (its digit), then its numbers with one option: {@code done}, to {@code next}. */
    void countryNumbers(Node.CountryNumbers cn, String text) {
      List<Directory.Country> countries = bundle.directory().countries();
      if (conversation.page() == 0) {
        for (int i = 0; i < countries.size(); i++) {
          if (String.valueOf(i + 1).equals(text) || normalize(catalog().text("country." + countries.get(i).code())).equals(text)) {
            conversation = with(cn.id(), i + 1, 0, conversation.history(), conversation.answers());
            render(cn);
            return;
          }
        }
        invalid();
      } else if (text.equals(MORE_DIGIT) || isWord("more", text)) {
        leave(cn.next());
      } else {
        invalid();
      }
    }

    void save(String name, String value) {
      Map<String, String> answers = new HashMap<>(conversation.answers());
      answers.put(name, value);
      conversation = with(conversation.node(), conversation.page(), conversation.invalid(), conversation.history(), answers);
    }

    void invalid() {
      Node node = bundle.node(conversation.node());
      int count = conversation.invalid() + 1;
      if (count >= Limits.MAX_INVALID_ANSWERS && node instanceof Waiting w) {
        say("common.restart");
        leave(orMain(w.invalid()));
        return;
      }
      conversation = with(conversation.node(), conversation.page(), count, conversation.history(), conversation.answers());
      int before = prompts.size();
      say(hintFor(node), hintArgs(node));
      if (node instanceof Info info) {
        // The caller has the page already; sending it again would cost a full reply.
        showFooter(info);
      } else if (node instanceof Node.CountryNumbers cn && conversation.page() > 0) {
        prompts.add(Line.option(MORE_DIGIT, cn.done(), catalog().text(cn.done())));
        wait = waitFor(node);
      } else {
        render(node);
        hintAloneUnlessItFits(node, before);
      }
    }

    /**
     * The caller still has the question on their phone: when the hint and the question again would
     * not fit the reply budget, the hint alone is sent (a call, with no budget, always says it all again).
     */
    void hintAloneUnlessItFits(Node node, int before) {
      if (!SmsText.fits(SmsText.render(prompts), maxSegments)) {
        prompts.subList(before + 1, prompts.size()).clear();
        wait = waitFor(node);
      }
    }

    /** Leaves the current waiting node for {@code target}, remembering it for "back". */
    void leave(String target) {
      enter(target, true);
    }

    void enter(String target) {
      enter(target, true);
    }

    void enter(String target, boolean remember) {
      String from = conversation.node();
      List<String> history = conversation.history();
      if (remember && from != null && !from.equals(target) && !conversation.ended()) {
        List<String> h = new ArrayList<>(history);
        h.add(from);
        if (h.size() > Limits.MAX_HISTORY) h.remove(0);
        history = h;
      }
      String id = target;
      while (true) {
        if (++steps > Limits.MAX_STEPS_PER_TURN) {
          throw new IllegalStateException("flow ran more than " + Limits.MAX_STEPS_PER_TURN + " steps in one turn at " + id);
        }
        Node node = bundle.node(id);
        switch (node) {
          case Waiting w -> {
            conversation = with(id, 0, 0, history, conversation.answers());
            render(w);
            return;
          }
          case Message m -> {
            say(m.text());
            id = m.next();
          }
          case SubmitReport r -> {
            String reference = references.next();
            events.add(new ReportSubmitted(reference, conversation.language(), r.id(), new LinkedHashMap<>(conversation.answers())));
            say(r.message(), Map.of("reference", reference));
            conversation = with(conversation.node(), 0, 0, history, Map.of());
            id = r.next();
          }
          case Handoff h -> {
            events.add(new HandoffRequested(conversation.language(), h.id()));
            say(h.message());
            id = h.next();
          }
          case End e -> {
            if (e.message() != null) say(e.message());
            conversation = new Conversation(conversation.language(), id, 0, 0, 0, List.of(), conversation.answers(), true);
            wait = Wait.END;
            return;
          }
        }
      }
    }

    void render(Node node) {
      Catalog c = catalog();
      switch (node) {
        case Menu m -> {
          say(m.prompt());
          for (Option o : m.options()) prompts.add(Line.option(o.digit(), o.label(), c.text(o.label())));
        }
        case LanguageChoice lc -> {
          say(lc.prompt());
          List<Language> languages = bundle.languages().enabled();
          int page = Math.min(conversation.page(), languagePages() - 1);
          int from = page * Limits.LANGUAGES_PER_PAGE;
          for (int i = from; i < Math.min(languages.size(), from + Limits.LANGUAGES_PER_PAGE); i++) {
            Language l = languages.get(i);
            prompts.add(Line.option(String.valueOf(i - from + 1), "language." + l.code(), l.name()));
          }
          if (languagePages() > 1) prompts.add(Line.option(MORE_LANGUAGES_DIGIT, "common.more", c.text("common.more")));
        }
        case Question q -> {
          say(q.prompt());
          if (q.kind() == Node.QuestionKind.CHOICE) {
            for (Option o : q.options()) prompts.add(Line.option(o.digit(), o.label(), c.text(o.label())));
          }
        }
        case Info info -> showPage(info);
        case Node.FollowUp f -> say(f.prompt());
        case Node.CountryNumbers cn -> {
          List<Directory.Country> countries = bundle.directory().countries();
          int page = Math.min(conversation.page(), countries.size());
          if (page == 0) {
            say(cn.prompt());
            for (int i = 0; i < countries.size(); i++) {
              String key = "country." + countries.get(i).code();
              prompts.add(Line.option(String.valueOf(i + 1), key, c.text(key)));
            }
          } else {
            for (Map.Entry<String, String> n : Directory.numbersFor(countries.get(page - 1), conversation.language())) {
              String key = "directory." + n.getKey();
              prompts.add(Line.say(key, c.text(key) + ": " + n.getValue()));
            }
            prompts.add(Line.option(MORE_DIGIT, cn.done(), c.text(cn.done())));
          }
        }
        default -> throw new IllegalStateException("cannot render " + node.id());
      }
      wait = waitFor(node);
    }

    void showPage(Info info) {
      List<String> pages = pages(conversation.language(), country, info);
      int page = Math.min(conversation.page(), pages.size() - 1);
      prompts.add(Line.say(info.content() + "#" + (page + 1), pages.get(page)));
      showFooter(info);
    }

    void showFooter(Info info) {
      boolean last = conversation.page() >= pages(conversation.language(), country, info).size() - 1;
      String label = last ? info.done() : "common.more";
      prompts.add(Line.option(MORE_DIGIT, label, catalog().text(label)));
      wait = Wait.MORE;
    }

    private Conversation with(String node, int page, int invalid, List<String> history, Map<String, String> answers) {
      return new Conversation(conversation.language(), node, page, invalid, 0, history, answers, false);
    }
  }

  static Wait waitFor(Node node) {
    return switch (node) {
      case Question q when q.kind() == Node.QuestionKind.TEXT -> Wait.TEXT;
      case Question q when q.kind() == Node.QuestionKind.NUMBER -> Wait.NUMBER;
      case Info i -> Wait.MORE;
      case Node.FollowUp f -> Wait.TEXT;
      case End e -> Wait.END;
      default -> Wait.CHOICE;
    };
  }

  static String hintFor(Node node) {
    if (node instanceof Node.FollowUp) return "followup.unknown";
    if (node instanceof Question q) {
      return switch (q.kind()) {
        case NUMBER -> "common.invalid.number";
        case TEXT -> "common.invalid.text";
        case CHOICE -> "common.invalid.choice";
      };
    }
    return "common.invalid.choice";
  }

  /** The values a node's hint fills in: a number question's {min} and {max}. */
  public static Map<String, String> hintArgs(Node node) {
    if (node instanceof Question q && q.kind() == Node.QuestionKind.NUMBER) {
      return Map.of("min", String.valueOf(q.min()), "max", String.valueOf(q.max()));
    }
    return Map.of();
  }
}
