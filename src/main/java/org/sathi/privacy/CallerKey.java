package org.sathi.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudonymous key of a caller: HMAC-SHA256 of the E.164 number with {@code SATHI_SECRET}.
 * The same number always gives the same key; without the secret the key gives nothing back.
 */
public final class CallerKey {
  /** A phone number in international form (E.164), as every channel must hand it over before it is keyed. */
  public static final java.util.regex.Pattern E164 = java.util.regex.Pattern.compile("\\+[1-9][0-9]{6,14}");

  private final SecretKeySpec key;

  public CallerKey(String secret) {
    if (secret == null || secret.length() < 16) {
      throw new IllegalArgumentException("SATHI_SECRET must be at least 16 characters");
    }
    this.key = new SecretKeySpec(("caller-key:" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  public String of(String e164) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(e164.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * The keyed hash of a place (already normalised by the report's triage rules): reports about one place
   * are counted under it, and what a reporter typed never becomes a Redis key name.
   */
  public String place(String placeKey) {
    return of("place:" + placeKey);
  }

  /** The first characters of a key, enough to follow one caller through the logs. */
  public static String shortForm(String key) {
    return key.substring(0, 8);
  }
}
