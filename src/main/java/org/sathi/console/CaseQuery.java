package org.sathi.console;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.sathi.report.Priority;
import org.sathi.report.Report;
import org.sathi.report.Report.Status;
import org.sathi.report.ReferenceCode;

/**
 * What an officer asks of the case list: {@code GET /api/reports?status=open|closed|all} (closed:
 * closed or referred, off the queue) with the
 * filters {@code priority}, {@code channel}, {@code language}, {@code category} (the form of
 * concern the reporter chose), {@code assignee}, {@code from} and {@code to} (dates, UTC, both
 * included), {@code q=XXXX-XXXX} (one report by its code), and {@code cursor} (where the last page
 * ended). Pure: it reads the parameters, says what is wrong with them, and says whether a report matches.
 *
 * @param statuses the statuses listed
 * @param q        a reference code to find, whatever its status; null for a list
 * @param from     the earliest creation time listed (inclusive)
 * @param until    the latest creation time listed (exclusive)
 * @param cursor   where the last page ended: newest millisecond still to list, and the reference there; or null
 */
public record CaseQuery(Set<Status> statuses, Priority priority, String channel, String language, String category, String assignee,
    Instant from, Instant until, String q, Cursor cursor) {

  /** The oldest creation time a list goes back to when {@code from} is not given. */
  static final Instant BEGINNING = Instant.EPOCH;

  /** Where a page ended: the creation millisecond and the reference of its last report. */
  public record Cursor(long millis, String reference) {
    String encode() {
      return millis + "." + reference;
    }

    static Cursor decode(String text) {
      int dot = text.indexOf('.');
      if (dot <= 0 || !text.substring(dot + 1).matches("[A-Z0-9]{4}-[A-Z0-9]{4}")) throw new IllegalArgumentException("cursor");
      return new Cursor(Long.parseLong(text.substring(0, dot)), text.substring(dot + 1));
    }

    static Cursor after(Report r) {
      return new Cursor(r.createdAt().toEpochMilli(), r.reference());
    }
  }

  /** A parameter that is not what it should be; the message names it and what it takes. */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  static final Set<String> PARAMETERS = Set.of("status", "priority", "channel", "language", "category", "assignee", "from", "to", "q", "cursor");

  /** Reads the query parameters (one value each) of {@code GET /api/reports}. */
  public static CaseQuery parse(Function<String, String> param, Set<String> given) throws Invalid {
    for (String name : given) {
      if (!PARAMETERS.contains(name)) throw new Invalid("Unknown filter '" + safe(name) + "'; the list takes " + String.join(", ", PARAMETERS.stream().sorted().toList()) + ".");
    }
    String status = param.apply("status");
    Set<Status> statuses = switch (status == null ? "open" : status) {
      case "open" -> EnumSet.of(Status.NEW, Status.CLAIMED, Status.IN_PROGRESS);
      case "closed" -> EnumSet.of(Status.CLOSED, Status.REFERRED); // off the queue: closed, or handed to a partner
      case "all" -> EnumSet.allOf(Status.class);
      default -> throw new Invalid("status is open, closed or all.");
    };
    Priority priority = null;
    String p = param.apply("priority");
    if (p != null) {
      try {
        priority = Priority.valueOf(p.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Invalid("priority is P1, P2 or P3.");
      }
    }
    String q = param.apply("q");
    if (q != null) {
      q = ReferenceCode.parse(q).orElseThrow(() -> new Invalid("q is a reference code, such as ABCD-EFGH."));
    }
    Instant from = day(param.apply("from"), "from", 0);
    Instant until = day(param.apply("to"), "to", 1);
    if (from != null && until != null && !from.isBefore(until)) throw new Invalid("from must not be after to.");
    Cursor cursor = null;
    if (param.apply("cursor") != null) {
      try {
        cursor = Cursor.decode(param.apply("cursor"));
      } catch (RuntimeException e) {
        throw new Invalid("cursor is the 'next' of the page before; start again without it.");
      }
    }
    return new CaseQuery(statuses, priority, word(param, "channel"), word(param, "language"), word(param, "category"), word(param, "assignee"),
        from, until, q, cursor);
  }

  /** Whether a report is listed. */
  public boolean matches(Report r) {
    return statuses.contains(r.status())
        && (priority == null || priority == r.priority())
        && (channel == null || channel.equals(r.channel()))
        && (language == null || language.equals(r.language()))
        && (category == null || r.answers() != null && category.equals(r.answers().what()))
        && (assignee == null || assignee.equals(r.assignee()))
        && (from == null || !r.createdAt().isBefore(from))
        && (until == null || r.createdAt().isBefore(until));
  }

  /** The newest millisecond a page starts at. */
  long newestMillis() {
    long upTo = until == null ? Long.MAX_VALUE / 2 : until.toEpochMilli() - 1;
    return cursor == null ? upTo : Math.min(upTo, cursor.millis());
  }

  Instant oldest() {
    return from == null ? BEGINNING : from;
  }

  /** A date parameter (UTC): its start, or with {@code plusDays} 1 the start of the next day (so a {@code to} date is included). */
  static Instant day(String value, String name, int plusDays) throws Invalid {
    if (value == null) return null;
    try {
      return LocalDate.parse(value).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new Invalid(name + " is a date, such as 2026-11-30.");
    }
  }

  private static String word(Function<String, String> param, String name) throws Invalid {
    String v = param.apply(name);
    if (v == null) return null;
    if (!v.matches("[A-Za-z0-9:_.-]{1,64}")) throw new Invalid(name + " is a name such as it appears on a report (letters, digits, : - _ .).");
    return v;
  }

  private static String safe(String name) {
    return name.matches("[A-Za-z0-9_]{1,32}") ? name : "(unnamed)";
  }
}
