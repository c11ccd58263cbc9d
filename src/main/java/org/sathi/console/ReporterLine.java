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
import org.sathi.channel.whatsapp.WhatsAppAddress;
import org.sathi.channel.whatsapp.WhatsAppLine;

/**
 * An officer's SMS to a reporter. The officer never sees the number: it is opened from its seal
 * here, handed to Twilio, and forgotten. Allowed while the report is open and either the reporter
 * agreed to be contacted (the number is sealed with the report), or their last text about it is no
 * older than the reply window and their number is still kept (sealed, in the session store, for as
 * long as that window). After a reply the reporter's next texts go into the same report.
 * The SMS comes from the hotline's own number and carries only the officer's words: a neutral sender.
 *
 * <p>A report that came by WhatsApp is answered on WhatsApp, under WhatsApp's rule on top of the
 * hotline's: the officer's words only within its customer-service window (from the reporter's latest
 * WhatsApp message); after it, only the approved template that invites the reporter to write back,
 * never the officer's words; with no template configured, nothing.
 */
public final class ReporterLine {
  /** Timeline kinds that are the reporter's own words: the reply window runs from the latest. */
  static final List<String> REPORTER_KINDS = List.of("reporter-added");
  /** The channel of calls; every other channel is a text channel, whose reporter's number the session keeps. */
  static final String VOICE = "voice";
  /** USSD channels ({@code ussd:<name>}) keep no reply window: only a hand-off (the caller asked to be reached) or consent. */
  static final String USSD = "ussd:";

  /** How a reply leaves: an SMS, the officer's words on WhatsApp, or WhatsApp's template instead of them. */
  public enum Way {
    SMS, WHATSAPP, WHATSAPP_TEMPLATE;

    /** As the console API names it: {@code sms}, {@code whatsapp}, {@code whatsapp-template}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final SessionStore sessions;
  private final Sealer sealer;
  private final SmsSender sender;
  private final WhatsAppLine whatsApp;
  private final Clock clock;
  private final Duration window;
  private final int maxSegments;

  public ReporterLine(SessionStore sessions, Sealer sealer, SmsSender sender, Clock clock, Duration window, int maxSegments) {
    this(sessions, sealer, sender, null, clock, window, maxSegments);
  }

  /** @param whatsApp the hotline's WhatsApp line; null when there is none */
  public ReporterLine(SessionStore sessions, Sealer sealer, SmsSender sender, WhatsAppLine whatsApp, Clock clock, Duration window,
      int maxSegments) {
    this.sessions = sessions;
    this.sealer = sealer;
    this.sender = sender;
    this.whatsApp = whatsApp;
    this.clock = clock;
    this.window = window;
    this.maxSegments = maxSegments;
  }

  /** Whether an officer may text this reporter now, until when, how, and if not, why (shown in the console). */
  public record Reach(boolean allowed, Instant until, String reason, Way way) {}

  /** What the console shows before a reply is written. Does not open the seal. */
  public Future<Reach> reach(Report r, List<TimelineEntry> timeline) {
    Reach hotline = hotlineReach(r, timeline);
    if (!hotline.allowed() || !cameByWhatsApp(r)) return Future.succeededFuture(hotline);
    return whatsApp.windowCloses(r.callerKey()).map(closes -> whatsAppReach(hotline, closes));
  }

  /** The hotline's own rule: consent, or the reply window. */
  private Reach hotlineReach(Report r, List<TimelineEntry> timeline) {
    if (!r.open()) return new Reach(false, null, "The report is closed.", null);
    if (consented(r)) return new Reach(true, null, "The reporter agreed to be contacted: you can text them while the report is open.", Way.SMS);
    if (VOICE.equals(r.channel())) {
      return new Reach(false, null, "The reporter called and did not agree to be contacted, so there is no number to text.", null);
    }
    if (r.channel() != null && r.channel().startsWith(USSD) && !"handoff".equals(r.kind())) {
      return new Reach(false, null, "The reporter used a USSD menu, which leaves nothing on the phone, and did not agree to be contacted,"
          + " so nothing may be texted to them. If they follow up with their code, their words come to this report.", null);
    }
    Instant until = lastWords(r, timeline).plus(window);
    if (!clock.instant().isBefore(until)) {
      return new Reach(false, until, "The reply window closed: the reporter last wrote more than " + window.toMinutes()
          + " minutes ago and did not agree to be contacted. If they text again, you can answer.", null);
    }
    return new Reach(true, until, "You can text the reporter until the reply window closes.", Way.SMS);
  }

  /** WhatsApp's rule on top: the officer's words inside its window, else the template, else nothing. */
  private Reach whatsAppReach(Reach hotline, Instant closes) {
    int hours = whatsApp.channel().windowHours();
    if (closes != null && clock.instant().isBefore(closes)) {
      Instant until = hotline.until() == null || closes.isBefore(hotline.until()) ? closes : hotline.until();
      return new Reach(true, until, "The reporter wrote on WhatsApp: you can answer there while WhatsApp's " + hours + "-hour window, from"
          + " their latest message, is open.", Way.WHATSAPP);
    }
    String closed = "WhatsApp's " + hours + "-hour window, from the reporter's latest message, has closed: WhatsApp now lets the hotline"
        + " send only its approved template";
    if (!whatsApp.hasTemplate()) {
      return new Reach(false, closes, closed + ", and none is configured (templateContentSid of the whatsapp channel in config/sathi.yaml)."
          + " If the reporter writes again, you can answer.", null);
    }
    return new Reach(true, hotline.until(), closed + ", which invites the reporter to write back. Your words will not be sent; answer"
        + " them once the reporter writes.", Way.WHATSAPP_TEMPLATE);
  }

  private boolean cameByWhatsApp(Report r) {
    return whatsApp != null && whatsApp.channel().name().equals(r.channel());
  }

  /** The outcome of a reply: sent (and how), or refused with a reason for the officer (and the HTTP status to give). */
  public record Sent(boolean sent, int status, String reason, int segments, Way way) {}

  /**
   * Sends the officer's words, when the rules allow (or on WhatsApp outside its window, the template
   * instead). {@code beforeSending} runs, with how the reply will leave, once the number is known and
   * before Twilio is asked, so the reply is on the timeline even if the answer from Twilio is lost; a
   * send that fails after it is for the caller to record. The thread is opened afterwards, best effort:
   * a reply Twilio took is never reported as failed.
   */
  public Future<Sent> send(Report r, List<TimelineEntry> timeline, String text, java.util.function.Function<Way, Future<?>> beforeSending) {
    SmsSegments size = SmsSegments.of(text);
    if (cameByWhatsApp(r)) {
      int length = text.codePointCount(0, text.length());
      if (length > WhatsAppLine.MAX_BODY_CHARS) {
        return Future.succeededFuture(new Sent(false, 400, "A WhatsApp reply is at most " + WhatsAppLine.MAX_BODY_CHARS + " characters; this one"
            + " has " + length + ". Shorten it.", size.segments(), null));
      }
    } else if (size.segments() > maxSegments) {
      return Future.succeededFuture(new Sent(false, 400, "A reply fits " + maxSegments + " SMS segments; this one needs " + size.segments()
          + ". Shorten it" + (size.encoding() == SmsSegments.Encoding.UCS_2 ? " (this script fits 67 characters a segment)." : "."),
          size.segments(), null));
    }
    return reach(r, timeline).compose(reach -> {
      if (!reach.allowed()) return Future.succeededFuture(new Sent(false, 409, reach.reason(), size.segments(), null));
      Future<String> sealed = consented(r) ? Future.succeededFuture(r.sealedContact()) : sessions.sealedReach(r.callerKey());
      return sealed.compose(blob -> {
        String number = blob == null ? null : sealer.open(blob, r.callerKey());
        if (number == null) {
          return Future.succeededFuture(new Sent(false, 409, "The reporter's number is no longer kept (they used the quick exit, or the window"
              + " ended), so they cannot be texted.", size.segments(), null));
        }
        if (WhatsAppAddress.isWhatsApp(number) != (reach.way() != Way.SMS)) {
          // A channel renamed or removed since the report: an SMS must not go to a WhatsApp address, nor the reverse.
          return Future.succeededFuture(new Sent(false, 409, "The reporter wrote on a channel that is configured differently now, so they"
              + " cannot be answered from here.", size.segments(), null));
        }
        return beforeSending.apply(reach.way()).compose(v -> switch (reach.way()) {
          case SMS -> sender.send(number, text, r.reference());
          case WHATSAPP -> whatsApp.text(number, text);
          case WHATSAPP_TEMPLATE -> whatsApp.invite(number);
        }).compose(sid -> {
          Sent sent = new Sent(true, 200, null, size.segments(), reach.way());
          if (VOICE.equals(r.channel())) return Future.succeededFuture(sent);
          return sessions.openThread(r.callerKey(), r.reference())
              .map(v -> sent)
              .recover(err -> Future.succeededFuture(new Sent(true, 200, "The reply was sent, but the reporter's answer may start a new"
                  + " conversation instead of coming back to this report.", size.segments(), reach.way())));
        });
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
