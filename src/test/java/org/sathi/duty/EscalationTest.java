package org.sathi.duty;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Priority;
import org.sathi.report.Report;
import org.sathi.report.ReportAnswers;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.sathi.testing.MutableClock;

/** Paging along the roster with an injected clock. */
class EscalationTest {
  static final String ROSTER = """
      officers:
        - { id: rahim, name: Rahim, phone: "+8801700000101", role: officer }
        - { id: karima, name: Karima, phone: "+8801700000102", role: officer }
        - { id: nasreen, name: Nasreen, phone: "+8801700000103", role: supervisor }
        - { id: sumon, name: Sumon, phone: "+8801700000104", role: officer }
      shifts:
        - { name: day, timeZone: Asia/Dhaka, from: "08:00", to: "20:00", primary: rahim, backup: karima, supervisor: nasreen }
        - { name: night, timeZone: Asia/Dhaka, from: "20:00", to: "08:00", primary: sumon, backup: rahim, supervisor: nasreen }
      """;

  // 10:00 in Dhaka (UTC+6): the day shift.
  static final Instant DAY = Instant.parse("2026-11-23T04:00:00Z");

  MutableClock clock;
  ReportStore store;
  RecordingPager pager;
  Escalation escalation;
  Roster roster;

  @BeforeEach
  void setUp(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("roster.yaml");
    Files.writeString(file, ROSTER);
    Roster.Loaded loaded = Roster.load(file);
    assertThat(loaded.problems()).isEmpty();
    roster = loaded.roster();
    clock = new MutableClock(DAY);
    store = newStore();
    pager = new RecordingPager();
    escalation = new Escalation(store, roster, pager, clock, Escalation.Settings.defaults(), new SimpleMeterRegistry());
  }

  /** The store the schedule lives in; the Redis subclass runs every case on Redis. */
  ReportStore newStore() throws Exception {
    return new MemoryReportStore();
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.await(5, TimeUnit.SECONDS);
  }

  void file(String ref, Priority p) throws Exception {
    Report r = new Report(ref, "report", "sms", "bn", clock.instant(), "ck", new ReportAnswers("child", "forced_labour", "yes", 12, "girl",
        "Khulna", "they beat him", null, "no", null, null), Map.of(), List.of(), p, Report.Status.NEW, null, null, 0, null);
    await(store.create(r, List.of(), "", escalation.firstPage(p)));
  }

  @Test
  void primaryAtOnceBackupAfterTheDeadlineThenSupervisorThenNobody() throws Exception {
    file("ABCD-EFGH", Priority.P1);
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("rahim");
    assertThat(pager.pages.get(0).text()).isEqualTo("Sathi P1 ABCD-EFGH: forced labour. Reply ACK ABCD-EFGH to acknowledge.")
        .doesNotContain("beat").doesNotContain("Khulna");

    clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    await(escalation.runDue());
    assertThat(pager.officers()).as("before the 5-minute deadline").containsExactly("rahim");

    clock.advance(Duration.ofSeconds(1));
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("rahim", "karima");

    clock.advance(Duration.ofMinutes(5));
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("rahim", "karima", "nasreen");

    clock.advance(Duration.ofMinutes(5));
    await(escalation.runDue());
    clock.advance(Duration.ofMinutes(60));
    await(escalation.runDue());
    assertThat(pager.officers()).as("nobody after the supervisor").containsExactly("rahim", "karima", "nasreen");
    assertThat(await(store.timeline("ABCD-EFGH"))).extracting(TimelineEntry::kind)
        .containsExactly("paged", "paged", "paged", "unacknowledged");
  }

  @Test
  void anAcknowledgementStopsThePaging() throws Exception {
    file("ABCD-EFGH", Priority.P1);
    await(escalation.runDue());
    clock.advance(Duration.ofMinutes(2));
    assertThat(await(escalation.acknowledge("ABCD-EFGH", "rahim"))).isTrue();
    clock.advance(Duration.ofHours(2));
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("rahim");
    assertThat(await(store.get("ABCD-EFGH")).get().acknowledgedBy()).isEqualTo("rahim");
    assertThat(await(store.timeline("ABCD-EFGH"))).extracting(TimelineEntry::kind).containsExactly("paged", "acknowledged");
    assertThat(await(escalation.acknowledge("NONE-XXXX", "rahim"))).isFalse();
  }

  @Test
  void aP2WaitsAnHourForItsAcknowledgementAndAP3IsNeverPaged() throws Exception {
    file("PTWO-AAAA", Priority.P2);
    file("PTRE-AAAA", Priority.P3);
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("rahim");
    clock.advance(Duration.ofMinutes(59));
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("rahim");
    clock.advance(Duration.ofMinutes(1));
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("rahim", "karima");
    assertThat(pager.pages).noneMatch(p -> p.text().contains("PTRE-AAAA"));
  }

  @Test
  void theNightShiftIsPagedAtNightAcrossMidnight() throws Exception {
    clock = new MutableClock(Instant.parse("2026-11-23T20:30:00Z")); // 02:30 in Dhaka
    escalation = new Escalation(store, roster, pager, clock, Escalation.Settings.defaults(), new SimpleMeterRegistry());
    file("NITE-AAAA", Priority.P1);
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("sumon");
  }

  @Test
  void aPageThatCannotBeSentMovesOnToTheBackupAtOnce() throws Exception {
    Pager failingForRahim = (officer, text) -> officer.id().equals("rahim")
        ? io.vertx.core.Future.failedFuture(new IllegalStateException("Twilio answered 400"))
        : pager.page(officer, text);
    escalation = new Escalation(store, roster, failingForRahim, clock, Escalation.Settings.defaults(), new SimpleMeterRegistry());
    file("ABCD-EFGH", Priority.P1);
    await(escalation.runDue());
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("karima");
    assertThat(await(store.timeline("ABCD-EFGH"))).extracting(TimelineEntry::kind).containsExactly("page-failed", "paged");
  }

  @Test
  void aGapInTheRosterWaitsForTheNextShiftInsteadOfGivingUp() throws Exception {
    Path file = Files.createTempFile("roster", ".yaml");
    Files.writeString(file, """
        officers:
          - { id: rahim, name: Rahim, phone: "+8801700000101", role: officer }
        shifts:
          - { name: day, timeZone: Asia/Dhaka, from: "08:00", to: "20:00", primary: rahim, backup: rahim, supervisor: rahim }
        """);
    Roster dayOnly = Roster.load(file).roster();
    clock = new MutableClock(Instant.parse("2026-11-23T01:00:00Z")); // 07:00 in Dhaka: nobody on call
    escalation = new Escalation(store, dayOnly, pager, clock, Escalation.Settings.defaults(), new SimpleMeterRegistry());
    file("EARL-YAAA", Priority.P1);
    await(escalation.runDue());
    for (int i = 0; i < 59; i++) {
      clock.advance(Duration.ofMinutes(1));
      await(escalation.runDue());
    }
    assertThat(pager.officers()).as("nobody to page before 08:00").isEmpty();
    assertThat(await(store.get("EARL-YAAA")).get().escalation()).isZero();
    clock.advance(Duration.ofMinutes(1)); // 08:00
    await(escalation.runDue());
    assertThat(pager.officers()).containsExactly("rahim");
  }

  @Test
  void aBrokenRosterNamesFileAndLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("roster.yaml");
    Files.writeString(file, """
        officers:
          - { id: rahim, name: Rahim, phone: "01700000101", role: officer }
        shifts:
          - { name: day, timeZone: Asia/Dhakka, from: "08:00", to: "20:00", primary: rahim, backup: karim, supervisor: rahim }
        """);
    Roster.Loaded loaded = Roster.load(file);
    assertThat(loaded.roster()).isNull();
    assertThat(loaded.problems()).extracting(Object::toString).containsExactly(
        file + ":2: phone must be E.164, such as \"+8801700000000\"",
        file + ":4: unknown time zone 'Asia/Dhakka' (use names like Asia/Dhaka)",
        file + ":4: 'backup' names officer 'karim', who is not in officers:");
  }
}
