package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node timeouts: an async node that does not answer in time fails with a NodeTimeoutException and its late
 * reply is ignored; a blocking node past its timeout is interrupted on its worker thread.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class TimeoutInterruptTest {

  @Test
  void anAsyncNodePastItsTimeoutFailsAndItsLateReplyIsIgnored(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> lateCompletion = Promise.promise();
    AtomicInteger calls = new AtomicInteger();
    StateGraph graph = new StateGraph("timeout-async")
        .addNode("first", state -> Future.succeededFuture(Map.of("first", true)))
        .addNode("slow", (state, c) -> {
          calls.incrementAndGet();
          if (Boolean.TRUE.equals(state.getBoolean("fast"))) {
            return Future.succeededFuture(Map.of("slow", "fast answer"));
          }
          return c.vertx().timer(400).map(t -> Map.<String, Object>of("slow", "late answer"))
              .onComplete(done -> lateCompletion.tryComplete());
        }, new NodeOptions().setTimeoutMs(100))
        .addEdge(START, "first").addEdge("first", "slow").addEdge("slow", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      long started = System.nanoTime();
      runtime.client().invoke(Map.of(), new RunOptions().setRunId("slow-run"))
          .transform(Future::succeededFuture)
          .onComplete(ctx.succeeding(failed -> ctx.verify(() -> {
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            NodeTimeoutException e = assertInstanceOf(NodeTimeoutException.class, failed.cause());
            assertEquals(FailureCode.TIMEOUT, e.code());
            assertEquals("timeout-async", e.graph());
            assertEquals("slow-run", e.runId());
            assertEquals("slow", e.node());
            assertEquals(2, e.step());
            assertEquals(1, e.attempt());
            assertEquals(1, e.maxAttempts());
            assertEquals(100, e.timeoutMs());
            assertTrue(e.getMessage().contains("timed out after 100 ms at step 2 (attempt 1/1)"), e.getMessage());
            assertTrue(elapsedMs >= 99, "failed at the timeout: " + elapsedMs + " ms");
            assertFalse(lateCompletion.future().isComplete(), "failed at the timeout, not when the node finished");
            lateCompletion.future()
                .compose(late -> runtime.client().invoke(Map.of("fast", true)))
                .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
                  assertEquals("fast answer", state.getString("slow"), "the deployment is fine after a late reply");
                  assertEquals(2, calls.get());
                  assertEquals(1, runtime.metrics().node("slow").timeouts());
                  ctx.completeNow();
                })));
          })));
    }));
  }

  @Test
  void aBlockingNodePastItsTimeoutIsInterruptedOnItsWorker(Vertx vertx, VertxTestContext ctx) {
    Promise<String> interrupted = Promise.promise();
    AtomicBoolean interruptLeaked = new AtomicBoolean();
    StateGraph graph = new StateGraph("timeout-blocking")
        .addBlockingNode("jdbc", (state, c) -> {
          if (Thread.currentThread().isInterrupted()) {
            interruptLeaked.set(true);
          }
          if (Boolean.TRUE.equals(state.getBoolean("fast"))) {
            return Map.of("rows", 1);
          }
          try {
            Thread.sleep(10_000); // a blocking call that would hold the worker for 10 s
            return Map.of("rows", 10);
          } catch (InterruptedException e) {
            interrupted.tryComplete(Thread.currentThread().getName());
            throw e;
          }
        }, new NodeOptions().setTimeoutMs(150).setWorkerPool("timeout-interrupt").setWorkerPoolSize(1))
        .addEdge(START, "jdbc").addEdge("jdbc", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      long started = System.nanoTime();
      runtime.client().invoke(Map.of(), new RunOptions().setRunId("blocking-run"))
          .transform(Future::succeededFuture)
          .onComplete(ctx.succeeding(failed -> ctx.verify(() -> {
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            NodeTimeoutException e = assertInstanceOf(NodeTimeoutException.class, failed.cause());
            assertEquals("jdbc", e.node());
            assertEquals(1, e.step());
            assertEquals(1, e.attempt());
            assertEquals(150, e.timeoutMs());
            assertEquals("blocking-run", e.runId());
            assertTrue(elapsedMs < 5_000, "failed at the timeout: " + elapsedMs + " ms");
            interrupted.future()
                // the pool has one thread: this run only gets it because the interrupt ended the 10 s sleep
                .compose(thread -> runtime.client().invoke(Map.of("fast", true)).map(state -> {
                  assertTrue(thread.startsWith("timeout-interrupt"), thread);
                  return state;
                }))
                .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
                  assertEquals(1, state.getInteger("rows"));
                  assertFalse(interruptLeaked.get(), "the interrupt did not leak into the worker's next task");
                  assertTrue((System.nanoTime() - started) / 1_000_000 < 5_000, "the worker was freed early");
                  assertEquals(1, runtime.metrics().node("jdbc").timeouts());
                  ctx.completeNow();
                })));
          })));
    }));
  }

  @Test
  void aBlockingNodeThatFinishesInTimeIsNotInterrupted(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean sawInterrupt = new AtomicBoolean();
    StateGraph graph = new StateGraph("timeout-blocking-ok")
        .addBlockingNode("jdbc", (state, c) -> {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            sawInterrupt.set(true);
            throw e;
          }
          return Map.of("rows", 3);
        }, new NodeOptions().setTimeoutMs(2_000))
        .addEdge(START, "jdbc").addEdge("jdbc", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of()).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(3, state.getInteger("rows"));
          assertFalse(sawInterrupt.get());
          assertEquals(0, runtime.metrics().node("jdbc").timeouts());
          ctx.completeNow();
        })))));
  }
}
