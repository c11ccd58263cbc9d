package org.sathi.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.sathi.channel.Channels;
import org.sathi.i18n.SmsSegments;
import org.sathi.simulator.SimulatorScript;

/**
 * A phone behind a Kannel gateway, without a real Kannel: this plays smsbox's side. A text reaches
 * Sathi as Kannel 1.4.5's {@code post-url} sends it (seen from the real one in {@code KannelIT}'s
 * setup): the text as the body, {@code Content-Type: text/plain; charset="UTF-8"} and
 * {@code X-Kannel-Coding: 0} for a GSM text, {@code charset="UTF-16BE"} and {@code 2} for a UCS-2
 * one, and {@code X-Kannel-From} (the sender, {@code send-sender = true}), {@code -To}, {@code -Time},
 * {@code -SMSC}, {@code -Service}. A local HTTP server stands in for Kannel's {@code sendsms}: what
 * Sathi asks it to send reaches the phone, decoded as Kannel would (the text in its {@code charset};
 * without {@code coding=2} it goes out in GSM 7-bit, where a character that GSM lacks becomes '?').
 */
public final class KannelPhone implements SimulatorScript.Texts, AutoCloseable {
  public static final String CHANNEL = "in-aggregator";
  public static final String SHORT_CODE = "1098";
  public static final String USERNAME = "sathi";
  public static final String PASSWORD = "sendsms-pass";
  public static final String KEY = "kannel-test-key-0123456789";
  static final DateTimeFormatter KANNEL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** One message Sathi asked Kannel to send, as the phone reads it, with the sendsms fields that shaped it. */
  public record Sent(String to, String from, String text, String coding, String dlrMask, String dlrUrl) {}

  private final HttpServer sendsms;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, List<Sent>> byRecipient = new ConcurrentHashMap<>();
  private final Duration wait;
  private volatile String sathi;

  public KannelPhone(Duration wait) throws IOException {
    this.wait = wait;
    sendsms = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sendsms.createContext("/cgi-bin/sendsms", this::sendsms);
    sendsms.start();
  }

  /** The channel entry for a Kannel whose sendsms is this phone's, serving {@code countries}. */
  public Channels.Kannel channel(List<String> countries) {
    return new Channels.Kannel(CHANNEL, "http://127.0.0.1:" + sendsms.getAddress().getPort() + "/cgi-bin/sendsms", USERNAME,
        "KANNEL_TEST_PASSWORD", PASSWORD, SHORT_CODE, "KANNEL_TEST_KEY", KEY, countries, 1);
  }

  /** Where smsbox calls Sathi: its base URL, such as {@code http://127.0.0.1:8080}. */
  public KannelPhone reaching(String sathiBaseUrl) {
    this.sathi = sathiBaseUrl;
    return this;
  }

  /** Texts the short code and waits for the one reply; fails when Sathi did not take the text as smsbox expects. */
  @Override
  public List<String> text(String from, String body) throws IOException, InterruptedException {
    int before = sentTo(from).size();
    HttpResponse<String> r = postUrl(from, body);
    if (r.statusCode() != 200) throw new IllegalStateException("Sathi answered smsbox's post-url with HTTP " + r.statusCode());
    // With omit-empty, smsbox sends nothing for an empty answer; anything else it would send to the phone as a text.
    if (!r.body().isEmpty()) throw new IllegalStateException("Sathi answered smsbox with a body, which Kannel would text to the phone");
    return awaitReplies(from, before, 1);
  }

  /** One text as smsbox's post-url delivers it to Sathi; the answer smsbox got. */
  public HttpResponse<String> postUrl(String from, String body) throws IOException, InterruptedException {
    boolean gsm = SmsSegments.isGsm(body);
    HttpRequest request = HttpRequest.newBuilder(URI.create(sathi + "/channels/" + CHANNEL + "/kannel?key=" + KEY))
        .timeout(Duration.ofSeconds(30))
        .header("User-Agent", "Kannel/1.4.5")
        .header("Content-Type", gsm ? "text/plain; charset=\"UTF-8\"" : "text/plain; charset=\"UTF-16BE\"")
        .header("X-Kannel-From", from.startsWith("+") ? from.substring(1) : from)
        .header("X-Kannel-To", SHORT_CODE)
        .header("X-Kannel-Time", ZonedDateTime.now(ZoneOffset.UTC).format(KANNEL_TIME))
        .header("X-Kannel-SMSC", "FAKE")
        .header("X-Kannel-Coding", gsm ? "0" : "2")
        .header("X-Kannel-Service", "default")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(gsm ? StandardCharsets.UTF_8 : StandardCharsets.UTF_16BE)))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Every message that reached {@code e164} so far, oldest first. */
  public List<Sent> sentTo(String e164) {
    return List.copyOf(byRecipient.getOrDefault(digits(e164), List.of()));
  }

  /** Waits until {@code count} more messages reached {@code to} than {@code before}; returns their texts. */
  public List<String> awaitReplies(String to, int before, int count) throws InterruptedException {
    List<Sent> mine = byRecipient.computeIfAbsent(digits(to), k -> new CopyOnWriteArrayList<>());
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (mine) {
      while (mine.size() < before + count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IllegalStateException("no reply reached " + to.substring(0, 4) + "... within " + wait.toMillis() + " ms");
        TimeUnit.NANOSECONDS.timedWait(mine, left);
      }
      return mine.subList(before, before + count).stream().map(Sent::text).toList();
    }
  }

  // ---- Kannel's sendsms -----------------------------------------------------------------------------

  private void sendsms(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, byte[]> q = query(exchange.getRequestURI().getRawQuery());
      String user = field(q, "username", "user");
      String pass = field(q, "password", "pass");
      if (!USERNAME.equals(user) || !PASSWORD.equals(pass)) {
        answer(exchange, 403, "Authorization failed for sendsms");
        return;
      }
      String to = field(q, "to");
      if (to == null || q.get("text") == null) {
        answer(exchange, 400, "Missing receiver number or text");
        return;
      }
      String coding = field(q, "coding");
      String charset = field(q, "charset");
      Charset cs = charset != null ? Charset.forName(charset) : "2".equals(coding) ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_8;
      String text = new String(q.get("text"), cs);
      if (!"2".equals(coding)) text = asGsm(text);
      Sent sent = new Sent(to, field(q, "from"), text, coding, field(q, "dlr-mask"), field(q, "dlr-url"));
      List<Sent> mine = byRecipient.computeIfAbsent(digits(to), k -> new CopyOnWriteArrayList<>());
      synchronized (mine) {
        mine.add(sent);
        mine.notifyAll();
      }
      answer(exchange, 202, "0: Accepted for delivery");
    }
  }

  /** What reaches a phone from a text sent in GSM 7-bit: each character the alphabet lacks is '?'. */
  static String asGsm(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(cp -> {
      String c = Character.toString(cp);
      out.append(SmsSegments.isGsm(c) ? c : "?");
    });
    return out.toString();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    exchange.getResponseHeaders().set("Content-Type", "text/html");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** The query's fields, each URL-decoded to its bytes ('+' is a space): the charset says what they mean. */
  static Map<String, byte[]> query(String raw) {
    Map<String, byte[]> out = new HashMap<>();
    if (raw == null) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = new String(decode(eq < 0 ? pair : pair.substring(0, eq)), StandardCharsets.US_ASCII);
      out.putIfAbsent(name, eq < 0 ? new byte[0] : decode(pair.substring(eq + 1)));
    }
    return out;
  }

  private static byte[] decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  private static String field(Map<String, byte[]> q, String... names) {
    for (String n : names) if (q.containsKey(n)) return new String(q.get(n), StandardCharsets.UTF_8);
    return null;
  }

  private static String digits(String number) {
    return number.startsWith("+") ? number.substring(1) : number;
  }

  @Override
  public void close() {
    sendsms.stop(0);
    http.close();
  }
}
