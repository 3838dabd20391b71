package io.graphloop.runtime;

import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retries at run time: a node's policy decides, the coordinator schedules the next attempt with a Vert.x timer,
 * and only the successful attempt's update lands.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class RetryRuntimeTest {

  /** A few ms apart, no jitter, so the test is quick and exact. */
  private static RetryPolicy.Builder quick(int maxAttempts) {
    return RetryPolicy.builder().maxAttempts(maxAttempts).initialIntervalMs(20).backoffFactor(2).maxIntervalMs(100)
        .jitterMs(0);
  }

  private static StateGraph single(String graph, String node) {
    return new StateGraph(graph).addEdge(START, node).addEdge(node, END);
  }

  /** Where and when each attempt ran. */
  private record Attempt(int attempt, int maxAttempts, long atNanos) {
  }

  @Test
  void theSuccessfulAttemptsUpdateIsTheOneThatLands(Vertx vertx, VertxTestContext ctx) {
    List<Attempt> attempts = new CopyOnWriteArrayList<>();
    StateGraph graph = single("retry-then-succeed", "flaky")
        .channel("log", Channels.append())
        .addNode("flaky", (state, c) -> {
          attempts.add(new Attempt(c.attempt(), c.maxAttempts(), System.nanoTime()));
          if (c.attempt() < 3) {
            return Future.failedFuture(new IOException("connection reset (attempt " + c.attempt() + ")"));
          }
          return Future.succeededFuture(Map.of("attempt", c.attempt(), "value", "from attempt " + c.attempt(),
              "log", List.of("attempt " + c.attempt())));
        }, new NodeOptions().setRetry(quick(4).build()));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of()).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(3, state.getInteger("attempt"));
          assertEquals("from attempt 3", state.getString("value"));
          assertEquals(List.of("attempt 3"), state.getList("log"), "failed attempts wrote nothing");
          assertEquals(List.of(1, 2, 3), attempts.stream().map(Attempt::attempt).toList());
          assertEquals(List.of(4, 4, 4), attempts.stream().map(Attempt::maxAttempts).toList());
          long firstGapMs = (attempts.get(1).atNanos() - attempts.get(0).atNanos()) / 1_000_000;
          long secondGapMs = (attempts.get(2).atNanos() - attempts.get(1).atNanos()) / 1_000_000;
          assertTrue(firstGapMs >= 19, "the first retry waits the initial interval (20 ms): " + firstGapMs);
          assertTrue(secondGapMs >= 39, "the second waits twice as long (40 ms): " + secondGapMs);
          RuntimeMetrics.NodeCounters counters = runtime.metrics().node("flaky");
          assertEquals(2, counters.retries());
          assertEquals(3, counters.executions());
          assertEquals(2, counters.failures());
          ctx.completeNow();
        })))));
  }

  @Test
  void theEventLoopStaysFreeWhileARetryWaits(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> firstFailed = Promise.promise();
    StateGraph graph = single("retry-timer", "node")
        .addNode("node", (state, c) -> {
          if (state.getBoolean("quick") != null) {
            return Future.succeededFuture(Map.of("quick", "done"));
          }
          if (c.attempt() == 1) {
            firstFailed.tryComplete();
            return Future.failedFuture(new IOException("busy"));
          }
          return Future.succeededFuture(Map.of("slow", "done"));
        }, new NodeOptions().setRetry(RetryPolicy.builder().maxAttempts(2).initialIntervalMs(400).maxIntervalMs(400)
            .jitterMs(0).build()));
    GraphRuntimeOptions options = new GraphRuntimeOptions().setCoordinatorInstances(1).setNodeInstances(1);
    GraphRuntime.deploy(vertx, graph.compile(), options).onComplete(ctx.succeeding(runtime -> {
      long started = System.nanoTime();
      Future<Long> slowDone = runtime.client().invoke(Map.of())
          .map(state -> (System.nanoTime() - started) / 1_000_000);
      firstFailed.future()
          .compose(failed -> runtime.client().invoke(Map.of("quick", true)))
          .map(state -> (System.nanoTime() - started) / 1_000_000)
          .onComplete(ctx.succeeding(quickMs -> slowDone.onComplete(ctx.succeeding(slowMs -> ctx.verify(() -> {
            assertTrue(quickMs < slowMs, "another run used the same coordinator and node during the back-off: quick "
                + quickMs + " ms, slow " + slowMs + " ms");
            assertTrue(slowMs >= 399, "the retry waited its interval: " + slowMs);
            ctx.completeNow();
          })))));
    }));
  }

  @Test
  void aNonRetryableFailureIsTriedOnce(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    StateGraph graph = single("retry-not-retryable", "strict")
        .addNode("strict", (state, c) -> {
          calls.incrementAndGet();
          throw new IllegalArgumentException("bad prompt template");
        }, new NodeOptions().setRetry(quick(5).build()));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of()).onComplete(ctx.failing(failure -> ctx.verify(() -> {
          NodeFailedException e = assertInstanceOf(NodeFailedException.class, failure);
          assertEquals(1, e.attempt());
          assertEquals(5, e.maxAttempts());
          assertInstanceOf(IllegalArgumentException.class, e.getCause());
          assertTrue(e.getMessage().contains("(attempt 1/5)"), e.getMessage());
          assertEquals(1, calls.get());
          assertEquals(0, runtime.metrics().node("strict").retries());
          ctx.completeNow();
        })))));
  }

  @Test
  void anInvalidUpdateIsNeverRetried(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    StateGraph graph = single("retry-invalid-update", "writer")
        .addNode("writer", (state, c) -> {
          calls.incrementAndGet();
          return Future.succeededFuture(Map.of("not-json", new Object()));
        }, new NodeOptions().setRetry(quick(5).retryIf(failure -> true).build()));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of()).onComplete(ctx.failing(failure -> ctx.verify(() -> {
          InvalidUpdateException e = assertInstanceOf(InvalidUpdateException.class, failure);
          assertEquals(List.of("writer"), e.writers());
          assertEquals(1, calls.get(), "a programming error is not retried, whatever retryIf says");
          assertEquals(0, runtime.metrics().node("writer").retries());
          ctx.completeNow();
        })))));
  }

  @Test
  void theLastFailureIsReportedWhenAttemptsRunOut(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    StateGraph graph = single("retry-exhausted", "down")
        .addNode("down", (state, c) -> {
          calls.incrementAndGet();
          return Future.failedFuture(new IOException("still down at attempt " + c.attempt()));
        }, new NodeOptions().setRetry(quick(3).build()));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of()).onComplete(ctx.failing(failure -> ctx.verify(() -> {
          NodeFailedException e = assertInstanceOf(NodeFailedException.class, failure);
          assertEquals(3, e.attempt());
          assertEquals(3, e.maxAttempts());
          assertEquals("still down at attempt 3", e.getCause().getMessage());
          assertEquals(3, calls.get());
          assertEquals(2, runtime.metrics().node("down").retries());
          ctx.completeNow();
        })))));
  }

  @Test
  void aTimedOutFirstAttemptIsRetriedAndItsLateReplyIgnored(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> lateReplyDelivered = Promise.promise();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    StateGraph graph = new StateGraph("retry-timeout")
        .addNode("slowFirst", (state, c) -> {
          attempts.add(c.attempt());
          if (c.attempt() == 1) {
            return c.vertx().timer(250).map(t -> Map.<String, Object>of("attempt", 1))
                .onComplete(done -> lateReplyDelivered.tryComplete());
          }
          return Future.succeededFuture(Map.of("attempt", c.attempt()));
        }, new NodeOptions().setTimeoutMs(100).setRetry(quick(3).build()))
        .addNode("after", (state, c) -> lateReplyDelivered.future().map(v -> Map.of("after", true)))
        .addEdge(START, "slowFirst").addEdge("slowFirst", "after").addEdge("after", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of()).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(2, state.getInteger("attempt"), "the late first attempt's write never landed");
          assertEquals(true, state.getBoolean("after"));
          assertEquals(List.of(1, 2), attempts);
          RuntimeMetrics.NodeCounters counters = runtime.metrics().node("slowFirst");
          assertEquals(1, counters.timeouts());
          assertEquals(1, counters.retries());
          ctx.completeNow();
        })))));
  }

  @Test
  void aTimeoutOnEveryAttemptFailsWithTheLastTimeout(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = single("retry-timeout-exhausted", "never")
        .addNode("never", (state, c) -> Promise.promise().future(),
            new NodeOptions().setTimeoutMs(50).setRetry(quick(2).build()));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of()).onComplete(ctx.failing(failure -> ctx.verify(() -> {
          NodeTimeoutException e = assertInstanceOf(NodeTimeoutException.class, failure);
          assertEquals(2, e.attempt());
          assertEquals(2, e.maxAttempts());
          assertEquals(50, e.timeoutMs());
          assertEquals(2, runtime.metrics().node("never").timeouts());
          ctx.completeNow();
        })))));
  }

  @Test
  void blockingNodesAreRetriedToo(Vertx vertx, VertxTestContext ctx) {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    StateGraph graph = single("retry-blocking", "jdbc")
        .addBlockingNode("jdbc", (state, c) -> {
          attempts.add(c.attempt());
          if (c.attempt() == 1) {
            throw new IOException("deadlock detected");
          }
          return Map.of("rows", c.attempt());
        }, new NodeOptions().setRetry(quick(2).build()));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of()).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(2, state.getInteger("rows"));
          assertEquals(List.of(1, 2), attempts);
          ctx.completeNow();
        })))));
  }
}
