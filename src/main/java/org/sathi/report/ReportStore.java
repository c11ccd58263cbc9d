package org.sathi.report;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reports and their timelines, the open queue (most urgent first, then oldest), and the
 * escalation schedule that survives restarts and is shared by every Sathi instance.
 */
public interface ReportStore {

  /**
   * Stores a new report with its first timeline entries, counts it for its place, and schedules its
   * first page when {@code firstPage} is set. Returns false, changing nothing, when the reference exists:
   * a queue entry delivered twice makes one report.
   */
  Future<Boolean> create(Report report, List<TimelineEntry> timeline, String placeKey, Optional<Instant> firstPage);

  Future<Optional<Report>> get(String reference);

  Future<List<TimelineEntry>> timeline(String reference);

  /** Open reports, most urgent first, then oldest first. */
  Future<List<Report>> open(int limit);

  /**
   * Reports of every status, newest first: created at or before {@code beforeMillis} (and, at that
   * very millisecond, with a reference that sorts before {@code afterReference}, when given: where
   * the last page stopped), and not before {@code notBefore}; at most {@code limit}.
   */
  Future<List<Report>> newest(long beforeMillis, String afterReference, Instant notBefore, int limit);

  /*
   * Changes are transitions checked and applied inside the store, never a read-modify-write of the
   * whole report: a page being sent must not undo an acknowledgement that arrived meanwhile.
   */

  /**
   * Records that paging moved on from {@code fromLevel} (a page sent, skipped, or given up) and when
   * the next step is due. Refused (false, nothing changed, no further pages) when the report was
   * acknowledged or taken up meanwhile, or another instance moved it on already.
   */
  Future<Boolean> escalated(String reference, int fromLevel, TimelineEntry entry, Optional<Instant> nextDue);

  /** Adds to a report's timeline (a note, a reply sent). False when there is no such report. */
  default Future<Boolean> note(String reference, TimelineEntry entry) {
    return note(reference, entry, null);
  }

  /** The same, once per {@code dedupId} (a webhook id): a retried webhook does not add it twice. */
  Future<Boolean> note(String reference, TimelineEntry entry, String dedupId);

  /**
   * Adds to a report what the reporter gave later on the same call (a missed hand-off's answer to
   * being called back, its voicemail): {@code change} makes the amended report from the stored one,
   * and may change only its answers, flags, priority and sealed contact ({@link Report#amended}). The
   * timeline gets {@code entry}; the open queue follows a new priority. Once per {@code dedupId}: a
   * redelivered inbox entry amends nothing twice. False when there is no such report.
   */
  Future<Boolean> amend(String reference, java.util.function.UnaryOperator<Report> change, TimelineEntry entry, String dedupId);

  /** An officer acknowledged a page: paging stops. False when there is no such report. */
  Future<Boolean> acknowledge(String reference, String officer, TimelineEntry entry);

  /**
   * Moves a report from one of {@code from} to {@code to}, with its assignee. False, changing
   * nothing, when it is not in one of {@code from} (already claimed by someone else, closed, ...).
   * Anything but NEW stops paging.
   */
  default Future<Boolean> changeStatus(String reference, java.util.Set<Report.Status> from, Report.Status to, String assignee, TimelineEntry entry) {
    return changeStatus(reference, from, to, assignee, entry, null);
  }

  /**
   * The same, only while the report is still held by {@code heldBy} ({@code ""} for nobody; null
   * does not check): an officer acting on what they read a moment ago cannot undo what another
   * officer did since (released it and claimed it, say).
   */
  default Future<Boolean> changeStatus(String reference, java.util.Set<Report.Status> from, Report.Status to, String assignee, TimelineEntry entry,
      String heldBy) {
    return changeStatus(reference, from, to, assignee, entry, heldBy, to == Report.Status.REFERRED ? Outcomes.REFERRED : null);
  }

  /**
   * The same, with how the report ended ({@code outcome}, an id of config/outcomes.yaml) when
   * {@code to} is CLOSED or REFERRED; any other status clears it.
   */
  Future<Boolean> changeStatus(String reference, java.util.Set<Report.Status> from, Report.Status to, String assignee, TimelineEntry entry,
      String heldBy, String outcome);

  /**
   * What statistics know of every report received in {@code [from, to)}: codes only, in no
   * particular order. Reads a short line per report, not the reports.
   */
  Future<List<Facts>> facts(Instant from, Instant to);

  /**
   * Deletes a report wholly (answers, timeline, state, its place in every queue and index) and
   * leaves an audit entry that says who erased which reference and why, without any content.
   * False when there is no such report.
   */
  Future<Boolean> erase(String reference, String actor, String reason, Instant at);

  /** References of reports created before {@code cutoff}, oldest first. */
  Future<List<String>> createdBefore(Instant cutoff, int max);

  /** Earlier reports that named the same place since {@code since}. */
  Future<Long> reportsAboutPlace(String placeKey, Instant since);

  /**
   * Escalations due at {@code now}, each leased to the caller for {@code lease}: another instance
   * will not get it again until the lease ends, so a page is sent once.
   */
  Future<List<String>> claimDue(Instant now, Duration lease, int max);

  /** When the next page for this report is due; empty to stop paging. */
  Future<Void> schedule(String reference, Optional<Instant> due);
}
