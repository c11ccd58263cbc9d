package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sathi.report.ReportAnswers;
import org.sathi.testing.TestHotline;

/** An officer reads a report's area by its name in their language, with the division a district is in; never its bare code. */
class AnswerLabelsTest {
  static AnswerLabels labels;

  @BeforeAll
  static void load() throws Exception {
    labels = new AnswerLabels(TestHotline.shippedFlows(TestHotline.config()));
  }

  static ReportAnswers in(String area) {
    return new ReportAnswers("child", "forced_labour", "no", 14, "girl", "near the bus stand", null, null, "no", null, null, area);
  }

  @Test
  void aDistrictIsNamedWithItsDivision() {
    assertThat(labels.labels(in("BD-22"), "en").getString("area")).isEqualTo("Jashore, Khulna");
    assertThat(labels.labels(in("BD-22"), "bn").getString("area")).isEqualTo("যশোর, খুলনা");
  }

  @Test
  void aDivisionOrProvinceIsNamedAlone() {
    assertThat(labels.labels(in("BD-D"), "en").getString("area")).isEqualTo("Khulna");
    assertThat(labels.labels(in("NP-P3"), "en").getString("area")).isEqualTo("Bagmati");
  }

  @Test
  void noAreaOrOneNoLongerListedHasNoLabel() {
    assertThat(labels.labels(in(null), "en").containsKey("area")).isFalse();
    assertThat(labels.labels(in("BD-99"), "en").containsKey("area")).isFalse();
  }

  @Test
  void theReportViewGivesTheCodeBesideTheLabel() {
    JsonObject answers = ReportView.answers(in("BD-22"));
    assertThat(answers.getString("area")).isEqualTo("BD-22");
    assertThat(ReportView.answers(in(null)).getString("area")).isNull();
  }
}
