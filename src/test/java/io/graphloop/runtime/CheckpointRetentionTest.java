package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoint retention, keep the latest N (issue 18; LangGraph's prune strategy {@code keep_latest}): a runtime with
 * {@code keepLatestCheckpoints} on a SQLite store prunes a thread whose messages are stored as append deltas to its
 * newest N checkpoints; its state reads the same, later runs go on from it, and the options are checked.
 */
@ExtendWith(VertxExtension.class)
class CheckpointRetentionTest {

  /** Two nodes, each appending a message: a run saves four checkpoints (input, step 0, ask, answer). */
  private static CompiledGraph graph() {
    return new StateGraph("pruned").channel("messages", Channels.append())
        .addNode("ask", (state, ctx) -> Future.succeededFuture(Map.of("messages", "q" + state.getInteger("turn"))))
        .addNode("answer", (state, ctx) -> Future.succeededFuture(Map.of("messages", "a" + state.getInteger("turn"))))
        .addEdge(START, "ask").addEdge("ask", "answer").addEdge("answer", END).compile();
  }

  private static Future<Void> turns(GraphRuntime runtime, String thread, int from, int to) {
    return from == to ? Future.succeededFuture()
        : runtime.client().invoke(Map.of("turn", from), new RunOptions().setThreadId(thread)
            .setDurability(Durability.SYNC)).compose(v -> turns(runtime, thread, from + 1, to));
  }

  @Test
  void aThreadKeepsItsNewestCheckpointsAndItsWholeState(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    GraphRuntimeOptions options = new GraphRuntimeOptions(new JsonObject().put("keepLatestCheckpoints", 2)
        .put("retentionSweepIntervalMs", 0)
        .put("checkpointer", new JsonObject().put("type", "sqlite").put("dataDir", dir.toString())));
    ThreadState[] before = new ThreadState[1];
    GraphRuntime.deploy(vertx, graph(), options).compose(runtime -> turns(runtime, "t", 0, 4)
            .compose(v -> turns(runtime, "short", 0, 0))
            .compose(v -> runtime.client().getState("t")).onSuccess(state -> before[0] = state)
            .compose(v -> runtime.client().getStateHistory("t", 100, null))
            .compose(history -> {
              ctx.verify(() -> assertEquals(16, history.size(), "four runs of four checkpoints: "
                  + "input (step -1), step 0, ask, answer, as LangGraph saves them"));
              return runtime.checkpointRetention().sweep();
            })
            .compose(deleted -> {
              ctx.verify(() -> {
                assertEquals(14, deleted, "16 checkpoints, the newest 2 kept");
                assertEquals(14, runtime.checkpointRetention().pruned());
              });
              return Future.all(runtime.client().getState("t"), runtime.client().getStateHistory("t", 100, null));
            })
            .compose(after -> {
              ThreadState state = after.resultAt(0);
              List<ThreadState> history = after.resultAt(1);
              ctx.verify(() -> {
                assertEquals(before[0].values(), state.values(), "the head reads as before the prune");
                assertEquals(List.of("q0", "a0", "q1", "a1", "q2", "a2", "q3", "a3"),
                    state.values().getList("messages"));
                assertEquals(2, history.size());
                assertEquals(before[0].checkpointId(), history.get(0).checkpointId());
              });
              return turns(runtime, "t", 4, 5).compose(v -> runtime.client().getState("t"));
            })
            .compose(state -> {
              ctx.verify(() -> assertEquals(List.of("q0", "a0", "q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4"),
                  state.values().getList("messages"), "a later run goes on from the kept head"));
              return runtime.checkpointRetention().sweep();
            })
            .compose(deleted -> {
              ctx.verify(() -> assertEquals(4, deleted, "the two kept before and the new run's first two"));
              return runtime.undeploy();
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theOptionsAreChecked(Vertx vertx, VertxTestContext ctx) {
    assertEquals(3, new GraphRuntimeOptions(new JsonObject().put("keepLatestCheckpoints", 3))
        .getKeepLatestCheckpoints());
    assertNull(new GraphRuntimeOptions().getKeepLatestCheckpoints(), "every checkpoint is kept by default");
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> new GraphRuntimeOptions().setKeepLatestCheckpoints(0));
    assertTrue(zero.getMessage().contains("keepLatestCheckpoints must be at least 1"), zero.getMessage());
    IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
        () -> new GraphRuntimeOptions(new JsonObject().put("keepLatestCheckpoints", "ten")));
    assertTrue(text.getMessage().contains("keepLatestCheckpoints must be a whole number"), text.getMessage());
    assertEquals(4, new GraphRuntimeOptions(new GraphRuntimeOptions().setKeepLatestCheckpoints(4).toJson())
        .getKeepLatestCheckpoints(), "kept through toJson");
    GraphRuntime.deploy(vertx, graph(), new GraphRuntimeOptions().setKeepLatestCheckpoints(1))
        .compose(runtime -> {
          ctx.verify(() -> assertNull(runtime.checkpointRetention(), "no store, nothing to prune"));
          return runtime.undeploy();
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
