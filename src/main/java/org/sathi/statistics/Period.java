package org.sathi.statistics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a table covers: a month {@code YYYY-MM} or a quarter {@code YYYY-Qn}, as the half-open
 * interval {@code [start, end)} in UTC, so that months and quarters tile time with no report in
 * two periods and none in a gap.
 *
 * <p>Only a period that has {@link #ended} is published: a table of the current month would
 * change as reports arrive, and two versions of a table, subtracted, can give away one report.
 */
public record Period(String label, Instant start, Instant end) {
  private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
  private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");

  public Period {
    if (!start.isBefore(end)) throw new IllegalArgumentException("a period starts before it ends: " + start + ", " + end);
  }

  /** Parses {@code 2026-11} or {@code 2026-Q4}; anything else is an {@link IllegalArgumentException}. */
  public static Period parse(String text) {
    if (text != null) {
      Matcher m = MONTH.matcher(text);
      if (m.matches()) {
        int month = Integer.parseInt(m.group(2));
        if (month >= 1 && month <= 12) return of(text, Integer.parseInt(m.group(1)), month, 1);
      }
      Matcher q = QUARTER.matcher(text);
      if (q.matches()) return of(text, Integer.parseInt(q.group(1)), 3 * Integer.parseInt(q.group(2)) - 2, 3);
    }
    String shown = text == null ? "nothing" : "'" + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'";
    throw new IllegalArgumentException("a period is a month YYYY-MM or a quarter YYYY-Qn (n = 1 to 4), not " + shown);
  }

  private static Period of(String label, int year, int firstMonth, int months) {
    LocalDate first = LocalDate.of(year, firstMonth, 1);
    return new Period(label, first.atStartOfDay(ZoneOffset.UTC).toInstant(), first.plusMonths(months).atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  /** Whether the period is over at {@code now}, and so may be published. */
  public boolean ended(Instant now) {
    return !now.isBefore(end);
  }

  /** Whether {@code t} falls in the period. */
  public boolean contains(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }

  @Override
  public String toString() {
    return label;
  }
}
