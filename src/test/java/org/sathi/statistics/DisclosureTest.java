package org.sathi.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sathi.statistics.Published.Count;
import org.sathi.statistics.Published.Suppressed;
import org.sathi.statistics.Published.Value;

/** Hand-checked tables: the issue's rounding examples, complementary suppression, totals from exact counts. */
class DisclosureTest {
  static final Value S = Suppressed.VALUE;

  static Count n(long count) {
    return new Count(count);
  }

  static Published oneRow(long... counts) {
    long[][] cells = {counts};
    List<String> cols = java.util.stream.IntStream.range(0, counts.length).mapToObj(i -> "c" + i).toList();
    return Disclosure.publish(Table.of(List.of("r"), cols, cells));
  }

  @Test
  void theIssuesRoundingExamples() {
    Published p = Disclosure.publish(Table.oneDimensional(List.of("a", "b", "c", "d", "e"), new long[] {11, 20, 0, 10, 10}));
    assertThat(p.cells()).containsExactly(List.of(n(15)), List.of(n(20)), List.of(n(0)), List.of(S), List.of(S));
    assertThat(p.colTotals()).containsExactly(n(55)); // 51 exact
    assertThat(p.total()).isEqualTo(n(55));
    assertThat(Disclosure.roundUp(11)).isEqualTo(15);
    assertThat(Disclosure.roundUp(14)).isEqualTo(15);
    assertThat(Disclosure.roundUp(15)).isEqualTo(15);
    assertThat(Disclosure.roundUp(16)).isEqualTo(20);
    assertThat(Disclosure.roundUp(0)).isZero();
  }

  /**
   * A 2x2 table with one small cell: 3 is suppressed; its row's smallest other value, the cell 20
   * (20 before the total 25), goes too; then column 0 (3 and 30 shown would give 3 away from 35)
   * loses 30, and row 1 loses 40 rather than its total 70. The totals, rounded from the exact
   * counts, stay: no line has only one value hidden.
   */
  @Test
  void aTwoByTwoTableWithOneSmallCellHidesAllFourCells() {
    Published p = Disclosure.publish(Table.of(List.of("female", "male"), List.of("0-3", "4-6"), new long[][] {{3, 20}, {30, 40}}));
    assertThat(p.cells()).containsExactly(List.of(S, S), List.of(S, S));
    assertThat(p.rowTotals()).containsExactly(n(25), n(70)); // 23, 70
    assertThat(p.colTotals()).containsExactly(n(35), n(60)); // 33, 60
    assertThat(p.total()).isEqualTo(n(95)); // 93
  }

  /** The complement is the smallest non-zero value; a zero beside it protects nothing. */
  @Test
  void theComplementIsTheSmallestNonZeroCellNotAZero() {
    Published p = Disclosure.publish(Table.of(List.of("a", "b"), List.of("x", "y", "z"), new long[][] {{5, 0, 12}, {0, 0, 40}}));
    // Primary: the cell 5 and column x's total 5. Row a (5, 0, 12 | 17): 12 goes, not the zero and
    // not the total 17. The column totals (5, 0, 52 | 57): 52 goes, a column total before the grand
    // total. Every other line then has none or two hidden; row b (0, 0, 40 | 40) shows all.
    assertThat(p.cells()).containsExactly(List.of(S, n(0), S), List.of(n(0), n(0), n(40)));
    assertThat(p.rowTotals()).containsExactly(n(20), n(40));
    assertThat(p.colTotals()).containsExactly(S, n(0), S);
    assertThat(p.total()).isEqualTo(n(60)); // 57
  }

  /** Cells 3 and 9: both hidden, their total 12 computed from them exactly and shown as 15. */
  @Test
  void totalsAreRoundedFromTheExactCounts() {
    Published p = oneRow(3, 9);
    assertThat(p.cells()).containsExactly(List.of(S, S));
    assertThat(p.rowTotals()).containsExactly(n(15));
    assertThat(p.colTotals()).containsExactly(S, S);
    assertThat(p.total()).isEqualTo(n(15));
    // 12 + 12 + 12: each cell 15, the total 36 -> 40, not 45 (the sum of the rounded cells)
    assertThat(oneRow(12, 12, 12).total()).isEqualTo(n(40));
  }

  @Test
  void aSmallTotalIsSuppressedLikeACell() {
    Published p = oneRow(0, 4, 0);
    assertThat(p.cells()).containsExactly(List.of(n(0), S, n(0)));
    assertThat(p.rowTotals()).containsExactly(S);
    assertThat(p.total()).isEqualTo(S);
  }

  @Test
  void theJsonHasTheIssuesShape() {
    Published p = Disclosure.publish(Table.of(List.of("female", "male"), List.of("0-3", "4-6"), new long[][] {{0, 3}, {0, 32}}));
    assertThat(p.toJson()).isEqualTo("{\"rowKeys\":[\"female\",\"male\"],\"colKeys\":[\"0-3\",\"4-6\"],"
        + "\"cells\":[[{\"count\":0},{\"suppressed\":true}],[{\"count\":0},{\"suppressed\":true}]],"
        + "\"rowTotals\":[{\"suppressed\":true},{\"suppressed\":true}],"
        + "\"colTotals\":[{\"count\":0},{\"count\":35}],\"total\":{\"count\":35}}");
    assertThat(S.display()).isEqualTo("<11");
  }

  @Test
  void theExactViewRoundsAndHidesNothing() {
    Published e = Published.exact(Table.of(List.of("a"), List.of("x", "y"), new long[][] {{3, 9}}));
    assertThat(e.cells()).containsExactly(List.of(n(3), n(9)));
    assertThat(e.rowTotals()).containsExactly(n(12));
    assertThat(e.total()).isEqualTo(n(12));
  }

  @Test
  void aTableIsCheckedAndCopied() {
    long[][] cells = {{1, 2}};
    Table t = Table.of(List.of("a"), List.of("x", "y"), cells);
    cells[0][0] = 99;
    assertThat(t.count(0, 0)).isEqualTo(1);
    t.cells()[0][0] = 99;
    assertThat(t.count(0, 0)).isEqualTo(1);
    assertThatThrownBy(() -> Table.of(List.of("a"), List.of("x"), new long[][] {{-1}})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Table.of(List.of("a", "a"), List.of("x"), new long[][] {{1}, {2}})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Table.of(List.of("a"), List.of("x", "y"), new long[][] {{1}})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Table.of(List.of(), List.of("x"), new long[][] {})).isInstanceOf(IllegalArgumentException.class);
    assertThat(Table.oneDimensional(List.of("a", "b"), new long[] {1, 2}).colKeys()).containsExactly(Table.TOTAL);
  }
}
