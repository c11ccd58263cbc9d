package org.sathi.session;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The in-memory store for {@code demo} and tests: the same contract, one process, no Redis. */
public final class MemorySessionStore implements SessionStore {

  private record Expiring<T>(T value, Instant until) {}

  private record Versioned(long version, String sealed, String surface) {}

  private final SessionTimes times;
  private final ConversationCodec codec;
  private final Clock clock;
  private final Map<String, Expiring<Versioned>> conversations = new HashMap<>();
  private final Map<String, Expiring<String>> returning = new HashMap<>();
  private final Map<String, Expiring<String>> reach = new HashMap<>();
  private final Map<String, Expiring<String>> followUps = new HashMap<>();
  private final Map<String, Map<String, Instant>> followUpFailures = new HashMap<>();
  private final Map<String, Map<String, Expiring<String>>> replies = new HashMap<>();
  private final List<String> events = new ArrayList<>();
  private final Map<String, List<String>> outboxes = new HashMap<>();
  private final java.util.Set<String> taken = new java.util.HashSet<>();

  public MemorySessionStore(SessionTimes times, ConversationCodec codec, Clock clock) {
    this.times = times;
    this.codec = codec;
    this.clock = clock;
  }

  @Override
  public synchronized Future<Loaded> load(String callerKey, String webhookId) {
    String previous = live(replies.getOrDefault(callerKey, Map.of()).get(webhookId));
    if (previous != null) return Future.succeededFuture(new Loaded(previous, null, 0, null, null, 0));
    Versioned v = live(conversations.get(callerKey));
    return Future.succeededFuture(new Loaded(null, v == null ? null : codec.decode(v.sealed(), callerKey),
        v == null ? 0 : v.version(), live(returning.get(callerKey)), live(followUps.get(callerKey)), failures(callerKey),
        v == null ? null : v.surface()));
  }

  @Override
  public synchronized Future<Committed> commit(Commit commit) {
    String key = commit.callerKey();
    String previous = live(replies.getOrDefault(key, Map.of()).get(commit.webhookId()));
    if (previous != null) return Future.succeededFuture(new Committed(Status.DUPLICATE, previous));
    Instant now = clock.instant();
    if (now.isAfter(commit.deadline())) return Future.succeededFuture(new Committed(Status.LATE, null));
    Versioned current = live(conversations.get(key));
    if ((current == null ? 0 : current.version()) != commit.version() || commit.references().stream().anyMatch(taken::contains)) {
      return Future.succeededFuture(new Committed(Status.CONFLICT, null));
    }
    taken.addAll(commit.references());
    if (commit.next() == null) {
      conversations.remove(key);
      returning.remove(key);
      replies.remove(key);
      reach.remove(key);
      followUps.remove(key);
    } else {
      Versioned next = new Versioned(commit.version() + 1, codec.encode(commit.next(), key), commit.surface());
      conversations.put(key, new Expiring<>(next, now.plus(times.conversation())));
      returning.put(key, new Expiring<>(commit.next().language(), now.plus(times.returning())));
      if (commit.reach() != null) reach.put(key, new Expiring<>(commit.reach(), now.plus(times.replyWindow())));
      if (commit.followUp() != null) followUps.put(key, new Expiring<>(commit.followUp(), now.plus(FOLLOW_UP_WINDOW)));
      else followUps.remove(key);
    }
    replies.computeIfAbsent(key, k -> new HashMap<>()).put(commit.webhookId(), new Expiring<>(commit.reply(), now.plus(times.dedup())));
    events.addAll(commit.events());
    if (commit.outgoing() != null) outboxes.computeIfAbsent(commit.outgoing().channel(), c -> new ArrayList<>()).add(commit.outgoing().entry());
    return Future.succeededFuture(new Committed(Status.SAVED, commit.reply()));
  }

  @Override
  public synchronized Future<Long> followUpFailed(String callerKey, String webhookId) {
    followUpFailures.computeIfAbsent(callerKey, k -> new HashMap<>()).putIfAbsent(webhookId, clock.instant());
    return Future.succeededFuture(failures(callerKey));
  }

  private long failures(String callerKey) {
    Instant since = clock.instant().minus(FOLLOW_UP_WINDOW);
    Map<String, Instant> failed = followUpFailures.getOrDefault(callerKey, Map.of());
    failed.values().removeIf(t -> !t.isAfter(since));
    return failed.size();
  }

  @Override
  public synchronized Future<String> sealedReach(String callerKey) {
    return Future.succeededFuture(reach(callerKey));
  }

  @Override
  public synchronized Future<Void> openThread(String callerKey, String reference) {
    // Only while the caller still has a conversation: after the quick exit nothing may point at a report.
    if (live(conversations.get(callerKey)) != null) followUps.put(callerKey, new Expiring<>(reference, clock.instant().plus(FOLLOW_UP_WINDOW)));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> referenceTaken(String reference) {
    return Future.succeededFuture(taken.contains(reference));
  }

  /** Events stored so far, oldest first (the duty-officer queue of the demo). */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** A channel's outbox, oldest first: replies saved by turns, for the channel to send. */
  public synchronized List<String> outbox(String channel) {
    return List.copyOf(outboxes.getOrDefault(channel, List.of()));
  }

  /** The sealed number kept for a caller, or null. */
  public synchronized String reach(String callerKey) {
    return live(reach.get(callerKey));
  }

  /** Everything kept, as text, for privacy checks. */
  public synchronized String dump() {
    return List.of(conversations, returning, reach, replies, events, outboxes).toString();
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
