package org.sathi.channel;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/**
 * Which channel reaches a number: the channel that serves its calling code ({@code countries:}),
 * else the default (Twilio). Officers' replies and pages leave this way, so a reporter in
 * Bangladesh is answered from the short code they texted, not from a number abroad.
 */
public final class ChannelRoutes implements SmsSender {
  private final Map<String, SmsSender> byCallingCode;
  private final SmsSender fallback;

  public ChannelRoutes(Map<String, SmsSender> byCallingCode, SmsSender fallback) {
    this.byCallingCode = Map.copyOf(byCallingCode);
    this.fallback = fallback;
  }

  /** The sender for a number in E.164: the longest calling code that a channel serves, else the default. */
  public SmsSender forNumber(String e164) {
    String code = callingCode(e164, byCallingCode.keySet());
    return code == null ? fallback : byCallingCode.get(code);
  }

  /** The longest of {@code codes} that a number in E.164 starts with, or null when none does. */
  public static String callingCode(String e164, Set<String> codes) {
    String digits = e164 != null && e164.startsWith("+") ? e164.substring(1) : String.valueOf(e164);
    for (int len = Math.min(4, digits.length()); len >= 1; len--) {
      if (codes.contains(digits.substring(0, len))) return digits.substring(0, len);
    }
    return null;
  }

  @Override
  public Future<String> send(String toE164, String body) {
    return forNumber(toE164).send(toE164, body);
  }

  @Override
  public Future<String> send(String toE164, String body, String reference) {
    return forNumber(toE164).send(toE164, body, reference);
  }
}
