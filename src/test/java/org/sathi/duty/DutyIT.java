package org.sathi.duty;

import org.sathi.channel.twilio.TwilioPager;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.flow.FlowBundle;
import org.sathi.report.RedisReportStore;
import org.sathi.report.Report;
import org.sathi.report.ReportStore;
import org.sathi.server.Backends;
import org.sathi.server.Config;
import org.sathi.server.HotlineServer;
import org.sathi.redis.RedisConnection;
import org.sathi.session.RedisSessionStore;
import org.sathi.testing.RedisServerProcess;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;
import org.sathi.testing.TwilioStandIn;
import org.sathi.channel.twilio.TwilioOutbound;

/** Reports by signed SMS reach the duty queue, and the on-call officer's phone (a local Twilio stand-in) is paged. */
@Tag("integration")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DutyIT {
  static final String ACCOUNT = "AC" + "0".repeat(31) + "1";
  static final String HOTLINE_NUMBER = "+8809610000000";
  static final String REPORTER = "+8801719283746";
  static final List<String> P1_REPORT = List.of("hello", "1", "2", "1", "1", "12", "2", "4", "Khulna ghat", "They keep him locked in the kiln");

  static RedisServerProcess redis;
  static TwilioStandIn twilio;
  static StatefulRedisConnection<String, String> check;
  final List<Vertx> instances = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServerProcess.start();
    twilio = new TwilioStandIn(ACCOUNT);
    check = redis.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    check.close();
    twilio.close();
    redis.close();
  }

  @BeforeEach
  void empty() {
    check.sync().flushall();
    twilio.reset();
  }

  @AfterEach
  void closeInstances() throws Exception {
    for (Vertx v : instances) v.close().await(20, TimeUnit.SECONDS);
    instances.clear();
  }

  /** One Sathi instance, as `serve` wires it, on the shared Redis, paging through the Twilio stand-in. */
  record Instance(TestHotline hotline, ReportStore reports) {}

  Instance instance() throws Exception {
    Vertx vertx = Vertx.vertx();
    instances.add(vertx);
    var metrics = TestHotline.newMetrics();
    Config config = TestHotline.config().withRedisUrl(redis.url());
    RedisConnection connection = new RedisConnection(vertx, config.redis().settings(), metrics);
    connection.start().await(10, TimeUnit.SECONDS);
    TwilioOutbound outbound = new TwilioOutbound(ACCOUNT, TestPhone.AUTH_TOKEN, twilio.baseUrl(), HOTLINE_NUMBER, vertx, Duration.ofSeconds(5), 3);
    RedisReportStore reports = new RedisReportStore(connection);
    Backends backends = new Backends(new RedisSessionStore(connection, config.session().times(), TestHotline.codec()), reports,
        new RedisDutyInbox(connection), TwilioPager.of(outbound), TestHotline.roster(), TestHotline.triager(), TestHotline.crosswalk()::map,
        org.sathi.session.Durability.redis(connection, false), org.sathi.console.ConsoleStores.redis(connection, java.time.Clock.systemUTC()));
    return new Instance(TestHotline.deploy(vertx, backends, metrics, org.sathi.report.ReferenceCode::next), reports);
  }

  static List<Map<String, String>> pages() {
    return twilio.messages();
  }

  static String code(String reply) {
    var m = java.util.regex.Pattern.compile("[A-Z0-9]{4}-[A-Z0-9]{4}").matcher(reply);
    assertThat(m.find()).as(reply).isTrue();
    return m.group();
  }

  static List<Map<String, String>> awaitPages(int n, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (pages().size() < n && System.nanoTime() < deadline) Thread.sleep(5);
    return pages();
  }

  @Test
  void aP1ReportBySmsPagesTheOnCallOfficerWithinASecond() throws Exception {
    Instance a = instance();
    TestPhone phone = a.hotline().phone(REPORTER);
    for (String m : P1_REPORT) phone.text(m);
    long start = System.nanoTime();
    String reference = code(phone.text("2"));
    List<Map<String, String>> pages = awaitPages(1, Duration.ofSeconds(5));
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("Time from the reporter's last message to the on-call officer's page: %d ms%n", millis);
    assertThat(pages).hasSize(1);
    assertThat(millis).as("paged within a second").isLessThan(1000);

    Roster.Officer onCall = TestHotline.roster().toPage(Instant.now(), 0).orElseThrow();
    Map<String, String> page = pages.get(0);
    assertThat(page).containsEntry("To", onCall.phone()).containsEntry("From", HOTLINE_NUMBER);
    assertThat(page.get("Body")).contains("P1").contains(reference).contains("forced labour")
        .doesNotContain("Khulna").doesNotContain("locked").doesNotContain("1719283746");

    // Twilio has the page; the report records it once Twilio has answered.
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    Report report = a.reports().get(reference).await(5, TimeUnit.SECONDS).orElseThrow();
    while (report.escalation() == 0 && System.nanoTime() < until) {
      Thread.sleep(10);
      report = a.reports().get(reference).await(5, TimeUnit.SECONDS).orElseThrow();
    }
    assertThat(report.priority()).isEqualTo(org.sathi.report.Priority.P1);
    assertThat(report.escalation()).isEqualTo(1);

    // The officer acknowledges from their roster phone; paging stops and the timeline says who.
    String ack = a.hotline().phone(onCall.phone()).text("ack " + reference.toLowerCase());
    assertThat(ack).isEqualTo("Acknowledged " + reference + ". Thank you.");
    assertThat(a.reports().get(reference).await(5, TimeUnit.SECONDS).orElseThrow().acknowledgedBy()).isEqualTo(onCall.id());
    assertThat(check.sync().zscore("sathi:escalations", reference)).isNull();
  }

  @Test
  void twoSathiInstancesOnOneRedisPageOnce() throws Exception {
    Instance a = instance();
    instance();
    TestPhone phone = a.hotline().phone(REPORTER);
    for (String m : P1_REPORT) phone.text(m);
    phone.text("2");
    awaitPages(1, Duration.ofSeconds(5));
    Thread.sleep(2000); // both desks poll several times meanwhile
    assertThat(pages()).hasSize(1);
  }

  @Test
  void theSameMessageSid50TimesAtOnceMakesOneReport() throws Exception {
    Instance a = instance();
    TestPhone phone = a.hotline().phone(REPORTER);
    for (String m : P1_REPORT) phone.text(m);
    String sid = TestPhone.newMessageSid();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<TestPhone.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) replies.add(pool.submit((Callable<TestPhone.Reply>) () -> phone.send("2", sid)));
    List<String> texts = new ArrayList<>();
    for (Future<TestPhone.Reply> r : replies) texts.add(r.get(30, TimeUnit.SECONDS).text());
    pool.shutdown();
    assertThat(texts).as("every delivery gets the same reply").allSatisfy(t -> assertThat(t).isEqualTo(texts.get(0)));
    code(texts.get(0));
    awaitPages(1, Duration.ofSeconds(5));
    Thread.sleep(1000);
    assertThat(a.reports().open(100).await(5, TimeUnit.SECONDS)).hasSize(1);
    assertThat(check.sync().xlen("sathi:events")).as("the one entry was filed and left the inbox").isZero();
    assertThat(check.sync().keys("sathi:report:{*}").stream().filter(k -> k.endsWith("}")).count()).isEqualTo(1);
    assertThat(pages()).hasSize(1);
  }
}
