package org.sathi.session;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import org.sathi.redis.RedisConnection;

/**
 * Whether the store can lose a write it has acknowledged. A reporter is given a reference code only
 * after the report is written; if Redis would then lose it in a crash, that promise is false, so
 * readiness fails until Redis is set up to keep it (or the operator accepts the risk in config).
 */
public interface Durability {

  /** Empty when acknowledged writes survive a crash; otherwise what is wrong and how to fix it. */
  Future<Optional<String>> risk();

  /** The in-memory stores of the demo: nothing survives a restart, and the demo says so. */
  static Durability none() {
    return () -> Future.succeededFuture(Optional.empty());
  }

  /** Redis settings that lose acknowledged writes: no AOF, an AOF not synced on every write, or one that skips fsync while rewriting. */
  static Durability redis(RedisConnection redis, boolean acceptDataLoss) {
    if (acceptDataLoss) return none();
    return () -> redis.<Map<String, String>>call("health", c -> c.async().configGet("appendonly", "appendfsync", "no-appendfsync-on-rewrite"))
        .map(settings -> assess(settings, redis.where()))
        .recover(err -> redis.<String>call("health", c -> c.async().info("persistence"))
            .map(info -> info.contains("aof_enabled:1") ? Optional.<String>empty()
                : Optional.of(assess(Map.of("appendonly", "no"), redis.where()).orElseThrow())));
  }

  static Optional<String> assess(Map<String, String> settings, String where) {
    if (!"yes".equals(settings.get("appendonly"))) {
      return Optional.of("Redis at " + where + " has appendonly no: a crash would lose reports whose reference codes were already given."
          + " Set appendonly yes in redis.conf (CONFIG SET appendonly yes), or set redis.acceptDataLoss: true in config/sathi.yaml to accept the risk.");
    }
    if (settings.containsKey("appendfsync") && !"always".equals(settings.get("appendfsync"))) {
      // With everysec Redis may answer before it has even written the AOF while an fsync is slow, so a
      // crash of the Redis process alone can lose up to two seconds of acknowledged reports.
      return Optional.of("Redis at " + where + " has appendfsync " + settings.get("appendfsync") + ": a crash can lose the last seconds of"
          + " reports whose reference codes were already given. Set appendfsync always, or set redis.acceptDataLoss: true in"
          + " config/sathi.yaml to accept the risk.");
    }
    if ("yes".equals(settings.get("no-appendfsync-on-rewrite"))) {
      return Optional.of("Redis at " + where + " has no-appendfsync-on-rewrite yes: writes acknowledged during an AOF rewrite can be lost."
          + " Set no-appendfsync-on-rewrite no, or set redis.acceptDataLoss: true in config/sathi.yaml to accept the risk.");
    }
    return Optional.empty();
  }
}
