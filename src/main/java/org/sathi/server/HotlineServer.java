package org.sathi.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.sathi.console.AnswerLabels;
import org.sathi.console.ConsoleApi;
import org.sathi.console.ConsolePage;
import org.sathi.console.PublishingReportStore;
import org.sathi.console.Recordings;
import org.sathi.console.ReporterLine;
import org.sathi.report.ReportStore;
import org.sathi.flow.Engine;
import org.sathi.flow.FlowBundle;
import org.sathi.privacy.CallerKey;
import org.sathi.report.ReferenceCode;
import org.sathi.report.Retention;
import org.sathi.privacy.Sealer;
import org.sathi.duty.DutyDesk;
import org.sathi.duty.Escalation;
import org.sathi.channel.twilio.TwilioSms;
import org.sathi.followup.FollowUps;
import org.sathi.turn.TextChannel;
import org.sathi.channel.sms.TextTurns;
import org.sathi.turn.TurnRunner;
import org.sathi.voice.VoicePrompts;
import org.sathi.voice.VoiceWebhook;
import org.sathi.channel.twilio.Signature;
import org.sathi.channel.twilio.WebhookRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP face of Sathi: Twilio webhooks, health and metrics. Tests deploy this same verticle. */
public final class HotlineServer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HotlineServer.class);

  private final Config config;
  private final FlowBundle bundle;
  private final Backends backends;
  private final PrometheusMeterRegistry metrics;
  private final Clock clock;
  private final Engine.References references;
  private HttpServer server;

  private DutyDesk desk;
  private long retentionTimer = -1;
  private final java.util.List<org.sathi.channel.smpp.SmppChannel> smppChannels = new java.util.ArrayList<>();
  private final java.util.List<org.sathi.channel.OutboxSender> outboxes = new java.util.ArrayList<>();
  private final java.util.List<org.sathi.channel.kannel.KannelChannel> kannelChannels = new java.util.ArrayList<>();
  private org.sathi.channel.ChannelRoutes routes;
  private org.sathi.duty.Pager pager;
  private org.sathi.channel.smpp.SimulatedSmsc simulatedSmsc;
  private String simulatedShortCode;

  /** The demo's simulated SMSC, whose phone the simulator page offers beside Twilio's. */
  /**
   * How reports end and how they map onto the field's standards: the console's close needs the
   * outcomes, and its statistics need both. Without it the console closes with the shipped outcomes
   * and serves no statistics.
   */
  public HotlineServer withCasework(org.sathi.report.Outcomes outcomes, org.sathi.report.Crosswalk crosswalk) {
    this.outcomes = outcomes;
    this.crosswalk = crosswalk;
    return this;
  }

  private org.sathi.report.Outcomes outcomes;
  private org.sathi.report.Crosswalk crosswalk;


  /** The statistics over this hotline's reports: its crosswalk, channels, languages and outcomes. */
  private org.sathi.statistics.Statistics statistics() {
    if (crosswalk == null) return null;
    java.util.Map<String, String> types = new java.util.HashMap<>();
    for (org.sathi.channel.Channels.Channel c : config.channels()) {
      types.put(c.name(), c instanceof org.sathi.channel.Channels.WhatsApp ? "whatsapp" : "sms");
    }
    // The published area of a reporter's place (config/places.yaml): a district rolls up to its division.
    java.util.function.UnaryOperator<String> rollUp = code -> {
      String area = bundle.areas().rollUp(code);
      return area == null ? org.sathi.statistics.Dimension.UNKNOWN : area;
    };
    return new org.sathi.statistics.Statistics(crosswalk, rollUp, org.sathi.statistics.Statistics.transports(types),
        bundle.languages().enabled().stream().map(l -> l.code()).toList(), outcomes);
  }

  public HotlineServer withSimulatedSmsc(org.sathi.channel.smpp.SimulatedSmsc smsc, String shortCode) {
    this.simulatedSmsc = smsc;
    this.simulatedShortCode = shortCode;
    return this;
  }

  /** The SMPP channels this server runs (for tests and the demo's simulated SMSC). */
  public java.util.List<org.sathi.channel.smpp.SmppChannel> smppChannels() {
    return java.util.List.copyOf(smppChannels);
  }

  private Future<Void> pager(org.sathi.duty.Roster.Officer officer, String text) {
    return pager.page(officer, text);
  }

  private String twilioChannelName() {
    return config.twilioChannel().map(org.sathi.channel.Channels.Channel::name).orElse(TextChannel.DEFAULT_TWILIO);
  }

  private <T extends org.sathi.channel.Channels.Channel> java.util.List<T> channelsOf(Class<T> type) {
    return config.channels().stream().filter(type::isInstance).map(type::cast).toList();
  }

  private org.sathi.channel.OutboxSender outbox(String channel, org.sathi.channel.SmsSender transport, Sealer sealer) {
    return new org.sathi.channel.OutboxSender(vertx, channel, backends.outboxes().apply(channel), sealer, transport, metrics, clock,
        new org.sathi.channel.OutboxSender.Settings(instanceName(), Duration.ofSeconds(1), Duration.ofSeconds(10),
            config.session().times().replyWindow()));
  }

  static final long RECEIPT_LOOK_AGAIN_MILLIS = 1000;

  /** A delivery receipt: an officer's reply shows on its report's timeline as delivered or not. */
  private void receipt(ReportStore reports, String channel, String messageId, boolean delivered, String state) {
    receipt(reports, channel, messageId, delivered, state, true);
  }

  /** A receipt can outrun the note of whose reply it is (written once the submit is answered): it is looked for again a second later. */
  private void receipt(ReportStore reports, String channel, String messageId, boolean delivered, String state, boolean firstLook) {
    backends.channelStore().receiptFor(channel, messageId).compose(reference -> {
      if (reference != null) return noteReceipt(reports, reference, channel, messageId, delivered, state);
      if (firstLook) vertx.setTimer(RECEIPT_LOOK_AGAIN_MILLIS, t -> receipt(reports, channel, messageId, delivered, state, false));
      return Future.succeededFuture();
    }).onFailure(err -> LOG.warn("A delivery receipt on channel {} could not be noted ({}).", channel, err.getClass().getSimpleName()));
  }

  private Future<?> noteReceipt(ReportStore reports, String reference, String channel, String messageId, boolean delivered, String state) {
    return reports.note(reference, new org.sathi.report.TimelineEntry(clock.instant(), delivered ? "reply-delivered" : "reply-undelivered", "sathi",
            delivered ? "The SMS reply reached the reporter's phone." : "The SMS reply did not reach the reporter's phone (" + state + ")."),
            "dlr:" + channel + ":" + messageId);
  }

  public HotlineServer(Config config, FlowBundle bundle, Backends backends, PrometheusMeterRegistry metrics, Clock clock) {
    this(config, bundle, backends, metrics, clock, ReferenceCode::next);
  }

  /** With the reference codes chosen by the caller: golden transcripts need them fixed. */
  public HotlineServer(Config config, FlowBundle bundle, Backends backends, PrometheusMeterRegistry metrics, Clock clock,
      Engine.References references) {
    this.config = config;
    this.bundle = bundle;
    this.backends = backends;
    this.metrics = metrics;
    this.clock = clock;
    this.references = references;
  }

  @Override
  public Future<?> start() {
    org.sathi.channel.twilio.TwimlWriter.useJdkProviders();
    // Every change to a report, whoever makes it, reaches the open consoles of every instance.
    ReportStore reports = new PublishingReportStore(backends.reports(), backends.events());
    Engine engine = new Engine(bundle, references, config.sms().maxSegmentsPerReply());
    // One of each, keyed from SATHI_SECRET, for every part that hashes callers or seals numbers.
    CallerKey callerKey = new CallerKey(config.secret());
    Sealer sealer = new Sealer(config.secret());
    Escalation escalation = new Escalation(reports, backends.roster(), (officer, text) -> pager(officer, text), clock, config.duty().escalation(), metrics);
    desk = new DutyDesk(vertx, backends.inbox(), reports, backends.triager(), backends.crosswalk(), escalation, clock, metrics,
        config.duty().desk(instanceName()), callerKey::place);
    TextTurns turns = new TextTurns(engine, new TurnRunner(backends.sessions(), clock),
        new FollowUps(engine, reports, backends.sessions(), sealer, clock), callerKey, sealer, new TextTurns.Officers(backends.roster(), escalation),
        metrics, clock, config.sms().turnDeadlineMillis(), desk::nudge);
    // Operator channels: each SMPP bind answers its texts and sends replies from its outbox;
    // officers' replies and pages to a number leave on the channel that serves its country.
    java.util.Map<String, org.sathi.channel.SmsSender> byCountry = new java.util.LinkedHashMap<>();
    for (org.sathi.channel.Channels.Smpp c : channelsOf(org.sathi.channel.Channels.Smpp.class)) {
      org.sathi.channel.smpp.SmppChannel smpp = new org.sathi.channel.smpp.SmppChannel(vertx,
          org.sathi.channel.smpp.SmppChannel.settings(c, config.sms().turnDeadlineMillis()), turns, backends.channelStore(), sealer, metrics, clock,
          receipt -> receipt(reports, receipt.channel(), receipt.messageId(), receipt.delivered(), receipt.state()));
      org.sathi.channel.OutboxSender outbox = outbox(c.name(), smpp, sealer);
      smpp.onReplyQueued(outbox::nudge);
      smpp.onBound(outbox::nudge);
      c.countries().forEach(cc -> byCountry.putIfAbsent(cc, smpp));
      smppChannels.add(smpp);
      outboxes.add(outbox);
    }
    for (org.sathi.channel.Channels.Kannel c : channelsOf(org.sathi.channel.Channels.Kannel.class)) {
      org.sathi.channel.kannel.KannelChannel kannel = new org.sathi.channel.kannel.KannelChannel(vertx, c, config.server().publicUrl(), turns,
          backends.channelStore(), metrics, clock, config.sms().turnDeadlineMillis(),
          receipt -> receipt(reports, receipt.channel(), receipt.messageId(), receipt.delivered(), receipt.state()));
      org.sathi.channel.OutboxSender outbox = outbox(c.name(), kannel, sealer);
      kannel.onReplyQueued(outbox::nudge);
      c.countries().forEach(cc -> byCountry.putIfAbsent(cc, kannel));
      kannelChannels.add(kannel);
      outboxes.add(outbox);
    }
    routes = new org.sathi.channel.ChannelRoutes(byCountry, backends.sms());
    this.pager = (officer, text) -> routes.forNumber(officer.phone()) == backends.sms()
        ? backends.pager().page(officer, text) : routes.send(officer.phone(), text).mapEmpty();

    org.sathi.channel.whatsapp.WhatsAppLine whatsApp = whatsAppLine();
    Router router = Router.router(vertx);
    // Twilio's webhooks only where Twilio carries texts or calls: a hotline on an operator's SMSC alone has no Twilio account.
    if (config.twilioSms() || whatsApp != null || config.voice().enabled()) {
      WebhookRequest requests = new WebhookRequest(new Signature(config.twilio().authToken()), config.server().publicUrl(),
          config.server().maxBodyBytes());
      if (config.twilioSms() || whatsApp != null) {
        router.post("/twilio/sms").handler(new TwilioSms(requests, turns, config.twilioSms() ? twilioChannelName() : null, whatsApp, metrics,
            clock)::handle);
      }
      if (config.voice().enabled()) {
        new VoiceWebhook(requests, new Engine(bundle, references, VOICE_PAGE_SEGMENTS), new VoicePrompts(bundle, config.server().publicUrl()),
            backends.sessions(), callerKey, sealer, backends.roster(), backends.triager(), references, metrics, clock,
            config.voice(), config.server().publicUrl(), config.twilio().from(), desk::nudge).mount(router);
        new org.sathi.voice.CallBack(requests, reports, sealer, new VoicePrompts(bundle, config.server().publicUrl()),
            bundle.languages().fallback().code(), clock, config.server().publicUrl(), config.twilio().from(), config.voice()).mount(router);
      }
    }
    kannelChannels.forEach(k -> k.mount(router));
    for (org.sathi.channel.Channels.Ussd c : channelsOf(org.sathi.channel.Channels.Ussd.class)) {
      new org.sathi.channel.ussd.UssdChannel(c, turns, sealer, metrics, clock).mount(router);
    }
    router.get("/audio/:language/:file").handler(this::audio);
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(this::metrics);
    ConsoleApi.Desk consoleDesk = new ConsoleApi.Desk(backends.events(),
        new ReporterLine(backends.sessions(), sealer, routes, whatsApp, clock, config.session().times().replyWindow(),
            config.sms().maxSegmentsPerReply()),
        backends.referrals(), new AnswerLabels(bundle),
        new Recordings(config.twilio().accountSid(), config.twilio().authToken(), config.twilio().apiBase()), sealer,
        languages(), CONSOLE_STREAM_CHECK, config.server().trustForwardedFor(), backends.replies());
    new ConsoleApi(reports, escalation, backends.console().accounts(), backends.console().sessions(), backends.console().audit(), clock,
        config.server().publicUrl().startsWith("https://"), consoleDesk)
        .withCasework(outcomes, statistics(), config.statistics().openPeriods())
        .withMissedCalls(new org.sathi.console.MissedCalls(reports, backends.roster(), callDialer(), config.server().publicUrl(), clock))
        .mount(router);
    ConsolePage.mount(router);
    if (config.server().simulator()) {
      String hotline = org.sathi.privacy.CallerKey.E164.matcher(config.twilio().from()).matches() ? config.twilio().from() : org.sathi.simulator.TwilioPlayer.DEFAULT_HOTLINE;
      var player = new org.sathi.simulator.TwilioPlayer(() -> "http://127.0.0.1:" + server.actualPort(), config.server().publicUrl(),
          config.twilio().authToken(), config.twilio().accountSid(), hotline);
      var simulator = new org.sathi.simulator.Simulator(vertx, player,
          new org.sathi.simulator.SimulatedTwilio(config.twilio().accountSid(), config.twilio().authToken(), hotline), backends.roster());
      if (simulatedSmsc != null) simulator.withSmsc(simulatedSmsc, simulatedShortCode);
      // The USSD phone dials the first USSD channel that has its key (the demo's: *123#).
      channelsOf(org.sathi.channel.Channels.Ussd.class).stream().filter(c -> c.secret() != null).findFirst().ifPresent(c -> simulator.withUssd(
          new org.sathi.simulator.UssdPlayer(() -> "http://127.0.0.1:" + server.actualPort(), c.name(), c.secret(), c.serviceCode()), c.serviceCode()));
      config.whatsApp().ifPresent(w -> simulator.withWhatsApp(w.from()));
      simulator.mount(router);
    }
    router.route().failureHandler(this::failure);

    Retention retention = new Retention(reports, backends.inbox()::forgetDeadLettersBefore,
        java.time.Duration.ofDays(config.duty().retentionDays()), clock);
    retentionTimer = vertx.setPeriodic(1000, java.time.Duration.ofHours(1).toMillis(), t -> retention.eraseExpired()
        .onFailure(err -> LOG.warn("Erasing reports past retention failed ({}); trying again in an hour.", err.getClass().getSimpleName())));

    server = vertx.createHttpServer().requestHandler(router);
    smppChannels.forEach(org.sathi.channel.smpp.SmppChannel::start);
    outboxes.forEach(org.sathi.channel.OutboxSender::start);
    return desk.start().compose(v -> server.listen(config.server().port()))
        .onSuccess(s -> LOG.info("Sathi is listening on port {}; {}.", s.actualPort(), twilioWebhooks()));
  }

  /** What Twilio should call, for the start-up line: only the webhooks this config mounts. */
  private String twilioWebhooks() {
    String url = config.server().publicUrl();
    java.util.List<String> hooks = new java.util.ArrayList<>();
    if (config.twilioSms() || config.whatsApp().isPresent()) hooks.add(url + "/twilio/sms for texts" + (config.whatsApp().isPresent() ? " and WhatsApp" : ""));
    if (config.voice().enabled()) hooks.add(url + "/twilio/voice for calls and " + url + "/twilio/voice/status for call status");
    return hooks.isEmpty() ? "no Twilio webhooks (no twilio channel, voice.enabled: false)" : "Twilio should call " + String.join(", ", hooks);
  }

  private org.sathi.channel.twilio.TwilioOutbound whatsAppOutbound;
  private org.sathi.channel.twilio.TwilioOutbound callOutbound;

  /** Places the console's call-backs through Twilio, from the hotline's number; null when calls are off or there is no Twilio account. */
  private org.sathi.console.MissedCalls.Dialer callDialer() {
    Config.Twilio t = config.twilio();
    if (!config.voice().enabled() || !Main.twilioAccount(t).isEmpty() || t.from() == null || t.from().isBlank()) return null;
    callOutbound = new org.sathi.channel.twilio.TwilioOutbound(t.accountSid(), t.authToken(), t.apiBase(), t.from(), vertx, Duration.ofSeconds(10), 3);
    return callOutbound::placeCall;
  }

  /**
   * The line of the {@code type: whatsapp} channel, sending through Twilio from its own sender, or
   * null without one. Without Twilio's account (serve refuses to start so; a test may), it sends nothing.
   */
  private org.sathi.channel.whatsapp.WhatsAppLine whatsAppLine() {
    var channel = config.whatsApp().orElse(null);
    if (channel == null) return null;
    Config.Twilio t = config.twilio();
    if (!Main.twilioAccount(t).isEmpty()) {
      return new org.sathi.channel.whatsapp.WhatsAppLine(channel, backends.channelStore(), org.sathi.channel.whatsapp.WhatsAppLine.Sender.none());
    }
    whatsAppOutbound = new org.sathi.channel.twilio.TwilioOutbound(t.accountSid(), t.authToken(), t.apiBase(), channel.from(), vertx,
        Duration.ofSeconds(10), 3);
    return new org.sathi.channel.whatsapp.WhatsAppLine(channel, backends.channelStore(), whatsAppOutbound::sendWhatsApp);
  }

  @Override
  public Future<?> stop() {
    // Graceful: stop taking connections, let in-flight webhooks finish their turn.
    if (desk != null) desk.stop();
    if (whatsAppOutbound != null) whatsAppOutbound.close();
    if (callOutbound != null) callOutbound.close();
    outboxes.forEach(org.sathi.channel.OutboxSender::stop);
    Future<?> unbound = Future.join(smppChannels.stream().map(org.sathi.channel.smpp.SmppChannel::stop).toList());
    vertx.cancelTimer(retentionTimer);
    return server == null ? unbound : server.shutdown(Duration.ofSeconds(config.server().shutdownGraceSeconds())).compose(v -> unbound);
  }

  public int port() {
    return server.actualPort();
  }

  /** This instance's name in the duty queue's consumer group: host and process, stable across a run. */
  static String instanceName() {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
  }

  /** How often an open console's live stream checks that its session is still alive. */
  static final Duration CONSOLE_STREAM_CHECK = Duration.ofSeconds(15);

  /** The languages officers can read answers in, for the console's label menu. */
  private io.vertx.core.json.JsonArray languages() {
    io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
    bundle.languages().enabled().forEach(l -> list.add(new io.vertx.core.json.JsonObject().put("code", l.code()).put("name", l.name())));
    return list;
  }

  /** A call says an info node whole: its content is not cut into SMS pages. */
  static final int VOICE_PAGE_SEGMENTS = Integer.MAX_VALUE;

  /** A recorded prompt, for Twilio's {@code <Play>}: only files the loader found, with their audio type. */
  private void audio(RoutingContext ctx) {
    String language = ctx.pathParam("language");
    String file = ctx.pathParam("file");
    int dot = file.lastIndexOf('.');
    String key = dot > 0 ? file.substring(0, dot) : file;
    if (!file.equals(bundle.recording(language, key))) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("no such recording\n");
      return;
    }
    String type = org.sathi.flow.load.FlowLoader.AUDIO_TYPES.get(file.substring(dot + 1));
    ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "public, max-age=3600")
        .sendFile(java.nio.file.Path.of(config.flows().dir(), "audio", language, file).toString());
  }

  private void live(RoutingContext ctx) {
    json(ctx, 200, "{\"status\":\"live\"}");
  }

  private void ready(RoutingContext ctx) {
    backends.sessions().ping().compose(v -> backends.durability().risk()).timeout(1, TimeUnit.SECONDS).onComplete(ar -> {
      if (ar.failed()) {
        json(ctx, 503, "{\"status\":\"not ready\",\"flows\":\"loaded\",\"store\":\"unreachable\"}");
      } else if (ar.result().isPresent()) {
        reportRisk(ar.result().get());
        json(ctx, 503, "{\"status\":\"not ready\",\"flows\":\"loaded\",\"store\":\"could lose acknowledged reports\"}");
      } else {
        reportedRisk = null;
        json(ctx, 200, "{\"status\":\"ready\",\"flows\":\"loaded\",\"store\":\"ok\"}");
      }
    });
  }

  private String reportedRisk;

  /** The durability problem, logged once until it changes: the line names the fix. */
  private void reportRisk(String risk) {
    if (!risk.equals(reportedRisk)) LOG.error("Not ready: {}", risk);
    reportedRisk = risk;
  }

  private void metrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
    // Only the type: an exception's message could quote what a caller sent.
    if (status >= 500) LOG.error("Request to {} failed: {}.", ctx.request().path(), ctx.failure() == null ? "no cause" : ctx.failure().getClass().getName());
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(status >= 500 ? "internal error\n" : "bad request\n");
    }
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
