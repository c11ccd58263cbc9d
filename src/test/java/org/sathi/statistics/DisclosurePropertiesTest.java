package org.sathi.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.sathi.statistics.Published.Count;
import org.sathi.statistics.Published.Suppressed;
import org.sathi.statistics.Published.Value;

/**
 * The disclosure rules over random tables (issue 16, "Tests that must exist"): 1 to 8 rows by 1 to
 * 8 columns, and one-dimensional ones, with counts mostly 0 to 30 (many zeros and small cells,
 * where suppression happens) and some large.
 *
 * <p>Each published value is compared with its exact one through {@link Pair}: the cells, the row
 * totals, the column totals and the grand total, position for position.
 */
class DisclosurePropertiesTest {

  @Property(tries = 1000)
  void noPublishedCountIsOneToFourteen(@ForAll("tables") Table t) {
    for (Pair p : pairs(t)) {
      if (p.shown() instanceof Count c) assertThat(c.count() >= 1 && c.count() <= 14).as("%s shown as %d", p, c.count()).isFalse();
    }
  }

  @Property(tries = 1000)
  void everyPublishedCountIsZeroOrAMultipleOfFiveAndNeverBelowTheExact(@ForAll("tables") Table t) {
    for (Pair p : pairs(t)) {
      if (p.shown() instanceof Count c) {
        assertThat(c.count() % 5).as("%s", p).isZero();
        assertThat(c.count()).as("%s", p).isGreaterThanOrEqualTo(p.exact()).isLessThan(p.exact() + 5);
        assertThat(c.count() == 0).as("%s", p).isEqualTo(p.exact() == 0);
      }
    }
  }

  @Property(tries = 1000)
  void everyCountOfOneToTenIsSuppressed(@ForAll("tables") Table t) {
    for (Pair p : pairs(t)) {
      if (p.exact() >= 1 && p.exact() <= 10) assertThat(p.shown()).as("%s", p).isInstanceOf(Suppressed.class);
    }
  }

  /** Also checks that the tables exercise the rule: many need a complementary suppression. */
  @Property(tries = 1000)
  void noLineHasExactlyOneSuppressedValue(@ForAll("tables") Table t) {
    Published p = Disclosure.publish(t);
    for (List<Value> line : lines(p)) {
      assertThat(line.stream().filter(v -> v instanceof Suppressed).count()).as("%s in %s", line, t).isNotEqualTo(1L);
    }
    boolean complementary = pairs(t).stream().anyMatch(q -> q.shown() instanceof Suppressed && q.exact() > 10);
    Statistics.label("complementary suppression").collect(complementary);
    Statistics.label("complementary suppression").coverage(c -> c.check(true).percentage(pct -> pct > 20));
  }

  /**
   * Stronger than the issue asks: a zero is never suppressed at all. Disclosure's javadoc shows why
   * the rule never needs one when totals are sums (the zero fallback is only a safeguard).
   */
  @Property(tries = 1000)
  void noZeroIsSuppressed(@ForAll("tables") Table t) {
    for (Pair p : pairs(t)) {
      if (p.shown() instanceof Suppressed) assertThat(p.exact()).as("%s", p).isPositive();
    }
  }

  @Property(tries = 300)
  void theExactViewIsTheInput(@ForAll("tables") Table t) {
    Published e = Published.exact(t);
    assertThat(e.rowKeys()).isEqualTo(t.rowKeys());
    assertThat(e.colKeys()).isEqualTo(t.colKeys());
    for (int r = 0; r < t.rows(); r++) {
      for (int c = 0; c < t.cols(); c++) assertThat(e.cells().get(r).get(c)).isEqualTo(new Count(t.count(r, c)));
      assertThat(e.rowTotals().get(r)).isEqualTo(new Count(t.rowTotal(r)));
    }
    for (int c = 0; c < t.cols(); c++) assertThat(e.colTotals().get(c)).isEqualTo(new Count(t.colTotal(c)));
    assertThat(e.total()).isEqualTo(new Count(t.total()));
  }

  @Provide
  Arbitrary<Table> tables() {
    Arbitrary<Long> count = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(0L)),
        Tuple.of(8, Arbitraries.longs().between(0, 30)),
        Tuple.of(1, Arbitraries.longs().between(31, 100_000)));
    Arbitrary<Table> twoDimensional = Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 8))
        .flatAs((rows, cols) -> count.array(long[].class).ofSize(cols).array(long[][].class).ofSize(rows)
            .map(cells -> Table.of(keys("r", rows), keys("c", cols), cells)));
    Arbitrary<Table> oneDimensional = Arbitraries.integers().between(1, 8)
        .flatMap(rows -> count.array(long[].class).ofSize(rows).map(counts -> Table.oneDimensional(keys("r", rows), counts)));
    return Arbitraries.frequencyOf(Tuple.of(4, twoDimensional), Tuple.of(1, oneDimensional));
  }

  private static List<String> keys(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  /** One position of a table: its exact count and what is published for it. */
  record Pair(String where, long exact, Value shown) {}

  static List<Pair> pairs(Table t) {
    Published p = Disclosure.publish(t);
    List<Pair> pairs = new ArrayList<>();
    for (int r = 0; r < t.rows(); r++) {
      for (int c = 0; c < t.cols(); c++) pairs.add(new Pair("cell " + r + "," + c + " of " + t, t.count(r, c), p.cells().get(r).get(c)));
      pairs.add(new Pair("row total " + r + " of " + t, t.rowTotal(r), p.rowTotals().get(r)));
    }
    for (int c = 0; c < t.cols(); c++) pairs.add(new Pair("column total " + c + " of " + t, t.colTotal(c), p.colTotals().get(c)));
    pairs.add(new Pair("total of " + t, t.total(), p.total()));
    return pairs;
  }

  /** Each row with its total, each column with its total, the row totals and the column totals, each with the grand total. */
  static List<List<Value>> lines(Published p) {
    List<List<Value>> lines = new ArrayList<>();
    for (int r = 0; r < p.rowKeys().size(); r++) {
      List<Value> line = new ArrayList<>(p.cells().get(r));
      line.add(p.rowTotals().get(r));
      lines.add(line);
    }
    for (int c = 0; c < p.colKeys().size(); c++) {
      List<Value> line = new ArrayList<>();
      for (List<Value> row : p.cells()) line.add(row.get(c));
      line.add(p.colTotals().get(c));
      lines.add(line);
    }
    List<Value> rowTotals = new ArrayList<>(p.rowTotals());
    rowTotals.add(p.total());
    lines.add(rowTotals);
    List<Value> colTotals = new ArrayList<>(p.colTotals());
    colTotals.add(p.total());
    lines.add(colTotals);
    return lines;
  }
}
