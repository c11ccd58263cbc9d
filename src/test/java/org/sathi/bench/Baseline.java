package org.sathi.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * The practical limit of a webhook turn on this machine: a minimal Vert.x endpoint that does the
 * same Redis round trips as one of Sathi's turns (a GET, then a SET with a TTL) through one shared
 * Lettuce connection, and answers, with no flow logic, no signature check and no TwiML.
 * {@code java ... org.sathi.bench.Baseline PORT REDIS_URL}.
 */
public final class Baseline {
  private Baseline() {}

  /** About what a turn stores: a sealed conversation. */
  static final String VALUE = "x".repeat(600);

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    StatefulRedisConnection<String, String> redis = RedisClient.create(args[1]).connect();
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer().requestHandler(req -> turn(vertx, redis, req)).listen(port).await();
    System.out.println("baseline listening on " + port);
  }

  private static void turn(Vertx vertx, StatefulRedisConnection<String, String> redis, HttpServerRequest req) {
    if (!req.path().equals("/turn")) {
      req.response().setStatusCode(404).end();
      return;
    }
    var context = vertx.getOrCreateContext();
    req.body().compose(body -> {
      String key = "baseline:{" + req.getParam("k") + "}:conv";
      return Future.fromCompletionStage(redis.async().get(key), context)
          .compose(v -> Future.fromCompletionStage(redis.async().set(key, VALUE, SetArgs.Builder.px(86_400_000)), context));
    }).onComplete(ar -> {
      if (ar.succeeded()) req.response().putHeader("Content-Type", "application/xml").end("<Response/>");
      else req.response().setStatusCode(500).end();
    });
  }
}
