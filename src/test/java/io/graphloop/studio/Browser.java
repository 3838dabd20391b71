package io.graphloop.studio;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real headless browser the studio tests drive: Debian's Chromium through its chromedriver (Selenium,
 * {@link ChromiumBrowser}) or Debian's Firefox ESR through WebDriver BiDi, its own protocol, with no driver in
 * between ({@link FirefoxBrowser}). Both run the same scenarios; what a test asks of the page goes through a few
 * calls: open a URL, run a script in the page, click an element and type into a field as a user does (real pointer
 * and key input), take a screenshot.
 *
 * <p>Where a browser is missing its tests are skipped, unless {@code GRAPHLOOP_REQUIRE_BROWSER=1} (as in CI, whose
 * {@code .ci/run} installs chromium, chromium-driver and firefox-esr), which makes it a failure. Screenshots go to
 * {@code target/studio-screenshots/<browser>/}.
 *
 * <p>Used from the test thread only.
 */
interface Browser extends AutoCloseable {

  String REQUIRE_ENV = "GRAPHLOOP_REQUIRE_BROWSER";
  /** The longest any single wait for the page lasts. */
  Duration WAIT = Duration.ofSeconds(30);
  /** The window's size, the same in both browsers. */
  int WIDTH = 1600;
  int HEIGHT = 1100;

  /** "chromium" or "firefox". */
  String name();

  void open(String url);

  /**
   * Runs {@code body} as a function's body in the page, with {@code args} (strings, numbers, booleans) as
   * {@code arguments}; a promise it returns is awaited. The result as Java values: String, Boolean, Number
   * (Long or Double), List, Map, or null.
   */
  Object script(String body, Object... args);

  /** Clicks the first element matching {@code css} with the pointer, at its centre (scrolled into view). */
  void click(String css);

  /** Empties the field matching {@code css}, then types {@code text} into it key by key. */
  void type(String css, String text);

  /** The page as a PNG. */
  byte[] screenshotPng();

  /** What the browser said (its console), for a failed wait's message. */
  String console();

  @Override
  void close();

  /** Saves a screenshot as {@code target/studio-screenshots/<browser>/NAME.png}, for a person to look at. */
  default Path screenshot(String name) throws IOException {
    Path folder = Path.of("target", "studio-screenshots", name());
    Files.createDirectories(folder);
    Path file = folder.resolve(name + ".png");
    Files.write(file, screenshotPng());
    return file;
  }

  /** Waits (at most {@link #WAIT}, polling) until {@code condition} gives non-null and non-false. */
  default <T> T until(String what, Supplier<T> condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = condition.get();
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
      } catch (RuntimeException e) {       // the page may be between two renders: try again, keep the cause
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
    }
    AssertionError error = new AssertionError("[" + name() + "] waited " + WAIT.toSeconds() + " s for: " + what
        + ". " + diagnostics());
    if (last != null) {
      error.addSuppressed(last);
    }
    throw error;
  }

  /** The page's error fields, its first nodes and the console: what a failed wait reports. */
  default String diagnostics() {
    Object page;
    try {
      page = script("const ids = ['server-error', 'form-error', 'checkpoint-message', 'run-status'];"
          + "return location.href + ' ' + ids.map(id => id + '=' + (document.getElementById(id) || {}).textContent)"
          + ".join(' ') + ' nodes=' + [...document.querySelectorAll('#graph g.node')].slice(0, 8)"
          + ".map(n => n.dataset.node + ':' + n.getAttribute('class')).join(',')");
    } catch (RuntimeException e) {
      page = "(script failed: " + e.getMessage() + ")";
    }
    return "Page: " + page + "; console: " + console();
  }

  /** The browser named {@code name}, started headless; or the calling test skipped (failed when required). */
  static Browser start(String name) throws IOException {
    boolean required = "1".equals(System.getenv(REQUIRE_ENV));
    String missing = switch (name) {
      case "chromium" -> ChromiumBrowser.missing();
      case "firefox" -> FirefoxBrowser.missing();
      default -> throw new IllegalArgumentException("no browser '" + name + "' (chromium, firefox)");
    };
    if (missing != null) {
      if (required) {
        throw new IllegalStateException(missing);
      }
      assumeTrue(false, missing);
    }
    return name.equals("chromium") ? ChromiumBrowser.start() : FirefoxBrowser.start();
  }

  /** The first of {@code paths} that is an executable file, or null. */
  static File executable(String... paths) {
    for (String path : paths) {
      File file = new File(path);
      if (file.canExecute()) {
        return file;
      }
    }
    return null;
  }
}
