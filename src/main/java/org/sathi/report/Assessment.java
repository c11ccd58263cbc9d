package org.sathi.report;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What triage made of a report or hand-off: how soon it must be seen, its flags, and every rule that
 * fired, in rule order, each with a short reason for the timeline (so an officer sees why it is P1).
 */
public record Assessment(Priority priority, SortedSet<String> flags, List<Fired> fired) {

  /** One rule that fired and why, in words an officer reads in the report's timeline. */
  public record Fired(String ruleId, String reason) {}

  public Assessment {
    flags = Collections.unmodifiableSortedSet(new TreeSet<>(flags));
    fired = List.copyOf(fired);
  }

  /** The ids of the rules that fired, in rule order. */
  public List<String> ruleIds() {
    return fired.stream().map(Fired::ruleId).toList();
  }
}
