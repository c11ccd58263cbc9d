package org.sathi.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.console.ConsoleEvents;
import org.sathi.console.ConsoleStores;
import org.sathi.console.Referrals;
import org.sathi.duty.MemoryDutyInbox;
import org.sathi.channel.twilio.TwilioPager;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Backends;
import org.sathi.server.Config;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestHotline;
import org.sathi.channel.twilio.TwilioOutbound;

/**
 * The simulator's API and its simulated Twilio on a real server, wired as the demo wires them:
 * Sathi's pages and replies go out through the Twilio SDK to the simulated Twilio, which takes only
 * the account's credentials; a call rings the officer's simulated phone; a recorded report can be
 * played back through the console's recording route.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatorTest {
  static final String ACCOUNT = "AC" + "de".repeat(16);
  static final String TOKEN = "test-auth-token";

  /** The demo's USSD channel, as ./sathi demo configures it. */
  static final org.sathi.channel.Channels.Ussd DEMO_USSD = new org.sathi.channel.Channels.Ussd(UssdPlayer.DEMO_CHANNEL, "africastalking",
      UssdPlayer.DEMO_CODE, "SATHI_DEMO_USSD_KEY", UssdPlayer.DEMO_KEY, org.sathi.channel.Channels.USSD_MAX_CHARS,
      org.sathi.channel.Channels.USSD_UNICODE_CHARS, org.sathi.channel.Channels.USSD_DEADLINE_MILLIS, List.of("880"), 0);

  /** The demo's WhatsApp channel, as ./sathi demo configures it: on the hotline's number, with an approved template. */
  static final org.sathi.channel.Channels.WhatsApp DEMO_WHATSAPP = new org.sathi.channel.Channels.WhatsApp("whatsapp",
      "whatsapp:" + TwilioPlayer.DEFAULT_HOTLINE, List.of("880"), "HX" + "d3".repeat(16), 24, 0);

  Vertx vertx = Vertx.vertx();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  String base;
  Backends backends;

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A hotline as the demo runs it: the simulator on, Twilio's REST API pointed at the simulator's own Twilio. */
  TestHotline demo(boolean simulator) throws Exception {
    return demo(simulator, false);
  }

  /** @param ussd with the demo's USSD channel ({@code *123#}) beside Twilio */
  TestHotline demo(boolean simulator, boolean ussd) throws Exception {
    return demo(simulator, ussd ? List.of(new org.sathi.channel.Channels.Twilio("sms", List.of(), 1), DEMO_USSD) : List.of());
  }

  /** @param channels the config's channels: (none: Twilio's SMS only) */
  TestHotline demo(boolean simulator, List<org.sathi.channel.Channels.Channel> channels) throws Exception {
    int port = freePort();
    base = "http://localhost:" + port;
    Config config = TestHotline.config().withPort(port).withPublicUrl(base).withTwilio(ACCOUNT, TOKEN).withSimulator(simulator)
        .withTwilioApi(base + SimulatedTwilio.BASE_PATH, TwilioPlayer.DEFAULT_HOTLINE);
    if (!channels.isEmpty()) config = config.withChannels(channels);
    TwilioOutbound outbound = new TwilioOutbound(ACCOUNT, TOKEN, config.twilio().apiBase(), TwilioPlayer.DEFAULT_HOTLINE, vertx, Duration.ofSeconds(5), 1);
    MemorySessionStore store = new MemorySessionStore(config.session().times(), TestHotline.codec(), java.time.Clock.systemUTC());
    backends = new Backends(store, new MemoryReportStore(), new MemoryDutyInbox(store::events, java.time.Clock.systemUTC()),
        TwilioPager.of(outbound), TestHotline.roster(), TestHotline.triager(), TestHotline.crosswalk()::map, org.sathi.session.Durability.none(),
        ConsoleStores.memory(java.time.Clock.systemUTC()), ConsoleEvents.memory(), outbound::sendSms, Referrals.none());
    return TestHotline.deploy(vertx, backends, TestHotline.newMetrics(), ReferenceCode::next, java.time.Clock.systemUTC(), config);
  }

  HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonObject call(String path, JsonObject body) throws Exception {
    HttpResponse<String> r = post(path, body.encode());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  HttpResponse<String> twilioMessage(String authorization, String account) throws Exception {
    return twilioMessage(authorization, account, "To=%2B8801700000101&From=%2B15005550006&Body=forged+page");
  }

  /** A send through the simulated Twilio's Messages.json, as the Twilio SDK posts it: a form. */
  HttpResponse<String> twilioMessage(String authorization, String account, String form) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + SimulatedTwilio.BASE_PATH + "/2010-04-01/Accounts/" + account + "/Messages.json"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (authorization != null) b.header("Authorization", authorization);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theSimulatedTwilioTakesOnlyTheAccountsCredentials() throws Exception {
    demo(true);
    for (String[] attempt : new String[][] {{null, ACCOUNT}, {basic(ACCOUNT, "wrong-token"), ACCOUNT}, {basic("AC" + "0".repeat(32), TOKEN), ACCOUNT},
        {basic(ACCOUNT, TOKEN), "AC" + "1".repeat(32)}, {"Bearer " + TOKEN, ACCOUNT}}) {
      HttpResponse<String> r = twilioMessage(attempt[0], attempt[1]);
      assertThat(r.statusCode()).as("%s for %s", attempt[0], attempt[1]).isEqualTo(401);
      assertThat(new JsonObject(r.body()).getInteger("code")).isEqualTo(20003);
    }
    HttpResponse<String> recording = http.send(HttpRequest.newBuilder(URI.create(base + SimulatedTwilio.BASE_PATH + "/2010-04-01/Accounts/" + ACCOUNT
        + "/Recordings/RE" + "0".repeat(32) + ".mp3")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(recording.statusCode()).isEqualTo(401);
    HttpResponse<String> signed = twilioMessage(basic(ACCOUNT, TOKEN), ACCOUNT);
    assertThat(signed.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(signed.body()).getString("sid")).startsWith("SM");
  }

  @Test
  void theSimulatorsApiTakesOnlyJsonAndSaysWhatIsWrong() throws Exception {
    demo(true);
    HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/simulator/api/sms"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"+447700900123\",\"body\":\"hi\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).as("a form from another site cannot drive the phones").isEqualTo(415);
    assertThat(post("/simulator/api/sms", "{\"from\":\"12345\",\"body\":\"hi\"}").statusCode()).isEqualTo(400);
    String id = call("/simulator/api/calls", new JsonObject().put("from", "+447700900123")).getString("call");
    HttpResponse<String> keys = post("/simulator/api/calls/" + id + "/keys", "{\"digits\":\"<script>\"}");
    assertThat(keys.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(keys.body()).getString("error")).contains("keys");
    assertThat(post("/simulator/api/calls/" + id + "/officer", "{\"answer\":true}").statusCode()).as("nothing is ringing").isEqualTo(409);
    assertThat(post("/simulator/api/calls/SIMnothing/keys", "{\"digits\":\"1\"}").statusCode()).isEqualTo(404);
  }

  /** A step of the page's USSD phone: the screen it shows, and whether the session is still open. */
  JsonObject ussd(String action, String phone, String input) throws Exception {
    JsonObject body = new JsonObject().put("phone", phone);
    if (input != null) body.put("input", input);
    return call("/simulator/api/ussd/" + action, body);
  }

  @Test
  void theUssdPhoneDialsTheCodeAnswersScreensAndACancelledReportIsOfferedToContinue() throws Exception {
    demo(true, true);
    JsonObject phones = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/simulator/api/phones")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(phones.getString("ussd")).as("the page is told the code to dial").isEqualTo("*123#");
    String phone = "+8801700000001";
    JsonObject menu = ussd("dial", phone, null);
    assertThat(menu.getString("session")).isEqualTo("open");
    assertThat(menu.getString("screen")).startsWith("সাথী। নম্বর লিখুন:").contains("1. সমস্যা জানান", "98. আরও").doesNotStartWith("CON");
    assertThat(ussd("type", phone, "1").getString("screen")).contains("আপনি কাকে নিয়ে চিন্তিত?");
    assertThat(ussd("type", phone, "2").getString("screen")).contains("কী হচ্ছে?");
    assertThat(ussd("cancel", phone, null).getString("session")).isEqualTo("ended");

    JsonObject offer = ussd("dial", phone, null);
    assertThat(offer.getString("screen")).contains("1. চালিয়ে যান", "2. আবার শুরু");
    assertThat(ussd("type", phone, "1").getString("screen")).as("where the caller stopped").contains("কী হচ্ছে?");
    JsonObject end = ussd("type", phone, "exit");
    assertThat(end.getString("session")).as("the quick exit ends the session").isEqualTo("ended");
    HttpResponse<String> after = post("/simulator/api/ussd/type", new JsonObject().put("phone", phone).put("input", "1").encode());
    assertThat(after.statusCode()).as("nothing is open after END").isEqualTo(409);
    assertThat(new JsonObject(after.body()).getString("error")).contains("dial *123# first");
  }

  @Test
  void theUssdPhoneRefusesBadStepsWithAReasonAndIsNotThereWithoutAUssdChannel() throws Exception {
    demo(true, true);
    ussd("dial", "+8801700000002", null);
    for (String bad : List.of("{\"phone\":\"12345\"}", "{}", "{\"phone\":\"+8801700000002\",\"input\":\"1*2\"}",
        "{\"phone\":\"+8801700000002\",\"input\":\"\"}", "{\"phone\":\"+8801700000002\",\"input\":\"a\\nb\"}",
        "{\"phone\":\"+8801700000002\",\"input\":7}")) {
      HttpResponse<String> r = post("/simulator/api/ussd/type", bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).as(bad).containsAnyOf("phone", "input");
    }
    assertThat(ussd("type", "+8801700000002", "1").getString("screen")).as("the session survived the refused steps")
        .contains("আপনি কাকে নিয়ে চিন্তিত?");
    vertx.close().await(10, TimeUnit.SECONDS);
    vertx = Vertx.vertx();

    demo(true, false);
    HttpResponse<String> none = post("/simulator/api/ussd/dial", "{\"phone\":\"+8801700000001\"}");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(none.body()).getString("error")).contains("No USSD channel is configured");
    JsonObject phones = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/simulator/api/phones")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(phones.getString("ussd")).as("the page hides its USSD tab").isNull();
  }

  /** The page's live feed: each line of its event stream. */
  java.util.concurrent.BlockingQueue<String> events() {
    java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
    http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/simulator/api/events")).build(), HttpResponse.BodyHandlers.ofLines())
        .thenAccept(r -> r.body().forEach(events::add));
    return events;
  }

  /** The data of the first {@code kind} event on the feed that holds {@code text}, within 10 s; null when none came. */
  static JsonObject event(java.util.concurrent.BlockingQueue<String> events, String kind, String text) throws InterruptedException {
    String last = "";
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      String line = events.poll(200, TimeUnit.MILLISECONDS);
      if (line == null) continue;
      if (line.startsWith("data:") && last.equals("event: " + kind) && line.contains(text)) return new JsonObject(line.substring(5).strip());
      last = line;
    }
    return null;
  }

  JsonObject phones() throws Exception {
    return new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/simulator/api/phones")).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  /** A WhatsApp message from the page's phone, as its number or as its user id: where it went from, and Sathi's replies. */
  JsonObject whatsApp(String phone, String body, boolean userId) throws Exception {
    return call("/simulator/api/whatsapp", new JsonObject().put("from", phone).put("body", body).put("userId", userId));
  }

  @Test
  void theWhatsAppChatWritesAsTheNumberOrTheUserIdAndAnOfficersReplyAndTheTemplateReachIt() throws Exception {
    demo(true, List.of(new org.sathi.channel.Channels.Twilio("sms", List.of(), 1), DEMO_WHATSAPP));
    JsonObject phones = phones();
    assertThat(phones.getString("whatsapp")).as("the page shows its WhatsApp tab").isEqualTo("whatsapp:" + TwilioPlayer.DEFAULT_HOTLINE);
    JsonObject bangladesh = phones.getJsonArray("phones").getJsonObject(0);
    assertThat(bangladesh.getString("number")).isEqualTo("+8801700000001");
    assertThat(bangladesh.getString("userId")).isEqualTo("BD.8801700000001");

    JsonObject byNumber = whatsApp("+8801700000001", "হ্যালো", false);
    assertThat(byNumber.getString("as")).isEqualTo("+8801700000001");
    assertThat(byNumber.getJsonArray("replies").getString(0)).startsWith("সাথী। নম্বর লিখুন:").contains("1. সমস্যা জানান");
    // A British phone's user id shows no number: the country, so the language, is the channel's (Bangladesh).
    JsonObject byUserId = whatsApp("+447700900123", "hi", true);
    assertThat(byUserId.getString("as")).isEqualTo("GB.447700900123");
    assertThat(byUserId.getJsonArray("replies").getString(0)).startsWith("সাথী। নম্বর লিখুন:");

    // A report from the user id; the officer answers it in the console, and the answer reaches the chat.
    var events = events();
    String reply = "";
    for (String m : List.of("1", "2", "1", "2", "14", "2", "4", "খুলনা", "একজন লোক তার কাগজ নিয়ে গেছে", "2")) {
      reply = whatsApp("+447700900123", m, true).getJsonArray("replies").getString(0);
    }
    String code = SimulatorScript.CODE.matcher(reply).results().findFirst().orElseThrow().group();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (backends.reports().get(code).await(5, TimeUnit.SECONDS).isEmpty() && System.nanoTime() < until) Thread.sleep(50);
    backends.console().accounts().add("rahim", org.sathi.console.Officer.Role.OFFICER, "mango-monsoon-ferry-17").await(20, TimeUnit.SECONDS);
    java.net.CookieManager cookies = new java.net.CookieManager();
    HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
    java.util.function.BiFunction<String, String, HttpRequest> officer = (path, json) -> HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", cookies.getCookieStore().getCookies().stream()
            .filter(c -> c.getName().equals("XSRF-TOKEN")).map(java.net.HttpCookie::getValue).findFirst().orElse(""))
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    assertThat(browser.send(officer.apply("/api/session", "{\"username\":\"rahim\",\"password\":\"mango-monsoon-ferry-17\"}"),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(browser.send(officer.apply("/api/reports/" + code + "/claim", "{}"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    HttpResponse<String> sent = browser.send(officer.apply("/api/reports/" + code + "/reply", new JsonObject().put("text", "Are you safe now?").encode()),
        HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    JsonObject answer = event(events, "whatsapp", "Are you safe now?");
    assertThat(answer).as("the officer's reply reached the WhatsApp chat").isNotNull();
    assertThat(answer.getString("to")).isEqualTo("GB.447700900123");
    assertThat(answer.getString("from")).isEqualTo(TwilioPlayer.DEFAULT_HOTLINE);
    assertThat(answer.getBoolean("template")).isFalse();

    // After WhatsApp's window Sathi sends the approved template: the chat shows what it is.
    HttpResponse<String> template = twilioMessage(basic(ACCOUNT, TOKEN), ACCOUNT,
        "From=whatsapp%3A%2B15005550006&To=whatsapp%3A%2B8801700000001&ContentSid=HX" + "d3".repeat(16));
    assertThat(template.statusCode()).as(template.body()).isEqualTo(201);
    JsonObject invitation = event(events, "whatsapp", "template");
    assertThat(invitation.getString("to")).isEqualTo("+8801700000001");
    assertThat(invitation.getString("body")).isEqualTo("[template: invitation to write back]");
    assertThat(invitation.getBoolean("template")).isTrue();
    for (String[] bad : new String[][] {{"From=%2B15005550006&To=whatsapp%3A%2B8801700000001&Body=x", "21910"},
        {"From=whatsapp%3A%2B15005550006&To=whatsapp%3Abd.1&Body=x", "21211"},
        {"From=whatsapp%3A%2B15005550006&To=whatsapp%3A%2B8801700000001&ContentSid=HXnot", "21655"},
        {"From=whatsapp%3A%2B15005550006&To=whatsapp%3A%2B8801700000001", "21602"}}) {
      HttpResponse<String> r = twilioMessage(basic(ACCOUNT, TOKEN), ACCOUNT, bad[0]);
      assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getInteger("code")).as(bad[0]).hasToString(bad[1]);
    }
  }

  @Test
  void theWhatsAppChatRefusesBadMessagesWithAReasonAndIsNotThereWithoutAWhatsAppChannel() throws Exception {
    demo(true, List.of(new org.sathi.channel.Channels.Twilio("sms", List.of(), 1), DEMO_WHATSAPP));
    for (String bad : List.of("{\"from\":\"12345\",\"body\":\"hi\"}", "{\"from\":\"+8801700000001\"}",
        "{\"from\":\"+8801700000001\",\"body\":\" \"}", "{\"from\":\"+8801700000001\",\"body\":\"hi\",\"userId\":\"yes\"}")) {
      HttpResponse<String> r = post("/simulator/api/whatsapp", bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).as(bad).contains("from", "body", "userId");
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    vertx = Vertx.vertx();

    demo(true, false);
    HttpResponse<String> none = post("/simulator/api/whatsapp", "{\"from\":\"+8801700000001\",\"body\":\"hi\"}");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(none.body()).getString("error")).contains("No WhatsApp channel is configured");
    assertThat(phones().getString("whatsapp")).as("the page hides its WhatsApp tab").isNull();
    assertThat(phones().getJsonArray("phones").getJsonObject(0).getString("userId")).isNull();
  }

  @Test
  void serveHasNoSimulatorUnlessItIsEnabled() throws Exception {
    demo(false);
    for (String path : List.of("/simulator/", "/simulator/api/phones", SimulatedTwilio.BASE_PATH + "/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json")) {
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(path)
          .isEqualTo(404);
    }
    assertThat(twilioMessage(basic(ACCOUNT, TOKEN), ACCOUNT).statusCode()).isEqualTo(404);
  }

  @Test
  void aTextedP1ReportPagesTheOnCallOfficersSimulatedPhone() throws Exception {
    TestHotline hotline = demo(true);
    JsonArray phones = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/simulator/api/phones")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).getJsonArray("phones");
    assertThat(phones.stream().map(p -> ((JsonObject) p).getString("kind")).distinct().toList()).containsExactly("reporter", "officer");
    var events = events();
    String reply = "";
    for (String m : List.of("hi", "1", "2", "1", "1", "12", "2", "Khulna", "They lock him in the kiln", "2")) {
      reply = call("/simulator/api/sms", new JsonObject().put("from", "+447700900123").put("body", m)).getJsonArray("replies").getString(0);
    }
    String code = SimulatorScript.CODE.matcher(reply).results().findFirst().orElseThrow().group();
    String onCall = TestHotline.roster().toPage(java.time.Instant.now(), 0).orElseThrow().phone();
    JsonObject sms = event(events, "sms", code);
    assertThat(sms).as("the page reached the simulated phone").isNotNull();
    assertThat(sms.getString("to")).isEqualTo(onCall);
    assertThat(sms.getString("from")).isEqualTo(TwilioPlayer.DEFAULT_HOTLINE);
    assertThat(sms.getString("body")).contains("P1 " + code).doesNotContain("kiln");
  }

  @Test
  void aCallRingsTheOfficerWhoMustPressOneAndAVoicemailIsPlayableInTheConsole() throws Exception {
    demo(true);
    JsonObject state = call("/simulator/api/calls", new JsonObject().put("from", "+447700900123"));
    String id = state.getString("call");
    assertThat(state.getJsonObject("waiting").getString("for")).isEqualTo("keys");
    assertThat(state.getJsonArray("heard").getJsonObject(0).getString("text")).isEqualTo("Sathi.");
    state = call("/simulator/api/calls/" + id + "/keys", new JsonObject().put("digits", "3"));
    assertThat(state.getJsonObject("waiting").getString("for")).isEqualTo("officer");
    // The officer answers, but does not press 1 (as a voicemail box would not): the caller is asked about a call-back, then offered Sathi's voicemail.
    JsonObject officer = call("/simulator/api/calls/" + id + "/officer", new JsonObject().put("answer", true));
    assertThat(officer.getJsonArray("heard").getJsonObject(0).getString("text")).contains("Press 1");
    call("/simulator/api/calls/" + id + "/officer-keys", new JsonObject().put("digits", "9"));
    state = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/simulator/api/calls/" + id)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(state.getJsonObject("waiting").getString("for")).isEqualTo("keys");
    assertThat(state.encode()).contains("If we may call you back on this number, press 1.");
    state = call("/simulator/api/calls/" + id + "/keys", new JsonObject().put("digits", "1"));
    assertThat(state.getJsonObject("waiting").getString("for")).isEqualTo("recording");
    state = call("/simulator/api/calls/" + id + "/recording", new JsonObject().put("sample", true).put("seconds", 2));
    assertThat(state.getString("status")).isEqualTo("ended");

    // The voicemail is in the hand-off's report, now P1; an officer plays it in the console, fetched from the simulated Twilio with the account's credentials.
    org.sathi.report.Report voicemail = null;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (voicemail == null && System.nanoTime() < until) {
      voicemail = backends.reports().open(10).await(5, TimeUnit.SECONDS).stream().filter(r -> r.answers() != null && r.answers().recording() != null)
          .findFirst().orElse(null);
      if (voicemail == null) Thread.sleep(50);
    }
    assertThat(voicemail).as("the voicemail is on the queue").isNotNull();
    backends.console().accounts().add("rahim", org.sathi.console.Officer.Role.OFFICER, "mango-monsoon-ferry-17").await(20, TimeUnit.SECONDS);
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
    assertThat(browser.send(HttpRequest.newBuilder(URI.create(base + "/api/session")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"rahim\",\"password\":\"mango-monsoon-ferry-17\"}")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> audio = browser.send(HttpRequest.newBuilder(URI.create(base + "/api/reports/" + voicemail.reference() + "/recording/details"))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(audio.statusCode()).isEqualTo(200);
    assertThat(audio.headers().firstValue("Content-Type")).hasValue("audio/wav");
    assertThat(audio.body()).isEqualTo(SimulatedTwilio.sampleClip());
  }
}
