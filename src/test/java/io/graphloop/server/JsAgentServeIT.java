package io.graphloop.server;

import io.graphloop.agents.FakeChatServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokens of the agent reach LangGraph's real JS SDK ({@code @langchain/langgraph-sdk} 1.15.0,
 * {@code src/test/node/sdk_agent.mjs}) from {@code serve --graphs agent} run from the fat jar in its own JVM
 * ({@link ServeJar}), its model configured as a user would ({@code OPENAI_BASE_URL}, {@code GRAPHLOOP_MODEL}) to a
 * {@link FakeChatServer} in this JVM (OpenAI's streaming chat completions over HTTP on 127.0.0.1), in
 * {@code messages-tuple} mode: the streamed tool call ({@code multiply(6, 7)} assembled from fragments), the tool's
 * answer, the final answer chunk by chunk, and every one of the {@value #WORDS} words of a long echoed answer, in
 * order. Skipped without node/npm unless {@code GRAPHLOOP_REQUIRE_SDKS=1}.
 */
class JsAgentServeIT {

  static final int WORDS = 300;

  private static Vertx vertx;
  private static FakeChatServer model;
  private static ServeJar server;

  @BeforeAll
  static void start() throws Exception {
    JsSdkTest.node(); // skips before starting anything when node is missing
    vertx = Vertx.vertx();
    model = ServerFixture.await(FakeChatServer.start(vertx, 0));
    server = new ServeJar(Map.of("OPENAI_BASE_URL", model.baseUrl(), "GRAPHLOOP_MODEL", "fake-js",
        "OPENAI_API_KEY", "sk-test"), "agent");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (vertx != null) {
      ServerFixture.await(vertx.close());
    }
  }

  @Test
  void theJsSdkReceivesEveryTokenAndTheToolCallOfTheServedAgent() {
    StringBuilder question = new StringBuilder("echo");
    List<String> expected = new ArrayList<>(List.of("You ", "said: ", "echo "));
    for (int i = 1; i <= WORDS; i++) {
      question.append(" t").append(i);
      expected.add("t" + i + (i < WORDS ? " " : ""));
    }
    SdkProcess.Result result = SdkProcess.run(List.of("node", "sdk_agent.mjs", server.url(), question.toString()),
        JsSdkTest.NODE_DIR, 300);
    assertEquals(0, result.exit(), result.output() + "\nserve's output:\n" + server.output());
    assertTrue(result.output().contains("ok toolcall\n"), result.output());
    assertTrue(result.output().contains("ok tokens\n"), result.output());
    assertEquals(new JsonObject().put("name", "multiply").put("args", new JsonObject().put("a", 6).put("b", 7))
        .put("answer", "42"), new JsonObject(line(result, "tool ")));
    // every chunk FakeChatServer streamed for the echo, one per word, in order, none lost or merged
    assertEquals(new JsonArray(expected), new JsonArray(line(result, "tokens ")));
    List<JsonObject> requests = model.requests();
    assertEquals(3, requests.size(), "tool call, final answer, echo: " + requests);
    assertTrue(requests.stream().allMatch(r -> r.getBoolean("stream", false) && "fake-js".equals(r.getString("model"))),
        "serve's agent streamed from the configured model: " + requests);
  }

  private static String line(SdkProcess.Result result, String prefix) {
    return result.output().lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' line:\n" + result.output()))
        .substring(prefix.length());
  }
}
