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

  public static SmsSegments of(String text) {
    int septets = gsmSeptets(text);
    if (septets >= 0) {
      return new SmsSegments(Encoding.GSM_7, septets, septets <= GSM_SINGLE ? 1 : split(text, septets).size());
    }
    int units = text.length();
    return new SmsSegments(Encoding.UCS_2, units, units <= UCS_SINGLE ? 1 : split(text, -1).size());
  }

  /**
   * The text in the parts a carrier sends it in: one part when it fits one segment, else parts of
   * 153 septets or 67 units. Parts are filled one character at a time: an extension character (two
   * septets) or a surrogate pair (two UTF-16 units) is never split across parts, so a part may end
   * one unit short. The parts joined are the text.
   */
  public static java.util.List<String> split(String text) {
    return split(text, gsmSeptets(text));
  }

  /** @param septets what {@link #gsmSeptets} says of the text, already known to the caller */
  private static java.util.List<String> split(String text, int septets) {
    boolean gsm = septets >= 0;
    if (gsm ? septets <= GSM_SINGLE : text.length() <= UCS_SINGLE) return java.util.List.of(text);
    int perPart = gsm ? GSM_PART : UCS_PART;
    java.util.List<String> parts = new java.util.ArrayList<>();
    int start = 0;
    int used = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int cost;
      if (gsm) {
        cost = Gsm7.isExtension(c) ? 2 : 1;
      } else {
        cost = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
      }
      if (used + cost > perPart) {
        parts.add(text.substring(start, i));
        start = i;
        used = 0;
      }
      used += cost;
      if (!gsm && cost == 2) i++;
    }
    parts.add(text.substring(start));
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
    return Gsm7.septets(text);
  }
}
