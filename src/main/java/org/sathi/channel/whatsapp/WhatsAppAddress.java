package org.sathi.channel.whatsapp;

import java.util.Optional;
import java.util.regex.Pattern;
import org.sathi.privacy.CallerKey;

/**
 * A WhatsApp user as Twilio addresses them: {@code whatsapp:+E164}, or since April 2026, for a user
 * who hides their number behind a username, {@code whatsapp:<BSUID>}, Meta's business-scoped user id
 * (two capital letters of a country, a full stop, and up to 128 letters and digits, with
 * {@code .ENT.} for a parent id: {@code BD.13491208655302741918}). The whole address is what is
 * keyed and sealed, so a WhatsApp conversation is not the same number's SMS conversation, and an
 * answer sealed for it goes back on WhatsApp.
 *
 * @param address the full address, {@code whatsapp:...}
 * @param phone   the number in E.164 when the address shows one; null for a user id
 */
public record WhatsAppAddress(String address, String phone) {
  public static final String PREFIX = "whatsapp:";
  /** Meta's format, checked strictly: anything else is refused, not guessed at. */
  static final Pattern BSUID = Pattern.compile("[A-Z]{2}(\\.ENT)?\\.[A-Za-z0-9]{1,128}");

  /** Whether a sender's address is a WhatsApp one (well formed or not). */
  public static boolean isWhatsApp(String from) {
    return from != null && from.startsWith(PREFIX);
  }

  /** The address, when it is {@code whatsapp:} and a number in E.164 or a well-formed user id. */
  public static Optional<WhatsAppAddress> parse(String from) {
    if (!isWhatsApp(from)) return Optional.empty();
    String id = from.substring(PREFIX.length());
    if (CallerKey.E164.matcher(id).matches()) return Optional.of(new WhatsAppAddress(from, id));
    if (BSUID.matcher(id).matches()) return Optional.of(new WhatsAppAddress(from, null));
    return Optional.empty();
  }

  /** What the sender's country is judged from: their number, or the channel's country for a user id ({@code +880}). */
  public String countryNumber(String defaultCallingCode) {
    return phone != null ? phone : "+" + defaultCallingCode;
  }
}
