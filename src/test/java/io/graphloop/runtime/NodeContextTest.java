package io.graphloop.runtime;

import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.state.State;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a node gets from its context: the Vertx, run id, step, attempt, the run's configuration, and HTTP clients
 * whose lifecycle the runtime owns (one per deployment, closed on undeploy). The HTTP server is a real one,
 * started by the test on 127.0.0.1.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class NodeContextTest {

  private static final String HOST = "127.0.0.1";

  /** An echo server: {@code GET /echo?q=x} answers {@code echo x}. */
  private static Future<HttpServer> echoServer(Vertx vertx) {
    return vertx.createHttpServer()
        .requestHandler(request -> request.response().end("echo " + request.getParam("q")))
        .listen(0, HOST);
  }

  @Test
  void theContextCarriesRunIdStepAttemptAndTheRunsConfig(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<Vertx> seenVertx = new AtomicReference<>();
    StateGraph graph = new StateGraph("ctx-fields")
        .addNode("first", state -> Future.succeededFuture(Map.of("first", true)))
        .addNode("who", (state, c) -> {
          seenVertx.set(c.vertx());
          boolean immutable;
          try {
            c.config().put("model", "changed");
            immutable = false;
          } catch (UnsupportedOperationException e) {
            immutable = true;
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> limits = (Map<String, Object>) c.config().get("limits");
          return Future.succeededFuture(Map.of("runId", c.runId(), "step", c.step(), "attempt", c.attempt(),
              "maxAttempts", c.maxAttempts(), "graph", c.graph(), "node", c.node(),
              "model", c.config().get("model"), "tokens", limits.get("tokens"), "configImmutable", immutable));
        }, new NodeOptions().setRetry(RetryPolicy.builder().maxAttempts(2).build()))
        .addBlockingNode("worker", (state, c) -> Map.of("workerModel", c.config().get("model"),
            "workerStep", c.step()))
        .addEdge(START, "first").addEdge("first", "who").addEdge("first", "worker")
        .addEdge("who", END).addEdge("worker", END);
    JsonObject config = new JsonObject().put("model", "small").put("limits", new JsonObject().put("tokens", 100));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of(), new RunOptions().setRunId("ctx-run").setConfig(config))
            .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
              assertEquals("ctx-run", state.getString("runId"));
              assertEquals(2, state.getInteger("step"));
              assertEquals(1, state.getInteger("attempt"));
              assertEquals(2, state.getInteger("maxAttempts"));
              assertEquals("ctx-fields", state.getString("graph"));
              assertEquals("who", state.getString("node"));
              assertEquals("small", state.getString("model"));
              assertEquals(100, state.getInteger("tokens"));
              assertEquals(true, state.getBoolean("configImmutable"));
              assertEquals("small", state.getString("workerModel"), "blocking nodes see the config too");
              assertEquals(2, state.getInteger("workerStep"));
              assertSame(vertx, seenVertx.get());
              ctx.completeNow();
            })))));
  }

  @Test
  void aRunWithoutConfigSeesAnEmptyOne(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("ctx-no-config")
        .addNode("n", (state, c) -> Future.succeededFuture(Map.of("configSize", c.config().size())))
        .addEdge(START, "n").addEdge("n", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of()).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(0, state.getInteger("configSize"));
          ctx.completeNow();
        })))));
  }

  @Test
  void everyExecutionGetsTheDeploymentsOneWebClient(Vertx vertx, VertxTestContext ctx) {
    Set<WebClient> clients = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    echoServer(vertx).onComplete(ctx.succeeding(server -> {
      int port = server.actualPort();
      StateGraph graph = new StateGraph("ctx-web")
          .addNode("a", (state, c) -> {
            clients.add(c.webClient());
            return c.webClient().get(port, HOST, "/echo").addQueryParam("q", "a" + state.getInteger("i")).send()
                .map(response -> Map.of("a", response.bodyAsString()));
          })
          .addNode("b", (state, c) -> {
            clients.add(c.webClient());
            return c.webClient().get(port, HOST, "/echo").addQueryParam("q", "b").send()
                .map(response -> Map.of("b", response.bodyAsString()));
          })
          .addBlockingNode("c", (state, c) -> {
            clients.add(c.webClient());
            // on a worker thread a node may wait for the answer
            String body = c.webClient().get(port, HOST, "/echo").addQueryParam("q", "c").send()
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).bodyAsString();
            return Map.of("c", body);
          })
          .addEdge(START, "a").addEdge(START, "b").addEdge(START, "c")
          .addEdge("a", END).addEdge("b", END).addEdge("c", END);
      GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
        List<Future<State>> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          runs.add(runtime.client().invoke(Map.of("i", i)));
        }
        Future.all(runs).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          for (int i = 0; i < 5; i++) {
            State state = runs.get(i).result();
            assertEquals("echo a" + i, state.getString("a"));
            assertEquals("echo b", state.getString("b"));
            assertEquals("echo c", state.getString("c"));
          }
          assertEquals(1, clients.size(), "one client for all 15 executions of the 3 nodes");
          ctx.completeNow();
        })));
      }));
    }));
  }

  @Test
  void namedClientsComeFromTheRuntimeOptions(Vertx vertx, VertxTestContext ctx) {
    echoServer(vertx).onComplete(ctx.succeeding(server -> {
      GraphRuntimeOptions options = new GraphRuntimeOptions()
          .addHttpClient("local", new JsonObject().put("defaultHost", HOST).put("defaultPort", server.actualPort()));
      StateGraph graph = new StateGraph("ctx-named")
          .addNode("call", (state, c) -> {
            String name = state.getString("client");
            return c.webClient(name).get("/echo").addQueryParam("q", name).send()
                .map(response -> Map.of("answer", response.bodyAsString()));
          })
          .addEdge(START, "call").addEdge("call", END);
      GraphRuntime.deploy(vertx, graph.compile(), options).onComplete(ctx.succeeding(runtime ->
          runtime.client().invoke(Map.of("client", "local")).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
            assertEquals("echo local", state.getString("answer"), "the named client's defaultHost/Port were used");
            runtime.client().invoke(Map.of("client", "nope")).onComplete(ctx.failing(failure -> ctx.verify(() -> {
              NodeFailedException e = assertInstanceOf(NodeFailedException.class, failure);
              IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
              assertTrue(cause.getMessage().contains("No HTTP client named 'nope'"), cause.getMessage());
              assertTrue(cause.getMessage().contains("configured clients are [local]"), cause.getMessage());
              assertTrue(cause.getMessage().contains("GraphRuntimeOptions.addHttpClient"), cause.getMessage());
              ctx.completeNow();
            })));
          })))));
    }));
  }

  /**
   * A client's {@code pool} field sizes its connection pool: a server that answers only once 8 requests are open at
   * the same time answers a node's 8 parallel calls (Vert.x's default pool holds 5 connections per host, so without
   * the option the 8th request never reaches it and the run never ends).
   */
  @Test
  void aClientsPoolOptionsSizeItsConnectionPool(Vertx vertx, VertxTestContext ctx) {
    int parallel = 8;
    List<io.vertx.core.http.HttpServerRequest> open = new ArrayList<>();
    vertx.createHttpServer().requestHandler(request -> {
      open.add(request);
      if (open.size() == parallel) {
        open.forEach(r -> r.response().end("answered with " + parallel + " open"));
      }
    }).listen(0, HOST).onComplete(ctx.succeeding(server -> {
      int port = server.actualPort();
      GraphRuntimeOptions options = new GraphRuntimeOptions().addHttpClient("default",
          new JsonObject().put("pool", new JsonObject().put("http1MaxSize", parallel)));
      StateGraph graph = new StateGraph("ctx-pool")
          .addNode("call", (state, c) -> {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
              calls.add(c.webClient().get(port, HOST, "/").send().map(r -> r.bodyAsString()));
            }
            return Future.all(calls).map(all -> Map.of("answers", all.list()));
          })
          .addEdge(START, "call").addEdge("call", END);
      GraphRuntime.deploy(vertx, graph.compile(), options).onComplete(ctx.succeeding(runtime ->
          runtime.client().invoke(Map.of()).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
            assertEquals(Collections.nCopies(parallel, "answered with 8 open"), state.get("answers"));
            ctx.completeNow();
          })))));
    }));
  }

  @Test
  void aPoolThatIsNotAnObjectIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GraphRuntimeOptions()
        .setHttpClients(new JsonObject().put("default", new JsonObject().put("pool", 5))));
    assertTrue(e.getMessage().contains("httpClients.default.pool must be a JSON object of PoolOptions"),
        e.getMessage());
  }

  @Test
  void theClientsAreClosedWhenTheGraphIsUndeployed(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<NodeContext> kept = new AtomicReference<>();
    AtomicReference<WebClient> keptDefault = new AtomicReference<>();
    AtomicReference<WebClient> keptNamed = new AtomicReference<>();
    echoServer(vertx).onComplete(ctx.succeeding(server -> {
      int port = server.actualPort();
      GraphRuntimeOptions options = new GraphRuntimeOptions()
          .addHttpClient("local", new JsonObject().put("defaultHost", HOST).put("defaultPort", port));
      StateGraph graph = new StateGraph("ctx-undeploy")
          .addNode("call", (state, c) -> {
            kept.set(c);
            keptDefault.set(c.webClient());
            keptNamed.set(c.webClient("local"));
            return c.webClient().get(port, HOST, "/echo").addQueryParam("q", "before").send()
                .map(response -> Map.of("answer", response.bodyAsString()));
          })
          .addEdge(START, "call").addEdge("call", END);
      GraphRuntime.deploy(vertx, graph.compile(), options).onComplete(ctx.succeeding(runtime ->
          runtime.client().invoke(Map.of())
              .compose(state -> {
                assertEquals("echo before", state.getString("answer"));
                return runtime.undeploy();
              })
              .compose(undeployed -> attempt(() -> keptDefault.get().get(port, HOST, "/echo").send()))
              .compose(defaultAfter -> attempt(() -> keptNamed.get().get("/echo").send())
                  .map(namedAfter -> List.of(defaultAfter, namedAfter)))
              .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
                assertTrue(after.get(0).failed(), "the default client was closed by undeploy");
                assertTrue(after.get(0).cause().getMessage().contains("closed"), after.get(0).cause().toString());
                assertTrue(after.get(1).failed(), "the named client was closed by undeploy");
                assertTrue(after.get(1).cause().getMessage().contains("closed"), after.get(1).cause().toString());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept.get().webClient());
                assertTrue(e.getMessage().contains("undeployed"), e.getMessage());
                IllegalStateException named = assertThrows(IllegalStateException.class,
                    () -> kept.get().webClient("local"));
                assertTrue(named.getMessage().contains("undeployed"), named.getMessage());
                ctx.completeNow();
              })))));
    }));
  }

  /** The outcome of a request, as a succeeded future; a closed client may refuse at once, by throwing. */
  private static Future<AsyncResult<?>> attempt(Supplier<Future<?>> request) {
    Future<?> outcome;
    try {
      outcome = request.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome.transform(result -> Future.<AsyncResult<?>>succeededFuture(result));
  }

  @Test
  void retriedAttemptsSeeTheirAttemptNumber(Vertx vertx, VertxTestContext ctx) {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    StateGraph graph = new StateGraph("ctx-attempt")
        .addNode("flaky", (state, c) -> {
          seen.add(c.runId() + "/" + c.step() + "/" + c.attempt() + "/" + c.maxAttempts());
          return c.attempt() == 1 ? Future.failedFuture(new IOException("once"))
              : Future.succeededFuture(Map.of("ok", c.attempt()));
        }, new NodeOptions().setRetry(RetryPolicy.builder().maxAttempts(3).initialIntervalMs(1).jitterMs(0).build()))
        .addEdge(START, "flaky").addEdge("flaky", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of(), new RunOptions().setRunId("r1")).onComplete(ctx.succeeding(state ->
            ctx.verify(() -> {
              assertEquals(2, state.getInteger("ok"));
              assertEquals(List.of("r1/1/1/3", "r1/1/2/3"), seen);
              ctx.completeNow();
            })))));
  }
}
