package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.vertx.core.Context;
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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking nodes run on worker threads, in parallel, on their named pool if they have one, and never hold
 * up the event loops. (Sleeping and barrier waits below happen only inside blocking nodes.)
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class BlockingNodeTest {

  private static final int ASYNC_RUNS = 1_000;

  /** Where a blocking node ran. */
  private record Where(String thread, boolean worker, boolean eventLoop) {
    static Where here() {
      return new Where(Thread.currentThread().getName(), Context.isOnWorkerThread(), Context.isOnEventLoopThread());
    }
  }

  private static StateGraph single(String graph, String node) {
    return new StateGraph(graph).addEdge(START, node).addEdge(node, END);
  }

  @Test
  void asyncRunsCompleteWhileABlockingNodeSleeps(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> entered = Promise.promise();
    AtomicReference<Where> where = new AtomicReference<>();
    StateGraph slow = single("blocking-slow", "sleeper").addBlockingNode("sleeper", (state, c) -> {
      where.set(Where.here());
      entered.complete();
      Thread.sleep(2_000);
      return Map.of("slept", true);
    });
    AtomicInteger completions = new AtomicInteger();
    AtomicInteger slowFinishedAs = new AtomicInteger();
    List<Integer> quickFinishedAs = new ArrayList<>();
    Context launcher = vertx.getOrCreateContext();
    Future.all(GraphRuntime.deploy(vertx, slow.compile()), GraphRuntime.deploy(vertx, SeedGraph.build("quick", 0)))
        .onComplete(ctx.succeeding(deployed -> {
          GraphClient quick = GraphClient.create(vertx, "quick");
          Future<State> slowRun = GraphClient.create(vertx, "blocking-slow").invoke(Map.of())
              .onComplete(done -> slowFinishedAs.set(completions.incrementAndGet()));
          Future<List<State>> quickRuns = entered.future().compose(v -> Future.<List<State>>future(p ->
              launcher.runOnContext(x -> {
                List<Future<State>> runs = new ArrayList<>();
                for (int i = 0; i < ASYNC_RUNS; i++) {
                  runs.add(quick.invoke(SeedGraph.input()).onComplete(done -> {
                    int order = completions.incrementAndGet();
                    synchronized (quickFinishedAs) {
                      quickFinishedAs.add(order);
                    }
                  }));
                }
                Future.all(runs).map(all -> all.<State>list()).onComplete(p);
              })));
          quickRuns.onComplete(ctx.succeeding(states -> ctx.verify(() -> {
            assertEquals(ASYNC_RUNS, states.size());
            states.forEach(state -> assertTrue(SeedGraph.isComplete(state), state.toString()));
            assertFalse(slowRun.isComplete(), "the blocking run must still be sleeping");
            slowRun.onComplete(ctx.succeeding(state -> ctx.verify(() -> {
              assertEquals(true, state.getBoolean("slept"));
              synchronized (quickFinishedAs) {
                assertEquals(ASYNC_RUNS, quickFinishedAs.size());
                quickFinishedAs.forEach(order -> assertTrue(order < slowFinishedAs.get()));
              }
              assertTrue(where.get().worker(), "ran on " + where.get());
              assertFalse(where.get().eventLoop(), "ran on " + where.get());
              assertFalse(where.get().thread().contains("eventloop"), where.get().thread());
              ctx.completeNow();
            })));
          })));
        }));
  }

  @Test
  void blockingExecutionsOfOneNodeInstanceRunInParallel(Vertx vertx, VertxTestContext ctx) {
    CyclicBarrier bothInside = new CyclicBarrier(2);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    StateGraph graph = single("blocking-parallel", "meet").addBlockingNode("meet", (state, c) -> {
      threads.add(Thread.currentThread().getName());
      bothInside.await(5, TimeUnit.SECONDS);
      return Map.of("met", true);
    });
    GraphRuntimeOptions options = new GraphRuntimeOptions().setNodeInstances("meet", 1);
    GraphRuntime.deploy(vertx, graph.compile(), options)
        .compose(runtime -> Future.all(runtime.client().invoke(Map.of()), runtime.client().invoke(Map.of())))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertEquals(2, threads.size(), "two worker threads were inside the node at once");
          ctx.completeNow();
        })));
  }

  @Test
  void blockingNodeWithANamedPoolRunsOnThatPoolWithinItsSize(Vertx vertx, VertxTestContext ctx) {
    CyclicBarrier pairs = new CyclicBarrier(2);
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    Set<Where> wheres = ConcurrentHashMap.newKeySet();
    StateGraph graph = single("blocking-pool", "pooled").addBlockingNode("pooled", (state, c) -> {
      wheres.add(Where.here());
      maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
      try {
        pairs.await(5, TimeUnit.SECONDS);
        Thread.sleep(100);
      } finally {
        active.decrementAndGet();
      }
      return Map.of("pooled", true);
    }, new NodeOptions().setWorkerPool("pool-x").setWorkerPoolSize(2));
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> {
          List<Future<State>> runs = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            runs.add(runtime.client().invoke(Map.of()));
          }
          return Future.all(runs);
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(2, maxActive.get(), "a pool of 2 runs two executions at once, not more");
          Set<String> threads = ConcurrentHashMap.newKeySet();
          for (Where where : wheres) {
            assertTrue(where.thread().startsWith("pool-x"), "ran on " + where.thread());
            assertTrue(where.worker());
            threads.add(where.thread());
          }
          assertEquals(2, threads.size(), "threads of pool-x: " + threads);
          ctx.completeNow();
        })));
  }
}
