package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one measurement in a fresh child JVM (same {@code java}, same classpath, the benchmark's JVM
 * flags) so JIT state, heap and threads never leak between measurements. Reads the child's
 * {@code BENCH-RESULT} line from stdout; its stderr goes to a log file, whose warnings and errors are
 * counted for the report. A child that does not finish in time is killed and reported as an error.
 *
 * <p>Used from the parent's main thread.
 */
final class ChildLauncher {

  private final List<String> jvmFlags;
  private final Path logDir;
  private final long timeoutSeconds;

  ChildLauncher(List<String> jvmFlags, Path logDir, long timeoutSeconds) {
    this.jvmFlags = List.copyOf(jvmFlags);
    this.logDir = logDir;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Runs {@code workload} on {@code system}; the result JSON (with {@code error} when the child failed). */
  JsonObject run(String system, Workload workload, Settings settings, String tag) throws IOException,
      InterruptedException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(workload.id() + "-" + system + tag + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(workload.extraJvmFlags());
    // the durable rows' phases (DurablePhases), set on the parent's command line
    System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(DurablePhases.PREFIX))
        .sorted().forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildMain.class.getName());
    command.add(system);
    command.add(workload.id());
    command.add(settings.toJson().encode());
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    AtomicReference<String> resultLine = new AtomicReference<>();
    Thread reader = new Thread(() -> readResult(process, resultLine), "bench-child-stdout");
    reader.setDaemon(true);
    reader.start();
    long started = System.nanoTime();
    boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    double seconds = (System.nanoTime() - started) / 1e9;
    JsonObject result = resultLine.get() == null
        ? new JsonObject().put("system", system).put("workload", workload.id())
            .put("error", finished ? "the child exited with " + process.exitValue() + " without a result (see "
                + log + ")" : "the child did not finish within " + timeoutSeconds + " s and was killed")
        : new JsonObject(resultLine.get());
    return result.put("childSeconds", seconds).put("log", log.toString()).put("logWarnings", warnings(log));
  }

  private static void readResult(Process process, AtomicReference<String> resultLine) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(ChildMain.RESULT_PREFIX)) {
          resultLine.set(line.substring(ChildMain.RESULT_PREFIX.length()));
        }
      }
    } catch (IOException e) {
      // the child died; the caller reports the missing result
    }
  }

  /** The log's first few lines that look like warnings or errors, and how many there are. */
  private static JsonObject warnings(Path log) {
    List<String> found = new ArrayList<>();
    int count = 0;
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.contains("WARN") || line.contains("ERROR") || line.contains("SEVERE") || line.contains("Exception")) {
          count++;
          if (found.size() < 3) {
            found.add(line.length() > 300 ? line.substring(0, 300) + "..." : line);
          }
        }
      }
    } catch (IOException e) {
      found.add("log unreadable: " + e);
    }
    return new JsonObject().put("count", count).put("first", found);
  }
}
