package org.sathi.channel.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.sathi.server.Config;
import org.sathi.session.RedisSessionStore;
import org.sathi.simulator.UssdPlayer;
import org.sathi.simulator.UssdPlayer.Screen;
import org.sathi.testing.Await;
import org.sathi.testing.LogCapture;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestRedis;

/**
 * USSD end to end on a real redis-server: a Bengali report reaches the duty officers' queue with
 * its channel, and neither the number nor what the caller typed is kept or logged in clear; with
 * Redis paused, a step ends politely within the gateway's patience and gives no code.
 */
@Tag("integration")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UssdIT {
  static final String KEY = "ussd-it-key-0123456789";
  static final String PHONE = "+8801912345678";
  static final String DETAILS = "একজন লোক তার কাগজ নিয়ে গেছে";

  static TestRedis redis;
  static TestHotline hotline;
  static UssdPlayer phone;
  static RedisReportStore reports;
  static LogCapture logs;

  @BeforeAll
  static void start() throws Exception {
    logs = LogCapture.start();
    redis = TestRedis.start();
    reports = new RedisReportStore(redis.connection);
    Config config = TestHotline.config().withRedisUrl(redis.server.url()).withChannels(List.of(new Channels.Twilio("sms", List.of(), 1),
        new Channels.Ussd("bd-ussd", "africastalking", "*16430#", "USSD_BD_KEY", KEY, Channels.USSD_MAX_CHARS, Channels.USSD_UNICODE_CHARS,
            Channels.USSD_DEADLINE_MILLIS, List.of("880"), 2)));
    RedisSessionStore store = new RedisSessionStore(redis.connection, config.session().times(), TestHotline.codec());
    hotline = TestHotline.deploy(redis.vertx, TestHotline.redis(redis.connection, store, new org.sathi.duty.LogPager()), TestHotline.newMetrics(),
        ReferenceCode::next, Clock.systemUTC(), config);
    phone = new UssdPlayer(() -> "http://127.0.0.1:" + hotline.server.port(), "bd-ussd", KEY, "*16430#");
  }

  @AfterAll
  static void stop() throws Exception {
    logs.close();
    redis.close();
  }

  @BeforeEach
  void empty() {
    redis.flush();
    logs.clear();
  }

  /** Types an answer and reads the screens to the end with 98; the last screen. */
  static Screen answer(String input) throws Exception {
    Screen s = phone.type(PHONE, input);
    while (s.hasMore()) s = phone.type(PHONE, "98");
    return s;
  }

  @Test
  void aBengaliUssdReportIsInTheQueueWithItsChannelAndNothingOfTheCallerIsKeptInClear() throws Exception {
    phone.dial(PHONE);
    Screen end = null;
    for (String a : List.of("1", "2", "1", "1", "14", "2", "4", "খুলনা", DETAILS, "2")) end = answer(a);
    assertThat(end.body()).startsWith("END ");
    Matcher m = Pattern.compile("[" + ReferenceCode.ALPHABET + "]{4}-[" + ReferenceCode.ALPHABET + "]{4}").matcher(end.text());
    assertThat(m.find()).as("the code on the END screen: %s", end.text()).isTrue();
    String reference = m.group();

    Await.until(Duration.ofSeconds(10), "report " + reference + " filed", () -> reports.get(reference).await(5, TimeUnit.SECONDS).isPresent());
    Report report = reports.get(reference).await(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(report.channel()).isEqualTo("ussd:bd-ussd");
    assertThat(report.language()).isEqualTo("bn");
    assertThat(report.answers().area()).as("Khulna division, made Khulna district by the place's words, kept in Redis").isEqualTo("BD-27");
    assertThat(report.callerKey()).isEqualTo(new CallerKey(hotline.config.secret()).of("ussd:" + PHONE));
    assertThat(report.flags()).as("someone in danger now: triaged as on SMS").isNotEmpty();

    Map<String, String> kept = TestRedis.contents(redis.check);
    assertThat(kept).as("what is looked through").isNotEmpty();
    for (var kv : kept.entrySet()) {
      String all = kv.getKey() + " " + kv.getValue();
      assertThat(all).as("the number in Redis").doesNotContain(PHONE.substring(1)).doesNotContain(PHONE.substring(4));
    }
    assertThat(kept.keySet()).as("no reply window after a report without consent").noneMatch(k -> k.endsWith(":reach"));
    String logged = String.join("\n", logs.lines());
    assertThat(logged).contains("Report " + reference + " stored for caller");
    assertThat(logged).doesNotContain(PHONE.substring(1)).doesNotContain(DETAILS).doesNotContain("খুলনা");
  }

  @Test
  void withRedisPausedAStepEndsPolitelyWithinASecondAndGivesNoCode() throws Exception {
    phone.dial(PHONE);
    phone.type(PHONE, "1");
    redis.server.pause();
    try {
      long t0 = System.nanoTime();
      Screen s = phone.type(PHONE, "2");
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.body()).startsWith("END ").contains("দুঃখিত").contains("ডায়াল");
      assertThat(millis).as("gateways drop a session that waits 5 to 10 s").isLessThan(1500);
    } finally {
      redis.server.resume();
    }
  }
}
