package org.sathi.console;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import org.sathi.duty.InboxEntry;
import org.sathi.duty.Roster;
import org.sathi.report.Report;
import org.sathi.report.Report.Status;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Missed hand-offs: calls for a person that nobody took ({@code GET /api/handoffs/missed}), and the
 * call-back to a caller who agreed to it ({@code POST /api/reports/{ref}/callback}). A call-back rings
 * the officer's own phone from {@code config/roster.yaml} first; their answer puts them through to the
 * caller (org.sathi.voice.CallBack). The caller's number never leaves Sathi except to Twilio: the
 * browser learns only whether a call-back is allowed, and why not.
 */
public final class MissedCalls {
  private static final Logger LOG = LoggerFactory.getLogger(MissedCalls.class);

  /** Places a call through the carrier: to a number, asking {@code twimlUrl} what to do once it answers; the call's id. */
  @FunctionalInterface
  public interface Dialer {
    Future<String> call(String toE164, String twimlUrl);
  }

  /** How long after the officer asked a call-back their phone may still be answered to take it. */
  static final Duration TICKET = Duration.ofMinutes(10);

  private final ReportStore reports;
  private final Roster roster;
  private final Dialer dialer;
  private final String publicUrl;
  private final Clock clock;

  /**
   * @param dialer    null where calls cannot be placed (no Twilio account, or calls are off): the action says so
   * @param publicUrl the base URL Twilio reaches Sathi at, for the call-back's steps
   */
  public MissedCalls(ReportStore reports, Roster roster, Dialer dialer, String publicUrl, Clock clock) {
    this.reports = reports;
    this.roster = roster;
    this.dialer = dialer;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  /** Open missed hand-offs, newest first: reference, time, language, and whether the caller may be called back. */
  Future<ConsoleApi.Answer> list() {
    return reports.open(ConsoleApi.MAX_LISTED).map(open -> {
      JsonArray list = new JsonArray();
      open.stream().filter(r -> r.flags().contains(InboxEntry.MISSED_HANDOFF))
          .sorted(Comparator.comparing(Report::createdAt).reversed())
          .forEach(r -> {
            String whyNot = whyNot(r);
            list.add(new JsonObject().put("reference", r.reference()).put("createdAt", r.createdAt().toString())
                .put("language", r.language()).put("priority", r.priority().name()).put("status", r.status().name())
                .put("assignee", r.assignee()).put("voicemail", r.answers() != null && r.answers().recording() != null)
                .put("callBack", new JsonObject().put("allowed", whyNot == null).put("reason", whyNot)));
          });
      return ok(new JsonObject().put("missed", list));
    });
  }

  /** Why this missed hand-off's caller cannot be called back; null when they can. */
  static String whyNot(Report r) {
    String contact = r.answers() == null ? null : r.answers().contact();
    if (contact == null) return "The caller hung up before saying whether they may be called back.";
    if (!contact.equals("yes")) return "The caller did not agree to be called back.";
    if (r.sealedContact() == null) return "The caller's number was withheld: there is no number to call back.";
    return null;
  }

  /**
   * Calls the caller back through the officer's own phone. Only the officer who claimed the report,
   * or a supervisor; only an open missed hand-off whose caller agreed (409 with the reason otherwise).
   */
  Future<ConsoleApi.Answer> callBack(String ref, Officer me) {
    if (ref == null) return Future.succeededFuture(new ConsoleApi.Answer(404, error("No such report."), "not found"));
    return reports.get(ref).compose(found -> {
      if (found.isEmpty()) return Future.succeededFuture(new ConsoleApi.Answer(404, error("No such report."), "not found"));
      Report r = found.get();
      if (!r.flags().contains(InboxEntry.MISSED_HANDOFF)) {
        return Future.succeededFuture(conflict("This report is not a missed hand-off: nobody asked to be called back."));
      }
      if (!r.open()) return Future.succeededFuture(conflict("This report is " + r.status().name().toLowerCase(Locale.ROOT) + "."));
      boolean mine = ConsoleApi.WORKED.contains(r.status()) && me.name().equals(r.assignee());
      if (!mine && !me.supervisor()) {
        return Future.succeededFuture(new ConsoleApi.Answer(403, error(r.status() == Status.NEW
            ? "Claim this report first, then call the caller back."
            : "Only the officer who claimed this report (" + r.assignee() + "), or a supervisor, can call the caller back."), "denied"));
      }
      String whyNot = whyNot(r);
      if (whyNot != null) return Future.succeededFuture(conflict(whyNot));
      Roster.Officer phone = roster.officers().get(me.name());
      if (phone == null || phone.phone() == null) {
        return Future.succeededFuture(conflict("Your account (" + me.name() + ") has no phone in config/roster.yaml:"
            + " a call-back rings your own phone first."));
      }
      if (dialer == null) {
        return Future.succeededFuture(new ConsoleApi.Answer(503, error("This hotline cannot place calls (no Twilio account, or calls are off)."),
            "failed"));
      }
      long until = clock.instant().plus(TICKET).getEpochSecond();
      return dialer.call(phone.phone(), org.sathi.voice.CallBack.url(publicUrl, ref, me.name(), until)).compose(sid -> {
        LOG.info("Officer {} called back the caller of missed hand-off {}: their own phone rings first.", me.name(), ref);
        return reports.note(ref, new TimelineEntry(clock.instant(), "called-back", me.name(), "Called back by " + me.name()
            + ": their phone rings first, and the caller's once they press 1.")).map(v -> ok(new JsonObject().put("placed", true)
            .put("reference", ref)));
      }, err -> {
        String why = err instanceof org.sathi.channel.SmsSender.SendFailed ? err.getMessage() : "Twilio could not be reached";
        LOG.warn("Officer {}'s call-back of {} was not placed: {}.", me.name(), ref, err.getClass().getSimpleName());
        return reports.note(ref, new TimelineEntry(clock.instant(), "callback-failed", "sathi", "The call-back by " + me.name()
                + " was not placed: " + why + "."))
            .otherwise(false)
            .map(v -> new ConsoleApi.Answer(502, error("The call could not be placed: " + why + ". Try again."), "failed"));
      });
    });
  }

  private static ConsoleApi.Answer ok(JsonObject body) {
    return new ConsoleApi.Answer(200, body, "ok");
  }

  private static ConsoleApi.Answer conflict(String message) {
    return new ConsoleApi.Answer(409, error(message), "conflict");
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }
}
