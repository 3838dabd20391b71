package io.graphloop.cli;

import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RunProgress} fed a run's {@code tasks} events with a clock the test moves: on a terminal the nodes running
 * now are one status line rewritten in place, each end a line of its own above it; plain, a line per event; failures
 * and interrupts say so. {@code RunCommandTest} shows the plain lines of real runs.
 */
class RunProgressTest {

  private static final String ERASE = "\r\033[K";
  private final StringWriter out = new StringWriter();
  private final AtomicLong nanos = new AtomicLong();

  private RunProgress progress(RunProgress.Mode mode) {
    return new RunProgress(new PrintWriter(out), mode, nanos::get);
  }

  private static StreamEvent start(int step, String node) {
    return new StreamEvent("r", 0, StreamEventType.TASKS, step, node, "", Map.of("id", "r:" + step + ":" + node,
        "name", node, "input", Map.of()));
  }

  private static StreamEvent end(int step, String node, double ms, Object error, List<?> interrupts, int attempt) {
    Map<String, Object> data = new HashMap<>();
    data.put("id", "r:" + step + ":" + node);
    data.put("name", node);
    data.put("error", error);
    data.put("result", error == null ? Map.of("x", 1) : Map.of());
    data.put("interrupts", interrupts);
    data.put("attempt", attempt);
    data.put("durationMs", ms);
    return new StreamEvent("r", 0, StreamEventType.TASKS, step, node, "", data);
  }

  @Test
  void onATerminalTheRunningNodesAreOneStatusLineRewrittenInPlace() {
    RunProgress progress = progress(RunProgress.Mode.TERMINAL);
    progress.onEvent(start(2, "llm"));
    progress.onEvent(start(2, "db"));
    assertEquals(ERASE + "step 2 · running llm · 0.0 ms" + ERASE + "step 2 · running llm, db · 0.0 ms", out.toString());
    nanos.set(1_500_000_000L);
    progress.tick();
    assertTrue(out.toString().endsWith(ERASE + "step 2 · running llm, db · 1.50 s"), out.toString());
    out.getBuffer().setLength(0);
    progress.onEvent(end(2, "db", 1_500.4, null, List.of(), 1));
    assertEquals(ERASE + "step 2 · db · done in 1.50 s" + System.lineSeparator()
        + ERASE + "step 2 · running llm · 1.50 s", out.toString());
    out.getBuffer().setLength(0);
    progress.onEvent(end(2, "llm", 1_500.9, null, List.of(), 1));
    progress.finish();
    assertEquals(ERASE + "step 2 · llm · done in 1.50 s" + System.lineSeparator(), out.toString(),
        "no status line is left once nothing runs");
  }

  @Test
  void plainLinesSayWhatStartedEndedFailedOrWaitsForAPerson() {
    RunProgress progress = progress(RunProgress.Mode.PLAIN);
    progress.onEvent(start(1, "fetch"));
    progress.onEvent(end(1, "fetch", 0.25, null, List.of(), 3));
    progress.onEvent(start(2, "check"));
    progress.onEvent(end(2, "check", 12.3, Map.of("error", "IllegalStateException", "message", "check refused\nthe order"), List.of(), 1));
    progress.onEvent(start(3, "approve"));
    progress.onEvent(end(3, "approve", 1, null, List.of(Map.of("value", "ok?")), 1));
    progress.onEvent(new StreamEvent("r", 0, StreamEventType.UPDATES, 3, "approve", "", Map.of("approve", 1)));
    progress.tick();
    progress.finish();
    assertEquals(List.of("step 1 · fetch · started", "step 1 · fetch · done in 0.3 ms (attempt 3)",
        "step 2 · check · started", "step 2 · check · failed in 12 ms: IllegalStateException: check refused the order",
        "step 3 · approve · started", "step 3 · approve · interrupted, waiting for a person"),
        out.toString().lines().toList());
  }

  @Test
  void offShowsNothingAndAModeIsNamedClearly() {
    RunProgress progress = progress(RunProgress.Mode.OFF);
    progress.onEvent(start(1, "a"));
    progress.finish();
    assertEquals("", out.toString());
    assertEquals(RunProgress.Mode.TERMINAL, RunProgress.Mode.of("Auto").resolve(true));
    assertEquals(RunProgress.Mode.PLAIN, RunProgress.Mode.of("auto").resolve(false));
    assertEquals(RunProgress.Mode.OFF, RunProgress.Mode.of("off").resolve(true));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunProgress.Mode.of("loud")).getMessage()
        .contains("--progress takes auto"));
  }

  private static StreamEvent chunk(int step, String node, String content, List<Map<String, Object>> calls) {
    return new StreamEvent("r", 0, StreamEventType.MESSAGES, step, node, "", Map.of("message", Map.of(
        "type", "AIMessageChunk", "id", "m-" + step, "content", content, "tool_call_chunks", calls),
        "metadata", Map.of("langgraph_node", node, "langgraph_step", step)));
  }

  private static Map<String, Object> callChunk(String name, String args) {
    Map<String, Object> call = new HashMap<>();
    call.put("index", 0);
    call.put("name", name);
    call.put("args", args);
    return call;
  }

  @Test
  void whatAModelSaidIsShownWhenItsNodeEndsAndAToolsAnswerAsItComes() {
    RunProgress progress = progress(RunProgress.Mode.PLAIN);
    progress.onEvent(start(1, "agent"));
    progress.onEvent(chunk(1, "agent", "", List.of(callChunk("multiply", ""))));
    progress.onEvent(chunk(1, "agent", "", List.of(callChunk(null, "{\"a\": 6, "))));
    progress.onEvent(chunk(1, "agent", "", List.of(callChunk(null, "\"b\": 7}"))));
    progress.onEvent(end(1, "agent", 3, null, List.of(), 1));
    progress.onEvent(start(2, "tools"));
    progress.onEvent(new StreamEvent("r", 0, StreamEventType.MESSAGES, 2, "tools", "", Map.of("message", Map.of(
        "type", "tool", "name", "multiply", "content", "42", "tool_call_id", "call_1"), "metadata", Map.of())));
    progress.onEvent(end(2, "tools", 1, null, List.of(), 1));
    progress.onEvent(start(3, "agent"));
    for (String token : List.of("The ", "answer ", "is\n", "42.")) {
      progress.onEvent(chunk(3, "agent", token, List.of()));
    }
    progress.onEvent(end(3, "agent", 4, null, List.of(), 1));
    progress.finish();
    assertEquals(String.join(System.lineSeparator(), "step 1 · agent · started",
        "step 1 · agent · calls multiply {\"a\": 6, \"b\": 7}", "step 1 · agent · done in 3.0 ms",
        "step 2 · tools · started", "step 2 · tools · multiply answered: 42", "step 2 · tools · done in 1.0 ms",
        "step 3 · agent · started", "step 3 · agent · says: The answer is 42.", "step 3 · agent · done in 4.0 ms", ""),
        out.toString());
  }

  @Test
  void onATerminalTheStatusLineShowsTheTextAModelIsStreaming() {
    RunProgress progress = progress(RunProgress.Mode.TERMINAL);
    progress.onEvent(start(3, "agent"));
    progress.onEvent(chunk(3, "agent", "The ", List.of()));
    progress.onEvent(chunk(3, "agent", "answer", List.of()));
    assertTrue(out.toString().endsWith(ERASE + "step 3 · running agent · 0.0 ms · The answer"), out.toString());
    progress.onEvent(chunk(3, "agent", " is " + "4".repeat(100), List.of()));
    assertTrue(out.toString().endsWith(" · ..." + "4".repeat(RunProgress.STATUS_TEXT_CHARS)), out.toString());
  }

  @Test
  void aModelsTextIsCutToItsBound() {
    RunProgress progress = progress(RunProgress.Mode.PLAIN);
    progress.onEvent(start(1, "agent"));
    for (int i = 0; i < 100; i++) {
      progress.onEvent(chunk(1, "agent", "x".repeat(100), List.of()));
    }
    progress.finish();
    String said = out.toString().lines().filter(line -> line.startsWith("step 1 · agent · says: ")).findFirst()
        .orElseThrow();
    assertEquals("step 1 · agent · says: " + "x".repeat(ModelOutput.MAX_TEXT_CHARS) + "...", said,
        "a run that ended without the task's end still shows what its model said, cut");
  }

  @Test
  void chunksThatCrossedTheEventBusAsVertxJsonAreReadToo() {
    RunProgress progress = progress(RunProgress.Mode.PLAIN);
    progress.onEvent(start(1, "agent"));
    for (String[] part : new String[][] {{"multiply", ""}, {null, "{\"a\": 6, "}, {null, "\"b\": 7}"}}) {
      io.vertx.core.json.JsonObject message = new io.vertx.core.json.JsonObject().put("type", "AIMessageChunk")
          .put("content", new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject()
              .put("type", "text").put("text", part[0] == null ? "" : "ok")))
          .put("tool_call_chunks", new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject()
              .put("index", part[0] == null ? (Object) 0L : (Object) 0).put("name", part[0]).put("args", part[1])));
      progress.onEvent(new StreamEvent("r", 0, StreamEventType.MESSAGES, 1, "agent", "", Map.of("message", message)));
    }
    progress.onEvent(end(1, "agent", 3, null, List.of(), 1));
    assertEquals(String.join(System.lineSeparator(), "step 1 · agent · started",
        "step 1 · agent · calls multiply {\"a\": 6, \"b\": 7}", "step 1 · agent · says: ok",
        "step 1 · agent · done in 3.0 ms", ""), out.toString());
  }
}
