package org.sathi.channel.smpp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's SMSC in one class, on jSMPP's server side: for {@code ./sathi demo} (the phone
 * simulator texts a short code over SMPP) and for the tests. It takes binds with one system id and
 * password, delivers a phone's texts as {@code deliver_sm} (in concatenated parts when long), keeps
 * what Sathi submits, reassembled per message, and sends delivery receipts. A test can refuse
 * binds, throttle submits, and drop the connection (at once, or as the next submit to a phone arrives).
 */
public final class SimulatedSmsc implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedSmsc.class);

  /** A whole message Sathi sent: to whom, from which address, its text, and the parts it came in. */
  public record Sent(String to, String from, String text, List<SmppText.Part> parts, List<String> messageIds) {}

  /** How a phone's long text is split: a user data header with an 8- or 16-bit reference, or the SAR TLVs. */
  public enum Concatenation { UDH8, UDH16, SAR }

  private final String systemId;
  private final String password;
  private final SMPPServerSessionListener listener;
  private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final List<Consumer<Sent>> onSent = new CopyOnWriteArrayList<>();
  private final List<String> receipts = new CopyOnWriteArrayList<>();
  private final Map<String, TreeMap<Integer, SubmitSm>> partial = new ConcurrentHashMap<>();
  private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong nextId = new AtomicLong(0x5a7100);
  private final AtomicInteger references = new AtomicInteger(1);
  private final AtomicInteger throttle = new AtomicInteger();
  private final AtomicInteger bindsRefused = new AtomicInteger();
  private final AtomicReference<String> dropAtSubmitTo = new AtomicReference<>();
  private volatile int refuseBindsWith;
  private volatile boolean receiptsOn = true;
  private volatile boolean running = true;
  private final Thread acceptor;

  public SimulatedSmsc(int port, String systemId, String password) throws IOException {
    this.systemId = systemId;
    this.password = password;
    this.listener = new SMPPServerSessionListener(port == 0 ? freePort() : port);
    listener.setMessageReceiverListener(new Receiver());
    listener.setPduProcessorDegree(4);
    acceptor = Thread.ofPlatform().daemon().name("simulated-smsc").start(this::acceptLoop);
  }

  /** jSMPP's listener does not say which port 0 gave it: pick a free one first. */
  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return listener.getPort();
  }

  private void acceptLoop() {
    while (running) {
      try {
        SMPPServerSession session = listener.accept();
        work.execute(() -> bind(session));
      } catch (java.net.SocketTimeoutException quiet) {
        // no one connected within the listener's timeout: keep listening
      } catch (IOException | RuntimeException e) {
        if (running) LOG.warn("Simulated SMSC stopped accepting: {}.", e.toString());
        return;
      }
    }
  }

  private void bind(SMPPServerSession session) {
    try {
      BindRequest request = session.waitForBind(5000);
      int refuse = refuseBindsWith;
      if (refuse != 0) {
        bindsRefused.incrementAndGet();
        request.reject(refuse);
      } else if (!systemId.equals(request.getSystemId())) {
        bindsRefused.incrementAndGet();
        request.reject(0x0F);
      } else if (!password.equals(request.getPassword())) {
        bindsRefused.incrementAndGet();
        request.reject(0x0E);
      } else {
        request.accept("sathi-sim");
        session.setEnquireLinkTimer(30_000);
        sessions.add(session);
        session.addSessionStateListener((now, old, src) -> {
          if (!now.isBound()) sessions.remove(session);
        });
        return;
      }
      // The refusal must reach the ESME before the socket goes.
      Thread.sleep(200);
      session.close();
    } catch (Exception e) {
      LOG.warn("Simulated SMSC: a bind failed: {}.", e.toString());
      session.close();
    }
  }

  /** Whether an ESME is bound now. */
  public boolean bound() {
    return sessions.stream().anyMatch(s -> s.getSessionState().isBound());
  }

  /** Binds are refused with this command status (0x0D bind failed, 0x0E wrong password, ...); 0 takes them again. */
  public void refuseBinds(int commandStatus) {
    this.refuseBindsWith = commandStatus;
  }

  /** How many binds were refused so far: by {@link #refuseBinds}, or for a wrong system id or password. */
  public int bindsRefused() {
    return bindsRefused.get();
  }

  /** The link drops as the next submit_sm to this phone arrives: the SMSC does not take it, and no answer to it leaves. */
  public void dropAtNextSubmitTo(String e164) {
    dropAtSubmitTo.set(e164.startsWith("+") ? e164.substring(1) : e164);
  }

  /** The next {@code n} submits are answered ESME_RTHROTTLED. */
  public void throttleNext(int n) {
    throttle.set(n);
  }

  public void receipts(boolean on) {
    this.receiptsOn = on;
  }

  /** Closes every bind's socket at once, as a dropped link does. */
  public void dropConnections() {
    for (SMPPServerSession s : sessions) s.close();
    sessions.clear();
  }

  /** What Sathi sent so far, oldest first. */
  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  public List<Sent> sentTo(String e164) {
    String digits = e164.startsWith("+") ? e164.substring(1) : e164;
    return List.copyOf(byRecipient.getOrDefault(digits, List.of()));
  }

  /** What reached each phone, by number without +: a phone waits on its own list. */
  private final Map<String, List<Sent>> byRecipient = new ConcurrentHashMap<>();

  /** Delivery receipts sent so far (message ids). */
  public List<String> receiptsSent() {
    return List.copyOf(receipts);
  }

  public void onSent(Consumer<Sent> listener) {
    onSent.add(listener);
  }

  /**
   * A phone's text to the short code, as one {@code deliver_sm} or its concatenated parts in the
   * given order (a test may send them out of order). Returns the command status of each part's
   * {@code deliver_sm_resp} (0 when Sathi took it).
   */
  public List<Integer> deliver(String fromE164, String shortCode, String text, Concatenation how, int... order) throws Exception {
    List<SmppText.Part> parts = SmppText.encode(text, references.getAndIncrement() & 0xFF, false);
    int ref = references.getAndIncrement() & 0xFFFF;
    List<Integer> statuses = new ArrayList<>();
    int[] sequence = order.length > 0 ? order : java.util.stream.IntStream.rangeClosed(1, parts.size()).toArray();
    for (int seq : sequence) {
      SmppText.Part p = parts.get(seq - 1);
      byte[] sm = p.shortMessage();
      byte esm = p.esmClass();
      OptionalParameter[] tlvs = new OptionalParameter[0];
      if (parts.size() > 1 && how == Concatenation.UDH16) {
        byte[] body = java.util.Arrays.copyOfRange(sm, 6, sm.length);
        byte[] header = {0x06, 0x08, 0x04, (byte) (ref >> 8), (byte) ref, (byte) parts.size(), (byte) seq};
        sm = java.nio.ByteBuffer.allocate(header.length + body.length).put(header).put(body).array();
      } else if (parts.size() > 1 && how == Concatenation.SAR) {
        sm = java.util.Arrays.copyOfRange(sm, 6, sm.length);
        esm = 0;
        tlvs = new OptionalParameter[] {OptionalParameters.newSarMsgRefNum((short) ref), OptionalParameters.newSarTotalSegments(parts.size()),
            OptionalParameters.newSarSegmentSeqnum(seq)};
      }
      statuses.add(deliverRaw(fromE164.startsWith("+") ? fromE164.substring(1) : fromE164, TypeOfNumber.INTERNATIONAL, shortCode, esm,
          p.dataCoding(), sm, tlvs));
    }
    return statuses;
  }

  /**
   * A phone texts the short code and waits for Sathi's answer: the replies that reached the phone
   * within {@code wait}. Fails when Sathi did not take the text.
   */
  public List<String> text(String fromE164, String shortCode, String body, java.time.Duration wait) throws Exception {
    int before = sentTo(fromE164).size();
    List<Integer> statuses = deliver(fromE164, shortCode, body, Concatenation.UDH8);
    if (statuses.stream().anyMatch(s -> s != 0)) throw new IOException("Sathi answered deliver_sm with status " + statuses);
    String digits = fromE164.startsWith("+") ? fromE164.substring(1) : fromE164;
    List<Sent> mine = byRecipient.computeIfAbsent(digits, k -> new CopyOnWriteArrayList<>());
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (mine) {
      while (mine.size() <= before) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IOException("no reply reached the phone within " + wait.toMillis() + " ms");
        TimeUnit.NANOSECONDS.timedWait(mine, left);
      }
      return mine.subList(before, mine.size()).stream().map(Sent::text).toList();
    }
  }

  /** A single text; the command status of its {@code deliver_sm_resp}. */
  public int deliver(String fromE164, String shortCode, String text) throws Exception {
    return deliver(fromE164, shortCode, text, Concatenation.UDH8).get(0);
  }

  /** One {@code deliver_sm} exactly as given; the command status of the answer (0 when taken). */
  public int deliverRaw(String source, TypeOfNumber ton, String shortCode, byte esmClass, byte dataCoding, byte[] sm,
      OptionalParameter... tlvs) throws Exception {
    SMPPServerSession s = session();
    try {
      s.deliverShortMessage("", ton, NumberingPlanIndicator.ISDN, source, TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, shortCode,
          new ESMClass(esmClass), (byte) 0, (byte) 0, new RegisteredDelivery(0), DataCodings.newInstance(dataCoding), sm, tlvs);
      return 0;
    } catch (NegativeResponseException e) {
      return e.getCommandStatus();
    }
  }

  private SMPPServerSession session() throws IOException {
    for (SMPPServerSession s : sessions) if (s.getSessionState().isBound()) return s;
    throw new IOException("no ESME is bound to the simulated SMSC");
  }

  @Override
  public void close() {
    running = false;
    for (SMPPServerSession s : sessions) s.unbindAndClose();
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    work.shutdownNow();
  }

  // ---- what Sathi submits -------------------------------------------------------------------------

  private void submitted(SubmitSm submit, String messageId) {
    SmppText.Inbound in = SmppText.decode(submit.getEsmClass(), submit.getDataCoding(), submit.getShortMessage(), null, false);
    List<SubmitSm> whole;
    if (in.concat() == null) {
      whole = List.of(submit);
    } else {
      String k = submit.getDestAddress() + "|" + in.concat().reference() + "|" + in.concat().total();
      TreeMap<Integer, SubmitSm> parts = partial.computeIfAbsent(k, x -> new TreeMap<>());
      synchronized (parts) {
        parts.put(in.concat().seq(), submit);
        if (parts.size() < in.concat().total()) {
          partIds.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>()).add(messageId);
          return;
        }
        partial.remove(k);
        whole = new ArrayList<>(parts.values());
      }
    }
    StringBuilder text = new StringBuilder();
    List<SmppText.Part> wireParts = new ArrayList<>();
    for (SubmitSm p : whole) {
      text.append(SmppText.decode(p.getEsmClass(), p.getDataCoding(), p.getShortMessage(), null, false).text());
      wireParts.add(new SmppText.Part(p.getDataCoding(), p.getEsmClass(), p.getShortMessage()));
    }
    List<String> messageIds = new ArrayList<>(in.concat() == null ? List.of()
        : partIds.getOrDefault(submit.getDestAddress() + "|" + in.concat().reference() + "|" + in.concat().total(), List.of()));
    if (in.concat() != null) partIds.remove(submit.getDestAddress() + "|" + in.concat().reference() + "|" + in.concat().total());
    messageIds.add(messageId);
    Sent s = new Sent(submit.getDestAddress(), submit.getSourceAddr(), text.toString(), wireParts, messageIds);
    sent.add(s);
    List<Sent> mine = byRecipient.computeIfAbsent(s.to(), k -> new CopyOnWriteArrayList<>());
    synchronized (mine) {
      mine.add(s);
      mine.notifyAll();
    }
    for (Consumer<Sent> l : onSent) l.accept(s);
  }

  /** Message ids of the parts of a message still arriving. */
  private final Map<String, List<String>> partIds = new ConcurrentHashMap<>();

  private void receipt(SMPPServerSession session, SubmitSm submit, String messageId) {
    work.execute(() -> {
      try {
        Thread.sleep(20);
        DeliveryReceipt r = new DeliveryReceipt(messageId, 1, 1, new Date(), new Date(), DeliveryReceiptState.DELIVRD, "000", "");
        session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, submit.getDestAddress(),
            TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, submit.getSourceAddr(),
            new ESMClass(MessageType.SMSC_DEL_RECEIPT.value()), (byte) 0, (byte) 0, new RegisteredDelivery(0), DataCodings.ZERO,
            r.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            new OptionalParameter.COctetString(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code(), messageId),
            new OptionalParameter.Byte(OptionalParameter.Tag.MESSAGE_STATE, (byte) 2));
        receipts.add(messageId);
      } catch (Exception e) {
        LOG.debug("Simulated SMSC could not send a receipt: {}.", e.getClass().getSimpleName());
      }
    });
  }

  private final class Receiver implements ServerMessageReceiverListener {
    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession source) throws ProcessRequestException {
      if (submit.getDestAddress().equals(dropAtSubmitTo.get()) && dropAtSubmitTo.getAndSet(null) != null) {
        dropConnections();
        throw new ProcessRequestException("the link dropped", 0x08);
      }
      if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new ProcessRequestException("throttled", SmppChannel.ESME_RTHROTTLED);
      String id = Long.toHexString(nextId.incrementAndGet());
      submitted(submit, id);
      if (receiptsOn && (submit.getRegisteredDelivery() & 0x03) != 0) receipt(source, submit, id);
      try {
        return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
      } catch (org.jsmpp.PDUStringException e) {
        throw new ProcessRequestException("bad message id", 0x08);
      }
    }

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("submit_multi is not simulated", 0x03);
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("query_sm is not simulated", 0x03);
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("replace_sm is not simulated", 0x03);
    }

    @Override
    public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("cancel_sm is not simulated", 0x03);
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("broadcast_sm is not simulated", 0x03);
    }

    @Override
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("cancel_broadcast_sm is not simulated", 0x03);
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("query_broadcast_sm is not simulated", 0x03);
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
      throw new ProcessRequestException("data_sm is not simulated", 0x03);
    }
  }
}
