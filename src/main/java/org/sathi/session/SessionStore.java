package org.sathi.session;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import org.sathi.flow.Conversation;
import org.sathi.session.Outgoing;

/**
 * Where conversations live between webhooks, keyed by the caller's keyed hash. A turn costs two
 * calls, each one round trip: {@link #load} before the engine runs, {@link #commit} after it.
 * Conversations are kept sealed (AES-GCM), never as readable text.
 */
public interface SessionStore {

  /**
   * What a turn starts from.
   *
   * @param previousReply     the reply already given to this webhook id, when it is a retry
   * @param conversation      the caller's conversation, or null when there is none (new, expired, wiped)
   * @param version           the conversation's version, to commit against (0 when there is none)
   * @param returningLanguage the language of a caller seen recently whose conversation expired
   * @param followUp          the reference the caller just followed up (their next text is added to it), or null
   * @param followUpFailures  wrong reference codes this caller sent in the last hour
   * @param surface           what the caller's channel remembered with the conversation (USSD: the screens shown), or null
   */
  record Loaded(String previousReply, Conversation conversation, long version, String returningLanguage, String followUp,
      long followUpFailures, String surface) {
    public Loaded(String previousReply, Conversation conversation, long version, String returningLanguage, String followUp,
        long followUpFailures) {
      this(previousReply, conversation, version, returningLanguage, followUp, followUpFailures, null);
    }

    /** The same, as if the caller had no conversation: a channel's new session starts afresh (nothing is followed up either). */
    public Loaded afresh() {
      String language = conversation != null ? conversation.language() : returningLanguage;
      return new Loaded(previousReply, null, version, language, null, followUpFailures, surface);
    }
  }

  /**
   * The outcome of a turn, saved all or nothing.
   *
   * @param version  the version the turn was computed from; another turn committed since means a conflict
   * @param next     the conversation to keep, or null to wipe everything kept for the caller
   * @param reply    what the caller is told; kept for retries of the same webhook
   * @param events   JSON documents of reports and hand-off requests, for the duty-officer queue
   * @param reach    the caller's number, sealed, kept for the reply window so an officer can answer; or null
   * @param deadline after this instant the commit must not happen: the caller has been told to text again
   * @param followUp the reference the caller is following up, kept for their next text (an hour); null clears it
   * @param references reference codes this turn gives out; taken for good here, and a code already
   *                   taken makes the commit a CONFLICT (the turn runs again with a new code)
   * @param outgoing the reply for a channel that sends it after the turn, for that channel's outbox; or null
   * @param surface  what the channel remembers with the conversation until its next turn (sealed by the channel); null keeps none
   */
  record Commit(String callerKey, String webhookId, long version, Conversation next, String reply, List<String> events,
      String reach, Instant deadline, String followUp, List<String> references, Outgoing outgoing, String surface) {
    public Commit {
      events = List.copyOf(events);
      references = references == null ? List.of() : List.copyOf(references);
    }

    public Commit(String callerKey, String webhookId, long version, Conversation next, String reply, List<String> events,
        String reach, Instant deadline, String followUp, List<String> references, Outgoing outgoing) {
      this(callerKey, webhookId, version, next, reply, events, reach, deadline, followUp, references, outgoing, null);
    }

    public Commit(String callerKey, String webhookId, long version, Conversation next, String reply, List<String> events,
        String reach, Instant deadline, String followUp, List<String> references) {
      this(callerKey, webhookId, version, next, reply, events, reach, deadline, followUp, references, null);
    }

    public Commit(String callerKey, String webhookId, long version, Conversation next, String reply, List<String> events,
        String reach, Instant deadline) {
      this(callerKey, webhookId, version, next, reply, events, reach, deadline, null, List.of());
    }
  }

  /** Whether a reference code was given out (its report may still be on its way to the queue). */
  Future<Boolean> referenceTaken(String reference);

  /** How a commit ended. {@code reply} is what to send: this turn's, or the earlier one's for a retry. */
  record Committed(Status status, String reply) {}

  enum Status {
    SAVED,
    /** This webhook id was answered already; nothing of this turn was saved. */
    DUPLICATE,
    /** Another turn of the same caller committed first; nothing was saved, run the turn again. */
    CONFLICT,
    /** The deadline had passed; nothing was saved. */
    LATE
  }

  Future<Loaded> load(String callerKey, String webhookId);

  Future<Committed> commit(Commit commit);

  /**
   * Counts a wrong reference code from this caller, once per webhook id (a retried webhook is not a
   * second guess); returns the count within the hour.
   */
  Future<Long> followUpFailed(String callerKey, String webhookId);

  /** The caller's number, sealed, while the reply window keeps it; null when there is none (never kept, expired, wiped). */
  Future<String> sealedReach(String callerKey);

  /**
   * An officer texted the caller about a report: the caller's next texts go into that report's
   * timeline for {@link #FOLLOW_UP_WINDOW}, as when they follow it up with its code.
   */
  Future<Void> openThread(String callerKey, String reference);

  /** How long a follow-up, and a count of wrong codes, is kept. */
  java.time.Duration FOLLOW_UP_WINDOW = java.time.Duration.ofHours(1);

  /** The outbox stream of a channel that sends its replies after the turn. */
  static String outbox(String channel) {
    return "sathi:outbox:" + channel;
  }

  /** Succeeds when the store can take writes now. */
  Future<Void> ping();

  Future<Void> close();
}
