package org.sathi.flow;

import java.util.List;
import org.sathi.i18n.SmsText.Line;

/**
 * The result of one turn: the conversation to keep ({@code null} when it is to be wiped), what
 * to say, what the caller is expected to do next, and the events the host carries out.
 */
public record Step(Conversation next, List<Line> prompts, Wait awaiting, List<Event> events) {

  /** What the caller is expected to do next; voice uses it to choose Gather or Record. */
  public enum Wait { CHOICE, NUMBER, TEXT, MORE, END }

  public Step {
    prompts = List.copyOf(prompts);
    events = List.copyOf(events);
  }
}
