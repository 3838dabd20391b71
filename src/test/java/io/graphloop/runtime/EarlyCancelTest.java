package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.Addresses;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cancel that overtakes its run still ends it: the run's request is held on the bus (an outbound interceptor)
 * until its cancel has been delivered to every coordinator, so the coordinator that gets the run has already seen a
 * cancel of a run it did not know. The run is then refused as cancelled before it starts (its node never runs), the
 * stream fails with {@code CANCELLED}, and the cancel is acknowledged (true). Also with a wrong token (the run runs),
 * with a run answered only at its end (invoke), and with the run and its cancel sent together, many times, in
 * whichever order they travel. 4 event loops, a coordinator on each.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class EarlyCancelTest {

  private static final String GRAPH = "early-cancel";
  private static final long NODE_MS = 3_000;

  private Vertx vertx;
  private GraphClient client;
  private final AtomicInteger nodeRuns = new AtomicInteger();
  /** The held run requests; {@code null} once released (later ones go through). */
  private List<DeliveryContext<Object>> held;

  @BeforeEach
  void deploy(VertxTestContext test) {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    StateGraph graph = new StateGraph(GRAPH).addNode("slow", (state, ctx) -> {
      nodeRuns.incrementAndGet();
      return ctx.vertx().timer(NODE_MS).map(t -> Map.<String, Object>of("done", true));
    }).addEdge(START, "slow").addEdge("slow", END);
    GraphRuntime.deploy(vertx, graph.compile()).onComplete(test.succeeding(runtime -> {
      client = runtime.client();
      test.completeNow();
    }));
  }

  @AfterEach
  void close(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  /**
   * Holds every run request of the graph until a cancel of it has been handed to the bus (each coordinator then has
   * the cancel before the run), then lets them go.
   */
  private void holdRunsUntilCancelled() {
    held = new ArrayList<>();
    String runAddress = Addresses.run(GRAPH);
    String cancelAddress = Addresses.cancel(GRAPH);
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      String address = delivery.message().address();
      if (held != null && (address.equals(runAddress) || address.startsWith(runAddress + "@"))) { // or a loop's
        held.add(delivery);
      } else if (held != null && address.equals(cancelAddress)) {
        delivery.next(); // delivered (queued on each coordinator's loop) before the held runs go
        List<DeliveryContext<Object>> release = held;
        held = null;
        release.forEach(DeliveryContext::next);
      } else {
        delivery.next();
      }
    });
  }

  @Test
  void aCancelThatOvertakesItsStreamedRunEndsItBeforeItStarts(VertxTestContext test) {
    holdRunsUntilCancelled();
    String runId = UUID.randomUUID().toString();
    Promise<Throwable> failed = Promise.promise();
    Promise<Boolean> cancelled = Promise.promise();
    vertx.runOnContext(v -> {
      RunEventStream stream = client.stream(Map.of("q", 1), new RunOptions().setRunId(runId), StreamMode.UPDATES);
      stream.exceptionHandler(failed::tryComplete);
      stream.endHandler(end -> failed.tryFail("the stream ended without a failure: the run ran to its end"));
      stream.handler(event -> { });
      // sent at once: the run's request has not reached a coordinator (it is held until this cancel is sent)
      client.cancel(runId).onComplete(cancelled);
    });
    Future.all(failed.future(), cancelled.future()).onComplete(test.succeeding(all -> test.verify(() -> {
      GraphloopException failure = assertInstanceOf(GraphloopException.class, failed.future().result());
      assertEquals(FailureCode.CANCELLED, failure.code(), failure.getMessage());
      assertTrue(failure.getMessage().contains("before it started"), failure.getMessage());
      assertEquals(0, nodeRuns.get(), "the run was refused before its first step");
      assertTrue(cancelled.future().result(), "the cancel is acknowledged when its run comes");
      test.completeNow();
    })));
  }

  @Test
  void aCancelThatOvertakesARunAnsweredAtItsEndEndsIt(VertxTestContext test) {
    holdRunsUntilCancelled();
    String runId = UUID.randomUUID().toString();
    vertx.runOnContext(v -> {
      Future<?> run = client.invoke(Map.of("q", 1), new RunOptions().setRunId(runId));
      Future<Boolean> cancel = client.cancel(runId);
      Future.join(run, cancel).onComplete(all -> test.verify(() -> {
        assertInstanceOf(RunCancelledException.class, run.cause(), String.valueOf(run.cause()));
        assertEquals(0, nodeRuns.get(), "the run was refused before its first step");
        assertTrue(cancel.result());
        test.completeNow();
      }));
    });
  }

  @Test
  void anEarlyCancelWithAWrongTokenCancelsNothing(VertxTestContext test) {
    holdRunsUntilCancelled();
    String runId = UUID.randomUUID().toString();
    vertx.runOnContext(v -> {
      Future<?> run = client.invoke(Map.of("q", 1), new RunOptions().setRunId(runId)
          .setControlToken("0123456789abcdef0123456789abcdef"));
      Future<Boolean> cancel = client.cancel(runId, "fedcba9876543210fedcba9876543210");
      Future.join(run, cancel).onComplete(all -> test.verify(() -> {
        assertTrue(run.succeeded(), String.valueOf(run.cause()));
        assertEquals(1, nodeRuns.get());
        assertEquals(Boolean.FALSE, cancel.result(), "nobody confirms a cancel with a wrong token");
        test.completeNow();
      }));
    });
  }

  @Test
  void aRunAndItsCancelSentTogetherAlwaysEndCancelled(VertxTestContext test) {
    int runs = 40;
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Promise<Void> ended = Promise.promise();
      all.add(ended.future());
      String runId = UUID.randomUUID().toString();
      vertx.runOnContext(v -> {
        RunEventStream stream = client.stream(Map.of("q", 1), new RunOptions().setRunId(runId), StreamMode.UPDATES);
        stream.exceptionHandler(failure -> ended.handle(failure instanceof GraphloopException
            && ((GraphloopException) failure).code() == FailureCode.CANCELLED ? Future.succeededFuture()
            : Future.failedFuture(failure)));
        stream.endHandler(end -> ended.tryFail("run " + runId + " ran to its end: its cancel was lost"));
        stream.handler(event -> { });
        client.cancel(runId);
      });
    }
    Future.all(all).onComplete(test.succeedingThenComplete());
  }

  @Test
  void keptCancelsAreBoundedByTheOptions() {
    GraphRuntimeOptions options = new GraphRuntimeOptions();
    assertEquals(GraphRuntimeOptions.DEFAULT_MAX_EARLY_CANCELS, options.getMaxEarlyCancels());
    assertEquals(GraphRuntimeOptions.DEFAULT_EARLY_CANCEL_TTL_MS, options.getEarlyCancelTtlMs());
    GraphRuntimeOptions set = new GraphRuntimeOptions(new io.vertx.core.json.JsonObject()
        .put("maxEarlyCancels", 5).put("earlyCancelTtlMs", 1_000));
    assertEquals(5, set.getMaxEarlyCancels());
    assertEquals(1_000, new GraphRuntimeOptions(set.toJson()).getEarlyCancelTtlMs());
    assertThrows(IllegalArgumentException.class, () -> options.setMaxEarlyCancels(0));
    assertThrows(IllegalArgumentException.class, () -> options.setEarlyCancelTtlMs(0));
  }
}
