package io.graphloop.studio;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.util.Map;

/**
 * Debian's headless {@code chromium} driven through its {@code chromedriver} by Selenium.
 *
 * <p>Used from the test thread only.
 */
final class ChromiumBrowser implements Browser {

  private static final String[] BROWSERS = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
  private static final String[] DRIVERS = {"/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"};

  private final WebDriver driver;

  private ChromiumBrowser(WebDriver driver) {
    this.driver = driver;
  }

  /** Why Chromium cannot run here, or null. */
  static String missing() {
    File chromium = Browser.executable(BROWSERS);
    File chromedriver = Browser.executable(DRIVERS);
    return chromium != null && chromedriver != null ? null : "Debian's chromium and chromium-driver are needed for "
        + "the studio's browser tests (apt-get install -y chromium chromium-driver); found browser " + chromium
        + ", driver " + chromedriver;
  }

  static ChromiumBrowser start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(Browser.executable(BROWSERS));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=" + WIDTH + "," + HEIGHT, "--no-first-run", "--disable-extensions");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Browser.executable(DRIVERS)).usingAnyFreePort().build();
    return new ChromiumBrowser(new ChromeDriver(service, options));
  }

  @Override
  public String name() {
    return "chromium";
  }

  @Override
  public void open(String url) {
    driver.get(url);
  }

  @Override
  public Object script(String body, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(body, args);
  }

  private WebElement element(String css) {
    WebElement element = driver.findElement(By.cssSelector(css));
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    return element;
  }

  @Override
  public void click(String css) {
    element(css).click();
  }

  @Override
  public void type(String css, String text) {
    WebElement field = element(css);
    field.clear();
    field.sendKeys(text);
  }

  @Override
  public byte[] screenshotPng() {
    return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
  }

  @Override
  public String console() {
    StringBuilder out = new StringBuilder();
    try {
      driver.manage().logs().get("browser").forEach(entry -> out.append("\n  ").append(entry.getLevel())
          .append(' ').append(entry.getMessage()));
    } catch (RuntimeException e) {
      out.append(" (unavailable: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
