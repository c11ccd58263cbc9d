package org.sathi.channel;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The in-memory {@link ChannelStore} for {@code demo} and tests: the same contract, one process. */
final class MemoryChannelStore implements ChannelStore {
  /** Each content's count, and the caller's latest text: only it, unacknowledged, can be a redelivery. */
  private record Ledger(Map<String, Long> counts, String last, boolean acked, Instant until) {}

  private record Parts(TreeMap<Integer, String> parts, Instant until) {}

  private record Watch(String reference, Instant until) {}

  private record Wrote(Instant at, Instant until) {}

  private final Clock clock;
  private final Map<String, Ledger> ledgers = new HashMap<>();
  private final Map<String, Parts> parts = new HashMap<>();
  private final Map<String, Watch> receipts = new HashMap<>();
  private final Map<String, Wrote> wrote = new HashMap<>();

  MemoryChannelStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<Long> ordinal(String callerKey, String channel, String contentHash, Duration window) {
    String k = callerKey + "|" + channel;
    Instant now = clock.instant();
    Ledger l = ledgers.get(k);
    if (l == null || !l.until().isAfter(now)) l = new Ledger(new HashMap<>(), null, false, now);
    long n = l.counts().getOrDefault(contentHash, 0L);
    if (n > 0 && contentHash.equals(l.last()) && !l.acked()) {
      ledgers.put(k, new Ledger(l.counts(), l.last(), false, now.plus(window)));
      return Future.succeededFuture(n);
    }
    l.counts().put(contentHash, n + 1);
    ledgers.put(k, new Ledger(l.counts(), contentHash, false, now.plus(window)));
    return Future.succeededFuture(n + 1);
  }

  @Override
  public synchronized Future<Void> acknowledged(String callerKey, String channel, String contentHash) {
    String k = callerKey + "|" + channel;
    Ledger l = ledgers.get(k);
    if (l != null && contentHash.equals(l.last())) ledgers.put(k, new Ledger(l.counts(), l.last(), true, l.until()));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<String>> part(String callerKey, String channel, String reference, int total, int seq, String sealedText,
      Duration keep) {
    String k = callerKey + "|" + channel + "|" + reference + "|" + total;
    Instant now = clock.instant();
    Parts p = parts.get(k);
    if (p == null || !p.until().isAfter(now)) p = new Parts(new TreeMap<>(), now.plus(keep));
    p.parts().putIfAbsent(seq, sealedText);
    parts.put(k, p);
    return Future.succeededFuture(p.parts().size() == total ? new ArrayList<>(p.parts().values()) : List.of());
  }

  @Override
  public synchronized Future<Void> watchReceipt(String channel, String messageId, String reference, Duration keep) {
    receipts.put(channel + "|" + messageId, new Watch(reference, clock.instant().plus(keep)));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<String> receiptFor(String channel, String messageId) {
    Watch w = receipts.get(channel + "|" + messageId);
    return Future.succeededFuture(w == null || !w.until().isAfter(clock.instant()) ? null : w.reference());
  }

  @Override
  public synchronized Future<Void> wrote(String callerKey, String channel, Instant at, Duration keep) {
    Wrote before = wrote.get(callerKey + "|" + channel);
    if (before == null || !before.until().isAfter(clock.instant()) || at.isAfter(before.at())) {
      wrote.put(callerKey + "|" + channel, new Wrote(at, clock.instant().plus(keep)));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Instant> lastWrote(String callerKey, String channel) {
    Wrote w = wrote.get(callerKey + "|" + channel);
    return Future.succeededFuture(w == null || !w.until().isAfter(clock.instant()) ? null : w.at());
  }
}
