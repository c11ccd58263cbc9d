package org.sathi.console;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.sathi.session.RedisConnection;

/**
 * Console sessions in Redis, shared by every Sathi instance: {@code sathi:console:session:{ID}}, a
 * hash of officer, CSRF token, created and last-seen times (ms). {@code ID} is the SHA-256 of the
 * cookie value, so a copy of Redis (a backup, a replica) does not hand out live sessions. Timeouts are
 * checked against the injected clock inside one script; the key's TTL only clears abandoned sessions.
 * Login attempts are a sorted set per account name, {@code sathi:console:failures:{NAME}}.
 */
public final class RedisConsoleSessions implements ConsoleSessions {
  /** KEYS: session. ARGV: officer, csrf, now ms, ttl ms. */
  static final String CREATE = """
      redis.call('HSET', KEYS[1], 'officer', ARGV[1], 'csrf', ARGV[2], 'created', ARGV[3], 'seen', ARGV[3])
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      return 1
      """;

  /** KEYS: session. ARGV: now ms, idle ms, absolute ms. Returns {officer, csrf, created} or {} when gone. */
  static final String TOUCH = """
      local s = redis.call('HMGET', KEYS[1], 'officer', 'csrf', 'created', 'seen')
      if not s[1] or not s[2] or not s[3] or not s[4] then return {} end
      local now = tonumber(ARGV[1])
      local idleLeft = tonumber(s[4]) + tonumber(ARGV[2]) - now
      local absoluteLeft = tonumber(s[3]) + tonumber(ARGV[3]) - now
      if idleLeft <= 0 or absoluteLeft <= 0 then
        redis.call('DEL', KEYS[1])
        return {}
      end
      redis.call('HSET', KEYS[1], 'seen', ARGV[1])
      redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[2]), absoluteLeft))
      return {s[1], s[2], s[3]}
      """;

  /** KEYS: attempts. ARGV: now ms, window ms, max, member. 1 admitted (and counted), 0 refused. */
  static final String ADMIT = """
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
      if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
      redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return 1
      """;

  private final RedisConnection redis;
  private final Clock clock;
  private final Settings settings;

  public RedisConsoleSessions(RedisConnection redis, Clock clock) {
    this(redis, clock, Settings.defaults());
  }

  public RedisConsoleSessions(RedisConnection redis, Clock clock, Settings settings) {
    this.redis = redis;
    this.clock = clock;
    this.settings = settings;
  }

  static String key(String id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
      return "sathi:console:session:{" + HexFormat.of().formatHex(digest) + "}";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  static String attemptsKey(String account) {
    return "sathi:console:failures:{" + account + "}";
  }

  @Override
  public Future<ConsoleSession> create(String officer) {
    Instant now = clock.instant();
    ConsoleSession session = new ConsoleSession(ConsoleSessions.newToken(), officer, ConsoleSessions.newToken(), now, now);
    long ttl = Math.min(settings.idleTimeout().toMillis(), settings.absoluteTimeout().toMillis());
    return redis.<Long>call("console", c -> c.async().eval(CREATE, ScriptOutputType.INTEGER, new String[] {key(session.id())},
        officer, session.csrfToken(), String.valueOf(now.toEpochMilli()), String.valueOf(ttl))).map(session);
  }

  @Override
  public Future<Optional<ConsoleSession>> touch(String id) {
    if (!ConsoleSessions.wellFormed(id)) return Future.succeededFuture(Optional.empty());
    Instant now = clock.instant();
    return redis.<List<Object>>call("console", c -> c.async().eval(TOUCH, ScriptOutputType.MULTI, new String[] {key(id)},
            String.valueOf(now.toEpochMilli()), String.valueOf(settings.idleTimeout().toMillis()),
            String.valueOf(settings.absoluteTimeout().toMillis())))
        .map(found -> found.isEmpty() ? Optional.<ConsoleSession>empty()
            : Optional.of(new ConsoleSession(id, (String) found.get(0), (String) found.get(1),
                Instant.ofEpochMilli(Long.parseLong((String) found.get(2))), now)));
  }

  @Override
  public Future<Void> end(String id) {
    if (!ConsoleSessions.wellFormed(id)) return Future.succeededFuture();
    return redis.<Long>call("console", c -> c.async().del(key(id))).mapEmpty();
  }

  @Override
  public Future<Boolean> admitLogin(String account) {
    Instant now = clock.instant();
    return redis.<Long>call("console", c -> c.async().eval(ADMIT, ScriptOutputType.INTEGER, new String[] {attemptsKey(account)},
            String.valueOf(now.toEpochMilli()), String.valueOf(settings.failureWindow().toMillis()),
            String.valueOf(settings.maxLoginFailures()), now.toEpochMilli() + ":" + ConsoleSessions.newToken()))
        .map(n -> n == 1L);
  }

  @Override
  public Future<Void> loginSucceeded(String account) {
    return redis.<Long>call("console", c -> c.async().del(attemptsKey(account))).mapEmpty();
  }
}
