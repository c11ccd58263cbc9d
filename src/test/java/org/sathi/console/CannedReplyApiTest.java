package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sathi.duty.Escalation;
import org.sathi.i18n.Language;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Priority;
import org.sathi.report.Report;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.sathi.testing.MutableClock;
import org.sathi.testing.TestHotline;

/**
 * Prepared replies through the console API, on a real HTTP server with the real router and the
 * shipped {@code config/replies.yaml}: the list for a report (meanings in the officer's language,
 * the text in the reporter's, its SMS cost), and sending one with {@code {"canned": ID}}, which
 * texts the server's words to the reporter and says on the timeline which reply went.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CannedReplyApiTest {
  static final String REF = "ACDE-FGHJ";
  static final String PASSWORD = ConsoleApiTest.RAHIM_PASSWORD;

  MutableClock clock;
  ReportStore reports;
  MemoryAudit audit;
  List<String[]> texts;
  CannedReplies replies;
  int port;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) throws Exception {
    clock = new MutableClock(ConsoleApiTest.T0);
    ConsoleEvents events = ConsoleEvents.memory();
    reports = new PublishingReportStore(new MemoryReportStore(), events);
    texts = new CopyOnWriteArrayList<>();
    audit = new MemoryAudit();
    var config = TestHotline.config();
    var bundle = TestHotline.shippedFlows(config);
    CannedReplies.Loaded loaded = CannedReplies.load(Path.of("config/replies.yaml"),
        bundle.languages().enabled().stream().map(Language::code).toList(), "en", 2);
    assertThat(loaded.problems()).isEmpty();
    replies = loaded.replies();
    org.sathi.channel.SmsSender sender = (to, body) -> {
      texts.add(new String[] {to, body});
      return Future.succeededFuture("SM" + texts.size());
    };
    var reporters = new org.sathi.session.MemorySessionStore(config.session().times(), TestHotline.codec(), clock);
    JsonArray languages = new JsonArray();
    bundle.languages().enabled().forEach(l -> languages.add(new JsonObject().put("code", l.code()).put("name", l.name())));
    ConsoleApi.Desk desk = new ConsoleApi.Desk(events, new ReporterLine(reporters, ConsoleApiTest.SEALER, sender, clock, Duration.ofMinutes(60), 2),
        Referrals.none(), new AnswerLabels(bundle), new Recordings("AC" + "0".repeat(32), "token", "http://127.0.0.1:9"), ConsoleApiTest.SEALER,
        languages, Duration.ofMillis(200), false, replies);
    MemoryOfficerAccounts accounts = new MemoryOfficerAccounts(new Passwords(Passwords.Cost.MINIMUM));
    MemoryConsoleSessions sessions = new MemoryConsoleSessions(clock);
    Escalation escalation = new Escalation(reports, ConsoleApiTest.ROSTER, (officer, text) -> Future.succeededFuture(), clock,
        Escalation.Settings.defaults(), new SimpleMeterRegistry());
    Router router = Router.router(vertx);
    new ConsoleApi(reports, escalation, accounts, sessions, audit, clock, false, desk).mount(router);
    Future.all(accounts.add("rahim", Officer.Role.OFFICER, PASSWORD), accounts.add("karima", Officer.Role.OFFICER, ConsoleApiTest.KARIMA_PASSWORD))
        .compose(v -> vertx.createHttpServer().requestHandler(router).listen(0).map(HttpServer::actualPort))
        .onComplete(test.succeeding(p -> {
          port = p;
          test.completeNow();
        }));
  }

  // ---- fixtures

  /** A report in this language whose reporter agreed to be contacted (their number sealed with it), claimed by rahim. */
  void claimedReport(String language) throws Exception {
    Report r = ConsoleApiTest.report(REF, Priority.P1, ConsoleApiTest.T0);
    Report in = new Report(r.reference(), r.kind(), r.channel(), language, r.createdAt(), r.callerKey(), r.answers(), r.standards(), r.flags(),
        r.priority(), Report.Status.CLAIMED, "rahim", null, 0, r.sealedContact());
    assertThat(reports.create(in, List.of(new TimelineEntry(ConsoleApiTest.T0, "received", "sathi", "Received by SMS.")), "k", Optional.empty())
        .await(5, TimeUnit.SECONDS)).isTrue();
  }

  List<TimelineEntry> timeline() throws Exception {
    return reports.timeline(REF).await(5, TimeUnit.SECONDS);
  }

  List<AuditEntry> auditLog() throws Exception {
    List<AuditEntry> log = new ArrayList<>(audit.latest(1000).await(5, TimeUnit.SECONDS));
    Collections.reverse(log);
    return log;
  }

  /** A browser with its cookie jar, sending the XSRF-TOKEN cookie back as the console's JavaScript does. */
  final class Browser {
    final CookieManager cookies = new CookieManager();
    final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

    Browser loggedIn(String name, String password) throws Exception {
      assertThat(send("POST", "/api/session", new JsonObject().put("username", name).put("password", password).encode()).statusCode()).isEqualTo(200);
      return this;
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
      if (body != null) b.header("Content-Type", "application/json");
      String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue)
          .findFirst().orElse(null);
      if (csrf != null && !method.equals("GET")) b.header("X-XSRF-TOKEN", csrf);
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonObject list(String query) throws Exception {
      HttpResponse<String> r = send("GET", "/api/reports/" + REF + "/replies" + query, null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return new JsonObject(r.body());
    }

    HttpResponse<String> reply(JsonObject body) throws Exception {
      return send("POST", "/api/reports/" + REF + "/reply", body.encode());
    }
  }

  static JsonObject item(JsonObject list, String id) {
    return list.getJsonArray("replies").stream().map(JsonObject.class::cast).filter(o -> id.equals(o.getString("id"))).findFirst().orElseThrow();
  }

  // ---- the tests

  @Test
  void withoutASessionTheListAndACannedReplyAre401AndNothingIsSent() throws Exception {
    claimedReport("bn");
    HttpClient anonymous = HttpClient.newHttpClient();
    HttpResponse<String> list = anonymous.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reports/" + REF + "/replies"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).isEqualTo(401);
    assertThat(list.body()).doesNotContain("ধন্যবাদ");
    HttpResponse<String> send = anonymous.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reports/" + REF + "/reply"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"canned\":\"keep-code\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(send.statusCode()).isEqualTo(401);
    assertThat(texts).isEmpty();
    assertThat(timeline()).hasSize(1);
  }

  @Test
  void theListGivesMeaningsInTheConsoleLanguageAndTextsInTheReportersWithTheirSmsCost() throws Exception {
    claimedReport("bn");
    Browser rahim = new Browser().loggedIn("rahim", PASSWORD);

    JsonObject english = rahim.list("?lang=en");
    assertThat(english.getString("language")).isEqualTo("bn");
    assertThat(english.getString("meaningLanguage")).isEqualTo("en");
    assertThat(english.getJsonArray("replies")).hasSize(8);
    JsonObject code = item(english, "keep-code");
    assertThat(code.getString("meaning")).startsWith("Thank you. Your code is {reference}.");
    assertThat(code.getString("text")).as("the report's own code, filled in").isEqualTo("ধন্যবাদ। আপনার কোড ACDE-FGHJ। এটি সাবধানে রাখুন।");
    assertThat(code.getString("encoding")).isEqualTo("UCS-2");
    assertThat(code.getInteger("segments")).isEqualTo(1);
    assertThat(code.getInteger("units")).isEqualTo(code.getString("text").length());
    JsonObject talk = item(english, "safe-to-talk");
    assertThat(talk.getString("text")).isEqualTo("এখন কি নিরাপদে কথা বলতে পারবেন? হ্যাঁ হলে 1, না হলে 2 লিখুন।");
    assertThat(talk.getBoolean("available")).isTrue();

    JsonObject bengali = rahim.list("?lang=bn");
    assertThat(bengali.getString("meaningLanguage")).isEqualTo("bn");
    assertThat(item(bengali, "safe-to-talk").getString("meaning")).startsWith("এখন কি নিরাপদে কথা বলতে পারবেন?");
    assertThat(item(bengali, "safe-to-talk").getString("text")).isEqualTo(talk.getString("text"));

    assertThat(rahim.list("").getString("meaningLanguage")).as("no lang: the default").isEqualTo("en");
    assertThat(rahim.list("?lang=th").getString("meaningLanguage")).as("no meanings in Thai: English").isEqualTo("en");
    HttpResponse<String> bad = rahim.send("GET", "/api/reports/" + REF + "/replies?lang=%3Cscript%3E", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getString("error")).contains("language code");
    assertThat(rahim.send("GET", "/api/reports/BCDE-FGHJ/replies", null).statusCode()).isEqualTo(404);
    assertThat(auditLog()).extracting(AuditEntry::officer, AuditEntry::action, AuditEntry::reference, AuditEntry::outcome)
        .contains(tuple("rahim", "replies", REF, "ok"), tuple("rahim", "replies", REF, "invalid"));
  }

  @Test
  void anEnglishReportGetsTheEnglishTextInOneGsmSegment() throws Exception {
    claimedReport("en");
    JsonObject place = item(new Browser().loggedIn("rahim", PASSWORD).list("?lang=bn"), "which-place");
    assertThat(place.getString("text")).isEqualTo("Can you tell us the place? Village, town or area.");
    assertThat(place.getString("encoding")).isEqualTo("GSM-7");
    assertThat(place.getInteger("segments")).isEqualTo(1);
    assertThat(place.getString("meaning")).startsWith("জায়গাটা");
  }

  @Test
  void aCannedReplyTextsTheServersWordsInTheReportersLanguageAndTheTimelineSaysWhichWent() throws Exception {
    claimedReport("bn");
    Browser rahim = new Browser().loggedIn("rahim", PASSWORD);
    HttpResponse<String> sent = rahim.reply(new JsonObject().put("canned", "keep-code"));
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    assertThat(new JsonObject(sent.body()).getInteger("segments")).isEqualTo(1);
    String bengali = "ধন্যবাদ। আপনার কোড ACDE-FGHJ। এটি সাবধানে রাখুন।";
    assertThat(texts).hasSize(1);
    assertThat(texts.get(0)).containsExactly(ConsoleApiTest.NUMBER, bengali);
    assertThat(sent.body()).doesNotContain("1712");
    assertThat(timeline()).extracting(TimelineEntry::kind, TimelineEntry::actor, TimelineEntry::text).contains(tuple("reply", "rahim",
        "Prepared reply keep-code (Thank you. Your code is {reference}. Keep it safe. (Sends this report's code.)): " + bengali));
    assertThat(auditLog()).extracting(AuditEntry::officer, AuditEntry::action, AuditEntry::reference, AuditEntry::outcome)
        .contains(tuple("rahim", "reply", REF, "ok"));
    assertThat(auditLog().toString()).doesNotContain("ধন্যবাদ");

    // Another officer may not send one on rahim's report, prepared or not.
    HttpResponse<String> notMine = new Browser().loggedIn("karima", ConsoleApiTest.KARIMA_PASSWORD).reply(new JsonObject().put("canned", "working"));
    assertThat(notMine.statusCode()).isEqualTo(403);
    assertThat(texts).hasSize(1);
  }

  @Test
  void anUnknownIdOrAnIdWithTextIs400AndChangesNothing() throws Exception {
    claimedReport("bn");
    Browser rahim = new Browser().loggedIn("rahim", PASSWORD);
    int before = timeline().size();
    HttpResponse<String> unknown = rahim.reply(new JsonObject().put("canned", "no-such-reply"));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(unknown.body()).getString("error")).contains("There is no prepared reply 'no-such-reply'").contains("config/replies.yaml");
    HttpResponse<String> both = rahim.reply(new JsonObject().put("canned", "working").put("text", "Anything the browser likes"));
    assertThat(both.statusCode()).as("the browser's words never go out as a prepared reply").isEqualTo(400);
    assertThat(new JsonObject(both.body()).getString("error")).contains("not both");
    assertThat(rahim.reply(new JsonObject().put("canned", 7)).statusCode()).isEqualTo(400);
    assertThat(rahim.reply(new JsonObject().put("canned", " ")).statusCode()).isEqualTo(400);
    assertThat(texts).isEmpty();
    assertThat(timeline()).hasSize(before);
    assertThat(reports.get(REF).await(5, TimeUnit.SECONDS).orElseThrow().status()).isEqualTo(Report.Status.CLAIMED);
    assertThat(auditLog()).filteredOn(e -> e.action().equals("reply")).extracting(AuditEntry::outcome).containsOnly("invalid");
  }

  @Test
  void aReportInALanguageWithoutTheReplyIs409WithTheReasonAndNothingIsSent() throws Exception {
    claimedReport("pt"); // a language the flows no longer speak: config/replies.yaml has no Portuguese
    Browser rahim = new Browser().loggedIn("rahim", PASSWORD);
    JsonObject listed = item(rahim.list("?lang=en"), "working");
    assertThat(listed.getBoolean("available")).isFalse();
    assertThat(listed.getValue("text")).isNull();
    assertThat(listed.getString("reason")).contains("no text for it in pt");
    HttpResponse<String> refused = rahim.reply(new JsonObject().put("canned", "working"));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(refused.body()).getString("error")).contains("'working' has no text in 'pt'").contains("write your own reply");
    assertThat(texts).isEmpty();
    assertThat(timeline()).hasSize(1);
  }
}
