package io.graphloop.it;

import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.GroupCommitStats;
import io.graphloop.checkpoint.ThrowawayPostgresExtension;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many runs starting at once on a real PostgreSQL store whose read pool is small: {@link #RUNS} threads are started
 * in one event-loop turn, each a chain of three nodes under {@code sync}, on a store with {@code poolSize} 1 (every
 * start reads its thread through that one connection, so thousands of reads queue there) and the group-commit
 * writer's own {@code writerConnections} 2. Every run finishes (bounded by the test's timeout, not timed), every
 * thread's stored history is one chain ({@code -1, 0, 1, 2, 3}, each checkpoint's parent the one before, the last
 * with no next task and the whole trail), and the saves were batched (fewer transactions than saves).
 *
 * <pre>
 * nice mvn -o -B verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=PostgresManyRunsIT
 * </pre>
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.MINUTES)
class PostgresManyRunsIT {

  @RegisterExtension
  static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();

  private static final int RUNS = 3_000;
  private static final List<String> NODES = List.of("a", "b", "c");

  @Test
  void thousandsOfRunsStartingAtOnceAllMakeTheirSavesDurable(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("many-runs").channel("trail", Channels.append());
    for (String node : NODES) {
      graph.addNode(node, (state, nodeCtx) -> nodeCtx.vertx().timer(1).map(t -> Map.of("trail", node)));
    }
    graph.addEdge(START, "a").addEdge("a", "b").addEdge("b", "c").addEdge("c", END);
    GraphRuntimeOptions options = new GraphRuntimeOptions()
        .setCheckpointer(POSTGRES.storeOptions().setPoolSize(1).setMaxWaitQueueSize(4 * RUNS).setWriterConnections(2)
            .toJson().put("type", "postgres"))
        .setMaxInFlightRuns(RUNS).setMaxRunBacklog(RUNS);
    GraphRuntime.deploy(vertx, graph.compile(), options).compose(runtime -> {
      GraphClient client = GraphClient.create(vertx, "many-runs", 480_000, RUNS);
      return startAll(vertx, client).compose(results -> {
        ctx.verify(() -> {
          for (RunResult result : results) {
            assertEquals(NODES, result.values().getList("trail"));
          }
        });
        CheckpointStore store = runtime.checkpointer().store();
        GroupCommitStats stats = store.groupCommitStats();
        ctx.verify(() -> {
          assertTrue(stats.saves() >= 5L * RUNS, "5 checkpoints per thread at least: " + stats);
          // fewer transactions than saves, not a ratio: how many saves wait per commit depends on how fast the
          // one-connection read pool lets runs start against the writer's commits (saves / 2 failed once at load 20)
          assertTrue(stats.transactions() < stats.saves(), "the saves were batched: " + stats);
        });
        return checkHistories(ctx, runtime);
      }).eventually(runtime::undeploy);
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** Starts every run in one event-loop turn; their results, in thread order. */
  private static Future<List<RunResult>> startAll(Vertx vertx, GraphClient client) {
    Promise<List<Future<RunResult>>> sent = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      List<Future<RunResult>> runs = new ArrayList<>(RUNS);
      for (int i = 0; i < RUNS; i++) {
        runs.add(client.run(Map.of("trail", List.of()), new RunOptions().setThreadId("t" + i)
            .setDurability(Durability.SYNC)));
      }
      sent.complete(runs);
    });
    return sent.future().compose(runs -> Future.all(runs).map(all -> runs.stream().map(Future::result).toList()));
  }

  /** Each thread's history: input (-1), the loop's first (0), then steps 1, 2, 3, each checkpoint's parent the one before it. */
  private static Future<Void> checkHistories(VertxTestContext ctx, GraphRuntime runtime) {
    Future<Void> done = Future.succeededFuture();
    for (int chunk = 0; chunk < RUNS; chunk += 500) {
      int from = chunk;
      done = done.compose(v -> {
        List<Future<?>> reads = new ArrayList<>();
        for (int i = from; i < Math.min(RUNS, from + 500); i++) {
          String thread = "t" + i;
          reads.add(runtime.checkpointer().history(thread, 10, null).map(history -> {
            ctx.verify(() -> {
              assertEquals(List.of(3, 2, 1, 0, -1), history.stream().map(CheckpointRecord::step).toList(), thread);
              for (int k = 0; k + 1 < history.size(); k++) {
                assertEquals(history.get(k + 1).checkpointId(), history.get(k).parentId(), thread);
              }
              assertNull(history.get(history.size() - 1).parentId(), thread);
              assertEquals(List.of(), history.get(0).nextTasks(), thread);
            });
            return null;
          }));
        }
        return Future.all(reads).mapEmpty();
      });
    }
    return done;
  }
}
