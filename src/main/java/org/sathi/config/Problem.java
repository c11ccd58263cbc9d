package org.sathi.config;

/** One thing wrong with a definition file, printed as {@code file:line: message}. */
public record Problem(String file, int line, String message) implements Comparable<Problem> {
  @Override
  public String toString() {
    return file + ":" + line + ": " + message;
  }

  @Override
  public int compareTo(Problem o) {
    int c = file.compareTo(o.file);
    return c != 0 ? c : Integer.compare(line, o.line);
  }
}
