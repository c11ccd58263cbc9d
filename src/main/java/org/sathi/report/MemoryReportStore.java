package org.sathi.report;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reports in memory, for {@code demo} and tests: the same contract as Redis, one process. */
public final class MemoryReportStore implements ReportStore {
  private final Map<String, Report> reports = new HashMap<>();
  private final Map<String, List<TimelineEntry>> timelines = new HashMap<>();
  private final Map<String, Map<String, Instant>> places = new HashMap<>();
  private final Map<String, String> placeOf = new HashMap<>();
  private final Map<String, Instant> escalations = new HashMap<>();

  @Override
  public synchronized Future<Boolean> create(Report report, List<TimelineEntry> timeline, String placeKey, Optional<Instant> firstPage) {
    if (reports.containsKey(report.reference())) return Future.succeededFuture(false);
    reports.put(report.reference(), report);
    timelines.put(report.reference(), new ArrayList<>(timeline));
    if (placeKey != null && !placeKey.isEmpty()) {
      places.computeIfAbsent(placeKey, k -> new HashMap<>()).put(report.reference(), report.createdAt());
      placeOf.put(report.reference(), placeKey);
    }
    firstPage.ifPresent(due -> escalations.put(report.reference(), due));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Optional<Report>> get(String reference) {
    return Future.succeededFuture(Optional.ofNullable(reports.get(reference)));
  }

  @Override
  public synchronized Future<List<TimelineEntry>> timeline(String reference) {
    return Future.succeededFuture(List.copyOf(timelines.getOrDefault(reference, List.of())));
  }

  @Override
  public synchronized Future<List<Report>> open(int limit) {
    return Future.succeededFuture(reports.values().stream().filter(Report::open)
        .sorted(Comparator.comparing(Report::priority).thenComparing(Report::createdAt))
        .limit(limit).toList());
  }

  @Override
  public synchronized Future<List<Report>> newest(long beforeMillis, String afterReference, Instant notBefore, int limit) {
    return Future.succeededFuture(reports.values().stream()
        .filter(r -> !r.createdAt().isBefore(notBefore))
        .filter(r -> {
          long at = r.createdAt().toEpochMilli();
          return at < beforeMillis || at == beforeMillis && (afterReference == null || r.reference().compareTo(afterReference) < 0);
        })
        .sorted(Comparator.comparingLong((Report r) -> r.createdAt().toEpochMilli()).thenComparing(Report::reference).reversed())
        .limit(limit).toList());
  }

  @Override
  public synchronized Future<Boolean> escalated(String reference, int fromLevel, TimelineEntry entry, Optional<Instant> nextDue) {
    Report r = reports.get(reference);
    if (r == null || r.acknowledgedBy() != null || r.status() != Report.Status.NEW) {
      escalations.remove(reference);
      return Future.succeededFuture(false);
    }
    if (r.escalation() != fromLevel) return Future.succeededFuture(false); // another claimant moved it on
    reports.put(reference, r.escalatedTo(fromLevel + 1));
    timelines.get(reference).add(entry);
    schedule(reference, nextDue);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> note(String reference, TimelineEntry entry, String dedupId) {
    if (!reports.containsKey(reference)) return Future.succeededFuture(false);
    if (dedupId == null || notesSeen.add(reference + "\u0000" + dedupId)) timelines.get(reference).add(entry);
    return Future.succeededFuture(true);
  }

  private final java.util.Set<String> notesSeen = new java.util.HashSet<>();

  @Override
  public synchronized Future<Boolean> amend(String reference, java.util.function.UnaryOperator<Report> change, TimelineEntry entry,
      String dedupId) {
    Report r = reports.get(reference);
    if (r == null) return Future.succeededFuture(false);
    if (dedupId != null && !notesSeen.add(reference + "\u0000" + dedupId)) return Future.succeededFuture(true);
    reports.put(reference, change.apply(r));
    timelines.get(reference).add(entry);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> acknowledge(String reference, String officer, TimelineEntry entry) {
    Report r = reports.get(reference);
    if (r == null) return Future.succeededFuture(false);
    if (r.acknowledgedBy() == null) {
      reports.put(reference, r.acknowledged(officer));
      timelines.get(reference).add(entry);
    }
    escalations.remove(reference);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> changeStatus(String reference, java.util.Set<Report.Status> from, Report.Status to, String assignee,
      TimelineEntry entry, String heldBy, String outcome) {
    Report r = reports.get(reference);
    if (r == null || !from.contains(r.status())) return Future.succeededFuture(false);
    if (heldBy != null && !heldBy.equals(r.assignee() == null ? "" : r.assignee())) return Future.succeededFuture(false);
    reports.put(reference, r.withStatus(to, assignee, outcome));
    timelines.get(reference).add(entry);
    if (to != Report.Status.NEW) escalations.remove(reference);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<Facts>> facts(Instant from, Instant to) {
    return Future.succeededFuture(reports.values().stream()
        .filter(r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to)).map(Facts::of).toList());
  }

  private final List<String> audit = new ArrayList<>();

  @Override
  public synchronized Future<Boolean> erase(String reference, String actor, String reason, Instant at) {
    if (reports.remove(reference) == null) return Future.succeededFuture(false);
    timelines.remove(reference);
    String place = placeOf.remove(reference);
    if (place != null) places.get(place).remove(reference);
    escalations.remove(reference);
    audit.add(at + " " + actor + " erased " + reference + " (" + reason + ")");
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<String>> createdBefore(Instant cutoff, int max) {
    return Future.succeededFuture(reports.values().stream().filter(r -> r.createdAt().isBefore(cutoff))
        .sorted(Comparator.comparing(Report::createdAt)).limit(max).map(Report::reference).toList());
  }

  /** Erasures so far, as text (the demo's audit log of them). */
  public synchronized List<String> erasures() {
    return List.copyOf(audit);
  }

  @Override
  public synchronized Future<Long> reportsAboutPlace(String placeKey, Instant since) {
    return Future.succeededFuture(places.getOrDefault(placeKey, Map.of()).values().stream().filter(t -> !t.isBefore(since)).count());
  }

  @Override
  public synchronized Future<List<String>> claimDue(Instant now, Duration lease, int max) {
    List<String> due = escalations.entrySet().stream().filter(e -> !e.getValue().isAfter(now))
        .sorted(Map.Entry.comparingByValue()).limit(max).map(Map.Entry::getKey).toList();
    due.forEach(ref -> escalations.put(ref, now.plus(lease)));
    return Future.succeededFuture(due);
  }

  @Override
  public synchronized Future<Void> schedule(String reference, Optional<Instant> due) {
    if (due.isPresent()) escalations.put(reference, due.get());
    else escalations.remove(reference);
    return Future.succeededFuture();
  }
}
