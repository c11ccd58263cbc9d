package org.sathi.console;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sathi.redis.RedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts in Redis on the shared connection: one hash per officer, {@code sathi:officer:{NAME}},
 * with {@code role}, {@code password} (the stored form from {@link Passwords}, never the password)
 * and {@code disabled}. Accounts do not expire.
 */
public final class RedisOfficerAccounts implements OfficerAccounts {
  /** KEYS: account. ARGV: role, password hash. */
  static final String ADD = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('HSET', KEYS[1], 'role', ARGV[1], 'password', ARGV[2], 'disabled', '0')
      return 1
      """;

  /** KEYS: account. */
  static final String DISABLE = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      redis.call('HSET', KEYS[1], 'disabled', '1')
      return 1
      """;

  /** KEYS: account. ARGV: new password hash. */
  static final String RESET = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      redis.call('HSET', KEYS[1], 'password', ARGV[1])
      return 1
      """;

  /** KEYS: account. ARGV: the hash that was checked, the fresh one. Only over the same hash: a reset in between wins. */
  static final String REHASH = """
      if redis.call('HGET', KEYS[1], 'password') ~= ARGV[1] then return 0 end
      redis.call('HSET', KEYS[1], 'password', ARGV[2])
      return 1
      """;

  private static final Logger LOG = LoggerFactory.getLogger(RedisOfficerAccounts.class);
  private final RedisConnection redis;
  private final Passwords passwords;

  public RedisOfficerAccounts(RedisConnection redis, Passwords passwords) {
    this.redis = redis;
    this.passwords = passwords;
  }

  static String key(String name) {
    return "sathi:officer:{" + name + "}";
  }

  @Override
  public Future<Boolean> add(String name, Officer.Role role, String password) {
    Future<Boolean> refused = OfficerAccounts.refuse(name, role, password);
    if (refused != null) return refused;
    return passwords.hash(password).compose(hash -> redis.<Long>call("console",
        c -> c.async().eval(ADD, ScriptOutputType.INTEGER, new String[] {key(name)}, role.wire(), hash))).map(n -> n == 1L);
  }

  @Override
  public Future<Optional<Officer>> verify(String name, String password) {
    if (name == null || !Officer.NAME.matcher(name).matches()) {
      return passwords.matches(password, null).map(Optional.empty());
    }
    return redis.<Map<String, String>>call("console", c -> c.async().hgetall(key(name))).compose(account -> {
      String hash = account.get("password");
      return passwords.matches(password, hash).compose(ok -> {
        Optional<Officer> officer = ok ? enabled(name, account) : Optional.empty();
        return officer.isPresent() && passwords.needsRehash(hash) ? rehash(name, password, hash).map(officer) : Future.succeededFuture(officer);
      });
    });
  }

  /** Stores a fresh hash over the one that just matched; a failure is logged, and the login still stands. */
  private Future<Void> rehash(String name, String password, String old) {
    return passwords.hash(password)
        .compose(fresh -> redis.<Long>call("console", c -> c.async().eval(REHASH, ScriptOutputType.INTEGER, new String[] {key(name)}, old, fresh)))
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("Officer {} logged in, but their password hash could not be upgraded to the current Argon2id cost ({}); it will be tried again at their next login.",
              name, e.toString());
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<Optional<Officer>> find(String name) {
    if (name == null || !Officer.NAME.matcher(name).matches()) return Future.succeededFuture(Optional.empty());
    return redis.<List<io.lettuce.core.KeyValue<String, String>>>call("console", c -> c.async().hmget(key(name), "role", "disabled"))
        .map(values -> {
          Map<String, String> account = new java.util.HashMap<>();
          values.forEach(kv -> {
            if (kv.hasValue()) account.put(kv.getKey(), kv.getValue());
          });
          return enabled(name, account);
        });
  }

  private static Optional<Officer> enabled(String name, Map<String, String> account) {
    Officer.Role role = Officer.Role.parse(account.get("role"));
    if (role == null || !"0".equals(account.get("disabled"))) return Optional.empty();
    return Optional.of(new Officer(name, role));
  }

  @Override
  public Future<Boolean> disable(String name) {
    if (name == null || !Officer.NAME.matcher(name).matches()) return Future.succeededFuture(false);
    return redis.<Long>call("console", c -> c.async().eval(DISABLE, ScriptOutputType.INTEGER, new String[] {key(name)})).map(n -> n == 1L);
  }

  @Override
  public Future<Boolean> resetPassword(String name, String password) {
    Future<Boolean> refused = OfficerAccounts.refusePassword(password);
    if (refused != null) return refused;
    if (name == null || !Officer.NAME.matcher(name).matches()) return Future.succeededFuture(false);
    return passwords.hash(password).compose(hash -> redis.<Long>call("console",
        c -> c.async().eval(RESET, ScriptOutputType.INTEGER, new String[] {key(name)}, hash))).map(n -> n == 1L);
  }
}
