package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sathi.duty.Escalation;
import org.sathi.duty.Pager;
import org.sathi.duty.Roster;
import org.sathi.redis.StoreUnavailable;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Priority;
import org.sathi.report.ReferenceCode;
import org.sathi.report.Report;
import org.sathi.report.ReportAnswers;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.sathi.testing.MutableClock;

/**
 * The console API on a real HTTP server with the real router: logins, the session and CSRF rules,
 * every endpoint, what a report shows (never a number), timeouts, and the audit log.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleApiTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String RAHIM_PASSWORD = "mango-monsoon-ferry-17";
  static final String KARIMA_PASSWORD = "jute-lantern-harbour-29";
  static final String SULTANA_PASSWORD = "river-delta-compass-88";
  static final String AMINA_PASSWORD = "kite-paddy-lighthouse-42";
  static final String CALLER_KEY = "ck-5f1e0c9a77d3";
  static final String NUMBER = "+8801712345678";
  static final org.sathi.privacy.Sealer SEALER = new org.sathi.privacy.Sealer("test-secret-0123456789");
  static final String SEALED = SEALER.seal(NUMBER, CALLER_KEY);
  static final Roster ROSTER = new Roster(
      Map.of("rahim", new Roster.Officer("rahim", "Rahim", "+8801700000101", "officer")),
      List.of(new Roster.Shift("all", ZoneId.of("Asia/Dhaka"), EnumSet.allOf(DayOfWeek.class), LocalTime.MIN, LocalTime.MAX, "rahim", "rahim", "rahim")));

  Vertx vertx;
  MutableClock clock;
  ReportStore reports;
  ConsoleEvents events;
  org.sathi.session.MemorySessionStore reporters;
  List<String[]> texts;
  volatile boolean twilioDown;
  Router router;
  MemoryOfficerAccounts accounts;
  MemoryConsoleSessions sessions;
  MemoryAudit audit;
  Escalation escalation;
  List<String> pages;
  int port;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) {
    this.vertx = vertx;
    clock = new MutableClock(T0);
    events = ConsoleEvents.memory();
    reports = new PublishingReportStore(new MemoryReportStore(), events);
    texts = new CopyOnWriteArrayList<>();
    try {
      reporters = new org.sathi.session.MemorySessionStore(org.sathi.testing.TestHotline.config().session().times(),
          org.sathi.testing.TestHotline.codec(), clock);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    accounts = new MemoryOfficerAccounts(new Passwords(Passwords.Cost.MINIMUM));
    sessions = new MemoryConsoleSessions(clock);
    audit = new MemoryAudit();
    pages = new CopyOnWriteArrayList<>();
    Pager pager = (officer, text) -> {
      pages.add(officer.id());
      return Future.succeededFuture();
    };
    escalation = new Escalation(reports, ROSTER, pager, clock, Escalation.Settings.defaults(), new SimpleMeterRegistry());
    Future.all(
            accounts.add("rahim", Officer.Role.OFFICER, RAHIM_PASSWORD),
            accounts.add("karima", Officer.Role.OFFICER, KARIMA_PASSWORD),
            accounts.add("sultana", Officer.Role.SUPERVISOR, SULTANA_PASSWORD),
            accounts.add("amina", Officer.Role.ANALYST, AMINA_PASSWORD))
        .compose(v -> serve(new ConsoleApi(reports, escalation, accounts, sessions, audit, clock, false, desk())
            .withCasework(org.sathi.report.Outcomes.shipped(), statistics(), false)))
        .onComplete(test.succeeding(p -> {
          port = p;
          test.completeNow();
        }));
  }

  /** The API mounted as the server mounts it: a router with a plain-text catch-all failure handler after it. */
  Future<Integer> serve(ConsoleApi api) {
    router = Router.router(vertx);
    api.mount(router);
    router.get("/health/live").handler(ctx -> ctx.response().end("live"));
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(500).putHeader("Content-Type", "text/plain").end("internal error\n"));
    return vertx.createHttpServer().requestHandler(router).listen(0).map(HttpServer::actualPort);
  }

  /** Statistics over the shipped crosswalk and outcomes, in English and Bengali, SMS and voice. */
  static org.sathi.statistics.Statistics statistics() {
    try {
      return new org.sathi.statistics.Statistics(org.sathi.testing.TestHotline.crosswalk(), java.util.function.UnaryOperator.identity(),
          org.sathi.statistics.Statistics.transports(java.util.Map.of()), List.of("en", "bn"), org.sathi.report.Outcomes.shipped());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The report actions' parts: a sender that records what Twilio would get, the shipped flows' labels, sample referrals. */
  ConsoleApi.Desk desk() {
    org.sathi.channel.SmsSender sender = (to, body) -> {
      if (twilioDown) return Future.failedFuture(new org.sathi.channel.twilio.TwilioOutbound.SendException("Twilio answered HTTP 503", 503, 0, 3));
      texts.add(new String[] {to, body});
      return Future.succeededFuture("SM" + texts.size());
    };
    try {
      var config = org.sathi.testing.TestHotline.config();
      var bundle = org.sathi.testing.TestHotline.shippedFlows(config);
      JsonArray languages = new JsonArray();
      bundle.languages().enabled().forEach(l -> languages.add(new JsonObject().put("code", l.code()).put("name", l.name())));
      return new ConsoleApi.Desk(events, new ReporterLine(reporters, SEALER, sender, clock, Duration.ofMinutes(60), 2),
          Referrals.load(java.nio.file.Path.of("config/referrals.yaml")).referrals(), new AnswerLabels(bundle),
          new Recordings("AC" + "0".repeat(32), "token", "http://127.0.0.1:9"), SEALER, languages, Duration.ofMillis(200), true);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // ---- fixtures

  static Report report(String ref, Priority priority, Instant createdAt) {
    return new Report(ref, "report", "sms", "bn", createdAt, CALLER_KEY,
        new ReportAnswers("child", "forced_labour", "yes", 14, "girl", "Khulna, near the jute mill",
            "They took his passport. Call me on +880 1712-345678 or ০১৭১২৩৪৫৬৭৮, or 01712,345,678 or 017/1234/5678.", null, "yes", null, null),
        Map.of("crosswalkVersion", 1, "htcds", Map.of("typeOfExploitation", "forcedLabour")), List.of("danger_now", "child"),
        priority, Report.Status.NEW, null, null, 0, SEALED);
  }

  void file(String ref, Priority priority, Instant createdAt) throws Exception {
    file(ref, priority, createdAt, Optional.empty());
  }

  void file(String ref, Priority priority, Instant createdAt, Optional<Instant> firstPage) throws Exception {
    assertThat(reports.create(report(ref, priority, createdAt),
        List.of(new TimelineEntry(createdAt, "received", "sathi", "Received by SMS from +8801712345678."),
            new TimelineEntry(createdAt, "triaged", "sathi", "danger_now: someone is in danger now")),
        "khulna", firstPage).await(5, TimeUnit.SECONDS)).isTrue();
  }

  Report stored(String ref) throws Exception {
    return reports.get(ref).await(5, TimeUnit.SECONDS).orElseThrow();
  }

  List<AuditEntry> auditLog() throws Exception {
    List<AuditEntry> newestFirst = new ArrayList<>(audit.latest(1000).await(5, TimeUnit.SECONDS));
    java.util.Collections.reverse(newestFirst);
    return newestFirst;
  }

  static JsonObject json(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return new JsonObject(response.body());
  }

  /** A browser: keeps cookies, and sends the XSRF-TOKEN cookie back as X-XSRF-TOKEN like the console's JavaScript. */
  final class Browser {
    final CookieManager cookies = new CookieManager();
    final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> login(String username, String password) throws Exception {
      return send("POST", "/api/session", new JsonObject().put("username", username).put("password", password).encode(), null);
    }

    Browser loggedIn(String username, String password) throws Exception {
      HttpResponse<String> r = login(username, password);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return this;
    }

    HttpResponse<String> get(String path) throws Exception {
      return send("GET", path, null, null);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
      return send("POST", path, body, cookie("XSRF-TOKEN"));
    }

    HttpResponse<String> delete(String path) throws Exception {
      return send("DELETE", path, null, cookie("XSRF-TOKEN"));
    }

    HttpResponse<String> send(String method, String path, String body, String csrf) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
      if (body != null) b.header("Content-Type", "application/json");
      if (csrf != null) b.header("X-XSRF-TOKEN", csrf);
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path) {
      return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
          .header("X-XSRF-TOKEN", cookie("XSRF-TOKEN")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    String cookie(String name) {
      return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst().orElse(null);
    }
  }

  /** Sends a request with exactly this session cookie (or none) and CSRF header (or none), with no cookie jar. */
  HttpResponse<String> raw(String method, String path, String body, String session, String csrf) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
    if (body != null) b.header("Content-Type", "application/json");
    if (session != null) b.header("Cookie", ConsoleApi.SESSION_COOKIE + "=" + session);
    if (csrf != null) b.header("X-XSRF-TOKEN", csrf);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String setCookie(HttpResponse<String> response, String name) {
    return response.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(name + "=")).findFirst().orElse(null);
  }

  /** Every endpoint but login: method, path, body. */
  static final List<String[]> ENDPOINTS = List.of(
      new String[] {"DELETE", "/api/session", null},
      new String[] {"GET", "/api/reports?status=open", null},
      new String[] {"GET", "/api/reports/ACDE-FGHJ", null},
      new String[] {"POST", "/api/reports/ACDE-FGHJ/claim", null},
      new String[] {"POST", "/api/reports/ACDE-FGHJ/note", "{\"text\":\"Called the shelter.\"}"},
      new String[] {"POST", "/api/reports/ACDE-FGHJ/close", "{\"outcome\":\"referred\"}"},
      new String[] {"POST", "/api/reports/ACDE-FGHJ/acknowledge", null},
      new String[] {"POST", "/api/reports/ACDE-FGHJ/release", null},
      new String[] {"POST", "/api/reports/ACDE-FGHJ/reply", "{\"text\":\"We are here to help.\"}"},
      new String[] {"POST", "/api/reports/ACDE-FGHJ/refer", "{\"service\":\"legal-aid\"}"},
      new String[] {"POST", "/api/reports/ACDE-FGHJ/reveal", null},
      new String[] {"GET", "/api/session", null},
      new String[] {"GET", "/api/events", null},
      new String[] {"GET", "/api/referrals", null},
      new String[] {"GET", "/api/reports/ACDE-FGHJ/replies", null},
      new String[] {"GET", "/api/reports/ACDE-FGHJ/recording/details", null},
      new String[] {"GET", "/api/reports/ACDE-FGHJ/export", null},
      new String[] {"GET", "/api/audit", null},
      new String[] {"POST", "/api/anything", "{}"});

  // ---- logging in

  @Test
  void aLoginSetsAnHttpOnlyStrictSessionCookieAndAReadableCsrfCookie() throws Exception {
    Browser b = new Browser();
    HttpResponse<String> r = b.login("rahim", RAHIM_PASSWORD);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r)).isEqualTo(new JsonObject().put("username", "rahim").put("role", "officer"));
    String session = setCookie(r, "sathi_session");
    String csrf = setCookie(r, "XSRF-TOKEN");
    assertThat(session).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/").doesNotContain("Secure");
    assertThat(csrf).doesNotContainIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
    assertThat(b.cookie("sathi_session")).hasSize(43);
    assertThat(b.cookie("XSRF-TOKEN")).hasSize(43).isNotEqualTo(b.cookie("sathi_session"));
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(b.get("/api/reports?status=open").statusCode()).isEqualTo(200);
  }

  @Test
  void cookiesAreSecureWhenThePublicUrlIsHttps() throws Exception {
    port = serve(new ConsoleApi(reports, escalation, accounts, sessions, audit, clock, true)).await(10, TimeUnit.SECONDS);
    HttpResponse<String> r = new Browser().login("rahim", RAHIM_PASSWORD);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(setCookie(r, "sathi_session")).contains("Secure").containsIgnoringCase("HttpOnly");
    assertThat(setCookie(r, "XSRF-TOKEN")).contains("Secure");
  }

  @Test
  void aWrongPasswordAndAnUnknownNameGetTheSameGeneric401() throws Exception {
    HttpResponse<String> wrong = new Browser().login("rahim", "not-my-password-at-all");
    HttpResponse<String> unknown = new Browser().login("nobody", RAHIM_PASSWORD);
    HttpResponse<String> notAName = new Browser().login("<script>", RAHIM_PASSWORD);
    for (HttpResponse<String> r : List.of(wrong, unknown, notAName)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(json(r)).isEqualTo(new JsonObject().put("error", "Wrong username or password."));
      assertThat(setCookie(r, "sathi_session")).isNull();
    }
    assertThat(new Browser().login("RAHIM ", RAHIM_PASSWORD).statusCode()).as("names are not case-sensitive").isEqualTo(200);
  }

  @Test
  void aLoginThatIsNotAJsonObjectIs400() throws Exception {
    Browser b = new Browser();
    assertThat(b.send("POST", "/api/session", "{not json", null).statusCode()).isEqualTo(400);
    assertThat(b.send("POST", "/api/session", "[\"rahim\"]", null).statusCode()).isEqualTo(400);
    assertThat(b.send("POST", "/api/session", "{\"username\":\"rahim\"}", null).statusCode()).isEqualTo(400);
    assertThat(b.send("POST", "/api/session", "{\"username\":\"rahim\",\"password\":42}", null).statusCode()).isEqualTo(400);
    HttpResponse<String> form = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/session"))
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"rahim\",\"password\":\"" + RAHIM_PASSWORD + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).as("a cross-site form cannot send application/json").isEqualTo(400);
    assertThat(json(form).getString("error")).isNotBlank();
  }

  @Test
  void fiveFailedLoginsIn15MinutesLockTheAccountWith429() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(new Browser().login("rahim", "wrong-password-" + i).statusCode()).isEqualTo(401);
      clock.advance(Duration.ofMinutes(1));
    }
    HttpResponse<String> locked = new Browser().login("rahim", RAHIM_PASSWORD);
    assertThat(locked.statusCode()).as("even the right password").isEqualTo(429);
    assertThat(json(locked).getString("error")).isNotBlank();
    assertThat(setCookie(locked, "sathi_session")).isNull();
    assertThat(new Browser().login("karima", KARIMA_PASSWORD).statusCode()).as("other accounts are not locked").isEqualTo(200);
    clock.advance(Duration.ofMinutes(11));
    assertThat(new Browser().login("rahim", RAHIM_PASSWORD).statusCode()).isEqualTo(200);
    assertThat(auditLog()).extracting(AuditEntry::officer, AuditEntry::action, AuditEntry::outcome)
        .containsSubsequence(
            org.assertj.core.groups.Tuple.tuple("rahim", "login", "failed"),
            org.assertj.core.groups.Tuple.tuple("rahim", "login", "throttled"),
            org.assertj.core.groups.Tuple.tuple("karima", "login", "ok"),
            org.assertj.core.groups.Tuple.tuple("rahim", "login", "ok"));
  }

  @Test
  void eachLoginMakesANewSessionAndEndsTheOneTheBrowserHad() throws Exception {
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    String first = b.cookie("sathi_session");
    b.loggedIn("rahim", RAHIM_PASSWORD);
    String second = b.cookie("sathi_session");
    assertThat(second).isNotEqualTo(first);
    assertThat(raw("GET", "/api/reports", null, first, null).statusCode()).isEqualTo(401);
    assertThat(raw("GET", "/api/reports", null, second, null).statusCode()).isEqualTo(200);
  }

  // ---- deny by default

  @Test
  void everyEndpointWithoutASessionIs401AndChangesNothing() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0, Optional.of(T0));
    Browser real = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    String csrf = real.cookie("XSRF-TOKEN");
    for (String[] e : ENDPOINTS) {
      for (String session : new String[] {null, "", "forged", ConsoleSessions.newToken()}) {
        HttpResponse<String> r = raw(e[0], e[1], e[2], session, csrf);
        assertThat(r.statusCode()).as(e[0] + " " + e[1] + " with session " + session).isEqualTo(401);
        assertThat(json(r).getString("error")).isNotBlank();
      }
    }
    Report after = stored("ACDE-FGHJ");
    assertThat(after.status()).isEqualTo(Report.Status.NEW);
    assertThat(after.acknowledgedBy()).isNull();
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).hasSize(2);
    assertThat(real.get("/api/reports").statusCode()).as("the real session was not logged out").isEqualTo(200);
  }

  @Test
  void everyStateChangeWithoutTheSessionsCsrfTokenIs403AndChangesNothing() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0, Optional.of(T0));
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    String stale = b.cookie("XSRF-TOKEN");
    b.loggedIn("rahim", RAHIM_PASSWORD); // a new session, with a new token
    String current = b.cookie("XSRF-TOKEN");
    assertThat(current).isNotEqualTo(stale);
    int changes = 0;
    for (String[] e : ENDPOINTS) {
      if (e[0].equals("GET")) continue;
      changes++;
      for (String token : new String[] {null, "", "wrong", ConsoleSessions.newToken(), stale, b.cookie("sathi_session")}) {
        HttpResponse<String> r = b.send(e[0], e[1], e[2], token);
        assertThat(r.statusCode()).as(e[0] + " " + e[1] + " with token " + token).isEqualTo(403);
        assertThat(json(r).getString("error")).isNotBlank();
      }
    }
    assertThat(changes).isEqualTo(10);
    Report after = stored("ACDE-FGHJ");
    assertThat(after.status()).isEqualTo(Report.Status.NEW);
    assertThat(after.acknowledgedBy()).isNull();
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).hasSize(2);
    assertThat(b.get("/api/reports").statusCode()).as("DELETE without the token did not log out").isEqualTo(200);
    assertThat(auditLog()).filteredOn(a -> a.action().equals("csrf")).hasSize(10 * 6).allSatisfy(a -> {
      assertThat(a.officer()).isEqualTo("rahim");
      assertThat(a.outcome()).isEqualTo("denied");
    });
    assertThat(b.post("/api/reports/ACDE-FGHJ/claim", null).statusCode()).as("with the current token").isEqualTo(200);
  }

  @Test
  void readsNeedASessionButNoCsrfToken() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    Browser b = new Browser().loggedIn("karima", KARIMA_PASSWORD);
    assertThat(b.send("GET", "/api/reports?status=open", null, null).statusCode()).isEqualTo(200);
    assertThat(b.send("GET", "/api/reports/ACDE-FGHJ", null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> unknown = b.get("/api/nothing-here");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).getString("error")).isNotBlank();
  }

  // ---- the queue and a report

  @Test
  void theQueueListsOpenReportsMostUrgentFirst() throws Exception {
    file("P3OL-DEST", Priority.P3, T0);
    file("P2NE-WERR", Priority.P2, T0.plusSeconds(60));
    file("P1NE-WEST", Priority.P1, T0.plusSeconds(120));
    file("P1OL-DERR", Priority.P1, T0.plusSeconds(30));
    file("DONE-DONE", Priority.P1, T0);
    reports.changeStatus("DONE-DONE", EnumSet.of(Report.Status.NEW), Report.Status.CLOSED, "rahim",
        new TimelineEntry(T0, "closed", "rahim", "Closed: test")).await(5, TimeUnit.SECONDS);
    reports.changeStatus("P2NE-WERR", EnumSet.of(Report.Status.NEW), Report.Status.CLAIMED, "karima",
        new TimelineEntry(T0, "claimed", "karima", "Claimed")).await(5, TimeUnit.SECONDS);

    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    HttpResponse<String> r = b.get("/api/reports?status=open");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray list = json(r).getJsonArray("reports");
    assertThat(list.stream().map(o -> ((JsonObject) o).getString("reference")).toList())
        .containsExactly("P1OL-DERR", "P1NE-WEST", "P2NE-WERR", "P3OL-DEST");
    JsonObject claimed = list.getJsonObject(2);
    assertThat(claimed.fieldNames()).containsExactlyInAnyOrder("reference", "priority", "status", "createdAt", "channel", "language", "flags",
        "assignee", "acknowledgedBy", "kind", "outcome", "ackDeadline");
    assertThat(claimed.getString("priority")).isEqualTo("P2");
    assertThat(claimed.getString("status")).isEqualTo("CLAIMED");
    assertThat(claimed.getString("assignee")).isEqualTo("karima");
    assertThat(claimed.getString("createdAt")).isEqualTo(T0.plusSeconds(60).toString());
    assertThat(claimed.getString("channel")).isEqualTo("sms");
    assertThat(claimed.getString("language")).isEqualTo("bn");
    assertThat(claimed.getString("kind")).isEqualTo("report");
    assertThat(claimed.getJsonArray("flags")).containsExactly("danger_now", "child");
    assertThat(b.get("/api/reports").statusCode()).as("open is the default").isEqualTo(200);
    assertThat(b.get("/api/reports?status=bogus").statusCode()).isEqualTo(400);
  }

  // ---- the case list: closed reports found again, filters, search by code, paging; reopening

  /** Closes a claimed report as its officer does. */
  void close(Browser b, String ref) throws Exception {
    assertThat(b.post("/api/reports/" + ref + "/claim", null).statusCode()).isEqualTo(200);
    assertThat(b.post("/api/reports/" + ref + "/close", new JsonObject().put("outcome", "referred").put("note", "To the district office.").encode()).statusCode())
        .isEqualTo(200);
  }

  static List<String> refs(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).getJsonArray("reports").stream().map(o -> ((JsonObject) o).getString("reference")).toList();
  }

  @Test
  void aClosedReportIsFoundAgainByItsCodeAndInTheClosedListWithItsFilters() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    file("KMNP-QRTU", Priority.P2, T0.plusSeconds(60));
    file("VWXY-3467", Priority.P3, T0.plusSeconds(120));
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    close(b, "ACDE-FGHJ");
    close(b, "VWXY-3467");

    assertThat(refs(b.get("/api/reports?status=open"))).containsExactly("KMNP-QRTU");
    assertThat(refs(b.get("/api/reports?status=closed"))).as("newest first").containsExactly("VWXY-3467", "ACDE-FGHJ");
    assertThat(refs(b.get("/api/reports?status=all"))).containsExactly("VWXY-3467", "KMNP-QRTU", "ACDE-FGHJ");
    assertThat(refs(b.get("/api/reports?status=closed&priority=P1"))).containsExactly("ACDE-FGHJ");
    assertThat(refs(b.get("/api/reports?status=all&channel=sms&language=bn&category=forced_labour&assignee=rahim")))
        .containsExactly("VWXY-3467", "ACDE-FGHJ");
    assertThat(refs(b.get("/api/reports?status=all&language=th"))).isEmpty();
    assertThat(refs(b.get("/api/reports?status=all&from=2026-11-24"))).isEmpty();
    assertThat(refs(b.get("/api/reports?status=all&from=2026-11-23&to=2026-11-23"))).hasSize(3);
    assertThat(refs(b.get("/api/reports?q=acde-fghj"))).as("by its code, whatever its status, in any case").containsExactly("ACDE-FGHJ");
    assertThat(refs(b.get("/api/reports?q=ACDE-FGHK"))).isEmpty();
    assertThat(json(b.get("/api/reports?status=closed")).getValue("next")).as("the last page").isNull();
    assertThat(auditLog()).anySatisfy(e -> assertThat(e.action() + " " + e.reference()).isEqualTo("search ACDE-FGHJ"));
  }

  @Test
  void thePagesOwnRefreshesAreNotAuditedAsViewsAndTheAuditLogFilters() throws Exception {
    file("ACDE-FGHJ", Priority.P2, T0);
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    assertThat(rahim.get("/api/reports/ACDE-FGHJ").statusCode()).isEqualTo(200);
    int before = auditLog().size();
    for (int i = 0; i < 3; i++) {
      assertThat(rahim.send("GET", "/api/reports", null, null).statusCode()).isEqualTo(200);
    }
    assertThat(auditLog()).as("an officer's own list is audited").hasSize(before + 3);
    HttpRequest refresh = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reports/ACDE-FGHJ"))
        .header(ConsoleApi.BACKGROUND_HEADER, "1").build();
    assertThat(rahim.http.send(refresh, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    HttpRequest listRefresh = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reports"))
        .header(ConsoleApi.BACKGROUND_HEADER, "1").build();
    assertThat(rahim.http.send(listRefresh, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(auditLog()).as("the page's own refreshes of what was audited are not").hasSize(before + 3);
    assertThat(rahim.post("/api/reports/ACDE-FGHJ/claim", null).statusCode()).isEqualTo(200);

    Browser sultana = new Browser().loggedIn("sultana", SULTANA_PASSWORD);
    JsonArray claims = json(sultana.get("/api/audit?officer=rahim&action=claim")).getJsonArray("entries");
    assertThat(claims).hasSize(1);
    assertThat(claims.getJsonObject(0).getString("reference")).isEqualTo("ACDE-FGHJ");
    JsonArray aboutIt = json(sultana.get("/api/audit?reference=ACDE-FGHJ")).getJsonArray("entries");
    assertThat(aboutIt.stream().map(o -> ((JsonObject) o).getString("action")).toList()).containsExactly("claim", "view");
    assertThat(json(sultana.get("/api/audit?from=2030-01-01")).getJsonArray("entries")).isEmpty();
    assertThat(sultana.get("/api/audit?officer=a%20b").statusCode()).isEqualTo(400);
    assertThat(sultana.get("/api/audit?from=soon").statusCode()).isEqualTo(400);
  }

  @Test
  void aFilterThatIsNotOneGets400AndSaysWhatItTakes() throws Exception {
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    for (String query : List.of("status=done", "priority=P9", "q=hello", "from=yesterday", "from=2026-11-30&to=2026-11-01", "cursor=x",
        "country=880;drop", "channel=a%20b")) {
      HttpResponse<String> r = b.get("/api/reports?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(json(r).getString("error")).as(query).isNotBlank();
    }
  }

  @Test
  void theClosedListPagesWithACursorAndMissesNothing() throws Exception {
    List<String> filed = new ArrayList<>();
    String alphabet = org.sathi.report.ReferenceCode.ALPHABET;
    for (int i = 0; i < ConsoleApi.MAX_LISTED + 30; i++) {
      String ref = "" + alphabet.charAt(i / 25 % 25) + alphabet.charAt(i % 25) + "AA-AAAA";
      // Several in the same millisecond: the cursor must not skip or repeat them.
      Report r = report(ref, Priority.P3, T0.plusMillis(i / 3)).withStatus(Report.Status.CLOSED, "rahim");
      assertThat(reports.create(r, List.of(), null, Optional.empty()).await(5, TimeUnit.SECONDS)).isTrue();
      filed.add(ref);
    }
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    List<String> seen = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      HttpResponse<String> r = b.get("/api/reports?status=closed" + (next == null ? "" : "&cursor=" + next));
      seen.addAll(refs(r));
      next = json(r).getString("next");
      pages++;
    } while (next != null);
    assertThat(pages).isEqualTo(2);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(filed);
  }

  @Test
  void aSupervisorReopensAClosedReportWithAReasonOnTheTimeline() throws Exception {
    file("ACDE-FGHJ", Priority.P2, T0);
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    close(rahim, "ACDE-FGHJ");
    String reason = "{\"reason\": \"The reporter wrote again: the child was moved.\"}";
    assertThat(rahim.post("/api/reports/ACDE-FGHJ/reopen", reason).statusCode()).as("an officer may not").isEqualTo(403);

    Browser sultana = new Browser().loggedIn("sultana", SULTANA_PASSWORD);
    assertThat(sultana.post("/api/reports/ACDE-FGHJ/reopen", "{}").statusCode()).as("no reason").isEqualTo(400);
    HttpResponse<String> reopened = sultana.post("/api/reports/ACDE-FGHJ/reopen", reason);
    assertThat(reopened.statusCode()).as(reopened.body()).isEqualTo(200);
    assertThat(stored("ACDE-FGHJ").status()).isEqualTo(Report.Status.IN_PROGRESS);
    assertThat(stored("ACDE-FGHJ").assignee()).as("back with the officer who had it").isEqualTo("rahim");
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo("reopened");
      assertThat(e.actor()).isEqualTo("sultana");
      assertThat(e.text()).contains("the child was moved");
    });
    assertThat(refs(rahim.get("/api/reports?status=open"))).containsExactly("ACDE-FGHJ");
    assertThat(sultana.post("/api/reports/ACDE-FGHJ/reopen", reason).statusCode()).as("it is open now").isEqualTo(409);
    assertThat(sultana.post("/api/reports/ACDE-FGHK/reopen", reason).statusCode()).isEqualTo(404);
  }

  @Test
  void aReportShowsItsAnswersAndTimelineButNeverTheCallerOrAPhoneNumber() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    assertThat(stored("ACDE-FGHJ").callerKey()).isEqualTo(CALLER_KEY);
    assertThat(stored("ACDE-FGHJ").sealedContact()).isEqualTo(SEALED);
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    assertThat(b.post("/api/reports/ACDE-FGHJ/note", "{\"text\":\"Reporter's sister is on 01712-345678.\"}").statusCode()).isEqualTo(200);

    HttpResponse<String> r = b.get("/api/reports/acde-fghj");
    assertThat(r.statusCode()).isEqualTo(200);
    String body = r.body();
    assertThat(body).doesNotContain("callerKey").doesNotContain(CALLER_KEY).doesNotContain("sealedContact").doesNotContain(SEALED)
        .doesNotContain("+880").doesNotContain("1712").doesNotContain("345678").doesNotContain("১৭১২");
    JsonObject report = json(r);
    assertThat(report.getString("reference")).isEqualTo("ACDE-FGHJ");
    assertThat(report.getString("priority")).isEqualTo("P1");
    JsonObject answers = report.getJsonObject("answers");
    assertThat(answers.getString("what")).isEqualTo("forced_labour");
    assertThat(answers.getInteger("age")).isEqualTo(14);
    assertThat(answers.getString("place")).isEqualTo("Khulna, near the jute mill");
    assertThat(answers.getString("details"))
        .isEqualTo("They took his passport. Call me on [number hidden] or [number hidden], or [number hidden] or [number hidden].");
    assertThat(answers.getBoolean("hasRecording")).isFalse();
    assertThat(report.getJsonObject("standards").getJsonObject("htcds").getString("typeOfExploitation")).isEqualTo("forcedLabour");
    JsonArray timeline = report.getJsonArray("timeline");
    assertThat(timeline.stream().map(o -> ((JsonObject) o).getString("kind")).toList()).containsExactly("received", "triaged", "note");
    assertThat(timeline.getJsonObject(0).getString("text")).isEqualTo("Received by SMS from [number hidden].");
    assertThat(timeline.getJsonObject(2).getString("actor")).isEqualTo("rahim");
    assertThat(timeline.getJsonObject(2).getString("text")).isEqualTo("Reporter's sister is on [number hidden].");

    assertThat(b.get("/api/reports/QQQQ-QQQQ").statusCode()).isEqualTo(404);
    assertThat(b.get("/api/reports/not-a-reference").statusCode()).isEqualTo(404);
  }

  // ---- actions

  @Test
  void anOfficerClaimsANewReportAndNobodyElseCan() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0, Optional.of(T0));
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    Browser karima = new Browser().loggedIn("karima", KARIMA_PASSWORD);
    HttpResponse<String> claimed = rahim.post("/api/reports/ACDE-FGHJ/claim", null);
    assertThat(claimed.statusCode()).isEqualTo(200);
    assertThat(json(claimed).getJsonObject("report").getString("status")).isEqualTo("CLAIMED");
    assertThat(json(claimed).getJsonObject("report").getString("assignee")).isEqualTo("rahim");

    HttpResponse<String> taken = karima.post("/api/reports/ACDE-FGHJ/claim", null);
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(json(taken).getString("error")).contains("rahim");
    assertThat(rahim.post("/api/reports/ACDE-FGHJ/claim", null).statusCode()).as("claiming it again").isEqualTo(200);
    assertThat(stored("ACDE-FGHJ").assignee()).isEqualTo("rahim");
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).extracting(TimelineEntry::kind, TimelineEntry::actor)
        .contains(org.assertj.core.groups.Tuple.tuple("claimed", "rahim"));
    assertThat(escalation.runDue().await(5, TimeUnit.SECONDS)).as("a claimed report is not paged").isZero();
    assertThat(karima.post("/api/reports/QQQQ-QQQQ/claim", null).statusCode()).isEqualTo(404);
  }

  @Test
  void twoOfficersClaimingAtOnceMakeOneAssignee() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    Browser karima = new Browser().loggedIn("karima", KARIMA_PASSWORD);
    CompletableFuture<HttpResponse<String>> a = rahim.postAsync("/api/reports/ACDE-FGHJ/claim");
    CompletableFuture<HttpResponse<String>> b = karima.postAsync("/api/reports/ACDE-FGHJ/claim");
    List<Integer> statuses = List.of(a.get(20, TimeUnit.SECONDS).statusCode(), b.get(20, TimeUnit.SECONDS).statusCode());
    assertThat(statuses).containsExactlyInAnyOrder(200, 409);
    String winner = statuses.get(0) == 200 ? "rahim" : "karima";
    assertThat(stored("ACDE-FGHJ").assignee()).isEqualTo(winner);
  }

  @Test
  void aNoteGoesOnTheTimelineAndIsAtMost2000Characters() throws Exception {
    file("ACDE-FGHJ", Priority.P2, T0);
    Browser b = new Browser().loggedIn("karima", KARIMA_PASSWORD);
    clock.advance(Duration.ofMinutes(3));
    HttpResponse<String> noted = b.post("/api/reports/ACDE-FGHJ/note", "{\"text\":\"  Called the shelter; they have a bed.  \"}");
    assertThat(noted.statusCode()).isEqualTo(200);
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).last()
        .isEqualTo(new TimelineEntry(T0.plus(Duration.ofMinutes(3)), "note", "karima", "Called the shelter; they have a bed."));

    String limit = "এ".repeat(2000);
    assertThat(b.post("/api/reports/ACDE-FGHJ/note", new JsonObject().put("text", limit).encode()).statusCode()).isEqualTo(200);
    HttpResponse<String> tooLong = b.post("/api/reports/ACDE-FGHJ/note", new JsonObject().put("text", "x".repeat(2001)).encode());
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(json(tooLong).getString("error")).contains("2000");
    HttpResponse<String> huge = b.post("/api/reports/ACDE-FGHJ/note", new JsonObject().put("text", "x".repeat(20_000)).encode());
    assertThat(huge.statusCode()).as("over the 16 KiB body limit").isEqualTo(413);
    assertThat(json(huge).getString("error")).isNotBlank();
    assertThat(b.post("/api/reports/ACDE-FGHJ/note", "{\"text\":\"   \"}").statusCode()).isEqualTo(400);
    assertThat(b.post("/api/reports/ACDE-FGHJ/note", "{\"text\":7}").statusCode()).isEqualTo(400);
    assertThat(b.post("/api/reports/ACDE-FGHJ/note", null).statusCode()).isEqualTo(400);
    assertThat(b.post("/api/reports/QQQQ-QQQQ/note", "{\"text\":\"hello\"}").statusCode()).isEqualTo(404);
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).hasSize(4);
  }

  @Test
  void onlyTheAssigneeOrASupervisorClosesAReport() throws Exception {
    file("CLAI-MEDD", Priority.P1, T0);
    file("NEWW-NEWW", Priority.P2, T0);
    file("KARI-MAAA", Priority.P2, T0);
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    Browser karima = new Browser().loggedIn("karima", KARIMA_PASSWORD);
    Browser sultana = new Browser().loggedIn("sultana", SULTANA_PASSWORD);
    String outcome = "{\"outcome\":\"referred\",\"note\":\"To the anti-trafficking unit.\"}";
    assertThat(rahim.post("/api/reports/CLAI-MEDD/claim", null).statusCode()).isEqualTo(200);
    assertThat(karima.post("/api/reports/KARI-MAAA/claim", null).statusCode()).isEqualTo(200);

    assertThat(karima.post("/api/reports/CLAI-MEDD/close", outcome).statusCode()).as("an officer, someone else's report").isEqualTo(403);
    assertThat(karima.post("/api/reports/NEWW-NEWW/close", outcome).statusCode()).as("an officer, an unclaimed report").isEqualTo(403);
    assertThat(rahim.post("/api/reports/CLAI-MEDD/close", "{}").statusCode()).as("no outcome").isEqualTo(400);
    assertThat(stored("CLAI-MEDD").status()).isEqualTo(Report.Status.CLAIMED);
    assertThat(stored("NEWW-NEWW").status()).isEqualTo(Report.Status.NEW);

    HttpResponse<String> closed = rahim.post("/api/reports/CLAI-MEDD/close", outcome);
    assertThat(closed.statusCode()).isEqualTo(200);
    assertThat(json(closed).getJsonObject("report").getString("status")).isEqualTo("CLOSED");
    assertThat(reports.timeline("CLAI-MEDD").await(5, TimeUnit.SECONDS)).last()
        .satisfies(e -> {
          assertThat(e.kind()).isEqualTo("closed");
          assertThat(e.actor()).isEqualTo("rahim");
          assertThat(e.text()).contains("anti-trafficking unit");
        });
    assertThat(rahim.post("/api/reports/CLAI-MEDD/close", outcome).statusCode()).as("closed already").isEqualTo(409);

    assertThat(sultana.post("/api/reports/NEWW-NEWW/close", outcome).statusCode()).as("a supervisor, an unclaimed report").isEqualTo(200);
    assertThat(sultana.post("/api/reports/KARI-MAAA/close", outcome).statusCode()).as("a supervisor, someone else's report").isEqualTo(200);
    assertThat(stored("NEWW-NEWW").status()).isEqualTo(Report.Status.CLOSED);
    assertThat(stored("KARI-MAAA").status()).isEqualTo(Report.Status.CLOSED);
    assertThat(stored("KARI-MAAA").assignee()).isEqualTo("karima");
    assertThat(json(rahim.get("/api/reports?status=open")).getJsonArray("reports")).isEmpty();
    assertThat(sultana.post("/api/reports/QQQQ-QQQQ/close", outcome).statusCode()).isEqualTo(404);
  }

  @Test
  void aReportClosesOnlyWithAnOutcomeOfTheListAndAReopenClearsIt() throws Exception {
    file("ACDE-FGHJ", Priority.P2, T0);
    Browser sultana = new Browser().loggedIn("sultana", SULTANA_PASSWORD);
    HttpResponse<String> unknown = sultana.post("/api/reports/ACDE-FGHJ/close", "{\"outcome\":\"sorted out\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).getString("error")).contains("'sorted out' is not an outcome", "resolved", "config/outcomes.yaml");
    assertThat(sultana.post("/api/reports/ACDE-FGHJ/close", "{\"outcome\":\"resolved\",\"note\":7}").statusCode()).as("a note not text")
        .isEqualTo(400);
    assertThat(stored("ACDE-FGHJ").status()).as("nothing changed").isEqualTo(Report.Status.NEW);
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).hasSize(2);

    JsonArray listed = json(sultana.get("/api/outcomes")).getJsonArray("outcomes");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("id")).toList()).contains("referred", "resolved", "advice_given", "duplicate",
        "not_a_report", "unreachable", "no_action_possible");
    assertThat(json(sultana.get("/api/outcomes?lang=bn")).getJsonArray("outcomes").getJsonObject(1).getString("label")).isEqualTo("সমাধান হয়েছে");

    HttpResponse<String> closed = sultana.post("/api/reports/ACDE-FGHJ/close", "{\"outcome\":\"advice_given\",\"note\":\"Told the mother where legal aid is.\"}");
    assertThat(closed.statusCode()).isEqualTo(200);
    assertThat(json(closed).getJsonObject("report").getString("outcome")).isEqualTo("advice_given");
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).last().extracting(TimelineEntry::text)
        .isEqualTo("Closed: Advice given. Told the mother where legal aid is.");
    assertThat(sultana.post("/api/reports/ACDE-FGHJ/reopen", "{\"reason\":\"The mother wrote again.\"}").statusCode()).isEqualTo(200);
    assertThat(stored("ACDE-FGHJ").outcome()).isNull();
  }

  /** Files a report received in October 2026 by a child of this sex and age, about this form of exploitation. */
  void fileOctober(String ref, String gender, Integer age, String what) throws Exception {
    Report r = report(ref, Priority.P3, Instant.parse("2026-10-15T09:00:00Z"));
    ReportAnswers a = r.answers();
    Report child = new Report(ref, "report", "sms", "bn", r.createdAt(), CALLER_KEY, new ReportAnswers(a.who(), what, "no", age, gender,
        null, null, null, "no", null, null), Map.of(), List.of(), Priority.P3, Report.Status.NEW, null, null, 0, null);
    assertThat(reports.create(child, List.of(), "", Optional.empty()).await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void statisticsShowNoSmallCountAndOnlyASupervisorSeesTheExactOnesAndEachViewIsAudited() throws Exception {
    // October: 23 girls of 13 (forced labour), 4 boys of 10 (begging), 2 of unknown sex and age.
    int n = 0;
    for (int i = 0; i < 23; i++) fileOctober(code(n++), "girl", 13, "forced_labour");
    for (int i = 0; i < 4; i++) fileOctober(code(n++), "boy", 10, "forced_begging");
    for (int i = 0; i < 2; i++) fileOctober(code(n++), null, null, null);
    Browser amina = new Browser().loggedIn("amina", AMINA_PASSWORD);
    HttpResponse<String> r = amina.get("/api/statistics?period=2026-10&rows=sex&cols=ageBand");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject t = json(r);
    assertThat(t.getString("period")).isEqualTo("2026-10");
    assertThat(t.getBoolean("provisional")).isFalse();
    assertThat(t.getJsonArray("rowKeys").getList()).containsExactly("female", "male", "unknown");
    assertThat(t.getJsonArray("colKeys").getList()).containsExactly("0-3", "4-6", "7-9", "10-12", "13-15", "16-17", "18+", "unknown");
    assertThat(t.getJsonObject("total").getInteger("count")).as("29 rounded up").isEqualTo(30);
    JsonArray female = t.getJsonArray("cells").getJsonArray(0);
    assertThat(female.getJsonObject(4).getInteger("count")).as("23 girls of 13 to 15, rounded up").isEqualTo(25);
    assertThat(t.getJsonArray("cells").getJsonArray(1).getJsonObject(3).getBoolean("suppressed")).as("4 boys").isTrue();
    assertThat(t.getJsonObject("completeness").getDouble("sex")).isEqualTo(0.93);
    assertThat(r.body()).doesNotContain("\"count\":4", "\"count\":23", "\"count\":2,");

    HttpResponse<String> exact = new Browser().loggedIn("sultana", SULTANA_PASSWORD).get("/api/statistics?period=2026-10&rows=sex&cols=ageBand&exact=true");
    assertThat(exact.statusCode()).isEqualTo(200);
    assertThat(json(exact).getJsonObject("total").getInteger("count")).isEqualTo(29);
    assertThat(json(exact).getBoolean("exact")).isTrue();
    assertThat(amina.get("/api/statistics?period=2026-10&rows=sex&exact=true").statusCode()).as("an analyst, exact").isEqualTo(403);
    assertThat(auditLog()).extracting(AuditEntry::officer, AuditEntry::action, AuditEntry::outcome).contains(
        org.assertj.core.groups.Tuple.tuple("amina", "statistics", "ok"),
        org.assertj.core.groups.Tuple.tuple("sultana", "statistics-exact", "exact"),
        org.assertj.core.groups.Tuple.tuple("amina", "statistics-exact", "denied"));

    HttpResponse<String> csv = amina.get("/api/statistics/export?format=unodc&period=2026-Q4&rows=x");
    assertThat(csv.statusCode()).as("Q4 has not ended at T0").isEqualTo(400);
    csv = amina.get("/api/statistics/export?format=unodc&period=2026-10");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(csv.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains("sathi-unodc-2026-10.csv"));
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo(org.sathi.statistics.Exports.HEADER);
    assertThat(lines).contains("unodc,2026-10,form_by_sex_and_age,unodcForm,Forced labour,unodcSexAge,girls,25",
        "unodc,2026-10,form_by_sex_and_age,unodcForm,Begging,unodcSexAge,boys,<11");
    for (String line : lines.subList(1, lines.size())) {
      String value = line.substring(line.lastIndexOf(',') + 1);
      assertThat(value.equals("<11") || (Long.parseLong(value) % 5 == 0 && (Long.parseLong(value) == 0 || Long.parseLong(value) >= 15)))
          .as(line).isTrue();
    }
    assertThat(auditLog()).extracting(AuditEntry::officer, AuditEntry::action, AuditEntry::outcome)
        .contains(org.assertj.core.groups.Tuple.tuple("amina", "statistics-export", "unodc"));
  }

  static String code(int n) {
    return "ST" + ReferenceCode.ALPHABET.charAt(n / 25 % 25) + ReferenceCode.ALPHABET.charAt(n % 25) + "-FGHJ";
  }

  @Test
  void aBadStatisticsQueryGets400AndAnOpenPeriodIsRefused() throws Exception {
    Browser sultana = new Browser().loggedIn("sultana", SULTANA_PASSWORD);
    String[][] bad = {
        {"/api/statistics?period=2026-10&rows=religion", "'rows' is 'religion'; a dimension is one of sex, ageBand, exploitation, origin"},
        {"/api/statistics?period=2026-10", "'rows' is nothing"},
        {"/api/statistics?period=2026-10&rows=sex&cols=sex", "the same dimension"},
        {"/api/statistics?period=2026-10&rows=sex&cols=chiCategory", "'cols' is 'chiCategory'"},
        {"/api/statistics?period=2026-10&rows=sex&rows=outcome", "at most 2 dimensions"},
        {"/api/statistics?period=October&rows=sex", "a month YYYY-MM or a quarter YYYY-Qn"},
        {"/api/statistics?period=2026-13&rows=sex", "a month YYYY-MM or a quarter YYYY-Qn"},
        {"/api/statistics?period=2026-11&rows=sex", "2026-11 has not ended"},
        {"/api/statistics?period=2026-Q4&rows=sex", "2026-Q4 has not ended"},
        {"/api/statistics?period=2027-01&rows=sex", "2027-01 has not begun"},
        {"/api/statistics/export?format=xls&period=2026-10", "format=chi, unodc or htcds"},
    };
    for (String[] b : bad) {
      HttpResponse<String> r = sultana.get(b[0]);
      assertThat(r.statusCode()).as(b[0]).isEqualTo(400);
      assertThat(json(r).getString("error")).as(b[0]).contains(b[1]);
    }
  }

  @Test
  void withOpenPeriodsTheCurrentMonthIsShownMarkedProvisional() throws Exception {
    port = serve(new ConsoleApi(reports, escalation, accounts, sessions, audit, clock, false).withCasework(org.sathi.report.Outcomes.shipped(),
        statistics(), true)).await(10, TimeUnit.SECONDS);
    file("ACDE-FGHJ", Priority.P2, T0);
    JsonObject t = json(new Browser().loggedIn("sultana", SULTANA_PASSWORD).get("/api/statistics?period=2026-11&rows=outcome"));
    assertThat(t.getBoolean("provisional")).isTrue();
    assertThat(t.getJsonArray("rowKeys").getList()).endsWith("open");
    assertThat(t.getJsonArray("colKeys").getList()).containsExactly("total");
    assertThat(t.getJsonObject("total").getBoolean("suppressed")).as("one report").isTrue();
  }

  @Test
  void acknowledgingInTheConsoleStopsThePaging() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0, Optional.of(T0));
    assertThat(escalation.runDue().await(5, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(pages).containsExactly("rahim");
    Browser karima = new Browser().loggedIn("karima", KARIMA_PASSWORD);
    HttpResponse<String> ack = karima.post("/api/reports/ACDE-FGHJ/acknowledge", null);
    assertThat(ack.statusCode()).isEqualTo(200);
    assertThat(json(ack).getJsonObject("report").getString("acknowledgedBy")).isEqualTo("karima");
    clock.advance(Duration.ofMinutes(10)); // past the 5-minute P1 deadline: the backup would be paged now
    assertThat(escalation.runDue().await(5, TimeUnit.SECONDS)).isZero();
    assertThat(pages).containsExactly("rahim");
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).extracting(TimelineEntry::kind).contains("acknowledged");
    assertThat(karima.post("/api/reports/QQQQ-QQQQ/acknowledge", null).statusCode()).isEqualTo(404);
  }

  // ---- sessions end

  @Test
  void aSessionEndsAfter30IdleMinutes() throws Exception {
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    clock.advance(Duration.ofMinutes(29));
    assertThat(b.get("/api/reports").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(29));
    assertThat(b.get("/api/reports").statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(30));
    HttpResponse<String> expired = b.get("/api/reports");
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(setCookie(expired, "sathi_session")).as("the browser is told to drop the cookie").contains("Max-Age=0");
  }

  @Test
  void aSessionEndsTwelveHoursAfterLoginEvenWhenBusy() throws Exception {
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    String session = b.cookie("sathi_session");
    for (int minutes = 20; minutes < 12 * 60; minutes += 20) {
      clock.advance(Duration.ofMinutes(20));
      assertThat(raw("GET", "/api/reports", null, session, null).statusCode()).as("after %d min", minutes).isEqualTo(200);
    }
    clock.advance(Duration.ofMinutes(20));
    assertThat(raw("GET", "/api/reports", null, session, null).statusCode()).isEqualTo(401);
  }

  @Test
  void logoutEndsTheSession() throws Exception {
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    String session = b.cookie("sathi_session");
    HttpResponse<String> out = b.delete("/api/session");
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(setCookie(out, "sathi_session")).contains("Max-Age=0");
    assertThat(b.get("/api/reports").statusCode()).isEqualTo(401);
    assertThat(raw("GET", "/api/reports", null, session, null).statusCode()).as("the old cookie, replayed").isEqualTo(401);
    assertThat(sessions.touch(session).await(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void disablingAnAccountEndsItsSessionsAtOnce() throws Exception {
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    assertThat(b.get("/api/reports").statusCode()).isEqualTo(200);
    assertThat(OfficerCommand.run(List.of("officer", "disable", "rahim"), new ConsoleStores(accounts, sessions, audit), clock,
        java.io.InputStream.nullInputStream(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))).isZero();
    assertThat(b.get("/api/reports").statusCode()).isEqualTo(401);
    assertThat(b.login("rahim", RAHIM_PASSWORD).statusCode()).isEqualTo(401);
  }

  @Test
  void resettingAPasswordEndsTheSessionsOpenWithTheOldOne() throws Exception {
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    java.util.concurrent.BlockingQueue<String> lines = stream(b);
    assertThat(next(lines, "status")).isEqualTo("status 200");
    String fresh = "new-monsoon-password-42";
    assertThat(OfficerCommand.run(List.of("officer", "reset", "rahim"), new ConsoleStores(accounts, sessions, audit), clock,
        new java.io.ByteArrayInputStream((fresh + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))).isZero();
    assertThat(b.get("/api/reports").statusCode()).isEqualTo(401);
    assertThat(next(lines, "event:")).as("the open live queue is told").isEqualTo("event: ended");
    assertThat(new Browser().login("rahim", RAHIM_PASSWORD).statusCode()).isEqualTo(401);
    assertThat(new Browser().login("rahim", fresh).statusCode()).isEqualTo(200);
  }

  // ---- audit and errors

  @Test
  void everyActionIsAuditedAndNoEntryHoldsAPasswordANoteOrANumber() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0, Optional.of(T0));
    String note = "Spoke to the reporter's aunt on +8801812345678.";
    assertThat(new Browser().login("rahim", "rahims-wrong-password").statusCode()).isEqualTo(401);
    assertThat(new Browser().login(RAHIM_PASSWORD, RAHIM_PASSWORD).statusCode()).as("the password typed as the name").isEqualTo(401);
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    b.get("/api/reports?status=open");
    b.get("/api/reports/ACDE-FGHJ");
    b.post("/api/reports/ACDE-FGHJ/acknowledge", null);
    b.post("/api/reports/ACDE-FGHJ/claim", null);
    b.post("/api/reports/ACDE-FGHJ/note", new JsonObject().put("text", note).encode());
    b.post("/api/reports/ACDE-FGHJ/close", "{\"outcome\":\"resolved\",\"note\":\"Safe with family.\"}");
    b.send("POST", "/api/reports/ACDE-FGHJ/note", "{\"text\":\"no token\"}", null);
    b.get("/api/reports/QQQQ-QQQQ");
    b.delete("/api/session");

    List<AuditEntry> log = auditLog();
    assertThat(log).extracting(AuditEntry::officer, AuditEntry::action, AuditEntry::reference, AuditEntry::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple("rahim", "login", null, "failed"),
        org.assertj.core.groups.Tuple.tuple("unknown", "login", null, "failed"),
        org.assertj.core.groups.Tuple.tuple("rahim", "login", null, "ok"),
        org.assertj.core.groups.Tuple.tuple("rahim", "list", null, "ok"),
        org.assertj.core.groups.Tuple.tuple("rahim", "view", "ACDE-FGHJ", "ok"),
        org.assertj.core.groups.Tuple.tuple("rahim", "acknowledge", "ACDE-FGHJ", "ok"),
        org.assertj.core.groups.Tuple.tuple("rahim", "claim", "ACDE-FGHJ", "ok"),
        org.assertj.core.groups.Tuple.tuple("rahim", "note", "ACDE-FGHJ", "ok"),
        org.assertj.core.groups.Tuple.tuple("rahim", "close", "ACDE-FGHJ", "ok"),
        org.assertj.core.groups.Tuple.tuple("rahim", "csrf", null, "denied"),
        org.assertj.core.groups.Tuple.tuple("rahim", "view", "QQQQ-QQQQ", "not found"),
        org.assertj.core.groups.Tuple.tuple("rahim", "logout", null, "ok"));
    assertThat(log).allSatisfy(e -> assertThat(e.at()).isEqualTo(T0));
    String everything = log.toString();
    assertThat(everything).doesNotContain(RAHIM_PASSWORD).doesNotContain("rahims-wrong-password").doesNotContain("aunt")
        .doesNotContain("Safe with family").doesNotContain("880").doesNotContain("passport");
  }

  @Test
  void aFailingStoreGivesAJsonErrorWithoutDetails() throws Exception {
    ReportStore broken = (ReportStore) java.lang.reflect.Proxy.newProxyInstance(ReportStore.class.getClassLoader(), new Class<?>[] {ReportStore.class},
        (proxy, method, args) -> Future.failedFuture(new IllegalStateException("boom while reading +8801712345678")));
    ReportStore down = (ReportStore) java.lang.reflect.Proxy.newProxyInstance(ReportStore.class.getClassLoader(), new Class<?>[] {ReportStore.class},
        (proxy, method, args) -> Future.failedFuture(new StoreUnavailable("Redis is not connected")));
    for (ReportStore store : List.of(broken, down)) {
      port = serve(new ConsoleApi(store, escalation, accounts, sessions, audit, clock, false)).await(10, TimeUnit.SECONDS);
      Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
      HttpResponse<String> r = b.get("/api/reports/ACDE-FGHJ");
      assertThat(r.statusCode()).isEqualTo(store == broken ? 500 : 503);
      assertThat(json(r).fieldNames()).containsExactly("error");
      assertThat(r.body()).doesNotContain("boom").doesNotContain("880").doesNotContain("Exception").doesNotContain("at org.");
    }
  }

  @Test
  void aViewThatCannotBeAuditedIsNotShown() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    Audit failing = new Audit() {
      @Override
      public Future<Void> append(AuditEntry entry) {
        return entry.action().equals("login") ? audit.append(entry) : Future.failedFuture(new StoreUnavailable("Redis is not connected"));
      }

      @Override
      public Future<List<AuditEntry>> latest(int limit) {
        return audit.latest(limit);
      }
    };
    port = serve(new ConsoleApi(reports, escalation, accounts, sessions, failing, clock, false)).await(10, TimeUnit.SECONDS);
    Browser b = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    HttpResponse<String> r = b.get("/api/reports/ACDE-FGHJ");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).doesNotContain("forced_labour").doesNotContain("Khulna");
  }

  // ---- replying to the reporter, referring, releasing

  /** The reporter's session as the SMS webhook leaves it after a report: a conversation, and their number sealed for the window. */
  void reporterJustTexted() throws Exception {
    String sid = org.sathi.testing.TestPhone.newMessageSid();
    long version = reporters.load(CALLER_KEY, sid).await(5, TimeUnit.SECONDS).version();
    assertThat(reporters.commit(new org.sathi.session.SessionStore.Commit(CALLER_KEY, sid, version, org.sathi.flow.Conversation.fresh("bn"),
        "reply", List.of(), SEALED, clock.instant().plusSeconds(5))).await(5, TimeUnit.SECONDS).status())
        .isEqualTo(org.sathi.session.SessionStore.Status.SAVED);
  }

  Report withoutConsent(String ref, Instant at) {
    Report r = report(ref, Priority.P2, at);
    ReportAnswers a = r.answers();
    return new Report(ref, "report", "sms", "bn", at, CALLER_KEY, new ReportAnswers(a.who(), a.what(), a.danger(), a.age(), a.gender(),
        a.place(), a.details(), null, "no", null, null), r.standards(), r.flags(), Priority.P2, Report.Status.NEW, null, null, 0, null);
  }

  @Test
  void theAssigneeTextsTheReporterWithinTheReplyWindowAndTheirAnswerComesBackToTheReport() throws Exception {
    assertThat(reports.create(withoutConsent("ACDE-FGHJ", T0), List.of(new TimelineEntry(T0, "received", "sathi", "Received by SMS.")), "k",
        Optional.empty()).await(5, TimeUnit.SECONDS)).isTrue();
    reporterJustTexted();
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    Browser karima = new Browser().loggedIn("karima", KARIMA_PASSWORD);
    String words = "We read your message. Are you safe now? Reply here.";

    HttpResponse<String> unclaimed = rahim.post("/api/reports/ACDE-FGHJ/reply", new JsonObject().put("text", words).encode());
    assertThat(unclaimed.statusCode()).isEqualTo(403);
    assertThat(json(unclaimed).getString("error")).contains("Claim this report first");
    assertThat(rahim.post("/api/reports/ACDE-FGHJ/claim", null).statusCode()).isEqualTo(200);
    JsonObject shown = json(rahim.get("/api/reports/ACDE-FGHJ")).getJsonObject("reply");
    assertThat(shown.getBoolean("allowed")).isTrue();
    assertThat(shown.getString("until")).isEqualTo(T0.plus(Duration.ofMinutes(60)).toString());

    clock.advance(Duration.ofMinutes(20));
    HttpResponse<String> sent = rahim.post("/api/reports/ACDE-FGHJ/reply", new JsonObject().put("text", words).encode());
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    assertThat(json(sent).getInteger("segments")).isEqualTo(1);
    assertThat(texts).hasSize(1);
    assertThat(texts.get(0)).containsExactly(NUMBER, words);
    assertThat(sent.body()).doesNotContain("1712");
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).extracting(TimelineEntry::kind, TimelineEntry::actor, TimelineEntry::text)
        .contains(org.assertj.core.groups.Tuple.tuple("reply", "rahim", words));
    assertThat(reporters.load(CALLER_KEY, "SMnext").await(5, TimeUnit.SECONDS).followUp())
        .as("the reporter's next text goes into this report").isEqualTo("ACDE-FGHJ");

    HttpResponse<String> notMine = karima.post("/api/reports/ACDE-FGHJ/reply", "{\"text\":\"Hello\"}");
    assertThat(notMine.statusCode()).isEqualTo(403);
    assertThat(json(notMine).getString("error")).contains("rahim");
    HttpResponse<String> tooLong = rahim.post("/api/reports/ACDE-FGHJ/reply", new JsonObject().put("text", "আপনি কি নিরাপদ? ".repeat(10)).encode());
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(json(tooLong).getString("error")).contains("2 SMS segments").contains("67 characters");

    twilioDown = true;
    HttpResponse<String> failed = rahim.post("/api/reports/ACDE-FGHJ/reply", "{\"text\":\"Still there?\"}");
    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(json(failed).getString("error")).contains("not sent").doesNotContain("880");
    // What may have reached the reporter is on record, and so is its failure.
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).extracting(TimelineEntry::kind, TimelineEntry::text)
        .containsSubsequence(org.assertj.core.groups.Tuple.tuple("reply", "Still there?"),
            org.assertj.core.groups.Tuple.tuple("reply-failed", "The SMS above was not sent: Twilio answered HTTP 503."));
    twilioDown = false;

    clock.advance(Duration.ofMinutes(25));
    assertThat(rahim.get("/api/reports/ACDE-FGHJ").statusCode()).isEqualTo(200); // the officer is at work: the session stays
    clock.advance(Duration.ofMinutes(16)); // 61 minutes after the reporter's last text
    HttpResponse<String> late = rahim.post("/api/reports/ACDE-FGHJ/reply", "{\"text\":\"Hello again\"}");
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(json(late).getString("error")).contains("reply window closed");
    assertThat(json(rahim.get("/api/reports/ACDE-FGHJ")).getJsonObject("reply").getBoolean("allowed")).isFalse();
    assertThat(texts).as("nothing more was sent").hasSize(1);

    // The reporter writes again: the window opens again from their words.
    assertThat(reports.note("ACDE-FGHJ", new TimelineEntry(clock.instant(), "reporter-added", "reporter", "yes safe")).await(5, TimeUnit.SECONDS)).isTrue();
    reporterJustTexted();
    assertThat(rahim.post("/api/reports/ACDE-FGHJ/reply", "{\"text\":\"Good. Stay safe.\"}").statusCode()).isEqualTo(200);
    assertThat(texts).hasSize(2);
    assertThat(auditLog()).extracting(AuditEntry::action, AuditEntry::outcome).contains(
        org.assertj.core.groups.Tuple.tuple("reply", "ok"), org.assertj.core.groups.Tuple.tuple("reply", "refused"),
        org.assertj.core.groups.Tuple.tuple("reply", "denied"), org.assertj.core.groups.Tuple.tuple("reply", "failed"));
  }

  @Test
  void aReporterWhoAgreedToBeContactedCanBeTextedWhileTheReportIsOpenButNotAfterTheQuickExitWithoutConsent() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0); // consented: the number is sealed with the report
    assertThat(reports.create(withoutConsent("BCDE-FGHJ", T0), List.of(), "k", Optional.empty()).await(5, TimeUnit.SECONDS)).isTrue();
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    rahim.post("/api/reports/ACDE-FGHJ/claim", null);
    rahim.post("/api/reports/BCDE-FGHJ/claim", null);
    // No consent and no number kept (never kept, or wiped by the quick exit): nothing to send to, even within the window.
    HttpResponse<String> none = rahim.post("/api/reports/BCDE-FGHJ/reply", "{\"text\":\"Hello\"}");
    assertThat(none.statusCode()).isEqualTo(409);
    assertThat(json(none).getString("error")).contains("no longer kept");
    clock.advance(Duration.ofHours(5));
    rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    assertThat(rahim.post("/api/reports/ACDE-FGHJ/reply", "{\"text\":\"This is the helpline. Can you talk?\"}").statusCode()).isEqualTo(200);
    assertThat(texts).extracting(t -> t[0]).containsExactly(NUMBER);
  }

  @Test
  void releasePutsAClaimedReportBackOnTheQueueForAnyone() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    Browser karima = new Browser().loggedIn("karima", KARIMA_PASSWORD);
    rahim.post("/api/reports/ACDE-FGHJ/claim", null);
    assertThat(karima.post("/api/reports/ACDE-FGHJ/release", null).statusCode()).isEqualTo(403);
    HttpResponse<String> released = rahim.post("/api/reports/ACDE-FGHJ/release", null);
    assertThat(released.statusCode()).isEqualTo(200);
    assertThat(json(released).getJsonObject("report").getString("status")).isEqualTo("NEW");
    assertThat(json(released).getJsonObject("report").getString("assignee")).isNull();
    assertThat(karima.post("/api/reports/ACDE-FGHJ/claim", null).statusCode()).isEqualTo(200);
    assertThat(stored("ACDE-FGHJ").assignee()).isEqualTo("karima");
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).extracting(TimelineEntry::kind).containsSubsequence("claimed", "released", "claimed");
  }

  @Test
  void aReferralNamesAServiceFromTheConfigAndKeepsTheCaseOpen() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    JsonArray services = json(rahim.get("/api/referrals")).getJsonArray("services");
    assertThat(services.stream().map(o -> ((JsonObject) o).getString("kind")).toList()).contains("shelter", "legal", "counselling", "police", "embassy");
    assertThat(services.stream().allMatch(o -> ((JsonObject) o).getBoolean("sample"))).as("the shipped entries are marked samples").isTrue();
    assertThat(rahim.post("/api/reports/ACDE-FGHJ/refer", "{\"service\":\"legal-aid\"}").statusCode()).as("not claimed yet").isEqualTo(403);
    rahim.post("/api/reports/ACDE-FGHJ/claim", null);
    HttpResponse<String> unknown = rahim.post("/api/reports/ACDE-FGHJ/refer", "{\"service\":\"no-such-service\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).getString("error")).contains("config/referrals.yaml");
    HttpResponse<String> referred = rahim.post("/api/reports/ACDE-FGHJ/refer", "{\"service\":\"shelter-dhaka\",\"note\":\"Bed for tonight.\"}");
    assertThat(referred.statusCode()).isEqualTo(200);
    assertThat(json(referred).getJsonObject("report").getString("status")).isEqualTo("IN_PROGRESS");
    assertThat(rahim.post("/api/reports/ACDE-FGHJ/refer", "{\"service\":\"legal-aid\"}").statusCode()).as("a second referral").isEqualTo(200);
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).filteredOn(e -> e.kind().equals("referred")).extracting(TimelineEntry::text)
        .containsExactly("Referred to Children's shelter, Dhaka (sample) (shelter, Dhaka): Bed for tonight.",
            "Referred to Legal aid for survivors (sample) (legal, National).");
    assertThat(rahim.post("/api/reports/ACDE-FGHJ/close", "{\"outcome\":\"referred\",\"note\":\"Safe in shelter; legal aid following.\"}").statusCode()).isEqualTo(200);
    assertThat(stored("ACDE-FGHJ").status()).isEqualTo(Report.Status.CLOSED);
  }

  @Test
  void onlyASupervisorSeesAConsentedCallBackNumberAndTheViewIsAudited() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    assertThat(reports.create(withoutConsent("BCDE-FGHJ", T0), List.of(), "k", Optional.empty()).await(5, TimeUnit.SECONDS)).isTrue();
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    HttpResponse<String> denied = rahim.post("/api/reports/ACDE-FGHJ/reveal", null);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).doesNotContain("1712");
    Browser sultana = new Browser().loggedIn("sultana", SULTANA_PASSWORD);
    HttpResponse<String> shown = sultana.post("/api/reports/ACDE-FGHJ/reveal", null);
    assertThat(shown.statusCode()).isEqualTo(200);
    assertThat(json(shown).getString("number")).isEqualTo(NUMBER);
    assertThat(sultana.post("/api/reports/BCDE-FGHJ/reveal", null).statusCode()).as("no consent, no number").isEqualTo(409);
    assertThat(auditLog()).extracting(AuditEntry::officer, AuditEntry::action, AuditEntry::reference, AuditEntry::outcome).contains(
        org.assertj.core.groups.Tuple.tuple("rahim", "reveal", "ACDE-FGHJ", "denied"),
        org.assertj.core.groups.Tuple.tuple("sultana", "reveal", "ACDE-FGHJ", "ok"),
        org.assertj.core.groups.Tuple.tuple("sultana", "reveal", "BCDE-FGHJ", "conflict"));
    assertThat(reports.timeline("ACDE-FGHJ").await(5, TimeUnit.SECONDS)).extracting(TimelineEntry::kind).contains("revealed");
    assertThat(auditLog().toString()).doesNotContain("1712");
  }

  @Test
  void supervisorsReadTheAuditLogAndExportReportsOfficersCannot() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    rahim.get("/api/reports/ACDE-FGHJ");
    assertThat(rahim.get("/api/audit").statusCode()).isEqualTo(403);
    assertThat(rahim.get("/api/reports/ACDE-FGHJ/export").statusCode()).isEqualTo(403);
    Browser sultana = new Browser().loggedIn("sultana", SULTANA_PASSWORD);
    HttpResponse<String> log = sultana.get("/api/audit?limit=50");
    assertThat(log.statusCode()).isEqualTo(200);
    JsonArray entries = json(log).getJsonArray("entries");
    assertThat(entries.getJsonObject(0).getString("officer")).as("newest first").isEqualTo("sultana");
    assertThat(entries.stream().map(o -> ((JsonObject) o).getString("action") + ":" + ((JsonObject) o).getString("officer")).toList())
        .contains("view:rahim", "audit:rahim", "export:rahim", "login:sultana");
    assertThat(sultana.get("/api/audit?limit=0").statusCode()).isEqualTo(400);
    HttpResponse<String> export = sultana.get("/api/reports/ACDE-FGHJ/export");
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"sathi-report-ACDE-FGHJ.json\"");
    assertThat(json(export).getString("exportedBy")).isEqualTo("sultana");
    assertThat(export.body()).doesNotContain("1712").doesNotContain(CALLER_KEY);
    assertThat(auditLog()).extracting(AuditEntry::officer, AuditEntry::action, AuditEntry::outcome)
        .contains(org.assertj.core.groups.Tuple.tuple("sultana", "export", "ok"), org.assertj.core.groups.Tuple.tuple("sultana", "audit", "ok"));
  }

  @Test
  void answersAreLabelledInTheLanguageTheOfficerReads() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    JsonObject english = json(rahim.get("/api/reports/ACDE-FGHJ?lang=en")).getJsonObject("labels");
    JsonObject bengali = json(rahim.get("/api/reports/ACDE-FGHJ?lang=bn")).getJsonObject("labels");
    assertThat(english.getString("what")).isNotBlank().isNotEqualTo("forced_labour");
    assertThat(bengali.getString("what")).isNotBlank().isNotEqualTo(english.getString("what"));
    assertThat(bengali.getString("what").codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.BENGALI)).isTrue();
    assertThat(json(rahim.get("/api/reports/ACDE-FGHJ?lang=xx")).getJsonObject("labels")).as("unknown: the default language").isEqualTo(english);
    JsonObject me = json(rahim.get("/api/session"));
    assertThat(me.getString("username")).isEqualTo("rahim");
    assertThat(me.getString("role")).isEqualTo("officer");
    assertThat(me.getJsonArray("languages").size()).isGreaterThanOrEqualTo(12);
  }

  @Test
  void theQueueShowsWhenEachPageMustBeAcknowledged() throws Exception {
    file("ACDE-FGHJ", Priority.P1, T0);
    file("BCDE-FGHJ", Priority.P2, T0);
    file("CDEF-GHJK", Priority.P3, T0);
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    JsonArray queue = json(rahim.get("/api/reports?status=open")).getJsonArray("reports");
    assertThat(queue.stream().map(o -> ((JsonObject) o).getString("reference") + "=" + ((JsonObject) o).getString("ackDeadline")).toList())
        .containsExactly("ACDE-FGHJ=" + T0.plus(Duration.ofMinutes(5)), "BCDE-FGHJ=" + T0.plus(Duration.ofMinutes(60)), "CDEF-GHJK=null");
    rahim.post("/api/reports/ACDE-FGHJ/acknowledge", null);
    assertThat(json(rahim.get("/api/reports?status=open")).getJsonArray("reports").getJsonObject(0).getString("ackDeadline")).isNull();
  }

  // ---- the live queue

  /** Opens /api/events as the browser does and collects its lines. */
  java.util.concurrent.BlockingQueue<String> stream(Browser b) {
    java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
    b.http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events")).build(), HttpResponse.BodyHandlers.ofLines())
        .thenAccept(r -> {
          lines.add("status " + r.statusCode());
          r.body().forEach(lines::add);
          lines.add("closed");
        });
    return lines;
  }

  static String next(java.util.concurrent.BlockingQueue<String> lines, String prefix) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix)) return line;
    }
    throw new AssertionError("no line starting with '" + prefix + "' within 10 s");
  }

  @Test
  void theLiveStreamTellsOfEveryChangeWithoutContentAndEndsWithTheSession() throws Exception {
    Browser rahim = new Browser().loggedIn("rahim", RAHIM_PASSWORD);
    java.util.concurrent.BlockingQueue<String> lines = stream(rahim);
    assertThat(next(lines, "status")).isEqualTo("status 200");
    next(lines, "retry:");
    file("ACDE-FGHJ", Priority.P1, T0);
    assertThat(next(lines, "event:")).isEqualTo("event: report");
    JsonObject created = new JsonObject(next(lines, "data:").substring(5).strip());
    assertThat(created).isEqualTo(new JsonObject().put("reference", "ACDE-FGHJ").put("change", "created").put("priority", "P1"));
    rahim.post("/api/reports/ACDE-FGHJ/claim", null);
    assertThat(new JsonObject(next(lines, "data:").substring(5).strip()).getString("change")).isEqualTo("status");
    rahim.post("/api/reports/ACDE-FGHJ/note", "{\"text\":\"Called the shelter on +8801712345678.\"}");
    String noted = next(lines, "data:");
    assertThat(noted).contains("\"change\":\"note\"").doesNotContain("shelter").doesNotContain("880");

    // Background requests and the stream itself do not keep an idle session alive.
    clock.advance(Duration.ofMinutes(20));
    assertThat(rahim.send("GET", "/api/reports?status=open", null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> background = rahim.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reports?status=open"))
        .header(ConsoleApi.BACKGROUND_HEADER, "1").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(background.statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(29)); // 29 minutes after the last request the officer made
    assertThat(rahim.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reports?status=open"))
        .header(ConsoleApi.BACKGROUND_HEADER, "1").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(2));
    assertThat(next(lines, "event:")).isEqualTo("event: ended");
    assertThat(next(lines, "closed")).isEqualTo("closed");
    assertThat(rahim.get("/api/reports?status=open").statusCode()).isEqualTo(401);
  }

  // ---- every role against every endpoint

  /**
   * Endpoint (with R for the report's reference) → status for the assignee officer, another officer, a supervisor, an analyst.
   * Each row runs on a fresh report claimed by rahim, whose reporter agreed to be contacted.
   */
  static final List<Object[]> MATRIX = List.of(
      new Object[] {"GET /api/session", null, 200, 200, 200, 200},
      new Object[] {"GET /api/events", null, 200, 200, 200, 403},
      new Object[] {"GET /api/reports?status=open", null, 200, 200, 200, 403},
      new Object[] {"GET /api/reports/R", null, 200, 200, 200, 403},
      new Object[] {"GET /api/referrals", null, 200, 200, 200, 403},
      new Object[] {"GET /api/reports/R/replies", null, 200, 200, 200, 403},
      new Object[] {"GET /api/reports/R/recording/details", null, 404, 404, 404, 403},
      new Object[] {"GET /api/reports/R/export", null, 403, 403, 200, 403},
      new Object[] {"GET /api/audit", null, 403, 403, 200, 403},
      new Object[] {"POST /api/reports/R/claim", "{}", 200, 409, 409, 403},
      new Object[] {"POST /api/reports/R/release", "{}", 200, 403, 200, 403},
      new Object[] {"POST /api/reports/R/note", "{\"text\":\"Spoke to the school.\"}", 200, 200, 200, 403},
      new Object[] {"POST /api/reports/R/reply", "{\"text\":\"We are here to help.\"}", 200, 403, 200, 403},
      new Object[] {"POST /api/reports/R/refer", "{\"service\":\"legal-aid\"}", 200, 403, 200, 403},
      new Object[] {"POST /api/reports/R/close", "{\"outcome\":\"resolved\",\"note\":\"Safe with family.\"}", 200, 403, 200, 403},
      new Object[] {"POST /api/reports/R/acknowledge", "{}", 200, 200, 200, 403},
      // Only a supervisor reopens, and only a report that left the queue (this one is claimed: 409).
      new Object[] {"POST /api/reports/R/reopen", "{\"reason\":\"Written again.\"}", 403, 403, 409, 403},
      new Object[] {"POST /api/reports/R/reveal", "{}", 403, 403, 200, 403},
      new Object[] {"POST /api/something-else", "{}", 404, 404, 404, 403},
      new Object[] {"GET /api/outcomes", null, 200, 200, 200, 200},
      // Statistics: supervisors and analysts; exact counts, supervisors only. October 2026 has ended at T0.
      new Object[] {"GET /api/statistics?period=2026-10&rows=sex&cols=ageBand", null, 403, 403, 200, 200},
      new Object[] {"GET /api/statistics?period=2026-10&rows=sex&exact=true", null, 403, 403, 200, 403},
      new Object[] {"GET /api/statistics/export?format=chi&period=2026-10", null, 403, 403, 200, 200},
      new Object[] {"DELETE /api/session", null, 204, 204, 204, 204});

  @Test
  void everyRoleAgainstEveryEndpointGetsExactlyWhatItMay() throws Exception {
    // Every route the API mounts is in the matrix: a new endpoint without a row fails here.
    java.util.Set<String> mounted = new java.util.TreeSet<>();
    for (io.vertx.ext.web.Route route : router.getRoutes()) {
      if (route.getPath() == null || !route.getPath().startsWith("/api/") || route.methods() == null || route.methods().isEmpty()) continue;
      route.methods().forEach(m -> mounted.add(m.name() + " " + route.getPath()));
    }
    java.util.Set<String> covered = new java.util.TreeSet<>();
    for (Object[] row : MATRIX) {
      covered.add(((String) row[0]).replace("/R/recording/details", "/:reference/recording/:part").replace("/R", "/:reference")
          .replaceAll("\\?.*", ""));
    }
    mounted.remove("POST /api/session"); // logging in: the one endpoint open to all, tested by the login tests above
    assertThat(covered).containsAll(mounted);

    String[] names = {"rahim", "karima", "sultana", "amina"};
    String[] passwords = {RAHIM_PASSWORD, KARIMA_PASSWORD, SULTANA_PASSWORD, AMINA_PASSWORD};
    Browser[] browsers = new Browser[4];
    for (int i = 0; i < 4; i++) browsers[i] = new Browser().loggedIn(names[i], passwords[i]);
    int n = 0;
    List<String> wrong = new ArrayList<>();
    for (Object[] row : MATRIX) {
      for (int i = 0; i < 4; i++) {
        String ref = "MA" + ReferenceCode.ALPHABET.charAt(n / 25 % 25) + ReferenceCode.ALPHABET.charAt(n % 25) + "-FGHJ";
        n++;
        file(ref, Priority.P1, T0);
        assertThat(reports.changeStatus(ref, EnumSet.of(Report.Status.NEW), Report.Status.CLAIMED, "rahim",
            new TimelineEntry(T0, "claimed", "rahim", "Claimed.")).await(5, TimeUnit.SECONDS)).isTrue();
        String[] call = ((String) row[0]).replace("/R", "/" + ref).split(" ", 2);
        int status;
        if (call[1].equals("/api/events")) {
          HttpResponse<java.io.InputStream> r = browsers[i].http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call[1])).build(),
              HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
          status = r.statusCode();
          r.body().close();
        } else {
          status = browsers[i].send(call[0], call[1], (String) row[1], call[0].equals("GET") ? null : browsers[i].cookie("XSRF-TOKEN")).statusCode();
        }
        if (status != (int) row[2 + i]) wrong.add(row[0] + " as " + names[i] + ": " + status + ", expected " + row[2 + i]);
        if (call[0].equals("DELETE")) browsers[i] = new Browser().loggedIn(names[i], passwords[i]);
      }
    }
    assertThat(wrong).isEmpty();
  }

  HttpResponse<String> loginFrom(String forwardedFor, String name, String password) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/session"))
        .header("Content-Type", "application/json").header("X-Forwarded-For", forwardedFor)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", name).put("password", password).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void behindATrustedProxyTheThrottleCountsTheAddressTheProxySaw() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(loginFrom("10.0.0.1, 203.0.113.7", "name" + i, "a-wrong-password-" + i).statusCode()).as("failure %d", i + 1).isEqualTo(401);
    }
    assertThat(loginFrom("10.0.0.1, 203.0.113.7", "rahim", RAHIM_PASSWORD).statusCode()).as("that address is throttled").isEqualTo(429);
    // What the client put before the proxy's own entry does not count: it could be anything.
    assertThat(loginFrom("203.0.113.7, 203.0.113.8", "rahim", RAHIM_PASSWORD).statusCode()).as("another office").isEqualTo(200);
  }
}
