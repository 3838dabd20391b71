package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * On a clustered Vert.x a thread's lock is cluster-wide ({@code ThreadLock}: Hazelcast's map lock, released on a
 * worker thread), so a request's answer must not go out before the thread's lock is free again: a client that sends
 * its next request on the thread as soon as the answer is in (from the answer's own handler, as a reactive client
 * does) would otherwise be refused with 423 (a run in flight) although nothing runs. Runs ended that way already; a
 * refused run, a state update, a copy and a delete answered first and released after. Two members in this JVM
 * (loopback TCP): the nodes on one, the coordinator and the client on the other, so the answer reaches the client at
 * once (local delivery) while the release is still in flight. Each case is repeated: one round alone could win the
 * race by chance. The JUnit thread waits, bounded; each next request is sent from the previous answer's handler.
 */
class BackToBackOnAClusterTest {

  private static final int ROUNDS = 25;
  private static Vertx nodes;
  private static Vertx coordinator;
  private static GraphClient client;

  @BeforeAll
  static void cluster() throws Exception {
    LoopbackCluster cluster = LoopbackCluster.of(2);
    nodes = await(ClusteredVertx.start(cluster.liteMember(0).setLiteMember(false)), 120);
    coordinator = await(ClusteredVertx.start(cluster.liteMember(1)), 120);
    CompiledGraph graph = new StateGraph("back-to-back").channel("count", Channels.reducer((a, b) ->
            ((Number) a).intValue() + ((Number) b).intValue(), 0))
        .addNode("add", (state, ctx) -> Future.succeededFuture(Map.of("count", 1)))
        .addEdge(START, "add").addEdge("add", END).compile();
    await(GraphRuntime.deploy(nodes, graph, new GraphRuntimeOptions().setCoordinator(false)), 60);
    await(GraphRuntime.deploy(coordinator, graph, new GraphRuntimeOptions().setNodes(List.of())
        .setCheckpointer(new JsonObject().put("type", "memory"))), 60);
    client = GraphClient.create(coordinator, "back-to-back", 30_000);
  }

  @AfterAll
  static void close() throws Exception {
    for (Vertx vertx : new Vertx[] {coordinator, nodes}) {
      if (vertx != null) {
        await(vertx.close(), 60);
      }
    }
  }

  @Test
  void aRefusedRunLeavesItsThreadFreeForTheNextRequestSentFromItsAnswer() throws Exception {
    List<Integer> codes = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      RunOptions missing = new RunOptions().setThreadId("missing-" + i);
      // continuing a thread that does not exist is refused (400); the same again, sent from that refusal's handler
      await(refusal(client.proceed(missing)).compose(first -> refusal(client.proceed(missing))
          .map(second -> codes.addAll(List.of(first, second)))), 30);
    }
    assertTrue(codes.stream().allMatch(code -> code == 400), "every refusal is the thread's own (400), none is "
        + "'a run in flight' (423): " + codes);
  }

  @Test
  void aStateUpdateCopyOrDeleteLeavesItsThreadFreeForTheRunSentFromItsAnswer() throws Exception {
    for (int i = 0; i < ROUNDS; i++) {
      String thread = "updated-" + i;
      RunOptions options = new RunOptions().setThreadId(thread);
      int round = i;
      RunResult last = await(client.run(Map.of("count", 1), options)
          .compose(ran -> client.updateState(thread, Map.of("count", 10), "add"))
          .compose(updated -> client.run(Map.of("count", 1), options))
          .compose(ran -> client.copyThread(thread, "copy-" + round))
          .compose(copied -> client.run(Map.of("count", 1), new RunOptions().setThreadId("copy-" + round)))
          .compose(ran -> client.deleteThread(thread))
          .compose(deleted -> client.run(Map.of("count", 100), options)), 30);
      // 1 + 1 (input, node) = 2; + 10 = 12; + 1 + 1 = 14 on the thread; deleted; then 100 + 1 on a new history
      assertEquals(101, last.values().getInteger("count"), "round " + i);
      assertEquals(16, await(client.getState("copy-" + round), 30).values().getInteger("count"),
          "round " + i + ": the copy (14) went on with its own run (+ 1 + 1)");
    }
  }

  /** The refusal's code; fails the test when the run was not refused. */
  private static Future<Integer> refusal(Future<RunResult> run) {
    return run.transform(done -> {
      if (done.succeeded()) {
        fail("expected a refusal, the run succeeded: " + done.result().toJson());
      }
      return Future.succeededFuture(assertInstanceOf(GraphloopException.class, done.cause()).code().code());
    });
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
