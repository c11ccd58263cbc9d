package org.sathi.turn;

import org.sathi.privacy.Sealer;

/**
 * What a channel's outbox keeps for one reply: the caller's key and the id of the message it
 * answers in clear (to log by, and to mark the message answered), and under the seal the number
 * and the text. Neither the number nor the text is readable in Redis.
 */
public record OutboxEntry(String callerKey, String messageId, String to, String text) {

  public static String seal(Sealer sealer, String callerKey, String messageId, String to, String text) {
    return callerKey + " " + messageId.replace(' ', '_') + " " + sealer.seal(to + "\n" + text, callerKey);
  }

  /** The entry, or null when it was not sealed by this secret (a foreign or damaged entry). */
  public static OutboxEntry open(Sealer sealer, String stored) {
    String[] f = stored.split(" ", 3);
    if (f.length != 3) return null;
    String plain = sealer.open(f[2], f[0]);
    if (plain == null) return null;
    int nl = plain.indexOf('\n');
    return nl < 0 ? null : new OutboxEntry(f[0], f[1], plain.substring(0, nl), plain.substring(nl + 1));
  }
}
