package io.graphloop.it;

import io.graphloop.examples.FailoverGraph;
import io.graphloop.ops.ScrapeChecks;
import io.graphloop.support.PrometheusText;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} of a real {@code serve} (the fat jar, as a user starts it, threads on SQLite) after runs over
 * its HTTP API: the scrape is valid Prometheus text ({@link PrometheusText} checks it as a scraper would) and holds
 * the families README "Operations" lists, with the counts of the runs made, histograms for durations, and label sets
 * that are bounded: Graphloop's meters carry only graph, node, outcome, store, kind and reason; no label of any
 * family (Vert.x's included) carries a run id, a thread id or any other generated id.
 *
 * <p>Runs of {@code failover} ({@link FailoverGraph}): three succeed without a thread, three on a thread
 * (checkpoints), one fails: each attempt of its first step outlasts the node's timeout, 6 attempts, then the run ends.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MetricsScrapeIT {

  private static final long READY_MS = 120_000;
  private static final Pattern SERVER = Pattern.compile("server ready (http://127\\.0\\.0\\.1:\\d+)");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void aScrapeOfServeAfterRunsHoldsTheFamiliesWithBoundedLabels(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("graphloop.json");
    Files.writeString(conf, new JsonObject().put("runtime", new JsonObject().put("checkpointer",
        new JsonObject().put("type", "sqlite").put("dataDir", dir.resolve("data").toString()))).encode());
    MemberProcess serve = MemberProcess.command("serve-metrics", "serve", List.of("--graphs", "failover", "--host",
        "127.0.0.1", "--port", "0", "--conf", conf.toString()), Map.of());
    try {
      Matcher ready = SERVER.matcher(serve.awaitLine("server ready", READY_MS));
      assertTrue(ready.find());
      String url = ready.group(1);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonObject done = post(url, "/runs/wait", run(new JsonObject().put("x", i).put("delayMs", 5)), 200);
        assertEquals(FailoverGraph.expectedResult(i), done.getLong("result"));
      }
      String thread = post(url, "/threads", new JsonObject(), 200).getString("thread_id");
      ids.add(thread);
      for (int i = 0; i < 2; i++) {
        JsonObject done = post(url, "/threads/" + thread + "/runs/wait", run(new JsonObject().put("x", 10)
            .put("delayMs", 5)), 200);
        assertEquals(FailoverGraph.expectedResult(10), done.getLong("result"));
      }
      JsonObject created = post(url, "/threads/" + thread + "/runs", run(new JsonObject().put("x", 1)
          .put("delayMs", 5)), 200);
      ids.add(created.getString("run_id"));
      // each attempt of 'double' outlasts its 1.5 s timeout: 6 attempts (5 retries), then the run fails
      post(url, "/runs/wait", run(new JsonObject().put("x", 1).put("delayMs", 1_600)), -1);
      get(url + "/threads/" + thread + "/runs/" + created.getString("run_id") + "/join");

      awaitDurations(url + "/metrics", 12); // the late attempts of the failed run end after it
      HttpResponse<String> response = get(url + "/metrics");
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"),
          response.headers().toString());
      PrometheusText scrape = new PrometheusText(response.body());

      Map<String, String> g = Map.of("graph", "failover");
      assertEquals("counter", scrape.type("graphloop_runs_started"));
      assertEquals(7, scrape.value("graphloop_runs_started_total", g));
      assertEquals(6, scrape.value("graphloop_runs_ended_total", Map.of("graph", "failover", "outcome", "success")));
      List<String> outcomes = scrape.labelValues("graphloop_runs_ended_total", "outcome");
      assertEquals(2, outcomes.size(), "success and the failed run's code: " + outcomes);
      String failed = outcomes.stream().filter(o -> !o.equals("success")).findFirst().orElseThrow();
      assertTrue(failed.matches("[a-z_]+"), failed);
      assertEquals(1, scrape.value("graphloop_runs_ended_total", Map.of("graph", "failover", "outcome", failed)));
      assertEquals("histogram", scrape.type("graphloop_run_duration_seconds"));
      assertEquals(6, scrape.value("graphloop_run_duration_seconds_count", Map.of("outcome", "success")));
      assertEquals("gauge", scrape.type("graphloop_runs_in_flight"));
      assertEquals(0, scrape.value("graphloop_runs_in_flight", g));

      Map<String, String> doubled = Map.of("graph", "failover", "node", "double");
      Map<String, String> increment = Map.of("graph", "failover", "node", "increment");
      assertEquals(6 + 6, scrape.value("graphloop_node_executions_total", doubled), "6 runs + 6 attempts of the "
          + "failing one");
      assertEquals(6, scrape.value("graphloop_node_executions_total", increment));
      assertEquals(5, scrape.value("graphloop_node_retries_total", doubled));
      assertEquals(0, scrape.value("graphloop_node_retries_total", increment));
      assertEquals(0, scrape.value("graphloop_node_failures_total", increment));
      for (String family : List.of("graphloop_node_refusals_total", "graphloop_node_blocked_loop_reports_total",
          "graphloop_node_bulkhead_queued")) {
        assertEquals(0, scrape.value(family, doubled), family);
      }
      assertEquals("histogram", scrape.type("graphloop_node_duration_seconds"));
      assertEquals(6 + 6, scrape.find("graphloop_node_duration_seconds_count", Map.of("node", "double")).stream()
          .mapToDouble(PrometheusText.Sample::value).sum(), "every execution of 'double' timed, late ones too");

      Map<String, String> saves = Map.of("graph", "failover", "store", "sqlite", "kind", "checkpoint",
          "outcome", "success");
      assertEquals("histogram", scrape.type("graphloop_checkpoint_save_duration_seconds"));
      assertTrue(scrape.value("graphloop_checkpoint_save_duration_seconds_count", saves) >= 3 * 3,
          "three runs on the thread, three checkpoints each at least");
      double commits = scrape.value("graphloop_checkpoint_commits_total", Map.of("store", "sqlite"));
      assertTrue(commits >= 1 && scrape.value("graphloop_checkpoint_committed_saves_total",
          Map.of("store", "sqlite")) >= commits, "group commits: transactions and the saves they held");
      assertEquals(0, scrape.value("graphloop_stream_buffered", g));
      assertEquals(0, scrape.value("graphloop_thread_runs_queued", g));

      ScrapeChecks.assertFamilies(scrape, "failover", "sqlite");
      ScrapeChecks.assertBoundedLabels(scrape, ids);
    } finally {
      serve.kill();
    }
  }

  /** Polls the scrape until {@code count} executions of 'double' have ended (bounded; no timing is asserted). */
  private void awaitDurations(String metrics, double count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    double seen = -1;
    while (System.nanoTime() < deadline) {
      seen = new PrometheusText(get(metrics).body()).find("graphloop_node_duration_seconds_count",
          Map.of("node", "double")).stream().mapToDouble(PrometheusText.Sample::value).sum();
      if (seen == count) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("executions of 'double' ended: " + seen + ", expected " + count);
  }

  private static JsonObject run(JsonObject input) {
    return new JsonObject().put("assistant_id", "failover").put("input", input);
  }

  /** POSTs {@code body}; expects {@code status} (or any, when -1); answers the JSON body. */
  private JsonObject post(String url, String path, JsonObject body, int status) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + path))
        .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (status >= 0) {
      assertEquals(status, response.statusCode(), path + ": " + response.body());
    }
    return response.body().startsWith("{") ? new JsonObject(response.body()) : new JsonObject();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
