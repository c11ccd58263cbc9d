package org.sathi.channel.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sathi.testing.Await;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.TypeOfNumber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.duty.LogPager;
import org.sathi.i18n.SmsSegments;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Backends;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.SmppPhone;
import org.sathi.testing.TestHotline;
import org.slf4j.LoggerFactory;

/** Sathi bound to an SMSC stand-in (jSMPP's server side): what an operator's SMSC would see. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmppChannelTest {
  static final Pattern CODE = Pattern.compile("[A-Z0-9]{4}-[A-Z0-9]{4}");

  static Vertx vertx;
  static SimulatedSmsc smsc;
  static TestHotline hotline;
  static MemorySessionStore store;
  static Backends backends;
  static SmppPhone phone;
  static ListAppender<ILoggingEvent> logs;
  static int numbers;

  @BeforeAll
  static void start() throws Exception {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    vertx = Vertx.vertx();
    smsc = new SimulatedSmsc(0, SmppPhone.SYSTEM_ID, SmppPhone.PASSWORD);
    var config = TestHotline.config().withChannels(List.of(SmppPhone.channel(smsc.port(), List.of("880"))));
    store = new MemorySessionStore(config.session().times(), TestHotline.codec(), java.time.Clock.systemUTC());
    backends = TestHotline.memory(store, new LogPager());
    hotline = TestHotline.deploy(vertx, backends, TestHotline.newMetrics(), ReferenceCode::next, java.time.Clock.systemUTC(), config);
    SmppPhone.awaitBind(smsc, Duration.ofSeconds(10));
    phone = new SmppPhone(smsc, Duration.ofSeconds(8));
  }

  @AfterAll
  static void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    vertx.close().await(10, TimeUnit.SECONDS);
    smsc.close();
  }

  @org.junit.jupiter.api.BeforeEach
  void bound() throws Exception {
    smsc.refuseBinds(0);
    SmppPhone.awaitBind(smsc, Duration.ofSeconds(20));
  }

  static synchronized String newNumber() {
    return "+8801711" + String.format("%06d", ++numbers);
  }

  /** A Bengali report by SMS, as a child in Bangladesh texts the short code. */
  static final List<String> BENGALI_REPORT = List.of("হ্যালো", "1", "2", "1", "2", "14", "2", "4", "খুলনা", "একজন লোক ওর কাগজ নিয়ে গেছে।", "2");

  @Test
  void aBengaliReportOverSmppGetsItsCodeInCorrectUcs2Parts() throws Exception {
    String from = newNumber();
    String last = null;
    for (String text : BENGALI_REPORT) last = phone.text(from, text).get(0);
    Matcher code = CODE.matcher(last);
    assertThat(code.find()).as("the last reply gives a reference code: %s", last).isTrue();

    List<SimulatedSmsc.Sent> replies = smsc.sentTo(from);
    assertThat(replies).hasSize(BENGALI_REPORT.size());
    boolean someSplit = false;
    for (SimulatedSmsc.Sent reply : replies) {
      assertThat(reply.from()).as("replies come from the short code").isEqualTo(SmppPhone.SHORT_CODE);
      assertThat(reply.to()).as("to the caller in international form").isEqualTo(from.substring(1));
      SmsSegments size = SmsSegments.of(reply.text());
      assertThat(reply.parts()).as("parts of: %s", reply.text()).hasSize(size.segments());
      StringBuilder joined = new StringBuilder();
      int reference = -1;
      for (int i = 0; i < reply.parts().size(); i++) {
        SmppText.Part p = reply.parts().get(i);
        assertThat(p.dataCoding()).isEqualTo(size.encoding() == SmsSegments.Encoding.UCS_2 ? SmppText.UCS2 : SmppText.GSM7);
        assertThat(p.shortMessage().length).as("a short message holds 140 octets").isLessThanOrEqualTo(140);
        SmppText.Inbound part = SmppText.decode(p.esmClass(), p.dataCoding(), p.shortMessage(), null, false);
        if (reply.parts().size() > 1) {
          someSplit = true;
          assertThat(part.concat()).isNotNull();
          assertThat(part.concat().seq()).isEqualTo(i + 1);
          assertThat(part.concat().total()).isEqualTo(reply.parts().size());
          if (reference >= 0) assertThat(part.concat().reference()).as("one reference per message").isEqualTo(reference);
          reference = part.concat().reference();
          assertThat(Character.isHighSurrogate(part.text().charAt(part.text().length() - 1))).as("no part ends inside a surrogate pair").isFalse();
        }
        joined.append(part.text());
      }
      assertThat(joined.toString()).as("the parts reassemble to the reply").isEqualTo(reply.text());
    }
    assertThat(someSplit).as("a Bengali menu needs more than one UCS-2 part").isTrue();
    awaitTrue(() -> store.events().stream().anyMatch(e -> e.contains(code.group()) && e.contains("\"channel\":\"bd-operator\"")),
        "the report reached the duty inbox with the channel's name");
  }

  @Test
  void aConcatenatedTextArrivingOutOfOrderIsOneAnswer() throws Exception {
    String from = newNumber();
    for (String text : BENGALI_REPORT.subList(0, 9)) phone.text(from, text);
    String details = "একজন লোক ওর কাগজ নিয়ে গেছে। সে বলেছে ঢাকায় ভালো কাজ আছে, কিন্তু এখন তাকে বাইরে যেতে দেয় না। আমরা ভয় পাচ্ছি।";
    assertThat(SmsSegments.of(details).segments()).isEqualTo(2);
    int before = smsc.sentTo(from).size();
    List<Integer> statuses = smsc.deliver(from, SmppPhone.SHORT_CODE, details, SimulatedSmsc.Concatenation.UDH16, 2, 1);
    assertThat(statuses).containsExactly(0, 0);
    String reply = phone.awaitReplies(from, before, 1).get(0);
    assertThat(reply).as("the whole text answered the question once: the next question is asked").contains("1. হ্যাঁ");
    Thread.sleep(200);
    assertThat(smsc.sentTo(from)).as("one reply for the two parts").hasSize(before + 1);
    String last = phone.text(from, "2").get(0);
    Matcher code = CODE.matcher(last);
    assertThat(code.find()).isTrue();
    awaitTrue(() -> store.events().stream().anyMatch(e -> e.contains(code.group()) && e.contains(details)), "the report holds the whole text");
  }

  @Test
  void sarPartsAreReassembledToo() throws Exception {
    String from = newNumber();
    String text = "হ্যালো, আমি একটা সমস্যার কথা জানাতে চাই। আমার বোনকে কাজের কথা বলে শহরে নিয়ে গেছে।";
    int before = smsc.sentTo(from).size();
    assertThat(smsc.deliver(from, SmppPhone.SHORT_CODE, text, SimulatedSmsc.Concatenation.SAR, 2, 1)).containsExactly(0, 0);
    assertThat(phone.awaitReplies(from, before, 1).get(0)).as("the main menu, once").contains("1. ");
    Thread.sleep(200);
    assertThat(smsc.sentTo(from)).hasSize(before + 1);
  }

  @Test
  void aRedeliveredTextChangesNothingTwice() throws Exception {
    SmppChannel channel = hotline.server.smppChannels().get(0);
    String from = newNumber();
    phone.text(from, "hi");
    int before = smsc.sentTo(from).size();
    // The first delivery of "1": taken and committed, but its deliver_sm_resp never reached the SMSC
    // (the link dropped as it was written), so nothing marks it acknowledged ...
    DeliverSm d = new DeliverSm();
    d.setSourceAddr(from.substring(1));
    d.setSourceAddrTon(TypeOfNumber.INTERNATIONAL.value());
    d.setDataCoding(SmppText.GSM7);
    d.setShortMessage("1".getBytes(StandardCharsets.US_ASCII));
    d.setEsmClass((byte) 0);
    channel.received(d);
    // ... and the SMSC delivers the same text again.
    assertThat(smsc.deliver(from, SmppPhone.SHORT_CODE, "1")).isZero();
    String reply = phone.awaitReplies(from, before, 1).get(0);
    assertThat(reply).as("'1' chose 'report a concern' once").contains("1. ");
    Thread.sleep(300);
    assertThat(smsc.sentTo(from)).as("one reply, one step").hasSize(before + 1);
    // The same text again once it was acknowledged: the caller's next answer ("1. Me").
    assertThat(phone.text(from, "1").get(0)).as("the next question, not the same one again").isNotEqualTo(reply);
  }

  @Test
  void aThrottledSubmitIsRetried() throws Exception {
    String from = newNumber();
    smsc.throttleNext(2);
    assertThat(phone.text(from, "hi").get(0)).contains("1. ");
    assertThat(hotline.metrics.scrape()).contains("sathi_smpp_refused_total{channel=\"bd-operator\",status=\"0x58\"} 2.0");
  }

  @Test
  void anOfficersReplyShowsAsDeliveredOnTheTimeline() throws Exception {
    String from = newNumber();
    String last = null;
    for (String text : BENGALI_REPORT) last = phone.text(from, text).get(0);
    Matcher m = CODE.matcher(last);
    assertThat(m.find()).isTrue();
    String reference = m.group();
    awaitTrue(() -> backends.reports().get(reference).toCompletionStage().toCompletableFuture().get().isPresent(), "the report is filed");
    SmppChannel channel = hotline.server.smppChannels().get(0);
    String id = channel.send(from, "আমরা আপনার খবর পেয়েছি।", reference).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(id).isNotBlank();
    awaitTrue(() -> backends.reports().timeline(reference).toCompletionStage().toCompletableFuture().get().stream()
        .anyMatch(e -> e.kind().equals("reply-delivered")), "the receipt is on the timeline");
  }

  @Test
  void aDroppedLinkIsBoundAgainAndARefusedBindNamesTheSetting() throws Exception {
    String from = newNumber();
    phone.text(from, "hi");
    // The SMSC restarts, and for a while refuses binds with "invalid password".
    int port = smsc.port();
    smsc.close();
    smsc = restart(port);
    smsc.refuseBinds(0x0E);
    phone = new SmppPhone(smsc, Duration.ofSeconds(8));
    awaitTrue(() -> logged().stream().anyMatch(e -> e.getFormattedMessage().contains("refused the bind")
        && e.getFormattedMessage().contains("passwordEnv")), "a log line names the setting to fix");
    smsc.refuseBinds(0);
    SmppPhone.awaitBind(smsc, Duration.ofSeconds(20));
    assertThat(phone.text(from, "1").get(0)).as("the conversation goes on where it was").doesNotContain("1. হ্যাঁ").contains("1. ");
  }

  /** What was logged so far: a copy taken under the appender's lock, as the channel may be logging meanwhile. */
  static List<ILoggingEvent> logged() {
    synchronized (logs) {
      return List.copyOf(logs.list);
    }
  }

  /** A new SMSC on the same port, once the old one's socket is gone. */
  static SimulatedSmsc restart(int port) throws Exception {
    for (int i = 0; ; i++) {
      try {
        return new SimulatedSmsc(port, SmppPhone.SYSTEM_ID, SmppPhone.PASSWORD);
      } catch (java.net.BindException busy) {
        if (i > 100) throw busy;
        Thread.sleep(100);
      }
    }
  }

  static void awaitTrue(Await.Check check, String what) throws Exception {
    Await.until(Duration.ofSeconds(10), what, check);
  }
}
