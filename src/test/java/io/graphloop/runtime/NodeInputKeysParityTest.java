package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ErrorHandlerFixtures.json;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-node input keys ({@link NodeOptions#setInputKeys}, LangGraph's per-node input schema): mirrors
 * {@code test_pregel.py::test_node_schemas_custom_output}, whose expected values (what each node receives, the result
 * and the updates stream) are src/test/resources/langgraph/node_input_schemas.json, written by node_input_schemas.py
 * beside it on LangGraph 1.2.12. LangGraph's {@code StateForA}/{@code StateForB}/{@code StateForC} are the nodes' input
 * keys; its {@code output_schema=Output} is {@code outputKeys("messages")}; its input schema (the state's keys, which
 * drops {@code now}) is {@code inputKeys(...)}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NodeInputKeysParityTest {

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/node_input_schemas.json");

  private static CompiledGraph graph(String name, List<Object> seen) {
    return new StateGraph(name)
        .channel("hello", Channels.lastValue()).channel("bye", Channels.lastValue())
        .channel("messages", Channels.messages())
        .inputKeys("hello", "bye", "messages").outputKeys("messages")
        .addNode("a", (state, ctx) -> {
          seen.add(List.of("a", state.asMap()));
          return Future.succeededFuture(null);
        }, new NodeOptions().setInputKeys(List.of("hello", "messages")))
        .addNode("b", (state, ctx) -> {
          seen.add(List.of("b", state.asMap()));
          return Future.succeededFuture(Map.of("now", 123, "hello", "again"));
        }, new NodeOptions().setInputKeys(List.of("bye", "now")))
        .addNode("c", (state, ctx) -> {
          seen.add(List.of("c", state.asMap()));
          return Future.succeededFuture(null);
        }, new NodeOptions().setInputKeys(List.of("hello", "now")))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", "c")
        .compile();
  }

  private static Object reduced(Object value) {
    return json(ParityExpectations.typeAndContent(value));
  }

  /** {@code test_pregel.py::test_node_schemas_custom_output}, first graph. */
  @Test
  void testNodeSchemasCustomOutput(Vertx vertx) {
    List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    GraphClient client = result(GraphRuntime.deploy(vertx, graph("node-schemas", seen))).client();
    JsonObject expected = EXPECTED.of("test_node_schemas_custom_output");
    Object out = result(client.invoke(Map.of("hello", "there", "bye", "world", "messages", "hello"))).asMap();
    assertEquals(expected.getValue("invoke"), reduced(out));
    assertEquals(expected.getValue("seen"), reduced(seen), "each node reads only its input keys that have a value");
  }

  /**
   * {@code test_pregel.py::test_node_schemas_custom_output}, second graph: an input key outside the graph's input keys
   * ({@code now}) is dropped, so b does not see it; the updates stream.
   */
  @Test
  void testNodeSchemasCustomOutputIgnoresInputOutsideTheSchema(Vertx vertx) {
    List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    GraphClient client = result(GraphRuntime.deploy(vertx, graph("node-schemas-ignored", seen))).client();
    JsonObject expected = EXPECTED.of("test_node_schemas_custom_output_ignored_input");
    Map<String, Object> input = Map.of("hello", "there", "bye", "world", "messages", "hello", "now", 345);
    assertEquals(expected.getValue("invoke"), reduced(result(client.invoke(input)).asMap()));
    List<Object> chunks = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(input, new RunOptions(), StreamMode.UPDATES)))) {
      if (!event.isTerminal()) {
        chunks.add(event.data());
      }
    }
    assertEquals(expected.getValue("stream"), reduced(chunks));
    assertEquals(expected.getValue("seen"), reduced(seen));
  }

  /** A Send's argument reaches a node with input keys whole, as LangGraph maps only pull tasks' input. */
  @Test
  void aSendsArgumentIsNotFiltered(Vertx vertx) {
    List<Object> got = Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = new StateGraph("node-schemas-send")
        .channel("items", Channels.lastValue()).channel("done", Channels.append())
        .addNode("fan", state -> Future.succeededFuture(Map.of()))
        .addNode("worker", (state, ctx) -> {
          got.add(state.asMap());
          return Future.succeededFuture(Map.of("done", List.of(state.get("x"))));
        }, new NodeOptions().setInputKeys(List.of("items")))
        .addEdge(START, "fan")
        .addConditionalEdges("fan", state -> {
          List<Send> sends = new ArrayList<>();
          for (Object item : state.getList("items")) {
            sends.add(new Send("worker", Map.of("x", item, "extra", true)));
          }
          return sends;
        })
        .compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    JsonObject expected = EXPECTED.of("send_to_a_node_with_an_input_schema");
    assertEquals(expected.getValue("invoke"),
        json(result(client.invoke(Map.of("items", List.of(1, 2), "done", List.of()))).asMap()));
    assertEquals(expected.getValue("worker_inputs"), json(got));
  }

  /** In a strict graph, a node's input key must be a declared channel; compile says which and how to fix it. */
  @Test
  void aStrictGraphRefusesAnUndeclaredInputKey() {
    StateGraph graph = new StateGraph("node-schemas-strict").channel("hello", Channels.lastValue()).strictChannels()
        .addNode("a", (state, ctx) -> Future.succeededFuture(Map.of()), new NodeOptions().setInputKeys(List.of("now")))
        .addEdge(START, "a");
    GraphloopException refused = assertThrows(GraphloopException.class, graph::compile);
    assertTrue(refused.getMessage().contains("Node 'a' reads input key 'now', which is not a declared channel"),
        refused.getMessage());
  }

  /** Input keys round-trip through the options' JSON, and blank names are refused with the rule. */
  @Test
  void inputKeysAreDataAndRefuseBlankNames() {
    NodeOptions options = new NodeOptions().setInputKeys(List.of("a", "b", "a"));
    assertEquals(List.of("a", "b"), options.getInputKeys());
    assertEquals(options, new NodeOptions(options.toJson()));
    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
        () -> new NodeOptions().setInputKeys(List.of(" ")));
    assertTrue(blank.getMessage().contains("inputKeys must hold channel names"), blank.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new NodeOptions(new JsonObject().put("inputKeys", "a")));
  }
}
