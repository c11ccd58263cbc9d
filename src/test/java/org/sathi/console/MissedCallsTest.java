package org.sathi.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.channel.twilio.TwilioOutbound;
import org.sathi.duty.Escalation;
import org.sathi.duty.Roster;
import org.sathi.privacy.Sealer;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Priority;
import org.sathi.report.Report;
import org.sathi.report.ReportAnswers;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.sathi.testing.MutableClock;

/**
 * The missed hand-offs' list and call-back action through the real console API, with the Twilio
 * SDK's Call creator sending to WireMock: what Twilio was asked, who may ask it, and that the
 * caller's number never reaches the browser.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MissedCallsTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
  static final String HOTLINE = "+8809610000000";
  static final String CALLER = "+8801712345678";
  static final String CALLER_KEY = "ck-missed-01";
  static final Sealer SEALER = new Sealer("test-secret-0123456789");
  static final String PUBLIC_URL = "https://sathi.test";
  static final String CALLS = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json";
  static final Roster ROSTER = new Roster(
      Map.of("rahim", new Roster.Officer("rahim", "Rahim", "+8801700000101", "officer"),
          "sultana", new Roster.Officer("sultana", "Sultana", "+8801700000103", "supervisor")),
      List.of(new Roster.Shift("all", ZoneId.of("Asia/Dhaka"), EnumSet.allOf(DayOfWeek.class), LocalTime.MIN, LocalTime.MAX, "rahim", "rahim",
          "sultana")));

  Vertx vertx;
  WireMockServer twilio;
  TwilioOutbound outbound;
  MutableClock clock;
  ReportStore reports;
  MemoryAudit audit;
  int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    twilio = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    twilio.start();
    twilio.stubFor(post(urlPathEqualTo(CALLS)).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
        .withBody("{\"sid\":\"CA" + "b".repeat(32) + "\",\"status\":\"queued\",\"account_sid\":\"" + ACCOUNT + "\"}")));
    outbound = new TwilioOutbound(ACCOUNT, "token", twilio.baseUrl(), HOTLINE, vertx, Duration.ofSeconds(5), 1);
    clock = new MutableClock(T0);
    reports = new PublishingReportStore(new MemoryReportStore(), ConsoleEvents.memory());
    MemoryOfficerAccounts accounts = new MemoryOfficerAccounts(new Passwords(Passwords.Cost.MINIMUM));
    accounts.add("rahim", Officer.Role.OFFICER, "mango-monsoon-ferry-17").await(5, TimeUnit.SECONDS);
    accounts.add("karima", Officer.Role.OFFICER, "jute-lantern-harbour-29").await(5, TimeUnit.SECONDS);
    accounts.add("sultana", Officer.Role.SUPERVISOR, "river-delta-compass-88").await(5, TimeUnit.SECONDS);
    audit = new MemoryAudit();
    Escalation escalation = new Escalation(reports, ROSTER, (o, t) -> io.vertx.core.Future.succeededFuture(), clock, Escalation.Settings.defaults(),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    ConsoleApi api = new ConsoleApi(reports, escalation, accounts, new MemoryConsoleSessions(clock), audit, clock, false)
        .withMissedCalls(new MissedCalls(reports, ROSTER, outbound::placeCall, PUBLIC_URL, clock));
    Router router = Router.router(vertx);
    api.mount(router);
    port = vertx.createHttpServer().requestHandler(router).listen(0).await(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    outbound.close();
    twilio.stop();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A missed hand-off as the duty desk files it: contact yes (with the number sealed), no, or not answered (null). */
  void missed(String ref, String contact, Instant at) throws Exception {
    ReportAnswers answers = contact == null ? null : new ReportAnswers(null, null, null, null, null, null, null, null, contact, null, null);
    Report r = new Report(ref, "handoff", "voice", "bn", at, CALLER_KEY, answers, Map.of(), List.of("asked_for_person", "missed_handoff"),
        Priority.P2, Report.Status.NEW, null, null, 0, "yes".equals(contact) ? SEALER.seal(CALLER, CALLER_KEY) : null);
    assertThat(reports.create(r, List.of(new TimelineEntry(at, "received", "sathi", "Asked for a person by voice.")), "", Optional.empty())
        .await(5, TimeUnit.SECONDS)).isTrue();
  }

  void claim(String ref, String officer) throws Exception {
    assertThat(reports.changeStatus(ref, EnumSet.of(Report.Status.NEW), Report.Status.CLAIMED, officer,
        new TimelineEntry(T0, "claimed", officer, "Claimed.")).await(5, TimeUnit.SECONDS)).isTrue();
  }

  final class Browser {
    final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    Browser login(String name, String password) throws Exception {
      HttpResponse<String> r = send("POST", "/api/session", new JsonObject().put("username", name).put("password", password).encode());
      assertThat(r.statusCode()).isEqualTo(200);
      return this;
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
      if (body != null) b.header("Content-Type", "application/json");
      String csrf = ((CookieManager) http.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
          .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst().orElse(null);
      if (csrf != null && !method.equals("GET")) b.header("X-XSRF-TOKEN", csrf);
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  Browser rahim() throws Exception {
    return new Browser().login("rahim", "mango-monsoon-ferry-17");
  }

  Browser karima() throws Exception {
    return new Browser().login("karima", "jute-lantern-harbour-29");
  }

  Browser sultana() throws Exception {
    return new Browser().login("sultana", "river-delta-compass-88");
  }

  static Map<String, String> form(LoggedRequest r) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : r.getBodyAsString().split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  @Test
  void theListShowsOpenMissedHandoffsNewestFirstWithWhetherACallBackIsAllowed() throws Exception {
    missed("ACDE-FGHJ", "yes", T0);
    missed("CDEF-GHJK", "no", T0.plusSeconds(60));
    missed("DEFG-HJKM", null, T0.plusSeconds(120));
    reports.create(new Report("EFGH-JKMN", "handoff", "sms", "bn", T0, CALLER_KEY, null, Map.of(), List.of("asked_for_person"), Priority.P2,
        Report.Status.NEW, null, null, 0, null), List.of(), "", Optional.empty()).await(5, TimeUnit.SECONDS);
    HttpResponse<String> r = rahim().send("GET", "/api/handoffs/missed", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(CALLER).doesNotContain(CALLER.substring(4)).doesNotContain("sealed");
    JsonArray list = new JsonObject(r.body()).getJsonArray("missed");
    assertThat(list.stream().map(o -> ((JsonObject) o).getString("reference"))).containsExactly("DEFG-HJKM", "CDEF-GHJK", "ACDE-FGHJ");
    JsonObject yes = list.getJsonObject(2);
    assertThat(yes.getString("createdAt")).isEqualTo(T0.toString());
    assertThat(yes.getString("language")).isEqualTo("bn");
    assertThat(yes.getJsonObject("callBack").getBoolean("allowed")).isTrue();
    assertThat(list.getJsonObject(1).getJsonObject("callBack").getString("reason")).isEqualTo("The caller did not agree to be called back.");
    assertThat(list.getJsonObject(0).getJsonObject("callBack").getString("reason")).contains("hung up before saying");
    // A closed one is off the list.
    claim("ACDE-FGHJ", "rahim");
    reports.changeStatus("ACDE-FGHJ", EnumSet.of(Report.Status.CLAIMED), Report.Status.CLOSED, "rahim",
        new TimelineEntry(T0, "closed", "rahim", "Closed: called back.")).await(5, TimeUnit.SECONDS);
    assertThat(new JsonObject(rahim().send("GET", "/api/handoffs/missed", null).body()).getJsonArray("missed")).hasSize(2);
  }

  @Test
  void aCallBackAsksTwilioToRingTheOfficersPhoneAndRecordsItButNeverShowsTheNumber() throws Exception {
    missed("ACDE-FGHJ", "yes", T0);
    claim("ACDE-FGHJ", "rahim");
    HttpResponse<String> r = rahim().send("POST", "/api/reports/ACDE-FGHJ/callback", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getBoolean("placed")).isTrue();
    assertThat(r.body()).doesNotContain(CALLER).doesNotContain(CALLER.substring(4));
    List<LoggedRequest> calls = twilio.findAll(postRequestedFor(urlPathEqualTo(CALLS)));
    assertThat(calls).hasSize(1);
    Map<String, String> sent = form(calls.get(0));
    assertThat(sent.get("To")).as("the officer's own phone rings first").isEqualTo("+8801700000101");
    assertThat(sent.get("From")).isEqualTo(HOTLINE);
    assertThat(sent.get("Url")).startsWith(PUBLIC_URL + "/twilio/voice/callback?r=ACDE-FGHJ&o=rahim&e=");
    assertThat(Long.parseLong(sent.get("Url").replaceAll(".*&e=", ""))).isEqualTo(T0.plus(MissedCalls.TICKET).getEpochSecond());
    assertThat(sent.get("Method")).isEqualTo("POST");
    assertThat(calls.get(0).getBodyAsString()).as("the caller's number is unsealed only when the officer presses 1")
        .doesNotContain(CALLER.substring(1)).doesNotContain(CALLER.substring(4));
    assertThat(calls.get(0).getHeader("Authorization")).startsWith("Basic ");
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).extracting(TimelineEntry::kind).contains("called-back");
    assertThat(audit.latest(10).await(5, TimeUnit.SECONDS)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("callback");
      assertThat(e.reference()).isEqualTo("ACDE-FGHJ");
      assertThat(e.outcome()).isEqualTo("ok");
    });
  }

  @Test
  void withoutConsentIs409WithTheReasonAndTwilioIsNotAsked() throws Exception {
    missed("ACDE-FGHJ", "no", T0);
    missed("CDEF-GHJK", null, T0);
    Browser s = sultana();
    HttpResponse<String> no = s.send("POST", "/api/reports/ACDE-FGHJ/callback", null);
    assertThat(no.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(no.body()).getString("error")).isEqualTo("The caller did not agree to be called back.");
    assertThat(s.send("POST", "/api/reports/CDEF-GHJK/callback", null).statusCode()).isEqualTo(409);
    reports.create(new Report("DEFG-HJKM", "report", "voice", "bn", T0, CALLER_KEY, null, Map.of(), List.of(), Priority.P3,
        Report.Status.NEW, null, null, 0, null), List.of(), "", Optional.empty()).await(5, TimeUnit.SECONDS);
    HttpResponse<String> notMissed = s.send("POST", "/api/reports/DEFG-HJKM/callback", null);
    assertThat(notMissed.statusCode()).isEqualTo(409);
    assertThat(notMissed.body()).contains("not a missed hand-off");
    assertThat(s.send("POST", "/api/reports/HJKM-NPQR/callback", null).statusCode()).isEqualTo(404);
    assertThat(twilio.findAll(postRequestedFor(urlPathEqualTo(CALLS)))).isEmpty();
  }

  @Test
  void theOfficerWhoClaimedItOrASupervisorMayCallBackAsForOtherReportActions() throws Exception {
    missed("ACDE-FGHJ", "yes", T0);
    Browser rahim = rahim();
    HttpResponse<String> unclaimed = rahim.send("POST", "/api/reports/ACDE-FGHJ/callback", null);
    assertThat(unclaimed.statusCode()).isEqualTo(403);
    assertThat(unclaimed.body()).contains("Claim this report first");
    claim("ACDE-FGHJ", "rahim");
    HttpResponse<String> other = karima().send("POST", "/api/reports/ACDE-FGHJ/callback", null);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("(rahim)");
    assertThat(twilio.findAll(postRequestedFor(urlPathEqualTo(CALLS)))).isEmpty();
    HttpResponse<String> supervisor = sultana().send("POST", "/api/reports/ACDE-FGHJ/callback", null);
    assertThat(supervisor.statusCode()).isEqualTo(200);
    assertThat(form(twilio.findAll(postRequestedFor(urlPathEqualTo(CALLS))).get(0)).get("To")).as("the supervisor's own phone")
        .isEqualTo("+8801700000103");
    assertThat(rahim.send("POST", "/api/reports/ACDE-FGHJ/callback", null).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutASessionIs401AndWithoutTheCsrfToken403() throws Exception {
    missed("ACDE-FGHJ", "yes", T0);
    HttpClient plain = HttpClient.newHttpClient();
    assertThat(plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/handoffs/missed")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    assertThat(plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reports/ACDE-FGHJ/callback"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    Browser rahim = rahim();
    claim("ACDE-FGHJ", "rahim");
    HttpRequest noToken = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reports/ACDE-FGHJ/callback"))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    assertThat(rahim.http.send(noToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    assertThat(twilio.findAll(postRequestedFor(urlPathEqualTo(CALLS)))).isEmpty();
  }

  @Test
  void whenTwilioRefusesTheOfficerIsToldAndTheTimelineSaysSo() throws Exception {
    twilio.resetAll();
    twilio.stubFor(post(urlPathEqualTo(CALLS)).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":21210,\"message\":\"The source phone number provided is not yet verified.\",\"status\":400}")));
    missed("ACDE-FGHJ", "yes", T0);
    claim("ACDE-FGHJ", "rahim");
    HttpResponse<String> r = rahim().send("POST", "/api/reports/ACDE-FGHJ/callback", null);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(r.body()).getString("error")).contains("HTTP 400").contains("21210");
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).extracting(TimelineEntry::kind).contains("callback-failed")
        .doesNotContain("called-back");
  }

  @Test
  void anOfficerWithoutARosterPhoneIsToldWhy() throws Exception {
    missed("ACDE-FGHJ", "yes", T0);
    claim("ACDE-FGHJ", "karima");
    HttpResponse<String> r = karima().send("POST", "/api/reports/ACDE-FGHJ/callback", null);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).contains("no phone in config/roster.yaml");
  }
}
