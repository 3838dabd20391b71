package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.NodeReply;
import io.graphloop.state.State;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node instances live in one host verticle per event loop ({@link NodeHost}), not a verticle and a context per node
 * instance (issue 17: the per-node objects of a 10,000-node graph cost a TLB miss per step), while each node keeps its
 * own address, instance count and counters.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NodeHostTest {

  private static final int NODES = 40;

  /** START -> n0 -> ... -> n39 -> END; each node adds one to "count" and records the context it ran on. */
  private static CompiledGraph chain(String name, Set<Context> contexts) {
    StateGraph graph = new StateGraph(name);
    for (int i = 0; i < NODES; i++) {
      graph.addNode("n" + i, state -> {
        contexts.add(((ContextInternal) Vertx.currentContext()).unwrap());
        return Future.succeededFuture(Map.of("count", state.getInteger("count") + 1));
      });
      graph.addEdge(i == 0 ? START : "n" + (i - 1), "n" + i);
    }
    return graph.addEdge("n" + (NODES - 1), END).compile();
  }

  @Test
  void manyNodesShareOneHostPerEventLoopAndKeepTheirAddressesAndCounters(VertxTestContext test) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Set<Context> contexts = ConcurrentHashMap.newKeySet();
    GraphRuntime.deploy(vertx, chain("hosted", contexts), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of("count", 0))
            .compose(first -> runtime.client().invoke(Map.of("count", 0)))
            .compose(second -> vertx.eventBus().<NodeReply>request("graphloop.hosted.node.n17", new JsonObject()
                .put("graph", "hosted").put("runId", "direct").put("step", 0).put("node", "n17")
                .put("input", new JsonObject().put("count", 100))))
            .map(reply -> {
              test.verify(() -> {
                assertEquals(Map.of("count", 101), reply.body().update(), "n17 answers on its own address");
                assertEquals(2, runtime.deploymentIds().size(),
                    "one coordinator deployment and one host deployment for " + NODES + " nodes: "
                        + runtime.deploymentIds());
                assertTrue(contexts.size() <= 2, "the nodes ran on the hosts' contexts (2 event loops): " + contexts);
                contexts.forEach(c -> assertTrue(c.isEventLoopContext()));
                assertEquals(2, runtime.metrics().node("n0").executions(), "counted per node: two runs");
                assertEquals(3, runtime.metrics().node("n17").executions(), "two runs and the direct request");
              });
              return runtime;
            }))
        .compose(GraphRuntime::undeploy)
        .compose(undeployed -> vertx.eventBus().request("graphloop.hosted.node.n17", new JsonObject())
            .transform(after -> {
              test.verify(() -> assertFalse(after.succeeded(), "no instance listens after undeploy"));
              return Future.succeededFuture();
            }))
        .eventually(vertx::close)
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aNodeWithMoreInstancesThanEventLoopsHasSeveralOnAHostAndEachServes(VertxTestContext test) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    CompiledGraph graph = new StateGraph("wide")
        .addNode("a", state -> Future.succeededFuture(Map.of("seen", true)))
        .addEdge(START, "a").addEdge("a", END).compile();
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setNodeInstances("a", 5))
        .compose(runtime -> {
          List<Future<State>> runs = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            runs.add(runtime.client().invoke(Map.of()));
          }
          return Future.all(runs).map(done -> {
            test.verify(() -> assertEquals(50, runtime.metrics().node("a").executions()));
            return runtime;
          });
        })
        .compose(GraphRuntime::undeploy)
        .eventually(vertx::close)
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void planPutsEachNodesInstancesOnConsecutiveHostsAfterThePreviousNodes() {
    CompiledGraph graph = new StateGraph("plan")
        .addNode("a", state -> Future.succeededFuture(Map.of()))
        .addNode("b", state -> Future.succeededFuture(Map.of()))
        .addNode("c", state -> Future.succeededFuture(Map.of()))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", "c").addEdge("c", END).compile();
    NodeHost.Plan plan = new NodeHost.Plan("plan", 3);
    assertTrue(plan.isEmpty());
    NodeDefinition[] nodes = graph.nodes().toArray(new NodeDefinition[0]);
    plan.add(nodes[0], null, null, 1);
    assertEquals(1, plan.hosts(), "one instance in all: one host");
    plan.add(nodes[1], null, null, 1);
    plan.add(nodes[2], null, null, 4);
    assertEquals(3, plan.hosts(), "at most one host per event loop");
    assertEquals(List.of("a", "c"), plan.nodesOf(0));
    assertEquals(List.of("b", "c"), plan.nodesOf(1));
    assertEquals(List.of("c", "c"), plan.nodesOf(2), "c's four instances start where b ended, two on one host");
    assertThrows(IllegalArgumentException.class, () -> new NodeHost.Plan("plan", 0));
  }
}
