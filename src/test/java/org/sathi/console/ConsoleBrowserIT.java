package org.sathi.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.sathi.duty.RedisDutyInbox;
import org.sathi.channel.twilio.TwilioPager;
import org.sathi.report.RedisReportStore;
import org.sathi.server.Backends;
import org.sathi.server.Config;
import org.sathi.redis.RedisConnection;
import org.sathi.session.RedisSessionStore;
import org.sathi.testing.Chromium;
import static org.sathi.testing.Chromium.click;
import static org.sathi.testing.Chromium.shown;
import static org.sathi.testing.Chromium.waitFor;
import org.sathi.testing.RedisServerProcess;
import org.sathi.testing.TestCall;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;
import org.sathi.testing.TwilioStandIn;
import org.sathi.channel.twilio.TwilioOutbound;

/**
 * The duty-officer console in a real browser (headless Chromium), against two Sathi instances on
 * one real Redis, with WireMock standing in for Twilio: a report texted to one instance appears live
 * in a console served by the other; the officer claims it, texts the reporter (Twilio receives it),
 * sees the answer arrive, refers and closes it; a supervisor reads all of it in the audit log.
 * Reporter text that looks like HTML stays text. Screenshots go to target/screenshots/.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsoleBrowserIT {
  static final String ACCOUNT = "AC" + "0".repeat(31) + "7";
  static final String HOTLINE = TestHotline.HOTLINE;
  static final String REPORTER = "+8801719283746";
  static final String RAHIM = "mango-monsoon-ferry-17";
  static final String SULTANA = "river-delta-compass-88";
  static final String RECORDING = "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/RE" + "b".repeat(32);
  static final byte[] MP3 = "ID3 not really an mp3, but the bytes the officer must get".getBytes(StandardCharsets.US_ASCII);

  static RedisServerProcess redis;
  static TwilioStandIn twilio;
  static StatefulRedisConnection<String, String> check;
  final List<Vertx> instances = new ArrayList<>();
  final List<WebDriver> browsers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServerProcess.start();
    twilio = new TwilioStandIn(ACCOUNT);
    check = redis.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    check.close();
    twilio.close();
    redis.close();
  }

  @BeforeEach
  void empty() {
    check.sync().flushall();
    twilio.reset();
    twilio.server.stubFor(get(urlEqualTo(URI.create(RECORDING).getPath() + ".mp3")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "audio/mpeg").withBody(MP3)));
  }

  @AfterEach
  void close() throws Exception {
    for (WebDriver b : browsers) b.quit();
    for (Vertx v : instances) v.close().await(20, TimeUnit.SECONDS);
    browsers.clear();
    instances.clear();
  }

  /** One Sathi instance wired as serve wires it: Redis for everything, Twilio (WireMock) for pages, replies and recordings. */
  TestHotline instance() throws Exception {
    Vertx vertx = Vertx.vertx();
    instances.add(vertx);
    var metrics = TestHotline.newMetrics();
    Config config = TestHotline.config().withRedisUrl(redis.url()).withTwilio(ACCOUNT, TestPhone.AUTH_TOKEN).withTwilioApi(twilio.baseUrl(), HOTLINE);
    RedisConnection connection = new RedisConnection(vertx, config.redis().settings(), metrics);
    connection.start().await(10, TimeUnit.SECONDS);
    TwilioOutbound outbound = new TwilioOutbound(ACCOUNT, TestPhone.AUTH_TOKEN, twilio.baseUrl(), HOTLINE, vertx, Duration.ofSeconds(5), 3);
    Backends backends = new Backends(new RedisSessionStore(connection, config.session().times(), TestHotline.codec()),
        new RedisReportStore(connection), new RedisDutyInbox(connection), TwilioPager.of(outbound), TestHotline.roster(), TestHotline.triager(),
        TestHotline.crosswalk()::map, org.sathi.session.Durability.redis(connection, false), ConsoleStores.redis(connection, Clock.systemUTC()),
        ConsoleEvents.redis(connection), outbound::sendSms, Referrals.load(Path.of("config/referrals.yaml")).referrals());
    TestHotline hotline = TestHotline.deploy(vertx, backends, metrics, org.sathi.report.ReferenceCode::next, Clock.systemUTC(), config);
    backends.console().accounts().add("rahim", Officer.Role.OFFICER, RAHIM).await(30, TimeUnit.SECONDS);
    backends.console().accounts().add("sultana", Officer.Role.SUPERVISOR, SULTANA).await(30, TimeUnit.SECONDS);
    return hotline;
  }

  WebDriver browser(int width, int height) throws Exception {
    WebDriver b = Chromium.start(width, height);
    browsers.add(b);
    return b;
  }



  /** Picks how the report ended in the close form, once the outcomes have loaded. */
  static void chooseOutcome(WebDriver b, String id) {
    waitFor(b, "the outcomes are listed", () -> !b.findElements(By.cssSelector("#close-outcome option[value='" + id + "']")).isEmpty());
    new org.openqa.selenium.support.ui.Select(shown(b, "#close-outcome")).selectByValue(id);
  }

  static void logIn(WebDriver b, String base, String name, String password) {
    b.get(base + "/console/");
    shown(b, "#username").sendKeys(name);
    b.findElement(By.id("password")).sendKeys(password);
    b.findElement(By.id("login-button")).click();
    waitFor(b, "logged in as " + name, () -> b.findElement(By.id("whoami")).isDisplayed() && b.findElement(By.id("whoami")).getText().contains(name));
  }

  static String code(String reply) {
    var m = java.util.regex.Pattern.compile("[A-Z0-9]{4}-[A-Z0-9]{4}").matcher(reply);
    assertThat(m.find()).as(reply).isTrue();
    return m.group();
  }

  /** A P1 report texted by the reporter: child in forced work, in danger now, no call-back. Returns its code. */
  static String textReport(TestPhone phone, String place, String details) throws Exception {
    for (String m : List.of("hello", "1", "2", "1", "1", "12", "2", "4")) phone.text(m); // 4: Khulna division
    phone.text(place);
    phone.text(details);
    return code(phone.text("2"));
  }

  static List<Map<String, String>> texts() {
    return twilio.messages();
  }

  @Test
  void anOfficerSeesAP1ArriveLiveClaimsRepliesRefersAndClosesItAndTheSupervisorReadsItAll() throws Exception {
    TestHotline webhooks = instance();
    TestHotline console = instance();
    String base = "http://localhost:" + console.server.port();
    WebDriver b = browser(1280, 800);
    logIn(b, base, "rahim", RAHIM);
    shown(b, "#queue-panel");

    // The report reaches the other instance by signed SMS; the console shows it without a reload.
    TestPhone phone = webhooks.phone(REPORTER);
    String ref = textReport(phone, "Khulna ghat, the brick kiln", "They keep him locked in the kiln at night");
    String row = "#queue li.report[data-reference='" + ref + "']";
    assertThat(shown(b, row).getAttribute("data-priority")).isEqualTo("P1");
    assertThat(shown(b, "#alert").getText()).contains(ref);
    Chromium.screenshot(b, "console-queue");

    click(b, row + " button.report-open");
    waitFor(b, "the report is open", () -> ref.equals(b.findElement(By.id("report")).getAttribute("data-reference")));
    assertThat(b.findElement(By.id("answers")).getText()).contains("They keep him locked in the kiln at night").contains("Khulna ghat");
    click(b, "#claim");
    String words = "We read your message. Are you safe right now? You can reply here.";
    shown(b, "#reply-text").sendKeys(words);
    waitFor(b, "reply can be sent", () -> b.findElement(By.id("reply-send")).isEnabled());
    click(b, "#reply-send");
    waitFor(b, "Twilio got the reply", () -> texts().stream().anyMatch(t -> words.equals(t.get("Body"))));
    Map<String, String> sent = texts().stream().filter(t -> words.equals(t.get("Body"))).findFirst().orElseThrow();
    assertThat(sent).containsEntry("To", REPORTER).containsEntry("From", HOTLINE);

    // The reporter answers; it comes into the same report, live.
    assertThat(phone.text("Yes I am at the bus stand now")).isNotBlank();
    waitFor(b, "the reporter's answer is on the timeline", () -> b.findElement(By.id("timeline")).getText().contains("Yes I am at the bus stand now"));

    new Select(shown(b, "#refer-service")).selectByValue("shelter-dhaka");
    click(b, "#refer-send");
    waitFor(b, "the referral is on the timeline", () -> b.findElement(By.id("timeline")).getText().contains("Referred to"));
    click(b, "#alert-dismiss");
    b.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
    ((org.openqa.selenium.JavascriptExecutor) b).executeScript("document.getElementById('report').scrollTop = 0; window.scrollTo(0, 0);");
    Chromium.screenshot(b, "console-report");
    assertThat(b.getPageSource()).as("the reporter's number never reaches the page").doesNotContain("1719283746");

    // The same report on a phone's screen: the queue above, the report below.
    WebDriver small = browser(390, 844);
    logIn(small, base, "rahim", RAHIM);
    shown(small, row);
    Chromium.screenshot(small, "console-phone");

    chooseOutcome(b, "resolved");
    shown(b, "#close-note").sendKeys("Safe at the shelter; family told.");
    click(b, "#close-send");
    click(b, "#close-send"); // confirm
    waitFor(b, "the report is closed", () -> b.findElement(By.id("report-status")).getText().toLowerCase(java.util.Locale.ROOT).contains("closed"));
    waitFor(b, "the closed report leaves the queue", () -> b.findElements(By.cssSelector(row)).isEmpty());

    click(b, "#logout");
    logIn(b, base, "sultana", SULTANA);
    click(b, "#audit-open");
    WebElement log = shown(b, "#audit-log");
    waitFor(b, "the audit log lists the officer's work", () -> log.getText().contains("reply"));
    String audit = log.getText();
    for (String action : List.of("login", "view", "claim", "reply", "refer", "close", "logout")) {
      assertThat(audit).as(action).contains(action);
    }
    assertThat(audit).contains("rahim").contains(ref).doesNotContain("bus stand").doesNotContain("1719283746");
    Chromium.screenshot(b, "console-audit");
  }

  @Test
  void aClosedReportIsFoundAgainByItsCodeAndByItsLinkAndASupervisorReopensIt() throws Exception {
    TestHotline hotline = instance();
    String base = "http://localhost:" + hotline.server.port();
    String ref = textReport(hotline.phone(REPORTER), "Jessore, near the border", "She was taken across the border at night");
    WebDriver b = browser(1280, 900);
    logIn(b, base, "rahim", RAHIM);
    String row = "#queue li.report[data-reference='" + ref + "']";
    click(b, row + " button.report-open");
    waitFor(b, "the report is open", () -> ref.equals(b.findElement(By.id("report")).getAttribute("data-reference")));
    click(b, "#claim");
    chooseOutcome(b, "referred");
    shown(b, "#close-note").sendKeys("To the district office.");
    click(b, "#close-send");
    click(b, "#close-send"); // confirm
    waitFor(b, "the report is closed", () -> b.findElement(By.id("report-status")).getText().toLowerCase(java.util.Locale.ROOT).contains("closed"));
    waitFor(b, "the closed report leaves the open list", () -> b.findElements(By.cssSelector(row)).isEmpty());

    // Found again: in the closed list, and by its code typed without its dash, in lower case.
    new Select(shown(b, "#list-status")).selectByValue("closed");
    shown(b, row);
    assertThat(b.findElement(By.id("queue-title")).getText()).isEqualTo("Closed and referred reports");
    shown(b, "#find-code").sendKeys(ref.replace("-", "").toLowerCase(java.util.Locale.ROOT));
    click(b, "#find-send");
    waitFor(b, "the report found by its code is open", () -> ref.equals(b.findElement(By.id("report")).getAttribute("data-reference"))
        && b.findElement(By.id("report-body")).isDisplayed());
    b.findElement(By.id("find-code")).clear();
    b.findElement(By.id("find-code")).sendKeys("ACDE-FGHJ");
    click(b, "#find-send");
    waitFor(b, "a code that is no report says so", () -> b.findElement(By.id("find-error")).getText().contains("There is no report ACDE-FGHJ"));
    assertThat(b.findElement(By.id("reopen-form")).isDisplayed()).as("an officer cannot reopen").isFalse();

    // A supervisor follows a link to it and reopens it, with the reason on its timeline.
    click(b, "#logout");
    logIn(b, base, "sultana", SULTANA);
    b.get(base + "/console/#/reports/" + ref);
    waitFor(b, "the linked report is open", () -> ref.equals(b.findElement(By.id("report")).getAttribute("data-reference"))
        && b.findElement(By.id("report-body")).isDisplayed());
    shown(b, "#reopen-reason").sendKeys("The reporter wrote again: she was moved.");
    click(b, "#reopen-send");
    waitFor(b, "the reason is on the timeline", () -> b.findElement(By.id("timeline")).getText().contains("Reopened: The reporter wrote again"));
    waitFor(b, "the report is open again", () -> !b.findElement(By.id("report-status")).getText().toLowerCase(java.util.Locale.ROOT).contains("closed"));
    new Select(shown(b, "#list-status")).selectByValue("open");
    shown(b, row);
  }

  @Test
  void reportTextThatLooksLikeHtmlIsShownAsTextAndRunsNothing() throws Exception {
    TestHotline hotline = instance();
    String base = "http://localhost:" + hotline.server.port();
    WebDriver b = browser(1280, 800);
    logIn(b, base, "rahim", RAHIM);
    String place = "\"><svg onload=alert(1)>";
    String details = "<script>alert(1)</script> <img src=x onerror=alert(1)>";
    TestPhone phone = hotline.phone(REPORTER);
    String ref = textReport(phone, place, details);
    click(b, "#queue li.report[data-reference='" + ref + "'] button.report-open");
    waitFor(b, "the report is open", () -> ref.equals(b.findElement(By.id("report")).getAttribute("data-reference")));
    click(b, "#claim");
    // The reporter adds more of the same, after following up with the code.
    phone.text(ref);
    phone.text("<img src=x onerror=alert(1)> again");
    waitFor(b, "the added text is on the timeline", () -> b.findElement(By.id("timeline")).getText().contains("onerror=alert(1)> again"));

    String answers = b.findElement(By.id("answers")).getText();
    assertThat(answers).contains(place).contains(details);
    assertThat(b.findElements(By.cssSelector("#report script, #report img, #report svg, #queue img, #queue svg"))).isEmpty();
    Thread.sleep(1000);
    try {
      String text = b.switchTo().alert().getText();
      throw new AssertionError("an alert ran: " + text);
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }

  @Test
  void anOfficerPlaysACallersRecordingThroughSathiWithoutATwilioLogin() throws Exception {
    TestHotline hotline = instance();
    TestCall call = hotline.call(REPORTER);
    call.dial();
    for (String d : List.of("1", "2", "1", "2", "12", "2", "4")) call.press(d); // 4: Khulna division
    call.record(RECORDING.replace("b".repeat(32), "c".repeat(32)), 6);
    call.record(RECORDING, 41);
    String said = call.press("2").text();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Z0-9 ]{7}), ([A-Z0-9 ]{7})").matcher(said);
    assertThat(m.find()).as(said).isTrue();
    String reference = (m.group(1) + "-" + m.group(2)).replace(" ", "");

    String base = "http://localhost:" + hotline.server.port();
    WebDriver b = browser(1280, 800);
    logIn(b, base, "rahim", RAHIM);
    click(b, "#queue li.report[data-reference='" + reference + "'] button.report-open");
    WebElement audio = shown(b, "#report audio.recording");
    assertThat(audio.getAttribute("src")).endsWith("/api/reports/" + reference + "/recording/details").doesNotContain("twilio");
    // The browser fetches it as the officer's player would, with the officer's session.
    Object fetched = ((org.openqa.selenium.JavascriptExecutor) b).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0]).then(r => r.arrayBuffer().then(a => done(r.status + ' ' + r.headers.get('content-type') + ' ' + a.byteLength)))"
            + ".catch(e => done('failed ' + e));", "/api/reports/" + reference + "/recording/details");
    assertThat(fetched).isEqualTo("200 audio/mpeg " + MP3.length);
    twilio.server.verify(getRequestedFor(urlEqualTo(URI.create(RECORDING).getPath() + ".mp3"))
        .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials(ACCOUNT, TestPhone.AUTH_TOKEN)));
  }
}
