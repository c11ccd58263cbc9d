package org.sathi.channel.whatsapp;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import org.sathi.channel.ChannelStore;
import org.sathi.channel.Channels;
import org.sathi.channel.SmsSender;

/**
 * The hotline's WhatsApp line, as WhatsApp's rules shape it: a business may write anything to a user
 * within the customer-service window (24 hours from the user's latest message); after it, only a
 * template that WhatsApp approved beforehand. So each inbound message notes when the window closes
 * (under the caller's key, never their id), and an officer's reply goes out as text inside it, or as
 * the configured template (which only invites the reporter to write back) outside it.
 */
public final class WhatsAppLine {
  /** Twilio's limit for one WhatsApp body, as for SMS: a reply is measured in characters, not SMS segments. */
  public static final int MAX_BODY_CHARS = 1600;

  /** Sends through Twilio from the hotline's WhatsApp sender: a text, or (body null) a template by its Content SID. */
  @FunctionalInterface
  public interface Sender {
    Future<String> send(String to, String body, String contentSid);

    /** Where Twilio is not set up: every send fails with a message that names the fix. */
    static Sender none() {
      return (to, body, template) -> Future.failedFuture(new SmsSender.SendFailed(
          "WhatsApp sending is not set up: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"));
    }
  }

  private final Channels.WhatsApp channel;
  private final ChannelStore store;
  private final Sender sender;
  private final Duration window;

  public WhatsAppLine(Channels.WhatsApp channel, ChannelStore store, Sender sender) {
    this.channel = channel;
    this.store = store;
    this.sender = sender;
    this.window = Duration.ofHours(channel.windowHours());
  }

  public Channels.WhatsApp channel() {
    return channel;
  }

  /** The caller wrote at {@code at}: their window runs from it. */
  public Future<Void> wrote(String callerKey, Instant at) {
    return store.wrote(callerKey, channel.name(), at, window);
  }

  /** When the caller's window closes (or closed), from their latest message; null when they have not written within one window. */
  public Future<Instant> windowCloses(String callerKey) {
    return store.lastWrote(callerKey, channel.name()).map(last -> last == null ? null : last.plus(window));
  }

  public boolean hasTemplate() {
    return channel.templateContentSid() != null;
  }

  /** Free text, for inside the window. */
  public Future<String> text(String address, String body) {
    return sender.send(address, body, null);
  }

  /** The approved template that invites the reporter to write back, for outside the window. */
  public Future<String> invite(String address) {
    if (!hasTemplate()) return Future.failedFuture(new SmsSender.SendFailed("no WhatsApp template is configured"));
    return sender.send(address, null, channel.templateContentSid());
  }
}
