package org.sathi.duty;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Priority;
import org.sathi.report.Report;
import org.sathi.report.TimelineEntry;
import org.sathi.testing.MutableClock;

/** Filing inbox entries as reports: idempotent, triaged, paged, and dead-lettered when they keep failing. */
class DutyDeskTest {
  static final Instant NOW = Instant.parse("2026-11-23T04:00:00Z");
  static final Roster ROSTER = new Roster(
      Map.of("rahim", new Roster.Officer("rahim", "Rahim", "+8801700000101", "officer")),
      List.of(new Roster.Shift("all", java.time.ZoneId.of("Asia/Dhaka"), java.util.EnumSet.allOf(java.time.DayOfWeek.class),
          java.time.LocalTime.MIN, java.time.LocalTime.MAX, "rahim", "rahim", "rahim")));

  Vertx vertx;
  MutableClock clock;
  List<String> written;
  MemoryDutyInbox inbox;
  MemoryReportStore reports;
  RecordingPager pager;
  DutyDesk desk;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    clock = new MutableClock(NOW);
    written = new CopyOnWriteArrayList<>();
    inbox = new MemoryDutyInbox(() -> List.copyOf(written), clock);
    reports = new MemoryReportStore();
    pager = new RecordingPager();
    Escalation escalation = new Escalation(reports, ROSTER, pager, clock, Escalation.Settings.defaults(), new SimpleMeterRegistry());
    Triager triager = (kind, language, answers, same) -> "yes".equals(answers == null ? null : answers.danger())
        ? new Triager.Triaged(Priority.P1, List.of("danger_now"), List.of("danger_now: someone is in danger now"))
        : new Triager.Triaged(same >= 1 ? Priority.P2 : Priority.P3, same >= 1 ? List.of("repeat_place") : List.of(), List.of());
    desk = new DutyDesk(vertx, inbox, reports, triager, a -> Map.of("crosswalkVersion", 1), escalation, clock, new SimpleMeterRegistry(),
        DutyDesk.Settings.defaults("test"), p -> "h(" + p + ")");
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  static String report(String ref, String danger, String place) {
    return """
        {"type":"report","reference":"%s","language":"bn","node":"report.submit","answers":{"who":"child","what":"forced_labour",
        "danger":"%s","age":"12","gender":"girl","place":"%s","details":"তারা মারে","contact":"no"},"channel":"sms",
        "callerKey":"ck1","webhookId":"SM1","createdAt":"2026-11-23T03:59:58Z"}""".formatted(ref, danger, place);
  }

  <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.await(5, TimeUnit.SECONDS);
  }

  /** Pages go out apart from filing: wait (up to 2 s) until this many were sent. */
  void awaitPages(int n) throws InterruptedException {
    long until = System.nanoTime() + 2_000_000_000L;
    while (pager.pages.size() < n && System.nanoTime() < until) Thread.sleep(5);
  }

  /** The report's timeline once it has {@code n} entries (or after 2 s): the page is noted just after the pager took it. */
  List<TimelineEntry> awaitTimeline(String reference, int n) throws Exception {
    long until = System.nanoTime() + 2_000_000_000L;
    List<TimelineEntry> timeline = await(reports.timeline(reference));
    while (timeline.size() < n && System.nanoTime() < until) {
      Thread.sleep(5);
      timeline = await(reports.timeline(reference));
    }
    return timeline;
  }

  @Test
  void aP1ReportIsFiledTriagedAndThePrimaryIsPagedAtOnce() throws Exception {
    written.add(report("ABCD-EFGH", "yes", "Khulna"));
    await(desk.poll());
    Report r = await(reports.get("ABCD-EFGH")).orElseThrow();
    assertThat(r.priority()).isEqualTo(Priority.P1);
    assertThat(r.flags()).containsExactly("danger_now");
    assertThat(r.answers().age()).isEqualTo(12);
    assertThat(r.standards()).containsEntry("crosswalkVersion", 1);
    awaitPages(1);
    assertThat(pager.officers()).containsExactly("rahim");
    assertThat(awaitTimeline("ABCD-EFGH", 3)).extracting(TimelineEntry::kind).containsExactly("received", "triaged", "paged");
    assertThat(await(reports.timeline("ABCD-EFGH")).get(1).text()).isEqualTo("P1: danger_now: someone is in danger now");
  }

  @Test
  void reportsAreFiledWhilePagingHangs() throws Exception {
    Pager hanging = (officer, text) -> io.vertx.core.Promise.<Void>promise().future(); // Twilio never answers
    Escalation stuck = new Escalation(reports, ROSTER, hanging, clock, Escalation.Settings.defaults(), new SimpleMeterRegistry());
    DutyDesk desk = new DutyDesk(vertx, inbox, reports, (k, l, a, s) -> new Triager.Triaged(Priority.P1, List.of(), List.of()),
        a -> Map.of(), stuck, clock, new SimpleMeterRegistry(), DutyDesk.Settings.defaults("test"), p -> p);
    written.add(report("AAAA-AAAA", "yes", "Khulna"));
    await(desk.poll());
    written.add(report("CCCC-CCCC", "yes", "Jessore"));
    await(desk.poll());
    assertThat(await(reports.open(10))).extracting(Report::reference).containsExactlyInAnyOrder("AAAA-AAAA", "CCCC-CCCC");
  }

  @Test
  void anEntryDeliveredTwiceMakesOneReportAndOnePage() throws Exception {
    written.add(report("ABCD-EFGH", "yes", "Khulna"));
    written.add(report("ABCD-EFGH", "yes", "Khulna"));
    await(desk.poll());
    assertThat(await(reports.open(10))).hasSize(1);
    awaitPages(1);
    Thread.sleep(200);
    assertThat(pager.officers()).containsExactly("rahim");
  }

  @Test
  void aSecondReportAboutTheSamePlaceWithinADayIsCounted() throws Exception {
    written.add(report("AAAA-AAAA", "no", "Khulna Bus-Stand"));
    await(desk.poll());
    written.add(report("CCCC-CCCC", "no", "khulna  bus stand"));
    await(desk.poll());
    assertThat(await(reports.get("AAAA-AAAA")).get().priority()).isEqualTo(Priority.P3);
    assertThat(await(reports.get("CCCC-CCCC")).get().flags()).containsExactly("repeat_place");
  }

  @Test
  void aHandoffBecomesAQueueItemWithAStableReference() throws Exception {
    written.add("""
        {"type":"handoff","language":"en","node":"talk.ask","channel":"sms","callerKey":"ck2","webhookId":"SMabc","createdAt":"2026-11-23T03:59:00Z"}""");
    await(desk.poll());
    List<Report> open = await(reports.open(10));
    assertThat(open).hasSize(1);
    assertThat(open.get(0).kind()).isEqualTo("handoff");
    assertThat(open.get(0).reference()).isEqualTo(org.sathi.report.ReferenceCode.derivedFrom("SMabc"));
  }

  @Test
  void anEntryThatKeepsFailingGoesToTheDeadLettersAfterFiveDeliveries() throws Exception {
    written.add("{\"type\":\"report\",\"reference\":\"BROK-ENAA\"}"); // no createdAt: cannot be filed
    await(desk.poll());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(31));
      await(desk.reclaim());
      assertThat(inbox.deadLetters()).isEmpty();
    }
    clock.advance(Duration.ofSeconds(31));
    await(desk.reclaim());
    assertThat(inbox.deadLetters()).hasSize(1);
    clock.advance(Duration.ofSeconds(31));
    await(desk.reclaim());
    assertThat(inbox.deadLetters()).hasSize(1);
  }

  @org.junit.jupiter.api.Test
  void aVoicemailLeftAfterAnUnansweredHandoffIsP1WhateverTheRulesFound() throws Exception {
    var event = org.sathi.report.ReportJson.MAPPER.readTree("{\"type\":\"report\",\"urgent\":\"voicemail\"}");
    Triager.Triaged t = DutyDesk.urgent(event, new Triager.Triaged(org.sathi.report.Priority.P3, java.util.List.of(), java.util.List.of()));
    org.assertj.core.api.Assertions.assertThat(t.priority()).isEqualTo(org.sathi.report.Priority.P1);
    org.assertj.core.api.Assertions.assertThat(t.reasons()).singleElement().asString().contains("voicemail");
    var plain = org.sathi.report.ReportJson.MAPPER.readTree("{\"type\":\"report\"}");
    Triager.Triaged p3 = new Triager.Triaged(org.sathi.report.Priority.P3, java.util.List.of(), java.util.List.of());
    org.assertj.core.api.Assertions.assertThat(DutyDesk.urgent(plain, p3)).isSameAs(p3);
  }

  @Test
  void aMissedHandoffsEntriesMakeOneReportInWhicheverOrderTheyAreFiled() throws Exception {
    java.time.Instant at = java.time.Instant.parse("2026-11-23T03:59:58Z");
    String handoff = InboxEntry.of(List.of(new org.sathi.flow.Event.HandoffRequested("bn", "talk.ask")), "voice", "ck1", "CA1/gather:2", at, null).get(0);
    String ref = InboxEntry.handoffReference("CA1/gather:2");
    String missed = InboxEntry.missedHandoff(ref, "bn", Map.of("contact", "yes"), "sealed", "The caller agreed to be called back.", "ck1",
        "CA1/missed:4", at);
    String voicemail = InboxEntry.missedHandoff(ref, "bn", Map.of("details", "https://api.twilio.com/rec"), null, "The caller left a voicemail.",
        "ck1", "CA1/voicemail:5", at, InboxEntry.URGENT_VOICEMAIL);
    // The missed entry first (the hand-off's was redelivered late): it makes the hand-off's report.
    written.add(missed);
    await(desk.poll());
    written.add(handoff);
    written.add(voicemail);
    await(desk.poll());
    assertThat(await(reports.open(10))).hasSize(1);
    Report r = await(reports.get(ref)).orElseThrow();
    assertThat(r.kind()).isEqualTo("handoff");
    assertThat(r.flags()).contains(InboxEntry.MISSED_HANDOFF, "voicemail");
    assertThat(r.priority()).isEqualTo(Priority.P1);
    assertThat(r.answers().contact()).isEqualTo("yes");
    assertThat(r.answers().recording()).isEqualTo("https://api.twilio.com/rec");
    assertThat(r.sealedContact()).isEqualTo("sealed");
    assertThat(await(reports.timeline(ref))).extracting(TimelineEntry::text)
        .contains("The caller agreed to be called back.").anyMatch(t -> t.startsWith("The caller left a voicemail."));
  }
}
