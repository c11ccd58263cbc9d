package org.sathi.i18n;

/**
 * SMS segment arithmetic, as carriers bill it: GSM-7 when every character is in the GSM 03.38 default
 * alphabet or its extension table (extension characters cost two septets), UCS-2 otherwise (UTF-16
 * code units, so an emoji costs two). One segment holds 160 septets or 70 units; a split message
 * loses room to its concatenation header: 153 septets or 67 units per part.
 */
public record SmsSegments(Encoding encoding, int units, int segments) {

  public enum Encoding { GSM_7, UCS_2 }

  public static final int GSM_SINGLE = 160;
  public static final int GSM_PART = 153;
  public static final int UCS_SINGLE = 70;
  public static final int UCS_PART = 67;

  private static final String GSM_BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final String GSM_EXTENSION = "\f^{}\\[]~|€";

  public static SmsSegments of(String text) {
    int septets = gsmSeptets(text);
    if (septets >= 0) {
      return new SmsSegments(Encoding.GSM_7, septets, septets <= GSM_SINGLE ? 1 : parts(text, GSM_PART, true));
    }
    int units = text.length();
    return new SmsSegments(Encoding.UCS_2, units, units <= UCS_SINGLE ? 1 : parts(text, UCS_PART, false));
  }

  /**
   * Fills parts one character at a time: an extension character (two septets) or a surrogate pair
   * (two UTF-16 units) is never split across parts, so a part may end one unit short.
   */
  private static int parts(String text, int perPart, boolean gsm) {
    int parts = 1;
    int used = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int cost;
      if (gsm) {
        cost = GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1;
      } else {
        cost = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
        if (cost == 2) i++;
      }
      if (used + cost > perPart) {
        parts++;
        used = 0;
      }
      used += cost;
    }
    return parts;
  }

  /** How many units fit in {@code segments} segments of this text's encoding. */
  public static int capacity(Encoding encoding, int segments) {
    if (segments <= 1) return encoding == Encoding.GSM_7 ? GSM_SINGLE : UCS_SINGLE;
    return segments * (encoding == Encoding.GSM_7 ? GSM_PART : UCS_PART);
  }

  public static boolean isGsm(String text) {
    return gsmSeptets(text) >= 0;
  }

  /** Septets the text needs in GSM-7, or -1 when it needs UCS-2. */
  static int gsmSeptets(String text) {
    int septets = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (GSM_BASIC.indexOf(c) >= 0) septets += 1;
      else if (GSM_EXTENSION.indexOf(c) >= 0) septets += 2;
      else return -1;
    }
    return septets;
  }

}
