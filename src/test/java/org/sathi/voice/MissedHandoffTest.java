package org.sathi.voice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.channel.twilio.Signature;
import org.sathi.duty.LogPager;
import org.sathi.duty.MemoryDutyInbox;
import org.sathi.privacy.Sealer;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Priority;
import org.sathi.report.Report;
import org.sathi.report.ReportJson;
import org.sathi.report.TimelineEntry;
import org.sathi.server.Backends;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.Await;
import org.sathi.testing.TestCall;
import org.sathi.testing.TestCall.Twiml;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/**
 * A "talk to someone" call that rang out, through the real server and its duty desk: the caller is
 * asked whether they may be called back, hears the hand-off's code, can leave a voicemail, and the
 * call makes one report, flagged missed, that keeps the number sealed only with a yes. Then the
 * officer's side of a call-back, as Twilio asks it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MissedHandoffTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String UK = VoiceWebhookTest.UK;
  static final String RAHIM = VoiceWebhookTest.RAHIM;
  static final String RECORDING = VoiceWebhookTest.RECORDING;
  static final Pattern HANDOFF = Pattern.compile("[?&]h=([A-Z0-9]{4}-[A-Z0-9]{4})");

  Vertx vertx;
  MemorySessionStore store;
  MemoryReportStore reports;
  TestHotline hotline;
  Sealer sealer;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Clock clock = VoiceWebhookTest.MIDDAY_DHAKA;
    store = new MemorySessionStore(TestHotline.config().session().times(), TestHotline.codec(), clock);
    reports = new MemoryReportStore();
    Backends backends = new Backends(store, reports, new MemoryDutyInbox(store::events, Clock.systemUTC()), new LogPager(), TestHotline.roster(),
        TestHotline.triager(), TestHotline.crosswalk()::map, org.sathi.session.Durability.none(),
        org.sathi.console.ConsoleStores.memory(Clock.systemUTC()));
    hotline = TestHotline.deploy(vertx, backends, TestHotline.newMetrics(), TestHotline.countingReferences(), clock, TestHotline.config());
    sealer = new Sealer(TestHotline.config().secret());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Rings the officer for a person, and lets it ring out: the caller is asked about a call-back. Returns the hand-off's code. */
  String ringOut(TestCall call) throws Exception {
    call.dial();
    assertThat(call.press("3").first("Dial")).isNotNull();
    Twiml asked = call.dialEnded("no-answer");
    assertThat(asked.text()).isEqualTo("[en-IN] Sorry, no one could answer.\n[en-IN] If we may call you back on this number, press 1. If not, press 2.");
    assertThat(asked.first("Gather").getAttribute("numDigits")).isEqualTo("1");
    Matcher m = HANDOFF.matcher(call.action("Gather"));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  Report report(String ref, String what, java.util.function.Predicate<Report> done) throws Exception {
    Await.until(Duration.ofSeconds(10), what, () -> reports.get(ref).await(5, TimeUnit.SECONDS).filter(done).isPresent());
    return reports.get(ref).await(5, TimeUnit.SECONDS).orElseThrow();
  }

  List<TimelineEntry> timeline(String ref) throws Exception {
    return reports.timeline(ref).await(5, TimeUnit.SECONDS);
  }

  int reportCount() throws Exception {
    return reports.newest(Long.MAX_VALUE / 2, null, java.time.Instant.EPOCH, 100).await(5, TimeUnit.SECONDS).size();
  }

  List<JsonNode> inbox() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String e : store.events()) out.add(JSON.readTree(e));
    return out;
  }

  @Test
  void aYesKeepsTheNumberSealedWithTheHandoffsOwnReportAndTheCallerHearsItsCode() throws Exception {
    TestCall call = hotline.call(UK);
    String ref = ringOut(call);
    Twiml code = call.press("1");
    assertThat(code.text()).contains("Your code is " + VoiceWebhookTest.spelled(ref) + ". Again: " + VoiceWebhookTest.spelled(ref));
    assertThat(code.first("Record")).as("the voicemail is still offered").isNotNull();
    Report r = report(ref, "the missed hand-off with its caller's yes", x -> x.answers() != null && "yes".equals(x.answers().contact()));
    assertThat(r.kind()).isEqualTo("handoff");
    assertThat(r.flags()).contains("missed_handoff", "asked_for_person");
    assertThat(sealer.open(r.sealedContact(), r.callerKey())).isEqualTo(UK);
    assertThat(ReportJson.write(r)).doesNotContain(UK).doesNotContain(UK.substring(1));
    assertThat(timeline(ref)).extracting(TimelineEntry::text)
        .contains("The officer on call did not answer: nobody took the call.", "The caller agreed to be called back on the number they called from.");
    assertThat(reportCount()).as("one call, one report").isEqualTo(1);
  }

  @Test
  void aNoKeepsNothingOfTheNumber() throws Exception {
    TestCall call = hotline.call(UK);
    String ref = ringOut(call);
    assertThat(call.press("2").text()).contains("Your code is " + VoiceWebhookTest.spelled(ref));
    Report r = report(ref, "the missed hand-off with its caller's no", x -> x.answers() != null && "no".equals(x.answers().contact()));
    assertThat(r.flags()).contains("missed_handoff");
    assertThat(r.sealedContact()).isNull();
    for (JsonNode e : inbox()) assertThat(e.has("sealedContact")).as(e.toString()).isFalse();
    assertThat(store.dump()).doesNotContain(UK).doesNotContain(UK.substring(1));
    assertThat(timeline(ref)).extracting(TimelineEntry::text).contains("The caller did not agree to be called back.");
  }

  @Test
  void silenceAsksOnceMoreThenCountsAsNoAndAWrongKeySaysSo() throws Exception {
    TestCall call = hotline.call(UK);
    String ref = ringOut(call);
    Twiml again = call.silence();
    assertThat(again.text()).isEqualTo("[en-IN] If we may call you back on this number, press 1. If not, press 2.");
    Twiml code = call.silence();
    assertThat(code.text()).contains("Your code is " + VoiceWebhookTest.spelled(ref));
    Report r = report(ref, "the missed hand-off, no answer taken as no", x -> x.answers() != null && "no".equals(x.answers().contact()));
    assertThat(r.sealedContact()).isNull();
    assertThat(timeline(ref)).extracting(TimelineEntry::text).contains("The caller did not answer whether they may be called back; taken as no.");

    TestCall other = hotline.call("+447700900456");
    ringOut(other);
    Twiml wrong = other.press("7");
    assertThat(wrong.text()).isEqualTo("[en-IN] Sorry, that is not one of the choices.\n[en-IN] If we may call you back on this number, press 1."
        + " If not, press 2.");
    assertThat(other.press("1").text()).contains("Your code is");
  }

  @Test
  void aRetriedWebhookFilesOnce() throws Exception {
    TestCall call = hotline.call(UK);
    String ref = ringOut(call);
    String url = call.action("Gather");
    Map<String, String> f = call.fields("in-progress");
    f.put("Digits", "1");
    Twiml first = call.resend(url, f);
    Twiml again = call.resend(url, f);
    assertThat(again.body()).isEqualTo(first.body());
    report(ref, "the yes", x -> x.answers() != null && "yes".equals(x.answers().contact()));
    assertThat(inbox().stream().filter(e -> "yes".equals(e.path("answers").path("contact").asText()))).hasSize(1);
    // And a queue entry delivered twice (a crash before it was marked done) amends the report once.
    String entry = store.events().get(store.events().size() - 1);
    assertThat(reports.amend(ref, x -> x, new TimelineEntry(java.time.Instant.now(), "missed", "sathi", "again"),
        "amend:" + JSON.readTree(entry).path("webhookId").asText()).await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(timeline(ref)).extracting(TimelineEntry::text).doesNotContain("again");
    assertThat(timeline(ref).stream().filter(e -> e.text().startsWith("The caller agreed"))).hasSize(1);
  }

  @Test
  void theVoicemailGoesIntoTheSameReportWhichBecomesP1() throws Exception {
    TestCall call = hotline.call(UK);
    String ref = ringOut(call);
    call.press("1");
    Twiml done = call.send(call.action("Record"), VoiceWebhookTest.voicemail(call));
    assertThat(done.text()).contains("We have your message");
    Report r = report(ref, "the voicemail in the hand-off's report", x -> x.answers() != null && x.answers().recording() != null);
    assertThat(r.priority()).isEqualTo(Priority.P1);
    assertThat(r.flags()).contains("missed_handoff", "voicemail");
    assertThat(r.answers().recording()).isEqualTo(RECORDING);
    assertThat(r.answers().recordingSeconds()).isEqualTo(31);
    assertThat(r.answers().contact()).as("the yes given before is kept").isEqualTo("yes");
    assertThat(r.sealedContact()).isNotNull();
    assertThat(reportCount()).isEqualTo(1);
    assertThat(timeline(ref)).extracting(TimelineEntry::text).anyMatch(t -> t.startsWith("The caller left a voicemail."));
  }

  @Test
  void aCallerWhoHangsUpBeforeAnsweringStillLeavesAMissedHandoffWithoutANumber() throws Exception {
    TestCall call = hotline.call(UK);
    String ref = ringOut(call);
    call.completed();
    Report r = report(ref, "the missed hand-off", x -> x.flags().contains("missed_handoff"));
    assertThat(r.answers() == null || r.answers().contact() == null).isTrue();
    assertThat(r.sealedContact()).isNull();
  }

  @Test
  void withNobodyToPutThroughTheCallerIsAskedAtOnce() throws Exception {
    TestCall call = new TestCall(hotline.server.port(), UK, "client:web");
    call.dial();
    Twiml asked = call.press("3");
    assertThat(asked.first("Dial")).isNull();
    assertThat(asked.text()).contains("Sorry, no one could answer.").contains("If we may call you back on this number, press 1.");
    Matcher m = HANDOFF.matcher(call.action("Gather"));
    assertThat(m.find()).isTrue();
    String ref = m.group(1);
    report(ref, "the missed hand-off", x -> x.flags().contains("missed_handoff"));
    assertThat(timeline(ref)).extracting(TimelineEntry::text).contains("Nobody was on call to take it.");
  }

  // ---- the officer's side of a call-back

  Twiml officerLeg(TestCall call, String path, String ref, long until, String digits) throws Exception {
    String url = TestPhone.PUBLIC_URL + path + "?r=" + ref + "&o=rahim&e=" + until;
    Map<String, String> leg = new LinkedHashMap<>();
    leg.put("CallSid", "CA" + "2".repeat(32));
    leg.put("From", TestHotline.HOTLINE);
    leg.put("To", RAHIM);
    leg.put("CallStatus", "in-progress");
    if (digits != null) leg.put("Digits", digits);
    if (path.endsWith("/done")) leg.put("DialCallStatus", "completed");
    return call.post(url, leg, new Signature(TestPhone.AUTH_TOKEN).sign(url, leg));
  }

  @Test
  void theOfficerPressesOneAndOnlyThenIsTheCallerDialledWithTheHotlinesNumber() throws Exception {
    TestCall call = hotline.call(UK);
    String ref = ringOut(call);
    call.press("1");
    report(ref, "the yes", x -> x.answers() != null && "yes".equals(x.answers().contact()));
    long until = VoiceWebhookTest.MIDDAY_DHAKA.instant().getEpochSecond() + 600;

    Twiml screen = officerLeg(call, CallBack.PATH, ref, until, null);
    assertThat(screen.text()).isEqualTo("[en-IN] Sathi hotline. A caller needs to talk to someone. Press 1 to take the call.");
    assertThat(screen.first("Hangup")).as("a voicemail box presses nothing and is hung up").isNotNull();
    assertThat(screen.body()).doesNotContain(UK);

    assertThat(officerLeg(call, CallBack.PATH + "/connect", ref, until, "").first("Hangup")).isNotNull();
    Twiml connect = officerLeg(call, CallBack.PATH + "/connect", ref, until, "1");
    assertThat(connect.first("Dial").getAttribute("callerId")).isEqualTo(TestHotline.HOTLINE);
    assertThat(connect.first("Dial").getTextContent()).isEqualTo(UK);
    officerLeg(call, CallBack.PATH + "/done", ref, until, null);
    assertThat(timeline(ref)).extracting(TimelineEntry::text).contains("The call-back reached the caller.");

    // Too late, or unsigned: nothing is dialled.
    long past = VoiceWebhookTest.MIDDAY_DHAKA.instant().getEpochSecond() - 1;
    assertThat(officerLeg(call, CallBack.PATH + "/connect", ref, past, "1").first("Dial")).isNull();
    String url = TestPhone.PUBLIC_URL + CallBack.PATH + "/connect?r=" + ref + "&o=rahim&e=" + until;
    assertThat(call.post(url, Map.of("CallSid", "CA" + "3".repeat(32), "Digits", "1"), "bm90LXNpZ25lZA==").status()).isEqualTo(403);
  }

  @Test
  void aCallerWhoSaidNoIsNeverDialled() throws Exception {
    TestCall call = hotline.call(UK);
    String ref = ringOut(call);
    call.press("2");
    report(ref, "the no", x -> x.answers() != null && "no".equals(x.answers().contact()));
    long until = VoiceWebhookTest.MIDDAY_DHAKA.instant().getEpochSecond() + 600;
    Twiml connect = officerLeg(call, CallBack.PATH + "/connect", ref, until, "1");
    assertThat(connect.first("Dial")).isNull();
    assertThat(connect.first("Hangup")).isNotNull();
  }
}
