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

  public static boolean isValid(String code) {
    return code != null && code.matches("[" + ALPHABET + "]{4}-[" + ALPHABET + "]{4}");
  }
}
