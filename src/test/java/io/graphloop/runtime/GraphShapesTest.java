package io.graphloop.runtime;

import io.graphloop.errors.GraphRecursionException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Graphs LangGraph accepts run as LangGraph runs them (issue 10, class 8). Expected values were produced by
 * LangGraph 1.2.12 on the same graphs: {@code START -> a -> b} with no edge out of {@code b} returns
 * {@code {'log': ['a', 'b']}}; {@code a <-> b} with {@code recursion_limit=5} raises GraphRecursionError.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class GraphShapesTest {

  private static StateGraph logging(String name, String... nodes) {
    StateGraph graph = new StateGraph(name).channel("log", Channels.append());
    for (String node : nodes) {
      graph.addNode(node, state -> Future.succeededFuture(Map.of("log", List.of(node))));
    }
    return graph;
  }

  @Test
  void aNodeWithNoOutgoingEdgeEndsTheRunThere(Vertx vertx, VertxTestContext ctx) {
    CompiledGraph graph = logging("dead-end", "a", "b", "orphan").addEdge(START, "a").addEdge("a", "b").compile();

    GraphRuntime.deploy(vertx, graph).compose(runtime -> runtime.client().invoke(Map.of("log", List.of())))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(Map.of("log", List.of("a", "b")), state.asMap(), "b ends the run; orphan never runs");
          ctx.completeNow();
        })));
  }

  @Test
  void aClosedLoopStopsAtTheRecursionLimit(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger steps = new AtomicInteger();
    CompiledGraph graph = new StateGraph("closed-loop")
        .addNode("a", state -> Future.succeededFuture(Map.of("n", steps.incrementAndGet())))
        .addNode("b", state -> Future.succeededFuture(Map.of("n", steps.incrementAndGet())))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", "a")
        .compile();

    GraphRuntime.deploy(vertx, graph)
        .compose(runtime -> runtime.client().invoke(Map.of("n", 0), new RunOptions().setRecursionLimit(5)))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          GraphRecursionException e = assertInstanceOf(GraphRecursionException.class, failure);
          assertEquals(5, e.limit());
          ctx.completeNow();
        })));
  }
}
