package org.sathi.channel;

import io.vertx.core.Future;

/**
 * Sends one SMS from the hotline to a number: Twilio's REST API, an SMPP bind, Kannel's sendsms.
 * {@link ChannelRoutes} picks the one that reaches a number's country.
 */
@FunctionalInterface
public interface SmsSender {
  /** Completes with the message's id, or fails; the failure never quotes the number or the text. */
  Future<String> send(String toE164, String body);

  /**
   * The same, for an officer's reply about a report: a channel with delivery receipts notes on the
   * report's timeline whether it reached the phone.
   */
  default Future<String> send(String toE164, String body, String reference) {
    return send(toE164, body);
  }

  /** Why a send failed, in words an officer or operator can act on; never the number or the text. */
  class SendFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SendFailed(String message) {
      super(message);
    }
  }

  /** Where nothing can be sent: every send fails with a message that names the fix. */
  static SmsSender none() {
    return (to, body) -> Future.failedFuture(new SendFailed(
        "SMS sending is not set up: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM, or configure a channel for this country"));
  }
}
