package org.sathi.i18n;

import java.io.ByteArrayOutputStream;

/**
 * The GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 §6.2.1): which characters
 * it has, and text to septets and back, one septet an octet (SMPP's {@code data_coding} 0 as most
 * SMSCs send it) or packed seven bits at a time.
 */
public final class Gsm7 {
  private Gsm7() {}

  /** The basic table in code order, 0x00 to 0x7F, with the escape (0x1B) left out. */
  static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  /** The extension table's characters and, beside each, its code after the escape. */
  static final String EXTENSION = "\f^{}\\[]~|€";
  private static final byte[] EXTENSION_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3E, 0x3D, 0x40, 0x65};
  static final int ESCAPE = 0x1B;

  public static boolean isBasic(char c) {
    return BASIC.indexOf(c) >= 0;
  }

  public static boolean isExtension(char c) {
    return EXTENSION.indexOf(c) >= 0;
  }

  /** Septets {@code text} needs, or -1 when a character is not in the alphabet (the text needs UCS-2). */
  public static int septets(CharSequence text) {
    int septets = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isBasic(c)) septets += 1;
      else if (isExtension(c)) septets += 2;
      else return -1;
    }
    return septets;
  }

  /** One septet an octet. */
  public static byte[] encode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int b = BASIC.indexOf(c);
      if (b >= 0) {
        out.write(b < ESCAPE ? b : b + 1);
        continue;
      }
      int e = EXTENSION.indexOf(c);
      if (e < 0) throw new IllegalArgumentException("character U+%04X is not in the GSM 7-bit alphabet".formatted((int) c));
      out.write(ESCAPE);
      out.write(EXTENSION_CODES[e]);
    }
    return out.toByteArray();
  }

  /** From one septet an octet; an unknown code reads as a space, never as a failure. */
  public static String decode(byte[] septets) {
    StringBuilder out = new StringBuilder(septets.length);
    for (int i = 0; i < septets.length; i++) {
      int code = septets[i] & 0x7F;
      if (code == ESCAPE && i + 1 < septets.length) {
        int next = septets[++i] & 0x7F;
        char ext = ' ';
        for (int k = 0; k < EXTENSION_CODES.length; k++) if (EXTENSION_CODES[k] == next) ext = EXTENSION.charAt(k);
        out.append(ext);
      } else if (code == ESCAPE) {
        out.append(' ');
      } else {
        out.append(BASIC.charAt(code < ESCAPE ? code : code - 1));
      }
    }
    return out.toString();
  }

  /** Unpacks septets packed seven bits at a time (3GPP TS 23.038 §6.1.2.1.1), then decodes them. */
  public static String decodePacked(byte[] packed, int septetCount) {
    byte[] septets = new byte[septetCount];
    for (int i = 0; i < septetCount; i++) {
      int bit = i * 7;
      int lo = packed[bit / 8] & 0xFF;
      int hi = bit / 8 + 1 < packed.length ? packed[bit / 8 + 1] & 0xFF : 0;
      septets[i] = (byte) (((lo >> (bit % 8)) | (hi << (8 - bit % 8))) & 0x7F);
    }
    return decode(septets);
  }

  /** Packs septets seven bits at a time: what a bind that says {@code packed} sends. */
  public static byte[] pack(byte[] septets) {
    byte[] out = new byte[(septets.length * 7 + 7) / 8];
    for (int i = 0; i < septets.length; i++) {
      int bit = i * 7;
      int v = septets[i] & 0x7F;
      out[bit / 8] |= (byte) (v << (bit % 8));
      if (bit % 8 > 1 && bit / 8 + 1 < out.length) out[bit / 8 + 1] |= (byte) (v >> (8 - bit % 8));
    }
    return out;
  }
}
