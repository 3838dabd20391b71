package io.graphloop.server;

import io.graphloop.checkpoint.PostgresTestServer;
import io.graphloop.func.Entrypoint;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs served by any server that shares the records ({@link ServerVerticle#sharedThreads}): two servers (A, B) with
 * their own registries in front of the same graphs, their records in one SQLite file or one PostgreSQL database
 * (skipped without its binaries unless {@code GRAPHLOOP_REQUIRE_POSTGRES=1}). A run started through A is read (get,
 * list), joined, join-streamed (all events with their ids, then from a {@code Last-Event-ID}, then one
 * {@code stream_mode}), cancelled (interrupt,
 * rollback) and deleted through B, for its owner only; B's multitask strategies see A's runs on the thread (reject,
 * enqueue, rollback) and {@code POST /runs/cancel} cancels them; a run whose server stopped ends as
 * {@code ServerGone} when B asks for it. Real HTTP on 127.0.0.1; the servers talk on the event bus
 * ({@link PeerRuns}).
 */
class ServerSharedRunsTest {

  private static final String KEY_A = "runs-key-a";
  private static final String KEY_B = "runs-key-b";
  private static final String[] A = {"x-api-key", KEY_A};
  private static final String[] B = {"x-api-key", KEY_B};

  @TempDir
  Path dir;

  @Test
  void serversOnOneSqliteFileServeEachOthersRuns() {
    scenario(new JsonObject().put("type", "sqlite").put("dataDir", dir.toString()));
  }

  @Test
  void serversOnOnePostgresDatabaseServeEachOthersRuns() {
    try (PostgresTestServer postgres = PostgresTestServer.startOrSkip()) {
      scenario(postgres.storeOptions().toJson().put("type", "postgres"));
    }
  }

  /** The SSE events of {@code body}: each {@code [id, event, data]}. */
  static List<JsonArray> events(String body) {
    List<JsonArray> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String event = null;
      String data = null;
      Long id = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        } else if (line.startsWith("id: ")) {
          id = Long.parseLong(line.substring(4));
        }
      }
      if (event != null) {
        events.add(new JsonArray().add(id).add(event).add(data));
      }
    }
    return events;
  }

  private static JsonObject slowInput(int delayMs) {
    return new JsonObject().put("assistant_id", "slow").put("input", new JsonObject().put("delayMs", delayMs));
  }

  private static String start(WebCalls server, String thread, JsonObject body) {
    HttpResponse<Buffer> created = server.call(HttpMethod.POST, "/threads/" + thread + "/runs", body, A);
    assertEquals(200, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getString("run_id");
  }

  private static int historyLength(WebCalls server, String thread) {
    return server.call(HttpMethod.POST, "/threads/" + thread + "/history", new JsonObject().put("limit", 100), A)
        .bodyAsJsonArray().size();
  }

  private void scenario(JsonObject records) {
    Vertx vertx = Vertx.vertx();
    List<WebCalls> calls = new ArrayList<>();
    try {
      // an entrypoint that takes 300 ms to return its input: shown in LangGraph's form (the bare value)
      CompiledGraph slowEntry = Entrypoint.<Object, Object>of("slow-entry", (x, ctx) -> {
        Promise<Object> later = Promise.promise();
        vertx.setTimer(300, id -> later.complete(x));
        return later.future();
      }).compile();
      List<CompiledGraph> graphs = List.of(SdkGraphs.slow(), SdkGraphs.echo(), slowEntry);
      GraphRuntimeOptions runtime = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"));
      Future<Void> deployed = Future.succeededFuture();
      for (CompiledGraph graph : graphs) {
        deployed = deployed.compose(ready -> GraphRuntime.deploy(vertx, graph, runtime).mapEmpty());
      }
      ServerFixture.await(deployed);
      List<String> deployments = new ArrayList<>();
      WebCalls a = server(vertx, graphs, records, calls, deployments);
      WebCalls b = server(vertx, graphs, records, calls, deployments);
      String thread = a.call(HttpMethod.POST, "/threads", new JsonObject(), A).bodyAsJsonObject()
          .getString("thread_id");

      // started through A: read, listed, streamed and joined through B
      String run = start(a, thread, slowInput(400).put("stream_mode", new JsonArray().add("values").add("custom")));
      JsonObject onB = b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run, null, A).bodyAsJsonObject();
      assertEquals(run, onB.getString("run_id"), onB.encode());
      assertTrue(List.of("pending", "running").contains(onB.getString("status")), onB.encode());
      assertEquals(404, b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run, null, B).statusCode());
      JsonArray listed = b.call(HttpMethod.GET, "/threads/" + thread + "/runs", null, A).bodyAsJsonArray();
      assertEquals(run, listed.getJsonObject(0).getString("run_id"), listed.encode());
      HttpResponse<Buffer> streamed = b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run + "/stream", null,
          A);
      assertEquals(200, streamed.statusCode(), streamed.bodyAsString());
      assertTrue(streamed.getHeader("Content-Type").startsWith("text/event-stream"));
      List<JsonArray> events = events(streamed.bodyAsString());
      assertEquals("metadata", events.get(0).getString(1), events.toString());
      assertEquals(run, new JsonObject(events.get(0).getString(2)).getString("run_id"));
      for (int i = 0; i < events.size(); i++) {
        assertEquals(i, events.get(i).getLong(0), "ids in order from 0: " + events);
      }
      assertTrue(events.stream().anyMatch(e -> "custom".equals(e.getString(1))), events.toString());
      JsonObject last = new JsonObject(events.get(events.size() - 1).getString(2));
      assertEquals(new JsonArray().add("first").add("second"), last.getJsonArray("trail"), events.toString());
      List<JsonArray> resumed = events(b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run + "/stream",
          null, "x-api-key", KEY_A, "Last-Event-ID", "1").bodyAsString());
      assertEquals(events.subList(2, events.size()), resumed);
      // stream_mode on a join-stream: that mode's events only (and metadata), on either server, with their ids
      List<JsonArray> customOnB = events(b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run
          + "/stream?stream_mode=custom", null, A).bodyAsString());
      List<JsonArray> custom = new ArrayList<>();
      events.stream().filter(e -> List.of("metadata", "custom").contains(e.getString(1))).forEach(custom::add);
      assertEquals(custom, customOnB);
      assertEquals(custom, events(a.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run
          + "/stream?stream_mode=custom", null, A).bodyAsString()));
      assertEquals(422, b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run + "/stream?stream_mode=sideways",
          null, A).statusCode());
      JsonObject joined = b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run + "/join", null, A)
          .bodyAsJsonObject();
      assertEquals(new JsonArray().add("first").add("second"), joined.getJsonArray("trail"), joined.encode());
      assertEquals("success", b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run, null, A)
          .bodyAsJsonObject().getString("status"));

      // a live join through B waits for A's run
      String joinedLive = start(a, thread, slowInput(300));
      JsonObject live = b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + joinedLive + "/join", null, A)
          .bodyAsJsonObject();
      assertEquals(4, live.getJsonArray("trail").size(), live.encode());
      // joined through B, an entrypoint's outcome is the value it returned, as a join through A gives it
      String entryThread = a.call(HttpMethod.POST, "/threads", new JsonObject(), A).bodyAsJsonObject()
          .getString("thread_id");
      String entryRun = start(a, entryThread, new JsonObject().put("assistant_id", "slow-entry")
          .put("input", new JsonObject().put("n", 1)));
      assertEquals(new JsonObject().put("n", 1), b.call(HttpMethod.GET, "/threads/" + entryThread + "/runs/"
          + entryRun + "/join", null, A).bodyAsJsonObject());

      // cancelled through B (interrupt, waiting): A's run ends interrupted
      String interrupted = start(a, thread, slowInput(3_000));
      assertEquals(204, b.call(HttpMethod.POST, "/threads/" + thread + "/runs/" + interrupted
          + "/cancel?wait=true&action=interrupt", null, A).statusCode());
      assertEquals("interrupted", a.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + interrupted, null, A)
          .bodyAsJsonObject().getString("status"));
      assertEquals(409, b.call(HttpMethod.POST, "/threads/" + thread + "/runs/" + interrupted + "/cancel", null, A)
          .statusCode());

      // rolled back through B: the run is gone on both servers, and so are its checkpoints
      int before = historyLength(a, thread);
      String doomed = start(a, thread, slowInput(3_000));
      assertEquals(204, b.call(HttpMethod.POST, "/threads/" + thread + "/runs/" + doomed
          + "/cancel?wait=true&action=rollback", null, A).statusCode());
      assertEquals(404, b.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + doomed, null, A).statusCode());
      assertEquals(404, a.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + doomed, null, A).statusCode());
      assertEquals(before, historyLength(b, thread));

      // B's multitask strategies see A's run on the thread
      String busy = start(a, thread, slowInput(1_500));
      HttpResponse<Buffer> rejected = b.call(HttpMethod.POST, "/threads/" + thread + "/runs", slowInput(1)
          .put("multitask_strategy", "reject"), A);
      assertEquals(409, rejected.statusCode(), rejected.bodyAsString());
      assertTrue(rejected.bodyAsJsonObject().getString("detail").contains(busy), rejected.bodyAsString());
      JsonObject enqueued = b.call(HttpMethod.POST, "/threads/" + thread + "/runs/wait", slowInput(1)
          .put("multitask_strategy", "enqueue"), A).bodyAsJsonObject();
      assertFalse(enqueued.containsKey("__error__"), enqueued.encode());
      assertEquals("success", a.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + busy, null, A)
          .bodyAsJsonObject().getString("status"), "the enqueued run waited for A's");
      int beforeRollback = historyLength(a, thread);
      String rolledBack = start(a, thread, slowInput(3_000));
      JsonObject replaced = b.call(HttpMethod.POST, "/threads/" + thread + "/runs/wait", slowInput(1)
          .put("multitask_strategy", "rollback"), A).bodyAsJsonObject();
      assertFalse(replaced.containsKey("__error__"), replaced.encode());
      assertEquals(404, a.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + rolledBack, null, A).statusCode());
      assertEquals(beforeRollback + 4, historyLength(a, thread), "only the new run's checkpoints were added");

      // deleted through B: gone through A; the thread's runs listed through A are B's and A's, newest first
      assertEquals(204, b.call(HttpMethod.DELETE, "/threads/" + thread + "/runs/" + run, null, A).statusCode());
      assertEquals(404, a.call(HttpMethod.GET, "/threads/" + thread + "/runs/" + run, null, A).statusCode());
      JsonArray all = a.call(HttpMethod.GET, "/threads/" + thread + "/runs?limit=100", null, A).bodyAsJsonArray();
      assertEquals(5, all.size(), all.encode());
      assertEquals(new JsonArray().add(new JsonObject().put("run_id", interrupted).put("status", "interrupted")),
          a.call(HttpMethod.GET, "/threads/" + thread + "/runs?status=interrupted&select=run_id&select=status", null,
              A).bodyAsJsonArray());
      assertEquals(422, a.call(HttpMethod.GET, "/threads/" + thread + "/runs?select=nothing", null, A).statusCode());

      // POST /runs/cancel through B: A's runs, named or by status
      String bulk = a.call(HttpMethod.POST, "/threads", new JsonObject(), A).bodyAsJsonObject().getString("thread_id");
      String named = start(a, bulk, slowInput(3_000));
      assertEquals(204, b.call(HttpMethod.POST, "/runs/cancel", new JsonObject().put("thread_id", bulk)
          .put("run_ids", new JsonArray().add(named)), A).statusCode());
      b.call(HttpMethod.GET, "/threads/" + bulk + "/runs/" + named + "/join", null, A);
      assertEquals("interrupted", a.call(HttpMethod.GET, "/threads/" + bulk + "/runs/" + named, null, A)
          .bodyAsJsonObject().getString("status"));
      String byStatus = start(a, bulk, slowInput(3_000));
      assertEquals(204, b.call(HttpMethod.POST, "/runs/cancel", new JsonObject().put("status", "all"), A)
          .statusCode());
      b.call(HttpMethod.GET, "/threads/" + bulk + "/runs/" + byStatus + "/join", null, A);
      assertEquals("interrupted", b.call(HttpMethod.GET, "/threads/" + bulk + "/runs/" + byStatus, null, A)
          .bodyAsJsonObject().getString("status"));

      // a run whose server stopped: B ends it as ServerGone
      String other = a.call(HttpMethod.POST, "/threads", new JsonObject(), A).bodyAsJsonObject()
          .getString("thread_id");
      String orphan = start(a, other, slowInput(2_000));
      ServerFixture.await(vertx.undeploy(deployments.get(0)));
      JsonObject lost = b.call(HttpMethod.GET, "/threads/" + other + "/runs/" + orphan + "/join", null, A)
          .bodyAsJsonObject();
      assertEquals(PeerRuns.GONE, lost.getJsonObject("__error__").getString("error"), lost.encode());
      assertEquals("error", b.call(HttpMethod.GET, "/threads/" + other + "/runs/" + orphan, null, A)
          .bodyAsJsonObject().getString("status"));
    } finally {
      calls.forEach(WebCalls::close);
      ServerFixture.await(vertx.close());
    }
  }

  /**
   * A run whose server is there but does not answer (a consumer at its address that never replies): its cancel, by
   * {@code POST /runs/cancel} (named or by status) or on its own, is a 503 naming the run, within the configured
   * {@code peerWaitMs} plus {@code peerGraceMs}; never a 204 with nothing cancelled.
   */
  @Test
  void aCancelThatTheRunsServerDoesNotAnswerIsA503() {
    Vertx vertx = Vertx.vertx();
    JsonObject records = new JsonObject().put("type", "sqlite").put("dataDir", dir.toString());
    ThreadStore store = null;
    WebCalls b = null;
    try {
      List<CompiledGraph> graphs = List.of(SdkGraphs.slow());
      ServerFixture.await(GraphRuntime.deploy(vertx, SdkGraphs.slow(), new GraphRuntimeOptions()
          .setCheckpointer(new JsonObject().put("type", "memory"))));
      ServerVerticle server = new ServerVerticle(graphs, new ServerOptions().setHost("127.0.0.1").setPort(0)
          .setPeerWaitMs(100).setPeerGraceMs(400)).sharedThreads(records);
      ServerFixture.await(vertx.deployVerticle(server));
      b = new WebCalls(server.actualPort());
      String thread = b.call(HttpMethod.POST, "/threads", new JsonObject()).bodyAsJsonObject().getString("thread_id");
      store = ServerFixture.await(ThreadStore.open(vertx, records, 1_000));
      String silent = "graphloop.test.silent-server";
      vertx.eventBus().consumer(silent, message -> { }); // there, but never answers
      java.time.Instant now = java.time.Instant.now();
      String run = Ids.uuid7();
      ServerFixture.await(store.saveRun(new StoredRun(run, thread, null, "slow", "slow", RunRecord.RUNNING, now, now,
          new JsonObject(), new JsonObject(), "enqueue", null, null, List.of(), silent, "its-secret")));

      long started = System.nanoTime();
      HttpResponse<Buffer> named = b.call(HttpMethod.POST, "/runs/cancel", new JsonObject().put("thread_id", thread)
          .put("run_ids", new JsonArray().add(run)));
      assertEquals(503, named.statusCode(), named.bodyAsString());
      String detail = named.bodyAsJsonObject().getString("detail");
      assertTrue(detail.contains(run) && detail.contains("did not answer") && detail.contains("1 of 1"), detail);
      assertTrue(System.nanoTime() - started < java.util.concurrent.TimeUnit.SECONDS.toNanos(5),
          "answered after peerWaitMs + peerGraceMs, not the defaults");
      HttpResponse<Buffer> byStatus = b.call(HttpMethod.POST, "/runs/cancel", new JsonObject().put("status", "all"));
      assertEquals(503, byStatus.statusCode(), byStatus.bodyAsString());
      assertTrue(byStatus.bodyAsJsonObject().getString("detail").contains(run), byStatus.bodyAsString());
      HttpResponse<Buffer> single = b.call(HttpMethod.POST, "/threads/" + thread + "/runs/" + run + "/cancel", null);
      assertEquals(503, single.statusCode(), single.bodyAsString());
    } finally {
      if (store != null) {
        ServerFixture.await(store.close());
      }
      if (b != null) {
        b.close();
      }
      ServerFixture.await(vertx.close());
    }
  }

  /**
   * {@code GET /threads/{id}/stream} through B follows the thread's runs started through A (A tells B of each new
   * run on the event bus; B streams its events from A), in the Python SDK's {@code threads.join_stream}: every event
   * of both runs with a {@code run_done} after each, then {@code lifecycle} from {@code Last-Event-ID: -}.
   */
  @Test
  void aThreadStreamThroughOneServerFollowsRunsStartedThroughAnother() {
    Vertx vertx = Vertx.vertx();
    JsonObject records = new JsonObject().put("type", "sqlite").put("dataDir", dir.toString());
    try {
      List<CompiledGraph> graphs = List.of(SdkGraphs.slow(), SdkGraphs.echo());
      GraphRuntimeOptions runtime = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"));
      Future<Void> deployed = Future.succeededFuture();
      for (CompiledGraph graph : graphs) {
        deployed = deployed.compose(ready -> GraphRuntime.deploy(vertx, graph, runtime).mapEmpty());
      }
      ServerFixture.await(deployed);
      List<String> urls = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        ServerVerticle server = new ServerVerticle(graphs, new ServerOptions().setHost("127.0.0.1").setPort(0))
            .sharedThreads(records);
        ServerFixture.await(vertx.deployVerticle(server));
        urls.add("http://127.0.0.1:" + server.actualPort());
      }
      Path script = Path.of("src/test/python/sdk_thread_stream.py").toAbsolutePath();
      SdkProcess.Result result = SdkProcess.run(List.of(PythonSdkTest.python(), script.toString(), urls.get(1),
          urls.get(0)), Path.of("."), 120);
      assertEquals(0, result.exit(), result.output());
      assertTrue(result.output().contains("ok join_stream"), result.output());

      // the same ids through either server: a stream read through B resumes through B or A after any of its ids
      ServerFixture a = ServerFixture.at(urls.get(0));
      ServerFixture b = ServerFixture.at(urls.get(1));
      String thread = a.thread();
      a.post("/threads/" + thread + "/runs/wait", slowInput(50).put("stream_mode", new JsonArray().add("values")
          .add("custom")));
      java.util.function.Predicate<List<ServerFixture.Event>> oneRun = events -> events.stream()
          .anyMatch(e -> "metadata".equals(e.event()) && "run_done".equals(e.json().getString("status")));
      List<ServerFixture.Event> all = b.streamUntil("/threads/" + thread + "/stream", null, oneRun, "Last-Event-ID",
          "-").events();
      assertEquals(7, all.size(), all.toString()); // metadata, 3 values, 2 custom, run_done
      String after = all.get(2).id();
      assertEquals(all.subList(3, 7).toString(), b.streamUntil("/threads/" + thread + "/stream", null, oneRun,
          "Last-Event-ID", after).events().toString());
      assertEquals(all.subList(3, 7).toString(), a.streamUntil("/threads/" + thread + "/stream", null, oneRun,
          "Last-Event-ID", after).events().toString());
    } finally {
      ServerFixture.await(vertx.close());
    }
  }

  private static WebCalls server(Vertx vertx, List<CompiledGraph> graphs, JsonObject records, List<WebCalls> calls,
                                 List<String> deployments) {
    ServerVerticle server = new ServerVerticle(graphs, new ServerOptions().setApiKeys(List.of(KEY_A, KEY_B))
        .setHost("127.0.0.1").setPort(0)).sharedThreads(records);
    deployments.add(ServerFixture.await(vertx.deployVerticle(server)));
    WebCalls web = new WebCalls(server.actualPort());
    calls.add(web);
    return web;
  }
}
