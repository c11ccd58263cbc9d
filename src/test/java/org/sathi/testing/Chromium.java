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

  /** Saves what the browser shows as target/screenshots/NAME.png (the README's pictures come from here). */
  public static Path screenshot(WebDriver driver, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    return file;
  }
}
