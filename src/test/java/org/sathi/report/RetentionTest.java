package org.sathi.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sathi.testing.MutableClock;

class RetentionTest {
  static final Instant T0 = Instant.parse("2025-11-01T00:00:00Z");

  static Report report(String ref, Instant at) {
    return new Report(ref, "report", "sms", "en", at, "ck", null, Map.of(), List.of(), Priority.P3, Report.Status.CLOSED, null, null, 0, null);
  }

  @Test
  void reportsPastTheRetentionPeriodAreErasedWithAnAuditEntryAndTheRestKept() throws Exception {
    MemoryReportStore store = new MemoryReportStore();
    for (int i = 0; i < 150; i++) {
      store.create(report("OLD%d-AAAA".formatted(i), T0.plusSeconds(i)), List.of(), "", Optional.empty()).await(5, TimeUnit.SECONDS);
    }
    store.create(report("KEEP-AAAA", T0.plus(Duration.ofDays(300))), List.of(), "", Optional.empty()).await(5, TimeUnit.SECONDS);
    MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(366)));
    Instant[] forgotBefore = {null};
    int erased = new Retention(store, cutoff -> { forgotBefore[0] = cutoff; return io.vertx.core.Future.succeededFuture(); }, Duration.ofDays(365), clock).eraseExpired().await(5, TimeUnit.SECONDS);
    assertThat(erased).isEqualTo(150);
    assertThat(store.get("OLD0-AAAA").await(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(store.get("KEEP-AAAA").await(5, TimeUnit.SECONDS)).isPresent();
    assertThat(forgotBefore[0]).as("dead letters are trimmed to the same cutoff").isEqualTo(T0.plus(Duration.ofDays(1)));
    assertThat(store.erasures()).hasSize(150).allSatisfy(a -> assertThat(a).contains("sathi erased").contains("(retention)"));
  }
}
