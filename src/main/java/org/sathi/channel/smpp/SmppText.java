package org.sathi.channel.smpp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.sathi.i18n.Gsm7;
import org.sathi.i18n.SmsSegments;

/**
 * Text on the SMPP wire, both ways. In: {@code data_coding} 0 is the GSM 7-bit default alphabet
 * (one septet an octet, or packed when the bind says so), 8 is UCS-2, 3 is Latin-1; a
 * concatenated part says so in a user data header (8- or 16-bit reference) or in the SAR TLVs.
 * Out: GSM-7 where the text fits it, else UCS-2, in the parts {@link SmsSegments#split} makes,
 * each with an 8-bit concatenation header when there is more than one.
 */
public final class SmppText {
  private SmppText() {}

  public static final byte GSM7 = 0x00;
  public static final byte LATIN1 = 0x03;
  public static final byte UCS2 = 0x08;
  /** esm_class bit: the short message starts with a user data header. */
  public static final byte UDHI = 0x40;

  static final int IEI_CONCAT_8 = 0x00;
  static final int IEI_CONCAT_16 = 0x08;

  /** Where a part belongs: its message's reference, how many parts there are, which this is (from 1). */
  public record Concat(int reference, int total, int seq) {}

  /** A received short message: its text and, for a part of a longer one, where it belongs. */
  public record Inbound(String text, Concat concat) {}

  /** One {@code submit_sm}'s worth: data_coding, esm_class and the short message octets. */
  public record Part(byte dataCoding, byte esmClass, byte[] shortMessage) {}

  /**
   * @param sar the SAR TLVs (reference, total, seq) when the SMSC sent them, else null
   */
  public static Inbound decode(byte esmClass, byte dataCoding, byte[] sm, Concat sar, boolean packed) {
    if (sm == null) sm = new byte[0];
    Concat concat = sar;
    int headerLength = 0;
    if ((esmClass & UDHI) != 0 && sm.length > 0) {
      int udhl = sm[0] & 0xFF;
      headerLength = Math.min(sm.length, udhl + 1);
      Concat fromHeader = concatFromHeader(sm, headerLength);
      if (fromHeader != null) concat = fromHeader;
    }
    String text = text(dataCoding, sm, headerLength, packed);
    if (concat != null && (concat.total() < 2 || concat.seq() < 1 || concat.seq() > concat.total())) concat = null;
    return new Inbound(text, concat);
  }

  private static Concat concatFromHeader(byte[] sm, int headerLength) {
    int i = 1;
    while (i + 1 < headerLength) {
      int iei = sm[i] & 0xFF;
      int len = sm[i + 1] & 0xFF;
      int at = i + 2;
      if (at + len > headerLength) return null;
      if (iei == IEI_CONCAT_8 && len == 3) return new Concat(sm[at] & 0xFF, sm[at + 1] & 0xFF, sm[at + 2] & 0xFF);
      if (iei == IEI_CONCAT_16 && len == 4) return new Concat(((sm[at] & 0xFF) << 8) | (sm[at + 1] & 0xFF), sm[at + 2] & 0xFF, sm[at + 3] & 0xFF);
      i = at + len;
    }
    return null;
  }

  private static String text(byte dataCoding, byte[] sm, int headerLength, boolean packed) {
    int dc = dataCoding & 0xFF;
    boolean ucs2 = dc == UCS2 || (dc & 0xF0) == 0 && (dc & 0x0C) == 0x08 || (dc & 0xC0) == 0x40 && (dc & 0x0C) == 0x08;
    boolean latin1 = dc == LATIN1 || dc == 0x04 || (dc & 0xF4) == 0xF4;
    if (ucs2) {
      int start = headerLength + ((sm.length - headerLength) % 2);
      return new String(sm, start, sm.length - start, StandardCharsets.UTF_16BE);
    }
    if (latin1) return new String(sm, headerLength, sm.length - headerLength, StandardCharsets.ISO_8859_1);
    if (dc == 0x01) return new String(sm, headerLength, sm.length - headerLength, StandardCharsets.US_ASCII);
    if (!packed) return Gsm7.decode(java.util.Arrays.copyOfRange(sm, headerLength, sm.length));
    // Packed after a header: the text starts at the next septet boundary (fill bits in between).
    int headerSeptets = (headerLength * 8 + 6) / 7;
    int septets = sm.length * 8 / 7;
    String all = Gsm7.decodePacked(sm, septets);
    // n septets with n % 8 == 7 leave a last septet of zero fill bits, which reads as '@'.
    if (sm.length * 8 % 7 == 0 && all.endsWith("@")) all = all.substring(0, all.length() - 1);
    return all.substring(Math.min(all.length(), headerSeptets));
  }

  /** The reply in the parts it is sent in; {@code reference} is this message's concatenation reference (0-255). */
  public static List<Part> encode(String text, int reference, boolean packed) {
    List<String> parts = SmsSegments.split(text);
    boolean gsm = SmsSegments.isGsm(text);
    List<Part> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      byte[] header = parts.size() == 1 ? new byte[0]
          : new byte[] {0x05, IEI_CONCAT_8, 0x03, (byte) reference, (byte) parts.size(), (byte) (i + 1)};
      byte[] body;
      if (!gsm) {
        body = parts.get(i).getBytes(StandardCharsets.UTF_16BE);
      } else if (!packed) {
        body = Gsm7.encode(parts.get(i));
      } else {
        byte[] septets = Gsm7.encode(parts.get(i));
        int pad = (header.length * 8 + 6) / 7;
        byte[] shifted = new byte[pad + septets.length];
        System.arraycopy(septets, 0, shifted, pad, septets.length);
        byte[] packedBytes = Gsm7.pack(shifted);
        System.arraycopy(header, 0, packedBytes, 0, header.length);
        out.add(new Part(GSM7, header.length > 0 ? UDHI : 0, packedBytes));
        continue;
      }
      byte[] sm = ByteBuffer.allocate(header.length + body.length).put(header).put(body).array();
      out.add(new Part(gsm ? GSM7 : UCS2, header.length > 0 ? UDHI : 0, sm));
    }
    return out;
  }
}
