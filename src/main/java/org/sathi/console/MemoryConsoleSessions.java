package org.sathi.console;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Console sessions in memory, for {@code demo} and tests: the same contract as Redis, one process. */
public final class MemoryConsoleSessions implements ConsoleSessions {
  /** Names or addresses with no attempt left in the window are forgotten once this many are remembered. */
  static final int PRUNE_ABOVE = 10_000;
  private final Clock clock;
  private final Settings settings;
  private final Map<String, ConsoleSession> sessions = new HashMap<>();
  private final Map<String, Deque<Instant>> attempts = new HashMap<>();
  /** By {@link ConsoleSessions#addressDigest}, as in Redis. */
  private final Map<String, Deque<Instant>> addressAttempts = new HashMap<>();

  public MemoryConsoleSessions(Clock clock) {
    this(clock, Settings.defaults());
  }

  public MemoryConsoleSessions(Clock clock, Settings settings) {
    this.clock = clock;
    this.settings = settings;
  }

  @Override
  public synchronized Future<ConsoleSession> create(String officer) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> expired(s, now)); // nobody else would ever clear sessions that were simply abandoned
    ConsoleSession session = new ConsoleSession(ConsoleSessions.newToken(), officer, ConsoleSessions.newToken(), now, now);
    sessions.put(session.id(), session);
    return Future.succeededFuture(session);
  }

  @Override
  public synchronized Future<Optional<ConsoleSession>> touch(String id) {
    return Future.succeededFuture(live(id).map(s -> {
      ConsoleSession used = new ConsoleSession(s.id(), s.officer(), s.csrfToken(), s.createdAt(), clock.instant());
      sessions.put(s.id(), used);
      return used;
    }));
  }

  @Override
  public synchronized Future<Optional<ConsoleSession>> peek(String id) {
    return Future.succeededFuture(live(id));
  }

  /** The session unless it is unknown or timed out; a timed-out one is deleted. */
  private Optional<ConsoleSession> live(String id) {
    ConsoleSession s = id == null ? null : sessions.get(id);
    if (s == null) return Optional.empty();
    if (expired(s, clock.instant())) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  private boolean expired(ConsoleSession s, Instant now) {
    return !now.isBefore(s.lastSeen().plus(settings.idleTimeout())) || !now.isBefore(s.createdAt().plus(settings.absoluteTimeout()));
  }

  @Override
  public synchronized Future<Void> end(String id) {
    if (id != null) sessions.remove(id);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> endAll(String officer) {
    if (officer != null) sessions.values().removeIf(s -> s.officer().equals(officer));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> admitLogin(String account, String address) {
    Instant now = clock.instant();
    Instant windowStart = now.minus(settings.failureWindow());
    Deque<Instant> byAccount = recent(attempts, account, windowStart);
    Deque<Instant> byAddress = address == null ? null : recent(addressAttempts, ConsoleSessions.addressDigest(address), windowStart);
    if (byAccount.size() >= settings.maxLoginFailures() || (byAddress != null && byAddress.size() >= settings.maxAddressFailures())) {
      return Future.succeededFuture(false);
    }
    byAccount.addLast(now);
    if (byAddress != null) byAddress.addLast(now);
    return Future.succeededFuture(true);
  }

  /** The attempts under {@code key} still in the window (older ones dropped); prunes the map when it grew large. */
  private static Deque<Instant> recent(Map<String, Deque<Instant>> counts, String key, Instant windowStart) {
    if (counts.size() > PRUNE_ABOVE) counts.values().removeIf(d -> d.isEmpty() || !d.peekLast().isAfter(windowStart));
    Deque<Instant> recent = counts.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(windowStart)) recent.removeFirst();
    return recent;
  }

  @Override
  public synchronized Future<Void> loginSucceeded(String account, String address) {
    attempts.remove(account);
    Deque<Instant> byAddress = address == null ? null : addressAttempts.get(ConsoleSessions.addressDigest(address));
    if (byAddress != null && !byAddress.isEmpty()) byAddress.removeLast();
    return Future.succeededFuture();
  }
}
