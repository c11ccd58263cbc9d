package org.sathi.turn;

import org.sathi.report.Sealer;

/**
 * What a channel's outbox keeps for one reply: the caller's key in clear (to log by and to open the
 * seal with), and under its seal the number and the text. Neither is readable in Redis.
 */
public record OutboxEntry(String callerKey, String to, String text) {

  public static String seal(Sealer sealer, String callerKey, String to, String text) {
    return callerKey + " " + sealer.seal(to + "\n" + text, callerKey);
  }

  /** The entry, or null when it was not sealed by this secret (a foreign or damaged entry). */
  public static OutboxEntry open(Sealer sealer, String stored) {
    int space = stored.indexOf(' ');
    if (space < 1) return null;
    String key = stored.substring(0, space);
    String plain = sealer.open(stored.substring(space + 1), key);
    if (plain == null) return null;
    int nl = plain.indexOf('\n');
    return nl < 0 ? null : new OutboxEntry(key, plain.substring(0, nl), plain.substring(nl + 1));
  }
}
