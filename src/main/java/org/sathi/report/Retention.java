package org.sathi.report;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Erases reports older than the retention period (config {@code reports.retentionDays}); each leaves an audit entry without content. */
public final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  static final int BATCH = 100;

  private final ReportStore store;
  private final Duration keep;
  private final Clock clock;

  public Retention(ReportStore store, Duration keep, Clock clock) {
    this.store = store;
    this.keep = keep;
    this.clock = clock;
  }

  /** Erases every report past the retention period. Returns how many. */
  public Future<Integer> eraseExpired() {
    Instant now = clock.instant();
    return store.createdBefore(now.minus(keep), BATCH).compose(refs -> erase(refs, now)).compose(n -> {
      if (n == BATCH) return eraseExpired().map(m -> n + m);
      if (n > 0) LOG.info("Erased {} report(s) older than {} days (retention).", n, keep.toDays());
      return Future.succeededFuture(n);
    });
  }

  private Future<Integer> erase(List<String> refs, Instant now) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String ref : refs) {
      chain = chain.compose(n -> store.erase(ref, "sathi", "retention", now).map(erased -> erased ? n + 1 : n));
    }
    return chain;
  }
}
