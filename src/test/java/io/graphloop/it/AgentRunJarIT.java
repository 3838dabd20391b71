package io.graphloop.it;

import io.graphloop.agents.FakeChatServer;
import io.graphloop.agents.FakeReply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar target/graphloop.jar run --graph agent} as a user runs it: a child process whose model is named by
 * its environment ({@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, {@code GRAPHLOOP_MODEL}) and is
 * {@link FakeChatServer} in this JVM, answering OpenAI's streaming chat completions over HTTP on 127.0.0.1. Checks
 * the exit status, the final state's conversation on stdout, and on stderr (plain progress: stderr is a pipe) the
 * streamed tool call, the tool's answer and the streamed answer, each in its place among the node executions; and
 * that the key never shows. A model that refuses the key fails the run with status 1 and says so.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentRunJarIT {

  private static final String KEY = "sk-agent-run-secret";
  private static final String INPUT = "{\"messages\":[{\"type\":\"human\",\"content\":\"What is 6 times 7?\"}]}";

  private static Vertx vertx;
  private static FakeChatServer model;

  record Outcome(int exit, String stdout, List<String> stderr) {
  }

  @BeforeAll
  static void startModel() throws Exception {
    vertx = Vertx.vertx();
    model = FakeChatServer.start(vertx, 0).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopModel() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void quickModel() {
    model.responderDelays(0, 0);
  }

  private static Outcome run(String... extra) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-jar", DemoJarIT.jar().toString(), "run",
        "--graph", "agent", "--input", INPUT, "--progress", "plain", "--timeout-ms", "30000"));
    command.addAll(List.of(extra));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(Map.of("OPENAI_BASE_URL", model.baseUrl(), "OPENAI_API_KEY", KEY,
        "GRAPHLOOP_MODEL", "fake-cli"));
    Process process = builder.start();
    CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("run --graph agent did not end within 90 s; stderr so far: "
          + stderr.getNow("(unread)"));
    }
    return new Outcome(process.exitValue(), stdout.get(10, TimeUnit.SECONDS),
        stderr.get(10, TimeUnit.SECONDS).lines().filter(line -> !line.isBlank()).toList());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "(could not read: " + e + ")";
    }
  }

  @Test
  void theAgentCallsItsToolAndAnswersWithItsModelsStreamedTokens() throws Exception {
    int before = model.requests().size();
    model.responderDelays(0, 20);                     // the answer arrives token by token
    Outcome outcome = run();
    assertEquals(0, outcome.exit(), "exit status; stderr: " + outcome.stderr());

    List<String> stdout = outcome.stdout().lines().filter(line -> !line.isBlank()).toList();
    assertEquals(1, stdout.size(), "stdout is the final state, one JSON line: " + outcome.stdout());
    JsonArray messages = new JsonObject(stdout.get(0)).getJsonArray("messages");
    assertEquals(List.of("human", "ai", "tool", "ai"), messages.stream()
        .map(m -> ((JsonObject) m).getString("type")).toList(), messages.encode());
    JsonObject call = messages.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("multiply", call.getString("name"));
    assertEquals(new JsonObject().put("a", 6).put("b", 7), call.getJsonObject("args"));
    assertEquals("42", messages.getJsonObject(2).getString("content"));
    assertEquals("The answer is 42.", messages.getJsonObject(3).getString("content"));

    List<String> stderr = outcome.stderr();
    List<String> expected = List.of(
        "step 1 · agent · started",
        "step 1 · agent · calls multiply {",
        "step 1 · agent · done",
        "step 2 · tools · started",
        "step 2 · tools · multiply answered: 42",
        "step 2 · tools · done",
        "step 3 · agent · started",
        "step 3 · agent · says: The answer is 42.",
        "step 3 · agent · done");
    int at = -1;
    for (String line : expected) {
      int found = -1;
      for (int i = at + 1; i < stderr.size(); i++) {
        if (stderr.get(i).startsWith(line)) {
          found = i;
          break;
        }
      }
      assertTrue(found > at, "'" + line + "' after the lines before it in " + stderr);
      at = found;
    }
    String calls = stderr.stream().filter(line -> line.startsWith("step 1 · agent · calls multiply ")).findFirst()
        .orElseThrow();
    assertEquals(new JsonObject().put("a", 6).put("b", 7),
        new JsonObject(calls.substring("step 1 · agent · calls multiply ".length())), "the call's streamed arguments");
    assertFalse(outcome.stdout().contains(KEY) || String.join("\n", stderr).contains(KEY), "the key never shows");

    List<JsonObject> requests = model.requests().subList(before, model.requests().size());
    assertEquals(2, requests.size(), "one model call per agent step: " + requests);
    for (JsonObject request : requests) {
      assertEquals("fake-cli", request.getString("model"), "GRAPHLOOP_MODEL names the model");
      assertEquals(true, request.getBoolean("stream"), "the model is asked to stream its tokens");
    }
  }

  @Test
  void aModelThatRefusesTheKeyFailsTheRunWithStatusOne() throws Exception {
    model.enqueue(FakeReply.error(401, "Incorrect API key provided.", Map.of()));
    Outcome outcome = run();
    assertEquals(1, outcome.exit(), "exit status; stderr: " + outcome.stderr());
    String stderr = String.join("\n", outcome.stderr());
    assertTrue(stderr.contains("step 1 · agent · failed"), stderr);
    assertTrue(stderr.contains("run failed") && stderr.contains("401"), stderr);
    assertFalse(stderr.contains(KEY), "the key never shows: " + stderr);
    assertTrue(outcome.stdout().isBlank(), "no final state: " + outcome.stdout());
  }
}
