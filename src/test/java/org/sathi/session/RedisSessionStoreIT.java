package org.sathi.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sathi.testing.RedisServerProcess;

@Tag("integration")
class RedisSessionStoreIT extends SessionStoreContract {
  static RedisServerProcess redis;
  static Vertx vertx;
  static StatefulRedisConnection<String, String> check;
  RedisSessionStore store;
  RedisConnection connection;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServerProcess.start();
    vertx = Vertx.vertx();
    check = redis.connect();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    check.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  @BeforeEach
  void fresh() throws Exception {
    check.sync().flushall();
    connection = new RedisConnection(vertx, new RedisConnection.Settings(redis.url(), Duration.ofMillis(700), 1000), new SimpleMeterRegistry());
    connection.start().await(10, TimeUnit.SECONDS);
    store = new RedisSessionStore(connection, SHORT, CODEC);
  }

  @AfterEach
  void close() throws Exception {
    connection.close().await(10, TimeUnit.SECONDS);
  }

  @Override
  SessionStore store() {
    return store;
  }

  @Override
  void elapse(Duration d) throws Exception {
    Thread.sleep(d.toMillis());
  }

  @Override
  List<String> storedEvents() {
    return check.sync().xrange(RedisSessionStore.EVENTS_STREAM, Range.create("-", "+")).stream()
        .map(StreamMessage::getBody).map(b -> b.get("event")).toList();
  }

  @Override
  java.time.Instant now() {
    return java.time.Instant.now();
  }

  @Override
  String everythingKept() {
    StringBuilder all = new StringBuilder();
    for (String key : check.sync().keys("*")) {
      all.append(key).append('=').append(switch (check.sync().type(key)) {
        case "string" -> check.sync().get(key);
        case "hash" -> check.sync().hgetall(key).toString();
        default -> storedEvents().toString();
      }).append('\n');
    }
    return all.toString();
  }

  @Test
  void resultsComeBackOnTheCallersVertxContext() throws Throwable {
    VertxTestContext test = new VertxTestContext();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> store.load("k-ctx", "SM1").onComplete(test.succeeding(loaded -> test.verify(() -> {
      assertThat(Vertx.currentContext()).isSameAs(context);
      test.completeNow();
    }))));
    assertThat(test.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    if (test.failed()) throw test.causeOfFailure();
  }

  @Test
  void keysCarryTheCallersHashTagAndExpire() {
    await(store.commit(commit("abc123", "SM1", 0, at("main.menu", "en"), "menu", List.of())));
    assertThat(check.sync().keys("*")).containsExactlyInAnyOrder("sathi:{abc123}:conv", "sathi:{abc123}:seen", "sathi:{abc123}:replies");
    for (String key : check.sync().keys("*")) assertThat(check.sync().pttl(key)).as(key).isPositive();
  }
}
