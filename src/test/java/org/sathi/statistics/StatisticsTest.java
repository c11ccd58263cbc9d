package org.sathi.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.sathi.report.Facts;
import org.sathi.report.Outcomes;
import org.sathi.testing.TestHotline;

class StatisticsTest {
  static final long OCT = java.time.Instant.parse("2026-10-10T00:00:00Z").toEpochMilli();

  static Statistics statistics() throws Exception {
    return new Statistics(TestHotline.crosswalk(), area -> area.length() > 4 ? "BD-C" : area,
        Statistics.transports(Map.of("bd-smpp", "smpp", "whatsapp", "whatsapp")), List.of("en", "bn"), Outcomes.shipped());
  }

  static Facts facts(String gender, Integer age, String what, String channel, String outcome) {
    return new Facts(OCT, gender, age, what, null, channel, "bn", "report", outcome);
  }

  @Test
  void eachReportCountsOnceUnderTheFieldsKeysWithUnknownLast() throws Exception {
    Statistics s = statistics();
    List<Facts> facts = List.of(facts("girl", 3, "forced_labour", "sms", null), facts("girl", 4, "sexual_exploitation", "voice", "resolved"),
        facts("boy", 17, "forced_begging", "bd-smpp", "referred"), facts("other", 18, null, "ussd:bd-ussd", null),
        facts(null, null, "online_abuse", "whatsapp", null));
    Table t = s.table(facts, Dimension.SEX, Dimension.AGE_BAND);
    assertThat(t.rowKeys()).containsExactly("female", "male", "unknown");
    assertThat(t.colKeys()).containsExactly("0-3", "4-6", "7-9", "10-12", "13-15", "16-17", "18+", "unknown");
    assertThat(t.count(0, 0)).as("a girl of 3").isEqualTo(1);
    assertThat(t.count(0, 1)).as("a girl of 4").isEqualTo(1);
    assertThat(t.count(1, 5)).as("a boy of 17").isEqualTo(1);
    assertThat(t.count(2, 6)).as("'other' counts as unknown sex; 18 is 18+").isEqualTo(1);
    assertThat(t.count(2, 7)).isEqualTo(1);
    assertThat(t.total()).isEqualTo(5);

    Table channels = s.table(facts, Dimension.CHANNEL, null);
    assertThat(channels.rowKeys()).containsExactly("sms", "voice", "ussd", "whatsapp", "unknown");
    assertThat(channels.colKeys()).containsExactly(Table.TOTAL);
    assertThat(channels.cells()).isDeepEqualTo(new long[][] {{2}, {1}, {1}, {1}, {0}});

    Table exploitation = s.table(facts, Dimension.EXPLOITATION, Dimension.OUTCOME);
    assertThat(exploitation.rowKeys()).startsWith("ChildLabour").contains("ForcedLabour", "SexualExploitation").endsWith("Other", "unknown");
    assertThat(exploitation.colKeys()).containsExactly("referred", "resolved", "advice_given", "no_action_possible", "duplicate",
        "not_a_report", "unreachable", "open");
    assertThat(exploitation.count(exploitation.rowKeys().indexOf("ForcedBegging"), 0)).isEqualTo(1);
    assertThat(exploitation.count(exploitation.rowKeys().indexOf("Other"), 7)).as("online abuse has no HTCDS type: Other").isEqualTo(1);
  }

  @Test
  void completenessIsTheShareOfReportsThatSayIt() throws Exception {
    List<Facts> facts = new ArrayList<>();
    for (int i = 0; i < 3; i++) facts.add(facts("girl", 12, "forced_labour", "sms", null));
    facts.add(facts(null, 12, null, "sms", null));
    Map<String, Double> c = statistics().completeness(facts);
    assertThat(c).containsExactly(Map.entry("sex", 0.75), Map.entry("ageBand", 1.0), Map.entry("exploitation", 0.75), Map.entry("origin", 0.0));
    assertThat(statistics().completeness(List.of())).isEmpty();
  }

  @Test
  void originIsTheRolledUpAreaAndListsOnlyAreasReportedFrom() throws Exception {
    Statistics s = statistics();
    List<Facts> facts = List.of(new Facts(OCT, "girl", 12, null, "BD-13", "sms", "bn", "report", null),
        new Facts(OCT, "girl", 12, null, "BD-C", "sms", "bn", "report", null), new Facts(OCT, "girl", 12, null, "BD-A", "sms", "bn", "report", null));
    Table t = s.table(facts, Dimension.ORIGIN, null);
    assertThat(t.rowKeys()).containsExactly("BD-A", "BD-C", "unknown");
    assertThat(t.cells()).isDeepEqualTo(new long[][] {{1}, {2}, {0}});
  }

  @Test
  void onlyTheApisEightDimensionsCanBeAskedFor() {
    assertThat(Dimension.apiNames()).containsExactly("sex", "ageBand", "exploitation", "origin", "channel", "language", "contactType", "outcome");
    assertThat(Dimension.parse("ctdcAgeBand")).isEmpty();
    assertThat(Dimension.parse("ageBand")).contains(Dimension.AGE_BAND);
  }

  @Test
  void aCsvCellNeverRunsAsAFormulaAndQuotesWhatNeedsIt() {
    assertThat(Exports.cell("=HYPERLINK(1)")).isEqualTo("'=HYPERLINK(1)");
    assertThat(Exports.cell("Child labour, forced")).isEqualTo("\"Child labour, forced\"");
    assertThat(Exports.cell("<11")).isEqualTo("<11");
  }

  @Test
  void everyExportIsTablesOfTwoDimensionsWithEveryValueUnderTheRules() throws Exception {
    Statistics s = statistics();
    List<Facts> facts = new ArrayList<>();
    java.util.Random random = new java.util.Random(16);
    String[] what = {"forced_labour", "sexual_exploitation", "forced_begging", "forced_marriage", "moved_or_sold", null};
    String[] gender = {"girl", "boy", "other", null};
    for (int i = 0; i < 400; i++) {
      facts.add(facts(gender[random.nextInt(gender.length)], random.nextInt(10) == 0 ? null : random.nextInt(30), what[random.nextInt(what.length)],
          "sms", null));
    }
    Period q4 = Period.parse("2026-Q4");
    for (Exports e : Exports.values()) {
      List<String> lines = e.csv(s, q4, facts).lines().toList();
      assertThat(lines.get(0)).isEqualTo(Exports.HEADER);
      assertThat(lines.subList(1, lines.size())).allSatisfy(line -> {
        assertThat(line).startsWith(e.wire() + ",2026-Q4,");
        String value = line.substring(line.lastIndexOf(',') + 1);
        if (!value.equals("<11")) {
          long n = Long.parseLong(value);
          assertThat(n == 0 || (n >= 15 && n % 5 == 0)).as(line).isTrue();
        }
      });
      assertThat(lines).as("each table's grand total: 400").filteredOn(l -> l.matches(".*,total,[^,]+,total,400")).hasSize(e.tables().size());
    }
  }
}
