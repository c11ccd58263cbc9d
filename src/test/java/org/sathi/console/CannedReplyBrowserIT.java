package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sathi.testing.Chromium.click;
import static org.sathi.testing.Chromium.shown;
import static org.sathi.testing.Chromium.waitFor;

import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.sathi.channel.twilio.TwilioOutbound;
import org.sathi.channel.twilio.TwilioPager;
import org.sathi.duty.MemoryDutyInbox;
import org.sathi.i18n.Language;
import org.sathi.report.MemoryReportStore;
import org.sathi.server.Backends;
import org.sathi.server.Config;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.Chromium;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;
import org.sathi.testing.TwilioStandIn;

/**
 * A prepared reply in a real browser (headless Chromium): an officer whose console is in English
 * picks "Are you safe to talk now?" by its English meaning for a Bengali reporter, sees the Bengali
 * text and its SMS cost before sending, and the Bengali text reaches the reporter's phone (WireMock
 * standing in for Twilio, on this machine). Nothing the page loads or sends leaves the machine.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CannedReplyBrowserIT {
  static final String ACCOUNT = ConsoleBrowserIT.ACCOUNT;
  static final String REPORTER = ConsoleBrowserIT.REPORTER;
  static final String PASSWORD = ConsoleBrowserIT.RAHIM;
  static final String MEANING = "Are you safe to talk now? (They answer 1 for yes, 2 for no.)";
  static final String BENGALI = "এখন কি নিরাপদে কথা বলতে পারবেন? হ্যাঁ হলে 1, না হলে 2 লিখুন।";

  Vertx vertx;
  TwilioStandIn twilio;
  TestHotline hotline;
  WebDriver browser;

  /** One Sathi as the demo runs it, in memory, with the shipped prepared replies; Twilio is WireMock on 127.0.0.1. */
  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    twilio = new TwilioStandIn(ACCOUNT);
    Config config = TestHotline.config().withTwilio(ACCOUNT, TestPhone.AUTH_TOKEN).withTwilioApi(twilio.baseUrl(), TestHotline.HOTLINE);
    List<String> languages = TestHotline.shippedFlows(config).languages().enabled().stream().map(Language::code).toList();
    CannedReplies.Loaded replies = CannedReplies.load(Path.of("config/replies.yaml"), languages, "en", CannedReplies.MAX_SEGMENTS);
    assertThat(replies.problems()).isEmpty();
    TwilioOutbound outbound = new TwilioOutbound(ACCOUNT, TestPhone.AUTH_TOKEN, twilio.baseUrl(), TestHotline.HOTLINE, vertx, Duration.ofSeconds(5), 3);
    MemorySessionStore store = new MemorySessionStore(config.session().times(), TestHotline.codec(), Clock.systemUTC());
    Backends backends = new Backends(store, new MemoryReportStore(), new MemoryDutyInbox(store::events, Clock.systemUTC()), TwilioPager.of(outbound),
        TestHotline.roster(), TestHotline.triager(), TestHotline.crosswalk()::map, org.sathi.session.Durability.none(),
        ConsoleStores.memory(Clock.systemUTC()), ConsoleEvents.memory(), outbound::sendSms, Referrals.none(), replies.replies());
    hotline = TestHotline.deploy(vertx, backends, TestHotline.newMetrics(), org.sathi.report.ReferenceCode::next, Clock.systemUTC(), config);
    backends.console().accounts().add("rahim", Officer.Role.OFFICER, PASSWORD).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) browser.quit();
    vertx.close().await(20, TimeUnit.SECONDS);
    twilio.close();
  }

  /** Every URL the page has loaded or fetched since it opened (navigation, modules, styles, API calls). */
  @SuppressWarnings("unchecked")
  static List<String> requested(WebDriver b) {
    return (List<String>) ((JavascriptExecutor) b).executeScript(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map(e => e.name);");
  }

  /** What Twilio was asked to send the reporter (the on-call officer's page goes through it too). */
  List<Map<String, String>> toReporter() {
    return twilio.messages().stream().filter(t -> REPORTER.equals(t.get("To"))).toList();
  }

  @Test
  void anEnglishConsoleSendsAPreparedReplyInBengaliAndTheBengaliTextReachesThePhone() throws Exception {
    String base = "http://localhost:" + hotline.server.port();
    TestPhone phone = hotline.phone(REPORTER); // +880: the flows answer in Bengali
    String ref = ConsoleBrowserIT.textReport(phone, "Khulna ghat", "They keep him locked in at night");

    browser = Chromium.start(1280, 1000);
    WebDriver b = browser;
    ConsoleBrowserIT.logIn(b, base, "rahim", PASSWORD);
    ((JavascriptExecutor) b).executeScript("performance.setResourceTimingBufferSize(10000);");
    assertThat(((JavascriptExecutor) b).executeScript("return document.documentElement.lang")).as("the console is in English").isEqualTo("en");
    click(b, "#queue li.report[data-reference='" + ref + "'] button.report-open");
    waitFor(b, "the report is open", () -> ref.equals(b.findElement(By.id("report")).getAttribute("data-reference")));
    assertThat(b.findElement(By.id("report-meta")).getText()).contains("(বাংলা)");
    click(b, "#claim");

    // The picker lists the replies by their English meanings, and shows nothing until one is chosen.
    WebElement choice = shown(b, "#canned-choice");
    waitFor(b, "the prepared replies are listed", () -> new Select(choice).getOptions().size() == 9);
    List<String> meanings = new Select(choice).getOptions().stream().map(WebElement::getText).toList();
    assertThat(meanings).contains(MEANING, "If someone may read your phone, delete these messages.")
        .noneMatch(m -> m.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.BENGALI));
    assertThat(b.findElement(By.id("canned-preview")).isDisplayed()).isFalse();

    // Chosen: the Bengali text the reporter will get, and what it costs, before anything is sent.
    new Select(choice).selectByVisibleText(MEANING);
    assertThat(shown(b, "#canned-text").getText()).isEqualTo(BENGALI);
    assertThat(b.findElement(By.id("canned-text")).getAttribute("lang")).isEqualTo("bn");
    assertThat(b.findElement(By.id("canned-language")).getText()).isEqualTo("The reporter will get, in Bangla (বাংলা):");
    assertThat(b.findElement(By.id("canned-cost")).getText()).isEqualTo("Cost: 1 SMS (" + BENGALI.length() + " characters, UCS-2).");
    assertThat(toReporter()).as("nothing is sent by choosing").isEmpty();
    Chromium.screenshot(b, "console-prepared-reply");

    click(b, "#canned-send");
    waitFor(b, "Twilio got the Bengali reply", () -> twilio.messages().stream().anyMatch(t -> BENGALI.equals(t.get("Body"))));
    Map<String, String> sent = twilio.messages().stream().filter(t -> BENGALI.equals(t.get("Body"))).findFirst().orElseThrow();
    assertThat(sent).containsEntry("To", REPORTER).containsEntry("From", TestHotline.HOTLINE);
    assertThat(toReporter()).hasSize(1);
    waitFor(b, "the officer is told it went", () -> b.findElement(By.id("report-notice")).getText().equals("Prepared reply sent (1 SMS)."));
    waitFor(b, "the timeline says which reply went", () -> b.findElement(By.id("timeline")).getText()
        .contains("Prepared reply safe-to-talk (" + MEANING + "): " + BENGALI));
    assertThat(b.findElement(By.id("canned-preview")).isDisplayed()).as("the picker is ready for the next one").isFalse();

    // The reporter answers with a digit, which any officer can read: it comes into the same report.
    phone.text("1");
    waitFor(b, "the reporter's answer is on the timeline", () -> b.findElements(By.cssSelector("#timeline li")).stream()
        .anyMatch(li -> li.findElement(By.cssSelector(".entry-kind")).getText().equals("reporter added")
            && li.findElements(By.cssSelector(".entry-text")).stream().anyMatch(t -> t.getText().equals("1"))));

    // Nothing left the machine: the page loaded and called only its own server, and the SMS went to the Twilio stand-in here.
    List<String> urls = requested(b);
    assertThat(urls).isNotEmpty().anyMatch(u -> u.contains("/api/reports/" + ref + "/replies")).allSatisfy(u -> assertThat(u).startsWith(base + "/"));
    assertThat(java.net.InetAddress.getByName(URI.create(twilio.baseUrl()).getHost()).isLoopbackAddress()).as(twilio.baseUrl()).isTrue();
    assertThat(java.net.InetAddress.getByName(URI.create(hotline.config.twilio().apiBase()).getHost()).isLoopbackAddress())
        .as("the server's only outbound API (TWILIO_API_BASE) is on this machine").isTrue();
    assertThat(b.getPageSource()).as("the reporter's number never reaches the page").doesNotContain(REPORTER.substring(4));
  }
}
