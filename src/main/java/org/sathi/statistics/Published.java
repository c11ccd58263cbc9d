package org.sathi.statistics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table as it may leave Sathi: every value is a {@link Count} or {@link Suppressed}, in the
 * shape of issue 16's {@code /api/statistics} answer ({@link #toMap()}, {@link #toJson()}).
 *
 * <p>{@link Disclosure#publish} makes the one that is safe to publish. {@link #exact} makes a
 * supervisor's view of the exact counts; it is a separate, explicitly named method so that the
 * exact view is never what a caller gets by default.
 */
public record Published(
    List<String> rowKeys,
    List<String> colKeys,
    List<List<Value>> cells,
    List<Value> rowTotals,
    List<Value> colTotals,
    Value total) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One published value: {@code {"count": n}} or {@code {"suppressed": true}}. */
  public sealed interface Value permits Count, Suppressed {
    /** What the page shows: the count, or {@code "<11"} for a suppressed value. */
    String display();

    Map<String, Object> toMap();
  }

  /** A value shown as a number (rounded, unless this is the exact view). */
  public record Count(long count) implements Value {
    @Override
    public String display() {
      return Long.toString(count);
    }

    @Override
    public Map<String, Object> toMap() {
      return Map.of("count", count);
    }
  }

  /** A value withheld: a count of 1 to 10, or a complementary suppression that protects one. */
  public record Suppressed() implements Value {
    public static final Suppressed VALUE = new Suppressed();

    @Override
    public String display() {
      return "<11";
    }

    @Override
    public Map<String, Object> toMap() {
      return Map.of("suppressed", true);
    }
  }

  public Published {
    rowKeys = List.copyOf(rowKeys);
    colKeys = List.copyOf(colKeys);
    cells = cells.stream().map(List::copyOf).toList();
    rowTotals = List.copyOf(rowTotals);
    colTotals = List.copyOf(colTotals);
  }

  /** A supervisor's view: the exact counts and totals, nothing rounded or suppressed. */
  public static Published exact(Table t) {
    List<List<Value>> cells = new ArrayList<>();
    List<Value> rowTotals = new ArrayList<>();
    for (int r = 0; r < t.rows(); r++) {
      List<Value> row = new ArrayList<>();
      for (int c = 0; c < t.cols(); c++) row.add(new Count(t.count(r, c)));
      cells.add(row);
      rowTotals.add(new Count(t.rowTotal(r)));
    }
    List<Value> colTotals = new ArrayList<>();
    for (int c = 0; c < t.cols(); c++) colTotals.add(new Count(t.colTotal(c)));
    return new Published(t.rowKeys(), t.colKeys(), cells, rowTotals, colTotals, new Count(t.total()));
  }

  /**
   * The JSON shape, in its order: {@code rowKeys, colKeys, cells, rowTotals, colTotals,
   * total}. A mutable, ordered map, so that the API can add {@code period}, {@code rows} and the rest.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rowKeys", rowKeys);
    m.put("colKeys", colKeys);
    m.put("cells", cells.stream().map(Published::maps).toList());
    m.put("rowTotals", maps(rowTotals));
    m.put("colTotals", maps(colTotals));
    m.put("total", total.toMap());
    return m;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(toMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("strings, numbers and booleans always write", e);
    }
  }

  private static List<Map<String, Object>> maps(List<Value> values) {
    return values.stream().map(Value::toMap).toList();
  }
}
