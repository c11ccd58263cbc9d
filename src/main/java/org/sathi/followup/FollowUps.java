package org.sathi.followup;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.sathi.flow.Conversation;
import org.sathi.flow.Engine;
import org.sathi.flow.Step;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.SmsText;
import org.sathi.privacy.CallerKey;
import org.sathi.privacy.Sealer;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.sathi.session.SessionStore;
import org.sathi.turn.TurnRunner.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follow-up by reference code, for every text channel: a reporter who texts their code hears how
 * the report stands in plain words, and their next text goes into its timeline. So do the texts of
 * a reporter whom an officer answered (the thread the officer opened).
 */
public final class FollowUps {
  private static final Logger LOG = LoggerFactory.getLogger(FollowUps.class);

  /** Wrong reference codes from one caller within an hour before follow-up is locked for the hour. */
  public static final int MAX_FAILURES = 5;

  /** The sender of a text, as follow-up needs it; {@code country} is their calling code, for their own numbers. */
  public record Sender(String from, String key, String messageId, String country) {
    public String caller() {
      return CallerKey.shortForm(key);
    }
  }

  private final Engine engine;
  private final ReportStore reports;
  private final SessionStore store;
  private final Sealer sealer;
  private final Clock clock;

  public FollowUps(Engine engine, ReportStore reports, SessionStore store, Sealer sealer, Clock clock) {
    this.engine = engine;
    this.reports = reports;
    this.store = store;
    this.sealer = sealer;
    this.clock = clock;
  }

  /** A reporter texted a reference code: the status in plain words, and their next text goes into the report. */
  public Future<Plan> byCode(Sender sender, SessionStore.Loaded loaded, String code, String language) {
    Catalog c = engine.bundle().catalog(language, sender.country());
    Conversation keep = loaded.conversation() != null ? loaded.conversation() : Conversation.fresh(language);
    if (loaded.followUpFailures() >= MAX_FAILURES) {
      LOG.info("Follow-up by caller {} refused: too many wrong codes in the last hour.", sender.caller());
      return Future.succeededFuture(Plan.keep(keep, c.text("followup.locked")));
    }
    return reports.get(code).compose(found -> {
      if (found.isEmpty()) {
        return store.referenceTaken(code).compose(taken -> taken
            // Given out, still on its way to the queue: it counts as received, not as a wrong guess.
            ? Future.succeededFuture(Plan.keep(keep, c.text("followup.new", Map.of("reference", code))))
            : store.followUpFailed(sender.key(), sender.messageId()).map(failures -> {
          LOG.info("Caller {} sent an unknown reference code ({} in the last hour).", sender.caller(), failures);
          return Plan.keep(keep, c.text(failures >= MAX_FAILURES ? "followup.locked" : "followup.unknown"));
        }));
      }
      String status = switch (found.get().status()) {
        case NEW -> "followup.new";
        case CLAIMED, IN_PROGRESS -> "followup.working";
        case REFERRED -> "followup.referred";
        case CLOSED -> "followup.closed";
      };
      boolean open = found.get().open();
      String reply = c.text(status, Map.of("reference", code)) + (open ? "\n" + c.text("followup.more") : "");
      LOG.info("Caller {} followed up a report.", sender.caller()); // not which: that would link this phone to the report
      // Found: the caller's next text goes to the report; after that, any text shows the main menu.
      return Future.succeededFuture(new Plan(true, Conversation.fresh(language), reply, List.of(), null, open ? code : null, List.of(), null, null));
    });
  }

  /**
   * The text after a follow-up, or in a thread an officer opened, is added to that report's timeline
   * as the reporter's own words, and says whether it came from the phone that made the report.
   * A report closed meanwhile takes nothing: words there would reach nobody. The reporter is told,
   * and gets the main menu, to report again or ask for a person.
   */
  public Future<Plan> addWords(Sender sender, SessionStore.Loaded loaded, String text, String language) {
    String reference = loaded.followUp();
    String words = text.strip();
    Catalog c = engine.bundle().catalog(language, sender.country());
    Conversation keep = loaded.conversation() != null ? loaded.conversation() : Conversation.fresh(language);
    return reports.get(reference).compose(found -> {
      if (found.isEmpty() || !found.get().open()) {
        LOG.info("Caller {} wrote to a report that is no longer open; nothing was added, and they were shown the menu.", sender.caller());
        Step menu = engine.mainMenu(Conversation.fresh(language), sender.country());
        String reply = (found.isEmpty() ? c.text("followup.unknown") : c.text("followup.closed", Map.of("reference", reference))) + "\n"
            + SmsText.render(menu.prompts());
        return Future.succeededFuture(Plan.keep(menu.next(), reply));
      }
      boolean samePhone = sender.key().equals(found.get().callerKey());
      TimelineEntry entry = new TimelineEntry(clock.instant(), "reporter-added", samePhone ? TimelineEntry.REPORTER : TimelineEntry.OTHER_PHONE, words);
      return reports.note(reference, entry, sender.messageId()).compose(added -> {
        if (!added) return Future.succeededFuture(Plan.keep(keep, c.text("followup.unknown")));
        LOG.info("Caller {} added information to the report they followed up.", sender.caller());
        // The reply window starts again from these words, so an officer can answer them. Once an officer
        // has texted the reporter, the conversation stays with the report (MENU or the quick exit leave it);
        // otherwise the next text is the menu again.
        return reports.timeline(reference).map(timeline -> {
          boolean officerThread = samePhone && timeline.stream().anyMatch(e -> "reply".equals(e.kind()));
          return new Plan(true, keep, c.text("followup.added"), List.of(), samePhone ? sealer.seal(sender.from(), sender.key()) : null,
              officerThread ? reference : null, List.of(), null, null);
        });
      });
    });
  }
}
