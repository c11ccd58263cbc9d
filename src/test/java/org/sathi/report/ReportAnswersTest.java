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

  @Test
  void theAreaIsAnIsoCodeOrNothing() {
    assertThat(ReportAnswers.from(Map.of("area", "BD-22"), "sms").area()).isEqualTo("BD-22");
    assertThat(ReportAnswers.from(Map.of("area", "unknown"), "sms").area()).as("the caller did not know").isNull();
    assertThat(ReportAnswers.from(Map.of("place", "Khulna"), "sms").area()).as("not asked").isNull();
  }

  @Test
  void aStoredReportKeepsItsAreaAndAnOlderOneHasNone() {
    ReportAnswers a = ReportAnswers.from(Map.of("area", "BD-D", "age", "12"), "ussd:bd-ussd");
    assertThat(ReportJson.read(ReportJson.write(a), ReportAnswers.class)).isEqualTo(a);
    String older = ReportJson.write(new ReportAnswers("child", "other", "no", 12, "girl", "Khulna", null, null, "no", null, null))
        .replace(",\"area\":null", "");
    assertThat(older).doesNotContain("area");
    assertThat(ReportJson.read(older, ReportAnswers.class).area()).isNull();
    assertThat(ReportJson.read(older, ReportAnswers.class).place()).isEqualTo("Khulna");
  }
}
