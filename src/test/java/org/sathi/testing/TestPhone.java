package org.sathi.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.sathi.simulator.TwilioPlayer;
import org.sathi.channel.twilio.Signature;

/** Plays Twilio for one phone: signed SMS webhooks to a running server, replies read from the TwiML. */
public final class TestPhone {
  public static final String PUBLIC_URL = "https://sathi.test";
  public static final String AUTH_TOKEN = "test-auth-token";
  private static final AtomicLong SIDS = new AtomicLong(System.nanoTime());

  public record Reply(int status, String body, long millis) {
    public String text() {
      if (status != 200) return body;
      try {
        return String.join("\n---\n", TwilioPlayer.messages(body));
      } catch (java.io.IOException notTwiml) {
        throw new AssertionError("not TwiML: " + body, notTwiml);
      }
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String from;

  public TestPhone(int port, String from) {
    this.port = port;
    this.from = from;
  }

  public String from() {
    return from;
  }

  public static String newMessageSid() {
    return "SM" + HexFormat.of().withLowerCase().toHexDigits(SIDS.incrementAndGet()) + "0000000000000000";
  }

  /** Texts the hotline and returns the reply text; fails when the status is not 200. */
  public String text(String body) throws Exception {
    Reply r = send(body, newMessageSid());
    if (r.status() != 200) throw new AssertionError("HTTP " + r.status() + ": " + r.body());
    return r.text();
  }

  public Reply send(String body, String messageSid) throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ToCountry", "BD");
    params.put("From", from);
    params.put("To", TestHotline.HOTLINE);
    params.put("Body", body);
    params.put("MessageSid", messageSid);
    params.put("NumMedia", "0");
    return post(params, new Signature(AUTH_TOKEN).sign(PUBLIC_URL + "/twilio/sms", params));
  }

  /** Posts the form as Twilio would, with exactly this signature (null: none). */
  public Reply post(Map<String, String> params, String signature) throws Exception {
    TwilioPlayer.Answer a = new TwilioPlayer("http://127.0.0.1:" + port, PUBLIC_URL, AUTH_TOKEN, "ACtest", TestHotline.HOTLINE)
        .post(PUBLIC_URL + "/twilio/sms", params, signature);
    return new Reply(a.status(), a.body(), a.millis());
  }

  public Reply postRaw(byte[] body, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/twilio/sms"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) b.header("X-Twilio-Signature", signature);
    long start = System.nanoTime();
    HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body(), (System.nanoTime() - start) / 1_000_000);
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
