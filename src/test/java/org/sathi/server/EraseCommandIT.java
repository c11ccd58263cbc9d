package org.sathi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sathi.redis.RedisConnection;
import org.sathi.report.Priority;
import org.sathi.report.RedisReportStore;
import org.sathi.report.Report;
import org.sathi.report.ReportAnswers;
import org.sathi.report.TimelineEntry;
import org.sathi.testing.RedisServerProcess;

/** {@code ./sathi erase XXXX-XXXX} against a real Redis: the report goes, an audit entry without content stays. */
@Tag("integration")
class EraseCommandIT {

  @Test
  void erasesOneReportAndLeavesAnAuditEntryWithoutContent() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      Vertx vertx = Vertx.vertx();
      RedisConnection connection = new RedisConnection(vertx, new RedisConnection.Settings(redis.url(), Duration.ofMillis(700), 100), new SimpleMeterRegistry());
      connection.start().await(10, TimeUnit.SECONDS);
      Report r = new Report("ACDE-FGHJ", "report", "sms", "en", Instant.now(), "ck", new ReportAnswers("child", "forced_labour", "no", 12,
          "boy", "Khulna ghat", "they beat him", null, "no", null, null), Map.of(), List.of(), Priority.P2, Report.Status.NEW, null, null, 0, null);
      new RedisReportStore(connection).create(r, List.of(new TimelineEntry(Instant.now(), "received", "sathi", "Report received.")), "khulna ghat",
          Optional.empty()).await(5, TimeUnit.SECONDS);

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status = Main.erase(List.of("acde fghj"), Map.of("REDIS_URL", redis.url()), new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Erased ACDE-FGHJ");

      try (StatefulRedisConnection<String, String> check = redis.connect()) {
        assertThat(check.sync().keys("sathi:report:*")).isEmpty();
        var audit = check.sync().xrange(RedisReportStore.AUDIT, io.lettuce.core.Range.create("-", "+"));
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).getBody()).containsEntry("action", "erased").containsEntry("reference", "ACDE-FGHJ")
            .containsEntry("officer", "operator").containsEntry("outcome", "on request");
        assertThat(audit.get(0).getBody().toString()).doesNotContain("Khulna").doesNotContain("beat");
      }
      out.reset();
      assertThat(Main.erase(List.of("ACDE-FGHJ"), Map.of("REDIS_URL", redis.url()), new PrintStream(out, true, StandardCharsets.UTF_8))).isEqualTo(1);
      assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("There is no report ACDE-FGHJ");
      connection.close().await(5, TimeUnit.SECONDS);
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
