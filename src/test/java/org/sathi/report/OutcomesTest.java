package org.sathi.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sathi.config.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutcomesTest {

  @Test
  void theShippedOutcomesAreTheFieldsUsualEndsWithReferredAmongThem() {
    Outcomes o = Outcomes.shipped();
    assertThat(o.ids()).containsExactly("referred", "resolved", "advice_given", "no_action_possible", "duplicate", "not_a_report", "unreachable");
    assertThat(o.find("resolved")).hasValueSatisfying(r -> {
      assertThat(r.label("en")).isEqualTo("Resolved");
      assertThat(r.label("bn")).isEqualTo("সমাধান হয়েছে");
      assertThat(r.label("ne")).as("a console language without a label falls back to English").isEqualTo("Resolved");
    });
    assertThat(o.find("sorted")).isEmpty();
  }

  @Test
  void everyMistakeInTheFileIsNamedWithItsLine(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("outcomes.yaml");
    Files.writeString(f, """
        outcomes:
          - id: resolved
            label: { en: "Resolved" }
            meaning: "Safe."
          - id: Resolved Now
            label: { en: "x" }
            meaning: "x"
          - id: resolved
            label: { en: "Again" }
            meaning: "x"
          - id: open
            label: { en: "Open" }
            meaning: "x"
          - id: advice
            label: { bn: "পরামর্শ" }
            meaning: "x"
          - id: gone
            meaning: "x"
          - id: colour
            label: { en: "x" }
            meaning: "x"
            colour: red
        """);
    Outcomes.Loaded loaded = Outcomes.load(f);
    assertThat(loaded.outcomes()).isNull();
    assertThat(loaded.problems()).extracting(Problem::line, Problem::message).contains(
        org.assertj.core.groups.Tuple.tuple(5, "outcome id 'Resolved Now' must be lower-case letters, digits and '_', starting with a letter"),
        org.assertj.core.groups.Tuple.tuple(8, "outcome id 'resolved' is already used on line 2"),
        org.assertj.core.groups.Tuple.tuple(11, "'open' is what statistics call a report not closed yet; choose another id"),
        org.assertj.core.groups.Tuple.tuple(15, "'label' needs 'en', the words shown when a console language has none"),
        org.assertj.core.groups.Tuple.tuple(17, "'label' must give the console's words per language: { en: \"Resolved\" }"));
    assertThat(loaded.problems()).extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("colour"))
        .anySatisfy(m -> assertThat(m).contains("must include 'referred'"));
    assertThat(loaded.problems()).allSatisfy(p -> assertThat(p.file()).endsWith("outcomes.yaml"));
  }
}
