package io.graphloop.ops;

import io.graphloop.support.PrometheusText;

import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scrape after real runs shows the run and node counts, the histograms and Vert.x's own metrics. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class GraphloopMetersTest {

  /** START -> flaky (fails its first attempt, retried once) -> work (fails when the input says so) -> END. */
  private static StateGraph graph() {
    return new StateGraph("metered").addEdge(START, "flaky").addEdge("flaky", "work").addEdge("work", END)
        .addNode("flaky", (state, c) -> c.attempt() == 1
                ? Future.failedFuture(new IllegalStateException("first attempt fails"))
                : Future.succeededFuture(Map.of("flaky", c.attempt())),
            new NodeOptions().setRetry(RetryPolicy.builder().maxAttempts(2).initialIntervalMs(1).jitterMs(0).build()))
        .addNode("work", (state, c) -> Boolean.TRUE.equals(state.get("fail"))
            ? Future.failedFuture(new IllegalArgumentException("asked to fail"))
            : Future.succeededFuture(Map.of("done", true)));
  }

  @Test
  void aScrapeAfterRunsShowsCountsHistogramsAndVertxMetrics(VertxTestContext ctx) {
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
    GraphRuntime.deploy(vertx, graph().compile()).compose(runtime -> {
      GraphloopMeters meters = GraphloopMeters.bind(registry, runtime);
      assertThrows(IllegalStateException.class, () -> GraphloopMeters.bind(registry, runtime),
          "one binding per deployment");
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(runtime.client().invoke(Map.of("fail", false)));
      }
      runs.add(runtime.client().invoke(Map.of("fail", true)).transform(r -> Future.succeededFuture(r.failed())));
      return Future.all(runs).map(done -> meters);
    }).onComplete(ctx.succeeding(meters -> ctx.verify(() -> {
      PrometheusText text = new PrometheusText(registry.scrape());
      Map<String, String> g = Map.of("graph", "metered");
      assertEquals(4, text.value("graphloop_runs_started_total", g));
      assertEquals(3, text.value("graphloop_runs_ended_total", Map.of("graph", "metered", "outcome", "success")));
      assertEquals(1, text.value("graphloop_runs_ended_total", Map.of("graph", "metered", "outcome", "node_failed")));
      assertEquals(0, text.value("graphloop_runs_in_flight", g));
      assertEquals(3, text.value("graphloop_run_duration_seconds_count", Map.of("outcome", "success")));
      assertEquals(3, text.value("graphloop_run_duration_seconds_bucket", Map.of("outcome", "success", "le", "+Inf")));
      assertTrue(text.value("graphloop_run_duration_seconds_sum", Map.of("outcome", "success")) > 0);
      Map<String, String> flaky = Map.of("graph", "metered", "node", "flaky");
      Map<String, String> work = Map.of("graph", "metered", "node", "work");
      assertEquals(8, text.value("graphloop_node_executions_total", flaky), "two attempts in each of 4 runs");
      assertEquals(4, text.value("graphloop_node_failures_total", flaky));
      assertEquals(4, text.value("graphloop_node_retries_total", flaky));
      assertEquals(4, text.value("graphloop_node_executions_total", work));
      assertEquals(1, text.value("graphloop_node_failures_total", work));
      assertEquals(0, text.value("graphloop_node_timeouts_total", work));
      assertEquals(0, text.value("graphloop_node_refusals_total", work));
      assertEquals(0, text.value("graphloop_node_bulkhead_queued", work));
      assertEquals(4, text.value("graphloop_node_duration_seconds_count",
          Map.of("node", "flaky", "outcome", "failure")));
      assertEquals(4, text.value("graphloop_node_duration_seconds_count",
          Map.of("node", "flaky", "outcome", "success")));
      assertEquals(3, text.value("graphloop_node_duration_seconds_count",
          Map.of("node", "work", "outcome", "success")));
      assertTrue(text.find("graphloop_node_duration_seconds_bucket", Map.of("node", "work", "outcome", "success"))
          .size() > 10, "a histogram, not a summary");
      for (String name : List.of("graphloop_runs_ended_total", "graphloop_node_executions_total")) {
        assertFalse(text.find(name, Map.of()).stream().anyMatch(s -> s.labels().containsKey("run_id")
            || s.labels().containsKey("thread_id")), "no ids as labels");
      }
      assertTrue(text.hasPrefix("vertx_eventbus_"), "Vert.x's event-bus metrics alongside");
      meters.close();
      assertTrue(new PrometheusText(registry.scrape()).find("graphloop_runs_started_total", Map.of()).isEmpty(),
          "close() removes the graph's meters");
      vertx.close().onComplete(ctx.succeedingThenComplete());
    })));
  }
}
