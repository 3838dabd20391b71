package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node that does not answer in time fails its run with a NodeTimeoutException naming node, step and limit. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class NodeTimeoutTest {

  private static final AsyncNode NEVER = (state, ctx) -> Promise.promise().future();

  /** START -> first -> slow -> END, so the slow node runs at step 1. */
  private static StateGraph graph(String name, AsyncNode slow, NodeOptions slowOptions) {
    return new StateGraph(name)
        .addNode("first", state -> Future.succeededFuture(Map.of("first", true)))
        .addNode("slow", slow, slowOptions)
        .addEdge(START, "first").addEdge("first", "slow").addEdge("slow", END);
  }

  @Test
  void nodeTimeoutFailsTheRunNamingNodeStepAndLimit(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = graph("timeout-node", NEVER, new NodeOptions().setTimeoutMs(200));
    GraphRuntimeOptions options = new GraphRuntimeOptions().setNodeTimeoutMs(20_000);
    GraphRuntime.deploy(vertx, graph.compile(), options)
        .compose(runtime -> runtime.client().invoke(Map.of(), new RunOptions().setRunId("run-timeout")))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          NodeTimeoutException e = assertInstanceOf(NodeTimeoutException.class, failure);
          assertEquals(FailureCode.TIMEOUT, e.code());
          assertEquals("slow", e.node());
          assertEquals(2, e.step());
          assertEquals(200, e.timeoutMs());
          assertEquals("timeout-node", e.graph());
          assertEquals("run-timeout", e.runId());
          assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void deploymentDefaultAppliesWhenTheNodeSetsNoTimeout(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = graph("timeout-default", NEVER, new NodeOptions());
    GraphRuntimeOptions options = new GraphRuntimeOptions().setNodeTimeoutMs(150);
    GraphRuntime.deploy(vertx, graph.compile(), options)
        .compose(runtime -> runtime.client().invoke(Map.of()))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          NodeTimeoutException e = assertInstanceOf(NodeTimeoutException.class, failure);
          assertEquals("slow", e.node());
          assertEquals(150, e.timeoutMs());
          ctx.completeNow();
        })));
  }

  @Test
  void nodeTimeoutOverridesAShorterDeploymentDefault(Vertx vertx, VertxTestContext ctx) {
    AsyncNode takesLongerThanTheDefault = (state, c) -> c.vertx().timer(500).map(done -> Map.of("slow", "done"));
    StateGraph graph = graph("timeout-override", takesLongerThanTheDefault, new NodeOptions().setTimeoutMs(5_000));
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions().setNodeTimeoutMs(250))
        .compose(runtime -> runtime.client().invoke(Map.of()))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals("done", state.getString("slow"));
          assertEquals(true, state.getBoolean("first"));
          ctx.completeNow();
        })));
  }
}
