package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphValidationException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graphs LangGraph 1.2.12 accepts run as LangGraph runs them (issue 10, class 8): a router without a path map
 * ({@code test_function_in_conditional_edges_with_no_path_map}), a subgraph node whose child routes the parent to
 * nodes that have no outgoing edge ({@code test_node_destinations}), a dead end beside a branch that reaches END and a
 * node nothing reaches; and what LangGraph refuses, refused ({@code test_graph_validation}). Every expected value is
 * the output of src/test/resources/langgraph/accepted_graphs.py run against LangGraph 1.2.12 (its label is named).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AcceptedGraphsTest {

  /** LangGraph's {@code Annotated[str, operator.add]}. */
  private static StateGraph concat(String name) {
    return new StateGraph(name).channel("foo", Channels.reducer((a, b) -> (String) a + b, ""));
  }

  /** Mirrors {@code test_pregel.py::test_function_in_conditional_edges_with_no_path_map} ("no_path_map ..."). */
  @Test
  void aRouterWithoutAPathMapGoesToTheNodeItNames(Vertx vertx) {
    CompiledGraph graph = new StateGraph("no-path-map")
        .addNode("rewriter", state -> Future.succeededFuture(Map.of("query", "query: " + state.get("query"))))
        .addNode("analyzer", state -> Future.succeededFuture(Map.of("query", "analyzed: " + state.get("query"))))
        .addConditionalEdges("rewriter", state -> "analyzer")
        .setEntryPoint("rewriter").compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, ThreadStateTest.MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("q");

    assertEquals(Map.of("query", "analyzed: query: what is weather in sf"),
        result(client.invoke(Map.of("query", "what is weather in sf"), thread)).asMap());
    List<Object> history = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory("q", 100, null))) {
      history.add(List.of(state.step(), state.next()));
    }
    assertEquals(List.of(List.of(2, List.of()), List.of(1, List.of("analyzer")), List.of(0, List.of("rewriter")),
        List.of(-1, List.of(START))), history);
  }

  /** Mirrors {@code test_pregel.py::test_node_destinations} ("destinations ..." lines). */
  @Test
  void aChildRoutesItsParentToNodesWithoutOutgoingEdges(Vertx vertx) {
    CompiledGraph child = concat("destinations-child")
        .addNode("node_a", state -> {
          String value = state.getString("foo");
          return Future.succeededFuture(Command.gotoNode(value.equals("a") ? "node_b" : "node_c")
              .update(Map.of("foo", value)).graph(Command.PARENT));
        })
        .addEdge(START, "node_a").compile();
    CompiledGraph graph = concat("destinations")
        .addEdge(START, "child")
        .addSubgraph("child", Subgraph.of(child), new NodeOptions().setDestinations(List.of("node_b", "node_c")))
        .addNode("node_b", state -> Future.succeededFuture(Map.of("foo", "b")))
        .addNode("node_c", state -> Future.succeededFuture(Map.of("foo", "c")))
        .compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, ThreadStateTest.MEMORY)).client();

    assertEquals(Map.of("foo", "c"), result(client.invoke(Map.of("foo", ""), new RunOptions().setThreadId("d1")))
        .asMap());
    assertEquals(Map.of("foo", "aab"), result(client.invoke(Map.of("foo", "a"), new RunOptions().setThreadId("d2")))
        .asMap());
    List<Object> updates = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(Map.of("foo", "a"),
        new RunOptions().setThreadId("d3"), StreamMode.UPDATES)))) {
      if (!event.isTerminal()) {
        updates.add(event.data());
      }
    }
    assertEquals(List.of(Map.of("child", Map.of("foo", "a")), Map.of("node_b", Map.of("foo", "b"))), updates);
    assertEquals(List.of(), result(client.getState("d3")).next());
    assertEquals(new JsonObject("{\"edges\": [{\"source\": \"__start__\", \"target\": \"child\"}, "
        + "{\"source\": \"child\", \"target\": \"node_b\", \"conditional\": true}, "
        + "{\"source\": \"child\", \"target\": \"node_c\", \"conditional\": true}, "
        + "{\"source\": \"node_b\", \"target\": \"__end__\"}, {\"source\": \"node_c\", \"target\": \"__end__\"}]}")
        .getJsonArray("edges"), graph.drawing(0).toJson().getJsonArray("edges"));
  }

  /** "dead end ..." and "orphan ..." lines: a branch with no outgoing edge ends there; an unreachable node never runs. */
  @Test
  void aDeadEndBranchAndAnUnreachableNodeAreAccepted(Vertx vertx) {
    CompiledGraph deadEnd = concat("dead-end")
        .addNode("a", state -> Future.succeededFuture(Map.of("foo", "a")))
        .addNode("b", state -> Future.succeededFuture(Map.of("foo", "b")))
        .addNode("c", state -> Future.succeededFuture(Map.of("foo", "c")))
        .addEdge(START, "a").addEdge("a", "b").addEdge("a", "c").addEdge("b", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, deadEnd, ThreadStateTest.MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("x");
    assertEquals(Map.of("foo", "abc"), result(client.invoke(Map.of("foo", ""), thread)).asMap());
    assertEquals(List.of(), result(client.getState("x")).next());

    AtomicInteger orphanRuns = new AtomicInteger();
    CompiledGraph orphan = concat("orphan")
        .addNode("a", state -> Future.succeededFuture(Map.of("foo", "a")))
        .addNode("orphan", state -> {
          orphanRuns.incrementAndGet();
          return Future.succeededFuture(Map.of("foo", "o"));
        })
        .addEdge(START, "a").compile();
    GraphClient orphanClient = result(GraphRuntime.deploy(vertx, orphan)).client();
    assertEquals(Map.of("foo", "a"), result(orphanClient.invoke(Map.of("foo", ""))).asMap());
    assertEquals(0, orphanRuns.get());
  }

  /**
   * Mirrors {@code test_pregel.py::test_conditional_entrypoint_to_multiple_state_graph} ("conditional entry sends")
   * and {@code test_conditional_state_graph_with_list_edge_inputs} ("join into END"): a router from START that
   * returns Sends, and a waiting edge whose target is END.
   */
  @Test
  void aRouterFromStartSendsAndAJoinEndsTheRun(Vertx vertx) {
    CompiledGraph weather = new StateGraph("conditional-entry-sends").channel("results", Channels.append())
        .addNode("get_weather", state -> {
          String location = state.getString("location");
          return Future.succeededFuture(Map.of("results", List.of("It's " + (location.length() > 2 ? "sunny"
              : "cloudy") + " in " + location)));
        })
        .addEdge("get_weather", END)
        .addConditionalEdges(START, state -> {
          List<Object> sends = new ArrayList<>();
          state.getList("locations").forEach(l -> sends.add(new io.graphloop.graph.Send("get_weather",
              Map.of("location", l))));
          return sends;
        }, List.of("get_weather")).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, weather)).client();
    assertEquals(Map.of("locations", List.of("sf", "nyc"), "results", List.of("It's cloudy in sf",
        "It's sunny in nyc")), result(client.invoke(Map.of("locations", List.of("sf", "nyc")))).asMap());

    CompiledGraph join = new StateGraph("join-into-end").channel("foo", Channels.append())
        .addNode("A", state -> Future.succeededFuture(Map.of("foo", List.of("A"))))
        .addNode("B", state -> Future.succeededFuture(Map.of("foo", List.of("B"))))
        .addEdge(START, "A").addEdge(START, "B").addEdge(List.of("A", "B"), END).compile();
    GraphClient joinClient = result(GraphRuntime.deploy(vertx, join, ThreadStateTest.MEMORY)).client();
    assertEquals(Map.of("foo", List.of("A", "B")), result(joinClient.invoke(Map.of("foo", List.of()),
        new RunOptions().setThreadId("j"))).asMap());
    List<Object> history = new ArrayList<>();
    for (ThreadState state : result(joinClient.getStateHistory("j", 100, null))) {
      history.add(List.of(state.step(), state.next()));
    }
    assertEquals(List.of(List.of(1, List.of()), List.of(0, List.of("A", "B")), List.of(-1, List.of(START))), history);
  }

  /** Mirrors {@code test_pregel.py::test_graph_validation} ("unknown source", "two writes" lines). */
  @Test
  void whatLangGraphRefusesIsRefused(Vertx vertx) {
    StateGraph unknownSource = new StateGraph("unknown-source")
        .addNode("start", state -> Future.succeededFuture(Map.of()))
        .addEdge(START, "start").addEdge("unknown", "start").addEdge("start", END);
    GraphValidationException invalid = assertThrows(GraphValidationException.class, unknownSource::compile);
    assertTrue(invalid.getMessage().contains("'unknown'"), invalid.getMessage());

    CompiledGraph twoWrites = new StateGraph("two-writes")
        .addNode("a", state -> Future.succeededFuture(Map.of("hello", "world")))
        .addNode("b", state -> Future.succeededFuture(Map.of("hello", "world")))
        .addNode("c", state -> Future.succeededFuture(Map.of("hello", "world")))
        .setEntryPoint("a").addEdge("a", "b").addEdge("a", "c").compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, twoWrites)).client();
    InvalidUpdateException refused = assertInstanceOf(InvalidUpdateException.class,
        failure(client.invoke(Map.of("hello", "there"))));
    assertEquals("hello", refused.channel());
  }
}
