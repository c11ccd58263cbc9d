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

  /**
   * The SDK writes each document through a new XML parser and transformer, which was the largest
   * cost of a turn (./sathi bench); most replies are the same few screens, so their TwiML is kept.
   */
  private static final java.util.Map<String, String> WRITTEN = new java.util.concurrent.ConcurrentHashMap<>();
  static final int MAX_KEPT = 4096;

  public static String twiml(String text) {
    String kept = WRITTEN.get(text);
    if (kept != null) return kept;
    String written = write(text);
    if (WRITTEN.size() >= MAX_KEPT) WRITTEN.clear(); // a simple bound: codes make some replies one-off
    WRITTEN.put(text, written);
    return written;
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
