package org.sathi.console;

import java.time.Instant;
import java.util.function.Function;

/**
 * The filters of {@code GET /api/audit}: {@code officer}, {@code action}, {@code reference}, and
 * {@code from} and {@code to} (dates, UTC, both included). Pure; a bad value is an
 * {@link IllegalArgumentException} whose message names the filter and what it takes.
 */
record AuditQuery(String officer, String action, String reference, Instant from, Instant until) {

  static AuditQuery parse(Function<String, String> param) {
    Instant from = CaseQuery.day(param.apply("from"), "from", 0);
    Instant until = CaseQuery.day(param.apply("to"), "to", 1);
    if (from != null && until != null && !from.isBefore(until)) throw new IllegalArgumentException("from must not be after to.");
    return new AuditQuery(name(param, "officer"), name(param, "action"), name(param, "reference"), from, until);
  }

  /** Whether any filter is set: then more of the log is looked through. */
  boolean any() {
    return officer != null || action != null || reference != null || from != null || until != null;
  }

  boolean matches(AuditEntry e) {
    return (officer == null || officer.equals(e.officer()))
        && (action == null || action.equals(e.action()))
        && (reference == null || reference.equalsIgnoreCase(String.valueOf(e.reference())))
        && (from == null || !e.at().isBefore(from))
        && (until == null || e.at().isBefore(until));
  }

  private static String name(Function<String, String> param, String filter) {
    String v = param.apply(filter);
    if (v == null) return null;
    if (!v.matches("[A-Za-z0-9_.-]{1,64}")) throw new IllegalArgumentException(filter + " is a name as the log shows it (letters, digits, - _ .).");
    return v;
  }
}
