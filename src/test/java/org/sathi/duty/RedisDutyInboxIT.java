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
