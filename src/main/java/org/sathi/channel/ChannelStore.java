package org.sathi.channel;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the operator-facing transports keep between messages, beside the conversation itself:
 * which mobile-originated texts were seen (an SMSC gives no message id, and redelivers what it
 * thinks unanswered), the parts of a concatenated text until the last one arrives, and which sent
 * message a delivery receipt belongs to, and when a caller last wrote (WhatsApp's customer-service
 * window). Keyed by the caller's hash; texts only sealed.
 */
public interface ChannelStore {

  /**
   * The ordinal of this content from this caller on this channel. A redelivery gets the same number
   * (it changes nothing twice): the same text as the caller's latest, whose acknowledgement did not
   * surely reach the SMSC. Otherwise the next number: the caller wrote the same again ("1", then
   * "1"), or wrote something else in between, which shows the earlier text was taken. Kept for
   * {@code window}.
   */
  Future<Long> ordinal(String callerKey, String channel, String contentHash, Duration window);

  /**
   * The text with this content hash was acknowledged on a bind that stayed up: the SMSC will not
   * deliver it again, so the same text from the caller is their next message.
   */
  Future<Void> acknowledged(String callerKey, String channel, String contentHash);

  /**
   * Keeps one part of a concatenated text (sealed); completes with every part in order once all
   * {@code total} are in, or with an empty list while some are missing. A part seen twice is kept once.
   */
  Future<List<String>> part(String callerKey, String channel, String reference, int total, int seq, String sealedText, Duration keep);

  /** A sent message whose delivery receipt should be noted on a report's timeline. */
  Future<Void> watchReceipt(String channel, String messageId, String reference, Duration keep);

  /** The report a receipt belongs to, or null when nobody is watching for it. */
  Future<String> receiptFor(String channel, String messageId);

  /**
   * The caller wrote on this channel at {@code at}: kept for {@code keep}, as long as it matters
   * (WhatsApp lets a business write freely only within 24 hours of a user's latest message). An
   * earlier time never replaces a later one.
   */
  Future<Void> wrote(String callerKey, String channel, Instant at, Duration keep);

  /** When the caller last wrote on this channel, while {@link #wrote} keeps it; null otherwise. */
  Future<Instant> lastWrote(String callerKey, String channel);

  /** How a text is known when its channel gives it no id: 96 bits of SHA-256 of its content. */
  static String contentHash(String text) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A sent message's id, once its receipt is watched for on the report's timeline (best effort: the message went out). */
  default Future<String> watching(Future<String> sent, String channel, String reference, Duration keep) {
    return sent.compose(id -> watchReceipt(channel, id, reference, keep).map(id).otherwise(id));
  }

  static ChannelStore memory(java.time.Clock clock) {
    return new MemoryChannelStore(clock);
  }
}
