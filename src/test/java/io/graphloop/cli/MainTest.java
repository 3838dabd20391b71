package io.graphloop.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code graphloop} command, run in-process from the JUnit thread (not a Vert.x thread: {@code demo}
 * creates its own Vert.x instance and waits for it).
 */
@Timeout(value = 30)
class MainTest {

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private int run(String... args) {
    return Main.run(args, out, err);
  }

  private List<String> outLines() {
    return outBytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private long elapsedMs(List<String> lines) {
    String last = lines.get(lines.size() - 1);
    assertTrue(last.matches("elapsed_ms \\d+"), last);
    return Long.parseLong(last.substring("elapsed_ms ".length()));
  }

  @Test
  void serveTakesTheHttpFlagsTheReadmeShowsAndHandsThemToTheServer() {
    assertEquals(0, run("serve", "--help"));
    String help = outBytes.toString(StandardCharsets.UTF_8);
    for (String flag : List.of("--accept-backlog", "--http-instances", "--http2-max-streams", "--max-streams",
        "--keep-alive-timeout-ms", "--drain-timeout")) {
      assertTrue(help.contains(flag), flag + " in: " + help);
    }
    // each reaches ServerOptions, whose bounds refuse it before anything starts (exit 2, bad arguments)
    assertEquals(2, run("serve", "--port", "0", "--http2-max-streams", "0"));
    assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("http2MaxStreams must be from 1 to 100000"),
        errBytes.toString(StandardCharsets.UTF_8));
    assertEquals(2, run("serve", "--port", "0", "--http-instances", "-1"));
    assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("httpInstances must be from 0"),
        errBytes.toString(StandardCharsets.UTF_8));
    // a value of the wrong type is refused by picocli, naming the option
    assertEquals(2, run("serve", "--keep-alive-timeout-ms", "soon"));
    assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("'--keep-alive-timeout-ms': 'soon' is not a long"),
        errBytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void demoPrintsTheFinalStateAsOneJsonLineThenTheElapsedTime() {
    assertEquals(0, run("demo", "--latency-ms", "100"), errBytes.toString(StandardCharsets.UTF_8));
    List<String> lines = outLines();
    assertEquals(2, lines.size(), lines.toString());
    JsonObject state = new JsonObject(lines.get(0));
    assertEquals("LangGraph async nodes", state.getString("query"));
    assertEquals("LLM answer for: LangGraph async nodes", state.getString("llm_result"));
    assertEquals("DB result for: LangGraph async nodes", state.getString("db_result"));
    assertTrue(elapsedMs(lines) >= 100, "each call waits its latency: " + lines.get(1));
  }

  @Test
  void demoRunsTheTwoCallsInTheSameStep() {
    // llm and db each wait 1000 ms; one after the other would take at least 2000 ms. The remaining
    // second is slack for a cold JVM, not a performance budget.
    assertEquals(0, run("demo", "--latency-ms", "1000"), errBytes.toString(StandardCharsets.UTF_8));
    long elapsed = elapsedMs(outLines());
    assertTrue(elapsed >= 1000, "elapsed " + elapsed);
    assertTrue(elapsed < 2000, "llm and db should overlap; elapsed " + elapsed);
  }

  @Test
  void unknownCommandReturns2AndPrintsUsage() {
    assertEquals(2, run("frobnicate"));
    String error = errBytes.toString(StandardCharsets.UTF_8);
    assertTrue(error.contains("Unknown command 'frobnicate'"), error);
    assertTrue(error.contains("Usage"), error);
  }

  @Test
  void demoWithABadLatencyReturns2NamingTheOption() {
    assertEquals(2, run("demo", "--latency-ms", "soon"));
    assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("--latency-ms"));
    assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpAndNoArgumentsPrintUsageAndReturn0() {
    assertEquals(0, run());
    assertEquals(0, run("help"));
    String usage = outBytes.toString(StandardCharsets.UTF_8);
    for (String command : List.of("demo", "run", "member", "config", "help")) {
      assertTrue(usage.lines().anyMatch(line -> line.trim().startsWith(command + " ")), command + " in " + usage);
    }
    assertTrue(usage.contains("Exit status: 0 success, 1 the command failed while running, 2 bad arguments"), usage);
  }

  @Test
  void everyCommandHasItsOwnHelp() {
    for (String command : List.of("demo", "run", "member", "config")) {
      outBytes.reset();
      assertEquals(0, run(command, "--help"), command);
      String help = outBytes.toString(StandardCharsets.UTF_8);
      assertTrue(help.startsWith("Usage: graphloop " + command), help);
      assertTrue(help.contains("Exit status:"), help);
      assertTrue(help.contains("-h, --help"), help);
    }
    outBytes.reset();
    assertEquals(0, run("help", "run"));
    assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("--graph=NAME"));
  }

  @Test
  void aCommandGivenBadOptionsReturns2WithItsOwnUsage() {
    assertEquals(2, run("run", "--graph", "seed", "--frobnicate"));
    String error = errBytes.toString(StandardCharsets.UTF_8);
    assertTrue(error.contains("Unknown option: '--frobnicate'") && error.contains("Usage: graphloop run"), error);
  }
}
