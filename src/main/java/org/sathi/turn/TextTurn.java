package org.sathi.turn;

import java.time.Instant;

/**
 * One inbound text, whichever transport carried it: what a channel adapter makes of its wire
 * format (a Twilio webhook, an SMPP {@code deliver_sm}, a Kannel request).
 *
 * @param channel   the channel's name, as configured; shown on reports and in metrics
 * @param from      the sender's number, E.164 (never logged or stored in clear)
 * @param messageId the channel's own id of this message; a message with the same id changes nothing twice
 * @param text      what the sender wrote
 * @param receivedAt when it arrived
 */
public record TextTurn(String channel, String from, String messageId, String text, Instant receivedAt) {}
