package org.sathi.channel;

import io.vertx.core.Future;
import java.util.Map;

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
    String digits = e164 != null && e164.startsWith("+") ? e164.substring(1) : String.valueOf(e164);
    for (int len = Math.min(4, digits.length()); len >= 1; len--) {
      SmsSender s = byCallingCode.get(digits.substring(0, len));
      if (s != null) return s;
    }
    return fallback;
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
