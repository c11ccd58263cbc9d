package org.sathi.session;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A reply as Redis keeps it for retries. A call's TwiML repeats the same voice attributes on every
 * line and takes several KB a step; deflated it takes a fifth. Short SMS texts are kept as they are.
 */
final class StoredReply {
  private StoredReply() {}

  /** Replies shorter than this (in characters) gain little and are kept as text. */
  static final int COMPRESS_FROM = 512;
  private static final String DEFLATED = "\u0000z:";

  static String pack(String reply) {
    if (reply == null || reply.length() < COMPRESS_FROM) return reply;
    Deflater d = new Deflater(Deflater.BEST_SPEED, true);
    d.setInput(reply.getBytes(StandardCharsets.UTF_8));
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(reply.length() / 3);
    byte[] buf = new byte[1024];
    while (!d.finished()) out.write(buf, 0, d.deflate(buf));
    d.end();
    return DEFLATED + Base64.getEncoder().withoutPadding().encodeToString(out.toByteArray());
  }

  static String unpack(String stored) {
    if (stored == null || !stored.startsWith(DEFLATED)) return stored;
    Inflater inf = new Inflater(true);
    inf.setInput(Base64.getDecoder().decode(stored.substring(DEFLATED.length())));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) break;
        out.write(buf, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IllegalStateException("a stored reply could not be read back", e);
    } finally {
      inf.end();
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
