package io.graphloop.it;

import io.graphloop.agents.FakeChatServer;
import io.graphloop.agents.FakeReply;
import io.graphloop.agents.Message;
import io.graphloop.agents.OpenAiOptions;
import io.graphloop.agents.ToolCall;
import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.examples.AgentExample;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token streaming ({@code StreamMode.MESSAGES}, LangGraph's {@code messages} mode) across JVMs: the README's agent
 * ({@code agent}, a ReAct loop with tools {@code add}/{@code multiply}) has its nodes on a {@code member --role worker}
 * child JVM, whose model is {@link FakeChatServer} in this JVM ({@code OPENAI_BASE_URL}, real HTTP on 127.0.0.1);
 * this JVM (a lite cluster member) coordinates the graph and streams the run. The model's answers stream back chunk
 * by chunk from the member's node over the clustered event bus: a tool call split across chunks, then an answer of
 * {@value #WORDS} tokens (more events than the stream's credit window), and the caller gets every one, in order,
 * with LangGraph's metadata, plus the tool's answer.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MessagesClusterIT {

  private static final long READY_MS = 90_000;
  private static final long WAIT_MS = 120_000;
  private static final int WORDS = 1_500;
  /** Held: JDK loggers are weakly referenced, and a collected one would forget its level. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private static Vertx local;
  private static FakeChatServer model;
  private static MemberProcess worker;
  private static Vertx clustered;

  @BeforeAll
  static void cluster() throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    local = Vertx.vertx();
    model = get(FakeChatServer.start(local, 0), READY_MS);
    LoopbackCluster cluster = LoopbackCluster.of(2);
    worker = MemberProcess.start("messages-worker", cluster.memberArgs(0, "--role", "worker", "--graphs", "agent"),
        Map.of("OPENAI_BASE_URL", model.baseUrl(), "GRAPHLOOP_MODEL", "fake-remote"));
    String ready = worker.awaitLine("member ready", READY_MS);
    assertTrue(ready.contains("role=worker graphs=agent nodes=all"), ready);
    clustered = get(ClusteredVertx.start(cluster.liteMember(1)), READY_MS);
    // this JVM coordinates and hosts no node: the model runs on the worker JVM (its options there come from its env)
    get(GraphRuntime.deploy(clustered, AgentExample.graph(new OpenAiOptions().setBaseUrl("http://127.0.0.1:9/v1")),
        new GraphRuntimeOptions().setCoordinator(true).setNodes(List.of())
            .setCheckpointer(new JsonObject().put("type", "memory"))), WAIT_MS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (clustered != null) {
      get(clustered.close(), 30_000);
    }
    if (worker != null) {
      worker.stop(10_000);
    }
    if (local != null) {
      get(local.close(), 30_000);
    }
  }

  @Test
  void everyTokenOfAModelOnAnotherJvmReachesTheCaller() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < WORDS; i++) {
      text.append("word").append(i).append(i + 1 < WORDS ? " " : ".");
    }
    model.enqueue(FakeReply.toolCalls(new ToolCall("call_1", "multiply", Map.of("a", 6, "b", 7))),
        FakeReply.text(text.toString()));
    GraphClient client = GraphClient.create(clustered, AgentExample.NAME, WAIT_MS);
    List<StreamEvent> events = new ArrayList<>();
    CompletableFuture<Throwable> done = new CompletableFuture<>();
    clustered.runOnContext(v -> {
      RunEventStream stream = client.stream(Map.of("messages", List.of(Message.human("What is 6 times 7?"))),
          new RunOptions().setThreadId("messages-it"), StreamMode.MESSAGES);
      stream.handler(events::add);
      stream.exceptionHandler(done::complete);
      stream.endHandler(end -> done.complete(null));
    });
    assertNull(done.get(WAIT_MS, TimeUnit.MILLISECONDS), "the stream failed");

    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).seq(), "no event lost: seq increases by one from 1");
    }
    StreamEvent end = events.get(events.size() - 1);
    assertEquals(StreamEvent.END, end.event());
    List<JsonObject> chunks = new ArrayList<>();
    List<JsonObject> whole = new ArrayList<>();
    for (StreamEvent event : events.subList(0, events.size() - 1)) {
      assertEquals("messages", event.event().wireName(), "only messages were asked for");
      JsonObject data = new JsonObject(event.data());
      JsonObject metadata = data.getJsonObject("metadata");
      assertEquals("messages-it", metadata.getString("thread_id"), metadata.encode());
      (data.getJsonObject("message").getString("type").equals("AIMessageChunk") ? chunks : whole)
          .add(data.put("step", metadata.getInteger("langgraph_step")).put("node", metadata.getString("langgraph_node")));
    }
    Set<String> ids = new LinkedHashSet<>();
    chunks.forEach(c -> ids.add(c.getJsonObject("message").getString("id")));
    assertEquals(2, ids.size(), "two streamed answers: " + ids);
    String callId = ids.iterator().next();
    StringBuilder args = new StringBuilder();
    List<String> callNames = new ArrayList<>();
    StringBuilder answer = new StringBuilder();
    int tokens = 0;
    for (JsonObject chunk : chunks) {
      assertEquals("agent", chunk.getString("node"));
      JsonObject message = chunk.getJsonObject("message");
      if (message.getString("id").equals(callId)) {
        assertEquals(1, chunk.getInteger("step"));
        for (Object part : message.getJsonArray("tool_call_chunks", new JsonArray())) {
          JsonObject call = (JsonObject) part;
          if (call.getString("name") != null) {
            callNames.add(call.getString("name"));
          }
          args.append(call.getString("args", ""));
        }
      } else {
        assertEquals(3, chunk.getInteger("step"));
        String content = message.getString("content");
        if (!content.isEmpty()) {
          tokens++;
          answer.append(content);
        }
      }
    }
    assertEquals(List.of("multiply"), callNames);
    assertEquals(new JsonObject().put("a", 6).put("b", 7), new JsonObject(args.toString()));
    assertEquals(text.toString(), answer.toString(), "every token, in order");
    assertEquals(WORDS, tokens, "one chunk per word, none merged or lost");
    assertEquals(1, whole.size(), "the tool's answer: " + whole);
    assertEquals("42", whole.get(0).getJsonObject("message").getString("content"));
    assertEquals("tools", whole.get(0).getString("node"));
    JsonArray messages = new JsonObject(end.data()).getJsonObject("values").getJsonArray("messages");
    assertEquals(text.toString(), messages.getJsonObject(messages.size() - 1).getString("content"));
    assertEquals(2, model.requests().size(), "the worker called the model twice");
    assertTrue(model.requests().stream().allMatch(r -> r.getBoolean("stream", false)), "and streamed both answers");
    assertEquals("fake-remote", model.requests().get(0).getString("model"), "with the worker's configured model");
  }

  private static <T> T get(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
