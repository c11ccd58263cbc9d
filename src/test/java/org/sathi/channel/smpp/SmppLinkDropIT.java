package org.sathi.channel.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sathi.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.duty.LogPager;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Config;
import org.sathi.redis.RedisConnection;
import org.sathi.session.RedisSessionStore;
import org.sathi.testing.RedisServerProcess;
import org.sathi.testing.SmppPhone;
import org.sathi.testing.TestHotline;
import org.slf4j.LoggerFactory;

/**
 * Nothing lost when the SMSC link drops after a text got its {@code deliver_sm_resp} and before its
 * reply was taken by the SMSC: the reply waits (in its submit, or in the channel's outbox on Redis,
 * as in {@code serve}) and reaches the caller once the link is back, once; the report is filed once.
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmppLinkDropIT {
  static final Pattern CODE = Pattern.compile("[A-Z0-9]{4}-[A-Z0-9]{4}");
  static final List<String> REPORT = List.of("hello", "1", "2", "1", "2", "14", "2", "4", "Jessore", "Taken to work at night", "2"); // 4: Khulna division
  static final String LAST = REPORT.get(REPORT.size() - 1);
  static final String OUTBOX = "sathi:outbox:" + SmppPhone.CHANNEL;

  RedisServerProcess redis;
  StatefulRedisConnection<String, String> check;
  Vertx vertx;
  SimulatedSmsc smsc;
  SmppPhone phone;
  ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void start() throws Exception {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    redis = RedisServerProcess.start();
    check = redis.connect();
    smsc = new SimulatedSmsc(0, SmppPhone.SYSTEM_ID, SmppPhone.PASSWORD);
    vertx = Vertx.vertx();
    var metrics = TestHotline.newMetrics();
    Config config = TestHotline.config().withRedisUrl(redis.url()).withChannels(List.of(SmppPhone.channel(smsc.port(), List.of("880"))));
    RedisConnection connection = new RedisConnection(vertx, config.redis().settings(), metrics);
    connection.start().await(10, TimeUnit.SECONDS);
    var store = new RedisSessionStore(connection, config.session().times(), TestHotline.codec());
    TestHotline.deploy(vertx, TestHotline.redis(connection, store, new LogPager()), metrics, ReferenceCode::next, Clock.systemUTC(), config);
    SmppPhone.awaitBind(smsc, Duration.ofSeconds(10));
    phone = new SmppPhone(smsc, Duration.ofSeconds(45));
  }

  @AfterEach
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    vertx.close().await(10, TimeUnit.SECONDS);
    smsc.close();
    check.close();
    redis.close();
  }

  /** The link drops as Sathi submits the reply: the submit is never answered, and the reply goes again on the next bind. */
  @Test
  void aReplyCutOffByTheDropReachesTheCallerOnceTheLinkIsBack() throws Exception {
    String from = "+8801711000051";
    int before = walkToTheLastAnswer(from);
    int refused = smsc.bindsRefused();
    smsc.refuseBinds(0x08); // for a while after the drop
    smsc.dropAtNextSubmitTo(from);
    assertThat(smsc.deliver(from, SmppPhone.SHORT_CODE, LAST)).as("the last answer got deliver_sm_resp 0").isZero();
    awaitTrue(() -> !smsc.bound() && smsc.bindsRefused() > refused, "the link is down and Sathi's bind is refused");
    assertThat(smsc.sentTo(from)).as("nothing reached the phone while the link was down").hasSize(before);

    smsc.refuseBinds(0);
    answeredOnceWithOneReport(from, before);
  }

  /** The SMSC refuses the reply's submits (throttled) so that it waits in the outbox; then the link drops, and binds are refused for a while. */
  @Test
  void aReplyWaitingInTheOutboxWhenTheLinkDropsReachesTheCallerOnceTheLinkIsBack() throws Exception {
    String from = "+8801711000052";
    int before = walkToTheLastAnswer(from);
    smsc.throttleNext(Integer.MAX_VALUE);
    assertThat(smsc.deliver(from, SmppPhone.SHORT_CODE, LAST)).as("the last answer got deliver_sm_resp 0").isZero();
    awaitTrue(() -> logs.list.stream().anyMatch(e -> e.getLoggerName().endsWith("OutboxSender") && e.getFormattedMessage().contains("was not sent")),
        "the reply was not taken and waits in the outbox");
    int refused = smsc.bindsRefused();
    smsc.refuseBinds(0x08);
    smsc.dropConnections();
    awaitTrue(() -> !smsc.bound() && smsc.bindsRefused() > refused, "the link is down and Sathi's bind is refused");
    assertThat(smsc.sentTo(from)).as("nothing reached the phone while the link was down").hasSize(before);

    smsc.throttleNext(0);
    smsc.refuseBinds(0);
    answeredOnceWithOneReport(from, before);
  }

  /** Walks the report up to its last answer; how many messages the phone has then. */
  int walkToTheLastAnswer(String from) throws Exception {
    for (String text : REPORT.subList(0, REPORT.size() - 1)) phone.text(from, text);
    return smsc.sentTo(from).size();
  }

  /** The reply to the last answer reached the phone, once, with the reference code; the report is filed once. */
  void answeredOnceWithOneReport(String from, int before) throws Exception {
    String reply = phone.awaitReplies(from, before, 1).get(0);
    Matcher code = CODE.matcher(reply);
    assertThat(code.find()).as("once the link is back, the reply gives the reference code: %s", reply).isTrue();
    awaitTrue(() -> check.sync().xlen(OUTBOX) == 0, "the outbox has nothing more to send");
    assertThat(smsc.sentTo(from)).as("the reply reached the phone once").hasSize(before + 1);
    awaitTrue(() -> !filedReports().isEmpty(), "the report is filed");
    assertThat(filedReports()).as("one report, not two").containsExactly(code.group());
  }

  Set<String> filedReports() {
    return org.sathi.testing.TestRedis.filedReports(check);
  }

  static void awaitTrue(Await.Check check, String what) throws Exception {
    Await.until(Duration.ofSeconds(30), what, check);
  }
}
