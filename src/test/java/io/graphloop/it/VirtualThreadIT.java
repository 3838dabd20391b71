package io.graphloop.it;

import io.graphloop.examples.VirtualThreadExample;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Virtual-thread nodes for real: Graphloop builds for Java 17, so this starts {@link VirtualThreadExample} in a
 * child JVM of Java 21 or newer found under {@code /usr/lib/jvm} (skipped, with the reason, when there is none),
 * on the same classes and dependencies, and checks what it prints. It also shows that on the Java 17 JVM running
 * the build the same graph fails to compile with a clear message.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class VirtualThreadIT {

  private static final Path JVMS = Path.of("/usr/lib/jvm");
  private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);
  private static final Pattern ELAPSED = Pattern.compile("^runs (\\d+) elapsed_ms (\\d+) max_waiting (\\d+)$");

  @Test
  void aVirtualThreadNodeAwaitsATimerOnJava21Plus() throws Exception {
    Optional<Path> java = newestJavaAtLeast(21);
    Assumptions.assumeTrue(java.isPresent(), "No Java 21+ JDK under " + JVMS + " (looked for <jdk>/release with "
        + "JAVA_VERSION >= 21 and <jdk>/bin/java); virtual-thread nodes cannot run on this machine's Java "
        + Runtime.version().feature() + ".");

    Result result = runExample(java.get());
    assertEquals(0, result.exit, "exit status; stdout: " + result.stdout + "\nstderr: " + result.stderr);
    List<String> lines = result.stdout.lines().filter(line -> !line.isBlank()).toList();
    assertEquals(2, lines.size(), "expected the state line and the timing line, got: " + result.stdout
        + "\nstderr: " + result.stderr);

    JsonObject state = new JsonObject(lines.get(0));
    assertEquals("virtual threads 0", state.getString("query"));
    assertEquals("data for virtual threads 0", state.getString("fetched"));
    assertEquals(true, state.getBoolean("onVirtualThread"), "the node ran on a virtual thread: " + state);
    assertEquals("summary of data for virtual threads 0", state.getString("summary"));

    Matcher timing = ELAPSED.matcher(lines.get(1));
    assertTrue(timing.matches(), lines.get(1));
    int runs = Integer.parseInt(timing.group(1));
    long elapsed = Long.parseLong(timing.group(2));
    assertEquals(VirtualThreadExample.RUNS, runs);
    assertTrue(elapsed >= VirtualThreadExample.WAIT_MS, "every run waits its timer: " + elapsed);
    // overlap shown by count, not by time (a loaded machine stretches any time bound): one instance, yet several
    // executions were suspended in Future.await at once
    int maxWaiting = Integer.parseInt(timing.group(3));
    assertTrue(maxWaiting > 1, "the awaiting executions of the single 'fetch' instance overlap: at most "
        + maxWaiting + " waited at once (elapsed " + elapsed + " ms)");
  }

  @Test
  void onJava17TheGraphFailsToCompileWithAClearMessage() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Assumptions.assumeTrue(Runtime.version().feature() < 21, "the build's JVM is Java "
        + Runtime.version().feature() + ", which has virtual threads");

    Result result = runExample(java);
    assertNotEquals(0, result.exit, "stdout: " + result.stdout);
    assertTrue(result.stderr.contains("Node 'fetch' is declared to run on a virtual thread, which needs Java 21 or "
        + "newer, but this JVM is Java " + Runtime.version().feature()), result.stderr);
    assertEquals("", result.stdout.strip(), "nothing ran");
  }

  private record Result(int exit, String stdout, String stderr) {
  }

  private static Result runExample(Path java) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        VirtualThreadExample.class.getName());
    Path stdout = Files.createTempFile("graphloop-vt-", ".out");
    Path stderr = Files.createTempFile("graphloop-vt-", ".err");
    try {
      Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the example did not finish within 60 s; stderr: " + Files.readString(stderr));
      }
      return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  /** The JDK under /usr/lib/jvm with the highest feature version at least {@code minimum}, by its release file. */
  private static Optional<Path> newestJavaAtLeast(int minimum) throws IOException {
    if (!Files.isDirectory(JVMS)) {
      return Optional.empty();
    }
    try (Stream<Path> jdks = Files.list(JVMS)) {
      return jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
          .filter(jdk -> featureOf(jdk) >= minimum)
          .max(Comparator.comparingInt(VirtualThreadIT::featureOf))
          .map(jdk -> jdk.resolve("bin/java"));
    }
  }

  private static int featureOf(Path jdk) {
    try {
      Matcher m = JAVA_VERSION.matcher(Files.readString(jdk.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
