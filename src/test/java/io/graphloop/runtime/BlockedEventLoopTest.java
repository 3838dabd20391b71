package io.graphloop.runtime;

import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An async node that blocks its event loop is reported by graph and node, with how long it blocked and what to
 * do instead, and counted in the deployment's metrics. This is the one test that blocks an event loop on
 * purpose, briefly (150 ms, with the threshold lowered to 50 ms).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class BlockedEventLoopTest {

  @Test
  void anAsyncNodeThatBlocksItsEventLoopIsReportedAndCounted(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("blocked-loop")
        .addNode("x", state -> {
          try {
            Thread.sleep(150); // the mistake being detected: a blocking call in an async node
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Future.succeededFuture(Map.of("x", "done"));
        })
        .addNode("y", (state, c) -> c.vertx().timer(150).map(t -> Map.of("y", "done")))
        .addEdge(START, "x").addEdge("x", "y").addEdge("y", END);
    GraphRuntimeOptions options = new GraphRuntimeOptions().setBlockedNodeThresholdMs(50);
    GraphRuntime.deploy(vertx, graph.compile(), options).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of(), new RunOptions().setRunId("blocking-run"))
            .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
              assertEquals("done", state.getString("x"), "the report does not fail the run");
              RuntimeMetrics metrics = runtime.metrics();
              assertEquals(1, metrics.node("x").blockedReports());
              assertEquals(0, metrics.node("y").blockedReports(), "waiting on a timer is not blocking");
              List<RuntimeMetrics.BlockedReport> reports = metrics.blockedReports();
              assertEquals(1, reports.size(), reports.toString());
              RuntimeMetrics.BlockedReport report = reports.get(0);
              assertEquals("blocked-loop", report.graph());
              assertEquals("x", report.node());
              assertEquals("blocking-run", report.runId());
              assertEquals(1, report.step());
              assertTrue(report.blockedMs() >= 100 && report.blockedMs() < 10_000, "blockedMs " + report.blockedMs());
              assertTrue(report.thread().contains("eventloop"), report.thread());
              String message = report.message();
              assertTrue(message.contains("Async node 'x' of graph 'blocked-loop' blocked its event loop"), message);
              assertTrue(message.contains(report.blockedMs() + " ms"), message);
              assertTrue(message.contains("StateGraph.addBlockingNode"), message);
              assertTrue(message.contains("vertx.executeBlocking"), message);
              JsonObject json = metrics.toJson();
              assertEquals(1, json.getJsonObject("nodes").getJsonObject("x").getLong("blockedEventLoopReports"));
              assertEquals(1, json.getJsonArray("blockedReports").size());
              ctx.completeNow();
            })))));
  }

  @Test
  void wellBehavedNodesAreNeverReported(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("blocked-loop-clean")
        .addNode("quick", state -> Future.succeededFuture(Map.of("quick", "done")))
        .addNode("waits", (state, c) -> c.vertx().timer(120).map(t -> Map.of("waits", "done")))
        .addBlockingNode("sleeps", (state, c) -> {
          Thread.sleep(120); // on a worker thread: allowed
          return Map.of("sleeps", "done");
        })
        .addEdge(START, "quick").addEdge("quick", "waits").addEdge("quick", "sleeps")
        .addEdge("waits", END).addEdge("sleeps", END);
    // the default threshold (100 ms): waiting on a timer, or sleeping on a worker thread, is not blocking a loop
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(ctx.succeeding(runtime -> {
      List<Future<io.graphloop.state.State>> runs = List.of(runtime.client().invoke(Map.of()),
          runtime.client().invoke(Map.of()), runtime.client().invoke(Map.of()));
      Future.all(runs).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        for (String node : List.of("quick", "waits", "sleeps")) {
          assertEquals(0, runtime.metrics().node(node).blockedReports(), node);
          assertEquals(3, runtime.metrics().node(node).executions(), node);
        }
        assertEquals(List.of(), runtime.metrics().blockedReports());
        ctx.completeNow();
      })));
    }));
  }
}
