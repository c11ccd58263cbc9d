package org.sathi.statistics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.sathi.report.Crosswalk;
import org.sathi.report.Facts;
import org.sathi.report.Outcomes;

/**
 * Counts reports' {@link Facts} into {@link Table}s of exact counts, by at most two
 * {@link Dimension}s. What may leave Sathi is only {@link Disclosure#publish}'s view of a table.
 *
 * @param crosswalk  the field's codes for a report's "what is happening"
 * @param rollUp     an area code to the area published (a district to its division)
 * @param transport  a report's channel name to sms, voice, ussd or whatsapp
 * @param languages  the hotline's languages, in the order tables list them
 * @param outcomes   how a report can end
 */
public record Statistics(Crosswalk crosswalk, UnaryOperator<String> rollUp, UnaryOperator<String> transport, List<String> languages,
    Outcomes outcomes) {

  /** At most this many dimensions per table: a third would cut cells into ones a child can be found in. */
  public static final int MAX_DIMENSIONS = 2;

  /** The dimensions whose completeness a table reports: how often the reporter said. */
  static final List<Dimension> COMPLETENESS = List.of(Dimension.SEX, Dimension.AGE_BAND, Dimension.EXPLOITATION, Dimension.ORIGIN);

  public Statistics {
    languages = List.copyOf(languages);
  }

  /** The exact counts by {@code rows}, and by {@code cols} too when it is not null. */
  public Table table(List<Facts> facts, Dimension rows, Dimension cols) {
    List<String> rowKeys = rows.keys(this, facts);
    List<String> colKeys = cols == null ? List.of(Table.TOTAL) : cols.keys(this, facts);
    Map<String, Integer> rowIndex = index(rowKeys);
    Map<String, Integer> colIndex = index(colKeys);
    long[][] cells = new long[rowKeys.size()][colKeys.size()];
    for (Facts f : facts) {
      int r = rowIndex.get(rows.key(this, f));
      int c = cols == null ? 0 : colIndex.get(cols.key(this, f));
      cells[r][c]++;
    }
    return Table.of(rowKeys, colKeys, cells);
  }

  /**
   * For each of sex, age band, exploitation and origin, the share of reports that say it (0 to 1,
   * two decimals); empty when there are no reports.
   */
  public Map<String, Double> completeness(List<Facts> facts) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (facts.isEmpty()) return out;
    for (Dimension d : COMPLETENESS) {
      long known = facts.stream().filter(f -> !Dimension.UNKNOWN.equals(d.key(this, f))).count();
      out.put(d.wire(), Math.round(100.0 * known / facts.size()) / 100.0);
    }
    return out;
  }

  /** A channel name as its transport: {@code voice}, {@code ussd:NAME}, or a configured channel's type. */
  public static UnaryOperator<String> transports(Map<String, String> typeByName) {
    return channel -> {
      if (channel == null) return Dimension.UNKNOWN;
      if (channel.equals("voice")) return "voice";
      if (channel.startsWith("ussd:")) return "ussd";
      String type = typeByName.getOrDefault(channel, "sms");
      return switch (type) {
        case "whatsapp" -> "whatsapp";
        case "ussd" -> "ussd";
        default -> "sms"; // twilio, smpp, kannel
      };
    };
  }

  private static Map<String, Integer> index(List<String> keys) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) m.put(keys.get(i), i);
    return m;
  }
}
