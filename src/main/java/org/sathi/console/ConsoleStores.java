package org.sathi.console;

import java.time.Clock;
import org.sathi.redis.RedisConnection;

/** What the console keeps: accounts, sessions (with the login throttle) and the audit log, in memory or in Redis. */
public record ConsoleStores(OfficerAccounts accounts, ConsoleSessions sessions, Audit audit) {

  /** In memory, for {@code demo}: nothing survives a restart. */
  public static ConsoleStores memory(Clock clock) {
    return new ConsoleStores(new MemoryOfficerAccounts(new Passwords()), new MemoryConsoleSessions(clock), new MemoryAudit());
  }

  /** On the shared Redis connection, for {@code serve}: shared by every instance. */
  public static ConsoleStores redis(RedisConnection redis, Clock clock) {
    return new ConsoleStores(new RedisOfficerAccounts(redis, new Passwords()), new RedisConsoleSessions(redis, clock), new RedisAudit(redis));
  }
}
