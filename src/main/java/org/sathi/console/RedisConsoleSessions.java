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
import org.sathi.redis.RedisConnection;

/**
 * Console sessions in Redis, shared by every Sathi instance: {@code sathi:console:session:{ID}}, a
 * hash of officer, CSRF token, created and last-seen times (ms). {@code ID} is the SHA-256 of the
 * cookie value, so a copy of Redis (a backup, a replica) does not hand out live sessions. Timeouts are
 * checked against the injected clock inside one script; the key's TTL only clears abandoned sessions.
 *
 * <p>Each officer's sessions are also listed in the set {@code sathi:console:sessions:{NAME}} (of
 * session keys), so that {@link #endAll} deletes them in one script. Create, end and an expiry seen
 * by touch or peek keep it up to date; a member whose session is already gone is harmless, and is
 * dropped at the officer's next login. The set lives as long as the longest a session can.
 *
 * <p>Login attempts are a sorted set per account name, {@code sathi:console:failures:{NAME}}, and
 * per address, {@code sathi:console:address-failures:{DIGEST}} ({@link ConsoleSessions#addressDigest},
 * never the address), each expiring with the window.
 */
public final class RedisConsoleSessions implements ConsoleSessions {
  static final String SESSION_PREFIX = "sathi:console:session:{";
  static final String INDEX_PREFIX = "sathi:console:sessions:{";

  /** KEYS: session, the officer's index. ARGV: officer, csrf, now ms, ttl ms, index ttl ms. */
  static final String CREATE = """
      redis.call('HSET', KEYS[1], 'officer', ARGV[1], 'csrf', ARGV[2], 'created', ARGV[3], 'seen', ARGV[3])
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      for _, member in ipairs(redis.call('SMEMBERS', KEYS[2])) do
        if redis.call('EXISTS', member) == 0 then redis.call('SREM', KEYS[2], member) end
      end
      redis.call('SADD', KEYS[2], KEYS[1])
      if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
      return 1
      """;

  /**
   * KEYS: session. ARGV: now ms, idle ms, absolute ms, '1' to mark it used now (touch) or '0' (peek),
   * index prefix. Returns {officer, csrf, created, seen} or {} when gone.
   */
  static final String LOOK_UP = """
      local s = redis.call('HMGET', KEYS[1], 'officer', 'csrf', 'created', 'seen')
      if not s[1] or not s[2] or not s[3] or not s[4] then return {} end
      local index = ARGV[5] .. s[1] .. '}'
      local now = tonumber(ARGV[1])
      local idleLeft = tonumber(s[4]) + tonumber(ARGV[2]) - now
      local absoluteLeft = tonumber(s[3]) + tonumber(ARGV[3]) - now
      if idleLeft <= 0 or absoluteLeft <= 0 then
        redis.call('DEL', KEYS[1])
        redis.call('SREM', index, KEYS[1])
        return {}
      end
      if ARGV[4] == '1' then
        redis.call('HSET', KEYS[1], 'seen', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[2]), absoluteLeft))
        s[4] = ARGV[1]
      end
      -- A session opened before the index existed joins it at its next request.
      redis.call('SADD', index, KEYS[1])
      if redis.call('PTTL', index) < absoluteLeft then redis.call('PEXPIRE', index, absoluteLeft) end
      return {s[1], s[2], s[3], s[4]}
      """;

  /** KEYS: session. ARGV: index prefix. */
  static final String END = """
      local officer = redis.call('HGET', KEYS[1], 'officer')
      redis.call('DEL', KEYS[1])
      if officer then redis.call('SREM', ARGV[1] .. officer .. '}', KEYS[1]) end
      return 1
      """;

  /** KEYS: the officer's index. ARGV: session key prefix (nothing else is deleted). Returns how many were listed. */
  static final String END_ALL = """
      local members = redis.call('SMEMBERS', KEYS[1])
      for _, member in ipairs(members) do
        if string.sub(member, 1, #ARGV[1]) == ARGV[1] then redis.call('DEL', member) end
      end
      redis.call('DEL', KEYS[1])
      return #members
      """;

  /**
   * KEYS: the account's attempts, then (optionally) the address's. ARGV: now ms, window ms, max per
   * account, max per address, member. 1 admitted (and counted under every key), 0 refused (nothing counted).
   */
  static final String ADMIT = """
      local since = tonumber(ARGV[1]) - tonumber(ARGV[2])
      local limits = {tonumber(ARGV[3]), tonumber(ARGV[4])}
      for i, key in ipairs(KEYS) do
        redis.call('ZREMRANGEBYSCORE', key, '-inf', since)
        if redis.call('ZCARD', key) >= limits[i] then return 0 end
      end
      for _, key in ipairs(KEYS) do
        redis.call('ZADD', key, ARGV[1], ARGV[5])
        redis.call('PEXPIRE', key, ARGV[2])
      end
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
      return SESSION_PREFIX + HexFormat.of().formatHex(digest) + "}";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  static String indexKey(String officer) {
    return INDEX_PREFIX + officer + "}";
  }

  static String attemptsKey(String account) {
    return "sathi:console:failures:{" + account + "}";
  }

  static String addressAttemptsKey(String address) {
    return "sathi:console:address-failures:{" + ConsoleSessions.addressDigest(address) + "}";
  }

  @Override
  public Future<ConsoleSession> create(String officer) {
    Instant now = clock.instant();
    ConsoleSession session = new ConsoleSession(ConsoleSessions.newToken(), officer, ConsoleSessions.newToken(), now, now);
    long ttl = Math.min(settings.idleTimeout().toMillis(), settings.absoluteTimeout().toMillis());
    return redis.<Long>call("console", c -> c.async().eval(CREATE, ScriptOutputType.INTEGER, new String[] {key(session.id()), indexKey(officer)},
        officer, session.csrfToken(), String.valueOf(now.toEpochMilli()), String.valueOf(ttl),
        String.valueOf(settings.absoluteTimeout().toMillis()))).map(session);
  }

  @Override
  public Future<Optional<ConsoleSession>> touch(String id) {
    return lookUp(id, true);
  }

  @Override
  public Future<Optional<ConsoleSession>> peek(String id) {
    return lookUp(id, false);
  }

  private Future<Optional<ConsoleSession>> lookUp(String id, boolean markUsed) {
    if (!ConsoleSessions.wellFormed(id)) return Future.succeededFuture(Optional.empty());
    Instant now = clock.instant();
    return redis.<List<Object>>call("console", c -> c.async().eval(LOOK_UP, ScriptOutputType.MULTI, new String[] {key(id)},
            String.valueOf(now.toEpochMilli()), String.valueOf(settings.idleTimeout().toMillis()),
            String.valueOf(settings.absoluteTimeout().toMillis()), markUsed ? "1" : "0", INDEX_PREFIX))
        .map(found -> found.isEmpty() ? Optional.<ConsoleSession>empty()
            : Optional.of(new ConsoleSession(id, (String) found.get(0), (String) found.get(1),
                Instant.ofEpochMilli(Long.parseLong((String) found.get(2))), markUsed ? now : Instant.ofEpochMilli(Long.parseLong((String) found.get(3))))));
  }

  @Override
  public Future<Void> end(String id) {
    if (!ConsoleSessions.wellFormed(id)) return Future.succeededFuture();
    return redis.<Long>call("console", c -> c.async().eval(END, ScriptOutputType.INTEGER, new String[] {key(id)}, INDEX_PREFIX)).mapEmpty();
  }

  @Override
  public Future<Void> endAll(String officer) {
    if (officer == null || !Officer.NAME.matcher(officer).matches()) return Future.succeededFuture();
    return redis.<Long>call("console", c -> c.async().eval(END_ALL, ScriptOutputType.INTEGER, new String[] {indexKey(officer)}, SESSION_PREFIX))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> admitLogin(String account, String address) {
    Instant now = clock.instant();
    String[] keys = address == null ? new String[] {attemptsKey(account)} : new String[] {attemptsKey(account), addressAttemptsKey(address)};
    return redis.<Long>call("console", c -> c.async().eval(ADMIT, ScriptOutputType.INTEGER, keys,
            String.valueOf(now.toEpochMilli()), String.valueOf(settings.failureWindow().toMillis()),
            String.valueOf(settings.maxLoginFailures()), String.valueOf(settings.maxAddressFailures()),
            now.toEpochMilli() + ":" + ConsoleSessions.newToken()))
        .map(n -> n == 1L);
  }

  @Override
  public Future<Void> loginSucceeded(String account, String address) {
    Future<Long> forgotten = redis.<Long>call("console", c -> c.async().del(attemptsKey(account)));
    if (address == null) return forgotten.mapEmpty();
    // One attempt fewer for the address: the latest (this login's, or a concurrent one's: the count is the same).
    return forgotten.compose(n -> redis.<io.lettuce.core.ScoredValue<String>>call("console", c -> c.async().zpopmax(addressAttemptsKey(address)))).mapEmpty();
  }
}
