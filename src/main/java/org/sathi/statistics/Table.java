package org.sathi.statistics;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A table of exact counts, at most two dimensions: row keys, column keys and one count per cell.
 * A one-dimensional table ({@link #oneDimensional}) has a single column, {@value #TOTAL}.
 *
 * <p>Totals are always computed here from the exact counts, never from published (rounded or
 * suppressed) values: the disclosure rules round a total once, from the truth, so a published
 * total is never the sum of rounded cells.
 *
 * <p>A class and not a record: a record's equality on a {@code long[][]} would be identity, and
 * its accessor would hand out the array. The counts are copied in and out, so a table is immutable.
 */
public final class Table {
  /** The one column of a one-dimensional table. */
  public static final String TOTAL = "total";

  private final List<String> rowKeys;
  private final List<String> colKeys;
  private final long[][] cells;

  private Table(List<String> rowKeys, List<String> colKeys, long[][] cells) {
    this.rowKeys = distinct("row", rowKeys);
    this.colKeys = distinct("column", colKeys);
    if (cells.length != this.rowKeys.size()) {
      throw new IllegalArgumentException(cells.length + " rows of counts for " + this.rowKeys.size() + " row keys");
    }
    this.cells = new long[cells.length][];
    for (int r = 0; r < cells.length; r++) {
      if (cells[r].length != this.colKeys.size()) {
        throw new IllegalArgumentException("row " + r + " has " + cells[r].length + " counts for " + this.colKeys.size() + " column keys");
      }
      for (long n : cells[r]) if (n < 0) throw new IllegalArgumentException("a count is never negative: " + n);
      this.cells[r] = cells[r].clone();
    }
  }

  /** A two-dimensional table; {@code cells[r][c]} is the count of row key r and column key c. */
  public static Table of(List<String> rowKeys, List<String> colKeys, long[][] cells) {
    return new Table(rowKeys, colKeys, cells);
  }

  /** A one-dimensional table: one count per row key, in a single column {@value #TOTAL}. */
  public static Table oneDimensional(List<String> rowKeys, long[] counts) {
    long[][] cells = new long[counts.length][];
    for (int r = 0; r < counts.length; r++) cells[r] = new long[] {counts[r]};
    return new Table(rowKeys, List.of(TOTAL), cells);
  }

  private static List<String> distinct(String what, List<String> keys) {
    List<String> copy = List.copyOf(keys);
    if (copy.isEmpty()) throw new IllegalArgumentException("a table has at least one " + what);
    if (new HashSet<>(copy).size() != copy.size()) throw new IllegalArgumentException("the " + what + " keys repeat: " + copy);
    return copy;
  }

  public List<String> rowKeys() {
    return rowKeys;
  }

  public List<String> colKeys() {
    return colKeys;
  }

  public int rows() {
    return rowKeys.size();
  }

  public int cols() {
    return colKeys.size();
  }

  public long count(int row, int col) {
    return cells[row][col];
  }

  /** A copy of the counts. */
  public long[][] cells() {
    long[][] copy = new long[cells.length][];
    for (int r = 0; r < cells.length; r++) copy[r] = cells[r].clone();
    return copy;
  }

  public long rowTotal(int row) {
    long sum = 0;
    for (long n : cells[row]) sum = Math.addExact(sum, n);
    return sum;
  }

  public long colTotal(int col) {
    long sum = 0;
    for (long[] row : cells) sum = Math.addExact(sum, row[col]);
    return sum;
  }

  public long total() {
    long sum = 0;
    for (int r = 0; r < cells.length; r++) sum = Math.addExact(sum, rowTotal(r));
    return sum;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Table t && rowKeys.equals(t.rowKeys) && colKeys.equals(t.colKeys) && Arrays.deepEquals(cells, t.cells);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rowKeys, colKeys, Arrays.deepHashCode(cells));
  }

  @Override
  public String toString() {
    return "Table" + rowKeys + "x" + colKeys + Arrays.deepToString(cells);
  }
}
