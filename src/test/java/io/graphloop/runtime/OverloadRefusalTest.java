package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.LimitReachedException;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overload is refused early and cheaply (issue 11): a client refuses runs beyond {@code maxPendingRuns} unanswered
 * ones without sending them, and a coordinator refuses the runs it reads while its event loop has more than
 * {@code maxRunBacklog} tasks waiting (a burst not yet read), instead of starting them all first. The burst of a
 * million on a 256 MB heap is {@code OverloadIT}. Runs from this (non-Vert.x) test thread, bounded waits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OverloadRefusalTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aClientRefusesRunsBeyondMaxPendingRunsWithoutSendingThem() {
    List<Promise<Object>> held = new CopyOnWriteArrayList<>();
    StateGraph graph = new StateGraph("pending-bound")
        .addNode("wait", (state, ctx) -> {
          Promise<Object> promise = Promise.promise();
          held.add(promise);
          return promise.future().map(v -> Map.of("done", true));
        })
        .addEdge(START, "wait").addEdge("wait", END);
    GraphRuntime runtime = Await.result(GraphRuntime.deploy(vertx, graph.compile()));
    GraphClient client = GraphClient.create(vertx, "pending-bound", 30_000, 5);

    List<Future<State>> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      runs.add(client.invoke(Map.of("i", i)));
    }
    for (int i = 5; i < 8; i++) {
      Throwable refused = Await.failure(runs.get(i));
      assertInstanceOf(LimitReachedException.class, refused);
      assertEquals("maxPendingRuns", ((LimitReachedException) refused).limitName());
      assertEquals(0, refused.getStackTrace().length, "a refusal is cheap: no stack trace");
    }
    for (int i = 0; i < 200 && held.size() < 5; i++) {
      Await.result(vertx.timer(10));
    }
    assertEquals(5, held.size(), "only the first five were sent");
    held.forEach(promise -> vertx.runOnContext(v -> promise.complete()));
    for (int i = 0; i < 5; i++) {
      assertEquals(true, Await.result(runs.get(i)).getBoolean("done"));
    }
    Future<State> again = client.invoke(Map.of());
    for (int i = 0; i < 200 && held.size() < 6; i++) {
      Await.result(vertx.timer(10));
    }
    vertx.runOnContext(v -> held.get(5).complete());
    assertEquals(true, Await.result(again).getBoolean("done"), "answered runs free their places");
    assertEquals(0, runtime.metrics().runsInFlight());
  }

  @Test
  void aCoordinatorRefusesWhatItReadsWhileItsLoopHasABacklog() {
    StateGraph graph = new StateGraph("backlog-bound")
        .addNode("slow", (state, ctx) -> ctx.vertx().timer(200).map(t -> Map.of("done", true)))
        .addEdge(START, "slow").addEdge("slow", END);
    GraphRuntime runtime = Await.result(GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions()
        .setCoordinatorInstances(1).setMaxInFlightRuns(100_000).setMaxRunBacklog(50)));
    List<Future<State>> runs = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) { // sent from this thread faster than one coordinator reads them
      runs.add(runtime.client().invoke(Map.of("i", i)));
    }
    int succeeded = 0;
    int refusedForBacklog = 0;
    for (Future<State> run : runs) {
      try {
        Await.result(run);
        succeeded++;
      } catch (LimitReachedException e) {
        assertEquals("maxRunBacklog", e.limitName(), e.getMessage());
        assertTrue(e.getMessage().contains("tasks wait on its event loop (maxRunBacklog 50)"), e.getMessage());
        refusedForBacklog++;
      }
    }
    System.out.printf("OverloadRefusalTest: 5,000 runs sent at once to one coordinator (maxRunBacklog 50): %,d ran, "
        + "%,d refused for the backlog%n", succeeded, refusedForBacklog);
    assertEquals(5_000, succeeded + refusedForBacklog, "every run answered");
    assertTrue(refusedForBacklog > 0, "a burst beyond the backlog is refused as it is read");
    // How many of the burst ran depends on how fast the sender's loop outpaces the coordinator's (none may, when the
    // whole burst is queued before the first is read): what must hold is that the refusal is of the backlog only.
    assertEquals(true, Await.result(runtime.client().invoke(Map.of("after", true))).getBoolean("done"),
        "a run read once the backlog has drained runs");
  }
}
