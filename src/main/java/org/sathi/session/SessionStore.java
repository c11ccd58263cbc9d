package org.sathi.session;

import io.vertx.core.Future;
import java.util.List;
import org.sathi.flow.Conversation;

/**
 * Where conversations live between webhooks, keyed by the caller's keyed hash. A turn costs two
 * calls, each one round trip: {@link #load} before the engine runs, {@link #commit} after it.
 */
public interface SessionStore {

  /**
   * What a turn starts from.
   *
   * @param previousReply the reply already given to this webhook id, when it is a retry
   * @param conversation  the caller's conversation, or null when there is none (new, expired, wiped)
   * @param returningLanguage the language of a caller seen recently whose conversation expired
   */
  record Loaded(String previousReply, Conversation conversation, String returningLanguage) {}

  /**
   * The outcome of a turn, saved all or nothing.
   *
   * @param next   the conversation to keep, or null to wipe everything kept for the caller
   * @param reply  what the caller is told; kept for retries of the same webhook
   * @param events JSON documents of reports and hand-off requests, for the duty-officer queue
   */
  record Commit(String callerKey, String webhookId, Conversation next, String reply, List<String> events) {}

  Future<Loaded> load(String callerKey, String webhookId);

  /**
   * Saves a turn unless this webhook id was already answered. Returns the reply to send: this
   * turn's, or the earlier one's when a retry raced ahead (then nothing of this turn is saved).
   */
  Future<String> commit(Commit commit);

  /** Succeeds when the store can take writes now. */
  Future<Void> ping();

  Future<Void> close();
}
