package org.sathi.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PeriodTest {
  @Test
  void aMonthIsHalfOpenInUtc() {
    Period p = Period.parse("2026-11");
    assertThat(p.start()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(p.end()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(p.contains(Instant.parse("2026-11-30T23:59:59.999Z"))).isTrue();
    assertThat(p.contains(Instant.parse("2026-12-01T00:00:00Z"))).isFalse();
    assertThat(p).hasToString("2026-11");
    assertThat(Period.parse("2026-12").end()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(Period.parse("2028-02").end()).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
  }

  @Test
  void aQuarterIsThreeMonths() {
    assertThat(Period.parse("2026-Q1").start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(Period.parse("2026-Q1").end()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
    assertThat(Period.parse("2026-Q3").start()).isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
    assertThat(Period.parse("2026-Q4").end()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"2026-13", "2026-00", "2026-1", "26-11", "2026-Q0", "2026-Q5", "2026-q1", "2026/11", " 2026-11", "2026-11-01", "2026"})
  void aBadPeriodNamesBothForms(String text) {
    assertThatThrownBy(() -> Period.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("YYYY-MM")
        .hasMessageContaining("YYYY-Qn");
  }

  @Test
  void onlyAPeriodThatHasEndedMayBePublished() {
    Instant now = Instant.parse("2026-11-15T12:00:00Z");
    assertThat(Period.parse("2026-10").ended(now)).isTrue();
    assertThat(Period.parse("2026-11").ended(now)).as("the current month").isFalse();
    assertThat(Period.parse("2026-12").ended(now)).isFalse();
    assertThat(Period.parse("2026-Q3").ended(now)).isTrue();
    assertThat(Period.parse("2026-Q4").ended(now)).as("the current quarter").isFalse();
    assertThat(Period.parse("2026-11").ended(Instant.parse("2026-12-01T00:00:00Z"))).as("at its end").isTrue();
    assertThat(Period.parse("2026-11").ended(Instant.parse("2026-11-30T23:59:59Z"))).isFalse();
  }
}
