package org.sathi.console;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sathi.report.Report;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;

/**
 * The report store, telling the consoles about every change that succeeded: a new report, a status
 * change, a note or a reporter's words, an acknowledgement, a page, an erasure. Whoever makes the
 * change (the duty desk, an officer, the escalation timer, the SMS webhook) goes through here, so no
 * change can be missed by forgetting to announce it.
 */
public final class PublishingReportStore implements ReportStore {
  private final ReportStore store;
  private final ConsoleEvents events;

  public PublishingReportStore(ReportStore store, ConsoleEvents events) {
    this.store = store;
    this.events = events;
  }

  private Future<Boolean> announce(Future<Boolean> change, String reference, String kind, String priority) {
    return change.onSuccess(changed -> {
      if (changed) events.publish(reference, kind, priority);
    });
  }

  @Override
  public Future<Boolean> create(Report report, List<TimelineEntry> timeline, String placeKey, Optional<Instant> firstPage) {
    return announce(store.create(report, timeline, placeKey, firstPage), report.reference(), "created", report.priority().name());
  }

  @Override
  public Future<Optional<Report>> get(String reference) {
    return store.get(reference);
  }

  @Override
  public Future<List<TimelineEntry>> timeline(String reference) {
    return store.timeline(reference);
  }

  @Override
  public Future<List<Report>> open(int limit) {
    return store.open(limit);
  }

  @Override
  public Future<List<Report>> newest(long beforeMillis, String afterReference, java.time.Instant notBefore, int limit) {
    return store.newest(beforeMillis, afterReference, notBefore, limit);
  }

  @Override
  public Future<Boolean> escalated(String reference, int fromLevel, TimelineEntry entry, Optional<Instant> nextDue) {
    return announce(store.escalated(reference, fromLevel, entry, nextDue), reference, "paged", null);
  }

  @Override
  public Future<Boolean> note(String reference, TimelineEntry entry, String dedupId) {
    return announce(store.note(reference, entry, dedupId), reference, "note", null);
  }

  @Override
  public Future<Boolean> amend(String reference, java.util.function.UnaryOperator<Report> change, TimelineEntry entry, String dedupId) {
    return announce(store.amend(reference, change, entry, dedupId), reference, "amended", null);
  }

  @Override
  public Future<Boolean> acknowledge(String reference, String officer, TimelineEntry entry) {
    return announce(store.acknowledge(reference, officer, entry), reference, "acknowledged", null);
  }

  @Override
  public Future<Boolean> changeStatus(String reference, Set<Report.Status> from, Report.Status to, String assignee, TimelineEntry entry,
      String heldBy, String outcome) {
    return announce(store.changeStatus(reference, from, to, assignee, entry, heldBy, outcome), reference, "status", null);
  }

  @Override
  public Future<Boolean> erase(String reference, String actor, String reason, Instant at) {
    return announce(store.erase(reference, actor, reason, at), reference, "erased", null);
  }

  @Override
  public Future<List<org.sathi.report.Facts>> facts(Instant from, Instant to) {
    return store.facts(from, to);
  }

  @Override
  public Future<List<String>> createdBefore(Instant cutoff, int max) {
    return store.createdBefore(cutoff, max);
  }

  @Override
  public Future<Long> reportsAboutPlace(String placeKey, Instant since) {
    return store.reportsAboutPlace(placeKey, since);
  }

  @Override
  public Future<List<String>> claimDue(Instant now, Duration lease, int max) {
    return store.claimDue(now, lease, max);
  }

  @Override
  public Future<Void> schedule(String reference, Optional<Instant> due) {
    return store.schedule(reference, due);
  }
}
