package io.graphloop.runtime;

import io.graphloop.checkpoint.BlobRecord;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability modes, observed through a store whose saves take 10 ms: how far a run may get ahead of its stored
 * checkpoints (sync: not at all; async: at most {@link RunCheckpoints#MAX_OUTSTANDING} saves and one in progress;
 * exit: the whole run), and that in every mode everything is stored before the run answers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DurabilityTest {

  private static final int STEPS = 30;

  /** A memory store whose checkpoint puts complete after 10 ms, counting the completed ones. */
  private static final class SlowStore extends ForwardingStore {
    final AtomicInteger stored = new AtomicInteger();
    final Vertx vertx;

    SlowStore(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public Future<Void> put(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead) {
      return vertx.timer(10).compose(t -> delegate.put(checkpoint, blobs, expectedHead))
          .onSuccess(v -> stored.incrementAndGet());
    }

    @Override
    public String describe() {
      return "slow " + delegate.describe();
    }
  }

  /** For each durability: how many checkpoints each step found stored when it ran, and after the run. */
  @Test
  void eachModeKeepsItsPromiseAndStoresEverythingBeforeTheRunAnswers(Vertx vertx) {
    for (String durability : List.of("sync", "async", "exit")) {
      SlowStore store = new SlowStore(vertx);
      List<int[]> seen = Collections.synchronizedList(new ArrayList<>());
      StateGraph builder = new StateGraph("durable-" + durability);
      for (int i = 0; i < STEPS; i++) {
        builder.addNode("n" + i, (state, ctx) -> {
          seen.add(new int[] {ctx.step(), store.stored.get()});
          return Future.succeededFuture(Map.of("count", state.getInteger("count") + 1));
        });
        builder.addEdge(i == 0 ? START : "n" + (i - 1), "n" + i);
      }
      CompiledGraph graph = builder.addEdge("n" + (STEPS - 1), END).compile();
      GraphRuntime runtime = result(GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions(), store));
      RunResult run = result(runtime.client().run(Map.of("count", 0),
          new RunOptions().setThreadId("t").setDurability(Durability.of(durability))));
      int storedAtAnswer = store.stored.get();
      assertEquals(STEPS, run.values().getInteger("count"));
      assertEquals(run.checkpointId(), result(store.latest("t")).checkpointId(), durability + ": the answer names "
          + "the stored latest checkpoint");
      for (int[] step : seen) {
        int before = step[0] + 1; // the input checkpoint, START's step 0 and one per completed step
        switch (durability) {
          case "sync" -> assertEquals(before, step[1], "sync: step " + step[0] + " starts after its checkpoints");
          case "async" -> assertTrue(step[1] >= before - RunCheckpoints.MAX_OUTSTANDING - 2 && step[1] <= before,
              "async: at most " + RunCheckpoints.MAX_OUTSTANDING + " saves (and one in progress) behind at step "
                  + step[0] + ", stored " + step[1]);
          default -> assertEquals(0, step[1], "exit: nothing stored during the run");
        }
      }
      assertEquals(durability.equals("exit") ? 1 : STEPS + 2, storedAtAnswer, durability + ": all stored first");
      if (durability.equals("async")) {
        assertTrue(seen.stream().anyMatch(step -> step[1] < step[0] + 1), "async runs ahead of its saves");
      }
      result(runtime.undeploy());
    }
  }
}
