package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.examples.FailoverGraph;
import io.graphloop.state.State;
import io.graphloop.support.PrometheusText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operations of real processes started from the fat jar, as a user starts them: {@code serve} answers
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (Graphloop's meters and Vert.x's own HTTP and
 * event-bus metrics); a {@code member} answers them on {@code --ops-port} and readiness on the event bus. On SIGTERM
 * each drains: not ready, a new run refused with DRAINING (HTTP 503 on {@code serve}), the run in flight finishes with
 * its result, and the process exits 0.
 *
 * <p>The graph is {@code failover} ({@link FailoverGraph}): input {@code {"x": 20, "delayMs": 1000}} takes two steps
 * of 1 s (under the node timeout of 1.5 s) and ends with {@code result} 41. Waits are bounded polls (no timing is asserted).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DrainIT {

  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
  private static final long READY_MS = 120_000;
  private static final long WAIT_MS = 30_000;
  private static final Pattern OPS = Pattern.compile(" ops=(http://127\\.0\\.0\\.1:\\d+)");
  private static final Pattern SERVER = Pattern.compile("server ready (http://127\\.0\\.0\\.1:\\d+)");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void serveDrainsOnSigtermFinishingTheRunInFlightRefusingNewOnesAndExitsZero() throws Exception {
    MemberProcess serve = MemberProcess.command("serve-drain", "serve", List.of("--graphs", "failover", "--host",
        "127.0.0.1", "--port", "0", "--drain-timeout", "20000"), Map.of());
    try {
      Matcher ready = SERVER.matcher(serve.awaitLine("server ready", READY_MS));
      assertTrue(ready.find());
      String url = ready.group(1);
      assertEquals(200, get(url + "/health/live").statusCode());
      HttpResponse<String> readiness = get(url + "/health/ready");
      assertEquals(200, readiness.statusCode(), readiness.body());
      assertEquals("UP", new JsonObject(readiness.body()).getString("outcome"));
      assertTrue(!readiness.body().contains("password"), readiness.body());

      CompletableFuture<HttpResponse<String>> inFlight = postRun(url);
      awaitRunsInFlight(url + "/metrics", 1);
      PrometheusText scrape = new PrometheusText(get(url + "/metrics").body());
      assertTrue(scrape.hasPrefix("vertx_http_server_"), "Vert.x's HTTP server metrics are in the scrape");
      assertTrue(scrape.hasPrefix("vertx_eventbus_"), "Vert.x's event-bus metrics are in the scrape");
      assertEquals(1.0, scrape.value("graphloop_runs_started_total", Map.of("graph", "failover")));

      serve.terminate(); // SIGTERM
      awaitStatus(url + "/health/ready", 503);
      HttpResponse<String> refused = postRun(url).get(WAIT_MS, TimeUnit.MILLISECONDS);
      assertEquals(503, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("draining"), refused.body());

      HttpResponse<String> finished = inFlight.get(WAIT_MS, TimeUnit.MILLISECONDS);
      assertEquals(200, finished.statusCode(), finished.body());
      assertEquals(FailoverGraph.expectedResult(20), new JsonObject(finished.body()).getLong("result"));
      assertEquals(0, serve.awaitExit(WAIT_MS), serve.tail());
      String log = serve.tail();
      assertTrue(log.contains("draining: 1 runs in flight") && log.contains("drained: 0 runs still in flight")
          && log.contains("server stopped"), log);
    } finally {
      serve.kill();
    }
  }

  @Test
  void aMemberDrainsOnSigtermAndAnswersReadinessOnItsOpsPortAndTheBus() throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    LoopbackCluster cluster = LoopbackCluster.of(2);
    MemberProcess member = MemberProcess.start("member-drain", cluster.memberArgs(0, "--graphs", "failover",
        "--ops-port", "0", "--drain-timeout", "20000"));
    Vertx client = null;
    try {
      Matcher ops = OPS.matcher(member.awaitLine("member ready", READY_MS));
      assertTrue(ops.find(), "the ready line names the ops port");
      String url = ops.group(1);
      client = ClusteredVertx.start(cluster.liteMember(1)).toCompletionStage().toCompletableFuture()
          .get(READY_MS, TimeUnit.MILLISECONDS);
      assertEquals(200, get(url + "/health/ready").statusCode());
      JsonObject onBus = await(client.eventBus().<JsonObject>request(healthAddressOfOther(client), "")
          .map(message -> message.body()));
      assertEquals("UP", onBus.getString("outcome"), onBus.encode());

      GraphClient failover = GraphClient.create(client, "failover", 60_000);
      Future<State> inFlight = failover.invoke(Map.of("x", 20, "delayMs", 1_000));
      awaitRunsInFlight(url + "/metrics", 1);

      member.terminate(); // SIGTERM
      awaitStatus(url + "/health/ready", 503);
      ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> await(failover.invoke(Map.of("x", 1))));
      GraphloopException cause = assertInstanceOf(GraphloopException.class, refused.getCause());
      assertEquals(FailureCode.DRAINING, cause.code(), cause.getMessage());

      assertEquals(FailoverGraph.expectedResult(20), await(inFlight).getLong("result"));
      assertEquals(0, member.awaitExit(WAIT_MS), member.tail());
      assertTrue(member.tail().contains("member stopped"), member.tail());
    } finally {
      if (client != null) {
        client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      member.kill();
    }
  }

  /**
   * Issue 16: SIGTERM while 100 runs are in flight on {@code serve} (each on its own thread, SQLite checkpointer)
   * loses none. Half the runs are short (two steps of 300 ms), half long (two steps of 1.4 s, longer than the drain
   * timeout of 500 ms). The process exits 0. Each run then either finished (its HTTP answer holds the result, or its
   * thread's state does) or was cut short by the shutdown (an error answer or a closed connection) and is resumable:
   * a second {@code serve} on the same store shows its thread with a task due, and continuing the thread finishes
   * it with the expected result. No thread is empty or failed.
   */
  @Test
  void sigtermDuringAHundredRunsOnServeLosesNone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path conf = dir.resolve("serve.json");
    java.nio.file.Files.writeString(conf, new JsonObject().put("runtime", new JsonObject().put("checkpointer",
        new JsonObject().put("type", "sqlite").put("dataDir", dir.resolve("data").toString()))).encode());
    List<String> args = List.of("--graphs", "failover", "--host", "127.0.0.1", "--port", "0", "--drain-timeout",
        "500", "--conf", conf.toString());
    int runs = 100;
    List<String> threads = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    MemberProcess serve = MemberProcess.command("serve-drain-100", "serve", args, Map.of());
    try {
      Matcher ready = SERVER.matcher(serve.awaitLine("server ready", READY_MS));
      assertTrue(ready.find());
      String url = ready.group(1);
      for (int i = 0; i < runs; i++) {
        String thread = java.util.UUID.randomUUID().toString();
        threads.add(thread);
        long delay = i % 2 == 0 ? 300 : 1_400;
        String body = new JsonObject().put("assistant_id", "failover").put("if_not_exists", "create")
            .put("input", new JsonObject().put("x", i).put("delayMs", delay)).encode();
        answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/threads/" + thread + "/runs/wait"))
            .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      awaitStarted(url + "/metrics", runs);
      serve.terminate(); // SIGTERM
      assertEquals(0, serve.awaitExit(WAIT_MS + 30_000), serve.tail());
      assertTrue(serve.tail().contains("drained: "), serve.tail());
    } finally {
      serve.kill();
    }
    int answeredWithResult = 0;
    int drainingErrors = 0;
    List<Integer> cut = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      HttpResponse<String> answer;
      try {
        answer = answers.get(i).get(WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException closed) {
        cut.add(i); // the connection closed with the process: the run's fate is on its thread
        continue;
      }
      JsonObject error = answer.statusCode() == 200 ? new JsonObject(answer.body()).getJsonObject("__error__") : null;
      if (error != null) { // runs/wait answers a failed run with 200 and {"__error__": ...}, as LangGraph's server
        assertTrue(error.getString("message", "").contains("drain's deadline passed"),
            "a run cut short fails with the draining code's message: " + answer.body());
        drainingErrors++;
        cut.add(i);
      } else if (answer.statusCode() == 200) {
        assertEquals(FailoverGraph.expectedResult(i), new JsonObject(answer.body()).getLong("result"), answer.body());
        answeredWithResult++;
      } else {
        assertTrue(answer.statusCode() >= 500, "a run cut short by the shutdown answers a server error: "
            + answer.statusCode() + " " + answer.body());
        cut.add(i);
      }
    }
    int resumed = 0;
    int finishedOnThread = 0;
    MemberProcess again = MemberProcess.command("serve-drain-100-restart", "serve", args, Map.of());
    try {
      Matcher ready = SERVER.matcher(again.awaitLine("server ready", READY_MS));
      assertTrue(ready.find());
      String url = ready.group(1);
      for (int i = 0; i < runs; i++) {
        HttpResponse<String> state = get(url + "/threads/" + threads.get(i) + "/state");
        assertEquals(200, state.statusCode(), "run " + i + "'s thread exists after the restart: " + state.body());
        JsonObject values = new JsonObject(state.body());
        Long result = values.getJsonObject("values", new JsonObject()).getLong("result");
        if (result != null) {
          assertEquals(FailoverGraph.expectedResult(i), result, values.encode());
          assertTrue(values.getJsonArray("next").isEmpty(), values.encode());
          finishedOnThread++;
          continue;
        }
        assertTrue(cut.contains(i), "run " + i + " answered 200 but its thread holds no result: " + values.encode());
        assertTrue(!values.getJsonArray("next").isEmpty(), "run " + i + " is resumable (a task due): "
            + values.encode());
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(url + "/threads/" + threads.get(i)
                + "/runs/wait")).timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("assistant_id", "failover").encode()))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, done.statusCode(), done.body());
        assertEquals(FailoverGraph.expectedResult(i), new JsonObject(done.body()).getLong("result"),
            "run " + i + " resumed from its checkpoint: " + done.body());
        resumed++;
      }
    } finally {
      again.terminate();
      again.awaitExit(WAIT_MS + 30_000);
      again.kill();
    }
    assertEquals(runs, finishedOnThread + resumed, "every run finished or was resumed");
    assertTrue(answeredWithResult <= finishedOnThread, answeredWithResult + " answered, " + finishedOnThread
        + " finished");
    System.out.printf("DrainIT: %d runs: %d answered with their result, %d finished on their thread, %d answered "
        + "with the draining error, %d cut short and resumed after the restart%n", runs, answeredWithResult,
        finishedOnThread, drainingErrors, resumed);
  }

  /** Polls the scrape until {@code graphloop_runs_started_total} of failover is at least {@code runs} (bounded). */
  private void awaitStarted(String metrics, double runs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    double seen = -1;
    while (System.nanoTime() < deadline) {
      PrometheusText scrape = new PrometheusText(get(metrics).body());
      seen = scrape.hasPrefix("graphloop_runs_started_total")
          ? scrape.value("graphloop_runs_started_total", Map.of("graph", "failover")) : 0;
      if (seen >= runs) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("runs started stayed " + seen + ", expected at least " + runs);
  }

  /** The health address of the cluster's other member (the one that is not {@code client}). */
  private static String healthAddressOfOther(Vertx client) {
    ClusterManager manager = ((io.vertx.core.internal.VertxInternal) client).clusterManager();
    List<String> others = new ArrayList<>(manager.getNodes());
    others.remove(manager.getNodeId());
    assertEquals(1, others.size(), others.toString());
    return "graphloop.health." + others.get(0);
  }

  private CompletableFuture<HttpResponse<String>> postRun(String url) {
    String body = new JsonObject().put("assistant_id", "failover").put("input", new JsonObject().put("x", 20)
        .put("delayMs", 1_000)).encode();
    return http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/runs/wait")).timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polls the scrape until {@code graphloop_runs_in_flight} of failover is {@code runs} (bounded). */
  private void awaitRunsInFlight(String metrics, double runs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    double seen = -1;
    while (System.nanoTime() < deadline) {
      seen = new PrometheusText(get(metrics).body()).value("graphloop_runs_in_flight", Map.of("graph", "failover"));
      if (seen == runs) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("runs in flight stayed " + seen + ", expected " + runs);
  }

  /** Polls {@code url} until it answers {@code status} (bounded). */
  private void awaitStatus(String url, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    int seen = -1;
    while (System.nanoTime() < deadline) {
      seen = get(url).statusCode();
      if (seen == status) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(url + " answered " + seen + ", expected " + status);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
  }
}
