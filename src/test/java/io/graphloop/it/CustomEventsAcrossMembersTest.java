package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node's custom events reach the stream before its result, when the node runs on one cluster member and the run's
 * coordinator and stream on another (two clustered Vert.x instances in this JVM, talking over loopback TCP).
 *
 * <p>Custom events travel to the run's control address and the node's result to its results address; Vert.x keeps
 * one sender's messages in order per address only, so a result could overtake its node's events, the run end, and
 * the events be dropped (the regression StreamingClusterIT found: 8 events of 11 from the second run on). Each node
 * kind's path is covered: an async node emitting on its loop, a blocking node emitting on a worker thread, and a
 * subgraph node whose child's events are forwarded. Several runs in a row, as the regression showed from the second.
 * Blocking waits here are on the JUnit thread, never on an event loop.
 */
class CustomEventsAcrossMembersTest {

  private static Vertx member;
  private static Vertx client;

  @BeforeAll
  static void cluster() throws Exception {
    LoopbackCluster cluster = LoopbackCluster.of(2);
    member = ClusteredVertx.start(cluster.liteMember(0).setLiteMember(false))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    client = ClusteredVertx.start(cluster.liteMember(1))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    // the member hosts the nodes only; the other coordinates (the runs, their streams, the subgraph's child runs)
    GraphRuntime.deploy(member, graph(), new GraphRuntimeOptions().setCoordinator(false))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    GraphRuntime.deploy(client, graph(), new GraphRuntimeOptions().setNodes(List.of()))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() throws Exception {
    if (client != null) {
      client.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    if (member != null) {
      member.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static CompiledGraph graph() {
    CompiledGraph child = new StateGraph("emitters-child")
        .addNode("c", (state, ctx) -> {
          List.of("c1", "c2", "c3").forEach(token -> ctx.emit(Map.of("token", token)));
          return Future.succeededFuture(Map.of("c", true));
        })
        .addEdge(START, "c").addEdge("c", END).compile();
    return new StateGraph("emitters")
        .addNode("a", (state, ctx) -> {
          List.of("a1", "a2", "a3").forEach(token -> ctx.emit(Map.of("token", token)));
          return Future.succeededFuture(Map.of("a", true));
        })
        .addBlockingNode("b", (state, ctx) -> {
          List.of("b1", "b2", "b3").forEach(token -> ctx.emit(Map.of("token", token)));
          return Map.of("b", true);
        })
        .addSubgraph("sub", child)
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", "sub").addEdge("sub", END)
        .compile();
  }

  @Test
  void everyRunStreamsEachNodesCustomEventsBeforeItsUpdate() throws Exception {
    List<String> expected = List.of("a1", "a2", "a3", "updates a", "b1", "b2", "b3", "updates b",
        "c1", "c2", "c3", "updates c (in sub)", "updates sub", "end");
    for (int round = 0; round < 5; round++) {
      GraphClient remote = GraphClient.create(client, "emitters", 60_000);
      CompletableFuture<List<String>> done = new CompletableFuture<>();
      client.runOnContext(v -> {
        List<String> seen = new ArrayList<>();
        RunEventStream stream = remote.stream(Map.of(), new RunOptions().setStreamSubgraphs(true),
            StreamMode.UPDATES, StreamMode.CUSTOM);
        stream.handler(event -> seen.add(describe(event)));
        stream.exceptionHandler(done::completeExceptionally);
        stream.endHandler(end -> done.complete(seen));
      });
      assertEquals(expected, done.get(60, TimeUnit.SECONDS), "run " + (round + 1) + " of 5");
    }
  }

  private static String describe(StreamEvent event) {
    if ("custom".equals(event.event().wireName())) {
      return String.valueOf(event.data().get("token"));
    }
    if ("updates".equals(event.event().wireName())) {
      return "updates " + event.node() + (event.ns() == null || event.ns().isEmpty() ? ""
          : " (in " + event.ns().substring(0, event.ns().indexOf(':')) + ")");
    }
    return event.event().wireName();
  }
}
