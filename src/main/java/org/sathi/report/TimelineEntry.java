package org.sathi.report;

import java.time.Instant;

/**
 * One event in a report's life, shown to officers in order: created, triaged (with the rule that
 * fired), paged, acknowledged, claimed, noted, referred, closed. Never a number or the reporter's words.
 *
 * @param actor who did it: an officer id, or {@code sathi}
 */
public record TimelineEntry(Instant at, String kind, String actor, String text) {}
