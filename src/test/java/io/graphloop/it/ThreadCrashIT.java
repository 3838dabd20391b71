package io.graphloop.it;

import io.graphloop.examples.CrashDemo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run killed with SIGKILL in the middle resumes in a new JVM and finishes exactly as an uninterrupted run does,
 * without running again any node that had completed and been checkpointed before the kill.
 *
 * <p>{@link CrashDemo} (eight sequential 250 ms nodes, SQLite, durability sync) runs in a child JVM from the fat
 * jar; each node appends {@code "<node> <step>"} to an fsync'd execution log before its result exists. The test
 * kills the child ({@code Process.destroyForcibly}: SIGKILL) once three lines are logged, then starts a second
 * child that prints where the thread stands ({@code BEFORE}: the latest checkpoint's trail and the node due) and
 * continues it. A third child runs the graph uninterrupted on another thread for the reference state.
 *
 * <p>What is asserted, precisely: the checkpointed nodes are a prefix of the log of the killed JVM, and at most one
 * logged node (the one in flight at the kill, which logged but whose checkpoint was not yet written) is missing from
 * them; every checkpointed node appears exactly once in the whole log (never run again); every other node appears
 * exactly once in the resumed JVM's part of the log, so only the node in flight may run twice (at-least-once for a
 * node cut off mid-flight, the most a crash allows); and the final state equals the uninterrupted run's.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThreadCrashIT {

  private static final int KILL_AFTER_LINES = 3;

  @TempDir
  Path dir;

  @Test
  void aKilledRunResumesInANewJvmWithoutRerunningCompletedNodes() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("executions.log");
    Path referenceLog = dir.resolve("reference.log");

    JsonObject reference = finalState(run(data, "reference", "run", referenceLog));
    assertEquals(CrashDemo.NODES, reference.getJsonArray("trail").getList());

    Process doomed = start(data, "doomed", "run", log);
    int linesAtKill;
    try {
      waitForLines(log, KILL_AFTER_LINES, doomed);
      doomed.destroyForcibly();
      assertTrue(doomed.waitFor(20, TimeUnit.SECONDS), "the killed child did not exit");
      linesAtKill = lines(log).size();
    } finally {
      doomed.destroyForcibly();
    }
    assertTrue(linesAtKill >= KILL_AFTER_LINES && linesAtKill < CrashDemo.NODES.size(),
        "killed in the middle: " + lines(log));

    List<String> output = run(data, "doomed", "resume", log);
    JsonObject before = new JsonObject(line(output, "BEFORE "));
    List<Object> checkpointed = before.getJsonObject("values").getJsonArray("trail", new JsonArray()).getList();
    List<String> all = lines(log);
    List<String> beforeKill = all.subList(0, linesAtKill);
    List<String> afterKill = all.subList(linesAtKill, all.size());

    System.out.println("[crash] the killed JVM logged " + beforeKill + "; checkpointed before the kill: "
        + checkpointed + "; the resumed JVM logged " + afterKill);
    assertEquals(checkpointed, nodes(beforeKill).subList(0, checkpointed.size()),
        "the checkpointed nodes are the first ones the killed JVM ran: " + beforeKill);
    int inFlightLogged = beforeKill.size() - checkpointed.size();
    assertTrue(inFlightLogged == 0 || inFlightLogged == 1,
        "at most the node in flight logged without its checkpoint: log " + beforeKill + ", checkpointed "
            + checkpointed);
    String due = CrashDemo.NODES.get(checkpointed.size());
    assertEquals(List.of(due), before.getJsonArray("next").getList(), "the thread resumes at the next node");

    for (String node : CrashDemo.NODES) {
      long total = nodes(all).stream().filter(node::equals).count();
      long resumed = nodes(afterKill).stream().filter(node::equals).count();
      if (checkpointed.contains(node)) {
        assertEquals(1, total, node + " completed before the kill and must not run again: " + all);
      } else {
        assertEquals(1, resumed, node + " runs exactly once in the resumed JVM: " + afterKill);
        assertTrue(total == 1 || node.equals(due) && total == 2,
            "only the node in flight at the kill (" + due + ") may have run twice: " + all);
      }
    }
    assertEquals(reference, finalState(output), "the final state of an uninterrupted run");
  }

  private static List<String> nodes(List<String> lines) {
    List<String> nodes = new ArrayList<>();
    lines.forEach(line -> nodes.add(line.split(" ")[0]));
    return nodes;
  }

  private static JsonObject finalState(List<String> output) {
    return new JsonObject(line(output, "FINAL "));
  }

  private static String line(List<String> output, String prefix) {
    return output.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in " + output));
  }

  private static Process start(Path data, String thread, String mode, Path log) throws IOException {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        DemoJarIT.jar().toString(), CrashDemo.class.getName(), data.toString(), thread, mode, log.toString());
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Runs a child to its end (bounded) and returns its standard output's lines. */
  private static List<String> run(Path data, String thread, String mode, Path log) throws Exception {
    Process child = start(data, thread, mode, log);
    try {
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "CrashDemo " + mode + " did not finish within 60 s");
      List<String> output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      assertEquals(0, child.exitValue(), "CrashDemo " + mode + " failed; output " + output);
      return output;
    } finally {
      child.destroyForcibly();
    }
  }

  private static void waitForLines(Path log, int count, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lines(log).size() < count) {
      assertTrue(child.isAlive(), "the child exited before it was killed: " + lines(log));
      assertTrue(System.nanoTime() < deadline, "the child logged " + lines(log).size() + " lines in 60 s");
      Thread.sleep(10);
    }
  }

  private static List<String> lines(Path log) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }
}
