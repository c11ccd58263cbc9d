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
  private record Seen(long ordinal, boolean acked, Instant until) {}

  private record Parts(TreeMap<Integer, String> parts, Instant until) {}

  private record Watch(String reference, Instant until) {}

  private final Clock clock;
  private final Map<String, Seen> seen = new HashMap<>();
  private final Map<String, Parts> parts = new HashMap<>();
  private final Map<String, Watch> receipts = new HashMap<>();

  MemoryChannelStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<Long> ordinal(String callerKey, String channel, String contentHash, Duration window) {
    String k = callerKey + "|" + channel + "|" + contentHash;
    Instant now = clock.instant();
    Seen s = seen.get(k);
    long n = s == null || !s.until().isAfter(now) ? 1 : s.acked() ? s.ordinal() + 1 : s.ordinal();
    seen.put(k, new Seen(n, false, now.plus(window)));
    return Future.succeededFuture(n);
  }

  @Override
  public synchronized Future<Void> acknowledged(String callerKey, String channel, String contentHash) {
    String k = callerKey + "|" + channel + "|" + contentHash;
    Seen s = seen.get(k);
    if (s != null) seen.put(k, new Seen(s.ordinal(), true, s.until()));
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
}
