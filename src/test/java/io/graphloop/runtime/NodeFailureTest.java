package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphRecursionException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's failure fails its run with a structured exception (graph, run, step, node, the node's own cause),
 * and leaves the deployment able to serve the next run. The node to reach is chosen by the input's "mode".
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class NodeFailureTest {

  private static final String GRAPH = "failures";

  private final IllegalStateException thrown = new IllegalStateException("thrown by the node");
  private final IllegalArgumentException failedFuture = new IllegalArgumentException("failed future of the node");
  private final AtomicInteger loops = new AtomicInteger();
  private GraphClient client;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph(GRAPH)
        .addNode("prep", state -> Future.succeededFuture(Map.of("prepared", true)))
        .addNode("throws", state -> {
          throw thrown;
        })
        .addNode("failsFuture", state -> Future.failedFuture(failedFuture))
        .addNode("returnsString", state -> Future.succeededFuture("not an update"))
        .addNode("writerA", state -> Future.succeededFuture(Map.of("answer", "from A")))
        .addNode("writerB", state -> Future.succeededFuture(Map.of("answer", "from B")))
        .addNode("loop", state -> {
          loops.incrementAndGet();
          return Future.succeededFuture(Map.of("n", loops.get()));
        })
        .addNode("ok", state -> Future.succeededFuture(Map.of("answer", "fine")))
        .addEdge(START, "prep")
        .addConditionalEdges("prep", state -> state.getString("mode").equals("twoWriters")
            ? List.of("writerA", "writerB") : state.getString("mode"))
        .addConditionalEdges("loop", state -> "loop", List.of("loop", END));
    for (String node : List.of("throws", "failsFuture", "returnsString", "writerA", "writerB", "ok")) {
      graph.addEdge(node, END);
    }
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .onComplete(ctx.succeeding(runtime -> {
          client = runtime.client();
          ctx.completeNow();
        }));
  }

  private Future<?> run(String mode, String runId) {
    return client.invoke(Map.of("mode", mode), new RunOptions().setRunId(runId));
  }

  @Test
  void nodeThatThrowsFailsTheRunWithItsOwnException(VertxTestContext ctx) {
    run("throws", "run-throws").onComplete(ctx.failing(failure -> ctx.verify(() -> {
      NodeFailedException e = assertInstanceOf(NodeFailedException.class, failure);
      assertEquals(FailureCode.NODE_FAILED, e.code());
      assertEquals(GRAPH, e.graph());
      assertEquals("run-throws", e.runId());
      assertEquals(2, e.step());
      assertEquals("throws", e.node());
      assertSame(thrown, e.getCause());
      assertTrue(e.getMessage().contains("thrown by the node"), e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void nodeThatReturnsAFailedFutureFailsTheRunWithItsOwnException(VertxTestContext ctx) {
    run("failsFuture", "run-failed-future").onComplete(ctx.failing(failure -> ctx.verify(() -> {
      NodeFailedException e = assertInstanceOf(NodeFailedException.class, failure);
      assertEquals(GRAPH, e.graph());
      assertEquals("run-failed-future", e.runId());
      assertEquals(2, e.step());
      assertEquals("failsFuture", e.node());
      assertSame(failedFuture, e.getCause());
      ctx.completeNow();
    })));
  }

  @Test
  void nodeThatReturnsANonUpdateFailsWithInvalidUpdateNamingTheNode(VertxTestContext ctx) {
    run("returnsString", "run-string").onComplete(ctx.failing(failure -> ctx.verify(() -> {
      InvalidUpdateException e = assertInstanceOf(InvalidUpdateException.class, failure);
      assertEquals(FailureCode.INVALID_UPDATE, e.code());
      assertEquals("returnsString", e.node());
      assertEquals(List.of("returnsString"), e.writers());
      assertEquals("run-string", e.runId());
      assertEquals(2, e.step());
      assertTrue(e.getMessage().contains("'returnsString'"), e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void twoLastValueWritesInOneStepFailNamingChannelAndWriters(VertxTestContext ctx) {
    run("twoWriters", "run-two-writers").onComplete(ctx.failing(failure -> ctx.verify(() -> {
      InvalidUpdateException e = assertInstanceOf(InvalidUpdateException.class, failure);
      assertEquals("answer", e.channel());
      assertEquals(List.of("writerA", "writerB"), e.writers());
      assertEquals(GRAPH, e.graph());
      assertEquals("run-two-writers", e.runId());
      assertEquals(2, e.step());
      assertTrue(e.getMessage().contains("'answer'") && e.getMessage().contains("writerA")
          && e.getMessage().contains("writerB"), e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void loopingGraphFailsAtItsRecursionLimit(VertxTestContext ctx) {
    RunOptions options = new RunOptions().setRunId("run-loop").setRecursionLimit(10);
    client.invoke(Map.of("mode", "loop"), options).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      GraphRecursionException e = assertInstanceOf(GraphRecursionException.class, failure);
      assertEquals(FailureCode.RECURSION_LIMIT, e.code());
      assertEquals(10, e.limit());
      assertEquals(GRAPH, e.graph());
      assertEquals("run-loop", e.runId());
      assertEquals(11, e.step(), "the step past the budget (LangGraph 1.x: stop = step + limit + 1)");
      assertEquals(9, loops.get(), "START's step 0, prep in step 1, nine loop steps 2 to 10, as LangGraph 1.2.12 runs them");
      ctx.completeNow();
    })));
  }

  @Test
  void deploymentServesValidRunsAfterEveryKindOfFailure(VertxTestContext ctx) {
    List<String> failing = List.of("throws", "failsFuture", "returnsString", "twoWriters", "loop");
    Future<Void> chain = Future.succeededFuture();
    for (String mode : failing) {
      chain = chain.compose(v -> client.invoke(Map.of("mode", mode), new RunOptions().setRecursionLimit(5))
          .transform(result -> result.failed() ? Future.succeededFuture()
              : Future.failedFuture("mode " + mode + " should have failed")));
    }
    chain.compose(v -> client.invoke(Map.of("mode", "ok")))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals("fine", state.getString("answer"));
          assertEquals(true, state.getBoolean("prepared"));
          ctx.completeNow();
        })));
  }
}
