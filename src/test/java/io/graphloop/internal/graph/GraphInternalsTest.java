package io.graphloop.internal.graph;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The engine reads the compiled graph's own arrays and options (no copy per step), while outside callers get
 * copies: both views hold the same values.
 */
class GraphInternalsTest {

  private static final GraphInternals.Accessor GRAPH = GraphInternals.get();

  private static CompiledGraph graph() {
    return new StateGraph("internals")
        .addNode("a", (state, ctx) -> Future.succeededFuture(Map.of()), new NodeOptions().setDefer(false)
            .setTimeoutMs(2_000))
        .addNode("b", state -> Future.succeededFuture(Map.of()))
        .addNode("c", state -> Future.succeededFuture(Map.of()))
        .addEdge(START, "a").addEdge(START, "b").addEdge(List.of("a", "b"), "c")
        .addConditionalEdges("c", state -> END, List.of(END))
        .compile();
  }

  @Test
  void theEngineSeesTheSharedArraysWithoutCopies() {
    CompiledGraph graph = graph();
    int start = graph.startIndex();
    int a = graph.indexOf("a");
    int c = graph.indexOf("c");
    assertSame(GRAPH.edgeTargets(graph, start), GRAPH.edgeTargets(graph, start));
    assertSame(GRAPH.branches(graph, c), GRAPH.branches(graph, c));
    assertSame(GRAPH.joinSources(graph, 0), GRAPH.joinSources(graph, 0));
    assertSame(GRAPH.joinsOf(graph, a), GRAPH.joinsOf(graph, a));
    assertSame(GRAPH.options(graph.node("a")), GRAPH.options(graph.node("a")));

    assertNotSame(GRAPH.edgeTargets(graph, start), graph.edgeTargets(start));
    assertArrayEquals(GRAPH.edgeTargets(graph, start), graph.edgeTargets(start));
    assertArrayEquals(GRAPH.branches(graph, c), graph.branches(c));
    assertArrayEquals(GRAPH.joinSources(graph, 0), graph.joinSources(0));
    assertArrayEquals(GRAPH.joinsOf(graph, a), graph.joinsOf(a));
    assertNotSame(GRAPH.options(graph.node("a")), graph.node("a").options());
    assertEquals(2_000, GRAPH.options(graph.node("a")).getTimeoutMs());
  }

  @Test
  void whatAStepReadsOfANodeComesFromArraysThatAgreeWithItsDefinition() {
    CompiledGraph graph = new StateGraph("per-step")
        .addNode("a", (state, ctx) -> Future.succeededFuture(Map.of()), new NodeOptions()
            .setRetry(io.graphloop.graph.RetryPolicy.builder().maxAttempts(4).build()))
        .addNode("b", state -> Future.succeededFuture(Map.of()))
        .addNode("c", state -> Future.succeededFuture(Map.of()))
        .addEdge(START, "a").addEdge("a", "b").addEdge("a", "c").addEdge("b", END).addEdge("c", END)
        .compile();
    int a = graph.indexOf("a");
    int b = graph.indexOf("b");
    for (int i = 0; i < graph.nodes().size(); i++) {
      assertSame(graph.node(i).name(), GRAPH.nodeName(graph, i));
      assertEquals(graph.node(i).options().getRetry().maxAttempts(), GRAPH.maxAttempts(graph, i));
      assertEquals(graph.node(i).subgraph() != null, GRAPH.isSubgraph(graph, i));
    }
    assertEquals(4, GRAPH.maxAttempts(graph, a));
    assertEquals(a, GRAPH.onlyEdgeTarget(graph, graph.startIndex()), "one edge: its target");
    assertEquals(GraphInternals.SEVERAL_EDGES, GRAPH.onlyEdgeTarget(graph, a), "two edges: read edgeTargets");
    assertEquals(GraphInternals.NO_EDGE, GRAPH.onlyEdgeTarget(graph, b), "only END: no static target");
    assertSame(GRAPH.joinsOf(graph, a), GRAPH.joinsOf(graph, b), "nodes in no join share one empty array");
  }
}
