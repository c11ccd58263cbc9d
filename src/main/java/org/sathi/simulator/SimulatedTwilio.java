package org.sathi.simulator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.sathi.channel.twilio.WebhookForm;
import org.sathi.channel.whatsapp.WhatsAppAddress;

/**
 * Twilio's REST API as far as Sathi uses it, for the demo and the simulator: {@code Messages.json}
 * (pages to officers, officers' replies to reporters by SMS or WhatsApp, a WhatsApp template by its
 * {@code ContentSid}) and {@code Recordings/RE...} (what officers
 * play). Point {@code TWILIO_API_BASE} at {@code <sathi>/simulator/twilio}. Like Twilio, it takes
 * only requests with the account's credentials (HTTP Basic, SID and auth token) for that account:
 * anything else gets Twilio's 401 (error 20003) and changes nothing.
 */
public final class SimulatedTwilio {
  public static final String BASE_PATH = "/simulator/twilio";
  static final int MAX_RECORDINGS = 200;
  static final int MAX_RECORDING_BYTES = 10 * 1024 * 1024;

  /** An SMS or a WhatsApp message Sathi sent through the API: {@code body}, or for a WhatsApp template its {@code contentSid}. */
  public record Sent(String sid, String from, String to, String body, String contentSid, Instant at) {
    /** Whether it went on WhatsApp ({@code whatsapp:} addresses). */
    public boolean whatsApp() {
      return WhatsAppAddress.isWhatsApp(to);
    }
  }

  record Clip(byte[] bytes, String type) {}

  private final String accountSid;
  private final String authorization;
  private final String hotline;
  private final List<Consumer<Sent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final Map<String, Clip> recordings = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Clip> eldest) {
      return size() > MAX_RECORDINGS;
    }
  });

  public SimulatedTwilio(String accountSid, String authToken, String hotline) {
    this.accountSid = accountSid;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    this.hotline = hotline;
  }

  public void mount(Router router) {
    String account = BASE_PATH + "/2010-04-01/Accounts/:account";
    router.route(BASE_PATH + "/*").handler(this::authenticated);
    router.post(account + "/Messages.json").handler(BodyHandler.create(false).setBodyLimit(64 * 1024)).handler(this::message);
    router.get(account + "/Recordings/:file").handler(this::recording);
    router.route(BASE_PATH + "/*").handler(ctx -> error(ctx, 404, 20404, "The requested resource was not found"));
  }

  /** Every SMS sent from now on; called on the thread that took the request. */
  public void onSent(Consumer<Sent> listener) {
    listeners.add(listener);
  }

  /** Every SMS sent so far, oldest first. */
  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** Keeps a recording the caller made (or the sample), as Twilio keeps one: the URL Sathi is given for it. */
  public String keep(byte[] audio, String type) {
    if (audio.length > MAX_RECORDING_BYTES) throw new IllegalArgumentException("a recording is at most " + MAX_RECORDING_BYTES + " bytes");
    String sid = TwilioPlayer.sid("RE");
    recordings.put(sid, new Clip(audio, type));
    return "https://api.twilio.com/2010-04-01/Accounts/" + accountSid + "/Recordings/" + sid;
  }

  private void authenticated(RoutingContext ctx) {
    String given = ctx.request().getHeader("Authorization");
    boolean ok = given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8));
    String account = ctx.pathParam("account");
    if (!ok || (account != null && !account.equals(accountSid))) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
      error(ctx, 401, 20003, "Authenticate");
      return;
    }
    ctx.next();
  }

  private void message(RoutingContext ctx) {
    if (!accountSid.equals(ctx.pathParam("account"))) {
      error(ctx, 401, 20003, "Authenticate");
      return;
    }
    Map<String, String> form;
    try {
      form = WebhookForm.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes()).fields();
    } catch (WebhookForm.Malformed e) {
      error(ctx, 400, 20001, "The request body is not a form.");
      return;
    }
    String to = form.getOrDefault("To", "");
    String body = form.getOrDefault("Body", "");
    String from = form.containsKey("MessagingServiceSid") ? hotline : form.getOrDefault("From", hotline);
    String contentSid = form.get("ContentSid");
    boolean whatsApp = WhatsAppAddress.isWhatsApp(to) || WhatsAppAddress.isWhatsApp(from);
    if (whatsApp && !(WhatsAppAddress.isWhatsApp(to) && from.matches("whatsapp:\\+[1-9]\\d{6,14}"))) {
      error(ctx, 400, 21910, "Invalid From and To pair. From and To should be of the same channel.");
      return;
    }
    if (whatsApp ? WhatsAppAddress.parse(to).isEmpty() : !org.sathi.privacy.CallerKey.E164.matcher(to).matches()) {
      error(ctx, 400, 21211, whatsApp ? "The 'To' is not a valid WhatsApp address." : "The 'To' number is not a valid phone number.");
      return;
    }
    if (contentSid != null && (!whatsApp || !contentSid.matches("HX[0-9a-fA-F]{32}"))) {
      error(ctx, 400, 21655, "The ContentSid is invalid.");
      return;
    }
    if (body.isEmpty() && contentSid == null) {
      error(ctx, 400, 21602, "Message body is required.");
      return;
    }
    Sent s = new Sent(TwilioPlayer.sid("SM"), from, to, body, contentSid, Instant.now());
    sent.add(s);
    if (sent.size() > 1000) sent.remove(0);
    listeners.forEach(l -> l.accept(s));
    JsonObject resource = new JsonObject().put("sid", s.sid()).put("account_sid", accountSid).put("to", to).put("from", from)
        .put("body", body).put("status", "queued").put("num_segments", "1").put("direction", "outbound-api")
        .put("date_created", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(s.at().atZone(java.time.ZoneOffset.UTC)))
        .put("uri", "/2010-04-01/Accounts/" + accountSid + "/Messages/" + s.sid() + ".json");
    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(resource.encode());
  }

  private void recording(RoutingContext ctx) {
    if (!accountSid.equals(ctx.pathParam("account"))) {
      error(ctx, 401, 20003, "Authenticate");
      return;
    }
    String file = ctx.pathParam("file");
    String sid = file.contains(".") ? file.substring(0, file.indexOf('.')) : file;
    Clip clip = recordings.get(sid);
    if (clip == null) {
      error(ctx, 404, 20404, "The requested resource was not found");
      return;
    }
    ctx.response().putHeader("Content-Type", clip.type()).end(Buffer.buffer(clip.bytes()));
  }

  private static void error(RoutingContext ctx, int status, int code, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("code", code).put("message", message).put("status", status).encode());
  }

  /** Two seconds of a soft tone, as 8 kHz 16-bit WAV: the sample clip for a caller without a microphone. */
  public static byte[] sampleClip() {
    int rate = 8000;
    int samples = rate * 2;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + samples * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
        .putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
    for (int i = 0; i < samples; i++) {
      double fade = Math.min(1, Math.min(i, samples - i) / 800.0);
      b.putShort((short) (Math.sin(2 * Math.PI * 440 * i / rate) * 6000 * fade));
    }
    return b.array();
  }
}
