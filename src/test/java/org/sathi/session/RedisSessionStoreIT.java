package org.sathi.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sathi.testing.TestRedis;

@Tag("integration")
class RedisSessionStoreIT extends SessionStoreContract {
  static TestRedis redis;
  static Vertx vertx;
  static StatefulRedisConnection<String, String> check;
  RedisSessionStore store;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = TestRedis.start();
    vertx = redis.vertx;
    check = redis.check;
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void fresh() {
    redis.flush();
    store = new RedisSessionStore(redis.connection, SHORT, CODEC);
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
