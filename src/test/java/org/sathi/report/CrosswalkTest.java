package org.sathi.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Sequence;

/** The shipped {@code config/crosswalk.yaml} against the report flow, and its validation. */
class CrosswalkTest {

  static final Path CONFIG = Path.of("config/crosswalk.yaml");

  static Set<String> whatValues;
  static Crosswalk crosswalk;

  @BeforeAll
  static void load() {
    whatValues = whatValuesOfTheReportFlow();
    Crosswalk.Loaded loaded = Crosswalk.load(CONFIG, whatValues);
    assertThat(loaded.problems()).as("config/crosswalk.yaml must load cleanly").isEmpty();
    crosswalk = loaded.crosswalk();
  }

  static ReportAnswers answers(String what, Integer age, String gender) {
    return new ReportAnswers("child", what, "no", age, gender, "Dhaka", "text", null, "no", null, null);
  }

  @Test
  void everyWhatValueOfTheFlowMapsOntoEveryStandard() {
    assertThat(whatValues).hasSize(8).contains("forced_labour", "other");
    for (String what : whatValues) {
      Map<String, Object> m = crosswalk.map(answers(what, 10, "girl"));
      assertThat(m).as(what).containsKeys("htcds.typeOfExploitation", "ctdc.flags", "chi.category", "unodc.form");
      assertThat(Crosswalk.HTCDS_TYPES).as(what).contains((String) m.get("htcds.typeOfExploitation"));
      assertThat(Crosswalk.UNODC_FORMS).as(what).contains((String) m.get("unodc.form"));
      assertThat((List<?>) m.get("ctdc.flags")).as(what).isNotEmpty();
    }
  }

  @Test
  void aWholeReport() {
    assertThat(crosswalk.map(answers("forced_begging", 12, "boy"))).containsExactly(
        entry("crosswalkVersion", 1),
        entry("htcds.typeOfExploitation", "ForcedBegging"),
        entry("ctdc.flags", List.of("isForcedLabour", "typeOfLabourBegging")),
        entry("ctdc.ageBand", "9--17"),
        entry("chi.category", "Child labour"),
        entry("unodc.form", "Begging"),
        entry("unodc.sexAge", "boys"));
  }

  @Test
  void exactMatchesAndOthers() {
    assertThat(crosswalk.map(answers("sexual_exploitation", 30, "girl")))
        .contains(entry("htcds.typeOfExploitation", "SexualExploitation"), entry("ctdc.flags", List.of("isSexualExploit")),
            entry("unodc.form", "Sexual exploitation"), entry("unodc.sexAge", "women"));
    assertThat(crosswalk.map(answers("forced_marriage", 15, "girl")))
        .contains(entry("htcds.typeOfExploitation", "ForcedMarriage"), entry("ctdc.flags", List.of("isForcedMarriage")));
    assertThat(crosswalk.map(answers("moved_or_sold", null, null)))
        .contains(entry("htcds.typeOfExploitation", "Other"), entry("ctdc.flags", List.of("isOtherExploit")),
            entry("ctdc.ageBand", "unknown"), entry("unodc.sexAge", "unknown"));
  }

  @Test
  void anUnansweredWhatLeavesTheExploitationOut() {
    assertThat(crosswalk.map(answers(null, 40, "boy"))).containsExactly(
        entry("crosswalkVersion", 1), entry("ctdc.ageBand", "39--47"), entry("unodc.sexAge", "men"));
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "0, 0--8", "8, 0--8", "9, 9--17", "17, 9--17", "18, 18--20", "20, 18--20", "21, 21--23",
      "29, 27--29", "30, 30--38", "47, 39--47", "48, 48+", "120, 48+", "null, unknown"})
  void ctdcAgeBands(Integer age, String band) {
    assertThat(crosswalk.ageBand(age)).isEqualTo(band);
    assertThat(crosswalk.map(answers("other", age, "girl")).get("ctdc.ageBand")).isEqualTo(band);
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "17, girl, girls", "18, girl, women", "17, boy, boys", "18, boy, men", "0, girl, girls",
      "10, other, unknown", "10, unknown, unknown", "null, girl, unknown", "null, boy, unknown", "30, null, unknown"})
  void unodcGirlsBoysWomenMen(Integer age, String gender, String group) {
    assertThat(crosswalk.map(answers("forced_labour", age, gender)).get("unodc.sexAge")).isEqualTo(group);
  }

  @Test
  void loadErrorsNameFileAndLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("crosswalk.yaml");
    Files.writeString(file, """
        version: 1
        what:
          forced_labour:
            htcds: ForcedWork
            ctdc: [isForcedLabour, isForcedWork]
            chi: "Child labour"
            unodc: "Forced labour"
          stolen:
            htcds: Other
            ctdc: [isOtherExploit]
            chi: "Other"
            unodc: "Other purposes"
        ctdcAgeBands:
          - { band: "0--8", from: 0, to: 8 }
          - { band: "10--17", from: 10, to: 17 }
        """);
    Crosswalk.Loaded loaded = Crosswalk.load(file, Set.of("forced_labour", "other"));
    assertThat(loaded.crosswalk()).isNull();
    assertThat(loaded.problems().stream().map(p -> p.toString().replace(dir + "/", ""))).containsExactly(
        "crosswalk.yaml:2: the report flow's 'what' value 'other' is not mapped; add it under what",
        "crosswalk.yaml:4: 'ForcedWork' is not a HTCDS TypeOfExploitation; values: ChildLabour, ForcedAdoption, "
            + "ForcedBegging, ForcedLabour, ForcedMarriage, ForcedMilitaryByNonStateActors, OrganRemoval, Other, "
            + "Servitude, SexualExploitation, Surrogacy",
        "crosswalk.yaml:5: 'isForcedWork' is not a CTDC exploitation variable; variables: "
            + String.join(", ", new TreeSet<>(Crosswalk.CTDC_FLAGS)),
        "crosswalk.yaml:8: 'stolen' is not a 'what' value of the report flow; values: forced_labour, other",
        "crosswalk.yaml:15: band '10--17' starts at 10 but the band before ends at 8; bands must follow on without gaps or overlaps, from 0");
  }

  @Test
  void aNewerVersionIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("crosswalk.yaml");
    Files.writeString(file, Files.readString(CONFIG).replace("\nversion: 1\n", "\nversion: 2\n"));
    assertThat(Crosswalk.load(file, whatValues).problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("'version' is 2; this Sathi reads version 1"));
  }

  /** The values of the report flow's {@code what} question, read from ivr-flows/flows/report.yaml. */
  static Set<String> whatValuesOfTheReportFlow() {
    try {
      Mapping flow = (Mapping) YamlTree.parse(Files.readString(Path.of("ivr-flows/flows/report.yaml")));
      Mapping what = (Mapping) ((Mapping) flow.get("nodes")).get("what");
      Set<String> values = new TreeSet<>();
      for (YamlTree o : ((Sequence) what.get("options")).items()) {
        values.add(((YamlTree.Scalar) ((Mapping) o).get("value")).value());
      }
      return values;
    } catch (IOException | YamlTree.SyntaxError e) {
      throw new AssertionError("cannot read the report flow", e);
    }
  }
}
