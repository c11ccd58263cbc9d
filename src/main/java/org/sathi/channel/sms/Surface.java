package org.sathi.channel.sms;

import java.time.Instant;
import org.sathi.flow.Conversation;
import org.sathi.flow.Step;
import org.sathi.session.SessionStore;

/**
 * How a text channel shows the conversation when it is not a thread of SMS: USSD shows screens that
 * page and end, and reads each step from the whole session's input. The conversation core asks the
 * surface what a step means, walks the flows, and lets the surface show the result and say what it
 * must remember until its next step (kept with the conversation, in the same commit).
 */
public interface Surface {

  /** What one step means, read from what the surface showed last. */
  sealed interface Move {}

  /** An answer for the flows, as if texted. */
  record Answer(String text) implements Move {}

  /** A new session: the flows start afresh at the main menu (nothing followed up, nothing resumed). */
  record Start() implements Move {}

  /** The screen before this one. */
  record Back() implements Move {}

  /** Where the caller stopped, again: they chose to continue a conversation that was cut off. */
  record Resume() implements Move {}

  /** An answer of the surface's own (the next page of a long screen): the conversation stays as it is. */
  record Own(String reply, String remembered) implements Move {}

  /** The reply as the surface shows it, and what it remembers until the next step (null: nothing). */
  record Shown(String reply, String remembered) {}

  /** The message key of the polite fallback, when a step could not be saved in time (nothing was acknowledged). */
  default String fallbackKey() {
    return "common.fallback";
  }

  /** The address whose keyed hash the conversation is kept under (a surface keeps its conversations apart from SMS). */
  String address(String from);

  /**
   * What this step means.
   *
   * @param loaded what the store holds for the caller, with {@link SessionStore.Loaded#surface()} as this surface remembered it
   * @param input  the step's input as the transport gave it
   */
  Move read(SessionStore.Loaded loaded, String input, Instant now);

  /**
   * The flows' reply as this surface shows it.
   *
   * @param move  what the step meant
   * @param reply the reply as an SMS would carry it (lines, options as {@code 1. Label})
   * @param next  the conversation kept after the step; null when it was wiped (the quick exit)
   */
  Shown show(SessionStore.Loaded loaded, String input, Move move, String reply, Conversation next, Instant now);

  /**
   * Whether the caller's number is kept (sealed) for the reply window after this step, so an officer
   * can answer. An SMS thread keeps it after a report or a hand-off; a surface that leaves nothing in
   * the inbox keeps it only where the caller asked to be reached.
   */
  boolean keepsReplyWindow(Step step);
}
