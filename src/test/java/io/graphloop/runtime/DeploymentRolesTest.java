package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deployment roles: coordinator-only and worker deployments, as cluster members use them. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class DeploymentRolesTest {

  @Test
  void aCoordinatorOnlyDeploymentRunsGraphsOnAWorkerDeployment(Vertx vertx, VertxTestContext test) {
    CompiledGraph graph = SeedGraph.build("roles-1", 5);
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setNodes(List.of()))
        .compose(coordinator -> GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setCoordinator(false))
            .compose(worker -> coordinator.client().invoke(SeedGraph.input())))
        .onComplete(test.succeeding(state -> test.verify(() -> {
          assertTrue(SeedGraph.isComplete(state), state.toString());
          test.completeNow();
        })));
  }

  @Test
  void aNodeHostedNowhereFailsTheRunAtOnceNamingNodeAndGraph(Vertx vertx, VertxTestContext test) {
    CompiledGraph graph = SeedGraph.build("roles-2", 5);
    long started = System.nanoTime();
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setNodes(List.of("start", "llm")))
        .compose(partial -> partial.client().invoke(SeedGraph.input(), new RunOptions().setTimeoutMs(60_000)))
        .onComplete(test.failing(failure -> test.verify(() -> {
          GraphloopException e = assertInstanceOf(GraphloopException.class, failure);
          assertEquals(FailureCode.UNKNOWN_TARGET, e.code());
          assertEquals("db", e.node());
          assertTrue(e.getMessage().contains("node 'db' of graph 'roles-2'"), e.getMessage());
          assertTrue(System.nanoTime() - started < 10_000_000_000L, "at once, not after the node's timeout");
          test.completeNow();
        })));
  }

  @Test
  void rolesRoundTripThroughJsonAndRejectWrongTypes(VertxTestContext test) {
    test.verify(() -> {
      GraphRuntimeOptions worker = new GraphRuntimeOptions().setCoordinator(false).setNodes(List.of("llm"));
      GraphRuntimeOptions read = new GraphRuntimeOptions(worker.toJson());
      assertEquals(false, read.isCoordinator());
      assertEquals(List.of("llm"), read.getNodes());
      assertTrue(read.hostsNode("llm") && !read.hostsNode("db"));
      IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> new GraphRuntimeOptions(new JsonObject().put("coordinator", "yes")));
      assertTrue(bad.getMessage().contains("'coordinator'"), bad.getMessage());
    });
    test.completeNow();
  }
}
