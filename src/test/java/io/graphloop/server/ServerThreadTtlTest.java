package io.graphloop.server;

import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.graphloop.server.ServerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph Server's per-thread TTL ({@code ttl} on {@code POST /threads} and {@code PATCH /threads/{id}}) on a real
 * server over a SQLite checkpointer (thread records shared in SQLite too), driven by LangGraph's real Python SDK
 * ({@code src/test/python/sdk_ttl.py}) and plain HTTP: once a thread has been inactive for its TTL, the runtime's
 * sweep deletes it (404 afterwards, its checkpoints gone) or, with {@code keep_latest}, prunes it to its newest
 * checkpoint; a thread with a longer TTL, or none, stays. The sweep runs by hand here (interval 0), so nothing races.
 */
class ServerThreadTtlTest {

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static GraphRuntime runtime;
  private static WebCalls http;
  private static String base;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    JsonObject checkpointer = new JsonObject().put("type", "sqlite").put("dataDir", dir.toString())
        .put("fileName", "ttl.db");
    runtime = await(GraphRuntime.deploy(vertx, SdkGraphs.echo(), new GraphRuntimeOptions()
        .setCheckpointer(checkpointer).setRetentionSweepIntervalMs(0)));
    ServerVerticle server = new ServerVerticle(List.of(SdkGraphs.echo()), new ServerOptions().setHost("127.0.0.1")
        .setPort(0)).sharedThreads(checkpointer);
    await(vertx.deployVerticle(server));
    http = new WebCalls(server.actualPort());
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    await(vertx.close());
  }

  @Test
  void thePythonSdksTtlsExpireThreadsOnceInactiveForThem() throws InterruptedException {
    Path script = Path.of("src/test/python/sdk_ttl.py").toAbsolutePath();
    SdkProcess.Result result = SdkProcess.run(List.of(PythonSdkTest.python(), script.toString(), base), Path.of("."),
        120);
    assertEquals(0, result.exit(), result.output());
    assertTrue(result.output().contains("ok ttl\n"), result.output());
    Map<String, String> threads = new HashMap<>();
    for (String line : result.output().split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        threads.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    Thread.sleep(150); // 0.001 minutes (60 ms) of inactivity, and then some
    int handled = await(runtime.ttlRetention().sweep());
    assertTrue(handled >= 3, "short, patched and kept expired: " + handled);
    awaitStatus(threads.get("short"), 404);
    awaitStatus(threads.get("patched"), 404);
    assertEquals(200, http.call(HttpMethod.GET, "/threads/" + threads.get("long"), null).statusCode(),
        "a TTL of 600 minutes has not expired");
    assertEquals(200, http.call(HttpMethod.GET, "/threads/" + threads.get("kept") + "/state", null).statusCode(),
        "keep_latest keeps the thread and its state");
    JsonArray history = http.call(HttpMethod.POST, "/threads/" + threads.get("kept") + "/history",
        new JsonObject().put("limit", 100)).bodyAsJsonArray();
    assertEquals(1, history.size(), "pruned to its newest checkpoint: " + history);
    assertEquals("b!", history.getJsonObject(0).getJsonObject("values").getString("out"));
  }

  @Test
  void aThreadWithoutATtlOrWithALongerOneStays() throws InterruptedException {
    String plain = http.call(HttpMethod.POST, "/threads", new JsonObject()).bodyAsJsonObject()
        .getString("thread_id");
    String longer = http.call(HttpMethod.POST, "/threads", new JsonObject().put("ttl", 600)).bodyAsJsonObject()
        .getString("thread_id");
    http.call(HttpMethod.POST, "/threads/" + plain + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "x")));
    Thread.sleep(20);
    await(runtime.ttlRetention().sweep());
    assertEquals(200, http.call(HttpMethod.GET, "/threads/" + plain, null).statusCode());
    assertEquals(200, http.call(HttpMethod.GET, "/threads/" + longer, null).statusCode());
  }

  /**
   * {@code GET /threads/{id}?include=ttl} carries the thread's TTL as stored ({@code {"strategy", "ttl"}}), the latest
   * one after a {@code PATCH}, and {@code null} for a thread without one; without {@code include} there is no
   * {@code ttl} field; an unknown {@code include} is refused naming the one it can be.
   */
  @Test
  void getWithIncludeTtlCarriesTheThreadsTtl() {
    String thread = http.call(HttpMethod.POST, "/threads", new JsonObject().put("ttl", new JsonObject()
        .put("ttl", 90).put("strategy", "keep_latest"))).bodyAsJsonObject().getString("thread_id");
    JsonObject shown = http.call(HttpMethod.GET, "/threads/" + thread + "?include=ttl", null).bodyAsJsonObject();
    assertEquals(new JsonObject().put("strategy", "keep_latest").put("ttl", 90.0), shown.getJsonObject("ttl"));
    assertEquals(thread, shown.getString("thread_id"));
    assertTrue(!http.call(HttpMethod.GET, "/threads/" + thread, null).bodyAsJsonObject().containsKey("ttl"),
        "no ttl field unless asked for");
    http.call(HttpMethod.PATCH, "/threads/" + thread, new JsonObject().put("ttl", 5));
    assertEquals(new JsonObject().put("strategy", "delete").put("ttl", 5.0), http.call(HttpMethod.GET,
        "/threads/" + thread + "?include=ttl", null).bodyAsJsonObject().getJsonObject("ttl"));
    String plain = http.call(HttpMethod.POST, "/threads", new JsonObject()).bodyAsJsonObject().getString("thread_id");
    JsonObject none = http.call(HttpMethod.GET, "/threads/" + plain + "?include=ttl", null).bodyAsJsonObject();
    assertTrue(none.containsKey("ttl") && none.getValue("ttl") == null, "a thread without a TTL: " + none);
    var bad = http.call(HttpMethod.GET, "/threads/" + plain + "?include=ttl,values", null);
    assertEquals(422, bad.statusCode());
    assertTrue(bad.bodyAsString().contains("'values'") && bad.bodyAsString().contains("'ttl'"), bad.bodyAsString());
  }

  @Test
  void aBadTtlIsRefusedSayingWhatATtlIs() {
    var answer = http.call(HttpMethod.POST, "/threads", new JsonObject().put("ttl", new JsonObject()
        .put("ttl", 5).put("strategy", "archive")));
    assertEquals(422, answer.statusCode());
    assertTrue(answer.bodyAsString().contains("\\\"delete\\\" or \\\"keep_latest\\\""), answer.bodyAsString());
    String thread = http.call(HttpMethod.POST, "/threads", new JsonObject()).bodyAsJsonObject().getString("thread_id");
    var patched = http.call(HttpMethod.PATCH, "/threads/" + thread, new JsonObject().put("ttl", "soon"));
    assertEquals(422, patched.statusCode());
    assertTrue(patched.bodyAsString().contains("a number of minutes"), patched.bodyAsString());
  }

  /** Waits (bounded) until the server answers {@code status} for the thread: a deletion is published, then heard. */
  private static void awaitStatus(String thread, int status) throws InterruptedException {
    int got = 0;
    for (int i = 0; i < 200 && (got = http.call(HttpMethod.GET, "/threads/" + thread, null).statusCode()) != status;
         i++) {
      Thread.sleep(25);
    }
    assertEquals(status, got, "thread " + thread);
  }
}
