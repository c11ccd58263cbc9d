package org.sathi.channel.kannel;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.sathi.channel.ChannelStore;
import org.sathi.channel.Channels;
import org.sathi.channel.OutboxSender;
import org.sathi.channel.SmsSender;
import org.sathi.channel.smpp.SmppChannel;
import org.sathi.channel.twilio.WebhookForm;
import org.sathi.i18n.SmsSegments;
import org.sathi.privacy.CallerKey;
import org.sathi.turn.TextChannel;
import org.sathi.turn.TextTurn;
import org.sathi.channel.sms.TextTurns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kannel gateway as a channel. Kannel's smsbox calls {@code /channels/{name}/kannel?key=SECRET}
 * for each text from a phone, either as {@code post-url} (the text as the body, with the
 * {@code X-Kannel-From} (the sms-service sets {@code send-sender = true}), {@code -To}, {@code -Coding} and
 * {@code -Charset} headers) or as {@code get-url}
 * ({@code from}, {@code to}, {@code text}). Sathi answers 200 only once the turn is committed, with an
 * empty body (the sms-service sets {@code omit-empty = true}); replies and pages leave through Kannel's
 * {@code sendsms}, never in the answer to smsbox, with a {@code dlr-url} back to Sathi.
 */
public final class KannelChannel implements SmsSender {
  private static final Logger LOG = LoggerFactory.getLogger(KannelChannel.class);
  /** The longest text taken from smsbox, in bytes. */
  static final int MAX_BODY_BYTES = 16 * 1024;
  /** How long a text from a phone is remembered against smsbox's retries. */
  static final Duration DEDUP_WINDOW = Duration.ofMinutes(10);
  static final Duration RECEIPT_KEPT = Duration.ofDays(2);
  /** Kannel's dlr-mask: delivered (1) and failed (2). */
  static final int DLR_MASK = 3;

  private final Vertx vertx;
  private final Channels.Kannel settings;
  private final String publicUrl;
  private final TextTurns turns;
  private final TextChannel channel;
  private final ChannelStore store;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final int deadlineMillis;
  private final java.util.function.Consumer<SmppChannel.Receipt> onReceipt;
  private final HttpClient http;
  private final org.sathi.channel.FallbackLine fallbacks;
  private volatile Runnable nudgeOutbox = () -> {};

  public KannelChannel(Vertx vertx, Channels.Kannel settings, String publicUrl, TextTurns turns, ChannelStore store, MeterRegistry metrics,
      Clock clock, int deadlineMillis, java.util.function.Consumer<SmppChannel.Receipt> onReceipt) {
    this.vertx = vertx;
    this.settings = settings;
    this.publicUrl = publicUrl;
    this.turns = turns;
    this.channel = new TextChannel(settings.name(), true);
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.deadlineMillis = deadlineMillis;
    this.onReceipt = onReceipt;
    this.fallbacks = new org.sathi.channel.FallbackLine(settings.name(), this, clock);
    this.http = vertx.createHttpClient();
  }

  public String name() {
    return settings.name();
  }

  public void onReplyQueued(Runnable r) {
    this.nudgeOutbox = r;
  }

  public void mount(Router router) {
    String base = "/channels/" + settings.name() + "/kannel";
    router.route(base).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.route(base).handler(this::received);
    router.get(base + "/dlr").handler(this::receipt);
  }

  /** The key Kannel calls with, compared in constant time; 403 and nothing changed otherwise. */
  private boolean authorised(RoutingContext ctx) {
    String key = ctx.request().getParam("key");
    String secret = settings.secret();
    boolean ok = key != null && secret != null
        && MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    if (!ok) ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8").end("forbidden\n");
    return ok;
  }

  private void received(RoutingContext ctx) {
    if (!authorised(ctx)) return;
    String from;
    String text;
    if (ctx.request().method() == HttpMethod.POST && ctx.request().getHeader("X-Kannel-From") != null) {
      from = ctx.request().getHeader("X-Kannel-From");
      text = body(ctx);
    } else {
      from = ctx.request().getParam("from");
      text = ctx.request().getParam("text");
    }
    String e164 = e164(from);
    if (e164 == null || text == null) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("need from (a phone number) and text: post-url with X-Kannel-From, or get-url with from, to and text\n");
      return;
    }
    metrics.counter("sathi.kannel.received", "channel", settings.name()).increment();
    String key = turns.keyOf(e164);
    String contentKey = ChannelStore.contentHash(text);
    store.ordinal(key, settings.name(), contentKey, DEDUP_WINDOW)
        .compose(n -> turns.handle(channel, new TextTurn(settings.name(), e164, "mo-" + contentKey + "-" + n, text, clock.instant())))
        .onComplete(ar -> {
          TextTurns.Reply reply = ar.succeeded() ? ar.result() : null;
          if (reply != null && reply.saved()) {
            // Taken: 200 with nothing to send back; once smsbox has it, the same text again is the caller's next message.
            ctx.response().setStatusCode(200).end().onSuccess(v -> store.acknowledged(key, settings.name(), contentKey)
                .onComplete(x -> nudgeOutbox.run()));
          } else if (reply != null && reply.kind().equals("officer")) {
            ctx.response().setStatusCode(200).end();
            send(e164, reply.text());
          } else {
            // Not stored: smsbox is told so, and tries again; the caller hears a polite line now and then.
            fallbacks.offer(e164, key, reply != null ? reply.text() : turns.fallbackText(e164, text));
            LOG.warn("Kannel channel {}: a text from caller {} could not be stored now; smsbox was answered 503.", settings.name(),
                CallerKey.shortForm(key));
            ctx.response().setStatusCode(503).putHeader("Retry-After", "30").end();
          }
        });
  }

  /** The post-url body in the charset Kannel names (UTF-16BE for UCS-2 texts), else UTF-8. */
  private static String body(RoutingContext ctx) {
    String charset = ctx.request().getHeader("X-Kannel-Charset");
    String coding = ctx.request().getHeader("X-Kannel-Coding");
    String type = ctx.request().getHeader("Content-Type");
    if ((charset == null || charset.isBlank()) && type != null) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)charset=\"?([A-Za-z0-9_.:-]+)").matcher(type);
      if (m.find()) charset = m.group(1);
    }
    Charset cs = StandardCharsets.UTF_8;
    try {
      if (charset != null && !charset.isBlank()) cs = Charset.forName(charset.trim());
      else if ("2".equals(coding)) cs = StandardCharsets.UTF_16BE;
    } catch (RuntimeException unknown) {
      cs = StandardCharsets.UTF_8;
    }
    return ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(cs);
  }

  private String e164(String address) {
    return Channels.e164(address, settings.countries());
  }

  // ---- sending --------------------------------------------------------------------------------------

  @Override
  public Future<String> send(String toE164, String body, String reference) {
    return store.watching(send(toE164, body), settings.name(), reference, RECEIPT_KEPT);
  }

  /** One {@code sendsms} request; Kannel splits a long text itself. Completes with Sathi's id for the message (its receipts carry it). */
  @Override
  public Future<String> send(String toE164, String text) {
    String id = UUID.randomUUID().toString();
    boolean gsm = SmsSegments.isGsm(text);
    String dlr = publicUrl + "/channels/" + settings.name() + "/kannel/dlr?key=" + enc(settings.secret()) + "&id=" + id + "&status=%d";
    String url = settings.sendsmsUrl() + (settings.sendsmsUrl().contains("?") ? "&" : "?") + "username=" + enc(settings.username())
        + "&password=" + enc(settings.password() == null ? "" : settings.password()) + "&from=" + enc(settings.sourceAddress())
        + "&to=" + enc(toE164) + "&text=" + enc(text) + "&charset=UTF-8" + (gsm ? "" : "&coding=2")
        + "&dlr-mask=" + DLR_MASK + "&dlr-url=" + enc(dlr);
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(10_000))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .recover(err -> Future.failedFuture(new SendFailed("Kannel's sendsms could not be reached")))
        .compose(status -> {
          if (status == 202 || status == 200) {
            metrics.counter("sathi.kannel.submitted", "channel", settings.name()).increment();
            return Future.succeededFuture(id);
          }
          return Future.failedFuture(new SendFailed("Kannel's sendsms answered HTTP " + status
              + (status == 403 ? ": check the channel's username and the password in its passwordEnv" : "")));
        });
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Kannel's delivery report: {@code status} 1 delivered, 2 failed, 8 taken by the SMSC, 16 refused by it. */
  private void receipt(RoutingContext ctx) {
    if (!authorised(ctx)) return;
    String id = ctx.request().getParam("id");
    String status = ctx.request().getParam("status");
    if (id == null || status == null || !status.matches("\\d{1,3}")) {
      ctx.response().setStatusCode(400).end("need id and status\n");
      return;
    }
    int s = Integer.parseInt(status);
    String state = switch (s) {
      case 1 -> "DELIVRD";
      case 2 -> "UNDELIV";
      case 8 -> "ACCEPTD";
      case 16 -> "REJECTD";
      default -> "UNKNOWN";
    };
    metrics.counter("sathi.kannel.receipts", "channel", settings.name(), "state", state).increment();
    if (s == 1 || s == 2 || s == 16) onReceipt.accept(new SmppChannel.Receipt(settings.name(), id, s == 1, state));
    ctx.response().setStatusCode(200).end();
  }


  public Future<Void> stop() {
    return http.close();
  }

}
