package org.sathi.statistics;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sathi.report.Facts;

/**
 * The tables each framework asks for, as one CSV: every value under the disclosure rules
 * ({@link Disclosure#publish}), a suppressed one written {@code <11}.
 *
 * <p>The CSV is long, one value per line, so that tables of different shapes sit in one file and
 * every value carries its framework's own names:
 * {@code framework,period,table,row_dimension,row,column_dimension,column,value}; a row or column
 * total has the key {@code total}. Each table has at most two dimensions, and each is controlled on
 * its own; tables that share a margin publish it the same way, since it is the same exact count.
 */
public enum Exports {
  /** Child Helpline International: contacts by category, by sex and by age band. */
  CHI("chi", List.of(new Spec("category_by_sex", Dimension.CHI_CATEGORY, Dimension.SEX),
      new Spec("category_by_age", Dimension.CHI_CATEGORY, Dimension.AGE_BAND))),
  /** UNODC's Global Report: detected victims by form of exploitation, girls, boys, women and men. */
  UNODC("unodc", List.of(new Spec("form_by_sex_and_age", Dimension.UNODC_FORM, Dimension.UNODC_SEX_AGE))),
  /** IOM's HTCDS: TypeOfExploitation by sex and by CTDC's broad age band. */
  HTCDS("htcds", List.of(new Spec("TypeOfExploitation_by_Gender", Dimension.EXPLOITATION, Dimension.SEX),
      new Spec("TypeOfExploitation_by_ageBroad", Dimension.EXPLOITATION, Dimension.CTDC_AGE_BAND)));

  /** One table of an export: its name and its two dimensions. */
  public record Spec(String name, Dimension rows, Dimension cols) {}

  public static final String HEADER = "framework,period,table,row_dimension,row,column_dimension,column,value";

  private final String wire;
  private final List<Spec> tables;

  Exports(String wire, List<Spec> tables) {
    this.wire = wire;
    this.tables = tables;
  }

  public String wire() {
    return wire;
  }

  public List<Spec> tables() {
    return tables;
  }

  public static Optional<Exports> parse(String name) {
    if (name == null) return Optional.empty();
    for (Exports e : values()) if (e.wire.equals(name.toLowerCase(Locale.ROOT))) return Optional.of(e);
    return Optional.empty();
  }

  /** The CSV of this framework's tables over the facts of one period. */
  public String csv(Statistics s, Period period, List<Facts> facts) {
    StringBuilder out = new StringBuilder(HEADER).append("\r\n");
    for (Spec spec : tables) {
      Published p = Disclosure.publish(s.table(facts, spec.rows(), spec.cols()));
      for (int r = 0; r <= p.rowKeys().size(); r++) {
        boolean rowTotal = r == p.rowKeys().size();
        for (int c = 0; c <= p.colKeys().size(); c++) {
          boolean colTotal = c == p.colKeys().size();
          Published.Value v = rowTotal && colTotal ? p.total() : rowTotal ? p.colTotals().get(c) : colTotal ? p.rowTotals().get(r) : p.cells().get(r).get(c);
          line(out, wire, period.label(), spec.name(), spec.rows().wire(), rowTotal ? Table.TOTAL : p.rowKeys().get(r), spec.cols().wire(),
              colTotal ? Table.TOTAL : p.colKeys().get(c), v.display());
        }
      }
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) out.append(',');
      out.append(cell(fields[i]));
    }
    out.append("\r\n");
  }

  /** RFC 4180 quoting, and no cell a spreadsheet would run as a formula. */
  static String cell(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) v = "'" + v;
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) v = '"' + v.replace("\"", "\"\"") + '"';
    return v;
  }
}
