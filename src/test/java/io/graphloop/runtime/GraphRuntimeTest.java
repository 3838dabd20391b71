package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.NodeReply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deploying and undeploying a graph: which addresses answer, how many instances serve each node. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class GraphRuntimeTest {

  /** START -> a -> b -> END; each node records the context (verticle instance) that ran it. */
  private static CompiledGraph echoGraph(String name, Set<Context> aContexts, Set<Context> bContexts) {
    return new StateGraph(name)
        .addNode("a", (state, ctx) -> {
          aContexts.add(verticleContext());
          return Future.succeededFuture(Map.of("answer", "echo " + state.getString("query")));
        })
        .addNode("b", (state, ctx) -> {
          bContexts.add(verticleContext());
          return Future.succeededFuture(Map.of("checked", true));
        })
        .addEdge(START, "a")
        .addEdge("a", "b")
        .addEdge("b", END)
        .compile();
  }

  /** The verticle instance's own context (message handlers run on a duplicate of it). */
  private static Context verticleContext() {
    return ((ContextInternal) Vertx.currentContext()).unwrap();
  }

  private static JsonObject nodeRequestJson(String graph, String node) {
    return new JsonObject().put("graph", graph).put("runId", "direct-" + node).put("step", 0).put("node", node)
        .put("input", new JsonObject().put("query", "direct"));
  }

  @Test
  void runAddressAnswersAJsonRunRequestWithAJsonResult(Vertx vertx, VertxTestContext ctx) {
    CompiledGraph graph = echoGraph("deploy-json", ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions())
        .compose(runtime -> vertx.eventBus().<JsonObject>request("graphloop.deploy-json.run",
            new JsonObject().put("input", new JsonObject().put("query", "hi"))))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          JsonObject body = reply.body();
          assertEquals("success", body.getString("status"));
          UUID.fromString(body.getString("runId"));
          JsonObject values = body.getJsonObject("values");
          assertEquals("hi", values.getString("query"));
          assertEquals("echo hi", values.getString("answer"));
          assertEquals(true, values.getBoolean("checked"));
          ctx.completeNow();
        })));
  }

  @Test
  void eachNodeListensOnItsOwnNodeAddress(Vertx vertx, VertxTestContext ctx) {
    Set<Context> aContexts = ConcurrentHashMap.newKeySet();
    Set<Context> bContexts = ConcurrentHashMap.newKeySet();
    CompiledGraph graph = echoGraph("deploy-nodes", aContexts, bContexts);
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions())
        .compose(runtime -> vertx.eventBus().<NodeReply>request("graphloop.deploy-nodes.node.a",
            nodeRequestJson("deploy-nodes", "a")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(Map.of("answer", "echo direct"), reply.body().update());
          assertEquals(1, aContexts.size());
          assertTrue(bContexts.isEmpty(), "only node a was addressed");
          ctx.completeNow();
        })));
  }

  @Test
  void nodeInstancesAreConfigurablePerNode(Vertx vertx, VertxTestContext ctx) {
    Set<Context> aContexts = ConcurrentHashMap.newKeySet();
    Set<Context> bContexts = ConcurrentHashMap.newKeySet();
    CompiledGraph graph = echoGraph("deploy-instances", aContexts, bContexts);
    GraphRuntimeOptions options = new GraphRuntimeOptions().setNodeInstances("a", 3).setNodeInstances("b", 1);
    GraphRuntime.deploy(vertx, graph, options)
        .compose(runtime -> {
          List<Future<?>> sends = new ArrayList<>();
          for (int i = 0; i < 30; i++) {
            sends.add(vertx.eventBus().request("graphloop.deploy-instances.node.a",
                nodeRequestJson("deploy-instances", "a")));
            sends.add(vertx.eventBus().request("graphloop.deploy-instances.node.b",
                nodeRequestJson("deploy-instances", "b")));
          }
          return Future.all(sends).map(done -> runtime);
        })
        .onComplete(ctx.succeeding(runtime -> ctx.verify(() -> {
          assertEquals(3, aContexts.size(), "node a: distinct verticle instances that served requests");
          assertEquals(1, bContexts.size(), "node b: distinct verticle instances that served requests");
          aContexts.forEach(c -> assertTrue(c.isEventLoopContext(), "async nodes run on event-loop contexts"));
          assertEquals(2, runtime.deploymentIds().size(),
              "one coordinator deployment and one node-host deployment serving both nodes");
          assertTrue(vertx.deploymentIDs().containsAll(runtime.deploymentIds()));
          ctx.completeNow();
        })));
  }

  @Test
  void nodeInstancesDefaultToOnePerEventLoop(VertxTestContext ctx) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
    Set<Context> aContexts = ConcurrentHashMap.newKeySet();
    CompiledGraph graph = echoGraph("deploy-default", aContexts, ConcurrentHashMap.newKeySet());
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions())
        .compose(runtime -> {
          List<Future<?>> sends = new ArrayList<>();
          for (int i = 0; i < 30; i++) {
            sends.add(vertx.eventBus().request("graphloop.deploy-default.node.a",
                nodeRequestJson("deploy-default", "a")));
          }
          return Future.all(sends);
        })
        .eventually(() -> vertx.close())
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertEquals(3, aContexts.size(), "one instance per event loop (3 event loops)");
          ctx.completeNow();
        })));
  }

  @Test
  void undeployRemovesTheRunAndNodeHandlers(Vertx vertx, VertxTestContext ctx) {
    CompiledGraph graph = echoGraph("deploy-gone", ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of("query", "before")).map(state -> runtime))
        .compose(runtime -> runtime.undeploy().map(done -> runtime))
        .onComplete(ctx.succeeding(runtime -> {
          ctx.verify(() -> {
            for (String id : runtime.deploymentIds()) {
              assertFalse(vertx.deploymentIDs().contains(id), "still deployed: " + id);
            }
          });
          Future<Object> run = vertx.eventBus().request("graphloop.deploy-gone.run", new JsonObject())
              .map(m -> m.body());
          Future<Object> node = vertx.eventBus().request("graphloop.deploy-gone.node.a",
              nodeRequestJson("deploy-gone", "a")).map(m -> m.body());
          Future<?> client = runtime.client().invoke(Map.of("query", "after"));
          Future.join(run, node, client).onComplete(all -> ctx.verify(() -> {
            assertNoHandlers(run);
            assertNoHandlers(node);
            assertTrue(client.failed());
            GraphloopException failure = assertInstanceOf(GraphloopException.class, client.cause());
            assertEquals(FailureCode.UNKNOWN_TARGET, failure.code());
            assertTrue(failure.getMessage().contains("deploy-gone"), failure.getMessage());
            ctx.completeNow();
          }));
        }));
  }

  @Test
  void graphCanBeDeployedAgainAfterUndeploy(Vertx vertx, VertxTestContext ctx) {
    CompiledGraph graph = echoGraph("deploy-again", ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions())
        .compose(GraphRuntime::undeploy)
        .compose(undeployed -> GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions()))
        .compose(runtime -> runtime.client().invoke(Map.of("query", "again")))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals("echo again", state.getString("answer"));
          ctx.completeNow();
        })));
  }

  @Test
  void undeployFailsRunsInFlightAsCancelled(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> entered = Promise.promise();
    CompiledGraph graph = new StateGraph("deploy-cancel")
        .addNode("stuck", (state, c) -> {
          entered.tryComplete();
          return Promise.promise().future();
        })
        .addEdge(START, "stuck")
        .addEdge("stuck", END)
        .compile();
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions()).onComplete(ctx.succeeding(runtime -> {
      Future<?> run = runtime.client().invoke(Map.of());
      entered.future().compose(v -> runtime.undeploy()).onComplete(ctx.succeeding(undeployed ->
          run.onComplete(ctx.failing(failure -> ctx.verify(() -> {
            GraphloopException e = assertInstanceOf(GraphloopException.class, failure);
            assertEquals(FailureCode.CANCELLED, e.code());
            assertEquals("deploy-cancel", e.graph());
            assertTrue(e.runId() != null && e.getMessage().contains(e.runId()), e.getMessage());
            ctx.completeNow();
          })))));
    }));
  }

  private static void assertNoHandlers(Future<?> request) {
    assertTrue(request.failed(), "request should fail");
    ReplyException e = assertInstanceOf(ReplyException.class, request.cause());
    assertEquals(ReplyFailure.NO_HANDLERS, e.failureType());
  }
}
