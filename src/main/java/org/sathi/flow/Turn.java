package org.sathi.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sathi.flow.Event.ConversationWiped;
import org.sathi.flow.Event.ReportSubmitted;
import org.sathi.flow.Node.Option;
import org.sathi.flow.Node.Waiting;
import org.sathi.flow.Step.Wait;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.SmsText;
import org.sathi.i18n.SmsText.Line;

/**
 * One turn's working state: the conversation as it changes, what to say, and the events for the
 * host. The engine runs the turn loop and the words that work everywhere; each node kind acts on
 * the turn through these methods.
 */
public final class Turn {
  private final Engine engine;
  private final FlowBundle bundle;
  Conversation conversation;
  final List<Line> prompts = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  private Wait wait = Wait.END;
  private boolean wiped;
  private int steps;
  /** The caller's calling code, for their own country's numbers; null for the fallback numbers. */
  private final String country;

  Turn(Engine engine, Conversation conversation, String country) {
    this.engine = engine;
    this.bundle = engine.bundle();
    this.conversation = conversation;
    this.country = country;
  }

  // ---- what a node kind reads --------------------------------------------------------------

  public Conversation conversation() {
    return conversation;
  }

  public FlowBundle bundle() {
    return bundle;
  }

  public Catalog catalog() {
    return bundle.catalog(conversation.language(), country);
  }

  /** The caller's calling code ("880"), for what depends on their country; null when unknown. */
  public String callingCode() {
    return country;
  }

  /** The pages of long content in the conversation's language and the caller's country; the last page offers {@code done}. */
  public List<String> pages(String content, String done) {
    return engine.pages(conversation.language(), country, content, done);
  }

  /** How many screens the language menu takes. */
  public int languagePages() {
    return engine.languagePages();
  }

  /** Whether the normalised text is one of the words of a kind (menu, back, more, dontknow...) here or in the default language. */
  public boolean isWord(String kind, String text) {
    if (engine.matches(catalog().words(kind), text)) return true;
    return engine.matches(bundle.catalog(bundle.languages().fallback().code()).words(kind), text);
  }

  /** The option chosen by its digit or by its label's wording. */
  public Optional<Option> pick(List<Option> options, String text) {
    for (Option o : options) {
      if (o.digit().equals(text) || Engine.normalize(catalog().text(o.label())).equals(text)) return Optional.of(o);
    }
    return Optional.empty();
  }

  // ---- what a node kind says ---------------------------------------------------------------

  public void say(String key) {
    say(key, Map.of());
  }

  public void say(String key, Map<String, String> args) {
    prompts.add(Line.say(key, catalog().text(key, args)));
  }

  /** A line whose text is not a message of the catalog as it stands (a page, a number). */
  public void line(String key, String text) {
    prompts.add(Line.say(key, text));
  }

  /** "digit. label" with the label's message. */
  public void option(String digit, String labelKey) {
    prompts.add(Line.option(digit, labelKey, catalog().text(labelKey)));
  }

  /** "digit. text" with a text of its own (a language's name in its own script). */
  public void option(String digit, String key, String text) {
    prompts.add(Line.option(digit, key, text));
  }

  /** What the caller is expected to do next, when a node's screen decides it. */
  public void expect(Wait wait) {
    this.wait = wait;
  }

  // ---- what a node kind does ---------------------------------------------------------------

  /** Leaves the current waiting node for {@code target}, remembering it for "back". */
  public void leave(String target) {
    enter(target, true);
  }

  /** A target, or the main menu when there is none. */
  public String orMain(String target) {
    return target != null ? target : bundle.mainMenu();
  }

  /** Saves an answer in the conversation. */
  public void save(String name, String value) {
    Map<String, String> answers = new HashMap<>(conversation.answers());
    answers.put(name, value);
    conversation = with(conversation.node(), conversation.page(), conversation.invalid(), conversation.history(), answers);
  }

  /** Shows another page (or screen) of the node the caller is at. */
  public void page(int page) {
    conversation = with(conversation.node(), page, 0, conversation.history(), conversation.answers());
  }

  /** From now on the conversation is in another language. */
  public void language(String code) {
    Conversation c = conversation;
    conversation = new Conversation(code, c.node(), 0, 0, 0, c.history(), c.answers(), false);
  }

  /** Files the saved answers as a report; the answers are then forgotten. Returns its reference code. */
  public String fileReport(String nodeId) {
    String reference = engine.references().next();
    events.add(new ReportSubmitted(reference, conversation.language(), nodeId, new LinkedHashMap<>(conversation.answers())));
    conversation = with(conversation.node(), 0, 0, conversation.history(), Map.of());
    return reference;
  }

  public void event(Event event) {
    events.add(event);
  }

  /** The conversation is over at this node; the next message starts again at the main menu. */
  public void end(String nodeId) {
    conversation = new Conversation(conversation.language(), nodeId, 0, 0, 0, List.of(), conversation.answers(), true);
    wait = Wait.END;
  }

  /** An answer that does not fit: the hint and the screen again; the third in a row leaves for the node's invalid target. */
  public void invalid() {
    Node node = bundle.node(conversation.node());
    int count = conversation.invalid() + 1;
    if (count >= Limits.MAX_INVALID_ANSWERS && node instanceof Waiting w) {
      say("common.restart");
      leave(orMain(w.invalid()));
      return;
    }
    conversation = with(conversation.node(), conversation.page(), count, conversation.history(), conversation.answers());
    if (node instanceof Waiting w) hint(w);
  }

  /** Shows a waiting node's screen. */
  public void render(Waiting node) {
    wait = node.waits();
    node.render(this);
  }

  /**
   * The caller still has the screen on their phone: when the hint and the screen again would not
   * fit the reply budget, the hint alone is sent (a call, with no budget, always says it all again).
   */
  public void hintAloneUnlessItFits(Waiting node, int hintAt) {
    if (!SmsText.fits(SmsText.render(prompts), engine.maxSegments())) {
      prompts.subList(hintAt + 1, prompts.size()).clear();
      wait = node.waits();
    }
  }

  // ---- the engine's own steps ----------------------------------------------------------------

  Step step() {
    return new Step(wiped ? null : conversation, prompts, wiped ? Wait.END : wait, events);
  }

  /** The node the caller is answering; null when there is none or it no longer exists. */
  Waiting current() {
    if (conversation.node() == null || conversation.ended()) return null;
    return bundle.nodes().get(conversation.node()) instanceof Waiting w ? w : null;
  }

  void hint(Waiting node) {
    int at = prompts.size();
    say(node.hint(), node.hintArgs());
    node.remind(this, at);
  }

  /** Quick exit: one neutral line, nothing of the conversation kept. */
  void exit() {
    say("common.exit");
    events.add(new ConversationWiped());
    wiped = true;
  }

  void help(Waiting node) {
    say("common.help");
    wait = node.waits();
  }

  void restart() {
    conversation = Conversation.fresh(conversation.language());
    enter(bundle.mainMenu());
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
    conversation = with(from, conversation.page(), conversation.invalid(), history, conversation.answers());
    String id = target;
    while (id != null) {
      if (++steps > Limits.MAX_STEPS_PER_TURN) {
        throw new IllegalStateException("flow ran more than " + Limits.MAX_STEPS_PER_TURN + " steps in one turn at " + id);
      }
      Node node = bundle.node(id);
      String instead = node instanceof Waiting w ? w.skip(this) : null;
      if (instead != null) {
        id = instead;
        continue;
      }
      if (node instanceof Waiting w) {
        conversation = with(id, 0, 0, conversation.history(), conversation.answers());
        render(w);
        return;
      }
      id = node.pass(this);
    }
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

  /** Silence: the first two times the screen again, the third time the node's timeout target. */
  void timeout() {
    Waiting w = current();
    if (w == null) {
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
   * The call ended. Answers given on the way to a report are not thrown away: they are handed
   * over as a report marked {@value Engine#ENDED_ANSWER}, though the caller never heard its code.
   */
  void hangup() {
    Node node = current();
    if (node != null && !conversation.answers().isEmpty()) {
      Node ahead = reportAhead(node);
      // Left the report's questions (silence sent them to the menu, or 0 to the language menu):
      // the report is the one the saved answers were asked for.
      for (Node n : bundle.nodes().values()) {
        if (ahead != null) break;
        if (n.saves() != null && conversation.answers().containsKey(n.saves())) ahead = reportAhead(n);
      }
      if (ahead != null) {
        Map<String, String> answers = new LinkedHashMap<>(conversation.answers());
        answers.put(Engine.ENDED_ANSWER, "hangup");
        events.add(new ReportSubmitted(engine.references().next(), conversation.language(), ahead.id(), answers));
      }
    }
    conversation = new Conversation(conversation.language(), conversation.node(), 0, 0, 0, List.of(), Map.of(), true);
    wait = Wait.END;
  }

  /** The report node the caller was answering questions for: forward through questions and messages only. */
  private Node reportAhead(Node from) {
    Deque<Node> todo = new ArrayDeque<>(List.of(from));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!seen.add(n.id())) continue;
      List<String> next = n.towardsReport();
      if (next == null) return n;
      for (String id : next) {
        Node target = bundle.nodes().get(id);
        if (target != null) todo.add(target);
      }
    }
    return null;
  }

  private Conversation with(String node, int page, int invalid, List<String> history, Map<String, String> answers) {
    return new Conversation(conversation.language(), node, page, invalid, 0, history, answers, false);
  }
}
