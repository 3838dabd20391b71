package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.state.State;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A coordinator resolves each node's instance on its event loop once and keeps it until a deployment changes: node
 * instances undeployed and deployed again under a running coordinator are found, the stopped ones are not used.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NodeRedeployTest {

  /** START -> a -> b -> END; each node appends {@code tag} to "by" so the final state names who ran it. */
  private static CompiledGraph graph(String tag) {
    return new StateGraph("redeploy").channel("by", io.graphloop.state.Channels.append())
        .addNode("a", state -> Future.succeededFuture(Map.of("by", List.of("a:" + tag))))
        .addNode("b", state -> Future.succeededFuture(Map.of("by", List.of("b:" + tag))))
        .addEdge(StateGraph.START, "a").addEdge("a", "b").addEdge("b", StateGraph.END).compile();
  }

  @Test
  void nodesRedeployedUnderARunningCoordinatorAreFoundAndStoppedOnesAreNot(Vertx vertx, VertxTestContext test) {
    RunOptions quick = new RunOptions().setTimeoutMs(30_000);
    GraphRuntime.deploy(vertx, graph("coordinator"), new GraphRuntimeOptions().setNodes(List.of()))
        .compose(coordinator -> GraphRuntime.deploy(vertx, graph("first"), new GraphRuntimeOptions()
                .setCoordinator(false))
            .compose(first -> runTwice(coordinator, quick).compose(ran -> {
              test.verify(() -> assertEquals(List.of("a:first", "b:first"), ran.getList("by")));
              return first.undeploy();
            }))
            .compose(undeployed -> coordinator.client().invoke(Map.of(), quick).transform(gone -> {
              test.verify(() -> {
                GraphloopException e = assertInstanceOf(GraphloopException.class, gone.cause(),
                    "no instance left: " + gone);
                assertEquals(FailureCode.UNKNOWN_TARGET, e.code());
                assertEquals("a", e.node());
              });
              return GraphRuntime.deploy(vertx, graph("second"), new GraphRuntimeOptions().setCoordinator(false));
            }))
            .compose(second -> runTwice(coordinator, quick)))
        .onComplete(test.succeeding(ran -> test.verify(() -> {
          assertEquals(List.of("a:second", "b:second"), ran.getList("by"));
          test.completeNow();
        })));
  }

  /** Two runs from an event loop (the second goes through routes cached by the first), the second's state. */
  private static Future<State> runTwice(GraphRuntime coordinator, RunOptions options) {
    return coordinator.client().invoke(Map.of(), options)
        .compose(first -> coordinator.client().invoke(Map.of(), options));
  }
}
