package org.sathi.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sathi.testing.Chromium.click;
import static org.sathi.testing.Chromium.shown;
import static org.sathi.testing.Chromium.waitFor;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import org.sathi.channel.twilio.TwilioOutbound;
import org.sathi.channel.twilio.TwilioPager;
import org.sathi.duty.MemoryDutyInbox;
import org.sathi.report.MemoryReportStore;
import org.sathi.server.Backends;
import org.sathi.server.Config;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.Chromium;
import org.sathi.testing.TestCall;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;
import org.sathi.testing.TwilioStandIn;

/**
 * Missed calls in headless Chromium, on the server as it is wired, Twilio standing in by WireMock:
 * two calls ring out, one caller agrees to a call-back and one does not; the officer sees both, the
 * second with its button disabled and the reason, and calls the first back (which claims it).
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MissedCallsBrowserIT {
  static final String ACCOUNT = "AC" + "0".repeat(31) + "9";
  static final String RAHIM = "mango-monsoon-ferry-17";

  Vertx vertx;
  TwilioStandIn twilio;
  WebDriver b;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    twilio = new TwilioStandIn(ACCOUNT);
    twilio.server.stubFor(post(urlPathMatching("/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json")).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json").withBody("{\"sid\":\"CA" + "c".repeat(32) + "\",\"status\":\"queued\"}")));
  }

  @AfterEach
  void stop() throws Exception {
    if (b != null) b.quit();
    vertx.close().await(20, TimeUnit.SECONDS);
    twilio.close();
  }

  TestHotline instance() throws Exception {
    Config config = TestHotline.config().withTwilio(ACCOUNT, TestPhone.AUTH_TOKEN).withTwilioApi(twilio.baseUrl(), TestHotline.HOTLINE);
    MemorySessionStore sessions = new MemorySessionStore(config.session().times(), TestHotline.codec(), Clock.systemUTC());
    TwilioOutbound outbound = new TwilioOutbound(ACCOUNT, TestPhone.AUTH_TOKEN, twilio.baseUrl(), TestHotline.HOTLINE, vertx, Duration.ofSeconds(5), 1);
    Backends backends = new Backends(sessions, new MemoryReportStore(), new MemoryDutyInbox(sessions::events, Clock.systemUTC()),
        TwilioPager.of(outbound), TestHotline.roster(), TestHotline.triager(), TestHotline.crosswalk()::map, org.sathi.session.Durability.none(),
        ConsoleStores.memory(Clock.systemUTC()), ConsoleEvents.memory(), outbound::sendSms, Referrals.load(Path.of("config/referrals.yaml")).referrals());
    TestHotline hotline = TestHotline.deploy(vertx, backends, TestHotline.newMetrics(), org.sathi.report.ReferenceCode::next, Clock.systemUTC(), config);
    backends.console().accounts().add("rahim", Officer.Role.OFFICER, RAHIM).await(30, TimeUnit.SECONDS);
    return hotline;
  }

  static String ringOut(TestHotline hotline, String from, String answer) throws Exception {
    TestCall call = hotline.call(from);
    call.dial();
    call.press("3");
    call.dialEnded("no-answer");
    String ref = call.action("Gather").replaceAll(".*[?&]h=([A-Z0-9-]{9}).*", "$1");
    call.press(answer);
    return ref;
  }

  @Test
  void anOfficerCallsBackTheCallerWhoAgreedAndSeesWhyTheOtherCannotBe() throws Exception {
    TestHotline hotline = instance();
    String yes = ringOut(hotline, "+8801719283746", "1");
    String no = ringOut(hotline, "+8801719283747", "2");
    String base = "http://localhost:" + hotline.server.port();
    b = Chromium.start(1280, 800);
    ConsoleBrowserIT.logIn(b, base, "rahim", RAHIM);
    click(b, "#missed-open");
    waitFor(b, "both missed calls listed", () -> b.findElements(By.cssSelector("#missed-rows tr")).size() == 2);
    assertThat(b.findElement(By.id("workspace")).isDisplayed()).isFalse();
    WebElement refused = b.findElement(By.cssSelector("#missed-rows tr[data-reference='" + no + "'] button.primary"));
    assertThat(refused.isEnabled()).isFalse();
    assertThat(b.findElement(By.cssSelector("#missed-rows tr[data-reference='" + no + "']")).getText())
        .contains("The caller did not agree to be called back.");
    assertThat(b.getPageSource()).doesNotContain("1719283746").doesNotContain("1719283747");
    Chromium.screenshot(b, "console-missed");
    click(b, "#missed-rows tr[data-reference='" + yes + "'] button.primary");
    waitFor(b, "the call-back placed", () -> b.findElement(By.cssSelector("#missed-rows tr[data-reference='" + yes + "']")).getText()
        .contains("Your phone is ringing"));
    var calls = twilio.server.findAll(postRequestedFor(urlPathMatching(".*/Calls.json")));
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).getBodyAsString()).contains("To=%2B8801700000101").doesNotContain("1719283746");
    click(b, "#missed-close");
    assertThat(b.findElement(By.id("workspace")).isDisplayed()).isTrue();
    assertThat(b.findElement(By.id("missed")).isDisplayed()).isFalse();
  }
}
