package org.sathi.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every ReportStore promises; run against memory and Redis. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class ReportStoreContract {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  abstract ReportStore store();

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the store did not answer within 10 s", e);
    }
  }

  static Report report(String ref, Priority p, Instant at) {
    return new Report(ref, "report", "sms", "bn", at, "ck-" + ref,
        new ReportAnswers("child", "forced_labour", "yes", 14, "girl", "Khulna", "locked in", null, "no", null, null),
        Map.of("crosswalkVersion", 1), List.of("child"), p, Report.Status.NEW, null, null, 0, null);
  }

  static TimelineEntry entry(Instant at, String kind) {
    return new TimelineEntry(at, kind, "sathi", kind + " entry");
  }

  @Test
  void aReportComesBackWithItsTimeline() {
    ReportStore s = store();
    Report r = report("AAAA-AAAA", Priority.P1, T0);
    assertThat(await(s.create(r, List.of(entry(T0, "created"), entry(T0, "triaged")), "khulna", Optional.empty()))).isTrue();
    assertThat(await(s.get("AAAA-AAAA"))).contains(r);
    assertThat(await(s.timeline("AAAA-AAAA"))).extracting(TimelineEntry::kind).containsExactly("created", "triaged");
    assertThat(await(s.get("CCCC-CCCC"))).isEmpty();
  }

  @Test
  void theSameReferenceTwiceMakesOneReport() {
    ReportStore s = store();
    assertThat(await(s.create(report("AAAA-AAAA", Priority.P2, T0), List.of(entry(T0, "created")), "", Optional.empty()))).isTrue();
    assertThat(await(s.create(report("AAAA-AAAA", Priority.P1, T0), List.of(entry(T0, "created")), "", Optional.empty()))).isFalse();
    assertThat(await(s.get("AAAA-AAAA")).get().priority()).isEqualTo(Priority.P2);
    assertThat(await(s.timeline("AAAA-AAAA"))).hasSize(1);
  }

  @Test
  void reportsOfEveryStatusComeNewestFirstAPageAtATimeWithoutSkippingOrRepeatingATie() {
    ReportStore s = store();
    // Two pairs created in the same millisecond: a page that ends inside a pair must go on with its other half.
    List<String> refs = List.of("AAAA-AAAA", "CCCC-CCCC", "DDDD-DDDD", "EEEE-EEEE", "FFFF-FFFF");
    List<Instant> at = List.of(T0, T0.plusMillis(5), T0.plusMillis(5), T0.plusMillis(9), T0.plusMillis(9));
    for (int i = 0; i < refs.size(); i++) await(s.create(report(refs.get(i), Priority.P3, at.get(i)), List.of(), "", Optional.empty()));
    await(s.changeStatus("CCCC-CCCC", java.util.Set.of(Report.Status.NEW), Report.Status.CLOSED, "rahim", entry(T0, "closed")));

    List<String> seen = new java.util.ArrayList<>();
    long before = Long.MAX_VALUE / 2;
    String after = null;
    for (int page = 0; page < 10; page++) {
      List<Report> got = await(s.newest(before, after, Instant.EPOCH, 2));
      if (got.isEmpty()) break;
      got.forEach(r -> seen.add(r.reference()));
      Report last = got.get(got.size() - 1);
      before = last.createdAt().toEpochMilli();
      after = last.reference();
    }
    assertThat(seen).containsExactly("FFFF-FFFF", "EEEE-EEEE", "DDDD-DDDD", "CCCC-CCCC", "AAAA-AAAA");
    assertThat(await(s.get("CCCC-CCCC")).orElseThrow().status()).isEqualTo(Report.Status.CLOSED);
    assertThat(await(s.newest(Long.MAX_VALUE / 2, null, T0.plusMillis(6), 10))).extracting(Report::reference)
        .as("not before").containsExactly("FFFF-FFFF", "EEEE-EEEE");
    assertThat(await(s.newest(Long.MAX_VALUE / 2, null, Instant.EPOCH, 10)).get(3).status()).as("with its state").isEqualTo(Report.Status.CLOSED);
  }

  @Test
  void openReportsComeMostUrgentFirstThenOldest() {
    ReportStore s = store();
    await(s.create(report("P3OL-DEST", Priority.P3, T0), List.of(), "", Optional.empty()));
    await(s.create(report("P2NE-WERR", Priority.P2, T0.plusSeconds(60)), List.of(), "", Optional.empty()));
    await(s.create(report("P1NE-WEST", Priority.P1, T0.plusSeconds(120)), List.of(), "", Optional.empty()));
    await(s.create(report("P1OL-DERR", Priority.P1, T0.plusSeconds(30)), List.of(), "", Optional.empty()));
    assertThat(await(s.open(10))).extracting(Report::reference).containsExactly("P1OL-DERR", "P1NE-WEST", "P2NE-WERR", "P3OL-DEST");
    assertThat(await(s.open(2))).hasSize(2);
  }

  @Test
  void aClosedReportLeavesTheOpenQueueAndKeepsItsTimeline() {
    ReportStore s = store();
    Report r = report("AAAA-AAAA", Priority.P1, T0);
    await(s.create(r, List.of(entry(T0, "created")), "", Optional.of(T0)));
    assertThat(await(s.changeStatus("AAAA-AAAA", java.util.Set.of(Report.Status.NEW), Report.Status.CLAIMED, "rahim", entry(T0, "claimed")))).isTrue();
    assertThat(await(s.changeStatus("AAAA-AAAA", java.util.Set.of(Report.Status.NEW), Report.Status.CLAIMED, "karima", entry(T0, "claimed"))))
        .as("already claimed").isFalse();
    assertThat(await(s.get("AAAA-AAAA")).get().assignee()).isEqualTo("rahim");
    assertThat(await(s.claimDue(T0.plusSeconds(1), Duration.ofSeconds(30), 10))).as("a claimed report is not paged").isEmpty();
    assertThat(await(s.changeStatus("AAAA-AAAA", java.util.Set.of(Report.Status.CLAIMED, Report.Status.IN_PROGRESS), Report.Status.CLOSED, "rahim",
        entry(T0.plusSeconds(5), "closed")))).isTrue();
    assertThat(await(s.open(10))).isEmpty();
    assertThat(await(s.get("AAAA-AAAA")).get().status()).isEqualTo(Report.Status.CLOSED);
    assertThat(await(s.timeline("AAAA-AAAA"))).extracting(TimelineEntry::kind).containsExactly("created", "claimed", "closed");
  }

  @Test
  void aChangeMadeOnWhatAnOfficerReadEarlierIsRefusedOnceAnotherOfficerHoldsTheReport() {
    ReportStore s = store();
    await(s.create(report("AAAA-AAAA", Priority.P1, T0), List.of(entry(T0, "created")), "", Optional.empty()));
    java.util.Set<Report.Status> worked = java.util.Set.of(Report.Status.CLAIMED, Report.Status.IN_PROGRESS);
    assertThat(await(s.changeStatus("AAAA-AAAA", java.util.Set.of(Report.Status.NEW), Report.Status.CLAIMED, "rahim", entry(T0, "claimed"), "")))
        .as("held by nobody, as read").isTrue();
    // rahim releases it in one tab, karima claims it; rahim's other tab still thinks he holds it.
    assertThat(await(s.changeStatus("AAAA-AAAA", worked, Report.Status.NEW, null, entry(T0, "released"), "rahim"))).isTrue();
    assertThat(await(s.changeStatus("AAAA-AAAA", java.util.Set.of(Report.Status.NEW), Report.Status.CLAIMED, "karima", entry(T0, "claimed"), ""))).isTrue();
    assertThat(await(s.changeStatus("AAAA-AAAA", worked, Report.Status.CLOSED, "rahim", entry(T0, "closed"), "rahim")))
        .as("rahim no longer holds it").isFalse();
    Report after = await(s.get("AAAA-AAAA")).get();
    assertThat(after.status()).isEqualTo(Report.Status.CLAIMED);
    assertThat(after.assignee()).isEqualTo("karima");
    assertThat(await(s.timeline("AAAA-AAAA"))).extracting(TimelineEntry::kind).containsExactly("created", "claimed", "released", "claimed");
    assertThat(await(s.changeStatus("AAAA-AAAA", worked, Report.Status.CLOSED, "karima", entry(T0, "closed"), "karima"))).isTrue();
  }

  @Test
  void anAcknowledgementIsNeverUndoneByAPageThatWasInFlight() {
    ReportStore s = store();
    await(s.create(report("AAAA-AAAA", Priority.P1, T0), List.of(), "", Optional.of(T0)));
    assertThat(await(s.claimDue(T0, Duration.ofSeconds(30), 10))).containsExactly("AAAA-AAAA");
    // The page goes out; meanwhile the officer acknowledges.
    assertThat(await(s.acknowledge("AAAA-AAAA", "rahim", entry(T0.plusSeconds(1), "acknowledged")))).isTrue();
    assertThat(await(s.escalated("AAAA-AAAA", 0, entry(T0.plusSeconds(2), "paged"), Optional.of(T0.plusSeconds(300))))).isFalse();
    Report after = await(s.get("AAAA-AAAA")).get();
    assertThat(after.acknowledgedBy()).isEqualTo("rahim");
    assertThat(after.escalation()).isZero();
    assertThat(await(s.claimDue(T0.plusSeconds(600), Duration.ofSeconds(30), 10))).isEmpty();
    assertThat(await(s.acknowledge("NONE-XXXX", "rahim", entry(T0, "acknowledged")))).isFalse();
  }

  @Test
  void aNoteGoesOnTheTimelineOfAnExistingReportOnly() {
    ReportStore s = store();
    await(s.create(report("AAAA-AAAA", Priority.P2, T0), List.of(entry(T0, "created")), "", Optional.empty()));
    assertThat(await(s.note("AAAA-AAAA", entry(T0.plusSeconds(9), "note")))).isTrue();
    assertThat(await(s.note("NONE-XXXX", entry(T0, "note")))).isFalse();
    assertThat(await(s.note("AAAA-AAAA", entry(T0.plusSeconds(10), "reporter-added"), "SM1"))).isTrue();
    assertThat(await(s.note("AAAA-AAAA", entry(T0.plusSeconds(11), "reporter-added"), "SM1"))).as("a retried webhook").isTrue();
    assertThat(await(s.timeline("AAAA-AAAA"))).extracting(TimelineEntry::kind).containsExactly("created", "note", "reporter-added");
  }

  @Test
  void aClosedReportKeepsItsOutcomeUntilItIsReopened() {
    ReportStore s = store();
    await(s.create(report("AAAA-AAAA", Priority.P2, T0), List.of(), "", Optional.empty()));
    await(s.create(report("BBBB-BBBB", Priority.P2, T0), List.of(), "", Optional.empty()));
    assertThat(await(s.get("AAAA-AAAA")).orElseThrow().outcome()).as("open: no outcome").isNull();
    assertThat(await(s.changeStatus("AAAA-AAAA", EnumSet.of(Report.Status.NEW), Report.Status.CLOSED, "rahim", entry(T0, "closed"), null,
        "advice_given"))).isTrue();
    assertThat(await(s.get("AAAA-AAAA")).orElseThrow().outcome()).isEqualTo("advice_given");
    assertThat(await(s.changeStatus("BBBB-BBBB", EnumSet.of(Report.Status.NEW), Report.Status.REFERRED, "rahim", entry(T0, "referred")))).isTrue();
    assertThat(await(s.get("BBBB-BBBB")).orElseThrow().outcome()).as("a referral ends as referred").isEqualTo(Outcomes.REFERRED);
    assertThat(await(s.changeStatus("AAAA-AAAA", EnumSet.of(Report.Status.CLOSED), Report.Status.IN_PROGRESS, "rahim", entry(T0, "reopened"))))
        .isTrue();
    assertThat(await(s.get("AAAA-AAAA")).orElseThrow().outcome()).as("reopened: the outcome is gone").isNull();
  }

  @Test
  void statisticsReadTheCodesOfEachReportInAPeriodWithItsOutcomeAndNothingOnceErased() {
    ReportStore s = store();
    Instant october = Instant.parse("2026-10-31T23:59:59Z");
    Instant november = Instant.parse("2026-11-01T00:00:00Z");
    await(s.create(report("AAAA-AAAA", Priority.P2, october), List.of(), "", Optional.empty()));
    await(s.create(report("BBBB-BBBB", Priority.P2, november), List.of(), "", Optional.empty()));
    await(s.create(report("CCCC-CCCC", Priority.P3, T0), List.of(), "", Optional.empty()));
    await(s.changeStatus("BBBB-BBBB", EnumSet.of(Report.Status.NEW), Report.Status.CLOSED, "rahim", entry(T0, "closed"), null, "resolved"));

    List<Facts> oct = await(s.facts(Instant.parse("2026-10-01T00:00:00Z"), november));
    assertThat(oct).extracting(Facts::createdMillis).containsExactly(october.toEpochMilli());
    assertThat(oct.get(0)).isEqualTo(new Facts(october.toEpochMilli(), "girl", 14, "forced_labour", null, "sms", "bn", "report", null));
    List<Facts> nov = await(s.facts(november, Instant.parse("2026-12-01T00:00:00Z")));
    assertThat(nov).extracting(Facts::outcome).containsExactlyInAnyOrder("resolved", null);
    assertThat(await(s.facts(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z")))).as("a quarter").hasSize(3);
    assertThat(nov.toString()).as("codes only: no words the reporter typed, no reference, no caller").doesNotContain("Khulna", "locked",
        "BBBB", "ck-");

    await(s.erase("BBBB-BBBB", "operator", "on request", T0));
    assertThat(await(s.facts(november, Instant.parse("2026-12-01T00:00:00Z")))).extracting(Facts::outcome).containsExactly((String) null);
  }

  @Test
  void anErasedReportIsGoneFromEveryQueueAndIndex() {
    ReportStore s = store();
    await(s.create(report("AAAA-AAAA", Priority.P1, T0), List.of(entry(T0, "created")), "khulna", Optional.of(T0)));
    await(s.create(report("CCCC-CCCC", Priority.P2, T0.plusSeconds(10)), List.of(), "", Optional.empty()));
    assertThat(await(s.erase("AAAA-AAAA", "operator", "on request", T0.plusSeconds(60)))).isTrue();
    assertThat(await(s.get("AAAA-AAAA"))).isEmpty();
    assertThat(await(s.timeline("AAAA-AAAA"))).isEmpty();
    assertThat(await(s.open(10))).extracting(Report::reference).containsExactly("CCCC-CCCC");
    assertThat(await(s.claimDue(T0.plusSeconds(60), Duration.ofSeconds(30), 10))).isEmpty();
    assertThat(await(s.createdBefore(T0.plusSeconds(3600), 10))).containsExactly("CCCC-CCCC");
    assertThat(await(s.erase("AAAA-AAAA", "operator", "on request", T0.plusSeconds(61)))).as("only once").isFalse();
    assertThat(await(s.reportsAboutPlace("khulna", T0.minusSeconds(1)))).as("no longer counted for its place").isZero();
  }

  @Test
  void reportsCreatedBeforeACutoffComeOldestFirst() {
    ReportStore s = store();
    await(s.create(report("NEWR-AAAA", Priority.P1, T0.plusSeconds(100)), List.of(), "", Optional.empty()));
    await(s.create(report("OLDR-AAAA", Priority.P3, T0), List.of(), "", Optional.empty()));
    assertThat(await(s.createdBefore(T0.plusSeconds(100), 10))).containsExactly("OLDR-AAAA");
    assertThat(await(s.createdBefore(T0.plusSeconds(101), 10))).containsExactly("OLDR-AAAA", "NEWR-AAAA");
    assertThat(await(s.createdBefore(T0.plusSeconds(101), 1))).containsExactly("OLDR-AAAA");
  }

  @Test
  void escalationMovesOnOnceFromEachLevel() {
    ReportStore s = store();
    await(s.create(report("AAAA-AAAA", Priority.P1, T0), List.of(), "", Optional.of(T0)));
    assertThat(await(s.escalated("AAAA-AAAA", 0, entry(T0, "paged"), Optional.of(T0.plusSeconds(300))))).isTrue();
    assertThat(await(s.escalated("AAAA-AAAA", 0, entry(T0, "paged"), Optional.of(T0.plusSeconds(300))))).as("already moved on").isFalse();
    assertThat(await(s.get("AAAA-AAAA")).get().escalation()).isEqualTo(1);
    assertThat(await(s.timeline("AAAA-AAAA"))).hasSize(1);
    assertThat(await(s.claimDue(T0.plusSeconds(300), Duration.ofSeconds(30), 10))).as("the next page stays scheduled").containsExactly("AAAA-AAAA");
  }

  @Test
  void reportsAboutAPlaceAreCountedWithinTheWindow() {
    ReportStore s = store();
    await(s.create(report("AAAA-AAAA", Priority.P3, T0), List.of(), "khulna bus stand", Optional.empty()));
    await(s.create(report("CCCC-CCCC", Priority.P3, T0.plus(Duration.ofHours(20))), List.of(), "khulna bus stand", Optional.empty()));
    await(s.create(report("DDDD-DDDD", Priority.P3, T0.plus(Duration.ofHours(20))), List.of(), "jessore", Optional.empty()));
    assertThat(await(s.reportsAboutPlace("khulna bus stand", T0.plus(Duration.ofHours(25)).minus(Duration.ofDays(1))))).isEqualTo(1);
    assertThat(await(s.reportsAboutPlace("khulna bus stand", T0.minusSeconds(1)))).isEqualTo(2);
    assertThat(await(s.reportsAboutPlace("nowhere", T0))).isZero();
  }

  @Test
  void aDueEscalationIsLeasedToOneClaimantAtATime() {
    ReportStore s = store();
    await(s.create(report("AAAA-AAAA", Priority.P1, T0), List.of(), "", Optional.of(T0)));
    await(s.create(report("CCCC-CCCC", Priority.P1, T0), List.of(), "", Optional.of(T0.plusSeconds(300))));
    assertThat(await(s.claimDue(T0, Duration.ofSeconds(30), 10))).containsExactly("AAAA-AAAA");
    assertThat(await(s.claimDue(T0.plusSeconds(1), Duration.ofSeconds(30), 10))).as("leased").isEmpty();
    assertThat(await(s.claimDue(T0.plusSeconds(31), Duration.ofSeconds(30), 10))).as("lease over").containsExactly("AAAA-AAAA");
    await(s.schedule("AAAA-AAAA", Optional.empty()));
    assertThat(await(s.claimDue(T0.plusSeconds(400), Duration.ofSeconds(30), 10))).containsExactly("CCCC-CCCC");
  }

  @Test
  void anAmendmentKeepsTheStateGoesOnTheTimelineReordersTheQueueAndHappensOncePerId() {
    ReportStore s = store();
    await(s.create(report("AAAA-AAAA", Priority.P2, T0), List.of(entry(T0, "created")), "", Optional.empty()));
    await(s.create(report("CCCC-CCCC", Priority.P2, T0.minusSeconds(60)), List.of(), "", Optional.empty()));
    await(s.changeStatus("AAAA-AAAA", java.util.EnumSet.of(Report.Status.NEW), Report.Status.CLAIMED, "rahim", entry(T0, "claimed")));
    java.util.function.UnaryOperator<Report> voicemail = r -> r.amended(new ReportAnswers(null, null, null, null, null, null, null,
        "https://api.twilio.com/rec", "yes", null, 31), List.of("child", "voicemail"), Priority.P1, "sealed-blob");
    assertThat(await(s.amend("AAAA-AAAA", voicemail, entry(T0, "missed"), "CA1/voicemail:5"))).isTrue();
    assertThat(await(s.amend("AAAA-AAAA", voicemail, entry(T0, "missed"), "CA1/voicemail:5"))).as("the same id again").isTrue();
    Report r = await(s.get("AAAA-AAAA")).orElseThrow();
    assertThat(r.priority()).isEqualTo(Priority.P1);
    assertThat(r.flags()).containsExactly("child", "voicemail");
    assertThat(r.answers().recording()).isEqualTo("https://api.twilio.com/rec");
    assertThat(r.sealedContact()).isEqualTo("sealed-blob");
    assertThat(r.status()).as("the state is untouched").isEqualTo(Report.Status.CLAIMED);
    assertThat(r.assignee()).isEqualTo("rahim");
    assertThat(await(s.timeline("AAAA-AAAA"))).extracting(TimelineEntry::kind).containsExactly("created", "claimed", "missed");
    assertThat(await(s.open(10))).extracting(Report::reference).as("now P1: first").containsExactly("AAAA-AAAA", "CCCC-CCCC");
    assertThat(await(s.amend("DDDD-DDDD", voicemail, entry(T0, "missed"), null))).isFalse();
  }
}
