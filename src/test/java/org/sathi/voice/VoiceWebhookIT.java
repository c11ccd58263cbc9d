package org.sathi.voice;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.report.Report;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Backends;
import org.sathi.server.Config;
import org.sathi.redis.RedisConnection;
import org.sathi.session.RedisSessionStore;
import org.sathi.testing.RedisServerProcess;
import org.sathi.testing.TestCall;
import org.sathi.testing.TestCall.Twiml;
import org.sathi.testing.TestHotline;

/** Calls against a real redis-server (AOF on): a Bengali report reaches the queue; Redis down ends the call politely. */
@Tag("integration")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VoiceWebhookIT {
  static final String BD = "+8801719283746";
  static final String RECORDING = "https://api.twilio.com/2010-04-01/Accounts/ACtest/Recordings/RE00000000000000000000000000000042";

  static RedisServerProcess redis;
  static Vertx vertx;
  static RedisConnection connection;
  static Backends backends;
  static TestHotline hotline;
  static StatefulRedisConnection<String, String> check;
  static io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServerProcess.start();
    vertx = Vertx.vertx();
    Config config = TestHotline.config().withRedisUrl(redis.url());
    metrics = TestHotline.newMetrics();
    connection = new RedisConnection(vertx, config.redis().settings(), metrics);
    connection.start().await(10, TimeUnit.SECONDS);
    var store = new RedisSessionStore(connection, config.session().times(), TestHotline.codec());
    backends = TestHotline.redis(connection, store, new org.sathi.duty.LogPager());
    hotline = TestHotline.deploy(vertx, backends, metrics, ReferenceCode::next, Clock.systemUTC(), config);
    check = redis.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    check.close();
    vertx.close().await(20, TimeUnit.SECONDS);
    connection.close();
    redis.close();
  }

  @BeforeEach
  void empty() {
    check.sync().flushall();
  }

  @Test
  void aSignedBengaliCallWalksToARecordedReportAndItsCodeAndTheReportIsFiled() throws Exception {
    TestCall call = hotline.call(BD);
    assertThat(call.dial().heard().get(0)).isEqualTo("[bn-IN] সাথী।");
    for (String d : List.of("1", "2", "1", "2", "12", "2", "4")) call.press(d); // 4: Khulna division
    call.record(RECORDING, 8);
    call.record(RECORDING + "1", 41);
    Twiml done = call.press("2");
    String said = done.text();
    assertThat(said).contains("আপনার কোড");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("কোড ([A-Z0-9 ]{7}), ([A-Z0-9 ]{7})").matcher(said);
    assertThat(m.find()).as(said).isTrue();
    String reference = (m.group(1) + "-" + m.group(2)).replace(" ", "");
    Optional<Report> filed = Optional.empty();
    for (int i = 0; i < 50 && filed.isEmpty(); i++) {
      filed = backends.reports().get(reference).await(5, TimeUnit.SECONDS);
      if (filed.isEmpty()) Thread.sleep(100);
    }
    assertThat(filed).as("report %s filed on the queue", reference).isPresent();
    Report r = filed.get();
    assertThat(r.channel()).isEqualTo("voice");
    assertThat(r.language()).isEqualTo("bn");
    assertThat(r.answers().placeRecording()).isEqualTo(RECORDING);
    assertThat(r.answers().recording()).isEqualTo(RECORDING + "1");
    assertThat(r.answers().recordingSeconds()).isEqualTo(41);
    // No key or value in Redis carries the caller's number.
    var redis = check.sync();
    for (String key : redis.keys("*")) {
      assertThat(key).doesNotContain(BD.substring(1));
      String value = switch (redis.type(key)) {
        case "string" -> redis.get(key);
        case "hash" -> redis.hgetall(key).toString();
        case "stream" -> redis.xrange(key, io.lettuce.core.Range.create("-", "+")).toString();
        case "zset" -> redis.zrange(key, 0, -1).toString();
        case "list" -> redis.lrange(key, 0, -1).toString();
        case "set" -> redis.smembers(key).toString();
        default -> "";
      };
      assertThat(value).as(key).doesNotContain(BD.substring(1)).doesNotContain(BD.substring(4));
    }
  }

  @Test
  void aRedisThatLostItsScriptsStillTakesTheTurnAndARetryGetsTheSameTwiml() throws Exception {
    TestCall call = hotline.call(BD);
    call.dial();
    check.sync().scriptFlush();
    String url = call.action("Gather");
    var f = call.fields("in-progress");
    f.put("Digits", "1");
    Twiml first = call.send(url, f);
    assertThat(first.heard().get(0)).isEqualTo("[bn-IN] " + hotline.bundle.catalog("bn").text("report.who"));
    assertThat(call.send(url, f).body()).isEqualTo(first.body());
  }

  @Test
  void withRedisHungTheCallerHearsTheEmergencyNumberInBengaliAndTheCallEndsWithin2Seconds() throws Exception {
    TestCall call = hotline.call(BD);
    call.dial();
    call.press("1");
    double timeouts = metrics.find("sathi.redis.errors").tag("kind", "timeout").counters().stream().mapToDouble(c -> c.count()).sum();
    redis.pause();
    try {
      Twiml t = call.press("2");
      assertThat(t.status()).isEqualTo(200);
      assertThat(t.millis()).as("answered within 2 s").isLessThan(2000);
      assertThat(t.heard()).containsExactly("[bn-IN] " + VoicePrompts.speakable(hotline.bundle.catalog("bn", "880").text("voice.fallback")));
      assertThat(t.text()).contains("9 9 9").doesNotContain("Exception");
      assertThat(t.first("Hangup")).isNotNull();
      TwimlRules.check(t.body());
      // A new call while Redis is down: the language comes from the calling code.
      Twiml fresh = hotline.call(BD).dial();
      assertThat(fresh.millis()).isLessThan(2000);
      assertThat(fresh.heard().get(0)).startsWith("[bn-IN] দুঃখিত");
      // Counted as timeouts (not errors): enough of them in a row and the dead connection is dropped.
      assertThat(metrics.find("sathi.redis.errors").tag("kind", "timeout").counters().stream().mapToDouble(c -> c.count()).sum())
          .isGreaterThan(timeouts);
    } finally {
      redis.resume();
    }
  }
}
