package io.graphloop.ops;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.MultitaskStrategy;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.support.PrometheusText;
import io.graphloop.runtime.Poll;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicReference;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gauges and store meters a scrape shows while work waits: runs queued behind their thread's run
 * ({@code graphloop_thread_runs_queued}), stream events buffered for a paused consumer ({@code graphloop_stream_buffered}),
 * and, after the runs, the checkpoint store's save latency and group-commit batches by store type.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GraphloopMetersDepthTest {

  private static final int EMITTED = 300;

  @Test
  void queuedRunsBufferedEventsAndCheckpointSavesShowInTheScrape(@TempDir Path dir, VertxTestContext ctx) {
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
    Promise<Void> release = Promise.promise();
    StateGraph graph = new StateGraph("depths")
        .addNode("work", (state, c) -> {
          if (Boolean.TRUE.equals(state.get("chatty"))) {
            for (int i = 0; i < EMITTED; i++) {
              c.emit(Map.of("i", i));
            }
          }
          Future<Void> gate = Boolean.TRUE.equals(state.get("hold")) ? release.future() : Future.succeededFuture();
          return gate.map(v -> Map.of("done", true));
        })
        .addEdge(START, "work").addEdge("work", END);
    GraphRuntimeOptions options = new GraphRuntimeOptions().setMaxBufferedEvents(10_000)
        .setCheckpointer(new JsonObject().put("type", "sqlite").put("dataDir", dir.toString()));
    RunOptions onThread = new RunOptions().setThreadId("t1").setMultitaskStrategy(MultitaskStrategy.ENQUEUE);
    AtomicInteger received = new AtomicInteger();
    GraphRuntime.deploy(vertx, graph.compile(), options).compose(runtime -> {
      GraphloopMeters.bind(registry, runtime);
      GraphClient client = runtime.client();
      Future<RunResult> held = client.run(Map.of("hold", true), onThread);
      return until(vertx, registry, text -> text.value("graphloop_runs_in_flight", Map.of("graph", "depths")) == 1)
          .compose(v -> {
            Future<RunResult> queued = client.run(Map.of("hold", false), onThread);
            return until(vertx, registry, text -> value(text, "graphloop_thread_runs_queued") == 1)
                .compose(seen -> streamPaused(vertx, registry, client, received))
                .compose(seen -> {
                  release.complete();
                  return Future.all(held, queued);
                });
          });
    }).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
      assertEquals(EMITTED, received.get(), "the paused stream lost nothing");
      PrometheusText text = new PrometheusText(registry.scrape());
      assertEquals(0, value(text, "graphloop_thread_runs_queued"));
      assertEquals(0, value(text, "graphloop_stream_buffered"), "the buffer is empty once the stream ended");
      Map<String, String> saves = Map.of("graph", "depths", "store", "sqlite", "kind", "checkpoint",
          "outcome", "success");
      double checkpoints = text.value("graphloop_checkpoint_save_duration_seconds_count", saves);
      assertTrue(checkpoints >= 4, "two runs on a thread save at least two checkpoints each: " + checkpoints);
      assertTrue(text.value("graphloop_checkpoint_save_duration_seconds_sum", saves) > 0);
      assertEquals(checkpoints, text.value("graphloop_checkpoint_save_duration_seconds_bucket",
          Map.of("store", "sqlite", "kind", "checkpoint", "outcome", "success", "le", "+Inf")));
      assertEquals(0, text.value("graphloop_checkpoint_save_duration_seconds_count",
          Map.of("store", "sqlite", "kind", "checkpoint", "outcome", "failure")));
      double commits = text.value("graphloop_checkpoint_commits_total", Map.of("graph", "depths", "store", "sqlite"));
      double committed = text.value("graphloop_checkpoint_committed_saves_total",
          Map.of("graph", "depths", "store", "sqlite"));
      assertTrue(commits >= 1, "the SQLite store committed: " + commits);
      assertTrue(committed >= checkpoints, "every checkpoint save went through a group commit: " + committed
          + " saves in " + commits + " transactions, " + checkpoints + " checkpoints");
      vertx.close().onComplete(ctx.succeedingThenComplete());
    })));
  }

  /**
   * Streams a chatty run paused: the coordinator holds what the consumer has no credit for; once the scrape shows
   * it buffered, resume and read to the end.
   */
  private static Future<Void> streamPaused(Vertx vertx, PrometheusMeterRegistry registry, GraphClient client,
                                           AtomicInteger received) {
    Promise<Void> ended = Promise.promise();
    vertx.runOnContext(v -> {
      RunEventStream stream = client.stream(Map.of("chatty", true), new RunOptions(), StreamMode.CUSTOM);
      stream.pause();
      stream.handler(event -> {
        if (event.event().wireName().equals("custom")) {
          received.incrementAndGet();
        }
      });
      stream.exceptionHandler(ended::tryFail);
      stream.endHandler(end -> ended.tryComplete());
      until(vertx, registry, text -> value(text, "graphloop_stream_buffered") > 0)
          .onSuccess(seen -> stream.resume()).onFailure(ended::tryFail);
    });
    return ended.future();
  }

  private static double value(PrometheusText text, String name) {
    return text.value(name, Map.of("graph", "depths"));
  }

  /** Scrapes every 20 ms until {@code condition} holds; fails after 500 scrapes (a bound, not a speed assertion). */
  private static Future<Void> until(Vertx vertx, PrometheusMeterRegistry registry, Predicate<PrometheusText> condition) {
    AtomicReference<PrometheusText> last = new AtomicReference<>();
    return Poll.until(vertx, 20, 500, () -> {
      PrometheusText text = new PrometheusText(registry.scrape());
      last.set(text);
      return condition.test(text);
    }, () -> "the scrape never showed what was awaited:\n" + last.get());
  }
}
