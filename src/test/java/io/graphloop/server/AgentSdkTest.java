package io.graphloop.server;

import io.graphloop.agents.FakeChatServer;
import io.graphloop.agents.OpenAiOptions;
import io.graphloop.examples.AgentExample;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokens of a ReAct agent reach LangGraph's real Python SDK through the server's SSE, as LangGraph Server sends them:
 * the README's agent ({@link AgentExample}) deployed with its model on {@link FakeChatServer} (OpenAI's streaming
 * chat completions over HTTP on 127.0.0.1), the server on 127.0.0.1, and {@code src/test/python/sdk_agent.py}
 * streaming {@code messages-tuple} ({@code messages} events {@code [chunk, metadata]}: every token, the streamed tool
 * call, the tool's answer, LangGraph's metadata) and {@code messages} ({@code messages/metadata} once per message,
 * {@code messages/partial} accumulated, {@code messages/complete} for the tool's answer). Skipped without a Python
 * that has the SDK unless {@code GRAPHLOOP_REQUIRE_SDKS=1} (see {@link PythonSdkTest#python()}).
 */
class AgentSdkTest {

  private static Vertx vertx;
  private static FakeChatServer model;
  private static String base;

  @BeforeAll
  static void start() {
    PythonSdkTest.python(); // skips before starting anything when the SDK is missing
    vertx = Vertx.vertx();
    model = ServerFixture.await(FakeChatServer.start(vertx, 0));
    CompiledGraph agent = AgentExample.graph(new OpenAiOptions().setBaseUrl(model.baseUrl()).setModel("fake-1"));
    GraphRuntimeOptions runtime = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"));
    ServerFixture.await(GraphRuntime.deploy(vertx, agent, runtime));
    ServerVerticle server = new ServerVerticle(List.of(agent), new ServerOptions().setHost("127.0.0.1").setPort(0));
    ServerFixture.await(vertx.deployVerticle(server));
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      ServerFixture.await(vertx.close());
    }
  }

  @Test
  void theSdkReceivesEveryTokenOfTheAgentInBothMessageModes() {
    Path script = Path.of("src/test/python/sdk_agent.py").toAbsolutePath();
    SdkProcess.Result result = SdkProcess.run(List.of(PythonSdkTest.python(), script.toString(), base), Path.of("."),
        180);
    assertEquals(0, result.exit(), result.output());
    assertTrue(result.output().contains("ok tuples\n"), result.output());
    assertTrue(result.output().contains("ok accumulated\n"), result.output());
    String tokens = result.output().lines().filter(line -> line.startsWith("tokens ")).findFirst()
        .orElseThrow(() -> new AssertionError("no tokens line:\n" + result.output())).substring(7);
    // what FakeChatServer streamed for the final answer, one chunk per word
    assertEquals(new JsonArray(List.of("The ", "answer ", "is ", "42.")), new JsonArray(tokens));
    // both conversations asked the model twice (the tool call, then the answer), streaming
    List<JsonObject> requests = model.requests();
    assertEquals(4, requests.size(), requests.toString());
    assertTrue(requests.stream().allMatch(r -> r.getBoolean("stream", false)), "the model streamed");
  }
}
