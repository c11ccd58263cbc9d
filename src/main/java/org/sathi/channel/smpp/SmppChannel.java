package org.sathi.channel.smpp;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.sathi.channel.ChannelStore;
import org.sathi.channel.OutboxSender;
import org.sathi.channel.SmsSender;
import org.sathi.privacy.CallerKey;
import org.sathi.privacy.Sealer;
import org.sathi.turn.TextChannel;
import org.sathi.turn.TextTurn;
import org.sathi.channel.sms.TextTurns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMPP 3.4 channel: Sathi as an ESME bound to the operator's SMSC with {@code bind_transceiver}.
 * It keeps the bind up ({@code enquire_link} on a timer, reconnect with backoff after a drop or an
 * SMSC restart), turns each mobile-originated {@code deliver_sm} into a {@link TextTurn}, and
 * answers it with {@code deliver_sm_resp} only once the turn is committed: the SMSC redelivers what
 * was not answered, and a redelivery changes nothing twice. Replies leave from the channel's
 * outbox as {@code submit_sm}, within a window of outstanding submits and the bind's rate.
 */
public final class SmppChannel implements SmsSender {
  private static final Logger LOG = LoggerFactory.getLogger(SmppChannel.class);

  /** SMPP command status: throttled by the SMSC. */
  static final int ESME_RTHROTTLED = 0x58;
  /** SMPP command status: the SMSC's message queue is full. */
  static final int ESME_RMSGQFUL = 0x14;
  /** SMPP command status: temporary application error; the SMSC delivers the message again later. */
  static final int ESME_RX_T_APPN = 0x64;
  /** SMPP command status: the source address is not valid (a permanent refusal). */
  static final int ESME_RINVSRCADR = 0x0A;
  /** Tries of one part on throttling or a timeout before the outbox takes over. */
  static final int SUBMIT_TRIES = 4;
  /** How long the parts of a concatenated text are kept waiting for the rest. */
  static final Duration PARTS_KEPT = Duration.ofMinutes(10);
  /** How long a receipt for an officer's reply is waited for. */
  static final Duration RECEIPT_KEPT = Duration.ofDays(2);

  /**
   * @param password        from the environment variable the entry names; SMPP allows 8 characters
   * @param sourceAddress   the short code callers text; replies come from it
   * @param throughput      submit_sm per second at most
   * @param window          outstanding submit_sm at most
   * @param countries       calling codes this channel serves; a national number is read in the first
   * @param packed          GSM 7-bit short messages are packed (most SMSCs send one septet an octet)
   * @param dedupWindow     how long a received text is remembered against redelivery
   */
  /** The settings a channel of {@code config/sathi.yaml} runs with. */
  public static Settings settings(org.sathi.channel.Channels.Smpp c, int turnDeadlineMillis) {
    return new Settings(c.name(), c.host(), c.port(), c.systemId(), c.password() == null ? "" : c.password(),
        c.systemType(), c.sourceAddress(), c.throughput(), c.window(), Duration.ofSeconds(c.enquireLinkSeconds()), Duration.ofSeconds(10),
        Duration.ofSeconds(60), c.countries(), c.packed(), Duration.ofMinutes(10), turnDeadlineMillis);
  }

  public record Settings(String name, String host, int port, String systemId, String password, String systemType, String sourceAddress,
      int throughput, int window, Duration enquireLink, Duration responseTimeout, Duration maxBackoff, List<String> countries, boolean packed,
      Duration dedupWindow, int turnDeadlineMillis) {}

  /** A delivery receipt for a message this channel sent: its id and whether it reached the phone. */
  public record Receipt(String channel, String messageId, boolean delivered, String state) {}

  private final Vertx vertx;
  private final Context context;
  private final Settings settings;
  private final TextTurns turns;
  private final TextChannel channel;
  private final ChannelStore store;
  private final Sealer sealer;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final java.util.function.Consumer<Receipt> onReceipt;
  private final ExecutorService submits = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore window;
  private final AtomicInteger references = new AtomicInteger(new java.util.Random().nextInt(256));
  private final org.sathi.channel.FallbackLine fallbacks;
  private final Object rate = new Object();
  private long nextSlotNanos;
  private volatile SMPPSession session;
  private volatile boolean running;
  private volatile Runnable onBound = () -> {};
  private Thread binder;
  private String lastBindProblem;

  public SmppChannel(Vertx vertx, Settings settings, TextTurns turns, ChannelStore store, Sealer sealer, MeterRegistry metrics, Clock clock,
      java.util.function.Consumer<Receipt> onReceipt) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.settings = settings;
    this.turns = turns;
    this.channel = new TextChannel(settings.name(), true);
    this.store = store;
    this.sealer = sealer;
    this.metrics = metrics;
    this.clock = clock;
    this.onReceipt = onReceipt;
    this.fallbacks = new org.sathi.channel.FallbackLine(settings.name(), this, clock);
    metrics.gauge("sathi.smpp.bound", List.of(io.micrometer.core.instrument.Tag.of("channel", settings.name())), this, c -> c.bound() ? 1 : 0);
    this.window = new Semaphore(Math.max(1, settings.window()));
  }

  public String name() {
    return settings.name();
  }

  /** Runs whenever a bind is made: the outbox sends what waited for it. */
  public void onBound(Runnable r) {
    this.onBound = r;
  }

  public boolean bound() {
    SMPPSession s = session;
    return s != null && s.getSessionState().isBound();
  }

  /** Starts binding in the background: the hotline starts whether or not the SMSC answers yet. */
  public Future<Void> start() {
    running = true;
    binder = Thread.ofPlatform().daemon().name("smpp-" + settings.name()).start(this::keepBound);
    return Future.succeededFuture();
  }

  public Future<Void> stop() {
    running = false;
    if (binder != null) binder.interrupt();
    SMPPSession s = session;
    submits.shutdownNow();
    if (s == null) return Future.succeededFuture();
    // unbind waits for the SMSC's answer: never on an event loop.
    Promise<Void> done = Promise.promise();
    Thread.ofVirtual().start(() -> {
      s.unbindAndClose();
      done.tryComplete();
    });
    return done.future().timeout(5, TimeUnit.SECONDS).otherwiseEmpty();
  }

  // ---- the bind -------------------------------------------------------------------------------

  private void keepBound() {
    long backoff = 1000;
    while (running) {
      SMPPSession s = new SMPPSession();
      s.setEnquireLinkTimer((int) settings.enquireLink().toMillis());
      s.setTransactionTimer(settings.responseTimeout().toMillis());
      s.setPduProcessorDegree(Math.max(2, settings.window()));
      s.setMessageReceiverListener(new Receiver());
      CompletableFuture<Void> closed = new CompletableFuture<>();
      s.addSessionStateListener((SessionState now, SessionState old, Session src) -> {
        if (!now.isNotClosed() || now == SessionState.UNBOUND) closed.complete(null);
      });
      try {
        s.connectAndBind(settings.host(), settings.port(), new BindParameter(BindType.BIND_TRX, settings.systemId(), settings.password(),
            settings.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), settings.responseTimeout().toMillis());
        session = s;
        backoff = 1000;
        lastBindProblem = null;
        LOG.info("SMPP channel {} is bound to {}:{} as '{}' (transceiver).", settings.name(), settings.host(), settings.port(), settings.systemId());
        context.runOnContext(v -> onBound.run());
        closed.get();
        if (running) LOG.warn("SMPP channel {} lost its bind to {}:{}; reconnecting.", settings.name(), settings.host(), settings.port());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        reportBindProblem(e, backoff);
      } finally {
        session = null;
        s.close();
      }
      if (!running) break;
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        break;
      }
      backoff = Math.min(settings.maxBackoff().toMillis(), backoff * 2);
    }
  }

  /** One line an operator can act on, once per distinct problem: the setting to check is named. */
  private void reportBindProblem(Exception e, long backoff) {
    NegativeResponseException refused = cause(e, NegativeResponseException.class);
    String problem;
    if (refused != null) {
      int status = refused.getCommandStatus();
      String what = switch (status) {
        case 0x0E -> "the password is wrong: check the variable that the channel's passwordEnv names";
        case 0x0F -> "the system id is not known to it: check the channel's systemId";
        case 0x0D -> "it refused the bind: check the channel's systemId, its password and systemType with the operator";
        case 0x05 -> "the ESME is already bound: another Sathi instance may hold this bind";
        default -> "check the channel's systemId, its password and systemType with the operator";
      };
      problem = "the SMSC at %s:%d refused the bind as '%s' (command status 0x%08X): %s".formatted(settings.host(), settings.port(),
          settings.systemId(), status, what);
    } else {
      problem = "cannot reach the SMSC at %s:%d (%s): check the channel's host and port, and the network".formatted(settings.host(), settings.port(),
          e.getClass().getSimpleName());
    }
    if (!problem.equals(lastBindProblem)) LOG.error("SMPP channel {}: {}. Trying again with backoff (now {} s).", settings.name(), problem, backoff / 1000);
    lastBindProblem = problem;
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return type.cast(t);
    return null;
  }

  // ---- mobile-originated texts ------------------------------------------------------------------

  private final class Receiver implements MessageReceiverListener {
    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
      if (deliverSm.isSmscDeliveryReceipt()) {
        receipt(deliverSm);
        return;
      }
      SMPPSession on = session;
      String[] acknowledge = received(deliverSm);
      if (acknowledge == null) return;
      // jSMPP writes deliver_sm_resp as this returns. Once it is out on a bind that stayed up, the SMSC
      // will not deliver the text again: the same text from the caller is then their next message.
      // The reply leaves the outbox after that mark, so the caller cannot answer before it.
      vertx.setTimer(ACK_SETTLE_MILLIS, t -> {
        if (on != null && on == session && on.getSessionState().isBound()) {
          store.acknowledged(acknowledge[0], settings.name(), acknowledge[1]).onComplete(ar -> nudgeOutbox.run());
        } else {
          nudgeOutbox.run();
        }
      });
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {}

    @Override
    public DataSmResult onAcceptDataSm(org.jsmpp.bean.DataSm dataSm, Session source) throws ProcessRequestException {
      throw new ProcessRequestException("data_sm is not taken; send texts as deliver_sm", 0x03);
    }
  }

  /** How long after a text is taken its acknowledgement counts as delivered to the SMSC. */
  static final long ACK_SETTLE_MILLIS = 20;

  /**
   * Returns only when the text is stored: a part kept for the rest, or the turn committed. Throwing
   * answers {@code deliver_sm_resp} with an error, and the SMSC delivers the text again later.
   * Returns the caller's key and the content hash to mark acknowledged, or null for a part kept.
   */
  String[] received(DeliverSm d) throws ProcessRequestException {
    String from = e164(d.getSourceAddr(), d.getSourceAddrTon());
    if (from == null) throw new ProcessRequestException("the source address is not a phone number", ESME_RINVSRCADR);
    SmppText.Inbound in = SmppText.decode(d.getEsmClass(), d.getDataCoding(), payload(d), sar(d), settings.packed());
    String key = turns.keyOf(from);
    try {
      return take(from, key, in);
    } catch (ProcessRequestException notStored) {
      // The store could not take it: the SMSC delivers it again later, and the caller hears why now and then.
      if (notStored.getErrorCode() == ESME_RX_T_APPN) fallbacks.offer(from, key, turns.fallbackText(from, in.text()));
      throw notStored;
    }
  }

  private String[] take(String from, String key, SmppText.Inbound in) throws ProcessRequestException {
    metrics.counter("sathi.smpp.received", "channel", settings.name()).increment();
    String text = in.text();
    String contentKey;
    if (in.concat() != null) {
      SmppText.Concat c = in.concat();
      List<String> parts = await(() -> store.part(key, settings.name(), String.valueOf(c.reference()), c.total(), c.seq(),
          sealer.seal(in.text(), key), PARTS_KEPT), 2000);
      if (parts.isEmpty()) return null; // kept until the rest arrives
      StringBuilder whole = new StringBuilder();
      for (String sealed : parts) {
        String part = sealer.open(sealed, key);
        if (part == null) throw new ProcessRequestException("a kept part was not sealed with this secret", ESME_RX_T_APPN);
        whole.append(part);
      }
      text = whole.toString();
      contentKey = "c" + c.reference() + "." + c.total() + "." + ChannelStore.contentHash(text);
    } else {
      contentKey = ChannelStore.contentHash(text);
    }
    long ordinal = await(() -> store.ordinal(key, settings.name(), contentKey, settings.dedupWindow()), 2000);
    TextTurn turn = new TextTurn(settings.name(), from, "mo-" + contentKey + "-" + ordinal, text, clock.instant());
    TextTurns.Reply reply = await(() -> turns.handle(channel, turn), settings.turnDeadlineMillis() + 1000L);
    switch (reply.kind()) {
      case "ok", "duplicate" -> {
        return new String[] {key, contentKey}; // the reply is in the outbox
      }
      case "officer" -> send(from, reply.text()).onFailure(err -> LOG.warn("SMPP channel {}: the answer to duty officer {} was not sent ({}).",
          settings.name(), CallerKey.shortForm(key), err.getMessage()));
      default -> throw new ProcessRequestException("the text could not be stored now; deliver it again later", ESME_RX_T_APPN);
    }
    return new String[] {key, contentKey};
  }

  private volatile Runnable nudgeOutbox = () -> {};

  /** Runs when a turn left a reply in the outbox. */
  public void onReplyQueued(Runnable r) {
    this.nudgeOutbox = r;
  }

  private static byte[] payload(DeliverSm d) {
    byte[] sm = d.getShortMessage();
    if (sm != null && sm.length > 0) return sm;
    OptionalParameter p = d.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
    return p instanceof OptionalParameter.OctetString o ? o.getValue() : new byte[0];
  }

  private static SmppText.Concat sar(DeliverSm d) {
    OptionalParameter ref = d.getOptionalParameter(OptionalParameter.Tag.SAR_MSG_REF_NUM);
    OptionalParameter total = d.getOptionalParameter(OptionalParameter.Tag.SAR_TOTAL_SEGMENTS);
    OptionalParameter seq = d.getOptionalParameter(OptionalParameter.Tag.SAR_SEGMENT_SEQNUM);
    if (ref instanceof OptionalParameter.Short r && total instanceof OptionalParameter.Byte t && seq instanceof OptionalParameter.Byte s) {
      return new SmppText.Concat(r.getValue() & 0xFFFF, t.getValue() & 0xFF, s.getValue() & 0xFF);
    }
    return null;
  }

  /**
   * The sender in E.164. International (TON 1) as it is; a national number (leading 0, or TON 2)
   * in the channel's first country; digits that already start with a served calling code as they are.
   */
  String e164(String address, byte ton) {
    if (address == null) return null;
    String digits = address.startsWith("+") ? address.substring(1) : address;
    if (!digits.matches("\\d{4,15}")) return null;
    String cc = settings.countries().isEmpty() ? null : settings.countries().get(0);
    String number;
    if (ton == TypeOfNumber.INTERNATIONAL.value() || address.startsWith("+")) number = "+" + digits;
    else if (digits.startsWith("00")) number = "+" + digits.substring(2);
    else if ((digits.startsWith("0") || ton == TypeOfNumber.NATIONAL.value()) && cc != null) number = "+" + cc + digits.replaceFirst("^0", "");
    else number = "+" + digits;
    return org.sathi.privacy.CallerKey.E164.matcher(number).matches() ? number : null;
  }


  /** Runs {@code work} on the channel's Vert.x context and waits for it, from jSMPP's PDU thread. */
  private <T> T await(Supplier<Future<T>> work, long timeoutMillis) throws ProcessRequestException {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(ar -> {
          if (ar.succeeded()) done.complete(ar.result());
          else done.completeExceptionally(ar.cause());
        });
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    try {
      return done.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProcessRequestException("interrupted", ESME_RX_T_APPN);
    } catch (Exception e) {
      LOG.warn("SMPP channel {}: a text could not be stored now ({}); the SMSC will deliver it again.", settings.name(),
          e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName());
      throw new ProcessRequestException("the text could not be stored now; deliver it again later", ESME_RX_T_APPN);
    }
  }

  // ---- delivery receipts --------------------------------------------------------------------------

  private void receipt(DeliverSm d) {
    String id = null;
    String state = null;
    OptionalParameter rid = d.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
    if (rid instanceof OptionalParameter.OctetString o) id = o.getValueAsString().replace("\0", "");
    try {
      DeliveryReceipt r = d.getShortMessageAsDeliveryReceipt();
      if (id == null || id.isEmpty()) id = r.getId();
      state = r.getFinalStatus() == null ? null : r.getFinalStatus().name();
    } catch (Exception unreadable) {
      // The TLVs may still say which message it was.
    }
    if (id == null) return;
    boolean delivered = "DELIVRD".equals(state);
    metrics.counter("sathi.smpp.receipts", "channel", settings.name(), "state", state == null ? "unknown" : state).increment();
    Receipt receipt = new Receipt(settings.name(), id, delivered, state == null ? "UNKNOWN" : state);
    context.runOnContext(v -> onReceipt.accept(receipt));
  }

  // ---- sending ------------------------------------------------------------------------------------

  /** An officer's reply, with a report whose timeline is told when the receipt arrives. */
  @Override
  public Future<String> send(String toE164, String body, String reference) {
    return store.watching(send(toE164, body), settings.name(), reference, RECEIPT_KEPT);
  }

  /**
   * Every part of {@code text}, in order, with one reference; completes with the first part's
   * message id. Replies from the outbox, officers' replies and pages all leave this way.
   */
  @Override
  public Future<String> send(String toE164, String text) {
    Promise<String> promise = ((io.vertx.core.internal.ContextInternal) context).promise();
    int reference = references.getAndIncrement() & 0xFF;
    List<SmppText.Part> parts = SmppText.encode(text, reference, settings.packed());
    submits.execute(() -> {
      try {
        String first = null;
        for (SmppText.Part part : parts) {
          String id = submitPart(toE164.startsWith("+") ? toE164.substring(1) : toE164, part);
          if (first == null) first = id;
        }
        promise.tryComplete(first);
      } catch (Exception e) {
        promise.tryFail(new SendFailed(describe(e)));
      }
    });
    return promise.future();
  }

  private String submitPart(String to, SmppText.Part part) throws Exception {
    long backoff = 250;
    for (int attempt = 1; ; attempt++) {
      SMPPSession s = session;
      if (s == null || !s.getSessionState().isBound()) throw new IOException("the SMPP bind is down");
      window.acquire();
      try {
        pace();
        String id = s.submitShortMessage("", sourceTon(), sourceNpi(), settings.sourceAddress(), TypeOfNumber.INTERNATIONAL,
            NumberingPlanIndicator.ISDN, to, new ESMClass(part.esmClass()), (byte) 0, (byte) 1, null, null,
            new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, DataCodings.newInstance(part.dataCoding()), (byte) 0,
            part.shortMessage()).getMessageId();
        metrics.counter("sathi.smpp.submitted", "channel", settings.name()).increment();
        return id;
      } catch (NegativeResponseException e) {
        boolean again = e.getCommandStatus() == ESME_RTHROTTLED || e.getCommandStatus() == ESME_RMSGQFUL;
        metrics.counter("sathi.smpp.refused", "channel", settings.name(), "status", "0x%02X".formatted(e.getCommandStatus())).increment();
        if (!again || attempt >= SUBMIT_TRIES) throw e;
      } catch (ResponseTimeoutException e) {
        metrics.counter("sathi.smpp.refused", "channel", settings.name(), "status", "timeout").increment();
        if (attempt >= SUBMIT_TRIES) throw e;
      } finally {
        window.release();
      }
      Thread.sleep(backoff);
      backoff *= 2;
    }
  }

  /** No more than {@code throughput} submits a second on this bind. */
  private void pace() throws InterruptedException {
    long wait;
    synchronized (rate) {
      long now = System.nanoTime();
      long slot = Math.max(now, nextSlotNanos);
      nextSlotNanos = slot + 1_000_000_000L / Math.max(1, settings.throughput());
      wait = slot - now;
    }
    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
  }

  private TypeOfNumber sourceTon() {
    String a = settings.sourceAddress();
    if (!a.matches("\\+?\\d+")) return TypeOfNumber.ALPHANUMERIC;
    return a.startsWith("+") || a.length() > 8 ? TypeOfNumber.INTERNATIONAL : TypeOfNumber.UNKNOWN;
  }

  private NumberingPlanIndicator sourceNpi() {
    return sourceTon() == TypeOfNumber.INTERNATIONAL ? NumberingPlanIndicator.ISDN : NumberingPlanIndicator.UNKNOWN;
  }

  private static String describe(Exception e) {
    if (e instanceof NegativeResponseException n) {
      return switch (n.getCommandStatus()) {
        case ESME_RTHROTTLED -> "the SMSC is throttling this bind (ESME_RTHROTTLED)";
        case ESME_RMSGQFUL -> "the SMSC's queue is full (ESME_RMSGQFUL)";
        default -> "the SMSC refused it (command status 0x%08X)".formatted(n.getCommandStatus());
      };
    }
    if (e instanceof ResponseTimeoutException) return "the SMSC did not answer in time";
    if (e instanceof IOException) return "the SMPP bind is down or its connection failed";
    return e.getClass().getSimpleName();
  }
}
