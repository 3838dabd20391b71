package io.graphloop.runtime;

import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fan-in through the runtime: how often, and when, the node where branches meet runs. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class JoinExecutionTest {

  private final AtomicInteger cRuns = new AtomicInteger();
  private final Queue<String> cSaw = new ConcurrentLinkedQueue<>();
  private final Queue<Integer> cSteps = new ConcurrentLinkedQueue<>();

  /** Writes {@code name = true} after {@code delayMs} (a timer, not a sleep). */
  private static AsyncNode marks(String name, long delayMs) {
    return (state, ctx) -> ctx.vertx().timer(delayMs).map(done -> Map.of(name, true));
  }

  /** Node c: counts its executions and records which branch outputs it saw and at which step. */
  private AsyncNode c() {
    return (state, ctx) -> {
      cRuns.incrementAndGet();
      cSteps.add(ctx.step());
      cSaw.add(seen(state));
      return Future.succeededFuture(Map.of("c", true));
    };
  }

  private static String seen(State state) {
    StringBuilder seen = new StringBuilder();
    for (String key : List.of("a", "a2", "b")) {
      if (state.has(key)) {
        seen.append(seen.length() == 0 ? "" : "+").append(key);
      }
    }
    return seen.toString();
  }

  @Test
  void staticEdgesFromOneStepFanOutRunTheTargetOnce(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("join-static")
        .addNode("s", state -> Future.succeededFuture())
        .addNode("a", marks("a", 5))
        .addNode("b", marks("b", 1))
        .addNode("c", c())
        .addEdge(START, "s").addEdge("s", "a").addEdge("s", "b")
        .addEdge("a", "c").addEdge("b", "c")
        .addEdge("c", END);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of()))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(1, cRuns.get());
          assertEquals(List.of("a+b"), List.copyOf(cSaw));
          assertEquals(List.of(3), List.copyOf(cSteps));
          assertEquals(true, state.getBoolean("c"));
          ctx.completeNow();
        })));
  }

  @Test
  void waitingJoinRunsTargetOnceAfterBranchesOfDifferentLengths(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("join-uneven")
        .addNode("a", marks("a", 1))
        .addNode("a2", marks("a2", 1))
        .addNode("b", marks("b", 1))
        .addNode("c", c())
        .addEdge(START, "a").addEdge(START, "b")
        .addEdge("a", "a2")
        .addEdge(List.of("a2", "b"), "c")
        .addEdge("c", END);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of()))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(1, cRuns.get());
          assertEquals(List.of("a+a2+b"), List.copyOf(cSaw), "c must see both branches' writes");
          assertEquals(List.of(3), List.copyOf(cSteps), "c runs in the step after the longer branch ends");
          ctx.completeNow();
        })));
  }

  @Test
  void withoutAJoinUnevenBranchesTriggerTheTargetOncePerArrival(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("join-none")
        .addNode("a", marks("a", 1))
        .addNode("a2", marks("a2", 1))
        .addNode("b", marks("b", 1))
        .addNode("c", c())
        .addEdge(START, "a").addEdge(START, "b")
        .addEdge("a", "a2")
        .addEdge("a2", "c").addEdge("b", "c")
        .addEdge("c", END);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of()))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(2, cRuns.get());
          assertEquals(List.of(2, 3), List.copyOf(cSteps));
          assertEquals(List.of("a+b", "a+a2+b"), List.copyOf(cSaw));
          ctx.completeNow();
        })));
  }

  @Test
  void concurrentRunsEachRunTheJoinTargetOnce(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("join-many")
        .addNode("a", marks("a", 2))
        .addNode("a2", marks("a2", 1))
        .addNode("b", marks("b", 1))
        .addNode("c", c())
        .addEdge(START, "a").addEdge(START, "b")
        .addEdge("a", "a2")
        .addEdge(List.of("a2", "b"), "c")
        .addEdge("c", END);
    int runs = 20;
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> {
          List<Future<State>> all = new ArrayList<>();
          for (int i = 0; i < runs; i++) {
            all.add(runtime.client().invoke(Map.of()));
          }
          return Future.all(all);
        })
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertEquals(runs, cRuns.get(), "join barriers are per run");
          cSaw.forEach(seen -> assertEquals("a+a2+b", seen));
          ctx.completeNow();
        })));
  }
}
