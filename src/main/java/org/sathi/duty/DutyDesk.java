package org.sathi.duty;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.sathi.report.Report;
import org.sathi.report.Priority;
import org.sathi.report.ReportAnswers;
import org.sathi.report.ReportJson;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes reports and hand-off requests from the inbox, triages them, files them on the queue and
 * starts paging; then marks the inbox entry done. An entry is done only after its report is
 * stored, so a crash in between redelivers it (filing is idempotent by reference); an entry that
 * keeps failing goes to the dead letters with an alert.
 */
public final class DutyDesk {
  private static final Logger LOG = LoggerFactory.getLogger(DutyDesk.class);

  /**
   * @param consumer      this instance's name in the consumer group
   * @param pollEvery     how often to look for new entries and due pages
   * @param reclaimIdle   an entry pending this long is taken over from its (dead) consumer
   * @param maxDeliveries after this many deliveries an entry goes to the dead letters
   */
  public record Settings(String consumer, Duration pollEvery, Duration reclaimIdle, int maxDeliveries) {
    public static Settings defaults(String consumer) {
      return new Settings(consumer, Duration.ofMillis(500), Duration.ofSeconds(30), 5);
    }
  }

  private final Vertx vertx;
  private final DutyInbox inbox;
  private final ReportStore reports;
  private final Triager triager;
  private final Function<ReportAnswers, Map<String, Object>> crosswalk;
  private final Escalation escalation;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Settings settings;
  private final java.util.function.UnaryOperator<String> placeHash;
  private long pollTimer = -1;
  private long reclaimTimer = -1;
  private boolean polling;
  private boolean pollAgain;

  public DutyDesk(Vertx vertx, DutyInbox inbox, ReportStore reports, Triager triager,
      Function<ReportAnswers, Map<String, Object>> crosswalk, Escalation escalation, Clock clock, MeterRegistry metrics, Settings settings,
      java.util.function.UnaryOperator<String> placeHash) {
    this.vertx = vertx;
    this.inbox = inbox;
    this.reports = reports;
    this.triager = triager;
    this.crosswalk = crosswalk;
    this.escalation = escalation;
    this.clock = clock;
    this.metrics = metrics;
    this.settings = settings;
    this.placeHash = placeHash;
  }

  public Future<Void> start() {
    pollTimer = vertx.setPeriodic(settings.pollEvery().toMillis(), t -> nudge());
    reclaimTimer = vertx.setPeriodic(Math.max(1000, settings.reclaimIdle().toMillis() / 2), t -> reclaim());
    // The group may not exist yet while Redis is down; polling retries it.
    return inbox.prepare().otherwise(err -> null);
  }

  public void stop() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(reclaimTimer);
  }

  /** Looks for new entries and due pages now (the webhook calls this right after a report is stored). */
  public void nudge() {
    vertx.runOnContext(v -> {
      if (polling) {
        pollAgain = true;
        return;
      }
      polling = true;
      poll().onComplete(ar -> {
        polling = false;
        if (pollAgain) {
          pollAgain = false;
          nudge();
        }
      });
    });
  }

  /**
   * One round of filing new entries; due pages are sent apart from it ({@link #escalate}), so a
   * slow or failing Twilio never holds reports back from the queue.
   */
  public Future<Void> poll() {
    Future<Void> filed = inbox.next(settings.consumer(), 20)
        .recover(err -> inbox.prepare().map(List.of()))
        .compose(this::fileAll)
        .recover(err -> Future.succeededFuture());
    return filed.onComplete(ar -> escalate());
  }

  private boolean escalating;
  private boolean escalateAgain;

  /** Sends due pages, one run at a time; a request during a run starts another run after it. */
  public void escalate() {
    vertx.runOnContext(v -> {
      if (escalating) {
        escalateAgain = true;
        return;
      }
      escalating = true;
      escalation.runDue().onComplete(ar -> {
        escalating = false;
        if (escalateAgain) {
          escalateAgain = false;
          escalate();
        }
      });
    });
  }

  /** Consumers idle this long with nothing pending are dropped from the group (old processes). */
  static final Duration FORGET_CONSUMERS_AFTER = Duration.ofDays(1);

  /** Takes over entries whose consumer died, or that failed, and tries them again; forgets long-gone consumers. */
  public Future<Void> reclaim() {
    return inbox.reclaim(settings.consumer(), settings.reclaimIdle(), 20)
        .compose(this::fileAll)
        .compose(v -> inbox.forgetIdleConsumers(settings.consumer(), FORGET_CONSUMERS_AFTER))
        .recover(err -> Future.succeededFuture());
  }

  private Future<Void> fileAll(List<DutyInbox.Delivery> deliveries) {
    Future<Void> chain = Future.succeededFuture();
    for (DutyInbox.Delivery d : deliveries) chain = chain.compose(v -> fileOne(d));
    return chain;
  }

  private Future<Void> fileOne(DutyInbox.Delivery d) {
    Future<Void> filed;
    try {
      filed = file(ReportJson.MAPPER.readTree(d.event()), d.id());
    } catch (Exception e) {
      filed = Future.failedFuture(e);
    }
    return filed.compose(v -> inbox.done(d.id())).recover(err -> {
      if (d.deliveries() >= settings.maxDeliveries()) {
        LOG.error("ALERT: queue entry {} failed {} times ({}); moved to the dead letters. An officer must look at it.",
            d.id(), d.deliveries(), err.getClass().getSimpleName());
        metrics.counter("sathi.duty.deadletters").increment();
        return inbox.deadLetter(d, err.getClass().getSimpleName());
      }
      LOG.warn("Queue entry {} could not be filed ({}); it will be tried again.", d.id(), err.getClass().getSimpleName());
      return Future.succeededFuture();
    });
  }

  /** A voicemail left after nobody answered a hand-off is P1, whatever the rules found. */
  static Triager.Triaged urgent(JsonNode event, Triager.Triaged t) {
    if (!InboxEntry.URGENT_VOICEMAIL.equals(event.path("urgent").asText())) return t;
    List<String> reasons = new ArrayList<>(t.reasons());
    reasons.add("voicemail: left after a call for a person that nobody answered");
    List<String> flags = new ArrayList<>(t.flags());
    if (!flags.contains("voicemail")) flags.add("voicemail");
    return new Triager.Triaged(Priority.P1, flags, reasons);
  }

  /** A hand-off whose call rang out carries the flag that says so: the console lists it with its call-back. */
  static Triager.Triaged missed(JsonNode event, Triager.Triaged t) {
    if (!event.path("missed").asBoolean(false) || t.flags().contains(InboxEntry.MISSED_HANDOFF)) return t;
    List<String> flags = new ArrayList<>(t.flags());
    flags.add(InboxEntry.MISSED_HANDOFF);
    return new Triager.Triaged(t.priority(), flags, t.reasons());
  }

  /**
   * What a missed hand-off's later entry adds to the report the call already made: its answers laid
   * over the old ones, its flags, a sealed number when the caller agreed to be called back, and a
   * higher priority (a voicemail makes it P1, which pages again at once). Once per entry.
   */
  private Future<Void> amend(Report added, Triager.Triaged t, JsonNode event, String entryId, Instant created) {
    String reference = added.reference();
    boolean[] raised = new boolean[1];
    java.util.function.UnaryOperator<Report> change = r -> {
      List<String> flags = new ArrayList<>(r.flags());
      for (String f : t.flags()) if (!flags.contains(f)) flags.add(f);
      Priority priority = t.priority().compareTo(r.priority()) < 0 ? t.priority() : r.priority();
      raised[0] = priority != r.priority();
      return r.amended(overlay(r.answers(), added.answers()), flags, priority,
          added.sealedContact() != null ? added.sealedContact() : "no".equals(added.answers() == null ? null : added.answers().contact()) ? null
              : r.sealedContact());
    };
    String note = event.path("note").asText() + (t.reasons().isEmpty() ? "" : " " + String.join("; ", t.reasons().stream()
        .filter(x -> x.startsWith("voicemail")).toList()));
    TimelineEntry entry = new TimelineEntry(created, "missed", "sathi", note.strip());
    return reports.amend(reference, change, entry, "amend:" + event.path("webhookId").asText(entryId)).compose(found -> {
      if (!found) return Future.failedFuture(new IllegalStateException("the report to amend is gone"));
      LOG.info("Added to missed hand-off {} ({}).", reference, raised[0] ? "now " + t.priority() : "same priority");
      if (!raised[0]) return Future.succeededFuture();
      return reports.get(reference).compose(r -> r.isPresent() && r.get().status() == Report.Status.NEW && r.get().acknowledgedBy() == null
          ? reports.schedule(reference, Optional.of(clock.instant())).onSuccess(v -> escalate()) : Future.succeededFuture());
    });
  }

  /** Answers given later laid over the earlier ones: what the later entry has wins, the rest stays. */
  static ReportAnswers overlay(ReportAnswers was, ReportAnswers add) {
    if (was == null || add == null) return was == null ? add : was;
    return new ReportAnswers(pick(add.who(), was.who()), pick(add.what(), was.what()), pick(add.danger(), was.danger()), pick(add.age(), was.age()),
        pick(add.gender(), was.gender()), pick(add.place(), was.place()), pick(add.details(), was.details()), pick(add.recording(), was.recording()),
        pick(add.contact(), was.contact()), pick(add.placeRecording(), was.placeRecording()), pick(add.recordingSeconds(), was.recordingSeconds()));
  }

  private static <T> T pick(T later, T earlier) {
    return later != null ? later : earlier;
  }

  /** Files one inbox entry as a report on the queue; idempotent by reference. */
  Future<Void> file(JsonNode event, String entryId) {
    String kind = event.path("type").asText();
    if (!kind.equals("report") && !kind.equals("handoff")) throw new IllegalArgumentException("unknown entry type");
    boolean missed = event.path("missed").asBoolean(false);
    String reference = kind.equals("report") || missed ? event.path("reference").asText()
        : InboxEntry.handoffReference(event.path("webhookId").asText(entryId));
    if (reference.isBlank()) throw new IllegalArgumentException("an entry without its reference");
    Map<String, String> saved = new LinkedHashMap<>();
    event.path("answers").properties().forEach(e -> saved.put(e.getKey(), e.getValue().asText()));
    ReportAnswers answers = kind.equals("report") || !saved.isEmpty() ? ReportAnswers.from(saved, event.path("channel").asText()) : null;
    Instant created = Instant.parse(event.path("createdAt").asText());
    String placeKey = answers == null || answers.place() == null || answers.place().isBlank() ? ""
        : placeHash.apply(org.sathi.report.Triage.placeKey(answers.place()));
    String language = event.path("language").asText();
    Future<Long> samePlace = placeKey.isEmpty() ? Future.succeededFuture(0L) : reports.reportsAboutPlace(placeKey, created.minus(Duration.ofDays(1)));
    return samePlace.compose(same -> {
      Triager.Triaged t = missed(event, urgent(event, triager.assess(kind, language, kind.equals("report") ? answers : null, same)));
      Report report = new Report(reference, kind, event.path("channel").asText(), language, created, event.path("callerKey").asText(),
          answers, answers == null ? Map.of() : crosswalk.apply(answers), t.flags(), t.priority(), Report.Status.NEW, null, null, 0,
          event.hasNonNull("sealedContact") ? event.get("sealedContact").asText() : null);
      Instant now = clock.instant();
      List<TimelineEntry> timeline = new ArrayList<>();
      timeline.add(new TimelineEntry(created, "received", "sathi", kind.equals("report") ? "Report received by " + report.channel() + "." : "Asked for a person by " + report.channel() + "."));
      if (missed) timeline.add(new TimelineEntry(created, "missed", "sathi", event.path("note").asText()));
      if (saved.containsKey(org.sathi.flow.Engine.ENDED_ANSWER)) {
        timeline.add(new TimelineEntry(created, "received", "sathi", "The call ended before the report was finished; these are the answers given so far."));
      }
      timeline.add(new TimelineEntry(now, "triaged", "sathi", t.priority() + (t.reasons().isEmpty() ? ": no rule fired." : ": " + String.join("; ", t.reasons()))));
      Optional<Instant> firstPage = escalation.firstPage(t.priority());
      return reports.create(report, timeline, placeKey, firstPage).compose(created1 -> {
        if (created1) {
          LOG.info("Filed {} as {} ({}, {}).", reference, t.priority(), kind, language);
          metrics.counter("sathi.duty.filed", "priority", t.priority().name()).increment();
          if (firstPage.isPresent()) escalate();
          return Future.succeededFuture();
        }
        return missed ? amend(report, t, event, entryId, created) : Future.succeededFuture();
      });
    });
  }

}
