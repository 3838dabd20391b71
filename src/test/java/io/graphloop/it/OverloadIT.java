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
 * Issue 11, item 7: overload is refused early and cheaply, in child JVMs with {@code -Xmx256m} and
 * {@code -XX:+ExitOnOutOfMemoryError} ({@link OverloadBurst}, {@code GraphClient.invoke}, nothing awaited).
 *
 * <ul>
 *   <li>A burst of 1,000,000 runs sent in one event-loop task (before, 400,000 ran out of memory): the child ends by
 *       itself with exit 0 (no out-of-memory error), every run is answered, each as a success or as refused
 *       overloaded (503), nothing else.</li>
 *   <li>The first refusal comes within milliseconds (before, 1.9-6 s into a burst of 200,000): 200,000 runs sent in
 *       chunks of {@value #CHUNK} per event-loop task (so that the sender reads replies in between; a sender that
 *       sends everything in one task reads no reply before it ends), whose node holds every run until the first
 *       refusal (so the coordinators fill up whatever the machine's speed). The first refusal is of a run sent once
 *       the coordinators held their limit (one coordinator per event loop, {@code maxInFlightRuns} each), not after
 *       the burst was queued; and it comes back at most {@value #MAX_CHUNKS_LATER} chunks after its run was sent (a
 *       load-independent measure: the sender and the coordinators share the cores) and within
 *       {@value #MAX_REFUSAL_MS} ms of it (48 ms measured at load 21 on the 2-core test machine).</li>
 * </ul>
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class OverloadIT {

  private static final int RUNS = 1_000_000;
  private static final int BURST = 200_000;
  private static final int CHUNK = 400;
  /** The first refusal comes back before the burst sent this many more chunks of {@link #CHUNK} runs. */
  private static final int MAX_CHUNKS_LATER = 10;
  /** The first refusal comes back within this many ms of its run's send. */
  private static final int MAX_REFUSAL_MS = 1_000;

  @Test
  void aMillionRunsAtOnceOn256MbAreAllAnsweredWithoutRunningOutOfMemory() throws Exception {
    Map<String, String> counts = burst(RUNS, RUNS);
    assertTrue(Long.parseLong(counts.get("overloaded")) > 0, "a burst this size is partly refused: " + counts);
  }

  @Test
  void theFirstRefusalComesWithinMillisecondsOfItsRun() throws Exception {
    Map<String, String> counts = burst(BURST, CHUNK, "gate");
    assertTrue(Long.parseLong(counts.get("overloaded")) > 0, "the coordinators filled up and refused: " + counts);
    long firstRefused = Long.parseLong(counts.get("firstRefusedRun"));
    assertTrue(firstRefused >= 0 && firstRefused <= Long.parseLong(counts.get("limit")) + CHUNK, "the first "
        + "refusal is of a run sent once the coordinators were full, not after the burst was queued: " + counts);
    long chunksLater = Long.parseLong(counts.get("firstRefusalChunksLater"));
    assertTrue(chunksLater >= 0 && chunksLater <= MAX_CHUNKS_LATER, "the first refusal came back while the burst "
        + "was still being sent, at most " + MAX_CHUNKS_LATER + " chunks after its run: " + counts);
    double refusalMs = Double.parseDouble(counts.get("firstRefusalLatencyMs"));
    assertTrue(refusalMs >= 0 && refusalMs <= MAX_REFUSAL_MS, "the first refusal came within " + MAX_REFUSAL_MS
        + " ms of its run's send: " + counts);
  }

  /**
   * Runs {@link OverloadBurst} with {@code runs} runs in chunks of {@code chunk} (and {@code extra} arguments) and
   * checks what every burst must show: exit 0, every run answered, as a success or refused overloaded. Returns its
   * counts.
   */
  private static Map<String, String> burst(int runs, int chunk, String... extra) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), OverloadBurst.class.getName(), String.valueOf(runs), "400",
        String.valueOf(chunk)));
    command.addAll(List.of(extra));
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
    assertEquals(runs, Long.parseLong(counts.get("answered")));
    assertEquals(0, Long.parseLong(counts.get("other")), "only successes and overloaded refusals: " + burst);
    assertEquals(runs, Long.parseLong(counts.get("succeeded")) + Long.parseLong(counts.get("overloaded")));
    return counts;
  }
}
