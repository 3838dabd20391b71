package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.state.State;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client: futures everywhere, a blocking wait only off the event loop, and failures with stable codes. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class GraphClientTest {

  /** Blocks the JUnit thread (never a Vert.x thread) until the graph is deployed. */
  private static GraphRuntime deployAndWait(Vertx vertx, CompiledGraph graph) throws Exception {
    return GraphRuntime.deploy(vertx, graph).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** START -> hang -> END where hang never answers: only a timeout ends a run. */
  private static CompiledGraph hanging(String name, AtomicInteger started) {
    return new StateGraph(name)
        .addNode("hang", state -> {
          started.incrementAndGet();
          return Promise.promise().future();
        })
        .addEdge(START, "hang").addEdge("hang", END)
        .compile();
  }

  @Test
  void invokeAndWaitOnAnEventLoopThrowsAtOnceSayingToComposeTheFuture(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    AtomicInteger started = new AtomicInteger();
    GraphClient client = deployAndWait(vertx, hanging("client-loop", started)).client();
    vertx.runOnContext(v -> ctx.verify(() -> {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.invokeAndWait(Map.of()));
      assertTrue(e.getMessage().contains("Compose the Future"), e.getMessage());
      assertTrue(e.getMessage().contains("event-loop"), e.getMessage());
      assertTrue(e.getMessage().contains("client-loop"), e.getMessage());
      vertx.setTimer(50, id -> ctx.verify(() -> {
        assertEquals(0, started.get(), "no run was sent");
        ctx.completeNow();
      }));
    }));
  }

  @Test
  void invokeAndWaitOffTheEventLoopReturnsTheFinalState(Vertx vertx) throws Exception {
    GraphClient client = deployAndWait(vertx, SeedGraph.build("client-wait", 5)).client();
    State state = client.invokeAndWait(SeedGraph.input());
    assertTrue(SeedGraph.isComplete(state), state.toString());
    assertEquals("LLM answer for: LangGraph async nodes", state.getString("llm_result"));
    assertEquals("DB result for: LangGraph async nodes", state.getString("db_result"));
  }

  @Test
  void invokeAndWaitOfAGraphThatIsNotDeployedFailsAsUnknownTarget(Vertx vertx) {
    GraphClient client = GraphClient.create(vertx, "client-missing");
    GraphloopException e = assertThrows(GraphloopException.class, () -> client.invokeAndWait(Map.of()));
    assertEquals(FailureCode.UNKNOWN_TARGET, e.code());
    assertTrue(e.getMessage().contains("client-missing"), e.getMessage());
  }

  @Test
  void invokeOfAGraphThatIsNotDeployedFailsAsUnknownTarget(Vertx vertx, VertxTestContext ctx) {
    GraphClient.create(vertx, "client-missing-async").invoke(Map.of())
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          GraphloopException e = assertInstanceOf(GraphloopException.class, failure);
          assertEquals(FailureCode.UNKNOWN_TARGET, e.code());
          assertEquals("client-missing-async", e.graph());
          ctx.completeNow();
        })));
  }

  @Test
  void runLongerThanTheRunTimeoutFailsAsTimeout(Vertx vertx, VertxTestContext ctx) throws Exception {
    AtomicInteger started = new AtomicInteger();
    GraphClient client = deployAndWait(vertx, hanging("client-slow", started)).client();
    client.invoke(Map.of(), new RunOptions().setTimeoutMs(200)).onComplete(ctx.failing(failure -> ctx.verify(() -> {
      GraphloopException e = assertInstanceOf(GraphloopException.class, failure);
      assertEquals(FailureCode.TIMEOUT, e.code());
      assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
      assertEquals(1, started.get(), "the run did reach the node");
      ctx.completeNow();
    })));
  }

  @Test
  void invokeAndWaitWithAShortClientTimeoutFailsAsTimeout(Vertx vertx) throws Exception {
    deployAndWait(vertx, hanging("client-slow-wait", new AtomicInteger()));
    GraphClient client = GraphClient.create(vertx, "client-slow-wait", 200);
    long started = System.nanoTime();
    GraphloopException e = assertThrows(GraphloopException.class, () -> client.invokeAndWait(Map.of()));
    long waitedMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(FailureCode.TIMEOUT, e.code());
    assertFalse(waitedMs < 200, "gave up before the timeout: " + waitedMs + " ms");
  }
}
