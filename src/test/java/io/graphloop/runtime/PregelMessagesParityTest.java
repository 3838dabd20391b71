package io.graphloop.runtime;

import io.graphloop.agents.AiMessage;
import io.graphloop.agents.HumanMessage;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code messages} and {@code custom} stream tests of {@code libs/langgraph/tests/test_pregel.py} (each method
 * names the one it mirrors): a subgraph's message streamed once though its parent's task writes it again, which
 * configuration keys reach a message's metadata, messages written by an update, a Command and a list of Commands, and
 * a node's custom events. The expected values are what src/test/resources/langgraph/pregel_messages.py printed against
 * LangGraph 1.2.12 (pregel_messages.json), compared whole; a task id (in a namespace or in
 * {@code langgraph_checkpoint_ns}) and a generated message id show as {@code <id>}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class PregelMessagesParityTest {

  private static JsonObject expected;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = PregelMessagesParityTest.class.getResourceAsStream("/langgraph/pregel_messages.json")) {
      expected = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** A namespace's levels, each task id shown as {@code <id>}. */
  private static JsonArray ns(String namespace) {
    JsonArray out = new JsonArray();
    if (namespace != null && !namespace.isEmpty()) {
      for (String part : namespace.split("\\|")) {
        out.add(part.replaceAll("^([^:]+):.+$", "$1:<id>")); // LangGraph's uuid, Graphloop's task id
      }
    }
    return out;
  }

  private static String idsHidden(String namespace) {
    return String.join("|", ns(namespace).stream().map(String::valueOf).toList());
  }

  /** A {@code messages} event as the script shows it: [namespace, type/content/id, sorted metadata]. */
  @SuppressWarnings("unchecked")
  private static JsonArray chunk(StreamEvent event, boolean generatedId) {
    return chunk(event, generatedId ? Set.of() : null);
  }

  /** As above; an id outside {@code kept} (null: keep every id) is a generated one, shown as {@code <id>}. */
  @SuppressWarnings("unchecked")
  private static JsonArray chunk(StreamEvent event, Set<String> kept) {
    Map<String, Object> message = (Map<String, Object>) event.data().get("message");
    Map<String, Object> metadata = new TreeMap<>((Map<String, Object>) event.data().get("metadata"));
    metadata.computeIfPresent("langgraph_checkpoint_ns", (k, v) -> idsHidden((String) v));
    if (event.ns() != null && !event.ns().isEmpty()) {
      metadata.computeIfPresent("checkpoint_ns", (k, v) -> idsHidden((String) v));
    }
    JsonObject shown = new JsonObject().put("type", message.get("type")).put("content", message.get("content"))
        .put("id", kept == null || kept.contains(message.get("id")) ? message.get("id") : "<id>");
    return new JsonArray().add(ns(event.ns())).add(shown).add(new JsonObject(new java.util.LinkedHashMap<>(metadata)));
  }

  private static JsonArray messages(Vertx vertx, Supplier<io.graphloop.client.RunEventStream> open,
      boolean generatedIds) {
    return messages(vertx, open, generatedIds ? Set.of() : null);
  }

  private static JsonArray messages(Vertx vertx, Supplier<io.graphloop.client.RunEventStream> open, Set<String> kept) {
    JsonArray chunks = new JsonArray();
    for (StreamEvent event : result(collect(vertx, open))) {
      if (event.event().wireName().equals("messages")) {
        chunks.add(chunk(event, kept));
      }
    }
    return chunks;
  }

  /** A subgraph: call_model writes a message, route sends its parent to node_2 (Command.PARENT). */
  private static CompiledGraph routing(String name, Supplier<Object> message) {
    CompiledGraph subgraph = new StateGraph(name + "-sub").channel("messages", Channels.messages())
        .addNode("call_model", state -> Future.succeededFuture(Map.of("messages", message.get())))
        .addNode("route", state -> Future.succeededFuture(Command.gotoNode("node_2").graph(Command.PARENT)))
        .addEdge(START, "call_model").addEdge("call_model", "route").addEdge("route", END).compile();
    return new StateGraph(name).channel("messages", Channels.messages()).addSubgraph("node_1", subgraph)
        .addNode("node_2", state -> Future.succeededFuture(Map.of())).addEdge(START, "node_1").compile();
  }

  /** test_stream_messages_dedupe_inputs: the subgraph's message once, from call_model, not again from node_1. */
  @Test
  void testStreamMessagesDedupeInputs(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, routing("pm-dedupe-inputs",
        () -> new AiMessage("hi", List.of(), "1")))).client();
    JsonArray got = messages(vertx, () -> client.stream(Map.of("messages", "hi"),
        new RunOptions().setStreamSubgraphs(true), StreamMode.MESSAGES), false);
    assertEquals(expected.getJsonArray("test_stream_messages_dedupe_inputs").encodePrettily(), got.encodePrettily());
  }

  /** test_stream_messages_dedupe_state: on a thread, each run streams only its new message once. */
  @Test
  void testStreamMessagesDedupeState(Vertx vertx) {
    Deque<Object> toEmit = new ArrayDeque<>(List.of(new AiMessage("bye", List.of(), "1"),
        new AiMessage("bye again", List.of(), "2")));
    GraphClient client = result(GraphRuntime.deploy(vertx, routing("pm-dedupe-state", toEmit::removeFirst),
        MEMORY)).client();
    JsonArray got = new JsonArray();
    for (String given : List.of("hi", "hi again")) {
      got.add(messages(vertx, () -> client.stream(Map.of("messages", given),
          new RunOptions().setThreadId("1").setStreamSubgraphs(true), StreamMode.MESSAGES), false));
    }
    assertEquals(expected.getJsonArray("test_stream_messages_dedupe_state").encodePrettily(), got.encodePrettily());
  }

  /** test_configurable_propagates_to_stream_metadata: LangGraph's allow-list of configurable keys, no others. */
  @Test
  void testConfigurablePropagatesToStreamMetadata(Vertx vertx) {
    CompiledGraph graph = new StateGraph("pm-configurable").channel("messages", Channels.messages())
        .addNode("my_node", state -> Future.succeededFuture(Map.of("messages", new HumanMessage("hello", null))))
        .addEdge(START, "my_node").addEdge("my_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    JsonObject config = new JsonObject().put("thread_id", "th-123").put("checkpoint_id", "ckpt-1")
        .put("checkpoint_ns", "ns-1").put("task_id", "task-1").put("run_id", "run-456").put("assistant_id", "asst-789")
        .put("graph_id", "graph-0").put("model", "gpt-4o").put("user_id", "uid-1").put("cron_id", "cron-1")
        .put("langgraph_auth_user_id", "user-1").put("some_api_key", "secret")
        .put("custom_setting", new JsonObject().put("nested", true));
    JsonArray got = messages(vertx, () -> client.stream(Map.of("messages", List.of()),
        new RunOptions().setConfig(config), StreamMode.MESSAGES), true);
    assertEquals(expected.getJsonArray("test_configurable_propagates_to_stream_metadata").encodePrettily(),
        got.encodePrettily());
  }

  /** test_stream_mode_messages_command: a message in an update, in a Command's update, in a list of Commands. */
  @Test
  void testStreamModeMessagesCommand(Vertx vertx) {
    CompiledGraph graph = new StateGraph("pm-command").channel("messages", Channels.messages())
        .addNode("my_node", state -> Future.succeededFuture(Map.of("messages", new HumanMessage("foo", null))))
        .addNode("my_other_node", state -> Future.succeededFuture(Command.ofUpdate(Map.of("messages",
            new HumanMessage("bar", null)))))
        .addNode("my_last_node", state -> Future.succeededFuture(List.of(Command.ofUpdate(Map.of("messages",
            new HumanMessage("baz", null))))))
        .addEdge(START, "my_node").addEdge("my_node", "my_other_node").addEdge("my_other_node", "my_last_node")
        .addEdge("my_last_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    JsonArray got = messages(vertx, () -> client.stream(Map.of("messages", List.of()), new RunOptions(),
        StreamMode.MESSAGES), true);
    assertEquals(expected.getJsonArray("test_stream_mode_messages_command").encodePrettily(), got.encodePrettily());
  }

  /**
   * test_get_stream_writer: a node's custom event alone, the values stream, and custom with updates (a payload that is
   * not a map travels as {@code {"value": payload}}).
   */
  @Test
  void testGetStreamWriter(Vertx vertx) {
    CompiledGraph graph = new StateGraph("pm-writer").channel("foo", Channels.lastValue())
        .addNode("my_node", (state, ctx) -> {
          ctx.emit("custom!");
          return Future.succeededFuture(Map.of("foo", state.get("foo")));
        })
        .addEdge(START, "my_node").addEdge("my_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    Map<String, Object> given = Map.of("foo", "bar");
    JsonObject got = new JsonObject();
    JsonArray custom = new JsonArray();
    JsonArray values = new JsonArray();
    JsonArray both = new JsonArray();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(given, new RunOptions(), StreamMode.CUSTOM)))) {
      if (!event.isTerminal()) {
        custom.add(event.data().get("value"));
      }
    }
    for (StreamEvent event : result(collect(vertx, () -> client.stream(given, new RunOptions(), StreamMode.VALUES)))) {
      if (!event.isTerminal()) {
        values.add(new JsonObject(new java.util.LinkedHashMap<>(event.data())));
      }
    }
    for (StreamEvent event : result(collect(vertx, () -> client.stream(given, new RunOptions(), StreamMode.CUSTOM,
        StreamMode.UPDATES)))) {
      if (!event.isTerminal()) {
        Object data = event.event().wireName().equals("custom") ? event.data().get("value")
            : new JsonObject(new java.util.LinkedHashMap<>(event.data()));
        both.add(new JsonArray().add(event.event().wireName()).add(data));
      }
    }
    got.put("custom", custom).put("values", values).put("customAndUpdates", both);
    assertEquals(expected.getJsonObject("test_get_stream_writer").encodePrettily(), got.encodePrettily());
  }

  /**
   * test_stream_messages_dedupe_pydantic_subgraph_interrupt (a map state where the test has a pydantic one): a
   * subgraph writes a message, then interrupts; the resumed run streams only the messages written after, once (the
   * parent's subgraph task does not stream its child's messages again).
   */
  @Test
  @SuppressWarnings("unchecked")
  void testStreamMessagesDedupePydanticSubgraphInterrupt(Vertx vertx) {
    CompiledGraph subgraph = new StateGraph("pm-dedupe-interrupt-sub").channel("messages", Channels.messages())
        .addNode("proposal", (state, ctx) -> Future.succeededFuture(Command.of(Map.of("messages",
            List.of(new AiMessage("Proposal", List.of(), "proposal_msg"))), "subgraph_approval")),
            new io.graphloop.graph.NodeOptions().setDestinations(List.of("subgraph_approval")))
        .addNode("subgraph_approval", (state, ctx) -> {
          Map<String, Object> resumed = (Map<String, Object>) ctx.interrupt(Map.of("message", "Waiting for approval"));
          Object said = resumed.getOrDefault("user_message", "");
          return Future.succeededFuture(Command.of(Map.of("messages", "".equals(said) ? List.of()
              : List.of(new HumanMessage(said, null))), END));
        }, new io.graphloop.graph.NodeOptions().setDestinations(List.of(END)))
        .addEdge(START, "proposal").compile();
    CompiledGraph graph = new StateGraph("pm-dedupe-interrupt").channel("messages", Channels.messages())
        .addSubgraph("subgraph", subgraph)
        .addNode("finalize", (state, ctx) -> Future.succeededFuture(Command.of(Map.of("messages",
            List.of(new AiMessage("Finalized", List.of(), "finalize_msg"))), END)),
            new io.graphloop.graph.NodeOptions().setDestinations(List.of(END)))
        .addEdge(START, "subgraph").addEdge("subgraph", "finalize").compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1").setStreamSubgraphs(true);
    Set<String> ids = Set.of("proposal_msg", "finalize_msg", "human_msg");
    JsonArray first = messages(vertx, () -> client.stream(Map.of("messages", List.of(
        new HumanMessage("Create a proposal", "human_msg"))), thread, StreamMode.MESSAGES), ids);
    JsonArray next = new JsonArray(new java.util.ArrayList<>(result(client.getState("1", null)).next()));
    JsonArray second = messages(vertx, () -> client.stream(Command.resume(Map.of("user_message", "Yes")), thread,
        StreamMode.MESSAGES), ids);
    JsonObject got = new JsonObject().put("first", first).put("next", next).put("second", second);
    assertEquals(expected.getJsonObject("test_stream_messages_dedupe_pydantic_subgraph_interrupt").encodePrettily(),
        got.encodePrettily());
  }
}
