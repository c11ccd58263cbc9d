package org.sathi.statistics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sathi.statistics.Published.Count;
import org.sathi.statistics.Published.Suppressed;
import org.sathi.statistics.Published.Value;

/**
 * The disclosure-control rules (issue 16, item 7) that every published value follows, so that no
 * published table identifies a child:
 *
 * <ol>
 *   <li>a count of 1 to 10 is never shown ({@link Suppressed}, displayed "&lt;11");
 *   <li>every other count is rounded up to the next multiple of 5, and 0 stays 0: a shown value is
 *       never 1 to 14. Totals are computed from the exact counts, then treated the same way;
 *   <li>complementary suppression: no line has exactly one suppressed value, counting the line's
 *       total, because a line's other values and its total would give that one away.
 * </ol>
 *
 * <p>The table is read as a grid of (rows + 1) x (cols + 1) values: the cells, each row's total in
 * the last column, each column's total in the last row, and the grand total in the corner. A line
 * is a row of that grid (a row's cells and its total, or the column totals and the grand total) or
 * a column of it (a column's cells and its total, or the row totals and the grand total). In every
 * line the last value is the sum of the others.
 *
 * <p>Complementary suppression repeats, line by line, until no line has exactly one suppressed
 * value: in such a line it suppresses the smallest other published value that is not zero,
 * preferring a cell to a row or column total and either to the grand total. It ends: each step
 * suppresses one more value and never shows one again, and once every value is suppressed no line
 * has exactly one (every line has at least two values), so there are at most (rows + 1) x (cols + 1)
 * steps.
 *
 * <p>Suppressing a zero protects nothing (a reader knows an empty cell can hide nothing), so zeros
 * come last. With totals that are sums, a zero is in fact never needed: the one suppressed value
 * in a line is not zero (by induction, as none suppressed so far is), so if it is a cell its total
 * is not zero and is still shown, and if it is the total some cell of the line is not zero. A zero
 * would be suppressed only if that ever failed, so that the rule "never exactly one" still holds.
 */
public final class Disclosure {
  /** The smallest count ever shown: 1 to 10 never are. */
  public static final long SMALLEST_SHOWN = 11;

  private Disclosure() {}

  /** The table as it may be published. */
  public static Published publish(Table t) {
    int rows = t.rows();
    int cols = t.cols();
    long[][] exact = grid(t);
    boolean[][] suppressed = new boolean[rows + 1][cols + 1];
    for (int r = 0; r <= rows; r++) for (int c = 0; c <= cols; c++) suppressed[r][c] = exact[r][c] > 0 && exact[r][c] < SMALLEST_SHOWN;

    List<int[][]> lines = lines(rows, cols);
    boolean changed;
    do {
      changed = false;
      for (int[][] line : lines) {
        if (suppressedIn(line, suppressed) != 1) continue;
        int[] next = complement(line, exact, suppressed, rows, cols);
        suppressed[next[0]][next[1]] = true;
        changed = true;
      }
    } while (changed);

    List<List<Value>> cells = new ArrayList<>();
    List<Value> rowTotals = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      List<Value> row = new ArrayList<>();
      for (int c = 0; c < cols; c++) row.add(value(exact[r][c], suppressed[r][c]));
      cells.add(row);
      rowTotals.add(value(exact[r][cols], suppressed[r][cols]));
    }
    List<Value> colTotals = new ArrayList<>();
    for (int c = 0; c < cols; c++) colTotals.add(value(exact[rows][c], suppressed[rows][c]));
    return new Published(t.rowKeys(), t.colKeys(), cells, rowTotals, colTotals, value(exact[rows][cols], suppressed[rows][cols]));
  }

  /** A shown count rounded up to the next multiple of 5; 0 stays 0. */
  public static long roundUp(long exact) {
    return Math.ceilDiv(exact, 5) * 5;
  }

  private static Value value(long exact, boolean suppressed) {
    return suppressed ? Suppressed.VALUE : new Count(roundUp(exact));
  }

  /** The cells, row totals in the last column, column totals in the last row, the grand total in the corner. */
  private static long[][] grid(Table t) {
    long[][] g = new long[t.rows() + 1][t.cols() + 1];
    for (int r = 0; r < t.rows(); r++) {
      for (int c = 0; c < t.cols(); c++) g[r][c] = t.count(r, c);
      g[r][t.cols()] = t.rowTotal(r);
    }
    for (int c = 0; c < t.cols(); c++) g[t.rows()][c] = t.colTotal(c);
    g[t.rows()][t.cols()] = t.total();
    return g;
  }

  /** Every row and every column of the grid, each as its positions {row, col}, its total last. */
  private static List<int[][]> lines(int rows, int cols) {
    List<int[][]> lines = new ArrayList<>();
    for (int r = 0; r <= rows; r++) {
      int[][] line = new int[cols + 1][];
      for (int c = 0; c <= cols; c++) line[c] = new int[] {r, c};
      lines.add(line);
    }
    for (int c = 0; c <= cols; c++) {
      int[][] line = new int[rows + 1][];
      for (int r = 0; r <= rows; r++) line[r] = new int[] {r, c};
      lines.add(line);
    }
    return lines;
  }

  private static int suppressedIn(int[][] line, boolean[][] suppressed) {
    int n = 0;
    for (int[] p : line) if (suppressed[p[0]][p[1]]) n++;
    return n;
  }

  /**
   * The value to suppress beside a line's one suppressed value: not zero if any is left, then the
   * smallest published, then a cell before a total before the grand total, then the first.
   */
  private static int[] complement(int[][] line, long[][] exact, boolean[][] suppressed, int rows, int cols) {
    Comparator<int[]> order = Comparator.<int[]>comparingInt(p -> exact[p[0]][p[1]] == 0 ? 1 : 0)
        .thenComparingLong(p -> roundUp(exact[p[0]][p[1]]))
        .thenComparingInt(p -> (p[0] == rows ? 1 : 0) + (p[1] == cols ? 1 : 0));
    int[] best = null;
    for (int[] p : line) {
      if (suppressed[p[0]][p[1]]) continue;
      if (best == null || order.compare(p, best) < 0) best = p;
    }
    return best; // never null: a line has at least two values and only one is suppressed
  }
}
