package org.sathi.voice;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.sathi.channel.twilio.WebhookForm;
import org.sathi.channel.twilio.WebhookRequest;
import org.sathi.channel.twilio.WebhookRequest.Refused;
import org.sathi.duty.InboxEntry;
import org.sathi.privacy.CallerKey;
import org.sathi.privacy.Sealer;
import org.sathi.report.ReferenceCode;
import org.sathi.report.Report;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call an officer places from the console to the caller of a missed hand-off who agreed to be
 * called back. Twilio rings the officer's own phone first; when they answer they hear
 * {@code voice.screen} and press 1 (a voicemail box presses nothing, so it never reaches the caller);
 * only then is the caller's number unsealed, for Twilio alone, and dialled with the hotline's number
 * shown. How it ended goes on the report's timeline.
 *
 * <p>The URLs carry the report ({@code r}), the officer ({@code o}) and until when the call-back may
 * be taken ({@code e}, epoch seconds); Twilio signs them, so none can be forged, and each step checks
 * again that the report is open and consented.
 */
public final class CallBack {
  private static final Logger LOG = LoggerFactory.getLogger(CallBack.class);

  /** Where Twilio asks what to do once the officer's phone answers. */
  public static final String PATH = "/twilio/voice/callback";

  private final WebhookRequest requests;
  private final ReportStore reports;
  private final Sealer sealer;
  private final VoicePrompts prompts;
  private final String deskLanguage;
  private final Clock clock;
  private final String publicUrl;
  private final String hotlineNumber;
  private final VoiceSettings settings;

  /**
   * @param deskLanguage  the language officers hear the screen in (the default language)
   * @param hotlineNumber the number the caller sees: the hotline's own
   */
  public CallBack(WebhookRequest requests, ReportStore reports, Sealer sealer, VoicePrompts prompts, String deskLanguage, Clock clock,
      String publicUrl, String hotlineNumber, VoiceSettings settings) {
    this.requests = requests;
    this.reports = reports;
    this.sealer = sealer;
    this.prompts = prompts;
    this.deskLanguage = deskLanguage;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.hotlineNumber = hotlineNumber;
    this.settings = settings;
  }

  public void mount(Router router) {
    router.post(PATH).handler(ctx -> step(ctx, "screen", this::screen));
    router.post(PATH + "/connect").handler(ctx -> step(ctx, "connect", this::connect));
    router.post(PATH + "/done").handler(ctx -> step(ctx, "done", this::done));
  }

  /** The URL Twilio asks when the officer's phone answers, good until {@code until} (epoch seconds). */
  public static String url(String publicUrl, String reference, String officer, long until) {
    return publicUrl + PATH + query(reference, officer, until);
  }

  private static String query(String reference, String officer, long until) {
    return "?r=" + reference + "&o=" + officer + "&e=" + until;
  }

  /** One call-back's step, as the signed URL names it. */
  private record Ticket(String reference, String officer, long until, WebhookForm form) {}

  private interface Step {
    Future<String> answer(Ticket ticket);
  }

  private void step(RoutingContext ctx, String what, Step step) {
    requests.read(ctx).compose(form -> {
      Ticket t;
      try {
        t = ticket(ctx, form);
      } catch (Refused r) {
        return Future.failedFuture(r);
      }
      if (!what.equals("done") && clock.instant().getEpochSecond() > t.until()) {
        LOG.info("A call-back of {} was answered after its time ran out; the officer's phone was hung up.", t.reference());
        return Future.succeededFuture(VoiceTwiml.hangup(List.of()));
      }
      return step.answer(t);
    }).map(twiml -> new WebhookRequest.Answer("ok", twiml))
        .onComplete(ar -> WebhookRequest.respond(ctx, ar, "Call-back webhook (" + what + ")"));
  }

  private static Ticket ticket(RoutingContext ctx, WebhookForm form) throws Refused {
    String r = one(ctx, "r");
    String o = one(ctx, "o");
    String e = one(ctx, "e");
    if (!ReferenceCode.isValid(r) || !o.matches("[a-z0-9][a-z0-9._-]{0,63}") || !e.matches("\\d{1,12}")) {
      throw new Refused(400, "the call-back URL needs r (a reference), o (an officer) and e (a time)");
    }
    return new Ticket(r, o, Long.parseLong(e), form);
  }

  private static String one(RoutingContext ctx, String name) throws Refused {
    List<String> values = ctx.queryParam(name);
    if (values.size() != 1) throw new Refused(400, "the call-back URL needs one '" + name + "'");
    return values.get(0);
  }

  /** The officer answered: press 1 to call the caller back; nothing (a voicemail box) hangs up. */
  private Future<String> screen(Ticket t) {
    String action = publicUrl + PATH + "/connect" + query(t.reference(), t.officer(), t.until());
    return Future.succeededFuture(VoiceTwiml.screen(prompts.message(null, deskLanguage, "voice.screen", Map.of()), action,
        VoiceWebhook.SCREEN_SECONDS));
  }

  /** The officer pressed 1: the caller's number, unsealed only now and only for Twilio, is dialled with the hotline's shown. */
  private Future<String> connect(Ticket t) {
    if (!"1".equals(t.form().fields().get("Digits"))) return Future.succeededFuture(VoiceTwiml.hangup(List.of()));
    return reports.get(t.reference()).compose(found -> {
      String number = found.filter(CallBack::mayCall).map(r -> sealer.open(r.sealedContact(), r.callerKey())).orElse(null);
      // The officer's leg was placed from the hotline's number (its From): the caller sees the same.
      String from = t.form().fields().getOrDefault("From", "");
      String callerId = CallerKey.E164.matcher(from).matches() ? from
          : CallerKey.E164.matcher(hotlineNumber == null ? "" : hotlineNumber).matches() ? hotlineNumber : null;
      if (number == null || !CallerKey.E164.matcher(number).matches() || callerId == null) {
        LOG.warn("The call-back of {} was not put through: {}.", t.reference(),
            callerId == null ? "the hotline has no E.164 number to show (set TWILIO_FROM)" : "its caller may no longer be called back");
        return Future.succeededFuture(VoiceTwiml.hangup(List.of()));
      }
      LOG.info("Officer {} took the call-back of {}; the caller's phone is ringing.", t.officer(), t.reference());
      String action = publicUrl + PATH + "/done" + query(t.reference(), t.officer(), t.until());
      String twiml = VoiceTwiml.dial(List.of(), number, callerId, settings.dialTimeoutSeconds(), settings.maxCallMinutes() * 60, action, null);
      return reports.note(t.reference(), new TimelineEntry(clock.instant(), "called-back", t.officer(),
          t.officer() + " took the call-back on their phone; the caller's phone rang."), "callback-connect:" + sid(t)).map(twiml);
    });
  }

  /** How the call to the caller ended, for the timeline. */
  private Future<String> done(Ticket t) {
    String status = t.form().fields().getOrDefault("DialCallStatus", "").replaceAll("[^a-z-]", "");
    String text = status.equals("completed") ? "The call-back reached the caller."
        : "The call-back did not reach the caller (" + (status.isEmpty() ? "no status" : status) + ").";
    LOG.info("The call-back of {} by {} ended: {}.", t.reference(), t.officer(), status.isEmpty() ? "no status" : status);
    return reports.note(t.reference(), new TimelineEntry(clock.instant(), "called-back", t.officer(), text), "callback-done:" + sid(t))
        .map(VoiceTwiml.hangup(List.of()));
  }

  private static String sid(Ticket t) {
    return t.form().fields().getOrDefault("CallSid", "").replaceAll("[^A-Za-z0-9]", "");
  }

  /** Whether a report's caller may be called back now: an open missed hand-off whose caller said yes, with the number kept. */
  public static boolean mayCall(Report r) {
    return r.open() && r.flags().contains(InboxEntry.MISSED_HANDOFF) && r.sealedContact() != null && r.answers() != null
        && "yes".equals(r.answers().contact());
  }
}
