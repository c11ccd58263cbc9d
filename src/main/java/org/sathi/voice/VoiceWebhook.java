package org.sathi.voice;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.sathi.duty.InboxEntry;
import org.sathi.duty.Roster;
import org.sathi.duty.Triager;
import org.sathi.flow.Conversation;
import org.sathi.flow.Engine;
import org.sathi.flow.Event;
import org.sathi.flow.Input;
import org.sathi.flow.Node;
import org.sathi.flow.Step;
import org.sathi.i18n.Language;
import org.sathi.privacy.CallerKey;
import org.sathi.report.Priority;
import org.sathi.report.ReportAnswers;
import org.sathi.privacy.Sealer;
import org.sathi.session.SessionStore;
import org.sathi.redis.StoreUnavailable;
import org.sathi.turn.TurnRunner;
import org.sathi.channel.twilio.WebhookForm;
import org.sathi.channel.twilio.WebhookRequest;
import org.sathi.channel.twilio.WebhookRequest.Refused;
import org.sathi.voice.VoicePrompts.Spoken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call: {@code POST /twilio/voice} answers it, and the TwiML it returns names the action URLs
 * under {@code /twilio/voice/} for each next step. The same flows as SMS, rendered as voice.
 *
 * <p>The conversation is kept under a keyed hash of the {@code CallSid}. Every action URL carries
 * {@code v}, the conversation's version it was written for, and {@code s}, when the call began;
 * Twilio signs the URL it calls, so neither can be forged. A webhook is deduplicated by its kind
 * and {@code v}: a retry gets the same TwiML and changes nothing twice. When the store fails, the
 * caller hears a short message with the emergency number, and the call ends.
 */
public final class VoiceWebhook {
  private static final Logger LOG = LoggerFactory.getLogger(VoiceWebhook.class);

  static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");
  /** Keys kept of what a caller typed at one prompt; more is cut, and the engine says it is not an answer. */
  static final int MAX_DIGITS = 20;
  /** Twilio's recordings live on its API host; anything else in RecordingUrl is refused. */
  static final Pattern RECORDING_URL = Pattern.compile("https://[A-Za-z0-9.-]+/[A-Za-z0-9/._-]{1,400}");
  static final Set<String> CALL_ENDED = Set.of("completed", "busy", "failed", "no-answer", "canceled");

  private final WebhookRequest requests;
  private final Engine engine;
  private final VoicePrompts prompts;
  private final TurnRunner runner;
  private final CallerKey callerKeys;
  private final Sealer sealer;
  private final Roster roster;
  private final Triager triager;
  private final Engine.References references;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final VoiceSettings settings;
  private final String publicUrl;
  private final String hotlineNumber;
  private final Runnable onEvents;

  /**
   * @param hotlineNumber the number officers see when a call is put through to them, when Twilio's
   *                      {@code To} is not a phone number; the caller's own number is never shown
   */
  public VoiceWebhook(WebhookRequest requests, Engine engine, VoicePrompts prompts, SessionStore store, CallerKey callerKeys, Sealer sealer,
      Roster roster, Triager triager, Engine.References references, MeterRegistry metrics, Clock clock, VoiceSettings settings,
      String publicUrl, String hotlineNumber, Runnable onEvents) {
    this.requests = requests;
    this.engine = engine;
    this.prompts = prompts;
    this.runner = new TurnRunner(store, clock);
    this.callerKeys = callerKeys;
    this.sealer = sealer;
    this.roster = roster;
    this.triager = triager;
    this.references = references;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
    this.publicUrl = publicUrl;
    this.hotlineNumber = hotlineNumber;
    this.onEvents = onEvents;
  }

  public void mount(Router router) {
    router.post("/twilio/voice").handler(ctx -> handle(ctx, "start", this::incoming));
    router.post("/twilio/voice/gather").handler(ctx -> handle(ctx, "gather", this::gathered));
    router.post("/twilio/voice/record").handler(ctx -> handle(ctx, "record", this::recorded));
    router.post("/twilio/voice/dial").handler(ctx -> handle(ctx, "dial", this::dialed));
    router.post("/twilio/voice/voicemail").handler(ctx -> handle(ctx, "voicemail", this::voicemail));
    router.post("/twilio/voice/missed").handler(ctx -> handle(ctx, "missed", this::missed));
    router.post("/twilio/voice/status").handler(ctx -> handle(ctx, "status", this::status));
    router.post("/twilio/voice/screen").handler(ctx -> officerLeg(ctx, false));
    router.post("/twilio/voice/screened").handler(ctx -> officerLeg(ctx, true));
  }

  /** Seconds the officer has to press 1 once they answer. */
  static final int SCREEN_SECONDS = 10;

  /**
   * The officer's side of a hand-off, before the two are put through: press 1 to take the call.
   * A voicemail box presses nothing, so it hangs up and the caller is offered Sathi's voicemail.
   * Nothing of the caller is said or kept here.
   */
  private void officerLeg(RoutingContext ctx, boolean answered) {
    requests.read(ctx).onComplete(ar -> {
      if (ar.failed()) {
        int status = ar.cause() instanceof Refused r ? r.status : 400;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end("refused\n");
        return;
      }
      String language = engine.bundle().languages().fallback().code();
      String twiml;
      try {
        twiml = !answered
            ? VoiceTwiml.screen(prompts.message(null, language, "voice.screen", Map.of()), publicUrl + "/twilio/voice/screened", SCREEN_SECONDS)
            : "1".equals(ar.result().fields().get("Digits")) ? VoiceTwiml.empty() : VoiceTwiml.hangup(List.of());
      } catch (RuntimeException e) {
        // Without a screen the officer is simply put through: better a person than nobody.
        LOG.error("The hand-off screen could not be written ({}); the officer is put through without it.", org.sathi.turn.TurnRunner.describe(e));
        twiml = VoiceTwiml.empty();
      }
      ctx.response().putHeader("Content-Type", "application/xml; charset=utf-8").end(twiml);
    });
  }

  /** One webhook of a call, as a turn needs it. */
  /** @param country the caller's calling code, for their own country's numbers (null: not a listed country) */
  /**
   * @param handoff the reference of the hand-off a step follows (the action URL's {@code h}), or null
   * @param attempt how many times the step's question was asked (the action URL's {@code t}), 0 when not given
   */
  record Call(WebhookForm form, String sid, String from, String to, String callKey, String callerKey, long startedAt, long version,
      String webhookId, String country, String handoff, int attempt) {
    String caller() {
      return CallerKey.shortForm(callerKey);
    }

    String field(String name) {
      return form.fields().getOrDefault(name, "");
    }

    Call withHandoff(String reference) {
      return new Call(form, sid, from, to, callKey, callerKey, startedAt, version, webhookId, country, reference, attempt);
    }
  }

  /** What a turn decided: the conversation to keep (null wipes), the TwiML, and queue entries. */
  record Plan(Conversation next, String twiml, List<String> entries, List<String> references, String log) {
    Plan(Conversation next, String twiml) {
      this(next, twiml, List.of(), List.of(), null);
    }
  }

  interface Logic {
    Future<Plan> plan(Call call, SessionStore.Loaded loaded);
  }

  private record Outcome(String kind, String twiml) {}

  private void handle(RoutingContext ctx, String kind, Logic logic) {
    Timer.Sample sample = Timer.start(metrics);
    requests.read(ctx).compose(form -> {
      Call call;
      try {
        call = call(ctx, form, kind);
      } catch (Refused r) {
        return Future.failedFuture(r);
      }
      return turn(call, kind, logic);
    }).map(o -> new WebhookRequest.Answer(o.kind(), o.twiml())).onComplete(ar -> {
      String outcome = WebhookRequest.respond(ctx, ar, "Voice webhook (" + kind + ")");
      sample.stop(Timer.builder("sathi.webhook").tag("channel", "voice").tag("outcome", outcome).publishPercentileHistogram().register(metrics));
    });
  }

  /** Checks the fields and the action URL's parameters; nothing is changed when they are wrong. */
  private Call call(RoutingContext ctx, WebhookForm form, String kind) throws Refused {
    WebhookRequest.require(form, Map.of("CallSid", CALL_SID));
    long version = -1;
    long started = clock.instant().getEpochSecond();
    if (!kind.equals("start") && !kind.equals("status")) {
      version = parameter(ctx, "v");
      started = parameter(ctx, "s");
    }
    String sid = form.get("CallSid");
    String from = form.fields().getOrDefault("From", "");
    // A withheld number ("anonymous") still gets the hotline; the call is the caller then.
    String callerKey = org.sathi.privacy.CallerKey.E164.matcher(from).matches() ? callerKeys.of(from) : callerKeys.of("withheld:" + sid);
    String id = kind.equals("status") ? "status:" + form.fields().getOrDefault("CallStatus", "").replaceAll("[^a-z-]", "") 
        : version < 0 ? kind : kind + ":" + version;
    String handoff = null;
    int attempt = 0;
    if (!kind.equals("start") && !kind.equals("status")) {
      List<String> h = ctx.queryParam("h");
      if (h.size() > 1 || h.size() == 1 && !org.sathi.report.ReferenceCode.isValid(h.get(0))) {
        throw new Refused(400, "the action URL's 'h' must be one reference code");
      }
      handoff = h.isEmpty() ? null : h.get(0);
      if (!ctx.queryParam("t").isEmpty()) attempt = (int) Math.min(MISSED_ASKS, parameter(ctx, "t"));
    }
    return new Call(form, sid, from, form.fields().getOrDefault("To", ""), callerKeys.of("call:" + sid), callerKey, started, version, id,
        engine.bundle().callingCode(from), handoff, attempt);
  }

  private static long parameter(RoutingContext ctx, String name) throws Refused {
    List<String> values = ctx.queryParam(name);
    if (values.size() != 1 || !values.get(0).matches("\\d{1,12}")) throw new Refused(400, "the action URL needs one numeric '" + name + "'");
    return Long.parseLong(values.get(0));
  }

  // ---- one turn: load, plan, commit -----------------------------------------------------------

  private Future<Outcome> turn(Call call, String kind, Logic logic) {
    String webhookId = call.webhookId();
    String[] language = {guess(call)};
    return runner.run(call.callKey(), webhookId, settings.turnDeadlineMillis(), loaded -> {
      if (loaded.conversation() != null) language[0] = loaded.conversation().language();
      // Only where the call would go on; a recording or a voicemail that arrives late is still kept.
      if (webhookId.startsWith("gather:") && timeUp(call)) {
        LOG.info("Call {} reached the longest call allowed ({} minutes) and was ended.", call.caller(), settings.maxCallMinutes());
        return Future.succeededFuture(TurnRunner.Plan.answerOnly(VoiceTwiml.hangup(prompts.message(call.country(), language[0], "voice.timeup", Map.of()))));
      }
      return logic.plan(call, loaded).map(plan -> {
        if (webhookId.startsWith("status:") && plan.entries().isEmpty() && (loaded.conversation() == null || plan.next() == loaded.conversation())) {
          return TurnRunner.Plan.answerOnly(plan.twiml()); // nothing kept for this call: nothing to end
        }
        return new TurnRunner.Plan(true, plan.next(), plan.twiml(), plan.entries(), null, null, plan.references(), null, () -> {
          if (plan.log() != null) LOG.info(plan.log(), call.caller());
          if (!plan.entries().isEmpty()) onEvents.run();
        });
      });
    }).map(o -> {
      if (o.kind().equals("duplicate")) LOG.info("Voice webhook retried for call {}; sent the same TwiML again.", call.caller());
      return new Outcome(o.kind().equals("answered") ? "ok" : o.kind(), o.reply());
    }).recover(err -> {
      LOG.warn("Call {} ({}) got the fallback message and was ended; nothing was saved or acknowledged: {}.", call.caller(), kind,
          org.sathi.turn.TurnRunner.describe(err));
      if (kind.equals("status")) {
        LOG.warn("Call {} ended while Redis could not be reached; its conversation expires unfiled unless Twilio retries.", call.caller());
        return Future.succeededFuture(new Outcome("fallback", VoiceTwiml.empty()));
      }
      return Future.succeededFuture(new Outcome("fallback", VoiceTwiml.hangup(prompts.message(call.country(), language[0], "voice.fallback", Map.of()))));
    });
  }

  private boolean timeUp(Call call) {
    return clock.instant().getEpochSecond() - call.startedAt() > settings.maxCallMinutes() * 60L;
  }

  /** The caller's language before anything is known: from the calling code, among languages a call can speak. */
  private String guess(Call call) {
    Language l = engine.bundle().languages().guess(null, call.from());
    return prompts.spoken(l.code()).code();
  }

  // ---- the webhooks --------------------------------------------------------------------------

  private Future<Plan> incoming(Call call, SessionStore.Loaded loaded) {
    LOG.info("Call {} answered.", call.caller());
    Step step = engine.advance(null, new Input.Start(guess(call), false), call.country());
    return Future.succeededFuture(render(call, loaded, step, "start"));
  }

  private Future<Plan> gathered(Call call, SessionStore.Loaded loaded) {
    // Whatever the caller pressed is an answer (a wrong one is the engine's to say), never a refusal.
    String digits = call.field("Digits").replaceAll("[^0-9*#]", "?");
    if (digits.endsWith("#")) digits = digits.substring(0, digits.length() - 1);
    if (digits.length() > MAX_DIGITS) digits = digits.substring(0, MAX_DIGITS);
    Input input = digits.isEmpty() ? new Input.Timeout() : new Input.Digits(digits);
    return Future.succeededFuture(advance(call, loaded, input));
  }

  private Future<Plan> recorded(Call call, SessionStore.Loaded loaded) {
    String url = call.field("RecordingUrl");
    boolean hungUp = "hangup".equals(call.field("Digits"));
    if (url.isEmpty()) return Future.succeededFuture(hungUp ? ended(call, loaded) : advance(call, loaded, new Input.Timeout()));
    if (!RECORDING_URL.matcher(url).matches()) return Future.failedFuture(new Refused(400, "malformed field RecordingUrl"));
    Input.Recording recording = recording(call, url);
    if (loaded.conversation() == null || loaded.conversation().ended() && hungUp) {
      return Future.succeededFuture(orphanRecording(call, loaded, recording));
    }
    if (!hungUp) return Future.succeededFuture(advance(call, loaded, recording));
    // Hung up while recording: the recording is kept, and the answers so far go to the queue.
    Step saved = engine.advance(loaded.conversation(), recording, call.country());
    Step end = engine.advance(saved.next(), new Input.Hangup(), call.country());
    List<Event> events = new ArrayList<>(saved.events());
    events.addAll(end.events());
    return Future.succeededFuture(new Plan(end.next(), VoiceTwiml.hangup(List.of()), entries(call, events, loaded), references(events),
        "Call {} hung up while recording; the recording and answers so far are with the queue."));
  }

  /** A recording as Twilio reported it: where it is, and how many seconds long when it says. */
  private static Input.Recording recording(Call call, String url) {
    String duration = call.field("RecordingDuration");
    return new Input.Recording(url, duration.matches("\\d{1,5}") ? Integer.valueOf(duration) : null);
  }

  /** A recording as the answer a report's details hold, under the names the engine saves a recorded answer by. */
  private static Map<String, String> recordedAnswers(Input.Recording recording) {
    Map<String, String> answers = new java.util.LinkedHashMap<>();
    answers.put("details", recording.url());
    if (recording.seconds() != null) answers.put("details" + Engine.SECONDS, recording.seconds().toString());
    return answers;
  }

  /** A recording whose conversation is gone (the call's end was reported first): it still reaches the queue. */
  private Plan orphanRecording(Call call, SessionStore.Loaded loaded, Input.Recording recording) {
    String reference = references.next();
    Map<String, String> answers = recordedAnswers(recording);
    answers.put(Engine.ENDED_ANSWER, "hangup");
    List<Event> events = List.<Event>of(new Event.ReportSubmitted(reference, guess(call), "recording", answers));
    return new Plan(ended(loaded, guess(call)), VoiceTwiml.hangup(List.of()), entries(call, events, loaded), List.of(reference),
        "Call {} left a recording after its conversation ended; it is with the queue.");
  }

  private Future<Plan> dialed(Call call, SessionStore.Loaded loaded) {
    Conversation keep = loaded.conversation() != null ? loaded.conversation() : Conversation.fresh(guess(call));
    String language = keep.language();
    // Completed but not bridged: the officer's side hung up at the screen (a voicemail box, or no key).
    if ("completed".equals(call.field("DialCallStatus")) && !"false".equals(call.field("DialBridged"))) {
      return Future.succeededFuture(new Plan(keep, VoiceTwiml.hangup(prompts.message(call.country(), language, "voice.goodbye", Map.of())),
          List.of(), List.of(), "Call {} talked with the officer on call."));
    }
    if (call.handoff() != null) {
      // A hand-off that rang out: its report says so at once, before the caller is asked anything (they may hang up).
      List<Spoken> said = new ArrayList<>(prompts.message(call.country(), language, "voice.missed.noanswer", Map.of()));
      return Future.succeededFuture(new Plan(keep, consentPrompt(call, language, said, loaded.version() + 1, 1),
          List.of(missedEntry(call, language, null, rangOut(call))), List.of(),
          "Call {}: the officer on call did not answer the hand-off; the caller is asked whether they may be called back."));
    }
    return Future.succeededFuture(new Plan(keep, voicemailPrompt(call, language, loaded.version() + 1), List.of(), List.of(),
        "Call {}: the officer on call did not answer; the caller was offered a voicemail."));
  }

  /** Asks of a missed hand-off at most this many times whether the caller may be called back; silence after that is a no. */
  static final int MISSED_ASKS = 2;

  /** Why nobody took the hand-off, for its timeline. */
  private static String rangOut(Call call) {
    String status = call.field("DialCallStatus");
    return switch (status) {
      case "busy" -> "The officer on call was busy: nobody took the call.";
      case "completed" -> "The officer on call did not take the call (no key pressed at the screen).";
      case "" -> "Nobody was on call to take it.";
      default -> "The officer on call did not answer: nobody took the call.";
    };
  }

  /**
   * The caller's answer to "may we call you back?" on a hand-off nobody took. 1 is yes, 2 no; silence
   * or another key asks once more, then counts as no. Then the caller hears the hand-off's code, and
   * can leave a voicemail, which goes into the same report.
   */
  private Future<Plan> missed(Call call, SessionStore.Loaded loaded) {
    if (call.handoff() == null) return Future.failedFuture(new Refused(400, "the action URL needs the hand-off's 'h'"));
    Conversation keep = loaded.conversation() != null ? loaded.conversation() : Conversation.fresh(guess(call));
    String language = keep.language();
    String digits = call.field("Digits").replaceAll("[^0-9*#]", "");
    long v = loaded.version() + 1;
    String contact = digits.equals("1") ? "yes" : digits.equals("2") ? "no" : null;
    if (contact == null && call.attempt() < MISSED_ASKS) {
      List<Spoken> said = digits.isEmpty() ? new ArrayList<>() : new ArrayList<>(prompts.message(call.country(), language, "common.invalid.choice", Map.of()));
      return Future.succeededFuture(new Plan(keep, consentPrompt(call, language, said, v, call.attempt() + 1)));
    }
    String note = contact == null ? "The caller did not answer whether they may be called back; taken as no."
        : contact.equals("yes") ? "The caller agreed to be called back on the number they called from."
        : "The caller did not agree to be called back.";
    List<Spoken> said = new ArrayList<>(prompts.message(call.country(), language, "voice.missed.code", Map.of("reference", call.handoff())));
    said.addAll(prompts.message(call.country(), language, "voice.missed.message", Map.of()));
    String twiml = VoiceTwiml.record(said, action("voicemail", v, call), settings.recordMaxSeconds(), settings.recordSilenceSeconds(),
        action("voicemail", v, call));
    return Future.succeededFuture(new Plan(keep, twiml, List.of(missedEntry(call, language, contact == null ? "no" : contact, note)), List.of(),
        "Call {}: the caller of missed hand-off " + call.handoff() + " " + (contact == null ? "did not answer (no call-back)"
            : contact.equals("yes") ? "agreed to be called back" : "did not agree to be called back") + ", and heard its code."));
  }

  /** "May we call you back on this number? 1 yes, 2 no", after what is said first. */
  private String consentPrompt(Call call, String language, List<Spoken> first, long v, int attempt) {
    List<Spoken> said = new ArrayList<>(first);
    said.addAll(prompts.message(call.country(), language, "voice.missed.consent", Map.of()));
    return VoiceTwiml.gather(said, action("missed", v, call) + "&t=" + attempt, 1, settings.gatherTimeoutSeconds());
  }

  /**
   * What a missed hand-off adds to its report: that it was missed, and the caller's answer to being
   * called back ({@code contact}, null before they answered). Only a yes keeps the number, sealed.
   */
  private String missedEntry(Call call, String language, String contact, String note) {
    String sealed = "yes".equals(contact) && org.sathi.privacy.CallerKey.E164.matcher(call.from()).matches()
        ? sealer.seal(call.from(), call.callerKey()) : null;
    Map<String, String> answers = contact == null ? Map.of() : Map.of("contact", contact);
    return InboxEntry.missedHandoff(call.handoff(), language, answers, sealed, note, call.callerKey(), call.sid() + "/" + call.webhookId(),
        clock.instant());
  }

  private Future<Plan> voicemail(Call call, SessionStore.Loaded loaded) {
    Conversation keep = loaded.conversation() != null ? loaded.conversation() : Conversation.fresh(guess(call));
    String url = call.field("RecordingUrl");
    if (url.isEmpty()) {
      return Future.succeededFuture(new Plan(keep, VoiceTwiml.hangup(prompts.message(call.country(), keep.language(), "voice.goodbye", Map.of()))));
    }
    if (!RECORDING_URL.matcher(url).matches()) return Future.failedFuture(new Refused(400, "malformed field RecordingUrl"));
    Map<String, String> answers = recordedAnswers(recording(call, url));
    if (call.handoff() != null) {
      // The voicemail of a missed hand-off goes into the hand-off's own report: one call, one report.
      String entry = InboxEntry.missedHandoff(call.handoff(), keep.language(), answers, null, "The caller left a voicemail.", call.callerKey(),
          call.sid() + "/" + call.webhookId(), clock.instant(), InboxEntry.URGENT_VOICEMAIL);
      return Future.succeededFuture(new Plan(keep, VoiceTwiml.hangup(prompts.message(call.country(), keep.language(), "voice.voicemail.done", Map.of())),
          List.of(entry), List.of(), "Call {} left a voicemail; it is with the missed hand-off " + call.handoff() + "."));
    }
    String reference = references.next();
    String entry = InboxEntry.voicemail(reference, keep.language(), answers, call.callerKey(), call.sid() + "/" + call.webhookId(),
        clock.instant());
    return Future.succeededFuture(new Plan(keep, VoiceTwiml.hangup(prompts.message(call.country(), keep.language(), "voice.voicemail.done", Map.of())),
        List.of(entry), List.of(reference), "Call {} left a voicemail; stored as a P1 report."));
  }

  private Future<Plan> status(Call call, SessionStore.Loaded loaded) {
    if (!CALL_ENDED.contains(call.field("CallStatus")) || loaded.conversation() == null) {
      return Future.succeededFuture(new Plan(loaded.conversation(), VoiceTwiml.empty()));
    }
    return Future.succeededFuture(ended(call, loaded));
  }

  /**
   * The call is over: anything said on the way to a report goes to the queue. What is kept is only
   * that the call ended (no answers), so that a retried webhook of the call is answered the same
   * and files nothing twice; it expires with the session TTL.
   */
  private Plan ended(Call call, SessionStore.Loaded loaded) {
    if (loaded.conversation() == null) return new Plan(null, VoiceTwiml.empty());
    Step end = engine.advance(loaded.conversation(), new Input.Hangup(), call.country());
    boolean filed = !end.events().isEmpty();
    return new Plan(ended(loaded, loaded.conversation().language()), VoiceTwiml.empty(), entries(call, end.events(), loaded),
        references(end.events()), filed ? "Call {} ended before its report was finished; the answers given are with the queue." : "Call {} ended.");
  }

  private static Conversation ended(SessionStore.Loaded loaded, String language) {
    return new Conversation(language, null, 0, 0, 0, List.of(), Map.of(), true);
  }

  // ---- rendering a step as TwiML -------------------------------------------------------------

  private Plan advance(Call call, SessionStore.Loaded loaded, Input input) {
    Conversation c = loaded.conversation();
    Step step = c == null ? engine.advance(null, new Input.Start(guess(call), false), call.country()) : engine.advance(c, input, call.country());
    return render(call, loaded, step, input.getClass().getSimpleName());
  }

  private Plan render(Call call, SessionStore.Loaded loaded, Step step, String what) {
    long v = loaded.version() + 1;
    Conversation next = step.next();
    String language = next != null ? next.language() : guess(call);
    List<Spoken> said = new ArrayList<>(prompts.lines(call.country(), language, step.prompts(), args(step)));
    Step.Wait wait = step.awaiting();
    Node at = next == null || next.ended() || next.node() == null ? null : engine.bundle().nodes().get(next.node());
    if (at instanceof org.sathi.flow.node.FollowUp) {
      // A code has letters, which a keypad cannot type: the prompt says to text it, and the menu follows.
      Step menu = engine.mainMenu(next, call.country());
      said.addAll(prompts.lines(call.country(), language, menu.prompts(), Map.of()));
      next = menu.next();
      wait = menu.awaiting();
      at = engine.bundle().nodes().get(next.node());
    }
    List<String> entries = entries(call, step.events(), loaded);
    List<String> refs = references(step.events());
    String log = logLine(step, what);
    boolean handoff = step.events().stream().anyMatch(e -> e instanceof Event.HandoffRequested);
    boolean urgent = step.events().stream().anyMatch(e -> e instanceof Event.ReportSubmitted r && urgent(r));
    if (handoff || urgent) {
      if (urgent && !handoff) said.addAll(prompts.message(call.country(), language, "voice.connecting", Map.of()));
      // The hand-off's report reference: what the duty desk derives from this turn's id, carried on to the steps after the dial.
      Call after = handoff ? call.withHandoff(InboxEntry.handoffReference(call.sid() + "/" + call.webhookId())) : call;
      String twiml = dial(after, language, said, v);
      if (twiml == null) {
        said.addAll(prompts.message(call.country(), language, "voice.missed.noanswer", Map.of()));
        twiml = consentPrompt(after, language, said, v, 1);
        entries = new ArrayList<>(entries);
        entries.add(missedEntry(after, language, null, rangOut(after)));
      }
      return new Plan(next, twiml, entries, refs, log);
    }
    int timeout = at instanceof Node.Waiting w && w.timeoutSeconds() > 0 ? w.timeoutSeconds() : settings.gatherTimeoutSeconds();
    String twiml = switch (wait) {
      case CHOICE, MORE -> VoiceTwiml.gather(said, action("gather", v, call), 1, timeout);
      case NUMBER -> VoiceTwiml.gather(said, action("gather", v, call), null, timeout);
      case TEXT -> VoiceTwiml.record(said, action("record", v, call), settings.recordMaxSeconds(), settings.recordSilenceSeconds(),
          action("gather", v, call));
      case END -> {
        said.addAll(prompts.message(call.country(), language, "voice.goodbye", Map.of()));
        yield VoiceTwiml.hangup(said);
      }
    };
    return new Plan(next, twiml, entries, refs, log);
  }

  /** A report that triage will make P1 puts the caller through to the officer on call at once. */
  private boolean urgent(Event.ReportSubmitted r) {
    if (r.answers().containsKey(Engine.ENDED_ANSWER)) return false;
    return triager.assess("report", r.language(), ReportAnswers.from(r.answers(), "voice"), 0).priority() == Priority.P1;
  }

  /**
   * Rings the on-call officer; with nobody on call, straight to the voicemail, or for a hand-off
   * null: the caller is asked at once whether they may be called back.
   */
  private String dial(Call call, String language, List<Spoken> said, long v) {
    Optional<Roster.Officer> officer = roster.toPage(clock.instant(), 0);
    String callerId = callerId(call);
    if (officer.isEmpty() || callerId == null) {
      String instead = call.handoff() != null ? "asked whether they may be called back" : "offered a voicemail";
      if (officer.isEmpty()) LOG.warn("Call {} asked for a person, but nobody is on call in the roster now; {}.", call.caller(), instead);
      else LOG.error("Call {} asked for a person, but the hotline has no E.164 number to show the officer (Twilio's To is not one;"
          + " set TWILIO_FROM to the hotline's number); {} instead of showing the caller's number.", call.caller(), instead);
      if (call.handoff() != null) return null;
      List<Spoken> all = new ArrayList<>(said);
      all.addAll(voicemailSaid(call, language));
      return VoiceTwiml.record(all, action("voicemail", v, call), settings.recordMaxSeconds(), settings.recordSilenceSeconds(),
          action("voicemail", v, call));
    }
    long left = settings.maxCallMinutes() * 60L - (clock.instant().getEpochSecond() - call.startedAt());
    LOG.info("Call {} is being put through to officer {}.", call.caller(), officer.get().id());
    return VoiceTwiml.dial(said, officer.get().phone(), callerId, settings.dialTimeoutSeconds(), (int) Math.max(60, left),
        action("dial", v, call), publicUrl + "/twilio/voice/screen");
  }

  private String voicemailPrompt(Call call, String language, long v) {
    return VoiceTwiml.record(voicemailSaid(call, language), action("voicemail", v, call), settings.recordMaxSeconds(), settings.recordSilenceSeconds(),
        action("voicemail", v, call));
  }

  private List<Spoken> voicemailSaid(Call call, String language) {
    return prompts.message(call.country(), language, "voice.noanswer", Map.of());
  }

  /** The hotline's own number, or null without one: the officer must never see the caller's. */
  private String callerId(Call call) {
    if (org.sathi.privacy.CallerKey.E164.matcher(call.to()).matches()) return call.to();
    return hotlineNumber != null && org.sathi.privacy.CallerKey.E164.matcher(hotlineNumber).matches() ? hotlineNumber : null;
  }

  private String action(String kind, long v, Call call) {
    return publicUrl + "/twilio/voice/" + kind + "?v=" + v + "&s=" + call.startedAt() + (call.handoff() == null ? "" : "&h=" + call.handoff());
  }

  /** What the prompts fill in: the reference of a report just stored, a number question's {min} and {max}. */
  private Map<String, String> args(Step step) {
    Map<String, String> args = new java.util.HashMap<>();
    Node at = step.next() == null || step.next().node() == null ? null : engine.bundle().nodes().get(step.next().node());
    if (at != null) args.putAll(Engine.hintArgs(at));
    for (Event e : step.events()) {
      if (e instanceof Event.ReportSubmitted r) args.put("reference", r.reference());
    }
    return args;
  }

  private List<String> entries(Call call, List<Event> events, SessionStore.Loaded loaded) {
    boolean consent = events.stream().anyMatch(e -> e instanceof Event.ReportSubmitted r && "yes".equals(r.answers().get("contact")));
    String sealed = consent && org.sathi.privacy.CallerKey.E164.matcher(call.from()).matches() ? sealer.seal(call.from(), call.callerKey()) : null;
    return InboxEntry.of(events, "voice", call.callerKey(), call.sid() + "/" + call.webhookId(), clock.instant(), sealed);
  }

  private static List<String> references(List<Event> events) {
    return events.stream().filter(e -> e instanceof Event.ReportSubmitted).map(e -> ((Event.ReportSubmitted) e).reference()).toList();
  }

  private static String logLine(Step step, String what) {
    for (Event e : step.events()) {
      switch (e) {
        case Event.ReportSubmitted r -> {
          return "Report " + r.reference() + " stored for call {} (voice, " + r.language() + "); the caller heard the code.";
        }
        case Event.HandoffRequested h -> {
          return "Call {} asked to talk to someone (voice, " + h.language() + "); request stored.";
        }
        case Event.ConversationWiped w -> {}
      }
    }
    return step.next() == null || step.next().node() == null ? null
        : "Voice turn (" + what + ") for call {} now at " + step.next().node() + " (" + step.next().language() + ").";
  }
}
