package org.sathi.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.sathi.console.ConsoleEvents;
import org.sathi.console.ConsoleStores;
import org.sathi.console.Officer;
import org.sathi.console.Referrals;
import org.sathi.duty.MemoryDutyInbox;
import org.sathi.channel.twilio.TwilioPager;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Backends;
import org.sathi.server.Config;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.Chromium;
import static org.sathi.testing.Chromium.click;
import static org.sathi.testing.Chromium.shown;
import static org.sathi.testing.Chromium.waitFor;
import org.sathi.testing.TestHotline;
import org.sathi.channel.twilio.TwilioOutbound;

/**
 * The phone simulator in headless Chromium, wired as {@code ./sathi demo} wires it: a report texted
 * from the simulated phone, a call with a recorded report (the sample clip), both on the console's
 * queue; a call for a person rings the on-call officer's simulated phone, who answers and presses 1;
 * the officer's page arrives on their phone. Screenshots go to target/screenshots/.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SimulatorBrowserIT {
  static final String ACCOUNT = "AC" + "de".repeat(16);
  static final String TOKEN = "demo-auth-token";
  static final String PASSWORD = "mango-monsoon-ferry-17";

  Vertx vertx;
  String base;
  final List<WebDriver> browsers = new ArrayList<>();

  @BeforeEach
  void demo() throws Exception {
    vertx = Vertx.vertx();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://localhost:" + port;
    Config config = TestHotline.config().withPort(port).withPublicUrl(base).withTwilio(ACCOUNT, TOKEN).withSimulator(true)
        .withTwilioApi(base + SimulatedTwilio.BASE_PATH, TwilioPlayer.DEFAULT_HOTLINE)
        .withChannels(List.of(new org.sathi.channel.Channels.Twilio("sms", List.of(), 1), SimulatorTest.DEMO_USSD, // as ./sathi demo: *123#
            SimulatorTest.DEMO_WHATSAPP)); // and WhatsApp on the hotline's number
    TwilioOutbound outbound = new TwilioOutbound(ACCOUNT, TOKEN, config.twilio().apiBase(), TwilioPlayer.DEFAULT_HOTLINE, vertx, Duration.ofSeconds(5), 1);
    MemorySessionStore store = new MemorySessionStore(config.session().times(), TestHotline.codec(), Clock.systemUTC());
    Backends backends = new Backends(store, new MemoryReportStore(), new MemoryDutyInbox(store::events, Clock.systemUTC()), TwilioPager.of(outbound),
        TestHotline.roster(), TestHotline.triager(), TestHotline.crosswalk()::map, org.sathi.session.Durability.none(),
        ConsoleStores.memory(Clock.systemUTC()), ConsoleEvents.memory(), outbound::sendSms, Referrals.none());
    TestHotline.deploy(vertx, backends, TestHotline.newMetrics(), ReferenceCode::next, Clock.systemUTC(), config);
    backends.console().accounts().add("rahim", Officer.Role.OFFICER, PASSWORD).await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    for (WebDriver b : browsers) b.quit();
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  WebDriver browser(int width, int height) throws Exception {
    WebDriver b = Chromium.start(width, height);
    browsers.add(b);
    return b;
  }



  static String text(WebDriver b, String id) {
    return b.findElement(By.id(id)).getText();
  }

  /** Types {@code text} into the box and presses its Send button. */
  static void send(WebDriver b, String box, String button, String text) {
    WebElement field = shown(b, box);
    field.clear();
    field.sendKeys(text);
    click(b, button);
  }

  /** Texts the hotline from the simulated phone and waits for the reply to show in the thread. */
  static void sms(WebDriver b, String message) {
    int before = b.findElements(By.cssSelector("#thread li.msg.in")).size();
    send(b, "#sms-text", "#sms-send", message);
    waitFor(b, "a reply to '" + message + "'", () -> b.findElements(By.cssSelector("#thread li.msg.in")).size() > before);
  }

  /** Presses keys on the phone's keypad, then waits for the call to say something new. */
  static void press(WebDriver b, String keys) {
    int before = b.findElements(By.cssSelector("#heard li")).size();
    for (char k : keys.toCharArray()) click(b, "button.key[data-key='" + k + "']");
    waitFor(b, "the call answers " + keys, () -> b.findElements(By.cssSelector("#heard li")).size() > before);
  }

  static String code(String text) {
    var m = java.util.regex.Pattern.compile("([A-Z0-9]{4})-([A-Z0-9]{4})|([A-Z0-9]) ([A-Z0-9]) ([A-Z0-9]) ([A-Z0-9]), ([A-Z0-9]) ([A-Z0-9]) ([A-Z0-9]) ([A-Z0-9])")
        .matcher(text);
    assertThat(m.find()).as(text).isTrue();
    if (m.group(1) != null) return m.group(1) + "-" + m.group(2);
    return m.group(3) + m.group(4) + m.group(5) + m.group(6) + "-" + m.group(7) + m.group(8) + m.group(9) + m.group(10);
  }

  @Test
  void theSimulatorTextsAndCallsInAReportThatTheConsoleShows() throws Exception {
    WebDriver phone = browser(1280, 900);
    phone.get(base + "/simulator/?phone=%2B8801700000001&mute=1"); // a Bangladeshi phone: Bengali
    click(phone, "#mode-sms");
    for (String m : List.of("hi", "1", "2", "1", "1", "12", "2", "4", "Khulna ghat", "They keep him locked in the kiln", "2")) sms(phone, m);
    String texted = code(text(phone, "thread"));
    Chromium.screenshot(phone, "simulator-sms");

    phone.get(base + "/simulator/?phone=%2B447700900123&mute=1"); // a UK phone: English
    click(phone, "#mode-call");
    click(phone, "#call-start");
    waitFor(phone, "the call is answered", () -> text(phone, "heard").contains("Sathi."));
    for (String keys : List.of("1", "2", "1", "2", "14#", "2")) press(phone, keys);
    click(phone, "#record-sample"); // where is this?
    waitFor(phone, "the second question", () -> phone.findElement(By.id("record-panel")).isDisplayed()
        && phone.findElements(By.cssSelector("#heard li")).size() > 0);
    Thread.sleep(500);
    click(phone, "#record-sample"); // what is happening?
    waitFor(phone, "the call-back question", () -> text(phone, "heard").toLowerCase(java.util.Locale.ROOT).contains("press 2"));
    press(phone, "2");
    waitFor(phone, "the call says the code", () -> text(phone, "heard").contains("code"));
    Chromium.screenshot(phone, "simulator-call");
    String called = code(text(phone, "heard").substring(text(phone, "heard").lastIndexOf("code")));
    click(phone, "#call-end");

    WebDriver console = browser(1280, 800);
    console.get(base + "/console/");
    shown(console, "#username").sendKeys("rahim");
    console.findElement(By.id("password")).sendKeys(PASSWORD);
    click(console, "#login-button");
    shown(console, "#queue li.report[data-reference='" + texted + "']");
    shown(console, "#queue li.report[data-reference='" + called + "']");
    click(console, "#queue li.report[data-reference='" + called + "'] button.report-open");
    WebElement audio = shown(console, "#report audio.recording");
    assertThat(audio.getAttribute("src")).contains("/api/reports/" + called + "/recording/");

    // The officer answers the texted report; the reply arrives on the reporter's simulated phone, from the hotline's number.
    click(console, "#queue li.report[data-reference='" + texted + "'] button.report-open");
    waitFor(console, "the texted report is open", () -> texted.equals(console.findElement(By.id("report")).getAttribute("data-reference")));
    click(console, "#claim");
    String words = "We read your message. Are you safe now?";
    shown(console, "#reply-text").sendKeys(words);
    waitFor(console, "the reply can be sent", () -> console.findElement(By.id("reply-send")).isEnabled());
    click(console, "#reply-send");
    waitFor(phone, "the reply is announced on the page", () -> text(phone, "notices").contains("Bangladesh"));
    new org.openqa.selenium.support.ui.Select(shown(phone, "#phone-select")).selectByValue("+8801700000001");
    click(phone, "#mode-sms");
    waitFor(phone, "the reply is in the reporter's thread", () -> text(phone, "thread").contains(words));
  }

  /** Types an answer in the USSD pop-up and waits for the next screen. */
  static void answerUssd(WebDriver b, String input, String expected) {
    send(b, "#ussd-input", "#ussd-send", input);
    waitFor(b, "the screen after '" + input + "'", () -> text(b, "ussd-screen").contains(expected));
  }

  @Test
  void theUssdPhoneDialsTheCodeAndACancelledReportIsOfferedToContinue() throws Exception {
    WebDriver b = browser(1280, 900);
    b.get(base + "/simulator/?phone=%2B8801700000001&mute=1"); // a Bangladeshi phone: Bengali
    click(b, "#mode-ussd");
    assertThat(text(b, "ussd-dial")).isEqualTo("Dial *123#");
    click(b, "#ussd-dial");
    waitFor(b, "the main menu screen", () -> text(b, "ussd-screen").contains("সাথী। নম্বর লিখুন:"));
    assertThat(text(b, "ussd-screen")).contains("1. সমস্যা জানান", "98. আরও").doesNotContain("CON");
    Chromium.screenshot(b, "simulator-ussd");
    answerUssd(b, "98", "0. ভাষা/Language");
    answerUssd(b, "1", "আপনি কাকে নিয়ে চিন্তিত?");
    answerUssd(b, "2", "কী হচ্ছে?");
    click(b, "#ussd-cancel"); // the gateway drops the session
    waitFor(b, "the pop-up closes", () -> !b.findElement(By.id("ussd-box")).isDisplayed());
    assertThat(text(b, "ussd-status")).contains("10 minutes");
    click(b, "#ussd-dial");
    waitFor(b, "the offer to continue", () -> text(b, "ussd-screen").contains("1. চালিয়ে যান"));
    answerUssd(b, "1", "কী হচ্ছে?");
    answerUssd(b, "exit", ""); // the quick exit: END
    waitFor(b, "the session is over", () -> "OK".equals(text(b, "ussd-cancel")) && !b.findElement(By.id("ussd-input")).isDisplayed());
    click(b, "#ussd-cancel");
    waitFor(b, "the pop-up closes", () -> !b.findElement(By.id("ussd-box")).isDisplayed());

    new org.openqa.selenium.support.ui.Select(shown(b, "#phone-select")).selectByValue(TestHotline.roster().officers().values().iterator().next()
        .phone());
    assertThat(b.findElement(By.id("mode-ussd")).isDisplayed()).as("an officer's phone has no USSD tab").isFalse();
  }

  /** Writes on the WhatsApp tab and waits for the bubble of Sathi's reply that holds {@code expected}. */
  static void whatsApp(WebDriver b, String message, String expected) {
    send(b, "#wa-text", "#wa-send", message);
    waitFor(b, "a WhatsApp reply to '" + message + "'", () -> b.findElements(By.cssSelector("#chat li.msg.in")).stream()
        .anyMatch(m -> m.getText().contains(expected)));
  }

  @Test
  void theWhatsAppChatShowsTheBengaliMenuAsTheNumberAndAsTheUserId() throws Exception {
    WebDriver b = browser(1280, 900);
    b.get(base + "/simulator/?phone=%2B8801700000001&mute=1"); // a Bangladeshi phone: Bengali
    click(b, "#mode-whatsapp");
    assertThat(text(b, "chat-empty")).contains("No WhatsApp messages yet");
    whatsApp(b, "হ্যালো", "সাথী। নম্বর লিখুন:");
    assertThat(text(b, "chat")).contains("1. সমস্যা জানান", "0. ভাষা/Language");
    assertThat(text(b, "thread")).as("the SMS thread is another conversation").isEmpty();
    click(b, "#wa-as-user");
    whatsApp(b, "হ্যালো", "সাথী। নম্বর লিখুন:");
    whatsApp(b, "4", "জরুরি: 999");
    assertThat(b.findElements(By.cssSelector("#chat li.msg.out")).getLast().getText()).contains("sent as BD.8801700000001");
    Chromium.screenshot(b, "simulator-whatsapp");

    new org.openqa.selenium.support.ui.Select(shown(b, "#phone-select")).selectByValue(TestHotline.roster().officers().values().iterator().next()
        .phone());
    assertThat(b.findElement(By.id("mode-whatsapp")).isDisplayed()).as("an officer's phone has no WhatsApp tab").isFalse();
  }

  @Test
  void aCallForAPersonRingsTheOfficersSimulatedPhoneAndTheOfficerTakesIt() throws Exception {
    String onCall = TestHotline.roster().toPage(java.time.Instant.now(), 0).orElseThrow().phone();
    WebDriver b = browser(1280, 900);
    b.get(base + "/simulator/?phone=%2B447700900123&mute=1");
    click(b, "#mode-call");
    click(b, "#call-start");
    waitFor(b, "the call is answered", () -> text(b, "heard").contains("Sathi."));
    press(b, "3");
    shown(b, "#ring-notice");
    new org.openqa.selenium.support.ui.Select(shown(b, "#phone-select")).selectByValue(onCall);
    click(b, "#ring-answer");
    waitFor(b, "the officer hears the screen", () -> text(b, "heard").contains("Press 1"));
    click(b, "button.key[data-key='1']"); // the officer takes the call: nothing more is said
    waitFor(b, "connected", () -> text(b, "call-status").toLowerCase(java.util.Locale.ROOT).contains("connected"));
    Chromium.screenshot(b, "simulator-officer");
    click(b, "#call-end");
    // The hand-off was paged to the same phone: it is in its SMS thread.
    click(b, "#mode-sms");
    waitFor(b, "the page is on the officer's phone", () -> text(b, "thread").contains("asked for a person"));
  }
}
