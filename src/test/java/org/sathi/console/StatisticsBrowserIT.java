package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sathi.testing.Chromium.click;
import static org.sathi.testing.Chromium.shown;
import static org.sathi.testing.Chromium.waitFor;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
import org.sathi.duty.LogPager;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Backends;
import org.sathi.session.MemorySessionStore;
import org.sathi.simulator.SampleReports;
import org.sathi.testing.Chromium;
import org.sathi.testing.TestHotline;

/**
 * The statistics page in a real browser (headless Chromium), on the demo's synthetic reports over
 * the six months before today, in memory as in the demo: a supervisor sees the last ended quarter
 * drawn as bars, every small value as "&lt;11", downloads the CHI file, and looks at the exact counts
 * (audited); an analyst lands on the same page and never on the queue, and nothing the page asks
 * for is refused or leaves the machine. Screenshots go to target/screenshots/.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatisticsBrowserIT {
  static final String SULTANA = "river-delta-compass-88";
  static final String AMINA = "numbers-only-lantern-42";

  Vertx vertx;
  Backends backends;
  String base;
  final List<WebDriver> browsers = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    var config = TestHotline.config();
    MemorySessionStore sessions = new MemorySessionStore(config.session().times(), TestHotline.codec(), Clock.systemUTC());
    backends = TestHotline.memory(sessions, new LogPager());
    TestHotline hotline = TestHotline.deploy(vertx, backends, TestHotline.newMetrics(), ReferenceCode::next, Clock.systemUTC(), config);
    base = "http://localhost:" + hotline.server.port();
    Instant[] window = SampleReports.beforeToday(Clock.systemUTC());
    var samples = new SampleReports(hotline.bundle.languages().enabled().stream().map(l -> l.code()).toList(), org.sathi.report.Outcomes.shipped(),
        TestHotline.triager(), TestHotline.crosswalk()::map).make(SampleReports.DEMO_COUNT, window[0], window[1], SampleReports.DEMO_SEED);
    assertThat(SampleReports.store(backends.reports(), samples, 100).await(10, TimeUnit.SECONDS)).isEqualTo(SampleReports.DEMO_COUNT);
    backends.console().accounts().add("sultana", Officer.Role.SUPERVISOR, SULTANA).await(30, TimeUnit.SECONDS);
    backends.console().accounts().add("amina", Officer.Role.ANALYST, AMINA).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    for (WebDriver b : browsers) b.quit();
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  WebDriver browser() throws Exception {
    WebDriver b = Chromium.start(1280, 1000);
    browsers.add(b);
    return b;
  }

  /** The quarter before this one: what the page shows first. */
  static String lastEndedQuarter() {
    LocalDate firstOfQuarter = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
    firstOfQuarter = firstOfQuarter.minusMonths((firstOfQuarter.getMonthValue() - 1) % 3);
    LocalDate previous = firstOfQuarter.minusMonths(3);
    return previous.getYear() + "-Q" + ((previous.getMonthValue() - 1) / 3 + 1);
  }

  static String currentQuarter() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return today.getYear() + "-Q" + ((today.getMonthValue() - 1) / 3 + 1);
  }

  /** GET with the browser's own session cookie, as its link would be followed. */
  HttpResponse<String> asBrowser(WebDriver b, String path) throws Exception {
    String cookie = b.manage().getCookieNamed(ConsoleApi.SESSION_COOKIE).getValue();
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", ConsoleApi.SESSION_COOKIE + "=" + cookie).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String textContent(WebDriver b, String css) {
    return b.findElement(By.cssSelector(css)).getAttribute("textContent");
  }

  @Test
  void aSupervisorSeesTheLastQuarterDrawnWithEverySmallValueSuppressedDownloadsTheChiFileAndSeesExactCountsAudited() throws Exception {
    WebDriver b = browser();
    ConsoleBrowserIT.logIn(b, base, "sultana", SULTANA);
    click(b, "#stats-open");
    shown(b, "#stats-page");
    String quarter = lastEndedQuarter();
    assertThat(new Select(b.findElement(By.id("stats-period"))).getFirstSelectedOption().getAttribute("value")).isEqualTo(quarter);
    waitFor(b, "the sex and age chart is drawn", () -> !b.findElements(By.cssSelector("#stats-sex-chart svg rect.stats-bar")).isEmpty());

    // The chart shows what the API publishes: a bar for every sex in every age band, a hatched "<11" for each suppressed one.
    JsonObject published = new JsonObject(asBrowser(b, "/api/statistics?period=" + quarter + "&rows=sex&cols=ageBand").body());
    int suppressed = 0;
    int cells = 0;
    for (Object row : published.getJsonArray("cells")) {
      for (Object cell : (JsonArray) row) {
        cells++;
        if (((JsonObject) cell).getBoolean("suppressed", false)) suppressed++;
      }
    }
    assertThat(suppressed).as("the demo's quarter has small values").isPositive();
    List<WebElement> bars = b.findElements(By.cssSelector("#stats-sex-chart svg rect.stats-bar"));
    assertThat(bars).hasSize(cells);
    assertThat(b.findElements(By.cssSelector("#stats-sex-chart svg rect.stats-suppressed"))).hasSize(suppressed)
        .allSatisfy(r -> assertThat(r.getAttribute("data-value")).isEqualTo("<11"));
    List<String> labels = b.findElements(By.cssSelector("#stats-sex-chart svg text.stats-value")).stream().map(WebElement::getText).toList();
    assertThat(labels).hasSize(cells).filteredOn("<11"::equals).hasSize(suppressed);
    for (String label : labels) {
      assertThat(label.equals("<11") || label.equals("0") || Long.parseLong(label) >= 15 && Long.parseLong(label) % 5 == 0).as(label).isTrue();
    }
    assertThat(b.findElements(By.cssSelector("#stats-exploitation-chart svg rect.stats-bar"))).hasSize(
        new JsonObject(asBrowser(b, "/api/statistics?period=" + quarter + "&rows=exploitation").body()).getJsonArray("rowKeys").size());
    // The tables have the same values; the completeness panel and the rules in words are there.
    assertThat(textContent(b, "#stats-sex-table")).contains("<11").contains("Female").contains("13-15")
        .contains(String.valueOf(published.getJsonObject("total").getLong("count")));
    assertThat(shown(b, "#stats-completeness").getText()).contains("Sex").contains("Age band").contains("Form of exploitation").contains("% of reports");
    assertThat(b.findElement(By.id("stats-page")).getText()).contains("Counts of 1 to 10 are shown as <11");
    Chromium.screenshot(b, "console-statistics");
    ((JavascriptExecutor) b).executeScript("document.getElementById('stats-exploitation-heading').scrollIntoView();");
    Chromium.screenshot(b, "console-statistics-exploitation");

    // The CHI file, as its link downloads it with the session.
    String href = shown(b, "#stats-csv-chi").getAttribute("href");
    assertThat(href).isEqualTo(base + "/api/statistics/export?format=chi&period=" + quarter);
    HttpResponse<String> csv = asBrowser(b, URI.create(href).getRawPath() + "?" + URI.create(href).getRawQuery());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(csv.body().lines().findFirst()).hasValue(org.sathi.statistics.Exports.HEADER);
    assertThat(csv.body()).contains("<11");

    // Exact counts: nothing suppressed, the view marked as not for publishing, and the view audited.
    click(b, "#stats-exact");
    waitFor(b, "the exact view is marked", () -> b.findElement(By.id("stats-exact-note")).isDisplayed());
    waitFor(b, "the exact view has no suppressed bar", () -> b.findElements(By.cssSelector("#stats-sex-chart svg rect.stats-suppressed")).isEmpty()
        && !b.findElements(By.cssSelector("#stats-sex-chart svg rect.stats-bar")).isEmpty());
    assertThat(b.findElement(By.id("stats-exact-note")).getText()).contains("not for publishing");
    assertThat(b.findElement(By.id("stats-page")).getAttribute("class")).contains("stats-exact");
    assertThat(backends.console().audit().latest(100).await(5, TimeUnit.SECONDS)).extracting(AuditEntry::officer, AuditEntry::action)
        .contains(org.assertj.core.groups.Tuple.tuple("sultana", "statistics-exact"));
    Chromium.screenshot(b, "console-statistics-exact");

    // The quarter in progress is refused, and the page says why.
    click(b, "#stats-exact");
    new Select(b.findElement(By.id("stats-period"))).selectByValue(currentQuarter());
    waitFor(b, "the refusal is shown", () -> b.findElement(By.id("stats-error")).getText().contains("has not ended"));
    assertThat(b.findElement(By.id("stats-results")).isDisplayed()).isFalse();
    assertThat(b.findElement(By.id("stats-downloads")).isDisplayed()).isFalse();

    assertNothingLeftTheMachine(b);
  }

  @Test
  void anAnalystLandsOnStatisticsAndThePageAsksForNothingAnAnalystMayNotSee() throws Exception {
    WebDriver b = browser();
    ConsoleBrowserIT.logIn(b, base, "amina", AMINA);
    shown(b, "#stats-page");
    waitFor(b, "the chart is drawn", () -> !b.findElements(By.cssSelector("#stats-sex-chart svg rect.stats-bar")).isEmpty());
    assertThat(b.findElement(By.id("workspace")).isDisplayed()).as("no queue").isFalse();
    assertThat(b.findElements(By.cssSelector("#queue li"))).isEmpty();
    assertThat(b.findElement(By.id("stats-close")).isDisplayed()).as("no queue to go back to").isFalse();
    assertThat(b.findElement(By.id("stats-exact-field")).isDisplayed()).as("exact counts are a supervisor's").isFalse();
    assertThat(b.findElement(By.id("audit-open")).isDisplayed()).isFalse();
    assertThat(b.findElement(By.id("stats-csv-htcds")).isDisplayed()).isTrue();

    // A link to a report does not make the page ask for it either.
    String ref = backends.reports().newest(Long.MAX_VALUE, null, Instant.EPOCH, 1).await(5, TimeUnit.SECONDS).get(0).reference();
    ((JavascriptExecutor) b).executeScript("location.hash = arguments[0];", "#/reports/" + ref);
    Thread.sleep(1500);
    assertThat(b.findElement(By.tagName("body")).getText()).doesNotContain("An analyst sees statistics only").doesNotContain("403");
    assertThat(backends.console().audit().latest(100).await(5, TimeUnit.SECONDS)).extracting(AuditEntry::officer, AuditEntry::action)
        .contains(org.assertj.core.groups.Tuple.tuple("amina", "statistics"))
        .doesNotContain(org.assertj.core.groups.Tuple.tuple("amina", "analyst-denied"));
    Chromium.screenshot(b, "console-statistics-analyst");
    assertNothingLeftTheMachine(b);
  }

  /** Every request the page made (its files, its API calls) went to this server on localhost. */
  void assertNothingLeftTheMachine(WebDriver b) {
    @SuppressWarnings("unchecked")
    List<String> urls = (List<String>) ((JavascriptExecutor) b).executeScript(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map(e => e.name);");
    assertThat(urls).isNotEmpty().anyMatch(u -> u.contains("/statistics.js")).anyMatch(u -> u.contains("/api/statistics?"))
        .allSatisfy(u -> assertThat(u).startsWith(base + "/"));
  }
}
