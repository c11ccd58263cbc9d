package org.sathi.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportAnswersTest {
  @Test
  void aLinkTextedByAReporterStaysTheirWords() {
    ReportAnswers a = ReportAnswers.from(Map.of("details", "https://jobs.example/ad says good pay in Dubai", "age", "15"), "sms");
    assertThat(a.details()).startsWith("https://jobs.example");
    assertThat(a.recording()).isNull();
    assertThat(a.age()).isEqualTo(15);
  }

  @Test
  void onACallTheFreeTextAnswerIsARecording() {
    ReportAnswers a = ReportAnswers.from(Map.of("details", "https://api.twilio.com/recordings/RE1", "age", "unknown"), "voice");
    assertThat(a.recording()).isEqualTo("https://api.twilio.com/recordings/RE1");
    assertThat(a.details()).isNull();
    assertThat(a.age()).isNull();
  }
}
