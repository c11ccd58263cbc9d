package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sathi.report.Priority;
import org.sathi.report.Report;

/** When an officer may text a reporter, by the channel the report came on. */
class ReporterLineTest {
  static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  final ReporterLine line = new ReporterLine(null, null, (to, body) -> null, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(60), 2);

  static Report report(String kind, String channel) {
    return new Report("ACDE-FGHJ", kind, channel, "bn", NOW.minusSeconds(60), "k", null, Map.of(), List.of(), Priority.P2,
        Report.Status.NEW, null, null, 0, null);
  }

  @Test
  void aUssdReportWithoutConsentCannotBeTextedEvenInsideTheWindow() {
    ReporterLine.Reach reach = line.reach(report("report", "ussd:bd-ussd"), List.of()).result();
    assertThat(reach.allowed()).isFalse();
    assertThat(reach.reason()).contains("USSD", "did not agree to be contacted");
  }

  @Test
  void aUssdHandoffCanBeAnsweredInsideTheWindowLikeAText() {
    assertThat(line.reach(report("handoff", "ussd:bd-ussd"), List.of()).result().allowed()).isTrue();
    assertThat(line.reach(report("report", "bd-smpp"), List.of()).result().allowed()).isTrue();
  }
}
