package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.LimitReachedException;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's concurrency limit (a bulkhead across all runs and instances of the node in a deployment), its bounded
 * wait queue, and named worker pools for blocking nodes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class NodeLimitsTest {

  /** Counts executions in progress and remembers the highest count seen. */
  private static final class Gauge {
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();

    void enter() {
      peak.accumulateAndGet(active.incrementAndGet(), Math::max);
    }

    void leave() {
      active.decrementAndGet();
    }
  }

  private static StateGraph single(String graph, String node) {
    return new StateGraph(graph).addEdge(START, node).addEdge(node, END);
  }

  @Test
  void aLimitOfEightIsNeverExceededUnderAThousandConcurrentRuns(Vertx vertx, VertxTestContext ctx) {
    int runs = 1_000;
    Gauge gauge = new Gauge();
    StateGraph graph = single("limit-1000", "llm")
        .addNode("llm", (state, c) -> {
          gauge.enter();
          return c.vertx().timer(1 + state.getInteger("i") % 3)
              .map(t -> {
                gauge.leave();
                return Map.of("answer", "answer " + state.getInteger("i"));
              });
        }, new NodeOptions().setMaxConcurrency(8).setMaxQueued(runs));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      List<Future<State>> all = new ArrayList<>(runs);
      for (int i = 0; i < runs; i++) {
        all.add(runtime.client().invoke(Map.of("i", i)));
      }
      Future.join(all).onComplete(done -> ctx.verify(() -> {
        for (int i = 0; i < runs; i++) {
          Future<State> run = all.get(i);
          assertTrue(run.succeeded(), "run " + i + " failed: " + run.cause());
          assertEquals("answer " + i, run.result().getString("answer"));
        }
        assertTrue(gauge.peak.get() <= 8, "at most 8 executions at once, saw " + gauge.peak.get());
        assertEquals(8, gauge.peak.get(), "with 1,000 runs waiting the limit is used in full");
        assertEquals(0, gauge.active.get());
        assertEquals(runs, runtime.metrics().node("llm").executions());
        assertEquals(0, runtime.metrics().node("llm").rejected());
        ctx.completeNow();
      }));
    }));
  }

  @Test
  void whenTheQueueIsFullExcessExecutionsFailAsLimitReached(Vertx vertx, VertxTestContext ctx) {
    int runs = 20;
    int admitted = 2 + 3; // maxConcurrency + maxQueued
    Promise<Void> gate = Promise.promise();
    Gauge gauge = new Gauge();
    StateGraph graph = single("limit-queue-full", "llm")
        .addNode("llm", (state, c) -> {
          gauge.enter();
          return gate.future().map(open -> {
            gauge.leave();
            return Map.of("answer", "ok");
          });
        }, new NodeOptions().setMaxConcurrency(2).setMaxQueued(3));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      AtomicInteger failed = new AtomicInteger();
      List<Future<State>> all = new ArrayList<>(runs);
      for (int i = 0; i < runs; i++) {
        all.add(runtime.client().invoke(Map.of()).onFailure(f -> {
          if (failed.incrementAndGet() == runs - admitted) {
            gate.tryComplete(); // every refusal is in: let the admitted executions finish
          }
        }));
      }
      vertx.setTimer(5_000, id -> gate.tryComplete()); // bounded: if refusals are missing, the asserts say so
      Future.join(all).onComplete(done -> ctx.verify(() -> {
        int succeeded = 0;
        for (Future<State> run : all) {
          if (run.succeeded()) {
            succeeded++;
            continue;
          }
          LimitReachedException e = assertInstanceOf(LimitReachedException.class, run.cause());
          assertEquals(FailureCode.OVERLOADED, e.code());
          assertEquals("llm", e.node());
          assertEquals("maxConcurrency", e.limitName());
          assertEquals(2, e.limit());
          assertTrue(e.getMessage().contains("Node 'llm' of graph 'limit-queue-full' reached its concurrency limit"),
              e.getMessage());
          assertTrue(e.getMessage().contains("maxConcurrency 2, maxQueued 3"), e.getMessage());
        }
        assertEquals(admitted, succeeded, "2 running + 3 queued were admitted");
        assertEquals(runs - admitted, failed.get());
        assertEquals(runs - admitted, runtime.metrics().node("llm").rejected());
        assertEquals(admitted, runtime.metrics().node("llm").executions());
        assertTrue(gauge.peak.get() <= 2, "peak " + gauge.peak.get());
        ctx.completeNow();
      }));
    }));
  }

  @Test
  void aQueuedExecutionPastItsTimeoutFailsAndNeverStarts(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> holderInside = Promise.promise();
    CountDownLatch release = new CountDownLatch(1);
    Set<String> ran = ConcurrentHashMap.newKeySet();
    StateGraph graph = single("limit-queued-timeout", "llm")
        .addBlockingNode("llm", (state, c) -> {
          String who = state.getString("who");
          ran.add(who);
          if (who.equals("holder")) {
            holderInside.tryComplete();
            awaitIgnoringInterrupts(release); // a blocking node keeps its permit until it returns
          }
          return Map.of("done", who);
        }, new NodeOptions().setMaxConcurrency(1).setMaxQueued(5).setTimeoutMs(150));
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      Future<State> holder = runtime.client().invoke(Map.of("who", "holder"));
      holderInside.future()
          .compose(in -> runtime.client().invoke(Map.of("who", "queued")).transform(Future::succeededFuture))
          .onComplete(ctx.succeeding(queued -> ctx.verify(() -> {
            NodeTimeoutException e = assertInstanceOf(NodeTimeoutException.class, queued.cause());
            assertEquals(150, e.timeoutMs());
            release.countDown();
            holder.transform(Future::succeededFuture)
                .compose(h -> runtime.client().invoke(Map.of("who", "later")))
                .onComplete(ctx.succeeding(later -> ctx.verify(() -> {
                  assertInstanceOf(NodeTimeoutException.class, holder.cause(), "the holder timed out as well");
                  assertEquals("later", later.getString("done"), "the permit was returned");
                  assertEquals(Set.of("holder", "later"), ran, "the queued execution timed out waiting, never ran");
                  assertEquals(2, runtime.metrics().node("llm").timeouts());
                  ctx.completeNow();
                })));
          })));
    }));
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        if (latch.await(10, TimeUnit.SECONDS)) {
          break;
        }
        throw new AssertionError("never released");
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aNamedWorkerPoolIsSharedByItsNodesAndKeepsItsSize(Vertx vertx, VertxTestContext ctx) {
    Gauge gauge = new Gauge();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    NodeOptions pool = new NodeOptions().setWorkerPool("graphloop-test-db").setWorkerPoolSize(2);
    StateGraph graph = new StateGraph("limit-shared-pool")
        .addBlockingNode("a", (state, c) -> {
          threads.add(Thread.currentThread().getName());
          gauge.enter();
          Thread.sleep(40);
          gauge.leave();
          return Map.of("a", true);
        }, pool)
        .addBlockingNode("b", (state, c) -> {
          threads.add(Thread.currentThread().getName());
          gauge.enter();
          Thread.sleep(40);
          gauge.leave();
          return Map.of("b", true);
        }, pool)
        .addEdge(START, "a").addEdge(START, "b").addEdge("a", END).addEdge("b", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      List<Future<State>> all = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        all.add(runtime.client().invoke(Map.of()));
      }
      Future.all(all).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        for (Future<State> run : all) {
          assertEquals(true, run.result().getBoolean("a"));
          assertEquals(true, run.result().getBoolean("b"));
        }
        assertEquals(2, gauge.peak.get(), "12 executions of two nodes on one pool of 2: never more than 2 at once");
        assertTrue(threads.size() <= 2, "both nodes ran on the same 2 threads: " + threads);
        assertTrue(threads.stream().allMatch(name -> name.startsWith("graphloop-test-db")), threads.toString());
        ctx.completeNow();
      })));
    }));
  }
}
