package org.sathi.report;

import java.security.SecureRandom;

/**
 * Reference codes a reporter can read out or type on a keypad: 8 characters from an alphabet
 * without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), shown as {@code XXXX-XXXX}.
 */
public final class ReferenceCode {
  public static final String ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ReferenceCode() {}

  public static String next() {
    StringBuilder out = new StringBuilder(9);
    for (int i = 0; i < 8; i++) {
      if (i == 4) out.append('-');
      out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  /** A code that is always the same for the same seed: a redelivered hand-off keeps its reference. */
  public static String derivedFrom(String seed) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder(9);
      for (int i = 0; i < 8; i++) {
        if (i == 4) out.append('-');
        out.append(ALPHABET.charAt((h[i] & 0xff) % ALPHABET.length()));
      }
      return out.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /**
   * A code as a reporter might type it ({@code abcd efgh}, {@code ABCDEFGH}, {@code ABCD-EFGH}), in
   * the form it is stored; empty when the text is not shaped like a code at all.
   */
  public static java.util.Optional<String> parse(String text) {
    String raw = text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT);
    String t = raw.replaceAll("[\\s-]", "");
    if (!t.matches("[A-Z0-9]{8}")) return java.util.Optional.empty();
    // An ordinary 8-letter word or number is not a code; a dash in the middle, or only code letters, is.
    boolean dashed = raw.matches("[A-Z0-9]{4}\\s*-\\s*[A-Z0-9]{4}");
    if (!dashed && !t.chars().allMatch(ch -> ALPHABET.indexOf(ch) >= 0)) return java.util.Optional.empty();
    return java.util.Optional.of(t.substring(0, 4) + "-" + t.substring(4));
  }

  public static boolean isValid(String code) {
    return code != null && code.matches("[" + ALPHABET + "]{4}-[" + ALPHABET + "]{4}");
  }
}
