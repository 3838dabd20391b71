package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subgraph's events are streamed only when the stream asks for them ({@link RunOptions#setStreamSubgraphs},
 * LangGraph's {@code stream(..., subgraphs=True)}), in every mode, custom events included. The graph and the expected
 * chunks are those of src/test/resources/langgraph/subgraph_stream.py run against LangGraph 1.2.12 (which mirrors
 * the subgraph streaming of test_pregel.py's {@code test_nested_graph_interrupts} / {@code
 * test_checkpoint_recovery_subgraph}: {@code outer} then a subgraph node {@code child} with one node {@code inner},
 * over an append channel {@code log}; both nodes emit a custom event).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SubgraphStreamTest {

  private static CompiledGraph graph(String name) {
    CompiledGraph sub = new StateGraph(name + "-sub").channel("log", Channels.append())
        .addNode("inner", (state, ctx) -> {
          ctx.emit(Map.of("from", "inner"));
          return Future.succeededFuture(Map.of("log", List.of("inner")));
        })
        .addEdge(START, "inner").addEdge("inner", END).compile();
    return new StateGraph(name).channel("log", Channels.append())
        .addNode("outer", (state, ctx) -> {
          ctx.emit(Map.of("from", "outer"));
          return Future.succeededFuture(Map.of("log", List.of("outer")));
        })
        .addSubgraph("child", sub)
        .addEdge(START, "outer").addEdge("outer", "child").addEdge("child", END).compile();
  }

  /** (namespace's first level without its id, mode, chunk) for each chunk, as the script prints them. */
  private static List<List<Object>> chunks(List<StreamEvent> events) {
    List<List<Object>> out = new ArrayList<>();
    for (StreamEvent event : events) {
      if (!event.isTerminal()) {
        String ns = event.ns().isEmpty() ? "" : event.ns().substring(0, event.ns().indexOf(':'));
        out.add(List.of(ns, event.event().wireName(), event.data()));
      }
    }
    return out;
  }

  private static List<Object> chunk(String ns, String mode, Map<String, ?> data) {
    return List.of(ns, mode, data);
  }

  private static List<StreamEvent> stream(Vertx vertx, GraphClient client, RunOptions options) {
    return result(collect(vertx, () -> client.stream(Map.of("log", List.of()), options, StreamMode.UPDATES,
        StreamMode.VALUES, StreamMode.CUSTOM)));
  }

  @Test
  void withoutSubgraphsOnlyTheGraphsOwnEventsAreStreamed(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph("sgs-off"))).client();
    assertEquals(List.of(
        chunk("", "values", Map.of("log", List.of())),
        chunk("", "custom", Map.of("from", "outer")),
        chunk("", "updates", Map.of("outer", Map.of("log", List.of("outer")))),
        chunk("", "values", Map.of("log", List.of("outer"))),
        chunk("", "updates", Map.of("child", Map.of("log", List.of("outer", "inner")))),
        chunk("", "values", Map.of("log", List.of("outer", "outer", "inner")))),
        chunks(stream(vertx, client, new RunOptions())));
  }

  @Test
  void withSubgraphsTheChildsEventsComeUnderItsNamespaceInEveryMode(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph("sgs-on"), ThreadStateTest.MEMORY)).client();
    for (RunOptions options : List.of(new RunOptions().setStreamSubgraphs(true),
        new RunOptions().setStreamSubgraphs(true).setThreadId("t"))) {
      List<StreamEvent> events = stream(vertx, client, options);
      assertEquals(List.of(
          chunk("", "values", Map.of("log", List.of())),
          chunk("", "custom", Map.of("from", "outer")),
          chunk("", "updates", Map.of("outer", Map.of("log", List.of("outer")))),
          chunk("", "values", Map.of("log", List.of("outer"))),
          chunk("child", "values", Map.of("log", List.of("outer"))),
          chunk("child", "custom", Map.of("from", "inner")),
          chunk("child", "updates", Map.of("inner", Map.of("log", List.of("inner")))),
          chunk("child", "values", Map.of("log", List.of("outer", "inner"))),
          chunk("", "updates", Map.of("child", Map.of("log", List.of("outer", "inner")))),
          chunk("", "values", Map.of("log", List.of("outer", "outer", "inner")))), chunks(events),
          "thread " + options.getThreadId());
      String ns = events.stream().filter(e -> !e.ns().isEmpty()).findFirst().orElseThrow().ns();
      assertTrue(events.stream().filter(e -> !e.ns().isEmpty()).allMatch(e -> e.ns().equals(ns)),
          "one namespace for the one child run: " + ns);
    }
  }

  /**
   * test_stream_subgraphs_during_execution (without its sleeps, so the order between the child's and outer_1's events
   * is not fixed: compared per namespace): updates of the child's nodes come under "inner:..." before the parent's
   * update of the subgraph node, only with subgraphs.
   */
  @Test
  void streamSubgraphsDuringExecution(Vertx vertx) {
    java.util.function.BinaryOperator<Object> concat = (a, b) -> String.valueOf(a) + b;
    CompiledGraph inner = new StateGraph("sgs-exec-inner").channel("my_key", Channels.reducer(concat, ""))
        .addNode("inner_1", state -> Future.succeededFuture(Map.of("my_key", "got here",
            "my_other_key", state.getString("my_key"))))
        .addNode("inner_2", state -> Future.succeededFuture(Map.of("my_key", " and there",
            "my_other_key", state.getString("my_key"))))
        .addEdge(START, "inner_1").addEdge("inner_1", "inner_2").addEdge("inner_2", END).compile();
    CompiledGraph graph = new StateGraph("sgs-exec").channel("my_key", Channels.reducer(concat, "")).strictChannels()
        .addSubgraph("inner", inner)
        .addNode("outer_1", state -> Future.succeededFuture(Map.of("my_key", " and parallel")))
        .addNode("outer_2", state -> Future.succeededFuture(Map.of("my_key", " and back again")))
        .addEdge(START, "inner").addEdge(START, "outer_1").addEdge(List.of("inner", "outer_1"), "outer_2")
        .addEdge("outer_2", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, ThreadStateTest.MEMORY)).client();
    for (boolean subgraphs : List.of(false, true)) {
      List<List<Object>> chunks = chunks(result(collect(vertx, () -> client.stream(Map.of("my_key", ""),
          new RunOptions().setThreadId("u" + subgraphs).setStreamSubgraphs(subgraphs), StreamMode.UPDATES))));
      List<List<Object>> parent = chunks.stream().filter(c -> c.get(0).equals("")).toList();
      assertEquals(java.util.Set.of(chunk("", "updates", Map.of("outer_1", Map.of("my_key", " and parallel"))),
          chunk("", "updates", Map.of("inner", Map.of("my_key", "got here and there")))),
          java.util.Set.copyOf(parent.subList(0, 2)));
      assertEquals(chunk("", "updates", Map.of("outer_2", Map.of("my_key", " and back again"))), parent.get(2));
      List<List<Object>> child = chunks.stream().filter(c -> !c.get(0).equals("")).toList();
      assertEquals(subgraphs ? List.of(
          chunk("inner", "updates", Map.of("inner_1", Map.of("my_key", "got here", "my_other_key", ""))),
          chunk("inner", "updates", Map.of("inner_2", Map.of("my_key", " and there", "my_other_key", "got here"))))
          : List.of(), child);
      if (subgraphs) {
        assertTrue(chunks.indexOf(child.get(1)) < chunks.indexOf(chunk("", "updates", Map.of("inner",
            Map.of("my_key", "got here and there")))), "the child's updates come before the subgraph node's");
      }
    }
  }
}
