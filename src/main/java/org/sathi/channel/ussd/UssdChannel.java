package org.sathi.channel.ussd;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.regex.Pattern;
import org.sathi.channel.ChannelStore;
import org.sathi.channel.Channels;
import org.sathi.channel.sms.TextTurns;
import org.sathi.channel.twilio.WebhookForm;
import org.sathi.privacy.CallerKey;
import org.sathi.privacy.Sealer;
import org.sathi.turn.TextChannel;
import org.sathi.turn.TextTurn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A USSD gateway as a channel, in the layout Africa's Talking and most aggregators use. The gateway
 * POSTs each step of a session to {@code /channels/{name}/ussd?key=SECRET} as a form:
 * {@code sessionId}, {@code serviceCode}, {@code phoneNumber} (E.164), {@code networkCode}, and
 * {@code text}, every input of the session so far joined with {@code *} (empty on the first step).
 * Sathi answers {@code text/plain}: {@code CON <screen>} when it expects more, {@code END <screen>}
 * when the session is over. A repeated step (the same {@code sessionId} and {@code text}) gets the
 * same screen and changes nothing. Reports from here show the channel {@code ussd:<name>}.
 */
public final class UssdChannel {
  private static final Logger LOG = LoggerFactory.getLogger(UssdChannel.class);
  /** A step's form is a few short fields; the whole session's input is at most a few hundred characters. */
  static final int MAX_BODY_BYTES = 8 * 1024;
  static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

  private final Channels.Ussd settings;
  private final TextTurns turns;
  private final TextChannel channel;
  private final Sealer sealer;
  private final MeterRegistry metrics;
  private final Clock clock;

  public UssdChannel(Channels.Ussd settings, TextTurns turns, Sealer sealer, MeterRegistry metrics, Clock clock) {
    this.settings = settings;
    this.turns = turns;
    this.channel = new TextChannel(reportChannel(settings.name()), false);
    this.sealer = sealer;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** How reports from a USSD channel show it: {@code ussd:<name>}. */
  public static String reportChannel(String name) {
    return "ussd:" + name;
  }

  public String path() {
    return "/channels/" + settings.name() + "/ussd";
  }

  public void mount(Router router) {
    router.post(path()).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post(path()).handler(this::step);
  }

  /** One step of a session. 403 without the key, 400 for a form that is not a step; both change nothing. */
  private void step(RoutingContext ctx) {
    if (!authorised(ctx.request().getParam("key"))) {
      plain(ctx, 403, "forbidden\n");
      return;
    }
    WebhookForm form;
    try {
      form = WebhookForm.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (WebhookForm.Malformed e) {
      plain(ctx, 400, e.getMessage() + "\n");
      return;
    }
    String sessionId = form.get("sessionId");
    String e164 = e164(form.get("phoneNumber"));
    String code = form.get("serviceCode");
    String text = form.get("text") == null ? "" : form.get("text");
    if (sessionId == null || !SESSION_ID.matcher(sessionId).matches() || e164 == null) {
      plain(ctx, 400, "need sessionId and phoneNumber (E.164), with serviceCode and text, as Africa's Talking sends them\n");
      return;
    }
    if (code != null && !code.equals(settings.serviceCode())) {
      plain(ctx, 400, "this channel serves " + settings.serviceCode() + "; point the gateway's other codes at their own channel\n");
      return;
    }
    Timer.Sample sample = Timer.start(metrics);
    String key = turns.keyOf(UssdSurface.addressOf(e164));
    String country = turns.engine().bundle().callingCode(e164);
    UssdSurface surface = new UssdSurface(turns.engine().bundle(), sealer, key, sessionId, country, settings.screenChars(),
        settings.unicodeScreenChars());
    String messageId = settings.name() + ":" + ChannelStore.contentHash(sessionId + "\u0000" + text);
    turns.handle(channel, new TextTurn(channel.name(), e164, messageId, text, clock.instant()), surface, settings.deadlineMillis())
        .onComplete(ar -> {
          // The core answers what it could not save with its fallback; a failure here is a bug, and still ends politely.
          TextTurns.Reply reply = ar.succeeded() ? ar.result() : null;
          String outcome = reply == null ? "error" : reply.kind();
          String body;
          if (reply != null && reply.saved()) {
            body = reply.text();
          } else if (reply != null && reply.kind().equals("officer")) {
            body = "END " + reply.text(); // a duty officer's phone: how to acknowledge a page, as by SMS
          } else {
            // Nothing was saved: the session ends politely, and the caller can dial again.
            LOG.warn("USSD channel {}: a step of caller {} could not be saved; the session ended with the fallback.", settings.name(),
                CallerKey.shortForm(key));
            body = "END " + (reply != null ? reply.text() : turns.fallbackText(e164, ""));
          }
          plain(ctx, 200, body);
          sample.stop(Timer.builder("sathi.ussd.step").tag("channel", settings.name()).tag("outcome", outcome)
              .publishPercentileHistogram().register(metrics));
        });
  }

  private boolean authorised(String key) {
    String secret = settings.secret();
    return key != null && secret != null
        && MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
  }

  /** The caller's number in E.164: as sent, or a national number ({@code 0...}) of the channel's first country. */
  private String e164(String number) {
    return Channels.e164(number, settings.countries());
  }

  private static void plain(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
  }
}
