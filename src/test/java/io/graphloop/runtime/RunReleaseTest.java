package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.errors.RunTimeoutException;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.run.RunOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run that ends (cancelled, past its deadline) releases what waited on its behalf: its retry timer (which may be
 * a minute away) and its waits for node replies (a node's reply deadline is 2 minutes by default). Shown by the
 * state the run held: once the run has ended and its caller dropped the outcome, nothing in the runtime keeps the
 * snapshot its node received, so a garbage collection clears a weak reference to it. Before, the timer and the
 * wait each held the run, with its state, until they fired. The test thread waits (a JUnit thread, never an event
 * loop), always bounded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunReleaseTest {

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
  void anExpiredRunCancelsItsRetryTimer() {
    CompletableFuture<WeakReference<State>> seen = new CompletableFuture<>();
    StateGraph graph = new StateGraph("release-retry")
        .addNode("flaky", (state, ctx) -> {
          seen.complete(new WeakReference<>(state));
          return Future.failedFuture(new IOException("connection reset"));
        }, new NodeOptions().setRetry(RetryPolicy.builder().maxAttempts(3).initialIntervalMs(60_000)
            .maxIntervalMs(60_000).jitterMs(0).build()))
        .addEdge(START, "flaky").addEdge("flaky", END);
    GraphRuntime runtime = Await.result(GraphRuntime.deploy(vertx, graph.compile()));

    Throwable failure = Await.failure(runtime.client().invoke(Map.of("payload", "x".repeat(1_000)),
        new RunOptions().setTimeoutMs(300)));

    assertInstanceOf(RunTimeoutException.class, failure, String.valueOf(failure));
    failure = null;
    assertCollected(seen.join(), "the state of a run that expired while its retry waited a minute");
  }

  @Test
  void aCancelledRunDropsItsWaitForANodeReply() {
    CompletableFuture<WeakReference<State>> seen = new CompletableFuture<>();
    StateGraph graph = new StateGraph("release-wait")
        .addNode("silent", state -> Future.succeededFuture(Map.of()))
        .addEdge(START, "silent").addEdge("silent", END);
    // a coordinator only; the node's address is served by a member that takes requests and never answers (a lost
    // reply, a member that hangs), so the coordinator waits for the node's full reply deadline
    GraphRuntime runtime = Await.result(GraphRuntime.deploy(vertx, graph.compile(),
        new GraphRuntimeOptions().setNodes(List.of())));
    Await.result(vertx.eventBus().<NodeRequest>consumer(Addresses.node("release-wait", "silent"),
        message -> seen.complete(new WeakReference<>(message.body().input()))).completion());
    GraphClient client = runtime.client();

    Future<State> run = client.invoke(Map.of("payload", "x".repeat(1_000)),
        new RunOptions().setRunId("release-wait-1").setTimeoutMs(60_000));
    WeakReference<State> state = seen.join();
    Await.result(client.cancel("release-wait-1"));
    Throwable failure = Await.failure(run);

    assertInstanceOf(RunCancelledException.class, failure, String.valueOf(failure));
    failure = null;
    run = null;
    assertCollected(state, "the state of a cancelled run whose node never answered");
  }

  /** Collects garbage until {@code ref} is cleared, at most about 5 s; fails naming {@code what} otherwise. */
  private static void assertCollected(WeakReference<?> ref, String what) {
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    assertTrue(ref.get() == null, what + " is still held after the run ended");
  }
}
