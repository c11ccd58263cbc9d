package org.sathi.channel;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * What the operator-facing transports keep between messages, beside the conversation itself:
 * which mobile-originated texts were seen (an SMSC gives no message id, and redelivers what it
 * thinks unanswered), the parts of a concatenated text until the last one arrives, and which sent
 * message a delivery receipt belongs to. Keyed by the caller's hash; texts only sealed.
 */
public interface ChannelStore {

  /**
   * The ordinal of this content from this caller on this channel: the same number until the text's
   * arrival was acknowledged to the SMSC (a redelivery changes nothing twice), the next number once
   * it was (the caller wrote the same again: "1", then "1"). Kept for {@code window}.
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

  static ChannelStore memory(java.time.Clock clock) {
    return new MemoryChannelStore(clock);
  }
}
