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

  /** The reference codes of the reports kept in Redis, read key by key. */
  public static java.util.Set<String> filedReports(StatefulRedisConnection<String, String> check) {
    java.util.Set<String> refs = new java.util.HashSet<>();
    io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
    do {
      var page = check.sync().scan(cursor, io.lettuce.core.ScanArgs.Builder.matches("sathi:report:{*}").limit(1000));
      for (String key : page.getKeys()) refs.add(key.substring("sathi:report:{".length(), key.length() - 1));
      cursor = page;
    } while (!cursor.isFinished());
    return refs;
  }

  /**
   * Every key with its type's contents, for before/after comparisons and privacy scans. An empty
   * stream is the duty desk's consumer group waiting for entries, not state of a caller: left out.
   */
  public static java.util.Map<String, String> contents(StatefulRedisConnection<String, String> check) {
    var redis = check.sync();
    java.util.Map<String, String> all = new java.util.TreeMap<>();
    for (String key : redis.keys("*")) {
      String type = redis.type(key);
      String value = switch (type) {
        case "string" -> redis.get(key);
        case "hash" -> new java.util.TreeMap<>(redis.hgetall(key)).toString();
        case "stream" -> redis.xrange(key, io.lettuce.core.Range.create("-", "+")).stream().map(m -> m.getBody().toString()).toList().toString();
        case "list" -> redis.lrange(key, 0, -1).toString();
        case "zset" -> redis.zrange(key, 0, -1).toString();
        case "set" -> new java.util.TreeMap<>(java.util.Map.of("members", redis.smembers(key).toString())).toString();
        default -> type;
      };
      if (!(type.equals("stream") && value.equals("[]"))) all.put(key, value);
    }
    return all;
  }
}
