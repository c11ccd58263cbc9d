package org.sathi.report;

import java.time.Instant;

/**
 * One event in a report's life, shown to officers in order: received, triaged (with the rule that
 * fired, and the keyword that matched), paged, acknowledged, claimed, noted, what the reporter added
 * when following up, closed. It is part of the report: erased with it, never logged, never paged.
 *
 * @param actor who did it: an officer id, or {@code sathi}
 */
public record TimelineEntry(Instant at, String kind, String actor, String text) {
  /** The reporter's words, sent from the phone that made the report. */
  public static final String REPORTER = "reporter";
  /**
   * The actor of words added with the code from another phone than the report's. They do not open
   * the reply window: a reply goes to the reporter's own phone, and the writer may not be the reporter.
   */
  public static final String OTHER_PHONE = "another phone";
}
