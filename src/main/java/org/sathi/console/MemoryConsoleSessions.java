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
  /** Names tried with no attempt left in the window are forgotten once this many are remembered. */
  static final int PRUNE_ABOVE = 10_000;
  private final Clock clock;
  private final Settings settings;
  private final Map<String, ConsoleSession> sessions = new HashMap<>();
  private final Map<String, Deque<Instant>> attempts = new HashMap<>();

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
    ConsoleSession s = id == null ? null : sessions.get(id);
    if (s == null) return Future.succeededFuture(Optional.empty());
    Instant now = clock.instant();
    if (expired(s, now)) {
      sessions.remove(id);
      return Future.succeededFuture(Optional.empty());
    }
    ConsoleSession used = new ConsoleSession(s.id(), s.officer(), s.csrfToken(), s.createdAt(), now);
    sessions.put(id, used);
    return Future.succeededFuture(Optional.of(used));
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
  public synchronized Future<Boolean> admitLogin(String account) {
    Instant now = clock.instant();
    Instant windowStart = now.minus(settings.failureWindow());
    if (attempts.size() > PRUNE_ABOVE) attempts.values().removeIf(d -> d.isEmpty() || !d.peekLast().isAfter(windowStart));
    Deque<Instant> recent = attempts.computeIfAbsent(account, a -> new ArrayDeque<>());
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(windowStart)) recent.removeFirst();
    if (recent.size() >= settings.maxLoginFailures()) return Future.succeededFuture(false);
    recent.addLast(now);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> loginSucceeded(String account) {
    attempts.remove(account);
    return Future.succeededFuture();
  }
}
