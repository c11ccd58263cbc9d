package org.sathi.sms;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.sathi.flow.Conversation;
import org.sathi.flow.Engine;
import org.sathi.flow.Event;
import org.sathi.flow.Input;
import org.sathi.flow.Node;
import org.sathi.flow.Step;
import org.sathi.i18n.SmsSegments;
import java.util.Optional;
import java.util.regex.Matcher;
import org.sathi.duty.Escalation;
import org.sathi.duty.Roster;
import org.sathi.i18n.Catalog;
import org.sathi.report.CallerKey;
import org.sathi.report.ReferenceCode;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.sathi.report.Sealer;
import org.sathi.session.StoreUnavailable;
import java.time.Instant;
import org.sathi.session.SessionStore;
import org.sathi.twilio.WebhookForm;
import org.sathi.twilio.WebhookRequest;
import org.sathi.twilio.WebhookRequest.Refused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /twilio/sms}: one inbound text, one turn. Signature first (403, nothing changed),
 * then load (one round trip), the engine, and commit (one round trip) before the reply is sent.
 * When the store fails or the turn runs past its deadline, the caller gets a polite fallback in
 * their language and nothing is acknowledged.
 */
public final class SmsWebhook {
  private static final Logger LOG = LoggerFactory.getLogger(SmsWebhook.class);
  /** Twilio's own limit for one message body is 1600 characters. */
  public static final int MAX_BODY_CHARS = 1600;

  private static final Map<String, Pattern> REQUIRED = Map.of(
      "From", WebhookForm.E164,
      "MessageSid", WebhookForm.MESSAGE_SID);

  /** What the webhook needs for each turn. */
  public record Settings(int turnDeadlineMillis) {}

  /** Duty officers text the same number: their texts acknowledge pages instead of walking the menu. */
  public record Officers(Roster roster, Escalation escalation) {}

  static final Pattern ACK = Pattern.compile("(?i)\\s*ack\\s+([A-Za-z0-9]{4})-?([A-Za-z0-9]{4})\\s*");

  private final WebhookRequest requests;
  private final Engine engine;
  private final SessionStore store;
  private final ReportStore reports;
  private final CallerKey callerKeys;
  private final Sealer sealer;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final Settings settings;
  private final Officers officers;
  private final Runnable onEvents;

  public SmsWebhook(WebhookRequest requests, Engine engine, SessionStore store, ReportStore reports, CallerKey callerKeys, Sealer sealer,
      MeterRegistry metrics, Clock clock, Settings settings, Officers officers, Runnable onEvents) {
    this.requests = requests;
    this.engine = engine;
    this.store = store;
    this.reports = reports;
    this.callerKeys = callerKeys;
    this.sealer = sealer;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
    this.officers = officers;
    this.onEvents = onEvents;
  }

  public void handle(RoutingContext ctx) {
    Timer.Sample sample = Timer.start(metrics);
    requests.read(ctx).compose(form -> {
      try {
        WebhookRequest.require(form, REQUIRED);
      } catch (Refused r) {
        return Future.failedFuture(r);
      }
      Optional<Roster.Officer> officer = officers.roster().byPhone(form.get("From"));
      return officer.isPresent() ? officerText(officer.get(), form.fields().getOrDefault("Body", "")) : turn(form);
    }).map(o -> new WebhookRequest.Answer(o.kind, SmsReply.twiml(o.reply))).onComplete(ar -> {
      String outcome = WebhookRequest.respond(ctx, ar, "SMS webhook");
      sample.stop(Timer.builder("sathi.webhook").tag("channel", "sms").tag("outcome", outcome)
          .publishPercentileHistogram().register(metrics));
    });
  }

  private record Outcome(String kind, String reply) {}

  /** An officer's text: {@code ACK XXXX-XXXX} acknowledges a page; anything else gets the instruction. */
  private Future<Outcome> officerText(Roster.Officer officer, String body) {
    Matcher m = ACK.matcher(body);
    if (!m.matches()) {
      return Future.succeededFuture(new Outcome("officer", "To acknowledge a page, reply ACK and its code, for example ACK ABCD-EFGH."));
    }
    String reference = (m.group(1) + "-" + m.group(2)).toUpperCase(java.util.Locale.ROOT);
    return officers.escalation().acknowledge(reference, officer.id())
        .map(found -> new Outcome("officer", found ? "Acknowledged " + reference + ". Thank you." : "There is no report " + reference + "."))
        .recover(err -> Future.succeededFuture(new Outcome("officer", "Could not record the acknowledgement; please try again or use the console.")));
  }

  /** Turns a caller's two racing messages may need before one of them commits. */
  static final int MAX_ATTEMPTS = 3;
  /** A commit must land this long before the turn's deadline, or not at all. */
  static final long COMMIT_MARGIN_MILLIS = 150;

  /** One inbound text, as the turn needs it. */
  private record Text(String from, String sid, String body, String key, String caller, String guessed) {}

  private Future<Outcome> turn(WebhookForm form) {
    String from = form.get("From");
    String body = form.fields().getOrDefault("Body", "");
    if (body.length() > MAX_BODY_CHARS) body = body.substring(0, MAX_BODY_CHARS);
    String key = callerKeys.of(from);
    Text text = new Text(from, form.get("MessageSid"), body, key, CallerKey.shortForm(key),
        engine.bundle().languages().guess(body, from).code());
    String[] language = {text.guessed()};
    Instant commitDeadline = clock.instant().plusMillis(settings.turnDeadlineMillis() - COMMIT_MARGIN_MILLIS);

    return attempt(text, language, commitDeadline, 1)
        .timeout(settings.turnDeadlineMillis(), TimeUnit.MILLISECONDS)
        .map(o -> {
          measure(o.reply, language[0]);
          return o;
        })
        .recover(err -> {
          LOG.warn("SMS turn for caller {} got the fallback reply, nothing was saved or acknowledged: {}.", text.caller(), WebhookRequest.describe(err));
          String reply = engine.bundle().catalog(language[0]).text("common.fallback");
          measure(reply, language[0]);
          return Future.succeededFuture(new Outcome("fallback", reply));
        });
  }

  private Future<Outcome> attempt(Text text, String[] language, Instant commitDeadline, int attempt) {
    return store.load(text.key(), text.sid()).compose(loaded -> {
      if (loaded.previousReply() != null) {
        LOG.info("SMS webhook retried for caller {}; sent the same reply again.", text.caller());
        return Future.succeededFuture(new Outcome("duplicate", loaded.previousReply()));
      }
      Conversation conversation = loaded.conversation();
      if (conversation != null) language[0] = conversation.language();
      else if (loaded.returningLanguage() != null) language[0] = loaded.returningLanguage();
      boolean atRest = conversation == null || conversation.ended() || conversation.node() == null
          || engine.bundle().mainMenu().equals(conversation.node())
          || engine.bundle().nodes().get(conversation.node()) instanceof Node.FollowUp;
      Optional<String> code = atRest ? ReferenceCode.parse(text.body()) : Optional.empty();
      if (code.isPresent()) return followUp(text, loaded, code.get(), language[0], commitDeadline, attempt);
      // Only at rest: a thread an officer opened must not take the answers of a report being made now.
      if (atRest && loaded.followUp() != null && !text.body().isBlank() && !engine.isGlobalWord(language[0], text.body())) {
        return addToReport(text, loaded, language[0], commitDeadline, attempt);
      }
      Input input = conversation == null
          ? new Input.Start(loaded.returningLanguage() != null ? loaded.returningLanguage() : text.guessed(), loaded.returningLanguage() != null, text.body())
          : new Input.Text(text.body());
      Step step = engine.advance(conversation, input);
      String reply = SmsReply.text(step);
      String reach = reach(step, text);
      List<String> references = step.events().stream().filter(e -> e instanceof Event.ReportSubmitted)
          .map(e -> ((Event.ReportSubmitted) e).reference()).toList();
      SessionStore.Commit commit = new SessionStore.Commit(text.key(), text.sid(), loaded.version(), step.next(), reply,
          org.sathi.duty.InboxEntry.of(step.events(), "sms", text.key(), text.sid(), clock.instant(), reach), reach, commitDeadline, null, references);
      return commit(commit, text, language, attempt, () -> {
        logTurn(text.caller(), step);
        if (!commit.events().isEmpty()) onEvents.run();
      });
    });
  }

  /** A reporter texted a reference code: the status in plain words, and their next text goes into the report. */
  private Future<Outcome> followUp(Text text, SessionStore.Loaded loaded, String code, String language, Instant deadline, int attempt) {
    Catalog c = engine.bundle().catalog(language);
    if (loaded.followUpFailures() >= MAX_FOLLOW_UP_FAILURES) {
      LOG.info("Follow-up by caller {} refused: too many wrong codes in the last hour.", text.caller());
      return commitReply(text, loaded, language, c.text("followup.locked"), null, deadline, attempt);
    }
    return reports.get(code).compose(found -> {
      if (found.isEmpty()) {
        return store.referenceTaken(code).compose(taken -> taken
            // Given out, still on its way to the queue: it counts as received, not as a wrong guess.
            ? commitReply(text, loaded, language, c.text("followup.new", Map.of("reference", code)), null, deadline, attempt)
            : store.followUpFailed(text.key(), text.sid()).compose(failures -> {
          LOG.info("Caller {} sent an unknown reference code ({} in the last hour).", text.caller(), failures);
          String reply = c.text(failures >= MAX_FOLLOW_UP_FAILURES ? "followup.locked" : "followup.unknown");
          return commitReply(text, loaded, language, reply, null, deadline, attempt);
        }));
      }
      Map<String, String> args = Map.of("reference", code);
      String status = switch (found.get().status()) {
        case NEW -> "followup.new";
        case CLAIMED, IN_PROGRESS -> "followup.working";
        case REFERRED -> "followup.referred";
        case CLOSED -> "followup.closed";
      };
      boolean open = found.get().open();
      String reply = c.text(status, args) + (open ? "\n" + c.text("followup.more") : "");
      LOG.info("Caller {} followed up a report.", text.caller()); // not which: that would link this phone to the report
      // Found: the caller's next text goes to the report; after that, any text shows the main menu.
      return commitReply(text, loaded, Conversation.fresh(language), reply, open ? code : null, deadline, attempt);
    });
  }

  /**
   * The text after a follow-up, or in a thread an officer opened, is added to that report's timeline
   * as the reporter's own words, and says whether it came from the phone that made the report.
   * A report closed meanwhile takes nothing: words there would reach nobody. The reporter is told,
   * and gets the main menu, to report again or ask for a person.
   */
  private Future<Outcome> addToReport(Text text, SessionStore.Loaded loaded, String language, Instant deadline, int attempt) {
    String reference = loaded.followUp();
    String words = text.body().strip();
    Catalog c = engine.bundle().catalog(language);
    Conversation keep = loaded.conversation() != null ? loaded.conversation() : Conversation.fresh(language);
    return reports.get(reference).compose(found -> {
      if (found.isEmpty() || !found.get().open()) {
        LOG.info("Caller {} wrote to a report that is no longer open; nothing was added, and they were shown the menu.", text.caller());
        Step menu = engine.mainMenu(Conversation.fresh(language));
        String reply = (found.isEmpty() ? c.text("followup.unknown") : c.text("followup.closed", Map.of("reference", reference))) + "\n"
            + SmsReply.text(menu);
        return commitReply(text, loaded, menu.next(), reply, null, null, deadline, attempt);
      }
      boolean samePhone = text.key().equals(found.get().callerKey());
      TimelineEntry entry = new TimelineEntry(clock.instant(), "reporter-added", samePhone ? TimelineEntry.REPORTER : TimelineEntry.OTHER_PHONE, words);
      return reports.note(reference, entry, text.sid()).compose(added -> {
        if (added) LOG.info("Caller {} added information to the report they followed up.", text.caller());
        String reply = c.text(added ? "followup.added" : "followup.unknown");
        if (!added) return commitReply(text, loaded, keep, reply, null, null, deadline, attempt);
        // The reply window starts again from these words, so an officer can answer them. Once an officer
        // has texted the reporter, the conversation stays with the report (MENU or the quick exit leave it);
        // otherwise the next text is the menu again.
        return reports.timeline(reference).compose(timeline -> {
          boolean officerThread = samePhone && timeline.stream().anyMatch(e -> "reply".equals(e.kind()));
          return commitReply(text, loaded, keep, reply, officerThread ? reference : null,
              samePhone ? sealer.seal(text.from(), text.key()) : null, deadline, attempt);
        });
      });
    });
  }

  /** Saves a reply that does not move the conversation (it stays where it was, or starts at the main menu). */
  private Future<Outcome> commitReply(Text text, SessionStore.Loaded loaded, String language, String reply, String followUp,
      Instant deadline, int attempt) {
    Conversation keep = loaded.conversation() != null ? loaded.conversation() : Conversation.fresh(language);
    return commitReply(text, loaded, keep, reply, followUp, null, deadline, attempt);
  }

  private Future<Outcome> commitReply(Text text, SessionStore.Loaded loaded, Conversation keep, String reply, String followUp,
      Instant deadline, int attempt) {
    return commitReply(text, loaded, keep, reply, followUp, null, deadline, attempt);
  }

  /** @param reach the caller's number, sealed, to keep for the reply window; or null */
  private Future<Outcome> commitReply(Text text, SessionStore.Loaded loaded, Conversation keep, String reply, String followUp,
      String reach, Instant deadline, int attempt) {
    String language = keep.language();
    SessionStore.Commit commit = new SessionStore.Commit(text.key(), text.sid(), loaded.version(), keep, reply, List.of(), reach, deadline, followUp,
        List.of());
    return commit(commit, text, new String[] {language}, attempt, () -> {});
  }

  /**
   * Commits a turn and says what to answer: this turn's reply once saved, the earlier reply to a
   * retried webhook, the turn run again when another message of the caller committed first.
   */
  private Future<Outcome> commit(SessionStore.Commit commit, Text text, String[] language, int attempt, Runnable saved) {
    return store.commit(commit).compose(committed -> switch (committed.status()) {
      case SAVED -> {
        saved.run();
        yield Future.succeededFuture(new Outcome("ok", commit.reply()));
      }
      case DUPLICATE -> {
        LOG.info("SMS webhook for caller {} was answered by a concurrent retry; sent that reply.", text.caller());
        yield Future.succeededFuture(new Outcome("duplicate", committed.reply()));
      }
      case CONFLICT -> attempt < MAX_ATTEMPTS
          ? attempt(text, language, commit.deadline(), attempt + 1)
          : Future.failedFuture(new StoreUnavailable("another message of the same caller kept committing first"));
      case LATE -> Future.failedFuture(new StoreUnavailable("the commit reached Redis after the turn's deadline and was refused"));
    });
  }

  /** Wrong reference codes from one caller within an hour before follow-up is locked for the hour. */
  static final int MAX_FOLLOW_UP_FAILURES = 5;

  /**
   * The caller's number, sealed, when an officer may need to answer: they asked for a person or sent
   * a report. Kept only for the reply window after their last text (session.replyWindowMinutes).
   */
  private String reach(Step step, Text text) {
    boolean needed = step.events().stream().anyMatch(e -> e instanceof Event.HandoffRequested || e instanceof Event.ReportSubmitted);
    return needed ? sealer.seal(text.from(), text.key()) : null;
  }



  private void measure(String reply, String language) {
    DistributionSummary.builder("sathi.sms.reply.segments").tag("language", language)
        .description("SMS segments of each reply").register(metrics)
        .record(SmsSegments.of(reply).segments());
  }

  private void logTurn(String caller, Step step) {
    for (Event e : step.events()) {
      switch (e) {
        case Event.ReportSubmitted r -> LOG.info("Report {} stored for caller {} (sms, {}); the reporter has the code.", r.reference(), caller, r.language());
        case Event.HandoffRequested h -> LOG.info("Caller {} asked to talk to someone (sms, {}); request stored.", caller, h.language());
        case Event.ConversationWiped w -> LOG.info("Caller {} used the quick-exit word; conversation wiped.", caller);
      }
    }
    if (step.next() != null) {
      LOG.info("SMS turn for caller {} now at {} ({}).", caller, step.next().node(), step.next().language());
    }
  }

}
