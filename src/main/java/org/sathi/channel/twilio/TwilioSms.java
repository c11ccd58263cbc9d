package org.sathi.channel.twilio;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;
import org.sathi.channel.twilio.WebhookRequest.Refused;
import org.sathi.turn.TextChannel;
import org.sathi.turn.TextTurn;
import org.sathi.channel.sms.TextTurns;

/**
 * {@code POST /twilio/sms}: Twilio's SMS webhook as one text channel. Signature first (403, nothing
 * changed), then the form becomes a {@link TextTurn}, and the turn's reply goes back as
 * {@code <Response><Message>} TwiML. Everything else is the conversation core's.
 */
public final class TwilioSms {
  /** Twilio's own limit for one message body is 1600 characters. */
  public static final int MAX_BODY_CHARS = TextTurns.MAX_TEXT_CHARS;

  private static final Map<String, Pattern> REQUIRED = Map.of(
      "From", org.sathi.privacy.CallerKey.E164,
      "MessageSid", WebhookForm.MESSAGE_SID);

  private final WebhookRequest requests;
  private final TextTurns turns;
  private final TextChannel channel;
  private final MeterRegistry metrics;
  private final Clock clock;

  public TwilioSms(WebhookRequest requests, TextTurns turns, String channelName, MeterRegistry metrics, Clock clock) {
    this.requests = requests;
    this.turns = turns;
    this.channel = new TextChannel(channelName, false);
    this.metrics = metrics;
    this.clock = clock;
  }

  public void handle(RoutingContext ctx) {
    Timer.Sample sample = Timer.start(metrics);
    requests.read(ctx).compose(form -> {
      try {
        WebhookRequest.require(form, REQUIRED);
      } catch (Refused r) {
        return Future.failedFuture(r);
      }
      TextTurn turn = new TextTurn(channel.name(), form.get("From"), form.get("MessageSid"), form.fields().getOrDefault("Body", ""), clock.instant());
      return turns.handle(channel, turn);
    }).map(r -> new WebhookRequest.Answer(r.kind(), twiml(r.text()))).onComplete(ar -> {
      String outcome = WebhookRequest.respond(ctx, ar, "SMS webhook");
      sample.stop(Timer.builder("sathi.webhook").tag("channel", "sms").tag("outcome", outcome)
          .publishPercentileHistogram().register(metrics));
    });
  }

  private static final WrittenTwiml<String> WRITTEN = new WrittenTwiml<>();

  /** One text as Twilio's {@code <Response><Message>}. */
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
