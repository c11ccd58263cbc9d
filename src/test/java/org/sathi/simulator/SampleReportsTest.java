package org.sathi.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sathi.report.Facts;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Outcomes;
import org.sathi.report.ReferenceCode;
import org.sathi.report.Report;
import org.sathi.report.ReportJson;
import org.sathi.simulator.SampleReports.Sample;
import org.sathi.testing.TestHotline;

/** The demo's synthetic reports: the same for the same seed, all marked synthetic, spread over the months, with no number anywhere. */
class SampleReportsTest {
  /** The demo's window on 8 December 2026: 8 June to 7 December. */
  static final Clock DAY = Clock.fixed(Instant.parse("2026-12-08T10:15:00Z"), ZoneOffset.UTC);
  static final List<String> LANGUAGES = List.of("en", "bn", "hi", "ne", "ur");
  /** Seven digits in a row, with or without a +, spaces or dashes between them: anything a phone number could be. */
  static final Pattern NUMBER = Pattern.compile("\\+?\\d(?:[ -]?\\d){6,}");

  static SampleReports generator() throws Exception {
    return new SampleReports(LANGUAGES, Outcomes.shipped(), TestHotline.triager(), TestHotline.crosswalk()::map);
  }

  static List<Sample> demo(long seed) throws Exception {
    Instant[] window = SampleReports.beforeToday(DAY);
    return generator().make(SampleReports.DEMO_COUNT, window[0], window[1], seed);
  }

  @Test
  void theSameSeedGivesTheSameReportsAndAnotherSeedOthers() throws Exception {
    assertThat(demo(7)).isEqualTo(demo(7));
    assertThat(demo(7).get(0).report().reference()).isNotEqualTo(demo(8).get(0).report().reference());
  }

  @Test
  void everyReportIsMarkedSyntheticAndHasAReferenceCode() throws Exception {
    List<Sample> samples = demo(SampleReports.DEMO_SEED);
    assertThat(samples).hasSize(SampleReports.DEMO_COUNT);
    for (Sample s : samples) {
      assertThat(s.report().flags()).as(s.report().reference()).contains(SampleReports.FLAG);
      assertThat(s.timeline().get(0).text()).isEqualTo("Synthetic sample report (./sathi demo --sample-data)");
      assertThat(ReferenceCode.isValid(s.report().reference())).as(s.report().reference()).isTrue();
    }
    assertThat(samples.stream().map(s -> s.report().reference()).distinct()).hasSize(samples.size());
  }

  @Test
  void noReportHasAPhoneNumberOrASealedContact() throws Exception {
    for (Sample s : demo(SampleReports.DEMO_SEED)) {
      String all = ReportJson.write(s.report()) + s.timeline().stream().map(ReportJson::write).collect(Collectors.joining());
      assertThat(NUMBER.matcher(all.replaceAll("\"(createdAt|at|callerKey)\":\"[^\"]*\"", "")).find()).as(all).isFalse();
      assertThat(s.report().sealedContact()).isNull();
      assertThat(s.report().callerKey()).startsWith(SampleReports.FLAG);
    }
  }

  @Test
  void theReportsSpreadOverTheSixMonthsBeforeTodayAndEachTimelineStaysInThem() throws Exception {
    Instant[] window = SampleReports.beforeToday(DAY);
    assertThat(window[0]).isEqualTo(Instant.parse("2026-06-08T00:00:00Z"));
    assertThat(window[1]).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
    Map<YearMonth, Long> byMonth = new TreeMap<>();
    for (Sample s : demo(SampleReports.DEMO_SEED)) {
      Instant created = s.report().createdAt();
      assertThat(created).isBetween(window[0], window[1].minusMillis(1));
      for (var e : s.timeline()) assertThat(e.at()).as(s.report().reference()).isBetween(created, window[1].minusMillis(1));
      byMonth.merge(YearMonth.from(created.atOffset(ZoneOffset.UTC)), 1L, Long::sum);
    }
    assertThat(byMonth.keySet()).containsExactly(YearMonth.of(2026, 6), YearMonth.of(2026, 7), YearMonth.of(2026, 8), YearMonth.of(2026, 9),
        YearMonth.of(2026, 10), YearMonth.of(2026, 11), YearMonth.of(2026, 12));
    // Every whole month has its share, give or take a third.
    long share = SampleReports.DEMO_COUNT / SampleReports.DEMO_MONTHS;
    for (int m = 7; m <= 11; m++) assertThat(byMonth.get(YearMonth.of(2026, m))).as("month " + m).isBetween(share * 2 / 3, share * 4 / 3);
  }

  @Test
  void theReportsVaryAsTheStatisticsCountThem() throws Exception {
    List<Report> reports = demo(SampleReports.DEMO_SEED).stream().map(Sample::report).toList();
    List<Facts> facts = reports.stream().map(Facts::of).toList();
    assertThat(values(facts, Facts::channel)).containsExactlyInAnyOrder("sms", "voice", "ussd:demo-ussd", "whatsapp");
    assertThat(values(facts, Facts::language)).isSubsetOf(LANGUAGES).contains("bn", "en");
    assertThat(values(facts, Facts::contactType)).contains("report", "handoff", "voicemail");
    assertThat(values(facts, Facts::gender)).contains("girl", "boy", "unknown");
    assertThat(facts).anyMatch(f -> f.gender() == null).anyMatch(f -> f.age() == null).anyMatch(f -> f.age() != null && f.age() < 18)
        .anyMatch(f -> f.age() != null && f.age() >= 18);
    assertThat(values(facts, Facts::what)).contains("forced_labour", "sexual_exploitation", "forced_marriage", "moved_or_sold");
    // Closed with the outcomes of config/outcomes.yaml, referred ones among them; some still open, waiting or worked.
    assertThat(values(facts, Facts::outcome)).isSubsetOf(Outcomes.shipped().ids()).contains("referred", "resolved", "advice_given");
    assertThat(reports.stream().map(Report::status).collect(Collectors.toSet())).contains(Report.Status.NEW, Report.Status.CLAIMED,
        Report.Status.IN_PROGRESS, Report.Status.CLOSED);
    assertThat(reports).filteredOn(r -> r.status() == Report.Status.CLOSED).allMatch(r -> r.outcome() != null && r.assignee() != null);
    assertThat(reports).filteredOn(Report::open).allMatch(r -> r.outcome() == null);
    assertThat(reports).filteredOn(r -> r.flags().contains("voicemail")).allMatch(r -> r.priority() == org.sathi.report.Priority.P1);
  }

  @Test
  void storedTheyAreWhatTheStatisticsRead() throws Exception {
    MemoryReportStore store = new MemoryReportStore();
    List<Sample> samples = demo(SampleReports.DEMO_SEED);
    assertThat(SampleReports.store(store, samples, 64).await(10, TimeUnit.SECONDS)).isEqualTo(samples.size());
    assertThat(SampleReports.store(store, samples.subList(0, 3), 64).await(10, TimeUnit.SECONDS)).as("stored twice, made once").isZero();
    Instant[] window = SampleReports.beforeToday(DAY);
    assertThat(store.facts(window[0], window[1]).await(10, TimeUnit.SECONDS)).hasSize(samples.size());
    String ref = samples.get(0).report().reference();
    assertThat(store.timeline(ref).await(10, TimeUnit.SECONDS).get(0).text()).isEqualTo(SampleReports.FIRST_ENTRY);
  }

  static <T> Set<T> values(List<Facts> facts, java.util.function.Function<Facts, T> field) {
    return facts.stream().map(field).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
  }
}
