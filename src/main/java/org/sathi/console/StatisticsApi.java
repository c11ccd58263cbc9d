package org.sathi.console;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.sathi.report.ReportStore;
import org.sathi.statistics.Dimension;
import org.sathi.statistics.Disclosure;
import org.sathi.statistics.Exports;
import org.sathi.statistics.Period;
import org.sathi.statistics.Published;
import org.sathi.statistics.Statistics;

/**
 * {@code GET /api/statistics} and {@code GET /api/statistics/export}: tables of reports by at most
 * two dimensions for one ended month or quarter, every value under the disclosure rules. A
 * supervisor may ask for the exact counts ({@code exact=true}); that view is audited apart.
 * {@link ConsoleApi} checks the role and audits; this class only answers.
 */
final class StatisticsApi {
  private final ReportStore reports;
  private final Statistics statistics;
  private final boolean openPeriods;
  private final Clock clock;

  /** @param openPeriods whether the current period may be shown, marked provisional (config statistics.openPeriods) */
  StatisticsApi(ReportStore reports, Statistics statistics, boolean openPeriods, Clock clock) {
    this.reports = reports;
    this.statistics = statistics;
    this.openPeriods = openPeriods;
    this.clock = clock;
  }

  /** A period's table, as published, or exact when {@code exact} (the caller checked the role). */
  Future<ConsoleApi.Answer> table(MultiMap query, boolean exact) {
    String rowsName = query.get("rows");
    String colsName = query.get("cols");
    Optional<Dimension> rows = Dimension.parse(rowsName);
    Optional<Dimension> cols = colsName == null || colsName.isEmpty() ? Optional.empty() : Dimension.parse(colsName);
    if (rows.isEmpty()) return bad(unknownDimension("rows", rowsName));
    if (colsName != null && !colsName.isEmpty() && cols.isEmpty()) return bad(unknownDimension("cols", colsName));
    if (cols.isPresent() && cols.get() == rows.get()) return bad("'rows' and 'cols' are the same dimension; choose two different ones, or leave out 'cols'.");
    if (query.getAll("rows").size() > 1 || query.getAll("cols").size() > 1) {
      return bad("A table has at most " + Statistics.MAX_DIMENSIONS + " dimensions: one 'rows' and one 'cols'.");
    }
    Checked p = period(query.get("period"));
    if (p.problem() != null) return bad(p.problem());
    Dimension r = rows.get();
    Dimension c = cols.orElse(null);
    return reports.facts(p.period().start(), p.period().end()).map(facts -> {
      var table = statistics.table(facts, r, c);
      Published shown = exact ? Published.exact(table) : Disclosure.publish(table);
      JsonObject body = new JsonObject().put("period", p.period().label()).put("provisional", p.provisional())
          .put("rows", r.wire()).put("cols", c == null ? null : c.wire());
      shown.toMap().forEach(body::put);
      JsonObject completeness = new JsonObject();
      statistics.completeness(facts).forEach(completeness::put);
      body.put("completeness", completeness);
      if (exact) body.put("exact", true);
      return new ConsoleApi.Answer(200, body, exact ? "exact" : "ok");
    });
  }

  /** A framework's CSV for one period; never exact. */
  Future<ConsoleApi.Answer> export(MultiMap query) {
    Optional<Exports> format = Exports.parse(query.get("format"));
    if (format.isEmpty()) return bad("Send format=chi, unodc or htcds: the framework whose tables to export.");
    Checked p = period(query.get("period"));
    if (p.problem() != null) return bad(p.problem());
    return reports.facts(p.period().start(), p.period().end()).map(facts -> new ConsoleApi.Answer(200, null, format.get().wire(),
        format.get().csv(statistics, p.period(), facts), "sathi-" + format.get().wire() + "-" + p.period().label() + (p.provisional() ? "-provisional" : "") + ".csv"));
  }

  private record Checked(Period period, boolean provisional, String problem) {}

  private Checked period(String text) {
    Period period;
    try {
      period = Period.parse(text);
    } catch (IllegalArgumentException e) {
      return new Checked(null, false, "Send period=YYYY-MM or YYYY-Qn: " + e.getMessage() + ".");
    }
    Instant now = clock.instant();
    if (period.ended(now)) return new Checked(period, false, null);
    if (now.isBefore(period.start())) return new Checked(null, false, period.label() + " has not begun: there is nothing to count yet.");
    if (!openPeriods) {
      return new Checked(null, false, period.label() + " has not ended: only a period that has ended is published, since a table that"
          + " still changes can give a report away. (statistics.openPeriods: true in config/sathi.yaml shows it, marked provisional, for training.)");
    }
    return new Checked(period, true, null);
  }

  private static String unknownDimension(String param, String given) {
    String shown = given == null || given.isEmpty() ? "nothing" : "'" + (given.length() > 30 ? given.substring(0, 30) + "..." : given) + "'";
    return "'" + param + "' is " + shown + "; a dimension is one of " + String.join(", ", Dimension.apiNames()) + ".";
  }

  private static Future<ConsoleApi.Answer> bad(String message) {
    return Future.succeededFuture(ConsoleApi.badRequest(message));
  }
}
