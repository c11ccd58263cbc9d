package org.sathi.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.channel.Channels;
import org.sathi.privacy.CallerKey;
import org.sathi.report.RedisReportStore;
import org.sathi.report.ReferenceCode;
import org.sathi.report.Report;
import org.sathi.report.TimelineEntry;
import org.sathi.server.Backends;
import org.sathi.server.Config;
import org.sathi.session.RedisSessionStore;
import org.sathi.simulator.TwilioPlayer;
import org.sathi.testing.Await;
import org.sathi.testing.LogCapture;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;
import org.sathi.testing.TestRedis;
import org.sathi.testing.TwilioStandIn;

/**
 * WhatsApp through Twilio, end to end on a real redis-server, with Twilio's REST API stood in by
 * WireMock: a sender with a phone number and one with only a WhatsApp user id (BSUID) each file a
 * report, neither id is kept or logged in clear, nor the profile's name; officers answer on WhatsApp
 * inside its 24-hour window and only through the approved template after it, or not at all when no
 * template is configured.
 */
@Tag("integration")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WhatsAppIT {
  static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
  static final String TEMPLATE = "HX" + "fedcba9876543210".repeat(2);
  static final String HOTLINE = "+8809610000000";
  /** A Bangladeshi number: on WhatsApp, and the same number by SMS. */
  static final String PHONE = "+8801712345678";
  static final String BSUID = "BD.13491208655302741918";
  static final String PASSWORD = "mango-monsoon-ferry-17";
  /** The report's answers after "hi": report, a child, forced work, not in danger, 14, a girl, where, what happened. */
  static final List<String> REPORT = List.of("1", "2", "1", "2", "14", "2", "4", "Khulna", "A man took her papers."); // 4: Khulna division
  static final String DETAILS = REPORT.get(REPORT.size() - 1);

  static TestRedis redis;
  static TwilioStandIn twilio;
  static RunningClock clock;
  /** With the approved template configured; {@link #noTemplate} is the same hotline (same Redis) without one. */
  static TestHotline hotline;
  static TestHotline noTemplate;
  static TwilioPlayer phone;
  static org.sathi.console.OfficerAccounts accounts;
  static RedisReportStore reports;
  static LogCapture logs;

  @BeforeAll
  static void start() throws Exception {
    logs = LogCapture.start();
    redis = TestRedis.start();
    twilio = new TwilioStandIn(ACCOUNT);
    clock = new RunningClock();
    reports = new RedisReportStore(redis.connection);
    hotline = deploy(TEMPLATE);
    noTemplate = deploy(null);
    phone = new TwilioPlayer("http://127.0.0.1:" + hotline.server.port(), TestPhone.PUBLIC_URL, TestPhone.AUTH_TOKEN, ACCOUNT, HOTLINE);
  }

  static TestHotline deploy(String template) throws Exception {
    Config config = TestHotline.config().withRedisUrl(redis.server.url()).withTwilio(ACCOUNT, TestPhone.AUTH_TOKEN)
        .withTwilioApi(twilio.baseUrl(), HOTLINE)
        .withChannels(List.of(new Channels.Twilio("sms", List.of(), 1),
            new Channels.WhatsApp("whatsapp", "whatsapp:" + HOTLINE, List.of("880"), template, 24, 2)));
    RedisSessionStore store = new RedisSessionStore(redis.connection, config.session().times(), TestHotline.codec());
    Backends backends = TestHotline.redis(redis.connection, store, new org.sathi.duty.LogPager());
    accounts = backends.console().accounts(); // both hotlines' accounts are the same Redis keys
    return TestHotline.deploy(redis.vertx, backends, TestHotline.newMetrics(), ReferenceCode::next, clock, config);
  }

  @AfterAll
  static void stop() throws Exception {
    logs.close();
    twilio.close();
    redis.close();
  }

  @BeforeEach
  void empty() throws Exception {
    redis.flush();
    twilio.reset();
    // The officer, after the flush: accounts live in the same Redis.
    accounts.add("rahim", org.sathi.console.Officer.Role.OFFICER, PASSWORD).await(20, TimeUnit.SECONDS);
    logs.clear();
  }

  /** Walks a report on WhatsApp from {@code from} (a number or a user id); returns its reference code. */
  static String report(String from, String firstWords, String contact) throws Exception {
    List<String> first = phone.whatsApp(from, firstWords);
    assertThat(String.join("\n", first)).as("the main menu in Bengali: the country of %s", from).contains("সাথী").contains("1. ");
    for (String answer : REPORT) phone.whatsApp(from, answer);
    String last = String.join("\n", phone.whatsApp(from, contact));
    var m = java.util.regex.Pattern.compile("[" + ReferenceCode.ALPHABET + "]{4}-[" + ReferenceCode.ALPHABET + "]{4}").matcher(last);
    assertThat(m.find()).as("a reference code in: %s", last).isTrue();
    return m.group();
  }

  static Report filed(String reference) throws Exception {
    Await.until(Duration.ofSeconds(10), "report " + reference + " filed", () -> reports.get(reference).await(5, TimeUnit.SECONDS).isPresent());
    return reports.get(reference).await(5, TimeUnit.SECONDS).orElseThrow();
  }

  @Test
  void aPhoneSenderAndAUserIdSenderEachFileAReportAndNeitherIdNorTheProfileNameIsKeptOrLoggedInClear() throws Exception {
    String byPhone = report(PHONE, "hi", "2");
    // No number at all: the country, so the language of "hi" and the numbers in messages, is the channel's first (880, Bengali).
    String byUserId = report(BSUID, "hi", "2");

    CallerKey keys = new CallerKey(hotline.config.secret());
    Report phoneReport = filed(byPhone);
    Report userIdReport = filed(byUserId);
    assertThat(List.of(phoneReport.channel(), userIdReport.channel())).containsOnly("whatsapp");
    assertThat(phoneReport.language()).isEqualTo("bn");
    assertThat(userIdReport.language()).isEqualTo("bn");
    // The whole address is keyed: a WhatsApp conversation is not the same number's SMS conversation.
    assertThat(phoneReport.callerKey()).isEqualTo(keys.of("whatsapp:" + PHONE)).isNotEqualTo(keys.of(PHONE));
    assertThat(userIdReport.callerKey()).isEqualTo(keys.of("whatsapp:" + BSUID));

    Console rahim = Console.loggedIn(hotline);
    HttpResponse<String> queue = rahim.get("/api/reports?status=open");
    assertThat(queue.statusCode()).isEqualTo(200);
    JsonArray open = new JsonObject(queue.body()).getJsonArray("reports");
    assertThat(open.stream().map(o -> ((JsonObject) o).getString("reference") + " " + ((JsonObject) o).getString("channel")).toList())
        .containsExactlyInAnyOrder(byPhone + " whatsapp", byUserId + " whatsapp");
    List<String> answers = new ArrayList<>(List.of(queue.body(), rahim.get("/api/reports/" + byPhone).body(),
        rahim.get("/api/reports/" + byUserId).body()));

    assertThat(redisContents()).as("what is looked through").anySatisfy(kv -> assertThat(kv).contains(phoneReport.callerKey()));
    assertThat(logLines()).as("what is looked through").anySatisfy(l -> assertThat(l).contains("Report " + byUserId + " stored for caller"));
    assertThat(clear(answers)).as("in the console API's answers").isEmpty();
    assertThat(clear(redisContents())).as("in Redis, keys and values").isEmpty();
    assertThat(clear(logLines())).as("in the logs").isEmpty();
    assertThat(String.join("\n", logLines())).as("no message body in the logs").doesNotContain(DETAILS).doesNotContain("Khulna");
  }

  @Test
  void theSameNumberBySmsHasItsOwnConversationAndItsReplyStaysOnItsChannel() throws Exception {
    phone.whatsApp(PHONE, "hi");
    phone.whatsApp(PHONE, "1");
    // By SMS the same number is someone new: the main menu, not the WhatsApp conversation's next question.
    assertThat(String.join("\n", phone.text(PHONE, "hi"))).contains("1. ");
    assertThat(String.join("\n", phone.whatsApp(PHONE, "2"))).as("WhatsApp goes on where it was").doesNotContain("সাথী");
    assertThat(twilio.messages()).as("replies are TwiML; nothing is sent through the REST API").isEmpty();
  }

  @Test
  void aMalformedOrUnknownWhatsAppAddressIsRefusedAndChangesNothing() throws Exception {
    Map<String, String> before = redisSnapshot();
    for (String from : List.of("whatsapp:", "whatsapp:+12", "whatsapp:bd.1234", "whatsapp:BD.", "whatsapp:BD.12 34", "whatsapp:BD.12-34",
        "whatsapp:BD." + "1".repeat(129), "whatsapp:BD.1234;DROP", "whatsapp:+8801712345678x")) {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("MessageSid", "SM" + "1".repeat(32));
      f.put("From", from);
      f.put("To", "whatsapp:" + HOTLINE);
      f.put("Body", "hi");
      TwilioPlayer.Answer a = phone.post(TestPhone.PUBLIC_URL + "/twilio/sms", f);
      assertThat(a.status()).as(from).isEqualTo(400);
      assertThat(a.body()).as(from).contains("malformed field From");
    }
    assertThat(redisSnapshot()).isEqualTo(before);
  }

  @Test
  void anOfficerAnswersOnWhatsAppInsideItsWindowAndOutsideItOnlyTheTemplateGoesOrNothingWithoutOne() throws Exception {
    String consented = report(PHONE, "hi", "1");
    String userId = report(BSUID, "hi", "2");
    filed(consented);
    filed(userId);
    Console rahim = Console.loggedIn(hotline);
    assertThat(rahim.post("/api/reports/" + consented + "/claim", null).statusCode()).isEqualTo(200);
    assertThat(rahim.post("/api/reports/" + userId + "/claim", null).statusCode()).isEqualTo(200);
    assertThat(rahim.reply(consented).getString("by")).isEqualTo("whatsapp");

    String words = "We read your message. Are you safe now?";
    HttpResponse<String> inside = rahim.post("/api/reports/" + consented + "/reply", new JsonObject().put("text", words).encode());
    assertThat(inside.statusCode()).as(inside.body()).isEqualTo(200);
    assertThat(new JsonObject(inside.body()).getString("by")).isEqualTo("whatsapp");
    HttpResponse<String> toUserId = rahim.post("/api/reports/" + userId + "/reply", new JsonObject().put("text", words).encode());
    assertThat(toUserId.statusCode()).as(toUserId.body()).isEqualTo(200);
    assertThat(twilio.messages()).extracting(m -> m.get("From"), m -> m.get("To"), m -> m.get("Body"), m -> m.get("ContentSid")).containsExactly(
        org.assertj.core.groups.Tuple.tuple("whatsapp:" + HOTLINE, "whatsapp:" + PHONE, words, null),
        org.assertj.core.groups.Tuple.tuple("whatsapp:" + HOTLINE, "whatsapp:" + BSUID, words, null));

    // A day and an hour on: WhatsApp's window, from the reporter's latest message, has closed.
    clock.advance(Duration.ofHours(25));
    twilio.reset();
    rahim = Console.loggedIn(hotline);
    Console withoutTemplate = Console.loggedIn(noTemplate);

    JsonObject shown = withoutTemplate.reply(consented);
    assertThat(shown.getBoolean("allowed")).isFalse();
    assertThat(shown.getString("reason")).contains("24-hour window").contains("templateContentSid");
    String later = "Can you talk today?";
    HttpResponse<String> refused = withoutTemplate.post("/api/reports/" + consented + "/reply", new JsonObject().put("text", later).encode());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(refused.body()).getString("error")).contains("24-hour window").contains("has closed")
        .contains("templateContentSid").contains("If the reporter writes again");
    assertThat(twilio.messages()).as("nothing sent").isEmpty();

    assertThat(rahim.reply(consented).getString("by")).isEqualTo("whatsapp-template");
    HttpResponse<String> invited = rahim.post("/api/reports/" + consented + "/reply", new JsonObject().put("text", later).encode());
    assertThat(invited.statusCode()).as(invited.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(invited.body());
    assertThat(answer.getBoolean("template")).isTrue();
    assertThat(answer.getString("warning")).contains("your words were not sent").contains("template");
    List<Map<String, String>> sent = twilio.messages();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)).containsEntry("ContentSid", TEMPLATE).containsEntry("To", "whatsapp:" + PHONE)
        .containsEntry("From", "whatsapp:" + HOTLINE).doesNotContainKey("Body");
    assertThat(String.join(" ", sent.get(0).values())).doesNotContain(later);
    assertThat(reports.timeline(consented).await(5, TimeUnit.SECONDS)).extracting(TimelineEntry::kind, TimelineEntry::text)
        .contains(org.assertj.core.groups.Tuple.tuple("reply-template", "Not sent (WhatsApp's window had closed): " + later
            + " | Sent instead: the approved WhatsApp template inviting the reporter to write back."));

    // The reporter writes back: the window is open again, and the officer's words go as they are.
    twilio.reset();
    phone.whatsApp(PHONE, "Yes, I can talk now.");
    assertThat(rahim.reply(consented).getString("by")).isEqualTo("whatsapp");
    assertThat(rahim.post("/api/reports/" + consented + "/reply", new JsonObject().put("text", later).encode()).statusCode()).isEqualTo(200);
    assertThat(twilio.messages()).extracting(m -> m.get("Body"), m -> m.get("ContentSid")).containsExactly(
        org.assertj.core.groups.Tuple.tuple(later, null));
    assertThat(clear(redisContents())).as("in Redis, keys and values").isEmpty();
    assertThat(clear(logLines())).as("in the logs").isEmpty();
  }

  // ---- where the ids must not be

  /** Each text that shows a WhatsApp id, the number in any common form, or the profile's name, in clear. */
  static List<String> clear(List<String> texts) {
    List<String> needles = List.of(PHONE, PHONE.substring(1), "01712345678", "1712345678", BSUID, BSUID.substring(3), TwilioPlayer.PROFILE_NAME);
    return texts.stream().filter(t -> needles.stream().anyMatch(t::contains)).toList();
  }

  static List<String> logLines() {
    return logs.lines();
  }

  static List<String> redisContents() {
    return redisSnapshot().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList();
  }

  static Map<String, String> redisSnapshot() {
    return TestRedis.contents(redis.check);
  }

  /**
   * An officer's browser on one hotline's console. The test's public URL is https, so the cookies are
   * Secure and a cookie jar would not send them to 127.0.0.1: they are kept by hand.
   */
  record Console(int port, Map<String, String> cookies) {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Console loggedIn(TestHotline on) throws Exception {
      Console c = new Console(on.server.port(), new LinkedHashMap<>());
      HttpResponse<String> login = c.post("/api/session", new JsonObject().put("username", "rahim").put("password", PASSWORD).encode());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      return c;
    }

    /** What the report view says about replying: allowed, until, reason, by. */
    JsonObject reply(String reference) throws Exception {
      HttpResponse<String> r = get("/api/reports/" + reference);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return new JsonObject(r.body()).getJsonObject("reply");
    }

    HttpResponse<String> get(String path) throws Exception {
      return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String json) throws Exception {
      return send("POST", path, json);
    }

    HttpResponse<String> send(String method, String path, String json) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
          .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
      if (json != null) b.header("Content-Type", "application/json");
      if (!cookies.isEmpty()) {
        b.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
      }
      if (cookies.containsKey("XSRF-TOKEN")) b.header("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      for (String set : r.headers().allValues("Set-Cookie")) {
        String pair = set.split(";", 2)[0];
        int eq = pair.indexOf('=');
        cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      return r;
    }
  }

  /**
   * Real time, moved ahead by hand: a turn's deadline is checked against Redis's own clock, so the
   * hotline's clock must keep running (a stopped clock would make every commit late).
   */
  static final class RunningClock extends java.time.Clock {
    private volatile Duration ahead = Duration.ZERO;

    void advance(Duration d) {
      ahead = ahead.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(ahead);
    }
  }
}
