package org.sathi.duty;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.sathi.report.Priority;
import org.sathi.report.Report;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages along the on-call roster until somebody acknowledges: the primary at once, the backup when
 * the acknowledgement deadline passes, then the supervisor. The schedule lives in the report store,
 * so it survives a restart, and each due page is leased to one instance, so it is sent once.
 */
public final class Escalation {
  private static final Logger LOG = LoggerFactory.getLogger(Escalation.class);
  static final String[] LEVELS = {"primary", "backup", "supervisor"};
  static final Duration NOBODY_ON_CALL_RETRY = Duration.ofMinutes(1);

  /** Deadlines to acknowledge a page, per priority (P3 is never paged); the lease of a claimed page. */
  public record Settings(Duration p1Deadline, Duration p2Deadline, Duration lease) {
    public static Settings defaults() {
      return new Settings(Duration.ofMinutes(5), Duration.ofMinutes(60), Duration.ofSeconds(30));
    }
  }

  private final ReportStore store;
  private final Roster roster;
  private final Pager pager;
  private final Clock clock;
  private final Settings settings;
  private final MeterRegistry metrics;

  public Escalation(ReportStore store, Roster roster, Pager pager, Clock clock, Settings settings, MeterRegistry metrics) {
    this.store = store;
    this.roster = roster;
    this.pager = pager;
    this.clock = clock;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** When a new report's first page is due: now for P1 and P2, never for P3. */
  public Optional<Instant> firstPage(Priority priority) {
    return priority == Priority.P3 ? Optional.empty() : Optional.of(clock.instant());
  }

  /** How long after a page an officer has to acknowledge it before the next one is paged. */
  public Duration deadline(Priority p) {
    return p == Priority.P1 ? settings.p1Deadline() : settings.p2Deadline();
  }

  /** Due pages handled in one run at most; the rest wait for the next run (every half second). */
  static final int MAX_PER_RUN = 50;

  /**
   * Sends every page that is due now. Returns how many were sent. Reports are claimed one at a
   * time, so a lease never runs out while earlier pages of the same run are still going out.
   */
  public Future<Integer> runDue() {
    return runDue(0, 0);
  }

  private Future<Integer> runDue(int handled, int sent) {
    if (handled >= MAX_PER_RUN) return Future.succeededFuture(sent);
    Instant now = clock.instant();
    return store.claimDue(now, settings.lease(), 1).compose(refs -> refs.isEmpty()
        ? Future.succeededFuture(sent)
        : step(refs.get(0), now).compose(s -> runDue(handled + 1, sent + s)));
  }

  private Future<Integer> step(String ref, Instant now) {
    return store.get(ref).compose(found -> {
      if (found.isEmpty()) return store.schedule(ref, Optional.empty()).map(0);
      Report report = found.get();
      if (report.acknowledgedBy() != null || report.status() != Report.Status.NEW) {
        return store.schedule(ref, Optional.empty()).map(0);
      }
      int level = report.escalation();
      if (level >= LEVELS.length) {
        LOG.error("Nobody acknowledged {} ({}) after paging the primary, the backup and the supervisor; it waits in the console.", ref, report.priority());
        metrics.counter("sathi.duty.unacknowledged").increment();
        return store.escalated(ref, level, new TimelineEntry(now, "unacknowledged", "sathi", "Nobody acknowledged the pages."), Optional.empty())
            .map(0);
      }
      Optional<Roster.Officer> officer = roster.toPage(now, level);
      if (officer.isEmpty()) {
        // A gap in the roster: keep the level and try again soon, so the next shift is paged as it starts.
        LOG.error("Nobody is on call to page for {} ({}); fix the shifts in config/roster.yaml. Trying again in a minute.", ref, report.priority());
        metrics.counter("sathi.duty.nobody.on.call").increment();
        return store.schedule(ref, Optional.of(now.plus(NOBODY_ON_CALL_RETRY))).map(0);
      }
      Roster.Officer o = officer.get();
      return pager.page(o, pageText(report)).compose(v -> {
        LOG.info("Paged {} ({}) for {} ({}).", o.id(), LEVELS[level], ref, report.priority());
        metrics.counter("sathi.duty.pages", "level", LEVELS[level]).increment();
        // Refused, with no further pages, if the report was acknowledged while this page went out.
        return store.escalated(ref, level, new TimelineEntry(now, "paged", "sathi", "Paged " + o.id() + " (" + LEVELS[level] + ")."),
            Optional.of(now.plus(deadline(report.priority())))).map(1);
      }, err -> {
        // Twilio retried already. Someone must hear of this report: move on to the next level now.
        LOG.error("Could not page {} ({}) for {}: {}; paging the next level.", o.id(), LEVELS[level], ref, err.getMessage());
        metrics.counter("sathi.duty.page.failures", "level", LEVELS[level]).increment();
        return store.escalated(ref, level, new TimelineEntry(now, "page-failed", "sathi", "Could not page " + o.id() + " (" + LEVELS[level] + ")."),
            Optional.of(now)).map(0);
      });
    });
  }

  /** The page: reference and category, never the reporter's words or number. */
  static String pageText(Report r) {
    String category = r.kind().equals("handoff") ? "asked for a person"
        : r.answers() == null || r.answers().what() == null ? "report" : r.answers().what().replace('_', ' ');
    return "Sathi " + r.priority() + " " + r.reference() + ": " + category + ". Reply ACK " + r.reference() + " to acknowledge.";
  }

  /** An officer acknowledged: paging stops, and the timeline says who. False when there is no such report. */
  public Future<Boolean> acknowledge(String reference, String officerId) {
    return store.acknowledge(reference, officerId, new TimelineEntry(clock.instant(), "acknowledged", officerId, "Page acknowledged."))
        .onSuccess(found -> {
          if (found) LOG.info("{} acknowledged {}.", officerId, reference);
        });
  }
}
