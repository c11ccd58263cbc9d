package org.sathi.console;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sathi.redis.RedisConnection;

/**
 * The audit log as the Redis stream {@code sathi:audit}, shared by every instance: one entry per
 * action with fields {@code at}, {@code officer}, {@code action}, {@code reference} ('' for none)
 * and {@code outcome}. Only ever appended to; it is not trimmed here (retention is the operator's).
 */
public final class RedisAudit implements Audit {
  public static final String STREAM = "sathi:audit";

  private final RedisConnection redis;

  public RedisAudit(RedisConnection redis) {
    this.redis = redis;
  }

  @Override
  public Future<Void> append(AuditEntry e) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("at", e.at().toString());
    body.put("officer", e.officer());
    body.put("action", e.action());
    body.put("reference", e.reference() == null ? "" : e.reference());
    body.put("outcome", e.outcome());
    return redis.<String>call("console", c -> c.async().xadd(STREAM, body)).mapEmpty();
  }

  @Override
  public Future<List<AuditEntry>> latest(int limit) {
    return redis.<List<StreamMessage<String, String>>>call("console",
            c -> c.async().xrevrange(STREAM, Range.create("-", "+"), Limit.from(limit)))
        .map(messages -> messages.stream().map(m -> {
          Map<String, String> b = m.getBody();
          String ref = b.getOrDefault("reference", "");
          return new AuditEntry(Instant.parse(b.get("at")), b.get("officer"), b.get("action"), ref.isEmpty() ? null : ref, b.get("outcome"));
        }).toList());
  }
}
