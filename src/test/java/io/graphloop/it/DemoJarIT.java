package io.graphloop.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts the built fat jar in a child JVM, as a user would ({@code java -jar target/graphloop.jar demo}),
 * and checks what it prints: the seed's final state as one JSON line, then {@code elapsed_ms n} with n
 * about one node latency (the two 2 s nodes run in parallel), not two.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoJarIT {

  @Test
  void demoPrintsTheSeedStateAndRunsBothNodesInParallel() throws Exception {
    Process process = new ProcessBuilder("java", "-jar", jar().toString(), "demo")
        .redirectErrorStream(false).start();
    assertTrue(process.waitFor(45, TimeUnit.SECONDS), "the demo did not finish within 45 s");
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), "exit status; stderr: " + stderr);

    List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
    assertEquals(2, lines.size(), "expected the state line and the elapsed line, got: " + stdout);
    JsonObject state = new JsonObject(lines.get(0));
    assertEquals(List.of("query", "llm_result", "db_result"), List.copyOf(state.fieldNames()));
    assertEquals("LangGraph async nodes", state.getString("query"));
    assertEquals("LLM answer for: LangGraph async nodes", state.getString("llm_result"));
    assertEquals("DB result for: LangGraph async nodes", state.getString("db_result"));

    assertTrue(lines.get(1).startsWith("elapsed_ms "), lines.get(1));
    long elapsed = Long.parseLong(lines.get(1).substring("elapsed_ms ".length()));
    assertTrue(elapsed >= 2000, "both nodes wait 2 s, so a run cannot take less: " + elapsed);
    assertTrue(elapsed < 4000, "the nodes must overlap (sequential would be 4000 ms or more): " + elapsed);
  }

  @Test
  void unknownCommandExitsWithUsage() throws Exception {
    Process process = new ProcessBuilder("java", "-jar", jar().toString(), "no-such-command").start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue());
    assertTrue(stderr.contains("Unknown command 'no-such-command'"), stderr);
    assertTrue(stderr.contains("demo"), "usage lists the commands: " + stderr);
  }

  static Path jar() throws IOException {
    Path jar = Path.of(System.getProperty("graphloop.jar", "target/graphloop.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IOException("The fat jar " + jar + " is missing; run 'mvn package' (or 'mvn verify') first.");
    }
    return jar;
  }
}
