package org.sathi.duty;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The inbox in memory for {@code demo} and tests, reading the events the in-memory session store kept. */
public final class MemoryDutyInbox implements DutyInbox {
  private record Pending(String event, Instant delivered, long deliveries) {}

  private final Supplier<List<String>> written;
  private final Clock clock;
  private int cursor;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private record Dead(String event, Instant at) {}

  private final List<Dead> dead = new ArrayList<>();

  public MemoryDutyInbox(Supplier<List<String>> written, Clock clock) {
    this.written = written;
    this.clock = clock;
  }

  @Override
  public Future<Void> prepare() {
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<Delivery>> next(String consumer, int max) {
    List<String> all = written.get();
    List<Delivery> out = new ArrayList<>();
    while (cursor < all.size() && out.size() < max) {
      String id = String.valueOf(cursor);
      pending.put(id, new Pending(all.get(cursor), clock.instant(), 1));
      out.add(new Delivery(id, all.get(cursor), 1));
      cursor++;
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<List<Delivery>> reclaim(String consumer, Duration idle, int max) {
    Instant cutoff = clock.instant().minus(idle);
    List<Delivery> out = new ArrayList<>();
    for (var e : pending.entrySet()) {
      if (out.size() >= max) break;
      Pending p = e.getValue();
      if (!p.delivered().isAfter(cutoff)) {
        Pending again = new Pending(p.event(), clock.instant(), p.deliveries() + 1);
        e.setValue(again);
        out.add(new Delivery(e.getKey(), p.event(), again.deliveries()));
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Void> done(String id) {
    pending.remove(id);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> deadLetter(Delivery d, String reason) {
    pending.remove(d.id());
    dead.add(new Dead(d.event(), clock.instant()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> forgetIdleConsumers(String self, Duration idle) {
    return Future.succeededFuture(); // one process, no consumer names to keep
  }

  @Override
  public synchronized Future<Void> forgetDeadLettersBefore(Instant cutoff) {
    dead.removeIf(x -> x.at().isBefore(cutoff));
    return Future.succeededFuture();
  }

  public synchronized List<String> deadLetters() {
    return dead.stream().map(Dead::event).toList();
  }
}
