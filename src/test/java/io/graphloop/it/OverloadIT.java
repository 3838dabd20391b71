package io.graphloop.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: a burst of 1,000,000 runs sent at once (one event-loop task, {@code GraphClient.invoke}, nothing
 * awaited) in a child JVM with {@code -Xmx256m} and {@code -XX:+ExitOnOutOfMemoryError} ({@link OverloadBurst}).
 * Before, 400,000 ran out of memory. Asserted: the child ends by itself with exit 0 (no out-of-memory error), every
 * run is answered, each as a success or as refused overloaded (503), nothing else. The time to the first refusal,
 * the elapsed time and the heap's peak are printed, not asserted (no timing asserts; the machine is shared).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OverloadIT {

  private static final int RUNS = 1_000_000;

  @Test
  void aMillionRunsAtOnceOn256MbAreAllAnsweredWithoutRunningOutOfMemory() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp",
        System.getProperty("java.class.path"), OverloadBurst.class.getName(), String.valueOf(RUNS), "400",
        String.valueOf(RUNS)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        output.add(line);
      }
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends by itself");
    String burst = output.stream().filter(line -> line.startsWith("BURST ")).findFirst().orElse(null);
    System.out.println("[overload] " + burst);
    assertEquals(0, child.exitValue(), "exit 0: every run answered, no OutOfMemoryError; output " + output);
    assertNotNull(burst, "the child reports its counts: " + output);
    Map<String, String> counts = new LinkedHashMap<>();
    for (String field : burst.substring("BURST ".length()).split(" ")) {
      counts.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
    }
    assertEquals(RUNS, Long.parseLong(counts.get("answered")));
    assertEquals(0, Long.parseLong(counts.get("other")), "only successes and overloaded refusals: " + burst);
    assertEquals(RUNS, Long.parseLong(counts.get("succeeded")) + Long.parseLong(counts.get("overloaded")));
    assertTrue(Long.parseLong(counts.get("overloaded")) > 0, "a burst this size is partly refused: " + burst);
  }
}
