package org.sathi.console;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.sathi.i18n.SmsSegments;
import org.sathi.report.Report;
import org.sathi.privacy.Sealer;
import org.sathi.report.TimelineEntry;
import org.sathi.session.SessionStore;
import org.sathi.channel.SmsSender;

/**
 * An officer's SMS to a reporter. The officer never sees the number: it is opened from its seal
 * here, handed to Twilio, and forgotten. Allowed while the report is open and either the reporter
 * agreed to be contacted (the number is sealed with the report), or their last text about it is no
 * older than the reply window and their number is still kept (sealed, in the session store, for as
 * long as that window). After a reply the reporter's next texts go into the same report.
 * The SMS comes from the hotline's own number and carries only the officer's words: a neutral sender.
 */
public final class ReporterLine {
  /** Timeline kinds that are the reporter's own words: the reply window runs from the latest. */
  static final List<String> REPORTER_KINDS = List.of("reporter-added");
  /** The channel of calls; every other channel is a text channel, whose reporter's number the session keeps. */
  static final String VOICE = "voice";
  /** USSD channels ({@code ussd:<name>}) keep no reply window: only a hand-off (the caller asked to be reached) or consent. */
  static final String USSD = "ussd:";


  private final SessionStore sessions;
  private final Sealer sealer;
  private final SmsSender sender;
  private final Clock clock;
  private final Duration window;
  private final int maxSegments;

  public ReporterLine(SessionStore sessions, Sealer sealer, SmsSender sender, Clock clock, Duration window, int maxSegments) {
    this.sessions = sessions;
    this.sealer = sealer;
    this.sender = sender;
    this.clock = clock;
    this.window = window;
    this.maxSegments = maxSegments;
  }

  /** Whether an officer may text this reporter now, until when, and if not, why (shown in the console). */
  public record Reach(boolean allowed, Instant until, String reason) {}

  /** What the console shows before a reply is written. Does not open the seal. */
  public Reach reach(Report r, List<TimelineEntry> timeline) {
    if (!r.open()) return new Reach(false, null, "The report is closed.");
    if (consented(r)) return new Reach(true, null, "The reporter agreed to be contacted: you can text them while the report is open.");
    if (VOICE.equals(r.channel())) {
      return new Reach(false, null, "The reporter called and did not agree to be contacted, so there is no number to text.");
    }
    if (r.channel() != null && r.channel().startsWith(USSD) && !"handoff".equals(r.kind())) {
      return new Reach(false, null, "The reporter used a USSD menu, which leaves nothing on the phone, and did not agree to be contacted,"
          + " so nothing may be texted to them. If they follow up with their code, their words come to this report.");
    }
    Instant until = lastWords(r, timeline).plus(window);
    if (!clock.instant().isBefore(until)) {
      return new Reach(false, until, "The reply window closed: the reporter last wrote more than " + window.toMinutes()
          + " minutes ago and did not agree to be contacted. If they text again, you can answer.");
    }
    return new Reach(true, until, "You can text the reporter until the reply window closes.");
  }

  /** The outcome of a reply: sent, or refused with a reason for the officer (and the HTTP status to give). */
  public record Sent(boolean sent, int status, String reason, int segments) {}

  /**
   * Sends the officer's words, when the rules allow. {@code beforeSending} runs once the number is
   * known and before Twilio is asked, so the reply is on the timeline even if the answer from Twilio
   * is lost; a send that fails after it is for the caller to record. The thread is opened afterwards,
   * best effort: a reply Twilio took is never reported as failed.
   */
  public Future<Sent> send(Report r, List<TimelineEntry> timeline, String text, java.util.function.Supplier<Future<?>> beforeSending) {
    SmsSegments size = SmsSegments.of(text);
    if (size.segments() > maxSegments) {
      return Future.succeededFuture(new Sent(false, 400, "A reply fits " + maxSegments + " SMS segments; this one needs " + size.segments()
          + ". Shorten it" + (size.encoding() == SmsSegments.Encoding.UCS_2 ? " (this script fits 67 characters a segment)." : "."), size.segments()));
    }
    Reach reach = reach(r, timeline);
    if (!reach.allowed()) return Future.succeededFuture(new Sent(false, 409, reach.reason(), size.segments()));
    Future<String> sealed = consented(r) ? Future.succeededFuture(r.sealedContact()) : sessions.sealedReach(r.callerKey());
    return sealed.compose(blob -> {
      String number = blob == null ? null : sealer.open(blob, r.callerKey());
      if (number == null) {
        return Future.succeededFuture(new Sent(false, 409, "The reporter's number is no longer kept (they used the quick exit, or the window"
            + " ended), so they cannot be texted.", size.segments()));
      }
      return beforeSending.get().compose(v -> sender.send(number, text, r.reference())).compose(sid -> {
        if (VOICE.equals(r.channel())) return Future.succeededFuture(new Sent(true, 200, null, size.segments()));
        return sessions.openThread(r.callerKey(), r.reference())
            .map(v -> new Sent(true, 200, null, size.segments()))
            .recover(err -> Future.succeededFuture(new Sent(true, 200, "The SMS was sent, but the reporter's answer may start a new"
                + " conversation instead of coming back to this report.", size.segments())));
      });
    });
  }

  static boolean consented(Report r) {
    return r.sealedContact() != null && r.answers() != null && "yes".equals(r.answers().contact());
  }

  /** When the reporter last wrote about this report: its arrival, or the latest text they added. */
  static Instant lastWords(Report r, List<TimelineEntry> timeline) {
    Instant last = r.createdAt();
    for (TimelineEntry e : timeline) {
      if (REPORTER_KINDS.contains(e.kind()) && !TimelineEntry.OTHER_PHONE.equals(e.actor()) && e.at().isAfter(last)) last = e.at();
    }
    return last;
  }
}
