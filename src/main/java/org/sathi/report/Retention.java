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
  private final java.util.function.Function<Instant, Future<Void>> forgetOtherCopies;
  private final Duration keep;
  private final Clock clock;

  /** @param forgetOtherCopies drops other copies of report content older than the cutoff (the duty inbox's dead letters) */
  public Retention(ReportStore store, java.util.function.Function<Instant, Future<Void>> forgetOtherCopies, Duration keep, Clock clock) {
    this.store = store;
    this.forgetOtherCopies = forgetOtherCopies;
    this.keep = keep;
    this.clock = clock;
  }

  /** Erases every report past the retention period. Returns how many. */
  public Future<Integer> eraseExpired() {
    Instant now = clock.instant();
    return forgetOtherCopies.apply(now.minus(keep)).compose(v -> eraseReports(now));
  }

  private Future<Integer> eraseReports(Instant now) {
    return store.createdBefore(now.minus(keep), BATCH).compose(refs -> erase(refs, now)).compose(n -> {
      if (n == BATCH) return eraseReports(now).map(m -> n + m);
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
