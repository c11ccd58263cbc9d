package org.sathi.report;

/** How soon a report must be seen: P1 urgent (someone in danger now), P2 a child at risk, P3 the rest. */
public enum Priority {
  P1, P2, P3;

  /** The more urgent of the two. */
  public Priority atLeast(Priority other) {
    return compareTo(other) <= 0 ? this : other;
  }
}
