package org.sathi.session;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sathi.flow.Conversation;

/** The in-memory store for {@code demo} and tests: the same contract, one process, no Redis. */
public final class MemorySessionStore implements SessionStore {

  private record Expiring<T>(T value, Instant until) {}

  private final SessionTimes times;
  private final Clock clock;
  private final Map<String, Expiring<String>> conversations = new HashMap<>();
  private final Map<String, Expiring<String>> returning = new HashMap<>();
  private final Map<String, Map<String, Expiring<String>>> replies = new HashMap<>();
  private final List<String> events = new ArrayList<>();

  public MemorySessionStore(SessionTimes times, Clock clock) {
    this.times = times;
    this.clock = clock;
  }

  @Override
  public synchronized Future<Loaded> load(String callerKey, String webhookId) {
    String previous = live(replies.getOrDefault(callerKey, Map.of()).get(webhookId));
    if (previous != null) return Future.succeededFuture(new Loaded(previous, null, null));
    Conversation c = ConversationCodec.decode(live(conversations.get(callerKey)));
    return Future.succeededFuture(new Loaded(null, c, live(returning.get(callerKey))));
  }

  @Override
  public synchronized Future<String> commit(Commit commit) {
    String key = commit.callerKey();
    String previous = live(replies.getOrDefault(key, Map.of()).get(commit.webhookId()));
    if (previous != null) return Future.succeededFuture(previous);
    Instant now = clock.instant();
    if (commit.next() == null) {
      conversations.remove(key);
      returning.remove(key);
      replies.remove(key);
    } else {
      conversations.put(key, new Expiring<>(ConversationCodec.encode(commit.next()), now.plus(times.conversation())));
      returning.put(key, new Expiring<>(commit.next().language(), now.plus(times.returning())));
    }
    replies.computeIfAbsent(key, k -> new HashMap<>()).put(commit.webhookId(), new Expiring<>(commit.reply(), now.plus(times.dedup())));
    events.addAll(commit.events());
    return Future.succeededFuture(commit.reply());
  }

  /** Events stored so far, oldest first (the duty-officer queue of the demo). */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private <T> T live(Expiring<T> e) {
    return e != null && e.until().isAfter(clock.instant()) ? e.value() : null;
  }
}
