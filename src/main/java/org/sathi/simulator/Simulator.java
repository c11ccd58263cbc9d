package org.sathi.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.sathi.duty.Roster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phone simulator at {@code /simulator/}: a page that looks like a basic phone, and the JSON
 * API behind it. The page never talks to Sathi's webhooks itself: every text and every step of a
 * call goes through {@link TwilioPlayer}, which sends Sathi the signed webhooks Twilio would and
 * follows the TwiML, exactly as {@code ./sathi simulate} and the tests do. What Sathi sends through
 * Twilio's REST API ({@link SimulatedTwilio}) reaches the page's phones as events. A {@code <Dial>}
 * rings the on-call officer's simulated phone, which must answer and press 1 to take the call.
 * When a USSD channel is configured (the demo's {@code *123#}), a reporter's phone also dials it:
 * each step goes through {@link UssdPlayer} as a gateway's form, and the page shows the screen.
 * When a WhatsApp channel is configured, a reporter's phone also has a WhatsApp chat: it writes
 * through {@link TwilioPlayer#whatsApp}, as its number or as its WhatsApp user id.
 *
 * <p>Off unless {@code server.simulator} is true ({@code ./sathi demo} turns it on): anyone who can
 * reach it can text and call the hotline as any number.
 */
public final class Simulator {
  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:;"
      + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final int MAX_CALLS = 100;
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** Phones of the countries the hotline speaks to: the calling code picks the caller's language. */
  static final List<String[]> REPORTERS = List.of(
      new String[] {"+8801700000001", "Bangladesh", "bn", "BD"}, new String[] {"+9779800000001", "Nepal", "ne", "NP"},
      new String[] {"+919800000001", "India", "hi", "IN"}, new String[] {"+923000000001", "Pakistan", "ur", "PK"},
      new String[] {"+959700000001", "Myanmar", "my", "MM"}, new String[] {"+66800000001", "Thailand", "th", "TH"},
      new String[] {"+85510000001", "Cambodia", "km", "KH"}, new String[] {"+8562000000001", "Laos", "lo", "LA"},
      new String[] {"+84900000001", "Viet Nam", "vi", "VN"}, new String[] {"+6281200000001", "Indonesia", "id", "ID"},
      new String[] {"+639170000001", "Philippines", "tl", "PH"}, new String[] {"+447700900123", "United Kingdom", "en", "GB"});

  /**
   * The WhatsApp user id (BSUID) the page's phone writes as when it hides its number: its country's
   * two letters (BD for a number the page does not list), a full stop, and the number's digits.
   */
  static String userId(String phone) {
    String country = REPORTERS.stream().filter(r -> r[0].equals(phone)).map(r -> r[3]).findFirst().orElse("BD");
    return country + "." + phone.substring(1);
  }

  /** What the WhatsApp chat shows for an approved template Sathi sent instead of an officer's words. */
  static final String TEMPLATE_BUBBLE = "[template: invitation to write back]";

  /** A phone on a Bangladeshi operator's network: its texts reach Sathi over SMPP, through the demo's simulated SMSC. */
  static final String[] SMPP_REPORTER = {"+8801800000001", "Bangladesh, short code %s (SMPP)", "bn"};

  private org.sathi.channel.smpp.SimulatedSmsc smsc;
  private String shortCode;

  /** Texts from the SMPP phone go through this SMSC to the short code; what Sathi submits reaches the phones. */
  public Simulator withSmsc(org.sathi.channel.smpp.SimulatedSmsc smsc, String shortCode) {
    this.smsc = smsc;
    this.shortCode = shortCode;
    smsc.onSent(s -> publish("sms", new JsonObject().put("from", s.from()).put("to", "+" + s.to()).put("body", s.text())
        .put("at", java.time.Instant.now().toString())));
    return this;
  }

  private UssdPlayer ussd;
  private String ussdCode;

  /** The USSD phone: it dials {@code code} on this server's USSD channel through {@code player}, as a gateway would. */
  public Simulator withUssd(UssdPlayer player, String code) {
    this.ussd = player;
    this.ussdCode = code;
    return this;
  }

  private String whatsAppSender;

  /** The WhatsApp chat: reporters' phones write to this sender ({@code whatsapp:+E164}) through {@link TwilioPlayer#whatsApp}. */
  public Simulator withWhatsApp(String sender) {
    this.whatsAppSender = sender;
    return this;
  }

  private final Vertx vertx;
  private final TwilioPlayer player;
  private final SimulatedTwilio twilio;
  private final Roster roster;
  private final List<Consumer<JsonObject>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, SimCall> calls = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SimCall> eldest) {
      return size() > MAX_CALLS;
    }
  });

  public Simulator(Vertx vertx, TwilioPlayer player, SimulatedTwilio twilio, Roster roster) {
    this.vertx = vertx;
    this.player = player;
    this.twilio = twilio;
    this.roster = roster;
    twilio.onSent(s -> {
      if (!s.whatsApp()) {
        publish("sms", new JsonObject().put("from", s.from()).put("to", s.to()).put("body", s.body()).put("at", s.at().toString()));
        return;
      }
      // The chat of the phone, by its number or its user id; a template shows as what it is, not as its words.
      String prefix = org.sathi.channel.whatsapp.WhatsAppAddress.PREFIX;
      publish("whatsapp", new JsonObject().put("from", s.from().substring(prefix.length())).put("to", s.to().substring(prefix.length()))
          .put("body", s.contentSid() == null ? s.body() : TEMPLATE_BUBBLE).put("template", s.contentSid() != null).put("at", s.at().toString()));
    });
  }

  public void mount(Router router) {
    twilio.mount(router);
    router.route("/simulator/api/*").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    router.route("/simulator/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    // JSON only: a form on another site cannot send application/json, so it cannot drive the phones.
    router.post("/simulator/api/*").handler(ctx -> {
      String type = ctx.request().getHeader("Content-Type");
      if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
        fail(ctx, 415, "Send JSON (Content-Type: application/json).");
        return;
      }
      ctx.next();
    });
    router.get("/simulator/api/phones").handler(this::phones);
    router.get("/simulator/api/events").handler(this::events);
    router.post("/simulator/api/sms").handler(this::sms);
    router.post("/simulator/api/whatsapp").handler(this::whatsApp);
    router.post("/simulator/api/calls").handler(this::startCall);
    router.get("/simulator/api/calls/:id").handler(ctx -> onCall(ctx, c -> c.state()));
    router.post("/simulator/api/calls/:id/keys").handler(ctx -> onCall(ctx, c -> c.keys(text(ctx, "digits"))));
    router.post("/simulator/api/calls/:id/recording").handler(ctx -> onCall(ctx, c -> c.record(recording(ctx), seconds(ctx))));
    router.post("/simulator/api/calls/:id/hangup").handler(ctx -> onCall(ctx, SimCall::hangUp));
    router.post("/simulator/api/calls/:id/officer").handler(ctx -> onCall(ctx, c -> c.officer(json(ctx).getBoolean("answer", false))));
    router.post("/simulator/api/calls/:id/officer-keys").handler(ctx -> onCall(ctx, c -> c.officerKeys(text(ctx, "digits"))));
    router.post("/simulator/api/calls/:id/officer-hangup").handler(ctx -> onCall(ctx, SimCall::officerHangUp));
    router.post("/simulator/api/ussd/dial").handler(ctx -> onUssd(ctx, false, phone -> screen(ussd.dial(phone))));
    router.post("/simulator/api/ussd/type").handler(ctx -> onUssd(ctx, true, phone -> screen(ussd.type(phone, ussdInput(ctx)))));
    router.post("/simulator/api/ussd/cancel").handler(ctx -> onUssd(ctx, false, phone -> {
      ussd.cut(phone);
      return new JsonObject().put("session", "ended").put("cancelled", true);
    }));
    router.route("/simulator/api/*").handler(ctx -> fail(ctx, 404, "No such simulator endpoint."));
    router.get("/simulator").handler(ctx -> {
      if (ctx.request().path().equals("/simulator")) ctx.redirect("/simulator/");
      else ctx.next();
    });
    router.route("/simulator/*").handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("X-Frame-Options", "DENY").putHeader("Referrer-Policy", "no-referrer").putHeader("Cache-Control", "no-cache");
      ctx.next();
    });
    router.route("/simulator/*").handler(StaticHandler.create("simulator").setCachingEnabled(false).setDefaultContentEncoding("UTF-8")
        .setIndexPage("index.html").setDirectoryListing(false));
  }

  // ---- the page's API

  private void phones(RoutingContext ctx) {
    JsonArray phones = new JsonArray();
    for (String[] r : REPORTERS) {
      JsonObject phone = new JsonObject().put("number", r[0]).put("label", r[1]).put("language", r[2]).put("kind", "reporter");
      phones.add(whatsAppSender == null ? phone : phone.put("userId", userId(r[0])));
    }
    if (smsc != null) {
      phones.add(new JsonObject().put("number", SMPP_REPORTER[0]).put("label", SMPP_REPORTER[1].formatted(shortCode)).put("language", SMPP_REPORTER[2])
          .put("kind", "reporter").put("via", "smpp").put("to", shortCode));
    }
    for (Roster.Officer o : roster.officers().values()) {
      phones.add(new JsonObject().put("number", o.phone()).put("label", o.name() + ", duty " + o.role()).put("kind", "officer"));
    }
    ok(ctx, new JsonObject().put("hotline", player.hotline()).put("phones", phones).put("ussd", ussdCode).put("whatsapp", whatsAppSender));
  }

  private void events(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8").putHeader("Cache-Control", "no-store");
    response.write("retry: 2000\n\n");
    io.vertx.core.Context context = vertx.getOrCreateContext();
    Consumer<JsonObject> listener = event -> context.runOnContext(v -> {
      if (!response.ended() && !response.closed()) {
        response.write("event: " + event.getString("event") + "\ndata: " + event.getJsonObject("data").encode() + "\n\n");
      }
    });
    listeners.add(listener);
    long timer = vertx.setPeriodic(15_000, t -> {
      if (!response.ended() && !response.closed()) response.write(": keep-alive\n\n");
    });
    response.closeHandler(v -> {
      listeners.remove(listener);
      vertx.cancelTimer(timer);
    });
    response.endHandler(v -> {
      listeners.remove(listener);
      vertx.cancelTimer(timer);
    });
    ctx.request().connection().shutdownHandler(v -> {
      if (!response.ended() && !response.closed()) response.end();
    });
  }

  private void publish(String event, JsonObject data) {
    JsonObject e = new JsonObject().put("event", event).put("data", data);
    listeners.forEach(l -> l.accept(e));
  }

  private void sms(RoutingContext ctx) {
    JsonObject body = json(ctx);
    String from = body.getString("from");
    String text = body.getValue("body") instanceof String b ? b : null;
    if (!phone(from) || text == null) {
      fail(ctx, 400, "Send {\"from\": \"+E164\", \"body\": \"...\"}.");
      return;
    }
    if ("smpp".equals(body.getString("via")) && smsc != null) {
      blocking(ctx, () -> new JsonObject().put("replies", new JsonArray(smsc.text(from, shortCode, text, java.time.Duration.ofSeconds(5)))));
      return;
    }
    blocking(ctx, () -> new JsonObject().put("replies", new JsonArray(player.text(from, text))));
  }

  /**
   * A WhatsApp message from a reporter's phone ({@code {"from": "+E164", "body": "...", "userId": false}}),
   * as Twilio posts it: from the number, or with {@code userId} true from the phone's WhatsApp user id.
   * The answer names the address it went from ({@code as}) and Sathi's replies.
   */
  private void whatsApp(RoutingContext ctx) {
    if (whatsAppSender == null) {
      fail(ctx, 404, "No WhatsApp channel is configured: add one (type: whatsapp) under channels: in config/sathi.yaml (./sathi demo has one).");
      return;
    }
    JsonObject body = json(ctx);
    String from = body.getString("from");
    Object text = body.getValue("body");
    Object asUser = body.getValue("userId", false);
    if (!phone(from) || !(text instanceof String t) || t.isBlank() || !(asUser instanceof Boolean userId)) {
      fail(ctx, 400, "Send {\"from\": \"+E164\", \"body\": \"...\", \"userId\": false} (userId true: as the phone's WhatsApp user id).");
      return;
    }
    String as = userId ? userId(from) : from;
    blocking(ctx, () -> new JsonObject().put("as", as).put("replies", new JsonArray(player.whatsApp(as, t))));
  }

  private void startCall(RoutingContext ctx) {
    String from = json(ctx).getString("from");
    if (!phone(from)) {
      fail(ctx, 400, "Send {\"from\": \"+E164\"}.");
      return;
    }
    SimCall c = new SimCall(player.call(from));
    calls.put(c.id, c);
    blocking(ctx, () -> c.start());
  }

  interface UssdStep {
    JsonObject on(String phone) throws Exception;
  }

  /**
   * One step of the USSD phone ({@code {"phone": "+E164", "input": "..."}}): dial, type or cancel,
   * through {@link UssdPlayer} against this server's USSD channel. Typing needs an open session.
   */
  private void onUssd(RoutingContext ctx, boolean needsSession, UssdStep step) {
    if (ussd == null) {
      fail(ctx, 404, "No USSD channel is configured: add one (type: ussd) under channels: in config/sathi.yaml (./sathi demo has one).");
      return;
    }
    String phone = json(ctx).getString("phone");
    if (!phone(phone)) {
      fail(ctx, 400, "Send {\"phone\": \"+E164\"} (and \"input\" to type an answer).");
      return;
    }
    blocking(ctx, () -> {
      // One step at a time: a session's input so far is read, then extended.
      synchronized (ussd) {
        if (needsSession && !ussd.inSession(phone)) throw new IllegalStateException("No USSD session is open on this phone: dial " + ussdCode + " first.");
        return step.on(phone);
      }
    });
  }

  /** What the caller types in a USSD session: the gateway joins a session's answers with *, so an answer cannot hold one. */
  private static String ussdInput(RoutingContext ctx) {
    Object v = json(ctx).getValue("input");
    if (!(v instanceof String s) || s.isEmpty() || s.length() > 160 || s.contains("*") || s.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("'input' is what the caller types: 1 to 160 characters on one line, without * (the gateway joins"
          + " a session's answers with *).");
    }
    return s;
  }

  /** A USSD screen for the page: its text, and whether the session is still open (CON) or over (END). */
  private static JsonObject screen(UssdPlayer.Screen s) throws java.io.IOException {
    if (s.status() != 200) throw new java.io.IOException("the USSD channel answered HTTP " + s.status());
    return new JsonObject().put("session", s.ended() ? "ended" : "open").put("screen", s.text());
  }

  interface Step {
    JsonObject on(SimCall call) throws Exception;
  }

  private void onCall(RoutingContext ctx, Step step) {
    SimCall c = calls.get(ctx.pathParam("id"));
    if (c == null) {
      fail(ctx, 404, "No such call (it ended long ago, or the simulator restarted).");
      return;
    }
    blocking(ctx, () -> {
      synchronized (c) {
        return step.on(c);
      }
    });
  }

  /** Runs a step of the simulated phone network off the event loop: it waits for Sathi's answers. */
  private void blocking(RoutingContext ctx, Callable<JsonObject> work) {
    vertx.executeBlocking(work, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ok(ctx, ar.result());
      } else if (ar.cause() instanceof IllegalArgumentException) {
        fail(ctx, 400, ar.cause().getMessage());
      } else if (ar.cause() instanceof IllegalStateException) {
        fail(ctx, 409, ar.cause().getMessage());
      } else {
        LOG.warn("A simulated phone's request to Sathi failed: {}.", ar.cause().getClass().getSimpleName());
        fail(ctx, 502, "Sathi did not answer the simulated phone network: " + ar.cause().getMessage());
      }
    });
  }

  private String recording(RoutingContext ctx) {
    JsonObject body = json(ctx);
    if (body.getBoolean("sample", false)) return twilio.keep(SimulatedTwilio.sampleClip(), "audio/wav");
    String audio = body.getString("audio");
    String type = body.getString("type", "audio/webm");
    if (audio == null || !type.matches("audio/[a-z0-9.+-]+(;.*)?")) throw new IllegalArgumentException("Send {\"sample\": true} or {\"audio\": base64, \"type\": \"audio/...\"}.");
    return twilio.keep(Base64.getDecoder().decode(audio), type.replaceAll(";.*", ""));
  }

  private static int seconds(RoutingContext ctx) {
    int s = json(ctx).getInteger("seconds", 2);
    return Math.max(1, Math.min(3600, s));
  }

  private static String text(RoutingContext ctx, String field) {
    Object v = json(ctx).getValue(field);
    if (!(v instanceof String s) || !s.matches("[0-9*#]{0,20}")) throw new IllegalArgumentException("'" + field + "' is keys: 0-9, * and #.");
    return s;
  }

  private static boolean phone(String number) {
    return number != null && org.sathi.privacy.CallerKey.E164.matcher(number).matches();
  }

  private static JsonObject json(RoutingContext ctx) {
    try {
      JsonObject o = ctx.body() == null ? null : ctx.body().asJsonObject();
      return o == null ? new JsonObject() : o;
    } catch (RuntimeException notJson) {
      return new JsonObject();
    }
  }

  private static void ok(RoutingContext ctx, JsonObject body) {
    if (!ctx.response().ended()) ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
  }

  private static void fail(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
          .end(new JsonObject().put("error", message).encode());
    }
  }

  // ---- one call, and the officer's phone it may ring

  final class SimCall {
    final String id = TwilioPlayer.sid("SIM");
    final TwilioPlayer.Call call;
    final List<TwilioPlayer.Heard> unheard = new ArrayList<>();
    TwilioPlayer.Waiting waiting;
    boolean ended;
    boolean ringing;
    boolean connected;
    long ringTimer = -1;
    TwilioPlayer.Call officer;
    final List<TwilioPlayer.Heard> officerUnheard = new ArrayList<>();
    TwilioPlayer.Waiting officerWaiting;
    boolean officerEnded;

    SimCall(TwilioPlayer.Call call) {
      this.call = call;
    }

    JsonObject start() throws Exception {
      synchronized (this) {
        absorb(call.dial());
        return state();
      }
    }

    /** Takes in what a step of the caller's leg answered; a Dial rings the officer's phone; an end sends Twilio's status callback. */
    private void absorb(TwilioPlayer.Turn t) throws Exception {
      if (t.status() != 200) throw new java.io.IOException("Sathi answered HTTP " + t.status());
      unheard.addAll(t.heard());
      waiting = t.waiting();
      if (waiting.kind().equals("dial")) {
        ringing = true;
        publish("ring", new JsonObject().put("call", id).put("to", waiting.number()).put("from", player.hotline()));
        int seconds = Math.max(1, waiting.timeoutSeconds());
        ringTimer = vertx.setTimer(seconds * 1000L, timer -> vertx.executeBlocking(() -> {
          synchronized (this) {
            if (ringing) {
              stopRinging();
              absorb(call.dialEnded("no-answer"));
            }
          }
          return null;
        }, false));
      } else if (t.over() && !ended) {
        ended = true;
        call.hangUp(); // Twilio's status callback at the end of every call
      }
    }

    private void stopRinging() {
      ringing = false;
      if (ringTimer >= 0) vertx.cancelTimer(ringTimer);
      publish("ring-ended", new JsonObject().put("call", id));
    }

    JsonObject state() {
      JsonObject s = leg(unheard, ended ? TwilioPlayer.Waiting.NOTHING : waiting, ended);
      unheard.clear();
      return s;
    }

    JsonObject keys(String digits) throws Exception {
      absorb(call.press(stripFinish(digits)));
      return state();
    }

    private String stripFinish(String digits) {
      String finish = waiting == null ? "" : waiting.finishOnKey();
      return !finish.isEmpty() && digits.endsWith(finish) ? digits.substring(0, digits.length() - finish.length()) : digits;
    }

    JsonObject record(String url, int seconds) throws Exception {
      absorb(call.record(url, seconds));
      return state();
    }

    JsonObject hangUp() throws Exception {
      if (!ended) {
        if (ringing) stopRinging();
        ended = true;
        connected = false;
        officerEnded = true;
        call.hangUp();
      }
      return state();
    }

    JsonObject officer(boolean answer) throws Exception {
      if (!ringing) throw new IllegalStateException("The officer's phone is not ringing.");
      stopRinging();
      if (!answer) {
        absorb(call.dialEnded("busy"));
        return officerState();
      }
      officer = call.officerLeg(waiting.number());
      if (waiting.screenUrl() == null || waiting.screenUrl().isEmpty()) {
        connect();
        return officerState();
      }
      TwilioPlayer.Turn screen = officer.open(waiting.screenUrl());
      officerUnheard.addAll(screen.heard());
      officerWaiting = screen.waiting();
      return officerState();
    }

    JsonObject officerKeys(String digits) throws Exception {
      if (officer == null || officerEnded || connected) throw new IllegalStateException("The officer's phone is not waiting for a key.");
      if (digits.isEmpty()) {
        // Nothing pressed: the screen's Gather times out and its Hangup ends the officer's side.
        officerEnded = true;
        absorb(call.dialEnded("completed", false));
        return officerState();
      }
      TwilioPlayer.Turn t = officer.press(digits);
      officerUnheard.addAll(t.heard());
      if (t.twiml().contains("<Hangup")) {
        officerEnded = true;
        absorb(call.dialEnded("completed", false));
      } else {
        connect();
      }
      return officerState();
    }

    private void connect() {
      connected = true;
      officerWaiting = new TwilioPlayer.Waiting("connected", 0, 0, "", 0, null, null, null);
      waiting = officerWaiting;
    }

    JsonObject officerHangUp() throws Exception {
      if (officer == null && !connected) throw new IllegalStateException("The officer's phone has no call.");
      if (!officerEnded) {
        officerEnded = true;
        boolean bridged = connected;
        connected = false;
        if (!ended) absorb(call.dialEnded("completed", bridged));
      }
      return officerState();
    }

    private JsonObject officerState() {
      JsonObject s = leg(officerUnheard, officerEnded || officerWaiting == null ? TwilioPlayer.Waiting.NOTHING : officerWaiting,
          officerEnded || officer == null && !connected);
      officerUnheard.clear();
      return s;
    }

    private JsonObject leg(List<TwilioPlayer.Heard> heard, TwilioPlayer.Waiting w, boolean over) {
      JsonArray said = new JsonArray();
      for (TwilioPlayer.Heard h : heard) {
        said.add(h.kind().equals("say")
            ? new JsonObject().put("kind", "say").put("text", h.text()).put("language", h.language())
            : new JsonObject().put("kind", "play").put("url", playable(h.url())));
      }
      JsonObject wait = switch (w.kind()) {
        case "keys" -> new JsonObject().put("for", "keys").put("numDigits", w.numDigits()).put("timeout", w.timeoutSeconds())
            .put("finishOnKey", w.finishOnKey());
        case "recording" -> new JsonObject().put("for", "recording").put("maxLength", w.maxLength()).put("timeout", w.timeoutSeconds())
            .put("finishOnKey", w.finishOnKey());
        case "dial" -> new JsonObject().put("for", "officer").put("timeout", w.timeoutSeconds());
        case "connected" -> new JsonObject().put("for", "connected");
        default -> new JsonObject().put("for", "nothing");
      };
      return new JsonObject().put("call", id).put("status", over ? "ended" : "in-progress").put("heard", said).put("waiting", wait);
    }

    /** A prompt's URL as the page can fetch it: Sathi's own recordings, on the page's origin. */
    private String playable(String url) {
      int audio = url.indexOf("/audio/");
      return audio >= 0 ? url.substring(audio) : url;
    }
  }

}
