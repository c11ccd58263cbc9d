package org.sathi.twilio;

import io.vertx.core.Future;

/** Sends one SMS from the hotline's number; {@link TwilioOutbound#sendSms} in production and the demo. */
@FunctionalInterface
public interface SmsSender {
  /** Completes with the message's id, or fails; the failure never quotes the number or the text. */
  Future<String> send(String toE164, String body);

  /** Where nothing can be sent: every send fails with a message that names the fix. */
  static SmsSender none() {
    return (to, body) -> Future.failedFuture(new TwilioOutbound.SendException(
        "SMS sending is not set up: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM", 0, 0, 0));
  }
}
