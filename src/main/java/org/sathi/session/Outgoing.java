package org.sathi.session;

/**
 * A reply that a channel sends after the turn (SMPP {@code submit_sm}, Kannel {@code sendsms}),
 * kept in the channel's outbox by the same commit that saves the turn: a reply is never lost
 * once its message was acknowledged to the operator, and never sent for a turn that was not saved.
 *
 * @param channel   the channel's name; its outbox is {@code sathi:outbox:<channel>}
 * @param entry     what the outbox keeps: the caller's key and, sealed under it, the number and the text
 */
public record Outgoing(String channel, String entry) {}
