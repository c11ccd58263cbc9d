package org.sathi.sms;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Config;
import org.sathi.redis.RedisConnection;
import org.sathi.session.RedisSessionStore;
import org.sathi.session.SessionStore;
import org.sathi.testing.RedisServerProcess;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;
import org.sathi.channel.twilio.Signature;
import org.slf4j.LoggerFactory;

/** The SMS webhook through the real router on a real redis-server that the test owns. */
@Tag("integration")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmsWebhookIT {
  static final String BD_NUMBER = "+8801719283746";
  static final ObjectMapper JSON = new ObjectMapper();

  static RedisServerProcess redis;
  static Vertx vertx;
  static RedisConnection connection;
  static RedisSessionStore store;
  static TestHotline hotline;
  static PrometheusMeterRegistry metrics;
  static StatefulRedisConnection<String, String> check;
  static ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void start() throws Exception {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    redis = RedisServerProcess.start();
    vertx = Vertx.vertx();
    metrics = TestHotline.newMetrics();
    Config config = TestHotline.config().withRedisUrl(redis.url());
    connection = new RedisConnection(vertx, config.redis().settings(), metrics);
    connection.start().await(10, TimeUnit.SECONDS);
    store = new RedisSessionStore(connection, config.session().times(), TestHotline.codec());
    hotline = TestHotline.deploy(vertx, TestHotline.redis(connection, store, new org.sathi.duty.LogPager()), metrics, ReferenceCode::next);
    check = redis.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    check.close();
    vertx.close().await(20, TimeUnit.SECONDS);
    connection.close();
    redis.close();
  }

  @BeforeEach
  void empty() {
    check.sync().flushall();
  }

  static RedisCommands<String, String> redis() {
    return check.sync();
  }

  /** Every key with its type and contents, for before/after comparisons and privacy scans. */
  static Map<String, String> snapshot() {
    return org.sathi.testing.TestRedis.contents(check);
  }

  /**
   * The reports on the duty queue: the desk files each inbox entry as a report and then deletes the
   * entry, so this waits (up to 5 s) for the inbox to drain and returns the filed reports.
   */
  static List<JsonNode> events() throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (redis().xlen(RedisSessionStore.EVENTS_STREAM) > 0 && System.nanoTime() < until) Thread.sleep(10);
    assertThat(redis().xlen(RedisSessionStore.EVENTS_STREAM)).as("inbox drained").isZero();
    List<JsonNode> out = new ArrayList<>();
    for (String key : redis().keys("sathi:report:{*}")) {
      if (key.endsWith("}")) out.add(JSON.readTree(redis().get(key)));
    }
    return out;
  }

  static String codeIn(String reply) {
    var m = java.util.regex.Pattern.compile("[" + ReferenceCode.ALPHABET + "]{4}-[" + ReferenceCode.ALPHABET + "]{4}").matcher(reply);
    assertThat(m.find()).as("a reference code in: " + reply).isTrue();
    return m.group();
  }

  static final List<String> BENGALI_REPORT = List.of("হ্যালো", "১", "২", "১", "১", "১৪", "২", "৪", "খুলনা বাস স্ট্যান্ড",
      "ওর মালিক পাসপোর্ট রেখে দিয়েছে, টাকা দেয় না।");

  @Test
  void aBengaliConversationGoesFromFirstMessageToAReferenceCodeAndTheReportIsStored() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    String first = phone.text("হ্যালো");
    assertThat(first).startsWith("সাথী").contains("0. " + hotline.bundle.catalog("bn").text("main.language"));
    for (String m : BENGALI_REPORT.subList(1, BENGALI_REPORT.size())) phone.text(m);
    String done = phone.text("২");
    String code = codeIn(done);
    assertThat(done).contains("ধন্যবাদ");

    List<JsonNode> events = events();
    assertThat(events).hasSize(1);
    JsonNode report = events.get(0);
    assertThat(report.get("kind").asText()).isEqualTo("report");
    assertThat(report.get("reference").asText()).isEqualTo(code);
    assertThat(report.get("language").asText()).isEqualTo("bn");
    assertThat(report.get("channel").asText()).isEqualTo("sms");
    assertThat(report.get("callerKey").asText()).hasSize(64);
    JsonNode answers = report.get("answers");
    assertThat(answers.get("who").asText()).isEqualTo("child");
    assertThat(answers.get("what").asText()).isEqualTo("forced_labour");
    assertThat(answers.get("danger").asText()).isEqualTo("yes");
    assertThat(answers.get("age").asText()).isEqualTo("14");
    assertThat(answers.get("gender").asText()).isEqualTo("girl");
    assertThat(answers.get("place").asText()).isEqualTo("খুলনা বাস স্ট্যান্ড");
    assertThat(answers.get("area").asText()).as("Khulna division (৪), made Khulna district by the place").isEqualTo("BD-27");
    assertThat(answers.get("contact").asText()).isEqualTo("no");
    // Once stored in the report, the answers are not kept in the session as well.
    assertThat(snapshot().entrySet()).filteredOn(e -> e.getKey().endsWith(":conv")).allSatisfy(e -> assertThat(e.getValue()).doesNotContain("পাসপোর্ট"));
  }

  @Test
  void anExpiredConversationRestartsWithWelcomeBackInTheCallersLanguage() throws Exception {
    TestPhone phone = hotline.phone("+447700900123");
    phone.text("hello");
    phone.text("0");
    phone.text("2"); // Bengali, chosen although the number is British
    phone.text("1");
    // The conversation key expires (TTL); the remembered language does not yet.
    redis().keys("sathi:*:conv").forEach(k -> redis().del(k));
    String reply = phone.text("1");
    assertThat(reply).startsWith(hotline.bundle.catalog("bn").text("common.welcome_back") + "\nসাথী");
  }

  String submitBengaliReport(TestPhone phone) throws Exception {
    for (String m : BENGALI_REPORT) phone.text(m);
    String code = codeIn(phone.text("২"));
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (redis().exists("sathi:report:{" + code + "}") == 0 && System.nanoTime() < until) Thread.sleep(10);
    assertThat(redis().exists("sathi:report:{" + code + "}")).as("filed on the duty queue").isEqualTo(1);
    return code;
  }

  @Test
  void aReporterCanFollowUpTheirCodeFromAnyPhoneAndAddInformation() throws Exception {
    String code = submitBengaliReport(hotline.phone(BD_NUMBER));
    TestPhone other = hotline.phone("+447700900555");
    String status = other.text(code.toLowerCase().replace("-", " "));
    assertThat(status).isEqualTo("We have your report " + code + ". Our team will look at it soon.\nTo add something, reply with it now.");
    assertThat(other.text("He was moved to a house near the river")).isEqualTo("Thank you. We added it to your report.");
    List<String> timeline = redis().lrange("sathi:report:{" + code + "}:timeline", 0, -1);
    assertThat(timeline).anySatisfy(e -> assertThat(e).contains("reporter-added").contains("moved to a house near the river")
        .as("written from another phone than the report's").contains("another phone"));
    // The follow-up is over: the next text is the menu again.
    assertThat(other.text("hello")).startsWith("Sathi.");
  }

  @Test
  void aThreadAnOfficerOpenedDoesNotTakeTheAnswersOfAReportBeingMadeNow() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    String code = submitBengaliReport(phone);
    String key = new org.sathi.privacy.CallerKey(hotline.config.secret()).of(BD_NUMBER);
    phone.text("hello");
    phone.text("1"); // a second report: "who?"
    store.openThread(key, code).await(5, TimeUnit.SECONDS); // an officer texts about the first one now
    String next = phone.text("3");
    assertThat(next).as("the answer moves the new report on").startsWith("কী হচ্ছে?");
    assertThat(redis().lrange("sathi:report:{" + code + "}:timeline", 0, -1)).noneSatisfy(e -> assertThat(e).contains("reporter-added"));
  }

  @Test
  void wordsForAReportClosedMeanwhileAreNotFiledThereAndTheReporterGetsTheMenu() throws Exception {
    String code = submitBengaliReport(hotline.phone(BD_NUMBER));
    TestPhone other = hotline.phone("+447700900556");
    other.text(code);
    var reports = new org.sathi.report.RedisReportStore(connection);
    assertThat(reports.changeStatus(code, java.util.EnumSet.of(org.sathi.report.Report.Status.NEW), org.sathi.report.Report.Status.CLOSED, "rahim",
        new org.sathi.report.TimelineEntry(java.time.Instant.now(), "closed", "rahim", "Closed: safe.")).await(5, TimeUnit.SECONDS)).isTrue();
    String reply = other.text("He is back at the kiln");
    assertThat(reply).startsWith("Your report " + code + " is closed.").contains("Sathi. Reply with a number:");
    assertThat(redis().lrange("sathi:report:{" + code + "}:timeline", 0, -1)).noneSatisfy(e -> assertThat(e).contains("back at the kiln"));
    // The menu works (useful numbers: nothing filed, so nothing is still being filed when the next test starts).
    assertThat(other.text("4")).as("the menu works").startsWith(hotline.bundle.catalog("en", hotline.bundle.callingCode(other.from())).text("numbers.list").lines().findFirst().orElseThrow());
  }

  @Test
  void aReporterCanPickFollowUpFromTheMenuAndTypeTheirCode() throws Exception {
    String code = submitBengaliReport(hotline.phone(BD_NUMBER));
    TestPhone phone = hotline.phone("+447700900888");
    phone.text("hello");
    assertThat(phone.text("5")).isEqualTo("Type your report code, like ABCD-EFGH.");
    assertThat(phone.text(code)).startsWith("We have your report " + code + ".");
    assertThat(phone.text("The man has a red motorbike")).isEqualTo("Thank you. We added it to your report.");
    assertThat(phone.text("hi")).as("the main menu again").startsWith("Sathi. Reply with a number:");
  }

  @Test
  void fiveWrongCodesInAnHourLockFollowUpForThatCaller() throws Exception {
    String code = submitBengaliReport(hotline.phone(BD_NUMBER));
    TestPhone guesser = hotline.phone("+447700900666");
    for (int i = 0; i < 4; i++) assertThat(guesser.text("ACDE-FGH" + "JKMNP".charAt(i))).startsWith("We could not find that code.");
    assertThat(guesser.text("ACDE-FGHQ")).startsWith("Please try again later.");
    assertThat(guesser.text(code)).as("even the right code, for the hour").startsWith("Please try again later.");
    assertThat(hotline.phone("+447700900777").text(code)).as("another caller is not locked").startsWith("We have your report");
  }

  @Test
  void aCodeTypedAsAnAnswerIsAnAnswerNotAFollowUp() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    for (String m : BENGALI_REPORT.subList(0, 8)) phone.text(m); // to the place question, after the division
    assertThat(phone.text("ACDE-FGHJ")).as("the place question takes it as the place").startsWith("কী হয়েছে?");
  }

  @Test
  void readinessFailsWhileRedisCouldLoseAcknowledgedReportsAndTheLogNamesTheFix() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    assertThat(phone.get("/health/ready").statusCode()).isEqualTo(200);
    try {
      redis().configSet("appendonly", "no");
      var r = phone.get("/health/ready");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("could lose acknowledged reports");
      assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("appendonly no").contains("appendonly yes")
          .contains("redis.acceptDataLoss"));
      redis().configSet("appendonly", "yes");
      redis().configSet("appendfsync", "everysec");
      assertThat(phone.get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("appendfsync everysec").contains("appendfsync always"));
      redis().configSet("appendfsync", "always");
      redis().configSet("no-appendfsync-on-rewrite", "yes");
      assertThat(phone.get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("no-appendfsync-on-rewrite yes"));
    } finally {
      redis().configSet("appendonly", "yes");
      redis().configSet("appendfsync", "always");
      redis().configSet("no-appendfsync-on-rewrite", "no");
    }
    assertThat(phone.get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void aBadSignatureGets403AndLeavesRedisUntouched() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    phone.text("hello");
    Map<String, String> before = snapshot();
    Map<String, String> params = new LinkedHashMap<>(Map.of("From", BD_NUMBER, "Body", "1", "MessageSid", TestPhone.newMessageSid()));
    String forged = new Signature("not-the-token").sign(TestPhone.PUBLIC_URL + "/twilio/sms", params);
    assertThat(phone.post(params, forged).status()).isEqualTo(403);
    assertThat(phone.post(params, null).status()).isEqualTo(403);
    // Signed for another URL (the Host header must not be trusted).
    String otherUrl = new Signature(TestPhone.AUTH_TOKEN).sign("http://127.0.0.1:" + hotline.server.port() + "/twilio/sms", params);
    assertThat(phone.post(params, otherUrl).status()).isEqualTo(403);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aRetriedWebhookGetsTheIdenticalReplyAndMakesOneReport() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    for (String m : BENGALI_REPORT) phone.text(m);
    String sid = TestPhone.newMessageSid();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Future<TestPhone.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) replies.add(pool.submit((Callable<TestPhone.Reply>) () -> phone.send("২", sid)));
    List<String> texts = new ArrayList<>();
    for (Future<TestPhone.Reply> r : replies) texts.add(r.get(20, TimeUnit.SECONDS).text());
    pool.shutdown();
    assertThat(texts).allSatisfy(t -> assertThat(t).isEqualTo(texts.get(0)));
    codeIn(texts.get(0));
    assertThat(events()).hasSize(1);
    assertThat(phone.send("২", sid).text()).isEqualTo(texts.get(0));
    assertThat(events()).hasSize(1);
  }

  @Test
  void twoDifferentMessagesRacingAtTheLastQuestionMakeOneReport() throws Exception {
    for (int round = 0; round < 5; round++) {
      check.sync().flushall();
      TestPhone phone = hotline.phone(BD_NUMBER);
      for (String m : BENGALI_REPORT) phone.text(m);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<TestPhone.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 4; i++) replies.add(pool.submit((Callable<TestPhone.Reply>) () -> phone.send("২", TestPhone.newMessageSid())));
      List<String> codes = new ArrayList<>();
      for (Future<TestPhone.Reply> r : replies) {
        String text = r.get(20, TimeUnit.SECONDS).text();
        if (text.contains("ধন্যবাদ")) codes.add(codeIn(text));
      }
      pool.shutdown();
      assertThat(codes).as("reference codes given out").hasSize(1);
      assertThat(events()).as("reports stored").hasSize(1);
      assertThat(events().get(0).get("reference").asText()).isEqualTo(codes.get(0));
    }
  }

  @Test
  void aCommitThatReachesRedisAfterTheDeadlineChangesNothing() throws Exception {
    // A store whose commits arrive late, as when Redis stalls between load and commit.
    SessionStore slow = new SessionStore() {
      public io.vertx.core.Future<Loaded> load(String k, String sid) { return store.load(k, sid); }
      public io.vertx.core.Future<Committed> commit(Commit c) {
        io.vertx.core.Promise<Committed> p = io.vertx.core.Promise.promise();
        vertx.setTimer(2500, t -> store.commit(c).onComplete(p));
        return p.future();
      }
      public io.vertx.core.Future<Long> followUpFailed(String k, String sid) { return store.followUpFailed(k, sid); }
      public io.vertx.core.Future<Boolean> referenceTaken(String r) { return store.referenceTaken(r); }
      public io.vertx.core.Future<String> sealedReach(String k) { return store.sealedReach(k); }
      public io.vertx.core.Future<Void> openThread(String k, String r) { return store.openThread(k, r); }
      public io.vertx.core.Future<Void> ping() { return store.ping(); }
      public io.vertx.core.Future<Void> close() { return io.vertx.core.Future.succeededFuture(); }
    };
    TestPhone fast = hotline.phone(BD_NUMBER);
    for (String m : BENGALI_REPORT) fast.text(m);
    Map<String, String> before = snapshot();
    Vertx other = Vertx.vertx();
    try {
      TestHotline late = TestHotline.deploy(other, TestHotline.redis(connection, slow, new org.sathi.duty.LogPager()), TestHotline.newMetrics(), ReferenceCode::next);
      TestPhone.Reply r = late.phone(BD_NUMBER).send("২", TestPhone.newMessageSid());
      assertThat(r.text()).isEqualTo(hotline.bundle.catalog("bn", "880").text("common.fallback"));
      Thread.sleep(1500); // the commit has reached Redis by now, and must have been refused
      assertThat(events()).isEmpty();
      assertThat(snapshot()).isEqualTo(before);
    } finally {
      other.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anEmptyMessageRepeatsTheQuestionAndIsNotCountedAsAWrongAnswer() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    phone.text("hello");
    String screen = phone.text("1");
    String hint = hotline.bundle.catalog("bn").text("common.invalid.choice");
    for (int i = 0; i < 4; i++) assertThat(phone.text("")).isEqualTo(hint + "\n" + screen);
    // Two wrong answers now are the first and second, not the fifth and sixth: no restart.
    assertThat(phone.text("9")).isEqualTo(hint + "\n" + screen);
    assertThat(phone.text("9")).isEqualTo(hint + "\n" + screen);
    assertThat(phone.text("2")).startsWith("কী হচ্ছে?");
  }

  @Test
  void exitBeforeAnyConversationAnswersOneNeutralLineAndKeepsNothing() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    assertThat(phone.text("x")).isEqualTo(hotline.bundle.catalog("bn").text("common.exit"));
    assertThat(phone.text("exit")).isEqualTo(hotline.bundle.catalog("bn").text("common.exit"));
    assertThat(snapshot().keySet()).allSatisfy(k -> assertThat(k).endsWith(":replies"));
  }

  @Test
  void aCallerWhoAsksForAPersonHasTheirNumberKeptSealedOnlyForTheReplyWindow() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    phone.text("hello");
    phone.text("3");
    String reachKey = redis().keys("sathi:*:reach").get(0);
    String callerKey = reachKey.substring("sathi:{".length(), reachKey.indexOf('}'));
    String sealed = redis().get(reachKey);
    assertThat(sealed).doesNotContain("1719283746");
    assertThat(new org.sathi.privacy.Sealer(hotline.config.secret()).open(sealed, callerKey)).isEqualTo(BD_NUMBER);
    assertThat(redis().pttl(reachKey)).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(hotline.config.session().replyWindowMinutes()).toMillis());
    phone.text("x");
    assertThat(redis().keys("sathi:*:reach")).isEmpty();
  }

  @Test
  void badInputGets4xxAndChangesNothing() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    phone.text("hello");
    Map<String, String> before = snapshot();
    String url = TestPhone.PUBLIC_URL + "/twilio/sms";
    Signature signer = new Signature(TestPhone.AUTH_TOKEN);
    List<Map<String, String>> cases = List.of(
        Map.of("Body", "1", "MessageSid", TestPhone.newMessageSid()),
        Map.of("From", "01719283746", "Body", "1", "MessageSid", TestPhone.newMessageSid()),
        Map.of("From", "whatsapp:" + BD_NUMBER, "Body", "1", "MessageSid", TestPhone.newMessageSid()),
        Map.of("From", BD_NUMBER, "Body", "1"),
        Map.of("From", BD_NUMBER, "Body", "1", "MessageSid", "not-a-sid"),
        Map.of());
    for (Map<String, String> params : cases) {
      TestPhone.Reply r = phone.post(params, signer.sign(url, params));
      assertThat(r.status()).as("fields %s", params.keySet()).isBetween(400, 499);
      assertThat(r.body()).doesNotContain("1719283746").doesNotContain("Exception");
    }
    byte[] invalidUtf8 = ("From=%2B8801719283746&MessageSid=" + TestPhone.newMessageSid() + "&Body=%C3%28").getBytes(StandardCharsets.US_ASCII);
    assertThat(phone.postRaw(invalidUtf8, "x").status()).isEqualTo(400);
    byte[] huge = ("From=%2B8801719283746&Body=" + "a".repeat(40_000)).getBytes(StandardCharsets.US_ASCII);
    assertThat(phone.postRaw(huge, "x").status()).isEqualTo(413);
    assertThat(phone.postRaw(new byte[0], null).status()).isBetween(400, 499);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aTurnCostsAtMostTwoRedisRoundTrips() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    int turns = 0;
    double before = commands();
    for (String m : BENGALI_REPORT) {
      double start = commands();
      phone.text(m);
      assertThat(commands() - start).as("Redis commands for '%s'", m).isLessThanOrEqualTo(2);
      turns++;
    }
    System.out.printf("Redis round trips per SMS turn: %.2f (%d turns)%n", (commands() - before) / turns, turns);
  }

  /** Redis commands the webhook's session store sent (the duty desk polls the same connection meanwhile). */
  static double commands() {
    var c = metrics.find("sathi.redis.calls").tag("caller", "session").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void noPhoneNumberIsStoredOrLoggedAfterAFullConversation() throws Exception {
    logs.list.clear();
    TestPhone phone = hotline.phone(BD_NUMBER);
    for (String m : BENGALI_REPORT) phone.text(m);
    // Mid-report, the caller's words are in Redis only sealed (খুলনা alone is in the division menu, a reply kept for retries).
    assertThat(snapshot().toString()).doesNotContain("পাসপোর্ট").doesNotContain("বাস স্ট্যান্ড");
    phone.text("১");
    phone.text("hello");
    phone.text("3");
    phone.text("x");
    phone.text("hello");
    events(); // the desk has filed the report and the hand-off
    Map<String, String> all = snapshot();
    assertThat(all).isNotEmpty();
    assertThat(all.keySet()).anySatisfy(k -> assertThat(k).matches("sathi:report:\\{[A-Z0-9-]+}"));
    StringBuilder logText = new StringBuilder();
    for (ILoggingEvent e : logs.list) {
      logText.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) logText.append(e.getThrowableProxy().getMessage()).append('\n');
    }
    assertThat(logText).as("the test run logged something").isNotEmpty();
    for (String haystack : List.of(all.toString(), logText.toString())) {
      String digitsOnly = haystack.replaceAll("[\\s\\-().+]", "");
      for (String form : List.of("8801719283746", "01719283746", "1719283746")) {
        assertThat(digitsOnly).doesNotContain(form);
      }
    }
    assertThat(all.keySet()).as("key names").allSatisfy(k -> assertThat(k).doesNotContain("খুলনা").doesNotContain("1719283746"));
    // The caller's words belong in the report only: not in logs, not in what the session keeps.
    assertThat(logText.toString()).doesNotContain("পাসপোর্ট রেখে").doesNotContain("খুলনা");
    assertThat(all.entrySet()).anySatisfy(e -> assertThat(e.getValue()).contains("পাসপোর্ট রেখে"));
    all.entrySet().stream().filter(e -> !e.getKey().equals(RedisSessionStore.EVENTS_STREAM) && !e.getKey().matches("sathi:report:\\{[A-Z0-9-]+}(:timeline)?"))
        .forEach(e -> assertThat(e.getValue()).as(e.getKey()).doesNotContain("পাসপোর্ট রেখে").doesNotContain("খুলনা"));
  }

  @Test
  void aHungRedisGetsAPoliteFallbackWithin2SecondsThenRecovers() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    phone.text("হ্যালো");
    phone.text("১");
    double timeouts = errors("timeout");
    redis.pause();
    try {
      TestPhone.Reply r = phone.send("২", TestPhone.newMessageSid());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.millis()).as("answered within 2 s").isLessThan(2000);
      assertThat(r.text()).contains("999").doesNotContain("Exception").doesNotContain("TEST-");
      assertThat(r.text()).isEqualTo(hotline.bundle.catalog("bn", "880").text("common.fallback"));
      assertThat(phone.get("/health/ready").statusCode()).isEqualTo(503);
    } finally {
      redis.resume();
    }
    assertThat(errors("timeout")).isGreaterThan(timeouts);
    // The failed turn changed nothing: the caller is still at the question they were answering.
    String reply = phone.text("২");
    assertThat(reply).startsWith("কী হচ্ছে?");
    assertThat(phone.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(phone.get("/metrics").body()).contains("sathi_redis_errors_total{kind=\"timeout\"}")
        .contains("sathi_webhook_seconds_bucket{channel=\"sms\",outcome=\"fallback\"")
        .contains("sathi_sms_reply_segments");
  }

  @Test
  void aRedisHungForManyTurnsIsReconnectedAndTheConversationContinues() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    phone.text("hello");
    phone.text("1");
    String fallback = hotline.bundle.catalog("bn", "880").text("common.fallback");
    redis.pause();
    try {
      for (int i = 0; i < RedisConnection.TIMEOUTS_BEFORE_RECONNECT + 1; i++) {
        TestPhone.Reply r = phone.send("2", TestPhone.newMessageSid());
        assertThat(r.millis()).isLessThan(2000);
        assertThat(r.text()).isEqualTo(fallback);
      }
    } finally {
      redis.resume();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    String reply = fallback;
    while (reply.equals(fallback) && System.nanoTime() < deadline) {
      reply = phone.send("2", TestPhone.newMessageSid()).text();
      if (reply.equals(fallback)) Thread.sleep(250);
    }
    assertThat(reply).startsWith("কী হচ্ছে?");
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("dropping the connection and connecting again"));
  }

  @Test
  void aStoppedRedisGetsAPoliteFallbackThenTheConversationContinuesWhenItIsBack() throws Exception {
    TestPhone phone = hotline.phone(BD_NUMBER);
    phone.text("hello");
    phone.text("1");
    redis.stop();
    try {
      for (int i = 0; i < 2; i++) {
        TestPhone.Reply r = phone.send("2", TestPhone.newMessageSid());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.millis()).isLessThan(2000);
        assertThat(r.text()).isEqualTo(hotline.bundle.catalog("bn", "880").text("common.fallback"));
      }
      assertThat(phone.get("/health/ready").statusCode()).isEqualTo(503);
    } finally {
      redis.startProcess();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    String reply = "";
    while (System.nanoTime() < deadline) {
      reply = phone.send("2", TestPhone.newMessageSid()).text();
      if (!reply.equals(hotline.bundle.catalog("bn", "880").text("common.fallback"))) break;
      Thread.sleep(250);
    }
    assertThat(reply).as("the AOF kept the conversation at 'who is at risk'").startsWith("কী হচ্ছে?");
  }

  static double errors(String kind) {
    var c = metrics.find("sathi.redis.errors").tag("kind", kind).counter();
    return c == null ? 0 : c.count();
  }
}
