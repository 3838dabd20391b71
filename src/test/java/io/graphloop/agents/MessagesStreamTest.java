package io.graphloop.agents;

import io.graphloop.client.RunEventStream;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code messages} stream mode (token streaming) through {@code GraphClient.stream}: a node invokes a chat model
 * with a plain {@code invoke} and its chunks stream because the run streams messages, as LangGraph's callback does.
 * Mirrors src/test/resources/langgraph/messages_stream.py; the expected contents, order and metadata were produced
 * by LangGraph 1.2.12 running that script (its fake model streams the chunks FakeChatServer sends).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MessagesStreamTest {

  private FakeChatServer fake;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) {
    FakeChatServer.start(vertx, 0).onComplete(test.succeeding(server -> {
      fake = server;
      test.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext test) {
    fake.close().onComplete(test.succeedingThenComplete());
  }

  /** agent (calls the model) -> tools (writes a tool message, and the human input again) -> END. */
  static CompiledGraph graph(String name, String baseUrl) {
    return new StateGraph(name).channel("messages", Channels.messages())
        .addNode("agent", (state, ctx) -> new OpenAiChatModel(ctx.vertx(), ctx.webClient(),
            new OpenAiOptions().setBaseUrl(baseUrl).setModel("fake-1"))
            .invoke(AddMessages.read(state.get("messages")), ChatRequest.NONE)
            .map(answer -> Map.of("messages", List.of(answer))))
        .addNode("tools", state -> Future.succeededFuture(Map.of("messages", List.of(
            AddMessages.read(state.get("messages")).get(0),
            new ToolMessage("42", "c1", null, "tool-1", ToolMessage.SUCCESS)))))
        .addEdge(START, "agent").addEdge("agent", "tools").addEdge("tools", END).compile();
  }

  @Test
  void chunksOfAModelInvokedInANodeStreamWithLangGraphsMetadata(Vertx vertx, VertxTestContext test) {
    fake.enqueue(FakeReply.text("Hello from the model"));
    GraphRuntime.deploy(vertx, graph("messages-1", fake.baseUrl()), new GraphRuntimeOptions()
            .setCheckpointer(new io.vertx.core.json.JsonObject().put("type", "memory")))
        .onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
          List<StreamEvent> events = new ArrayList<>();
          RunEventStream stream = runtime.client().stream(Map.of("messages", List.of(
              new HumanMessage("hi", "h-1"))), new RunOptions().setThreadId("t-1")
              .setConfig(new io.vertx.core.json.JsonObject().put("user", "ann")), StreamMode.MESSAGES,
              StreamMode.UPDATES);
          stream.handler(events::add);
          stream.exceptionHandler(test::failNow);
          stream.endHandler(end -> test.verify(() -> {
            check(events);
            test.completeNow();
          }));
        })));
  }

  /** Maps that are no messages (no type, or a type that is null) in a node's input and update are not messages. */
  @Test
  void mapsThatAreNoMessagesAreIgnoredAndTheRunEnds(Vertx vertx, VertxTestContext test) {
    Map<String, Object> untyped = new java.util.HashMap<>();
    untyped.put("type", null);
    untyped.put("content", "not a message");
    CompiledGraph graph = new StateGraph("messages-plain")
        .addNode("greet", state -> Future.succeededFuture(Map.of("greeting", "Hello " + state.get("address"),
            "seen", List.of(Map.of("city", "Paris"), untyped))))
        .addEdge(START, "greet").addEdge("greet", END).compile();
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions()).onComplete(test.succeeding(runtime ->
        vertx.runOnContext(v -> {
          List<StreamEvent> events = new ArrayList<>();
          RunEventStream stream = runtime.client().stream(Map.of("address", Map.of("city", "London"),
              "places", List.of(Map.of("city", "Rome"))), new RunOptions(), StreamMode.MESSAGES, StreamMode.VALUES);
          stream.handler(events::add);
          stream.exceptionHandler(test::failNow);
          stream.endHandler(end -> test.verify(() -> {
            assertTrue(events.stream().noneMatch(e -> e.event().wireName().equals("messages")), events.toString());
            assertTrue(events.stream().anyMatch(e -> String.valueOf(e.data().get("greeting")).contains("London")),
                events.toString());
            test.completeNow();
          }));
        })));
  }

  /**
   * A slow consumer and small buffers: 600 chunks through a window of 8 emits and a buffer of 16 events. Custom
   * events would be dropped here; message chunks wait (the coordinator holds back its acknowledgements, the model's
   * response is not read meanwhile) and every one arrives, in order.
   */
  @Test
  @SuppressWarnings("unchecked")
  void aSlowConsumerLosesNoChunk(Vertx vertx, VertxTestContext test) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 600; i++) {
      text.append("w").append(i).append(i < 600 ? " " : "");
    }
    fake.enqueue(FakeReply.text(text.toString()));
    GraphRuntimeOptions options = new GraphRuntimeOptions().setMaxBufferedEvents(16).setMaxPendingEmits(8);
    GraphRuntime.deploy(vertx, graph("messages-slow", fake.baseUrl()), options)
        .onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
          StringBuilder streamed = new StringBuilder();
          int[] count = {0};
          RunEventStream stream = runtime.client().stream(Map.of("messages", List.of(new HumanMessage("hi", "h-1"))),
              new RunOptions(), StreamMode.MESSAGES);
          stream.handler(event -> {
            Map<String, Object> message = (Map<String, Object>) event.data().get("message");
            if (event.event().wireName().equals("messages") && "AIMessageChunk".equals(message.get("type"))) {
              streamed.append(message.get("content"));
            }
            if (++count[0] % 50 == 0) { // a consumer that takes a break now and then
              stream.pause();
              vertx.setTimer(5, t -> stream.resume());
            }
          });
          stream.exceptionHandler(test::failNow);
          stream.endHandler(end -> test.verify(() -> {
            assertEquals(text.toString(), streamed.toString(), "every chunk, in order");
            assertEquals(0, runtime.metrics().node("agent").messageChunksRefused());
            test.completeNow();
          }));
        })));
  }

  @SuppressWarnings("unchecked")
  static void check(List<StreamEvent> events) {
    List<String> kinds = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    Set<Object> chunkIds = new java.util.HashSet<>();
    List<Map<String, Object>> whole = new ArrayList<>();
    for (StreamEvent event : events) {
      if (event.event().wireName().equals("messages")) {
        Map<String, Object> message = (Map<String, Object>) event.data().get("message");
        Map<String, Object> metadata = (Map<String, Object>) event.data().get("metadata");
        if ("AIMessageChunk".equals(message.get("type"))) {
          if (kinds.isEmpty() || !kinds.get(kinds.size() - 1).equals("chunks")) {
            kinds.add("chunks");
          }
          chunkIds.add(message.get("id"));
          if (!((String) message.get("content")).isEmpty()) {
            tokens.add((String) message.get("content"));
          }
          assertEquals("agent", event.node());
          assertEquals(1, event.step());
          assertEquals("t-1", metadata.get("thread_id"));
          assertEquals("langchain_chat_model", metadata.get("ls_integration"));
          assertEquals(1, metadata.get("langgraph_step"));
          assertEquals("agent", metadata.get("langgraph_node"));
          assertEquals(List.of("branch:to:agent"), metadata.get("langgraph_triggers"));
          assertEquals(List.of("__pregel_pull", "agent"), metadata.get("langgraph_path"));
          assertFalse(metadata.containsKey("user"), "LangGraph copies only its own configurable keys");
          // LangGraph's keys, but lc_versions (langchain-core's version), plus the model's name
          assertEquals(new TreeSet<>(List.of("checkpoint_ns", "langgraph_checkpoint_ns", "langgraph_node",
              "langgraph_path", "langgraph_step", "langgraph_triggers", "ls_integration", "ls_model_type",
              "ls_provider", "thread_id", "ls_model_name")), new TreeSet<>(metadata.keySet()));
          assertEquals("openai", metadata.get("ls_provider"));
          assertEquals("fake-1", metadata.get("ls_model_name"));
        } else {
          kinds.add("message:" + message.get("type"));
          whole.add(event.data());
        }
      } else if (event.event().wireName().equals("updates")) {
        kinds.add("updates:" + event.data().keySet().iterator().next());
      }
    }
    assertEquals(List.of("chunks", "updates:agent", "message:tool", "updates:tools"), kinds);
    assertEquals(List.of("Hello ", "from ", "the ", "model"), tokens);
    assertEquals(1, chunkIds.size(), "every chunk carries the answer's id");
    assertEquals(1, whole.size(), "the human input and the streamed answer are not sent again");
    Map<String, Object> tool = (Map<String, Object>) whole.get(0).get("message");
    Map<String, Object> metadata = (Map<String, Object>) whole.get(0).get("metadata");
    assertEquals("42", tool.get("content"));
    assertEquals("tool-1", tool.get("id"));
    assertEquals("langgraph", metadata.get("ls_integration"));
    assertEquals(2, metadata.get("langgraph_step"));
    assertEquals("tools", metadata.get("langgraph_node"));
    assertEquals(List.of("branch:to:tools"), metadata.get("langgraph_triggers"));
    assertEquals(new TreeSet<>(List.of("langgraph_checkpoint_ns", "langgraph_node", "langgraph_path",
        "langgraph_step", "langgraph_triggers", "ls_integration", "thread_id")), new TreeSet<>(metadata.keySet()));
    assertTrue(((String) metadata.get("langgraph_checkpoint_ns")).startsWith("tools:"));
  }
}
