package org.sathi.channel.twilio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Twilio webhook body ({@code application/x-www-form-urlencoded}), parsed strictly: bad
 * percent-encoding, invalid UTF-8 or a repeated field is refused rather than guessed at.
 */
public record WebhookForm(Map<String, String> fields) {

  public static final Pattern MESSAGE_SID = Pattern.compile("(SM|MM)[0-9a-fA-F]{32}");

  /** Why a body was refused; the message is safe to return (it never echoes a value). */
  public static final class Malformed extends Exception {
    public Malformed(String message) {
      super(message);
    }
  }

  public static WebhookForm parse(byte[] body) throws Malformed {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body.length == 0) return new WebhookForm(Map.of());
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '&') {
        if (i > start) {
          int eq = indexOf(body, (byte) '=', start, i);
          String name = decode(body, start, eq < 0 ? i : eq);
          String value = eq < 0 ? "" : decode(body, eq + 1, i);
          if (fields.put(name, value) != null) throw new Malformed("field " + safeName(name) + " appears twice");
        }
        start = i + 1;
      }
    }
    return new WebhookForm(Collections.unmodifiableMap(fields));
  }

  public String get(String name) {
    return fields.get(name);
  }

  private static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] == c) return i;
    return -1;
  }

  private static String decode(byte[] b, int from, int to) throws Malformed {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '+') out.write(' ');
      else if (c == '%') {
        if (i + 2 >= to) throw new Malformed("truncated percent-encoding");
        int hi = Character.digit(b[i + 1], 16), lo = Character.digit(b[i + 2], 16);
        if (hi < 0 || lo < 0) throw new Malformed("invalid percent-encoding");
        out.write(hi * 16 + lo);
        i += 2;
      } else out.write(c);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Malformed("body is not valid UTF-8");
    }
  }

  private static String safeName(String name) {
    return name.matches("[A-Za-z0-9_]{1,40}") ? name : "(unnamed)";
  }
}
