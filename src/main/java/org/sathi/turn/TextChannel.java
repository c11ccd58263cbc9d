package org.sathi.turn;

/**
 * A text channel as the turn sees it: its name, and whether it answers in its response (Twilio's
 * TwiML) or sends its replies after the turn, from an outbox written by the turn's commit (SMPP,
 * Kannel).
 */
public record TextChannel(String name, boolean sendsLater) {
  /** The Twilio text channel when no {@code channels:} are configured: reports say {@code sms}, as before. */
  public static final String DEFAULT_TWILIO = "sms";

  /**
   * The id under which a message is deduplicated: Twilio's MessageSid is unique across Twilio, so it
   * stands alone (as it always has); any other channel's id is unique only within the channel.
   */
  public String dedupId(String messageId) {
    return sendsLater ? name + ":" + messageId : messageId;
  }
}
