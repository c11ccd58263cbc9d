package org.sathi.channel.sms;


import org.sathi.session.Outgoing;
import org.sathi.session.SessionStore;
import java.time.Instant;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sathi.duty.Escalation;
import org.sathi.duty.InboxEntry;
import org.sathi.duty.Roster;
import org.sathi.flow.Conversation;
import org.sathi.flow.Engine;
import org.sathi.flow.Event;
import org.sathi.flow.Input;
import org.sathi.flow.Node;
import org.sathi.flow.Step;
import org.sathi.followup.FollowUps;
import org.sathi.i18n.SmsSegments;
import org.sathi.i18n.SmsText;
import org.sathi.privacy.CallerKey;
import org.sathi.privacy.Sealer;
import org.sathi.report.ReferenceCode;
import org.sathi.turn.OutboxEntry;
import org.sathi.turn.TextChannel;
import org.sathi.turn.TextTurn;
import org.sathi.turn.TurnRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation core of every text channel: one {@link TextTurn} in, the reply text out, the
 * same way whichever transport carried it. Duty officers' texts acknowledge pages; a reference
 * code at rest is a follow-up; everything else walks the flows. The reply is saved with the turn,
 * and for a channel that sends later it goes into that channel's outbox in the same commit.
 */
public final class TextTurns {
  private static final Logger LOG = LoggerFactory.getLogger(TextTurns.class);
  /** The longest text taken in one turn (Twilio's own limit for one body); more is cut. */
  public static final int MAX_TEXT_CHARS = 1600;

  static final Pattern ACK = Pattern.compile("(?i)\\s*ack\\s+([A-Za-z0-9]{4})-?([A-Za-z0-9]{4})\\s*");

  /** Duty officers text the same number: their texts acknowledge pages instead of walking the menu. */
  public record Officers(Roster roster, Escalation escalation) {}

  /**
   * What to answer. {@code kind}: {@code ok}, {@code duplicate} (a message seen before: its earlier
   * reply), {@code officer}, or {@code fallback} (nothing was saved or acknowledged).
   */
  public record Reply(String kind, String text, String language, String callerKey) {
    public boolean saved() {
      return kind.equals("ok") || kind.equals("duplicate");
    }
  }

  private final Engine engine;
  private final TurnRunner runner;
  private final FollowUps followUps;
  private final CallerKey callerKeys;
  private final Sealer sealer;
  private final Officers officers;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final int deadlineMillis;
  private final Runnable onEvents;

  public TextTurns(Engine engine, TurnRunner runner, FollowUps followUps, CallerKey callerKeys, Sealer sealer, Officers officers,
      MeterRegistry metrics, Clock clock, int deadlineMillis, Runnable onEvents) {
    this.engine = engine;
    this.runner = runner;
    this.followUps = followUps;
    this.callerKeys = callerKeys;
    this.sealer = sealer;
    this.officers = officers;
    this.metrics = metrics;
    this.clock = clock;
    this.deadlineMillis = deadlineMillis;
    this.onEvents = onEvents;
  }

  public Engine engine() {
    return engine;
  }

  /** The caller's keyed hash, as turns and outboxes know them. */
  public String keyOf(String from) {
    return callerKeys.of(from);
  }

  /**
   * The polite fallback for a text that could not be stored, in the language its sender most likely
   * reads, with their country's emergency number: for a transport that failed before the turn began.
   */
  public String fallbackText(String from, String text) {
    String language = engine.bundle().languages().guess(text, from).code();
    return engine.bundle().catalog(language, engine.bundle().callingCode(from)).text("common.fallback");
  }

  public Future<Reply> handle(TextChannel channel, TextTurn turn) {
    return handle(channel, turn, null, deadlineMillis);
  }

  /**
   * One turn of a text channel.
   *
   * @param surface  how the channel shows the conversation, where it is not a thread of SMS (USSD); null for SMS
   * @param deadline the turn answers within this many milliseconds: with the fallback when it could not be saved in time
   */
  public Future<Reply> handle(TextChannel channel, TextTurn turn, Surface surface, int deadline) {
    String text = turn.text().length() > MAX_TEXT_CHARS ? turn.text().substring(0, MAX_TEXT_CHARS) : turn.text();
    String key = callerKeys.of(surface == null ? turn.from() : surface.address(turn.from()));
    Optional<Roster.Officer> officer = officers.roster().byPhone(turn.from());
    if (officer.isPresent()) return officerText(officer.get(), text, key);
    String guessed = engine.bundle().languages().guess(text, turn.countryNumber()).code();
    String[] language = {guessed};
    String id = channel.dedupId(turn.messageId());
    FollowUps.Sender sender = new FollowUps.Sender(turn.from(), key, id, engine.bundle().callingCode(turn.countryNumber()));
    return runner.run(key, id, deadline, loaded -> surface == null
            ? plan(channel, turn, text, sender, guessed, language, loaded, null)
            : surfaced(channel, turn, text, sender, guessed, language, loaded, surface))
        .map(o -> {
          if (o.kind().equals("duplicate")) LOG.info("{} message from caller {} was seen before; nothing changed.", channel.name(), CallerKey.shortForm(key));
          if (surface == null) measure(o.reply(), language[0]);
          return new Reply(o.kind().equals("duplicate") ? "duplicate" : "ok", o.reply(), language[0], key);
        })
        .recover(err -> {
          LOG.warn("Text turn on {} for caller {} got the fallback reply, nothing was saved or acknowledged: {}.", channel.name(),
              CallerKey.shortForm(key), TurnRunner.describe(err));
          String reply = engine.bundle().catalog(language[0], sender.country()).text(surface == null ? "common.fallback" : surface.fallbackKey());
          if (surface == null) measure(reply, language[0]);
          return Future.succeededFuture(new Reply("fallback", reply, language[0], key));
        });
  }

  /** A turn on a surface: it reads what the step means, the flows answer, and it shows the answer its own way. */
  private Future<TurnRunner.Plan> surfaced(TextChannel channel, TextTurn turn, String text, FollowUps.Sender sender, String guessed,
      String[] language, SessionStore.Loaded loaded, Surface surface) {
    Instant now = clock.instant();
    Surface.Move move = surface.read(loaded, text, now);
    if (loaded.conversation() != null) language[0] = loaded.conversation().language();
    Future<TurnRunner.Plan> plan = switch (move) {
      // Nothing moves: the conversation and what the caller follows up stay as they are.
      case Surface.Own own -> Future.succeededFuture(new TurnRunner.Plan(true, loaded.conversation(), own.reply(), List.of(), null,
          loaded.followUp(), List.of(), null, null, own.remembered()));
      case Surface.Answer answer -> plan(channel, turn, answer.text(), sender, guessed, language, loaded, surface);
      case Surface.Start start -> plan(channel, turn, "", sender, guessed, language, loaded.afresh(), surface);
      case Surface.Back back -> Future.succeededFuture(walk(channel, turn, sender, loaded, new Input.Back(), surface));
      case Surface.Resume resume -> Future.succeededFuture(walk(channel, turn, sender, loaded, new Input.Resume(), surface));
    };
    if (move instanceof Surface.Own) return plan;
    return plan.map(p -> {
      Surface.Shown shown = surface.show(loaded, text, move, p.reply(), p.next(), now);
      return p.shown(shown.reply(), shown.remembered());
    });
  }

  private Future<TurnRunner.Plan> plan(TextChannel channel, TextTurn turn, String text, FollowUps.Sender sender, String guessed,
      String[] language, SessionStore.Loaded loaded, Surface surface) {
    Conversation conversation = loaded.conversation();
    if (conversation != null) language[0] = conversation.language();
    else if (loaded.returningLanguage() != null) language[0] = loaded.returningLanguage();
    boolean atRest = conversation == null || conversation.ended() || conversation.node() == null
        || engine.bundle().mainMenu().equals(conversation.node())
        || engine.bundle().nodes().get(conversation.node()) instanceof org.sathi.flow.node.FollowUp;
    Optional<String> code = atRest ? ReferenceCode.parse(text) : Optional.empty();
    Future<TurnRunner.Plan> plan;
    if (code.isPresent()) {
      plan = followUps.byCode(sender, loaded, code.get(), language[0]);
    } else if (atRest && loaded.followUp() != null && !text.isBlank() && !engine.isGlobalWord(language[0], text)) {
      // Only at rest: a thread an officer opened must not take the answers of a report being made now.
      plan = followUps.addWords(sender, loaded, text, language[0]);
    } else {
      Input input = conversation == null
          ? new Input.Start(loaded.returningLanguage() != null ? loaded.returningLanguage() : guessed, loaded.returningLanguage() != null, text)
          : new Input.Text(text);
      return Future.succeededFuture(later(channel, turn, sender, walk(channel, turn, sender, loaded, input, surface)));
    }
    // A surface that keeps no reply window keeps none for a follow-up either.
    return plan.map(p -> later(channel, turn, sender, surface == null ? p : p.withoutReach()));
  }

  /** For a channel that sends later, the reply also goes to its outbox, in the same commit. */
  private TurnRunner.Plan later(TextChannel channel, TextTurn turn, FollowUps.Sender sender, TurnRunner.Plan p) {
    return channel.sendsLater() ? p.withOutgoing(new Outgoing(channel.name(),
        OutboxEntry.seal(sealer, sender.key(), turn.messageId(), turn.from(), p.reply()))) : p;
  }

  /**
   * The flows' answer. The number is sealed when an officer may need to answer: kept for the reply
   * window after a hand-off or a report (on a surface, where it says so), and with a report whose
   * reporter agreed to be contacted.
   */
  private TurnRunner.Plan walk(TextChannel channel, TextTurn turn, FollowUps.Sender sender, SessionStore.Loaded loaded, Input input,
      Surface surface) {
    Step step = engine.advance(loaded.conversation(), input, sender.country());
    String reply = SmsText.render(step.prompts());
    boolean window = surface != null ? surface.keepsReplyWindow(step)
        : step.events().stream().anyMatch(e -> e instanceof Event.HandoffRequested || e instanceof Event.ReportSubmitted);
    boolean consented = step.events().stream().anyMatch(e -> e instanceof Event.ReportSubmitted r && "yes".equals(r.answers().get("contact")));
    String sealed = window || consented ? sealer.seal(turn.from(), sender.key()) : null;
    List<String> references = step.events().stream().filter(e -> e instanceof Event.ReportSubmitted)
        .map(e -> ((Event.ReportSubmitted) e).reference()).toList();
    List<String> entries = InboxEntry.of(step.events(), channel.name(), sender.key(), sender.messageId(), clock.instant(), sealed);
    return new TurnRunner.Plan(true, step.next(), reply, entries, window ? sealed : null, null, references, null, () -> {
      logTurn(channel.name(), sender.caller(), step);
      if (!entries.isEmpty()) onEvents.run();
    });
  }

  /** An officer's text: {@code ACK XXXX-XXXX} acknowledges a page; anything else gets the instruction. */
  private Future<Reply> officerText(Roster.Officer officer, String body, String key) {
    Matcher m = ACK.matcher(body);
    if (!m.matches()) {
      return Future.succeededFuture(new Reply("officer", "To acknowledge a page, reply ACK and its code, for example ACK ABCD-EFGH.", "en", key));
    }
    String reference = (m.group(1) + "-" + m.group(2)).toUpperCase(Locale.ROOT);
    return officers.escalation().acknowledge(reference, officer.id())
        .map(found -> new Reply("officer", found ? "Acknowledged " + reference + ". Thank you." : "There is no report " + reference + ".", "en", key))
        .recover(err -> Future.succeededFuture(new Reply("officer", "Could not record the acknowledgement; please try again or use the console.", "en", key)));
  }

  private void measure(String reply, String language) {
    if (reply == null) return;
    DistributionSummary.builder("sathi.sms.reply.segments").tag("language", language)
        .description("SMS segments of each reply").register(metrics)
        .record(SmsSegments.of(reply).segments());
  }

  private static void logTurn(String channel, String caller, Step step) {
    for (Event e : step.events()) {
      switch (e) {
        case Event.ReportSubmitted r -> LOG.info("Report {} stored for caller {} ({}, {}); the reporter has the code.", r.reference(), caller, channel, r.language());
        case Event.HandoffRequested h -> LOG.info("Caller {} asked to talk to someone ({}, {}); request stored.", caller, channel, h.language());
        case Event.ConversationWiped w -> LOG.info("Caller {} used the quick-exit word; conversation wiped.", caller);
      }
    }
    if (step.next() != null) LOG.info("Text turn for caller {} now at {} ({}).", caller, step.next().node(), step.next().language());
  }
}
