package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.StateGraph;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
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

/** Draining: no new run is admitted, the runs in flight finish, and the drain says how many did not. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class DrainTest {

  /** START -> hold (waits for the test to release it) -> END. */
  private static StateGraph held(String name, Promise<Void> release, AtomicInteger entered) {
    return new StateGraph(name).addEdge(START, "hold").addEdge("hold", END)
        .addNode("hold", (state, c) -> {
          entered.incrementAndGet();
          return release.future().map(v -> Map.of("done", true));
        });
  }

  /**
   * Succeeds once {@code count} runs entered the held node: checked every 5 ms (at most 4,000 times, the test's 20 s)
   * with {@link Poll}, not a periodic timer cancelled from its own tick (see {@link Poll} for the race that left this
   * test waiting for its timeout under load).
   */
  private static Future<Void> entered(Vertx vertx, AtomicInteger entered, int count) {
    return Poll.until(vertx, 5, 4_000, () -> entered.get() >= count,
        () -> count + " runs in the held node, " + entered.get() + " entered");
  }

  @Test
  void runsInFlightFinishAndNewOnesAreRefusedAsDraining(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> release = Promise.promise();
    AtomicInteger entered = new AtomicInteger();
    GraphRuntime.deploy(vertx, held("drain-finish", release, entered).compile()).onComplete(ctx.succeeding(rt -> {
      List<Future<io.graphloop.state.State>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(rt.client().invoke(Map.of()));
      }
      entered(vertx, entered, 3).onComplete(ctx.succeeding(ready -> {
        assertFalse(rt.draining());
        Future<Integer> drained = rt.drain(60_000);
        rt.client().invoke(Map.of()).onComplete(refused -> ctx.verify(() -> {
          assertTrue(rt.draining());
          assertTrue(refused.failed(), "a run sent while draining is refused");
          GraphloopException e = assertInstanceOf(GraphloopException.class, refused.cause());
          assertEquals(FailureCode.DRAINING, e.code());
          assertTrue(e.getMessage().contains("draining"), e.getMessage());
          assertFalse(drained.isComplete(), "three runs are still in flight");
          release.complete();
          drained.compose(left -> Future.all(runs).map(all -> left)).onComplete(ctx.succeeding(left -> ctx.verify(() -> {
            assertEquals(0, left, "every run in flight finished");
            for (Future<io.graphloop.state.State> run : runs) {
              assertEquals(true, run.result().get("done"));
            }
            ctx.completeNow();
          })));
        }));
      }));
    }));
  }

  @Test
  void aDrainPastItsDeadlineSaysHowManyRunsAreLeft(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> release = Promise.promise();
    AtomicInteger entered = new AtomicInteger();
    GraphRuntime.deploy(vertx, held("drain-deadline", release, entered).compile()).onComplete(ctx.succeeding(rt -> {
      rt.client().invoke(Map.of());
      rt.client().invoke(Map.of());
      assertThrows(IllegalArgumentException.class, () -> rt.drain(-1));
      entered(vertx, entered, 2).onComplete(ctx.succeeding(ready -> {
        rt.drain(0).onComplete(ctx.succeeding(left -> ctx.verify(() -> {
          assertEquals(2, left);
          release.complete();
          ctx.completeNow();
        })));
      }));
    }));
  }

  /** Runs still in flight when the drain's deadline passed fail with DRAINING as the deployment is undeployed. */
  @Test
  void runsLeftAfterTheDeadlineFailAsDrainingOnUndeploy(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> release = Promise.promise();
    AtomicInteger entered = new AtomicInteger();
    GraphRuntime.deploy(vertx, held("drain-left", release, entered).compile()).onComplete(ctx.succeeding(rt -> {
      List<Future<io.graphloop.state.State>> runs = List.of(rt.client().invoke(Map.of()), rt.client().invoke(Map.of()));
      entered(vertx, entered, 2).onComplete(ctx.succeeding(ready -> {
        rt.drain(0).compose(left -> rt.undeploy().map(left))
            .compose(left -> Future.join(runs).transform(all -> Future.succeededFuture(left)))
            .onComplete(ctx.succeeding(left -> ctx.verify(() -> {
              assertEquals(2, left);
              for (Future<io.graphloop.state.State> run : runs) {
                assertTrue(run.failed(), "a run left in flight does not finish");
                GraphloopException e = assertInstanceOf(GraphloopException.class, run.cause());
                assertEquals(FailureCode.DRAINING, e.code(), e.getMessage());
                assertTrue(e.getMessage().contains("drain's deadline passed"), e.getMessage());
              }
              release.complete();
              ctx.completeNow();
            })));
      }));
    }));
  }
}
