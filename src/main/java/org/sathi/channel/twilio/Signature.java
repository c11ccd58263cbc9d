package org.sathi.channel.twilio;

import com.twilio.security.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Twilio-Signature}: checked with the SDK's {@link RequestValidator} against the public
 * URL Twilio was given (never the Host header). {@link #sign} makes the same signature, for the
 * phone simulator, the {@code ./sathi sms} command and tests.
 */
public final class Signature {
  private final RequestValidator validator;
  private final String authToken;

  public Signature(String authToken) {
    this.authToken = authToken;
    this.validator = new RequestValidator(authToken);
  }

  public boolean isValid(String url, Map<String, String> params, String signature) {
    return signature != null && !signature.isEmpty() && validator.validate(url, params, signature);
  }

  /** Twilio's algorithm: HMAC-SHA1 over the URL followed by each parameter name and value, sorted. */
  public String sign(String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
    }
  }
}
