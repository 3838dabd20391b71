package io.graphloop.studio;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven through its {@code chromedriver} by Selenium. Where
 * they are missing the browser tests are skipped, unless {@code GRAPHLOOP_REQUIRE_BROWSER=1} (as in CI, whose
 * {@code .ci/run} installs both), which makes it a failure. Screenshots go to {@code target/studio-screenshots/}.
 *
 * <p>Used from the test thread only.
 */
final class Browser implements AutoCloseable {

  static final String REQUIRE_ENV = "GRAPHLOOP_REQUIRE_BROWSER";
  /** The longest any single wait for the page lasts. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private static final Path SCREENSHOTS = Path.of("target", "studio-screenshots");

  final WebDriver driver;

  private Browser(WebDriver driver) {
    this.driver = driver;
  }

  /** A new headless Chromium, or the calling test skipped (failed when the browser is required). */
  static Browser start() {
    File chromium = find("chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser");
    File chromedriver = find("chromedriver", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    boolean required = "1".equals(System.getenv(REQUIRE_ENV));
    if (chromium == null || chromedriver == null) {
      String message = "Debian's chromium and chromium-driver are needed for the studio's browser tests "
          + "(apt-get install -y chromium chromium-driver); found browser " + chromium + ", driver " + chromedriver;
      if (required) {
        throw new IllegalStateException(message);
      }
      assumeTrue(false, message);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1600,1100", "--no-first-run", "--disable-extensions");
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
        .usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options));
  }

  private static File find(String name, String... paths) {
    for (String path : paths) {
      File file = new File(path);
      if (file.canExecute()) {
        return file;
      }
    }
    return null;
  }

  void open(String url) {
    driver.get(url);
  }

  /** Waits (at most {@link #WAIT}) until {@code condition} holds (returns non-null, non-false). */
  <T> T until(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).withMessage(what).until(condition::apply);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("Waited " + WAIT.toSeconds() + " s for: " + what + ". " + diagnostics(), e);
    }
  }

  /** What the page said: its error fields and the browser console, for a failed wait's message. */
  String diagnostics() {
    StringBuilder out = new StringBuilder("Page errors: ");
    for (String id : java.util.List.of("server-error", "form-error", "checkpoint-message")) {
      driver.findElements(By.id(id)).forEach(e -> out.append(id).append("='").append(e.getText()).append("' "));
    }
    driver.findElements(By.cssSelector("#graph g.node")).stream().limit(6).forEach(e -> out.append("node id='")
        .append(e.getAttribute("id")).append("' data-node='").append(e.getAttribute("data-node")).append("' "));
    try {
      out.append("; page: ").append(((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
          "return location.href + ' mermaid=' + typeof mermaid + ' Api=' + typeof Api + ' options='"
          + " + document.getElementById('assistant').options.length + ' graph=' +"
          + " document.getElementById('graph').innerHTML.slice(0, 400)"));
    } catch (RuntimeException e) {
      out.append("; page: (script failed: ").append(e.getMessage()).append(')');
    }
    out.append("; console:");
    try {
      driver.manage().logs().get("browser").forEach(entry -> out.append("\n  ").append(entry.getLevel())
          .append(' ').append(entry.getMessage()));
    } catch (RuntimeException e) {
      out.append(" (unavailable: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  /** Saves a screenshot as {@code target/studio-screenshots/NAME.png}, for a person to look at. */
  void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
