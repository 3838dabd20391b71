package io.graphloop.client;

import io.graphloop.examples.SeedGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.state.State;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: runs submitted off every event loop reach the client's home loop in one loop task per batch, not one per
 * run, in the order submitted, with the loop's other tasks running between batches; and the submitting thread makes
 * little beyond the run's own options, its future and the queued run.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HomeLoopBatchTest {

  @Test
  void queuedSubmissionsTakeOneLoopTaskPerBatchRunInOrderAndLetOtherTasksIn(Vertx vertx, VertxTestContext ctx) {
    HomeLoop home = new HomeLoop(vertx);
    ContextInternal loop = home.context();
    int submissions = 2 * HomeLoop.BATCH + 100; // three batches
    List<Integer> ran = new ArrayList<>(); // only touched on the home loop
    AtomicInteger ranWhenOtherTaskRan = new AtomicInteger(-1);
    loop.runOnContext(v -> {
      SingleThreadEventExecutor executor = (SingleThreadEventExecutor) loop.nettyEventLoop();
      int tasksBefore = executor.pendingTasks();
      for (int i = 0; i < submissions; i++) {
        int id = i;
        home.execute(() -> {
          ran.add(id);
          if (id == submissions - 1) {
            ctx.verify(() -> {
              for (int k = 0; k < submissions; k++) {
                assertEquals(k, ran.get(k), "submissions run in the order they were queued");
              }
              assertEquals(HomeLoop.BATCH, ranWhenOtherTaskRan.get(),
                  "a task queued on the loop after the submissions ran right after the first full batch");
            });
            ctx.completeNow();
          }
        });
      }
      int added = executor.pendingTasks() - tasksBefore;
      loop.runOnContext(other -> ranWhenOtherTaskRan.set(ran.size()));
      ctx.verify(() -> assertEquals(1, added, submissions + " submissions while the loop was busy must take one "
          + "loop task (the drain), not one each"));
    });
  }

  @Test
  void aSubmissionThatThrowsDoesNotStrandTheOnesQueuedBehindIt(Vertx vertx, VertxTestContext ctx) {
    HomeLoop home = new HomeLoop(vertx);
    home.context().exceptionHandler(e -> { }); // the failure is reported to the context; this test only needs the next
    home.execute(() -> {
      throw new IllegalStateException("a broken submission");
    });
    home.execute(ctx::completeNow);
  }

  @Test
  void aPlainThreadMakesLittleMoreThanTheRunsOwnObjectsPerRun(Vertx vertx) throws Exception {
    GraphClient client = GraphRuntime.deploy(vertx, SeedGraph.build("home-batch-alloc", 0)).toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS).client();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    java.util.Map<String, ?> input = SeedGraph.input();
    int runs = 5_000;
    double perRun = Double.MAX_VALUE;
    for (int round = 0; round < 6; round++) { // the first rounds warm the path up (JIT); the best round counts
      @SuppressWarnings("unchecked")
      Future<State>[] futures = new Future[runs];
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < runs; i++) {
        futures[i] = client.invoke(input);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      perRun = Math.min(perRun, (double) allocated / runs);
      for (Future<State> future : futures) {
        State state = future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertTrue(SeedGraph.isComplete(state), state.toString());
      }
    }
    // the run's options (made by invoke), its future and the queued run: 147 bytes measured; before batching the caller
    // also made a copy of the options, two lambdas for a Vert.x task per run, a mapped future and listeners (411)
    assertTrue(perRun < 300, "the submitting thread allocated " + perRun + " bytes per run");
  }

  @Test
  void theReadmeExampleStartsTenThousandRunsFromAPlainThread(Vertx vertx) throws Exception {
    // README, "Many runs started from a plain thread", as written there (the test's thread is a plain thread)
    GraphClient client = GraphRuntime.deploy(vertx, SeedGraph.build("seed", 100)).toCompletionStage()
        .toCompletableFuture().get().client();
    List<Future<State>> runs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      runs.add(client.invoke(SeedGraph.input()));
    }
    Future.all(runs).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    for (Future<State> run : runs) {
      assertTrue(SeedGraph.isComplete(run.result()), run.result().toString());
    }
  }
}
