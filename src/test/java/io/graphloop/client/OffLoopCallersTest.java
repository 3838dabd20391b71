package io.graphloop.client;

import io.graphloop.examples.SeedGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.state.State;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Callers off every event loop (plain threads and workers): their runs are handed to the client's home loop and sent
 * from there, and outcomes come back where the caller can take them: a worker's {@code invoke} callbacks on the
 * worker's context, a worker's {@code invokeAndWait} not through its own (busy) context.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class OffLoopCallersTest {

  private static GraphClient seed(Vertx vertx, String name) throws Exception {
    return GraphRuntime.deploy(vertx, SeedGraph.build(name, 0)).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).client();
  }

  @Test
  void aWorkerVerticleWaitsForRunsWithInvokeAndWaitOnItsOwnThread(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    GraphClient client = seed(vertx, "worker-wait");
    vertx.deployVerticle(new AbstractVerticle() {
      @Override
      public void start() {
        List<State> states = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // a worker may block: its context runs nothing else meanwhile
          states.add(client.invokeAndWait(SeedGraph.input()));
        }
        ctx.verify(() -> {
          assertFalse(Context.isOnEventLoopThread());
          states.forEach(state -> assertTrue(SeedGraph.isComplete(state), state.toString()));
        });
        ctx.completeNow();
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
        // one worker thread, blocked by the wait: the outcome must reach the waiting thread without it
        .setWorkerPoolName("one-blocked-worker").setWorkerPoolSize(1)).onFailure(ctx::failNow);
  }

  @Test
  void aWorkersInvokeCallbacksRunOnTheWorkersContext(Vertx vertx, VertxTestContext ctx) throws Exception {
    GraphClient client = seed(vertx, "worker-callbacks");
    vertx.deployVerticle(new AbstractVerticle() {
      @Override
      public void start() {
        Context mine = vertx.getOrCreateContext();
        Future<State> first = client.invoke(SeedGraph.input());
        first.compose(state -> {
          ctx.verify(() -> {
            assertSame(mine, Vertx.currentContext(), "the callback runs on the worker's context");
            assertTrue(SeedGraph.isComplete(state));
          });
          return client.invoke(SeedGraph.input());
        }).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertSame(mine, Vertx.currentContext());
          ctx.completeNow();
        })));
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).onFailure(ctx::failNow);
  }

  @Test
  void plainThreadsRunConcurrentlyAndEachGetsItsOwnOutcome(Vertx vertx) throws Exception {
    GraphClient client = seed(vertx, "plain-threads");
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 8; t++) {
      String topic = "thread-" + t;
      Thread thread = new Thread(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            State state = client.invokeAndWait(java.util.Map.of("query", topic + "-" + i));
            assertEquals(topic + "-" + i, state.getString("query"), "each caller gets its own run's state");
            completed.incrementAndGet();
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(20_000);
    }
    assertEquals(List.of(), failures);
    assertEquals(8 * 200, completed.get());
  }
}
