package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphRecursionException;
import io.graphloop.errors.LimitReachedException;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.errors.RunTimeoutException;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.state.State;
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
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-run controls: maxConcurrency (a sliding window), a deadline, a recursion limit override, cancellation. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class RunControlsTest {

  @Test
  void maxConcurrencyRunsAWideStepAsASlidingWindow(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger active = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    StateGraph graph = new StateGraph("run-window");
    for (int i = 0; i < 10; i++) {
      String name = "n" + i;
      int delay = 10 + 7 * (i % 4);
      graph.addNode(name, (state, c) -> {
        peak.accumulateAndGet(active.incrementAndGet(), Math::max);
        ran.incrementAndGet();
        return c.vertx().timer(delay).map(t -> {
          active.decrementAndGet();
          return Map.of(name, name + " done");
        });
      }).addEdge(START, name).addEdge(name, END);
    }
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of("topic", "t"), new RunOptions().setMaxConcurrency(3))
            .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
              assertEquals(10, ran.get(), "every node of the step ran");
              assertTrue(peak.get() <= 3, "at most 3 at once, saw " + peak.get());
              assertEquals(3, peak.get(), "the window is used in full");
              assertEquals(11, state.size());
              for (int i = 0; i < 10; i++) {
                assertEquals("n" + i + " done", state.getString("n" + i));
              }
              assertEquals("t", state.getString("topic"));
              // without the option, the whole step runs at once
              peak.set(0);
              runtime.client().invoke(Map.of("topic", "t")).onComplete(ctx.succeeding(again -> ctx.verify(() -> {
                assertEquals(10, peak.get());
                assertEquals(state, again);
                ctx.completeNow();
              })));
            })))));
  }

  @Test
  void aRunPastItsDeadlineFailsWithTheLastCompletedState(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("run-deadline")
        .addNode("first", state -> Future.succeededFuture(Map.of("first", "done")))
        .addNode("slow", (state, c) -> c.vertx().timer(10_000).map(t -> Map.of("slow", "done")))
        .addEdge(START, "first").addEdge("first", "slow").addEdge("slow", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      long started = System.nanoTime();
      runtime.client().invoke(Map.of("q", "x"), new RunOptions().setRunId("deadline-run").setTimeoutMs(300))
          .onComplete(ctx.failing(failure -> ctx.verify(() -> {
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            RunTimeoutException e = assertInstanceOf(RunTimeoutException.class, failure);
            assertEquals(FailureCode.TIMEOUT, e.code());
            assertEquals(300, e.timeoutMs());
            assertEquals("deadline-run", e.runId());
            assertEquals("run-deadline", e.graph());
            assertEquals(2, e.step(), "the step in progress");
            assertEquals(Map.of("q", "x", "first", "done"), e.lastState());
            assertTrue(e.getMessage().contains("deadline of 300 ms"), e.getMessage());
            assertTrue(elapsedMs >= 299 && elapsedMs < 5_000, "ended at the deadline: " + elapsedMs + " ms");
            ctx.completeNow();
          })));
    }));
  }

  @Test
  void aRunCanOverrideTheRecursionLimit(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger loops = new AtomicInteger();
    StateGraph graph = new StateGraph("run-recursion")
        .addNode("loop", state -> {
          loops.incrementAndGet();
          return Future.succeededFuture(Map.of("n", state.getInteger("n") + 1));
        })
        .addEdge(START, "loop")
        .addConditionalEdges("loop", state -> state.getInteger("n") < 1_000 ? "loop" : END);
    GraphRuntimeOptions options = new GraphRuntimeOptions().setRecursionLimit(8);
    GraphRuntime.deploy(vertx, graph.compile(), options).onComplete(ctx.succeeding(runtime -> {
      GraphClient client = runtime.client();
      client.invoke(Map.of("n", 0), new RunOptions().setRecursionLimit(5))
          .onComplete(ctx.failing(failure -> ctx.verify(() -> {
            GraphRecursionException e = assertInstanceOf(GraphRecursionException.class, failure);
            assertEquals(FailureCode.RECURSION_LIMIT, e.code());
            assertEquals(5, e.limit(), "the run's limit, not the deployment's 8");
            assertEquals(5, loops.get(), "node steps 1 to 5 ran (LangGraph 1.x's budget for a limit of 5)");
            assertTrue(e.getMessage().contains("Recursion limit of 5 reached"), e.getMessage());
            client.invoke(Map.of("n", 0)).onComplete(ctx.failing(second -> ctx.verify(() -> {
              assertEquals(8, assertInstanceOf(GraphRecursionException.class, second).limit(),
                  "without an override, the deployment's limit");
              client.invoke(Map.of("n", 990), new RunOptions().setRecursionLimit(20))
                  .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
                    assertEquals(1_000, state.getInteger("n"), "a higher limit lets a longer run finish");
                    ctx.completeNow();
                  })));
            })));
          })));
    }));
  }

  @Test
  void aCancelledRunEndsAsCancelledAndKeepsItsLastState(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> secondStepEntered = Promise.promise();
    Promise<Void> releaseSecondStep = Promise.promise();
    AtomicInteger thirdRan = new AtomicInteger();
    StateGraph graph = new StateGraph("run-cancel")
        .addNode("s1", state -> Future.succeededFuture(Map.of("s1", "done")))
        .addNode("s2", (state, c) -> {
          if (Boolean.TRUE.equals(state.getBoolean("fast"))) {
            return Future.succeededFuture(Map.of("s2", "fast"));
          }
          secondStepEntered.tryComplete();
          io.vertx.core.Timer longTimer = c.vertx().timer(10_000);
          return Future.any(longTimer, releaseSecondStep.future()).map(done -> Map.of("s2", "late"));
        })
        .addNode("s3", state -> {
          thirdRan.incrementAndGet();
          return Future.succeededFuture(Map.of("s3", "done"));
        })
        .addEdge(START, "s1").addEdge("s1", "s2").addEdge("s2", "s3").addEdge("s3", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      GraphClient client = runtime.client();
      Future<State> run = client.invoke(Map.of("q", "x"), new RunOptions().setRunId("to-cancel"));
      secondStepEntered.future()
          .compose(entered -> client.cancel("to-cancel"))
          .onComplete(ctx.succeeding(cancelled -> run.onComplete(ctx.failing(failure -> ctx.verify(() -> {
            assertTrue(cancelled, "the owning coordinator confirmed");
            RunCancelledException e = assertInstanceOf(RunCancelledException.class, failure);
            assertEquals(FailureCode.CANCELLED, e.code());
            assertEquals("to-cancel", e.runId());
            assertEquals(2, e.step());
            assertEquals(Map.of("q", "x", "s1", "done"), e.lastState(), "step 1's writes are readable");
            assertTrue(e.getMessage().contains("was cancelled"), e.getMessage());
            releaseSecondStep.complete(); // the in-flight node answers now; its result must be discarded
            vertx.setTimer(150, id -> ctx.verify(() -> {
              assertEquals(0, thirdRan.get(), "no step started after the cancellation");
              client.invoke(Map.of("fast", true), new RunOptions().setRunId("to-cancel"))
                  .onComplete(ctx.succeeding(later -> ctx.verify(() -> {
                    assertEquals("fast", later.getString("s2"), "a run after the cancellation works, even with its id");
                    assertEquals("done", later.getString("s3"));
                    assertEquals(1, thirdRan.get());
                    ctx.completeNow();
                  })));
            }));
          })))));
    }));
  }

  @Test
  void cancellingAnUnknownRunAnswersFalse(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("run-cancel-unknown")
        .addNode("a", state -> Future.succeededFuture(Map.of("a", 1)))
        .addEdge(START, "a").addEdge("a", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      long started = System.nanoTime();
      Future<Boolean> unknown = runtime.client().cancel("no-such-run");
      Future<Boolean> ended = runtime.client().invoke(Map.of(), new RunOptions().setRunId("ended-run"))
          .compose(state -> runtime.client().cancel("ended-run"));
      Future.all(unknown, ended).onComplete(ctx.succeeding(both -> ctx.verify(() -> {
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertFalse(unknown.result(), "no such run");
        assertFalse(ended.result(), "a run that has ended cannot be cancelled");
        assertTrue(elapsedMs < GraphClient.CANCEL_WAIT_MS + 1_000, "answered within the wait: " + elapsedMs + " ms");
        runtime.client().invoke(Map.of()).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(1, state.getInteger("a"));
          ctx.completeNow();
        })));
      })));
    }));
  }

  @Test
  void cancellingAQueuedRetryStopsIt(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger attempts = new AtomicInteger();
    Promise<Void> firstFailed = Promise.promise();
    StateGraph graph = new StateGraph("run-cancel-retry")
        .addNode("flaky", (state, c) -> {
          attempts.incrementAndGet();
          firstFailed.tryComplete();
          return Future.failedFuture(new java.io.IOException("down"));
        }, new io.graphloop.graph.NodeOptions().setRetry(io.graphloop.graph.RetryPolicy.builder().maxAttempts(3)
            .initialIntervalMs(300).maxIntervalMs(300).jitterMs(0).build()))
        .addEdge(START, "flaky").addEdge("flaky", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      Future<State> run = runtime.client().invoke(Map.of(), new RunOptions().setRunId("retrying"));
      firstFailed.future().compose(failed -> runtime.client().cancel("retrying"))
          .onComplete(ctx.succeeding(cancelled -> run.onComplete(ctx.failing(failure -> ctx.verify(() -> {
            assertTrue(cancelled);
            RunCancelledException e = assertInstanceOf(RunCancelledException.class, failure);
            assertEquals(Map.of(), e.lastState(), "the input was empty and no step completed");
            vertx.setTimer(450, id -> ctx.verify(() -> {
              assertEquals(1, attempts.get(), "the pending retry did not run after the cancellation");
              ctx.completeNow();
            }));
          })))));
    }));
  }

  @Test
  void aCoordinatorOverItsInFlightBoundRejectsAtOnceAsOverloaded(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> gate = Promise.promise();
    StateGraph graph = new StateGraph("run-overloaded")
        .addNode("slow", state -> gate.future().map(open -> Map.of("done", true)))
        .addEdge(START, "slow").addEdge("slow", END);
    GraphRuntimeOptions options = new GraphRuntimeOptions().setCoordinatorInstances(1).setMaxInFlightRuns(1);
    GraphRuntime.deploy(vertx, graph.compile(), options).onComplete(ctx.succeeding(runtime -> {
      Future<State> first = runtime.client().invoke(Map.of());
      vertx.setTimer(50, id -> {
        long started = System.nanoTime();
        runtime.client().invoke(Map.of()).onComplete(ctx.failing(failure -> ctx.verify(() -> {
          long elapsedMs = (System.nanoTime() - started) / 1_000_000;
          LimitReachedException e = assertInstanceOf(LimitReachedException.class, failure);
          assertEquals(FailureCode.OVERLOADED, e.code());
          assertEquals("maxInFlightRuns", e.limitName());
          assertEquals(1, e.limit());
          assertNull(e.runId(), "rejected before it became a run");
          assertTrue(e.getMessage().contains("is overloaded"), e.getMessage());
          assertTrue(elapsedMs < 1_000, "rejected at once: " + elapsedMs + " ms");
          gate.complete();
          first.onComplete(ctx.succeeding(state -> ctx.completeNow()));
        })));
      });
    }));
  }
}
