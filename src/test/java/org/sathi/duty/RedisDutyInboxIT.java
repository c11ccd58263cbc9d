package org.sathi.duty;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.sathi.testing.TestRedis;

@Tag("integration")
class RedisDutyInboxIT extends DutyInboxContract {
  static TestRedis redis;

  @BeforeAll
  static void start() throws Exception {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
  }

  @BeforeEach
  void empty() {
    redis.flush();
  }

  @org.junit.jupiter.api.Test
  void consumersOfProcessesLongGoneAreForgottenButNotOnesHoldingEntries() throws Exception {
    DutyInbox in = inbox();
    await(in.prepare());
    write("{\"n\":1}");
    write("{\"n\":2}");
    write("{\"n\":3}");
    DutyInbox.Delivery done = await(in.next("gone-done", 1)).get(0);
    await(in.done(done.id()));
    await(in.next("gone-holding", 1)); // never done: its entry still needs reclaiming
    await(in.done(await(in.next("me", 1)).get(0).id())); // this process: idle too, holding nothing, but itself
    Thread.sleep(150);
    await(in.forgetIdleConsumers("me", Duration.ofMillis(100)));
    var names = redis.check.sync().xinfoConsumers(RedisDutyInbox.STREAM, RedisDutyInbox.GROUP).stream()
        .map(o -> String.valueOf(((java.util.List<?>) o).get(1))).toList();
    org.assertj.core.api.Assertions.assertThat(names).containsExactlyInAnyOrder("gone-holding", "me");
  }

  @Override
  DutyInbox inbox() {
    return new RedisDutyInbox(redis.connection);
  }

  @Override
  void write(String event) {
    redis.check.sync().xadd(RedisDutyInbox.STREAM, Map.of("event", event));
  }

  @Override
  void elapse(Duration d) throws Exception {
    Thread.sleep(d.toMillis());
  }

  @Override
  java.time.Instant now() {
    return java.time.Instant.now();
  }

  @Override
  long deadLetters() {
    return redis.check.sync().xlen(RedisDutyInbox.DEAD);
  }
}
