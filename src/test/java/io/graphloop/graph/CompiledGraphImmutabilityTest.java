package io.graphloop.graph;

import io.graphloop.state.Channels;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Nothing a CompiledGraph hands out can change it: arrays are copies, collections unmodifiable, options copies. */
class CompiledGraphImmutabilityTest {

  private static CompiledGraph graph() {
    return new StateGraph("frozen")
        .channel("log", Channels.append())
        .addNode("a", (state, ctx) -> Future.succeededFuture(Map.of()), new NodeOptions().setTimeoutMs(1_000))
        .addNode("b", state -> Future.succeededFuture(Map.of()))
        .addNode("c", state -> Future.succeededFuture(Map.of()))
        .addEdge(START, "a").addEdge(START, "b").addEdge(List.of("a", "b"), "c")
        .addConditionalEdges("c", state -> END, List.of(END))
        .interruptBefore("c")
        .compile();
  }

  @Test
  void mutatingWhatItHandsOutChangesNothing() {
    CompiledGraph graph = graph();
    int start = graph.startIndex();
    int[] targets = graph.edgeTargets(start);
    int[] before = targets.clone();
    targets[0] = 99;
    assertArrayEquals(before, graph.edgeTargets(start));
    Branch[] branches = graph.branches(graph.indexOf("c"));
    branches[0] = null;
    assertEquals("c", graph.branches(graph.indexOf("c"))[0].source());
    int[] sources = graph.joinSources(0);
    sources[0] = 99;
    assertEquals(graph.indexOf("a"), graph.joinSources(0)[0]);
    int[] joins = graph.joinsOf(graph.indexOf("a"));
    joins[0] = 99;
    assertEquals(0, graph.joinsOf(graph.indexOf("a"))[0]);
    graph.node("a").options().setTimeoutMs(5);
    assertEquals(1_000, graph.node("a").options().getTimeoutMs());
    assertThrows(UnsupportedOperationException.class, () -> graph.nodes().clear());
    assertThrows(UnsupportedOperationException.class, () -> graph.channels().clear());
    assertThrows(UnsupportedOperationException.class, () -> graph.joins().clear());
    assertThrows(UnsupportedOperationException.class, () -> graph.joins().get(0).sources().clear());
    assertThrows(UnsupportedOperationException.class, () -> graph.interruptBefore().clear());
    assertThrows(UnsupportedOperationException.class, () -> graph.interruptAfter().add("a"));
    assertThrows(UnsupportedOperationException.class, () -> graph.warnings().add("x"));
    assertThrows(UnsupportedOperationException.class, () -> graph.branches(graph.indexOf("c"))[0].pathMap().clear());
  }

  @Test
  void theCallersOptionsObjectDoesNotReachTheCompiledGraph() {
    NodeOptions options = new NodeOptions().setTimeoutMs(1_000);
    CompiledGraph graph = new StateGraph("own-options")
        .addNode("a", (state, ctx) -> Future.succeededFuture(Map.of()), options)
        .addEdge(START, "a").addEdge("a", END)
        .compile();
    options.setTimeoutMs(5);
    assertEquals(1_000, graph.node("a").options().getTimeoutMs());
  }
}
