package org.sathi.sms;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import org.sathi.flow.Step;
import org.sathi.i18n.SmsText;

/**
 * Turns a step into the text of one SMS reply, apart from any carrier; {@link #twiml} wraps it
 * for Twilio. Another transport (SMPP, an aggregator's API) can send the same text.
 */
public final class SmsReply {
  private SmsReply() {}

  public static String text(Step step) {
    return SmsText.render(step.prompts());
  }

  private static final org.sathi.twilio.WrittenTwiml<String> WRITTEN = new org.sathi.twilio.WrittenTwiml<>();

  public static String twiml(String text) {
    return WRITTEN.get(text, () -> write(text));
  }

  private static String write(String text) {
    try {
      return new MessagingResponse.Builder()
          .message(new Message.Builder().body(new Body.Builder(text).build()).build())
          .build()
          .toXml();
    } catch (TwiMLException e) {
      throw new IllegalStateException("cannot write TwiML", e);
    }
  }
}
