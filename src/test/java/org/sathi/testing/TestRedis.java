package org.sathi.testing;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.sathi.redis.RedisConnection;

/** A private redis-server with a Vert.x, Sathi's shared connection to it, and a plain connection for the test's own checks. */
public final class TestRedis implements AutoCloseable {
  public final RedisServerProcess server;
  public final Vertx vertx;
  public final RedisConnection connection;
  public final StatefulRedisConnection<String, String> check;

  private TestRedis(RedisServerProcess server, Vertx vertx, RedisConnection connection, StatefulRedisConnection<String, String> check) {
    this.server = server;
    this.vertx = vertx;
    this.connection = connection;
    this.check = check;
  }

  public static TestRedis start() throws Exception {
    RedisServerProcess server = RedisServerProcess.start();
    Vertx vertx = Vertx.vertx();
    RedisConnection connection = new RedisConnection(vertx, new RedisConnection.Settings(server.url(), Duration.ofMillis(700), 1000),
        new SimpleMeterRegistry());
    connection.start().await(10, TimeUnit.SECONDS);
    return new TestRedis(server, vertx, connection, server.connect());
  }

  public void flush() {
    check.sync().flushall();
  }

  @Override
  public void close() throws Exception {
    check.close();
    connection.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    server.close();
  }
}
