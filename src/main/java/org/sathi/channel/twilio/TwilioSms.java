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
import org.sathi.channel.whatsapp.WhatsAppAddress;
import org.sathi.channel.whatsapp.WhatsAppLine;

/**
 * {@code POST /twilio/sms}: Twilio's SMS webhook as one text channel, and WhatsApp's too: Twilio
 * posts a WhatsApp message here, signed the same way, from {@code whatsapp:+E164} or
 * {@code whatsapp:<user id>}. Signature first (403, nothing changed), then the form becomes a
 * {@link TextTurn}, and the turn's reply goes back as {@code <Response><Message>} TwiML, on WhatsApp
 * as on SMS. Everything else is the conversation core's. Of a WhatsApp message only the address, id
 * and body are read: the profile fields Twilio adds ({@code ProfileName}, {@code WaId}, ...) are never
 * looked at, so never kept.
 */
public final class TwilioSms {
  /** Twilio's own limit for one message body is 1600 characters. */
  public static final int MAX_BODY_CHARS = TextTurns.MAX_TEXT_CHARS;

  private static final Map<String, Pattern> REQUIRED = Map.of(
      "From", org.sathi.privacy.CallerKey.E164,
      "MessageSid", WebhookForm.MESSAGE_SID);
  private static final Map<String, Pattern> REQUIRED_WHATSAPP = Map.of(
      "From", Pattern.compile(Pattern.quote(WhatsAppAddress.PREFIX) + ".*"),
      "MessageSid", WebhookForm.MESSAGE_SID);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TwilioSms.class);

  private final WebhookRequest requests;
  private final TextTurns turns;
  private final TextChannel sms;
  private final WhatsAppLine whatsApp;
  private final TextChannel whatsAppChannel;
  private final MeterRegistry metrics;
  private final Clock clock;

  public TwilioSms(WebhookRequest requests, TextTurns turns, String channelName, MeterRegistry metrics, Clock clock) {
    this(requests, turns, channelName, null, metrics, clock);
  }

  /**
   * @param smsName  the Twilio SMS channel's name; null when Twilio carries only WhatsApp (plain SMS is then refused)
   * @param whatsApp the WhatsApp line; null when there is no {@code type: whatsapp} channel (WhatsApp is then refused)
   */
  public TwilioSms(WebhookRequest requests, TextTurns turns, String smsName, WhatsAppLine whatsApp, MeterRegistry metrics, Clock clock) {
    this.requests = requests;
    this.turns = turns;
    this.sms = smsName == null ? null : new TextChannel(smsName, false);
    this.whatsApp = whatsApp;
    this.whatsAppChannel = whatsApp == null ? null : new TextChannel(whatsApp.channel().name(), false);
    this.metrics = metrics;
    this.clock = clock;
  }

  public void handle(RoutingContext ctx) {
    Timer.Sample sample = Timer.start(metrics);
    String[] surface = {"sms"};
    requests.read(ctx).compose(form -> {
      boolean onWhatsApp = WhatsAppAddress.isWhatsApp(form.get("From"));
      if (onWhatsApp) surface[0] = "whatsapp";
      try {
        return onWhatsApp ? whatsApp(form) : sms(form);
      } catch (Refused r) {
        return Future.failedFuture(r);
      }
    }).map(r -> new WebhookRequest.Answer(r.kind(), twiml(r.text()))).onComplete(ar -> {
      String outcome = WebhookRequest.respond(ctx, ar, surface[0].equals("sms") ? "SMS webhook" : "WhatsApp webhook");
      sample.stop(Timer.builder("sathi.webhook").tag("channel", surface[0]).tag("outcome", outcome)
          .publishPercentileHistogram().register(metrics));
    });
  }

  private Future<TextTurns.Reply> sms(WebhookForm form) throws Refused {
    WebhookRequest.require(form, REQUIRED);
    if (sms == null) {
      throw new Refused(422, "SMS through Twilio is not a channel of this hotline: add a channel of type twilio to channels: in"
          + " config/sathi.yaml, or point this number's messaging webhook elsewhere");
    }
    return turns.handle(sms, new TextTurn(sms.name(), form.get("From"), form.get("MessageSid"), body(form), clock.instant()));
  }

  /** The turn of a WhatsApp message; once it is saved, the sender's customer-service window runs from it. */
  private Future<TextTurns.Reply> whatsApp(WebhookForm form) throws Refused {
    WebhookRequest.require(form, REQUIRED_WHATSAPP);
    if (whatsApp == null) {
      throw new Refused(422, "WhatsApp is not a channel of this hotline: add a channel of type whatsapp to channels: in config/sathi.yaml"
          + " (see README, Channels), or turn WhatsApp off for this sender in Twilio");
    }
    WhatsAppAddress from = WhatsAppAddress.parse(form.get("From"))
        .orElseThrow(() -> new Refused(400, "malformed field From: expected whatsapp: and a number in E.164 or a WhatsApp user id"));
    TextTurn turn = new TextTurn(whatsAppChannel.name(), from.address(), form.get("MessageSid"), body(form), clock.instant(),
        from.countryNumber(whatsApp.channel().defaultCountry()));
    return turns.handle(whatsAppChannel, turn).compose(reply -> !reply.kind().equals("ok") ? Future.succeededFuture(reply)
        : whatsApp.wrote(reply.callerKey(), turn.receivedAt()).map(reply).recover(err -> {
          LOG.warn("WhatsApp: when caller {} last wrote was not noted ({}); an officer's reply may take the template until they write again.",
              org.sathi.privacy.CallerKey.shortForm(reply.callerKey()), org.sathi.turn.TurnRunner.describe(err));
          return Future.succeededFuture(reply);
        }));
  }

  private static String body(WebhookForm form) {
    return form.fields().getOrDefault("Body", "");
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
