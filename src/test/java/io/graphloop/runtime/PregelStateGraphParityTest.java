package io.graphloop.runtime;

import io.graphloop.agents.HumanMessage;
import io.graphloop.client.GraphClient;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.graphloop.state.Overwrite;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * StateGraph tests of {@code libs/langgraph/tests/test_pregel.py} (each method names the one it mirrors):
 * {@code test_overwrite_sequential} and {@code test_overwrite_parallel_error} in both forms of Overwrite (the object
 * and its JSON {@code {"__overwrite__": ...}}), {@code test_multistep_plan}, {@code test_graph_validation_with_command}
 * and {@code test_parent_command_goto}. The expected values are what
 * src/test/resources/langgraph/pregel_stategraph.py printed against LangGraph 1.2.12 (pregel_stategraph.json),
 * compared whole; a message shows as [type, content].
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class PregelStateGraphParityTest {

  private static JsonObject expected;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = PregelStateGraphParityTest.class.getResourceAsStream("/langgraph/pregel_stategraph.json")) {
      expected = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Object overwrite(List<String> value, boolean asJson) {
    return asJson ? Map.of(Overwrite.TYPE, value) : new Overwrite(value);
  }

  /** test_overwrite_sequential: node_b's Overwrite replaces the list node_a's write grew. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void testOverwriteSequential(boolean asJson, Vertx vertx) {
    String form = asJson ? "json" : "object";
    CompiledGraph graph = new StateGraph("psg-overwrite-seq-" + form).channel("messages", Channels.append())
        .addNode("node_a", state -> Future.succeededFuture(Map.of("messages", List.of("a"))))
        .addNode("node_b", state -> Future.succeededFuture(Map.of("messages", overwrite(List.of("b"), asJson))))
        .addEdge(START, "node_a").addEdge("node_a", "node_b").compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    Map<String, Object> values = result(client.run(Map.of("messages", List.of("START")),
        new RunOptions().setThreadId("1"))).values().toJson().getMap();
    assertEquals(expected.getJsonObject("test_overwrite_sequential[" + form + "]"), new JsonObject(values));
  }

  /**
   * test_overwrite_parallel_error: two parallel Overwrites of one channel fail the step with InvalidUpdateError
   * ({@link InvalidUpdateException}); Graphloop's message holds LangGraph's sentence and names the channel, step and
   * nodes too.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void testOverwriteParallelError(boolean asJson, Vertx vertx) {
    String form = asJson ? "json" : "object";
    CompiledGraph graph = new StateGraph("psg-overwrite-par-" + form).channel("messages", Channels.append())
        .addNode("node_a", state -> Future.succeededFuture(Map.of("messages", List.of("a"))))
        .addNode("node_b", state -> Future.succeededFuture(Map.of("messages", overwrite(List.of("b"), asJson))))
        .addNode("node_c", state -> Future.succeededFuture(Map.of("messages", overwrite(List.of("c"), asJson))))
        .addEdge(START, "node_a").addEdge("node_a", "node_b").addEdge("node_a", "node_c")
        .addEdge("node_b", END).addEdge("node_c", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    Throwable failed = failure(client.run(Map.of("messages", List.of("START")), new RunOptions().setThreadId("1")));
    InvalidUpdateException invalid = assertInstanceOf(InvalidUpdateException.class, failed);
    String sentence = expected.getJsonObject("test_overwrite_parallel_error[" + form + "]").getString("error");
    assertTrue(invalid.getMessage().contains(sentence.substring(0, sentence.length() - 1)), invalid.getMessage());
    assertTrue(invalid.getMessage().contains("[node_b, node_c]"), invalid.getMessage());
  }

  /** test_multistep_plan: the planner's Commands go to each step of the plan kept in the state (one a list of two). */
  @Test
  @SuppressWarnings("unchecked")
  void testMultistepPlan(Vertx vertx) {
    StateGraph builder = new StateGraph("psg-plan").channel("plan", Channels.lastValue())
        .channel("messages", Channels.messages())
        .addNode("planner", state -> {
          Object plan = state.get("plan");
          if (plan == null) {
            return Future.succeededFuture(Command.of(Map.of("plan", List.of(List.of("step2", "step3"), "step4")),
                "step1"));
          }
          List<Object> rest = new ArrayList<>((List<Object>) plan);
          if (rest.isEmpty()) {
            return Future.succeededFuture(Map.of());
          }
          Object next = rest.remove(0);
          return Future.succeededFuture(Command.of(Map.of("plan", rest), next));
        })
        .addEdge(START, "planner");
    for (String step : List.of("step1", "step2", "step3", "step4")) {
      builder.addNode(step, state -> Future.succeededFuture(Command.of(Map.of("messages",
          List.of(new HumanMessage(step, null))), "planner")));
    }
    GraphClient client = result(GraphRuntime.deploy(vertx, builder.compile(), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");
    Map<String, Object> values = result(client.run(Map.of("messages", List.of(new HumanMessage("start", null))),
        thread)).values().toJson().getMap();
    JsonArray messages = new JsonArray();
    for (Object message : (List<Object>) values.get("messages")) {
      Map<String, Object> m = message instanceof JsonObject ? ((JsonObject) message).getMap() : (Map<String, Object>) message;
      messages.add(new JsonArray().add(m.get("type")).add(m.get("content")));
    }
    JsonArray history = new JsonArray();
    for (ThreadState h : result(client.getStateHistory("1", 0, null))) {
      history.add(new JsonObject().put("step", h.step()).put("next", new JsonArray(new ArrayList<>(h.next()))));
    }
    JsonObject got = new JsonObject().put("messages", messages).put("plan", values.get("plan")).put("history", history);
    assertEquals(expected.getJsonObject("test_multistep_plan").encodePrettily(), got.encodePrettily());
  }

  /** test_graph_validation_with_command: a graph routed by Commands alone (no edge after a). */
  @Test
  void testGraphValidationWithCommand(Vertx vertx) {
    CompiledGraph graph = new StateGraph("psg-commands").channel("foo", Channels.lastValue())
        .channel("bar", Channels.lastValue())
        .addNode("a", state -> Future.succeededFuture(Command.of(Map.of("foo", "bar"), "b")))
        .addNode("b", state -> Future.succeededFuture(Command.of(Map.of("bar", "baz"), END)))
        .addEdge(START, "a").compile();
    Map<String, Object> values = result(result(GraphRuntime.deploy(vertx, graph)).client().run(Map.of("foo", ""),
        new RunOptions())).values().toJson().getMap();
    assertEquals(expected.getJsonObject("test_graph_validation_with_command"), new JsonObject(values));
  }

  /**
   * test_parent_command_goto: the subgraph's last node sends its parent to node_b_parent with an update; the
   * subgraph with {@code checkpointer=True} (STATEFUL) or {@code False} (NONE); LangGraph's step timeouts ("inner":
   * the subgraph's, "outer": the parent's) are node timeouts here (on the child's nodes, on the subgraph node).
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"true,False", "true,inner", "true,outer", "true,both",
      "false,False", "false,inner", "false,outer", "false,both"})
  void testParentCommandGoto(boolean persist, String withTimeout, Vertx vertx) {
    String name = "psg-parent-goto-" + persist + "-" + withTimeout;
    boolean inner = withTimeout.equals("inner") || withTimeout.equals("both");
    boolean outer = withTimeout.equals("outer") || withTimeout.equals("both");
    io.graphloop.graph.NodeOptions innerOptions = inner ? new io.graphloop.graph.NodeOptions().setTimeoutMs(1000)
        : new io.graphloop.graph.NodeOptions();
    CompiledGraph child = new StateGraph(name + "-sub").channel("dialog_state", Channels.append())
        .addNode("node_a_child", (state, ctx) -> Future.succeededFuture(Map.of("dialog_state",
            List.of("a_child_state"))), innerOptions)
        .addNode("node_b_child", (state, ctx) -> Future.succeededFuture(Command.of(Map.of("dialog_state",
            List.of("b_child_state")), "node_b_parent").graph(Command.PARENT)), innerOptions)
        .addEdge(START, "node_a_child").addEdge("node_a_child", "node_b_child").compile();
    io.graphloop.graph.NodeOptions outerOptions = new io.graphloop.graph.NodeOptions()
        .setDestinations(List.of("node_b_parent"));
    if (outer) {
      outerOptions.setTimeoutMs(1000);
    }
    CompiledGraph parent = new StateGraph(name).channel("dialog_state", Channels.append())
        .addNode("node_b_parent", state -> Future.succeededFuture(Map.of("dialog_state", List.of("node_b_parent"))))
        .addEdge(START, "subgraph_node")
        .addSubgraph("subgraph_node", io.graphloop.graph.Subgraph.of(child).persistence(persist
            ? io.graphloop.graph.Subgraph.Persistence.STATEFUL : io.graphloop.graph.Subgraph.Persistence.NONE),
            outerOptions)
        .compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    Map<String, Object> values = result(client.run(Map.of("dialog_state", List.of("init_state")),
        new RunOptions().setThreadId("1"))).values().toJson().getMap();
    assertEquals(expected.getJsonObject("test_parent_command_goto[" + (persist ? "True" : "False") + "-"
        + withTimeout + "]"), new JsonObject(values));
  }
}
