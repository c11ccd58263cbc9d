package org.sathi.turn;

import java.time.Instant;

/**
 * One inbound text, whichever transport carried it: what a channel adapter makes of its wire
 * format (a Twilio webhook, an SMPP {@code deliver_sm}, a Kannel request).
 *
 * @param channel   the channel's name, as configured; shown on reports and in metrics
 * @param from      the sender's address: their number, E.164, or on WhatsApp {@code whatsapp:+E164} or
 *                  {@code whatsapp:<user id>}; keyed, sealed for a reply, never logged or stored in clear
 * @param messageId the channel's own id of this message; a message with the same id changes nothing twice
 * @param text      what the sender wrote
 * @param receivedAt when it arrived
 * @param country   what tells the sender's country (their language, their country's numbers) when
 *                  {@code from} is not a number: a number in E.164, or {@code +} and a calling code
 *                  ({@code +880}) for a sender who shows none; null when {@code from} is the number
 */
public record TextTurn(String channel, String from, String messageId, String text, Instant receivedAt, String country) {
  public TextTurn(String channel, String from, String messageId, String text, Instant receivedAt) {
    this(channel, from, messageId, text, receivedAt, null);
  }

  /** The number, or {@code +} and calling code, that the sender's country is judged from. */
  public String countryNumber() {
    return country != null ? country : from;
  }
}
