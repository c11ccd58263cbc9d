package org.sathi.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver through Selenium: the browser of the
 * browser tests. {@code ./sathi test} installs both when they are missing; Selenium is never asked
 * to download anything (the driver and the browser are given by path).
 */
public final class Chromium {
  public static final String BROWSER = "/usr/bin/chromium";
  public static final String DRIVER = "/usr/bin/chromedriver";
  public static final Path SCREENSHOTS = Path.of("target/screenshots");

  private Chromium() {}

  public static WebDriver start(int width, int height) throws Exception {
    if (!new File(BROWSER).canExecute() || !new File(DRIVER).canExecute()) {
      throw new AssertionError("Chromium and chromedriver are needed for the browser tests: run ./sathi test (it installs them),"
          + " or apt-get install chromium chromium-driver");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required", "--window-size=" + width + "," + height,
        "--user-data-dir=" + Files.createTempDirectory("sathi-chromium"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
    WebDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }

  /** Waits for the condition; a live page redraws as events arrive, so an element gone stale meanwhile is looked up again. */
  public static void waitFor(WebDriver b, String what, java.util.function.Supplier<Boolean> condition) {
    new org.openqa.selenium.support.ui.WebDriverWait(b, Duration.ofSeconds(20)).withMessage(what)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> condition.get());
  }

  /** The first element the selector finds that is shown, once there is one. */
  public static org.openqa.selenium.WebElement shown(WebDriver b, String css) {
    org.openqa.selenium.WebElement[] found = new org.openqa.selenium.WebElement[1];
    waitFor(b, css + " is shown", () -> {
      found[0] = b.findElements(org.openqa.selenium.By.cssSelector(css)).stream().filter(org.openqa.selenium.WebElement::isDisplayed)
          .findFirst().orElse(null);
      return found[0] != null;
    });
    return found[0];
  }

  /** Clicks what the selector finds, finding it again if the page redrew it in between. */
  public static void click(WebDriver b, String css) {
    waitFor(b, css + " is clicked", () -> {
      shown(b, css).click();
      return true;
    });
  }

  /** Saves what the browser shows as target/screenshots/NAME.png (the README's pictures come from here). */
  public static Path screenshot(WebDriver driver, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    return file;
  }
}
