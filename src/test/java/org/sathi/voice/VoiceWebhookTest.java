package org.sathi.voice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sathi.duty.LogPager;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestCall;
import org.sathi.testing.TestCall.Twiml;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;
import org.w3c.dom.Element;

/**
 * Calls through the real router, as Twilio makes them: signed webhooks, each to the action URL the
 * last TwiML named. Whole calls are compared with the TwiML snapshots in
 * src/test/resources/golden/voice/ (regenerate with {@code ./sathi test -Dsathi.regenerate=true}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VoiceWebhookTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/voice");
  static final boolean REGENERATE = Boolean.getBoolean("sathi.regenerate");
  static final ObjectMapper JSON = new ObjectMapper();

  static final String UK = "+447700900123";
  static final String BD = "+8801700000001";
  /** Midday in Dhaka, ticking: the day shift of config/roster.yaml is on call, with rahim as primary. */
  static final Clock MIDDAY_DHAKA = Clock.offset(Clock.systemUTC(),
      java.time.Duration.between(Instant.now(), Instant.parse("2026-12-01T06:00:00Z")));
  static final String RAHIM = "+8801700000101";
  static final String RECORDING = "https://api.twilio.com/2010-04-01/Accounts/ACtest/Recordings/RE0001";

  Vertx vertx;
  MemorySessionStore store;
  TestHotline hotline;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    store = new MemorySessionStore(TestHotline.config().session().times(), TestHotline.codec(), MIDDAY_DHAKA);
    hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new LogPager()), TestHotline.newMetrics(), TestHotline.countingReferences(),
        MIDDAY_DHAKA, TestHotline.config());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A step of a scripted call: what the caller does next. */
  interface Act {
    Twiml on(TestCall call) throws Exception;
  }

  static Arguments call(String name, String from, String... script) {
    return Arguments.of(name, from, List.of(script));
  }

  static Stream<Arguments> calls() {
    return Stream.of(
        call("en-report", UK, "dial", "1", "2", "5", "2", "14", "2", "record", "record", "2"),
        call("bn-report", BD, "dial", "1", "2", "1", "3", "*", "2", "4", "record", "record", "1"),
        call("en-guidance", UK, "dial", "2", "1", "1", "5", "silence", "silence", "completed"),
        call("bn-guidance", BD, "dial", "2", "3", "*", "1", "0", "1"),
        call("en-handoff", UK, "dial", "3", "dial:no-answer", "silence", "1", "voicemail"),
        call("bn-handoff", BD, "dial", "3", "dial:completed"));
  }

  static Twiml act(TestCall call, String step) throws Exception {
    return switch (step) {
      case "dial" -> call.dial();
      case "silence" -> call.silence();
      case "record" -> call.record(RECORDING, 17);
      case "voicemail" -> call.send(call.action("Record"), voicemail(call));
      case "completed" -> call.completed();
      default -> step.startsWith("dial:") ? call.dialEnded(step.substring(5)) : call.press(step);
    };
  }

  static Map<String, String> voicemail(TestCall call) {
    Map<String, String> f = call.fields("in-progress");
    f.put("RecordingUrl", RECORDING);
    f.put("RecordingDuration", "31");
    f.put("Digits", "#");
    return f;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void callMatchesItsTwimlSnapshot(String name, String from, List<String> script) throws Exception {
    TestCall call = hotline.call(from);
    StringBuilder transcript = new StringBuilder("# " + name + ": a call from a " + (from.startsWith("+880") ? "Bangladeshi" : "UK")
        + " number, the TwiML of every answer. Regenerate with -Dsathi.regenerate=true.\n");
    for (String step : script) {
      Twiml t = act(call, step);
      assertThat(t.status()).as("%s: %s", step, t.body()).isEqualTo(200);
      TwimlRules.check(t.body());
      transcript.append("\n> ").append(step).append('\n').append(t.pretty());
    }
    Path file = GOLDEN.resolve(name + ".txt");
    if (REGENERATE || !Files.exists(file)) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, transcript.toString(), StandardCharsets.UTF_8);
      assertThat(REGENERATE).as("no snapshot existed; wrote " + file + ": read it, commit it").isTrue();
    }
    assertThat(transcript.toString()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  List<JsonNode> inbox() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String e : store.events()) out.add(JSON.readTree(e));
    return out;
  }

  /** Walks the report to its first free-text question (place), in English. */
  TestCall toPlace(String from) throws Exception {
    TestCall call = hotline.call(from);
    call.dial();
    for (String d : List.of("1", "2", "5", "2", "14", "2")) call.press(d);
    assertThat(call.last().first("Record")).as("the place question records").isNotNull();
    return call;
  }

  @Test
  void aBengaliCallReachesARecordedReportAndHearsItsCode() throws Exception {
    TestCall call = hotline.call(BD);
    Twiml first = call.dial();
    assertThat(first.heard().get(0)).startsWith("[bn-IN] সাথী");
    for (String d : List.of("1", "2", "1", "2", "12")) call.press(d);
    Twiml areas = call.press("2");
    assertThat(areas.first("Gather").getAttribute("numDigits")).as("the divisions, by one key").isEqualTo("1");
    assertThat(areas.heard()).as("Bangladesh's divisions, said in Bengali").contains("[bn-IN] খুলনা: 4 চাপুন।", "[bn-IN] অন্য বা জানি না: 9 চাপুন।");
    assertThat(call.press("4").first("Record")).as("then the place, recorded").isNotNull();
    call.record(RECORDING, 9);
    Twiml details = call.last();
    assertThat(details.first("Record").getAttribute("finishOnKey")).isEqualTo("#");
    call.record(RECORDING + "B", 40);
    Twiml done = call.press("2");
    assertThat(done.text()).contains("T E S T, 0 0 0 1");
    assertThat(done.first("Hangup")).isNotNull();
    JsonNode report = inbox().get(0);
    assertThat(report.path("type").asText()).isEqualTo("report");
    assertThat(report.path("channel").asText()).isEqualTo("voice");
    assertThat(report.path("language").asText()).isEqualTo("bn");
    assertThat(report.path("reference").asText()).isEqualTo("TEST-0001");
    assertThat(report.path("answers").path("place").asText()).isEqualTo(RECORDING);
    assertThat(report.path("answers").path("area").asText()).as("Khulna division").isEqualTo("BD-D");
    assertThat(report.path("answers").path("details").asText()).isEqualTo(RECORDING + "B");
    assertThat(report.path("answers").path("details.seconds").asText()).isEqualTo("40");
    assertThat(report.toString()).doesNotContain(BD).doesNotContain(BD.substring(1));
  }

  @Test
  void talkToSomeoneDialsTheOnCallOfficerWithTheHotlinesCallerId() throws Exception {
    TestCall call = hotline.call(BD);
    call.dial();
    Twiml t = call.press("3");
    Element dial = t.first("Dial");
    assertThat(dial).as(t.body()).isNotNull();
    assertThat(dial.getAttribute("callerId")).isEqualTo(TestHotline.HOTLINE);
    assertThat(dial.getTextContent()).isEqualTo(RAHIM);
    // What is left of the longest call (30 minutes), less the second or two this call has lasted.
    assertThat(Integer.parseInt(dial.getAttribute("timeLimit"))).isBetween(30 * 60 - 5, 30 * 60);
    assertThat(t.body()).doesNotContain(BD);
    assertThat(inbox()).extracting(e -> e.path("type").asText()).containsExactly("handoff");
  }

  @Test
  void anUnansweredHandoffStillTakesAVoicemailIntoItsOwnReport() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    call.press("3");
    Twiml asked = call.dialEnded("no-answer");
    assertThat(asked.text()).contains("no one could answer").contains("If we may call you back on this number, press 1. If not, press 2.");
    Twiml offer = call.press("2");
    assertThat(offer.first("Record")).isNotNull();
    assertThat(offer.text()).contains("Your code is").contains("To leave a message, speak after the beep.");
    Twiml done = call.send(call.action("Record"), voicemail(call));
    assertThat(done.text()).contains("We have your message");
    List<JsonNode> inbox = inbox();
    JsonNode vm = inbox.get(inbox.size() - 1);
    assertThat(vm.path("urgent").asText()).isEqualTo("voicemail");
    assertThat(vm.path("answers").path("details").asText()).isEqualTo(RECORDING);
    // Not a report of its own: the hand-off's, whose code the caller heard.
    assertThat(vm.path("type").asText()).isEqualTo("handoff");
    assertThat(vm.path("missed").asBoolean()).isTrue();
    assertThat(offer.text()).contains("Your code is " + spelled(vm.path("reference").asText()));
  }

  /** A code as a call says it: ABCD-EFGH is "A B C D, E F G H". */
  static String spelled(String code) {
    return String.join(" ", code.substring(0, 4).split("")) + ", " + String.join(" ", code.substring(5).split(""));
  }

  @Test
  void aReportOfDangerNowIsPutThroughToTheOfficerAfterTheCode() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    for (String d : List.of("1", "2", "1", "1", "9", "2")) call.press(d);
    call.record(RECORDING, 5);
    call.record(RECORDING, 20);
    Twiml t = call.press("2");
    assertThat(t.text()).contains("Your code is T E S T, 0 0 0 1").contains("calling a person");
    assertThat(t.first("Dial").getTextContent()).isEqualTo(RAHIM);
  }

  @Test
  void hangingUpWhileRecordingKeepsTheRecordingInTheReport() throws Exception {
    TestCall call = toPlace(UK);
    call.record(RECORDING, 6);
    Twiml t = call.hangUpWhileRecording(RECORDING + "D", 33);
    assertThat(t.first("Hangup")).isNotNull();
    List<JsonNode> inbox = inbox();
    assertThat(inbox).hasSize(1);
    JsonNode answers = inbox.get(0).path("answers");
    assertThat(answers.path("details").asText()).isEqualTo(RECORDING + "D");
    assertThat(answers.path("place").asText()).isEqualTo(RECORDING);
    assertThat(answers.path("ended").asText()).isEqualTo("hangup");
    assertThat(answers.path("who").asText()).isEqualTo("child");
    // The call's end, reported after, files nothing twice.
    call.completed();
    assertThat(inbox()).hasSize(1);
  }

  @Test
  void aCallThatEndsMidReportStillFilesTheAnswersGiven() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    call.press("1");
    call.press("3");
    call.completed();
    List<JsonNode> inbox = inbox();
    assertThat(inbox).hasSize(1);
    assertThat(inbox.get(0).path("answers").path("who").asText()).isEqualTo("children");
    assertThat(inbox.get(0).path("answers").path("ended").asText()).isEqualTo("hangup");
    // And the conversation is gone: a late webhook of that call starts over at the main menu.
    assertThat(call.press("1").heard().get(0)).isEqualTo("[en-IN] Sathi.");
  }

  @Test
  void silenceRepeatsTwiceThenPutsTheCallerThroughToAPerson() throws Exception {
    TestCall call = hotline.call(UK);
    Twiml menu = call.dial();
    Twiml once = call.silence();
    Twiml twice = call.silence();
    assertThat(once.heard()).isEqualTo(menu.heard());
    assertThat(twice.heard()).isEqualTo(menu.heard());
    Twiml third = call.silence();
    assertThat(third.first("Dial")).as(third.body()).isNotNull();
  }

  @Test
  void anInvalidKeySaysSoAndAsksAgain() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    Twiml t = call.press("9");
    assertThat(t.heard().get(0)).isEqualTo("[en-IN] Sorry, that is not one of the choices.");
    assertThat(t.first("Gather").getAttribute("numDigits")).isEqualTo("1");
    assertThat(t.text()).contains("For Report a concern, press 1.");
  }

  @Test
  void aRetriedWebhookGetsTheSameTwimlAndChangesNothingTwice() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    for (String d : List.of("1", "2", "5", "2", "14", "2")) call.press(d);
    call.record(RECORDING, 4);
    call.record(RECORDING, 12);
    String url = call.action("Gather");
    Map<String, String> f = call.fields("in-progress");
    f.put("Digits", "2");
    Twiml first = call.resend(url, f);
    Twiml again = call.resend(url, f);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(inbox()).hasSize(1);
  }

  @Test
  void aWrongSignatureIs403AndChangesNothing() throws Exception {
    TestCall call = hotline.call(UK);
    String before = store.dump();
    Twiml t = call.post(TestPhone.PUBLIC_URL + "/twilio/voice", call.fields("ringing"), "bm90LWEtc2lnbmF0dXJl");
    assertThat(t.status()).isEqualTo(403);
    assertThat(store.dump()).isEqualTo(before);
  }

  @Test
  void anActionUrlWithoutItsStepIsRefused() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    Map<String, String> f = call.fields("in-progress");
    f.put("Digits", "1");
    Twiml t = call.send(TestPhone.PUBLIC_URL + "/twilio/voice/gather", f);
    assertThat(t.status()).isEqualTo(400);
    assertThat(t.body()).contains("'v'");
  }

  @Test
  void aCallPastTheLongestAllowedIsEndedPolitely() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    String url = call.action("Gather").replaceAll("s=\\d+", "s=" + (MIDDAY_DHAKA.instant().getEpochSecond() - 31 * 60));
    Map<String, String> f = call.fields("in-progress");
    f.put("Digits", "1");
    Twiml t = call.send(url, f);
    assertThat(t.text()).contains("We have to end this call now").contains("9 9 9");
    assertThat(t.first("Hangup")).isNotNull();
  }

  @Test
  void followUpOnACallSaysToTextTheCodeAndGoesOnToTheMenu() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    Twiml t = call.press("5");
    assertThat(t.heard().get(0)).contains("send a text message with your code");
    assertThat(t.first("Gather")).isNotNull();
    assertThat(t.text()).contains("For Report a concern, press 1.");
  }

  @Test
  void aRetriedVoicemailAfterTheCallEndedFilesOneReport() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    call.press("3");
    call.dialEnded("busy");
    call.press("2");
    String url = call.action("Record");
    Twiml first = call.send(url, voicemail(call));
    call.completed();
    Twiml again = call.send(url, voicemail(call));
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(inbox().stream().filter(e -> "voicemail".equals(e.path("urgent").asText()))).hasSize(1);
  }

  @Test
  void tooManyKeysAreAWrongAnswerNotTheEndOfTheCall() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    for (String d : List.of("1", "2", "5", "2")) call.press(d);
    Twiml t = call.press("1".repeat(30));
    assertThat(t.first("Hangup")).isNull();
    assertThat(t.heard().get(0)).isEqualTo("[en-IN] Please press a number from 0 to 120, then hash.");
  }

  @Test
  void aStatusBeforeTheEndChangesNothingAndTheEndStillFiles() throws Exception {
    TestCall call = hotline.call(UK);
    call.dial();
    call.press("1");
    call.press("3");
    call.send(TestPhone.PUBLIC_URL + "/twilio/voice/status", call.fields("in-progress"));
    assertThat(inbox()).isEmpty();
    call.completed();
    assertThat(inbox()).hasSize(1);
  }

  @Test
  void withoutAHotlineNumberToShowTheCallerIsAskedAboutACallBackInsteadOfADial() throws Exception {
    TestCall call = new TestCall(hotline.server.port(), UK, "client:web");
    call.dial();
    Twiml t = call.press("3");
    assertThat(t.first("Dial")).isNull();
    assertThat(t.text()).contains("If we may call you back on this number, press 1.");
    assertThat(inbox()).extracting(e -> e.path("type").asText()).containsExactly("handoff", "handoff");
    assertThat(t.body()).doesNotContain(UK);
  }

  @Test
  void theOfficerMustPressOneSoThatTheirVoicemailIsNeverPutThroughToTheCaller() throws Exception {
    TestCall call = hotline.call(BD);
    call.dial();
    Twiml dial = call.press("3");
    String dialAction = call.action("Dial");
    Element number = (Element) dial.first("Dial").getElementsByTagName("Number").item(0);
    assertThat(number.getAttribute("url")).isEqualTo(TestPhone.PUBLIC_URL + "/twilio/voice/screen");
    // Twilio runs the screen on the officer's leg once they answer.
    Map<String, String> leg = new java.util.LinkedHashMap<>();
    leg.put("CallSid", "CA" + "1".repeat(32));
    leg.put("ParentCallSid", call.sid());
    leg.put("From", TestHotline.HOTLINE);
    leg.put("To", RAHIM);
    leg.put("CallStatus", "in-progress");
    Twiml screen = call.post(TestPhone.PUBLIC_URL + "/twilio/voice/screen", leg,
        new org.sathi.channel.twilio.Signature(TestPhone.AUTH_TOKEN).sign(TestPhone.PUBLIC_URL + "/twilio/voice/screen", leg));
    assertThat(screen.text()).isEqualTo("[en-IN] Sathi hotline. A caller needs to talk to someone. Press 1 to take the call.");
    assertThat(screen.first("Gather").getAttribute("numDigits")).isEqualTo("1");
    assertThat(screen.first("Hangup")).as("no key (a voicemail box): the officer's side hangs up").isNotNull();
    assertThat(screen.body()).doesNotContain(BD);
    leg.put("Digits", "1");
    Twiml taken = call.post(TestPhone.PUBLIC_URL + "/twilio/voice/screened", leg,
        new org.sathi.channel.twilio.Signature(TestPhone.AUTH_TOKEN).sign(TestPhone.PUBLIC_URL + "/twilio/voice/screened", leg));
    assertThat(taken.body()).contains("<Response/>");
    leg.put("Digits", "");
    Twiml refused = call.post(TestPhone.PUBLIC_URL + "/twilio/voice/screened", leg,
        new org.sathi.channel.twilio.Signature(TestPhone.AUTH_TOKEN).sign(TestPhone.PUBLIC_URL + "/twilio/voice/screened", leg));
    assertThat(refused.body()).contains("<Hangup/>");
    // Back on the caller's side: completed but never bridged means nobody took it.
    Map<String, String> f = call.fields("in-progress");
    f.put("DialCallStatus", "completed");
    f.put("DialBridged", "false");
    Twiml offer = call.send(dialAction, f);
    assertThat(offer.first("Gather")).as(offer.body()).isNotNull();
    assertThat(offer.body()).contains("/twilio/voice/missed?");
  }

  @Test
  void anUnsignedScreenIsRefused() throws Exception {
    TestCall call = hotline.call(UK);
    Twiml t = call.post(TestPhone.PUBLIC_URL + "/twilio/voice/screen", call.fields("in-progress"), "bm90LXNpZ25lZA==");
    assertThat(t.status()).isEqualTo(403);
  }
}
