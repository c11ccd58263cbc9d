package org.sathi.duty;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.sathi.session.RedisConnection;
import org.sathi.testing.RedisServerProcess;

@Tag("integration")
class RedisDutyInboxIT extends DutyInboxContract {
  static RedisServerProcess redis;
  static Vertx vertx;
  static RedisConnection connection;
  static StatefulRedisConnection<String, String> check;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServerProcess.start();
    vertx = Vertx.vertx();
    connection = new RedisConnection(vertx, new RedisConnection.Settings(redis.url(), Duration.ofMillis(700), 1000), new SimpleMeterRegistry());
    connection.start().await(10, TimeUnit.SECONDS);
    check = redis.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    check.close();
    connection.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  @BeforeEach
  void empty() {
    check.sync().flushall();
  }

  @Override
  DutyInbox inbox() {
    return new RedisDutyInbox(connection);
  }

  @Override
  void write(String event) {
    check.sync().xadd(RedisDutyInbox.STREAM, Map.of("event", event));
  }

  @Override
  void elapse(Duration d) throws Exception {
    Thread.sleep(d.toMillis());
  }

  @Override
  long deadLetters() {
    return check.sync().xlen(RedisDutyInbox.DEAD);
  }
}
