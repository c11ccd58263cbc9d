package org.sathi.channel.kannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sathi.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.channel.Channels;
import org.sathi.console.Officer;
import org.sathi.duty.LogPager;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Backends;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestHotline;

/**
 * Kannel end to end, with Debian's Kannel 1.4.5 ({@code ./sathi test} installs kannel and
 * kannel-extras): {@code fakesmsc} plays the operator's SMSC, bearerbox and smsbox carry the text
 * to Sathi's {@code /channels/bd-kannel/kannel}, and Sathi's reply leaves through {@code sendsms}
 * and comes back out of {@code fakesmsc}; Kannel's delivery report for an officer's reply reaches
 * Sathi's {@code dlr-url} and shows on the report in the console.
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KannelIT {
  static final Path BEARERBOX = Path.of("/usr/sbin/bearerbox");
  static final Path SMSBOX = Path.of("/usr/sbin/smsbox");
  static final Path FAKESMSC = Path.of("/usr/lib/kannel/test/fakesmsc");
  static final String SECRET = "kannel-test-key-0123456789";
  static final Pattern GOT = Pattern.compile("Got message \\d+: <(\\S+) (\\S+) (\\S+) (.*)>");
  static final Pattern CODE = Pattern.compile("[A-Z0-9]{4}-[A-Z0-9]{4}");
  static final List<String> REPORT = List.of("hello", "1", "2", "1", "2", "14", "2", "4", "Jessore", "Taken to work at night", "2"); // 4: Khulna division
  static final String OFFICER_PASSWORD = "mango-monsoon-ferry-17";

  static Vertx vertx;
  static TestHotline hotline;
  static Backends backends;
  static Path dir;
  static int fakePort;
  static int sathiPort;
  static final List<Process> kannel = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    for (Path p : List.of(BEARERBOX, SMSBOX, FAKESMSC)) {
      if (!Files.isExecutable(p)) throw new AssertionError(p + " is missing: install Debian's kannel and kannel-extras (./sathi test does)");
    }
    dir = Files.createTempDirectory("sathi-kannel-");
    int admin = freePort();
    int box = freePort();
    fakePort = freePort();
    int sendsms = freePort();
    sathiPort = freePort();
    Files.writeString(dir.resolve("kannel.conf"), """
        group = core
        admin-port = %d
        admin-password = test
        smsbox-port = %d
        box-allow-ip = "127.0.0.1"
        log-level = 1
        log-file = "%s/bearerbox.log"

        group = smsc
        smsc = fake
        smsc-id = FAKE
        port = %d
        connect-allow-ip = 127.0.0.1

        group = smsbox
        bearerbox-host = 127.0.0.1
        bearerbox-port = %d
        sendsms-port = %d
        log-level = 1
        log-file = "%s/smsbox.log"

        group = sms-service
        keyword = default
        post-url = "http://127.0.0.1:%d/channels/bd-kannel/kannel?key=%s"
        send-sender = true
        omit-empty = true
        max-messages = 0

        group = sendsms-user
        username = sathi
        password = sendpw
        """.formatted(admin, box, dir, fakePort, box, sendsms, dir, sathiPort, SECRET));
    kannel.add(new ProcessBuilder(BEARERBOX.toString(), dir.resolve("kannel.conf").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("bearerbox.out").toFile()).start());
    awaitPort(box);
    kannel.add(new ProcessBuilder(SMSBOX.toString(), dir.resolve("kannel.conf").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("smsbox.out").toFile()).start());
    awaitPort(sendsms);

    vertx = Vertx.vertx();
    var channel = new Channels.Kannel("bd-kannel", "http://127.0.0.1:" + sendsms + "/cgi-bin/sendsms", "sathi", "KANNEL_PASSWORD", "sendpw",
        "10921", "KANNEL_KEY", SECRET, List.of("880"), 1);
    var config = TestHotline.config().withPort(sathiPort).withPublicUrl("http://127.0.0.1:" + sathiPort).withChannels(List.of(channel));
    var store = new MemorySessionStore(config.session().times(), TestHotline.codec(), java.time.Clock.systemUTC());
    backends = TestHotline.memory(store, new LogPager());
    hotline = TestHotline.deploy(vertx, backends, TestHotline.newMetrics(), ReferenceCode::next, java.time.Clock.systemUTC(), config);
    backends.console().accounts().add("rahim", Officer.Role.OFFICER, OFFICER_PASSWORD).await(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : kannel) p.destroy();
    for (Process p : kannel) p.waitFor(10, TimeUnit.SECONDS);
    if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * A phone's text through fakesmsc; what came back out of it for that phone within 15 s. Kannel
   * sends a long reply in parts, which fakesmsc prints one by one: they are joined, as a phone would.
   */
  static List<String> text(String from, String body) throws Exception {
    try (Fakesmsc fake = Fakesmsc.start(1, from.substring(1) + " 10921 text " + body)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      boolean settled = false;
      while (System.nanoTime() < deadline) {
        List<String> replies = fake.receivedBy(from);
        if (!replies.isEmpty()) {
          if (settled) return List.of(String.join("", replies));
          settled = true;
          Thread.sleep(1000); // the other parts of the message
          continue;
        }
        Thread.sleep(50);
      }
      throw new AssertionError("nothing came back out of fakesmsc within 15 s; see " + dir);
    }
  }

  /** fakesmsc connected to bearerbox as the operator's SMSC: it sends {@code max} texts, and prints what Kannel sends out through it. */
  record Fakesmsc(Process process, Path out) implements AutoCloseable {
    static Fakesmsc start(int max, String message) throws IOException {
      Path out = Files.createTempFile(dir, "fakesmsc-", ".out");
      Process p = new ProcessBuilder(FAKESMSC.toString(), "-H", "127.0.0.1", "-r", String.valueOf(fakePort), "-i", "0.1", "-m",
          String.valueOf(max), message).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      return new Fakesmsc(p, out);
    }

    /** The texts that came out for a phone so far, decoded, oldest first (a long one in its parts). */
    List<String> receivedBy(String phone) throws IOException {
      List<String> replies = new ArrayList<>();
      for (String line : Files.readAllLines(out, StandardCharsets.ISO_8859_1)) {
        Matcher m = GOT.matcher(line);
        if (m.find() && m.group(2).replace("+", "").equals(phone.substring(1))) replies.add(decode(m.group(3), m.group(4)));
      }
      return replies;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** fakesmsc prints a UCS-2 text as URL-encoded UTF-16BE, a plain one as it is. */
  static String decode(String type, String data) {
    if (!type.startsWith("ucs")) return data;
    return new String(URLDecoder.decode(data, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_16BE);
  }

  @Test
  void aTextThroughKannelIsAnsweredThroughKannel() throws Exception {
    List<String> replies = text("+8801711000021", "hi");
    assertThat(replies).hasSize(1);
    assertThat(replies.get(0)).as("the Bengali main menu, in UCS-2, from sendsms").startsWith("সাথী।").contains("1. সমস্যা জানান");
    List<String> next = text("+8801711000021", "4");
    assertThat(next.get(0)).as("the same conversation goes on: useful numbers of Bangladesh").contains("999").contains("1098");
  }

  /**
   * An officer's reply leaves through sendsms with dlr-mask 3 and a dlr-url. Kannel's fake SMSC
   * module reports a message it handed to fakesmsc as delivered (smsc_fake.c makes the final DLR
   * itself), smsbox calls the dlr-url, and the console shows the reply delivered.
   */
  @Test
  void anOfficersReplyShowsDeliveredOnceKannelReportsIt() throws Exception {
    String from = "+8801711000032";
    String last = null;
    for (String text : REPORT) last = text(from, text).get(0);
    Matcher code = CODE.matcher(last);
    assertThat(code.find()).as("the last reply through Kannel gives the reference code: %s", last).isTrue();
    String reference = code.group();
    awaitTrue(() -> backends.reports().get(reference).await(5, TimeUnit.SECONDS).isPresent(), "the report is filed");
    Console rahim = Console.loggedIn("rahim", OFFICER_PASSWORD);
    assertThat(rahim.post("/api/reports/" + reference + "/claim", null).statusCode()).isEqualTo(200);
    assertThat(timeline(rahim, reference)).doesNotContain("reply-delivered");

    String words = "আমরা আপনার খবর পেয়েছি।";
    try (Fakesmsc operator = Fakesmsc.start(0, "8801700000000 10921 text unused")) {
      HttpResponse<String> sent = rahim.post("/api/reports/" + reference + "/reply", new JsonObject().put("text", words).encode());
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
      awaitTrue(() -> operator.receivedBy(from).contains(words), "the officer's words came out of the SMSC to the reporter's phone");
      awaitTrue(() -> timeline(rahim, reference).contains("reply-delivered"), "the console shows the reply delivered, from Kannel's report");
    }
    assertThat(hotline.metrics.scrape()).contains("sathi_kannel_receipts_total{channel=\"bd-kannel\",state=\"DELIVRD\"}");
  }

  /** The kinds of the report's timeline, as the console shows it. */
  static List<String> timeline(Console console, String reference) throws Exception {
    HttpResponse<String> r = console.get("/api/reports/" + reference);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("kind")).toList();
  }

  /** An officer's browser on the console: its cookies kept, the CSRF token sent back on changes. */
  record Console(HttpClient http, CookieManager cookies) {
    static Console loggedIn(String username, String password) throws Exception {
      CookieManager cookies = new CookieManager();
      Console c = new Console(HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build(), cookies);
      HttpResponse<String> login = c.send("POST", "/api/session", new JsonObject().put("username", username).put("password", password).encode());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      return c;
    }

    HttpResponse<String> get(String path) throws Exception {
      return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String json) throws Exception {
      return send("POST", path, json);
    }

    HttpResponse<String> send(String method, String path, String json) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + sathiPort + path)).timeout(Duration.ofSeconds(20))
          .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
      if (json != null) b.header("Content-Type", "application/json");
      cookies.getCookieStore().getCookies().stream().filter(k -> k.getName().equals("XSRF-TOKEN")).findFirst()
          .ifPresent(k -> b.header("X-XSRF-TOKEN", k.getValue()));
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  static void awaitTrue(Await.Check check, String what) throws Exception {
    Await.until(Duration.ofSeconds(20), what + "; see " + dir, check);
  }

  @Test
  void aWrongKeyIsRefusedAndChangesNothing() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + sathiPort
            + "/channels/bd-kannel/kannel?key=wrong&from=%2B8801711000099&to=10921&text=hi")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    HttpResponse<String> none = http.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + sathiPort
        + "/channels/bd-kannel/kannel?from=%2B8801711000099&to=10921&text=hi")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(403);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void awaitPort(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("Kannel did not listen on " + port + " within 20 s; see " + dir);
  }
}
