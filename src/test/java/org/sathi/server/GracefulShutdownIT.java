package org.sathi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.redis.RedisConnection;
import org.sathi.report.ReferenceCode;
import org.sathi.session.RedisSessionStore;
import org.sathi.testing.RedisServerProcess;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/** Stopping the server lets a webhook that is in the middle of its turn finish and answer. */
@Tag("integration")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulShutdownIT {

  @Test
  void anInFlightWebhookIsAnsweredWhileTheServerStops() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      Vertx vertx = Vertx.vertx();
      var metrics = TestHotline.newMetrics();
      Config config = TestHotline.config().withRedisUrl(redis.url());
      RedisConnection connection = new RedisConnection(vertx, config.redis().settings(), metrics);
      connection.start().await(10, TimeUnit.SECONDS);
      RedisSessionStore store = new RedisSessionStore(connection, config.session().times(), TestHotline.codec());
      TestHotline hotline = TestHotline.deploy(vertx, TestHotline.redis(connection, store, new org.sathi.duty.LogPager()), metrics, ReferenceCode::next);
      TestPhone phone = hotline.phone("+8801719283746");
      phone.text("hello");

      redis.pause(); // the next turn now takes its full Redis timeout: it is in flight when we stop
      CompletableFuture<TestPhone.Reply> inFlight = CompletableFuture.supplyAsync(() -> {
        try {
          return phone.send("1", TestPhone.newMessageSid());
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      Thread.sleep(200);
      vertx.undeploy(vertx.deploymentIDs().iterator().next()).await(30, TimeUnit.SECONDS);
      TestPhone.Reply reply = inFlight.get(10, TimeUnit.SECONDS);
      redis.resume();

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.text()).isEqualTo(hotline.bundle.catalog("bn", "880").text("common.fallback"));
      assertThatThrownBy(() -> phone.text("1")).as("a stopped server takes no new webhooks").isInstanceOf(java.io.IOException.class);
      connection.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
