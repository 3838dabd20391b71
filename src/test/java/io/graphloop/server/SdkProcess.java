package io.graphloop.server;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a LangGraph SDK client (Python or Node) as a child process with a bounded timeout, its output captured, for the
 * SDK tests. A missing runtime skips the test, unless {@code GRAPHLOOP_REQUIRE_SDKS=1} (as in CI) makes it a failure.
 *
 * <p>Thread rules: called from the JUnit thread, which may wait (always with a bound).
 */
final class SdkProcess {

  static final String REQUIRE_ENV = "GRAPHLOOP_REQUIRE_SDKS";

  /** What a finished process did. */
  record Result(int exit, String output) {
  }

  private SdkProcess() {
  }

  /** Skips the calling test (or fails it when SDKs are required) with {@code why}. */
  static void unavailable(String why) {
    if ("1".equals(System.getenv(REQUIRE_ENV))) {
      throw new AssertionError(why + " (" + REQUIRE_ENV + "=1 makes this a failure)");
    }
    Assumptions.abort(why);
  }

  /** Runs {@code command} in {@code dir}, stdout and stderr merged, killed (whole tree) after {@code seconds}. */
  static Result run(List<String> command, Path dir, long seconds) {
    try {
      Path log = Files.createTempFile("graphloop-sdk", ".log");
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      if (!finished) {
        throw new AssertionError(String.join(" ", command) + " did not finish within " + seconds + " s:\n" + output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
