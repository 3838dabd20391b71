package io.graphloop.runtime;

import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GraphRun: one call deploys on a private Vertx, runs, and closes that Vertx before handing the result back. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GraphRunTest {

  private static CompiledGraph graph(AtomicReference<Vertx> seen, boolean fail) {
    return new StateGraph("once" + (fail ? "-failing" : ""))
        .addNode("greet", (state, ctx) -> {
          seen.set(ctx.vertx());
          return fail ? Future.failedFuture(new IllegalStateException("no greeting today"))
              : Future.succeededFuture(Map.of("greeting", "Hello, " + state.getString("name")));
        })
        .addEdge(START, "greet").addEdge("greet", END).compile();
  }

  @Test
  void oneCallRunsTheGraphAndClosesItsPrivateVertx() {
    AtomicReference<Vertx> seen = new AtomicReference<>();
    State done = GraphRun.once(graph(seen, false), Map.of("name", "Ada"));
    assertEquals("Hello, Ada", done.getString("greeting"));
    assertTrue(seen.get().deploymentIDs().isEmpty(), "nothing stays deployed");
  }

  @Test
  void aFailedRunIsThrownAndTheVertxIsClosedAsWell() {
    AtomicReference<Vertx> seen = new AtomicReference<>();
    GraphloopException failure = assertThrows(GraphloopException.class,
        () -> GraphRun.once(graph(seen, true), Map.of("name", "Ada")));
    assertTrue(failure.getMessage().contains("no greeting today"), failure.getMessage());
    assertTrue(seen.get().deploymentIDs().isEmpty());
  }

  @Test
  void theFutureFormNeverBlocksAndTheBlockingFormRefusesAnEventLoop(Vertx vertx, VertxTestContext test) {
    AtomicReference<Vertx> seen = new AtomicReference<>();
    vertx.runOnContext(v -> {
      IllegalStateException refused = assertThrows(IllegalStateException.class,
          () -> GraphRun.once(graph(seen, false), Map.of("name", "Ada")));
      test.verify(() -> assertTrue(refused.getMessage().contains("onceAsync"), refused.getMessage()));
      GraphRun.onceAsync(graph(seen, false), Map.of("name", "Bo")).onComplete(test.succeeding(state ->
          test.verify(() -> {
            assertEquals("Hello, Bo", state.getString("greeting"));
            assertTrue(seen.get() != vertx, "a private Vertx, not the caller's");
            test.completeNow();
          })));
    });
  }
}
