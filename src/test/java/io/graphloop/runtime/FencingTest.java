package io.graphloop.runtime;

import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.MemoryCheckpointStore;
import io.graphloop.checkpoint.PostgresCheckpointStore;
import io.graphloop.checkpoint.PostgresTestServer;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fencing at the level of runs (issue 18): two coordinators that both believe they own a thread (one was paused, or
 * dropped by the cluster while alive) share one store; each has its own thread lock, as two JVMs whose lock service
 * lost track of each other would. The one that saves second, from a head that moved under it, stops with
 * {@code THREAD_TAKEN_OVER}, and the thread's history is the other one's, never an interleaving. Two Vert.x
 * instances stand for the two JVMs; on the memory store they share the store, on a real PostgreSQL (from
 * {@link PostgresTestServer}) each has a store of its own on the one database, as two JVMs do. The callers wait from
 * this (non-Vert.x) test thread with bounded waits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FencingTest {

  private final Vertx stale = Vertx.vertx();
  private final Vertx taker = Vertx.vertx();
  private PostgresTestServer server;

  @AfterEach
  void close() {
    Await.result(stale.close());
    Await.result(taker.close());
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theCoordinatorWhoseHeadMovedStopsWithThreadTakenOverAndTheHistoryDoesNotInterleave() {
    MemoryCheckpointStore store = new MemoryCheckpointStore();
    takeOver(store, store);
  }

  /**
   * The same on PostgreSQL with a store per coordinator, as two JVMs have (each its own group-commit writer and
   * connections): the stale coordinator's save is refused by the heads table's compare-and-set, not by anything the
   * two stores share in memory.
   */
  @Test
  void onPostgresTheHeadsCompareAndSetStopsTheStaleCoordinator() {
    server = PostgresTestServer.startOrSkip();
    CheckpointStore onStale = Await.result(PostgresCheckpointStore.open(stale, server.storeOptions()));
    CheckpointStore onTaker = Await.result(PostgresCheckpointStore.open(taker, server.storeOptions()));
    takeOver(onStale, onTaker);
  }

  private void takeOver(CheckpointStore staleStore, CheckpointStore store) {
    String threadId = "t-" + java.util.UUID.randomUUID();
    CompletableFuture<Promise<Void>> firstWait = new CompletableFuture<>();
    AtomicInteger waits = new AtomicInteger();
    CompiledGraph graph = new StateGraph("fenced")
        .addNode("first", (state, ctx) -> Future.succeededFuture(Map.of("first", true)))
        .addNode("wait", (state, ctx) -> {
          if (waits.getAndIncrement() > 0) {
            return Future.succeededFuture(Map.of("waited", false));
          }
          Promise<Void> held = Promise.promise();
          firstWait.complete(held); // the stale coordinator pauses here
          return held.future().map(v -> Map.of("waited", true));
        })
        .addNode("last", (state, ctx) -> Future.succeededFuture(Map.of("last", true)))
        .addEdge(START, "first").addEdge("first", "wait").addEdge("wait", "last").addEdge("last", END)
        .compile();
    GraphRuntime onStale = Await.result(GraphRuntime.deploy(stale, graph, new GraphRuntimeOptions(), staleStore));
    GraphRuntime onTaker = Await.result(GraphRuntime.deploy(taker, graph, new GraphRuntimeOptions(), store));
    RunOptions thread = new RunOptions().setThreadId(threadId).setDurability(Durability.SYNC);

    Future<State> staleRun = onStale.client().invoke(Map.of("by", "stale"), new RunOptions(thread));
    Promise<Void> held = Await.result(Future.fromCompletionStage(firstWait));
    State taken = Await.result(onTaker.client().invoke(Map.of("by", "taker"), new RunOptions(thread)));
    assertEquals(Boolean.TRUE, taken.get("last"), "the coordinator that took the thread over ran it to the end");
    String head = Await.result(store.latest(threadId)).checkpointId();

    stale.runOnContext(v -> held.complete());
    Throwable stopped = Await.failure(staleRun);
    GraphloopException refused = assertInstanceOf(GraphloopException.class, stopped);
    assertEquals(FailureCode.THREAD_TAKEN_OVER, refused.code(), refused.getMessage());
    assertTrue(refused.getMessage().contains("THREAD_TAKEN_OVER"), refused.getMessage());

    List<CheckpointRecord> history = Await.result(store.list(threadId, 100, null)); // newest first
    assertEquals(head, history.get(0).checkpointId(), "nothing was saved after the taker's last checkpoint");
    String takerRun = String.valueOf(history.get(0).metadata().get("runId"));
    for (int i = 0; i < history.size() - 1; i++) { // each checkpoint's parent is the one listed after it: one line
      assertEquals(history.get(i + 1).checkpointId(), history.get(i).parentId(), "one linear history");
    }
    long byTaker = history.stream().filter(c -> takerRun.equals(String.valueOf(c.metadata().get("runId")))).count();
    assertTrue(byTaker >= 4, "the taker's input, loop and node checkpoints are the head of the line: " + byTaker);
    for (int i = 0; i < byTaker; i++) {
      assertEquals(takerRun, String.valueOf(history.get(i).metadata().get("runId")),
          "no checkpoint of the stale run after the taker's: " + history);
    }
  }
}
