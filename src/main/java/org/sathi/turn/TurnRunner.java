package org.sathi.turn;

import org.sathi.session.Outgoing;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sathi.flow.Conversation;
import org.sathi.redis.StoreUnavailable;
import org.sathi.session.SessionStore;

/**
 * One turn of any channel, the same way for all: load (one round trip, a retried message id gets the
 * reply it had), plan (the channel's logic, which may read reports), commit all or nothing (one round
 * trip), and again from the load when another message of the same caller committed first. A turn
 * that cannot commit before its deadline fails: the host then answers with its polite fallback, and
 * nothing was acknowledged.
 */
public final class TurnRunner {
  /** Turns a caller's racing messages may need before one of them commits. */
  public static final int MAX_ATTEMPTS = 3;
  /** A commit must land this long before the turn's deadline, or not at all. */
  public static final long COMMIT_MARGIN_MILLIS = 150;

  /**
   * What a turn should leave behind, computed from what was loaded.
   *
   * @param commit     false when the answer changes nothing and needs no commit (nothing kept to end, a call out of time)
   * @param next       the conversation to keep, or null to wipe everything kept for the caller
   * @param reply      what the caller is told (TwiML for a call, the text for a text channel)
   * @param entries    duty-inbox entries (reports, hand-offs), stored in the same commit
   * @param reach      the caller's number, sealed, kept for the reply window; or null
   * @param followUp   the report the caller's next text goes to; or null
   * @param references reference codes this turn gives out
   * @param outgoing   the reply as a channel's outbox keeps it, when the channel sends it later; or null
   * @param saved      run once the commit is saved (logging, nudging the duty desk)
   * @param surface    what the channel remembers with the conversation until the next turn (USSD's screens); or null
   */
  public record Plan(boolean commit, Conversation next, String reply, List<String> entries, String reach, String followUp,
      List<String> references, Outgoing outgoing, Runnable saved, String surface) {
    public Plan {
      entries = entries == null ? List.of() : List.copyOf(entries);
      references = references == null ? List.of() : List.copyOf(references);
      if (saved == null) saved = () -> {};
    }

    public Plan(boolean commit, Conversation next, String reply, List<String> entries, String reach, String followUp,
        List<String> references, Outgoing outgoing, Runnable saved) {
      this(commit, next, reply, entries, reach, followUp, references, outgoing, saved, null);
    }

    /** A reply that moves nothing: the conversation stays as it is. */
    public static Plan keep(Conversation keep, String reply) {
      return new Plan(true, keep, reply, List.of(), null, null, List.of(), null, null);
    }

    /** An answer that needs no commit at all. */
    public static Plan answerOnly(String reply) {
      return new Plan(false, null, reply, List.of(), null, null, List.of(), null, null);
    }

    public Plan withOutgoing(Outgoing o) {
      return new Plan(commit, next, reply, entries, reach, followUp, references, o, saved, surface);
    }

    public Plan withSaved(Runnable r) {
      return new Plan(commit, next, reply, entries, reach, followUp, references, outgoing, r, surface);
    }

    /** The reply as the channel shows it, and what the channel remembers until the next turn. */
    public Plan shown(String shownReply, String remembered) {
      return new Plan(commit, next, shownReply, entries, reach, followUp, references, outgoing, saved, remembered);
    }

    /** Without the caller's number: the channel keeps no reply window. */
    public Plan withoutReach() {
      return new Plan(commit, next, reply, entries, null, followUp, references, outgoing, saved, surface);
    }
  }

  /** The channel's logic for one turn: from what was loaded to what to keep. */
  @FunctionalInterface
  public interface Planner {
    Future<Plan> plan(SessionStore.Loaded loaded);
  }

  /** How a turn ended: {@code ok}, {@code duplicate} (a retried message id: the earlier reply), {@code answered} (no commit needed). */
  public record Outcome(String kind, String reply) {}

  private final SessionStore store;
  private final Clock clock;

  public TurnRunner(SessionStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public SessionStore store() {
    return store;
  }

  /**
   * Runs a turn under {@code key} for the message {@code messageId}, within {@code deadlineMillis}.
   * Fails (a {@link StoreUnavailable}, a timeout) when it could not commit: the host's fallback.
   */
  public Future<Outcome> run(String key, String messageId, long deadlineMillis, Planner planner) {
    Instant commitDeadline = clock.instant().plusMillis(deadlineMillis - COMMIT_MARGIN_MILLIS);
    return attempt(key, messageId, commitDeadline, planner, 1).timeout(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  private Future<Outcome> attempt(String key, String messageId, Instant deadline, Planner planner, int attempt) {
    return store.load(key, messageId).compose(loaded -> {
      if (loaded.previousReply() != null) return Future.succeededFuture(new Outcome("duplicate", loaded.previousReply()));
      return planner.plan(loaded).compose(plan -> {
        if (!plan.commit()) return Future.succeededFuture(new Outcome("answered", plan.reply()));
        SessionStore.Commit commit = new SessionStore.Commit(key, messageId, loaded.version(), plan.next(), plan.reply(), plan.entries(),
            plan.reach(), deadline, plan.followUp(), plan.references(), plan.outgoing(), plan.surface());
        return store.commit(commit).compose(committed -> switch (committed.status()) {
          case SAVED -> {
            plan.saved().run();
            yield Future.succeededFuture(new Outcome("ok", plan.reply()));
          }
          case DUPLICATE -> Future.succeededFuture(new Outcome("duplicate", committed.reply()));
          case CONFLICT -> attempt < MAX_ATTEMPTS
              ? attempt(key, messageId, deadline, planner, attempt + 1)
              : Future.failedFuture(new StoreUnavailable("another message of the same caller kept committing first"));
          case LATE -> Future.failedFuture(new StoreUnavailable("the commit reached Redis after the turn's deadline and was refused"));
        });
      });
    });
  }

  /**
   * What went wrong, safe for a log: our own store and timeout messages as they are; for anything
   * else only the exception's type and where it was thrown, because a message could quote input.
   */
  public static String describe(Throwable err) {
    if (err instanceof org.sathi.redis.StoreUnavailable || err instanceof java.util.concurrent.TimeoutException) return err.toString();
    StackTraceElement[] where = err.getStackTrace();
    return err.getClass().getName() + (where.length > 0 ? " at " + where[0] : "");
  }
}
