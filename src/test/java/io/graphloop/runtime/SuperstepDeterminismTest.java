package io.graphloop.runtime;

import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes of a superstep are applied in node declaration order, never arrival order: many concurrent runs of
 * a fan-out whose nodes finish in random order all end in the same state.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SuperstepDeterminismTest {

  /** Declaration order, deliberately not alphabetical. */
  private static final List<String> NODES = List.of("n7", "n2", "n5", "n0", "n6", "n3", "n1", "n4");
  private static final int RUNS = 200;
  private static final int BATCH = 50;

  private final Map<String, Queue<String>> arrivalsByRun = new ConcurrentHashMap<>();

  private StateGraph fanOut() {
    StateGraph graph = new StateGraph("determinism").channel("order", Channels.append());
    for (String name : NODES) {
      graph.addNode(name, (state, ctx) -> {
        long delay = ThreadLocalRandom.current().nextLong(0, 6);
        Future<Void> wait = delay == 0 ? Future.succeededFuture() : ctx.vertx().timer(delay);
        return wait.map(done -> {
          arrivalsByRun.computeIfAbsent(ctx.runId(), id -> new ConcurrentLinkedQueue<>()).add(name);
          return Map.of("order", name, "last_" + name, name + " of " + state.getString("topic"));
        });
      });
      graph.addEdge(START, name);
    }
    return graph
        .addNode("join", state -> Future.succeededFuture(Map.of("joined", state.getList("order").size())))
        .addEdge(NODES, "join")
        .addEdge("join", END);
  }

  @Test
  void concurrentRunsOfARandomlyTimedFanOutAllEndInTheSameState(Vertx vertx, VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, fanOut().compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().batch(Collections.nCopies(RUNS, Map.of("topic", "stability")),
            new RunOptions(), BATCH))
        .onComplete(ctx.succeeding(states -> ctx.verify(() -> {
          assertEquals(RUNS, states.size());
          State first = states.get(0);
          for (State state : states) {
            assertEquals(first, state);
            assertEquals(List.copyOf(first.channels()), List.copyOf(state.channels()), "channel order too");
          }
          assertEquals(NODES, first.getList("order"), "append order is declaration order");
          assertEquals(NODES.size(), first.getInteger("joined"));
          for (String name : NODES) {
            assertEquals(name + " of stability", first.getString("last_" + name));
          }
          assertEquals(RUNS, arrivalsByRun.size());
          long reordered = arrivalsByRun.values().stream().filter(a -> !new ArrayList<>(a).equals(NODES)).count();
          assertTrue(reordered > 0, "the random delays should make nodes finish out of declaration order");
          ctx.completeNow();
        })));
  }
}
