package io.graphloop.ops;

import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.support.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An app that embeds Graphloop serves {@code GET /metrics} on its own HTTP server (README "Operations": registry,
 * Vert.x with metrics, {@link GraphloopMeters#bind}, {@link OpsRoutes#mountMetrics}); after runs the scrape over HTTP
 * is valid Prometheus text with the families and counts, and bounded labels.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class EmbeddedMetricsScrapeTest {

  @Test
  void anEmbeddingAppsMetricsEndpointAfterRuns(VertxTestContext ctx) {
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
    StateGraph graph = new StateGraph("embedded").addEdge(START, "flaky").addEdge("flaky", END)
        .addNode("flaky", (state, c) -> c.attempt() == 1
                ? Future.failedFuture(new IllegalStateException("first attempt fails"))
                : Future.succeededFuture(Map.of("done", c.attempt())),
            new NodeOptions().setRetry(RetryPolicy.builder().maxAttempts(2).initialIntervalMs(1).jitterMs(0).build()));
    Router router = Router.router(vertx);
    OpsRoutes.mountMetrics(router, registry);
    List<String> ids = new ArrayList<>();
    WebClient web = WebClient.create(vertx);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions()
            .setCheckpointer(new JsonObject().put("type", "memory")))
        .compose(runtime -> {
          GraphloopMeters.bind(registry, runtime);
          List<Future<RunResult>> runs = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            String thread = "thread-" + java.util.UUID.randomUUID();
            ids.add(thread);
            runs.add(runtime.client().run(Map.of(), new RunOptions().setThreadId(thread)));
          }
          runs.add(runtime.client().run(Map.of(), new RunOptions()));
          return Future.all(runs).map(done -> {
            runs.forEach(run -> ids.add(run.result().runId()));
            return null;
          });
        })
        .compose(runs -> vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"))
        .compose((HttpServer server) -> web.get(server.actualPort(), "127.0.0.1", "/metrics").send())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.statusCode());
          assertTrue(response.getHeader("content-type").startsWith("text/plain; version=0.0.4"));
          PrometheusText scrape = new PrometheusText(response.bodyAsString());
          Map<String, String> g = Map.of("graph", "embedded");
          Map<String, String> flaky = Map.of("graph", "embedded", "node", "flaky");
          assertEquals(4, scrape.value("graphloop_runs_started_total", g));
          assertEquals(4, scrape.value("graphloop_runs_ended_total", Map.of("graph", "embedded", "outcome",
              "success")));
          assertEquals(8, scrape.value("graphloop_node_executions_total", flaky));
          assertEquals(4, scrape.value("graphloop_node_retries_total", flaky));
          assertEquals(4, scrape.value("graphloop_node_duration_seconds_count", Map.of("node", "flaky",
              "outcome", "failure")));
          assertTrue(scrape.value("graphloop_checkpoint_save_duration_seconds_count", Map.of("graph", "embedded",
              "store", "memory", "kind", "checkpoint", "outcome", "success")) >= 3 * 3,
              "three runs on threads, three checkpoints each at least");
          ScrapeChecks.assertFamilies(scrape, "embedded", "memory");
          ScrapeChecks.assertBoundedLabels(scrape, ids);
          vertx.close().onComplete(ctx.succeedingThenComplete());
        })));
  }
}
