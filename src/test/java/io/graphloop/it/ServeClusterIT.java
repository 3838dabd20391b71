package io.graphloop.it;

import io.graphloop.checkpoint.PostgresTestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph Server's API on two cluster members (two JVMs from the fat jar, {@code member --role both --serve-port 0}),
 * their coordinators sharing a throwaway PostgreSQL store: a thread created and run to its interrupt through member
 * A's HTTP port is served by member B's (its record, state and history; its owner only: API keys), and continued
 * there (a resume finishes it); A then reads the finished state. The servers share their thread records (a table in
 * that database): a thread created through A and never run is served by B; search and count through B list A's
 * threads with LangGraph's filters, sort and paging; metadata updated through A is seen through B; a thread deleted
 * through A is a 404 through B. Runs too: a run started through A's server is read (get, list), joined, join-streamed
 * (with {@code Last-Event-ID}) and cancelled (interrupt, rollback) through B's, B's {@code reject} sees it, over raw
 * HTTP and with LangGraph's real Python SDK ({@code src/test/python/sdk_cluster_runs.py}; that part is skipped without
 * a Python with {@code langgraph_sdk} unless {@code GRAPHLOOP_REQUIRE_SDKS=1}). Skipped without PostgreSQL binaries
 * unless {@code GRAPHLOOP_REQUIRE_POSTGRES=1}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeClusterIT {

  private static final long READY_MS = 90_000;

  @TempDir
  Path dir;

  private static HttpResponse<Buffer> call(WebClient client, String base, HttpMethod method, String path,
                                           JsonObject body, String key) throws Exception {
    URI uri = URI.create(base);
    var request = client.request(method, uri.getPort(), uri.getHost(), path).putHeader("x-api-key", key);
    return (body == null ? request.send() : request.sendJsonObject(body)).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private static String url(String readyLine) {
    return readyLine.split(" ")[2];
  }

  private static List<String> ids(JsonArray threads) {
    List<String> ids = new ArrayList<>();
    threads.forEach(thread -> ids.add(((JsonObject) thread).getString("thread_id")));
    return ids;
  }

  private static JsonArray search(WebClient client, String base, JsonObject body, String key) throws Exception {
    HttpResponse<Buffer> found = call(client, base, HttpMethod.POST, "/threads/search", body, key);
    assertEquals(200, found.statusCode(), found.bodyAsString());
    return found.bodyAsJsonArray();
  }

  private static int count(WebClient client, String base, JsonObject body, String key) throws Exception {
    return call(client, base, HttpMethod.POST, "/threads/count", body, key).bodyAsJson(Integer.class);
  }

  /** Threads created, listed, updated and deleted through either member's server ({@code published}: a finished one). */
  private static void sharedThreadRecords(WebClient client, String baseA, String baseB, String published)
      throws Exception {
    JsonObject created = call(client, baseA, HttpMethod.POST, "/threads", new JsonObject().put("metadata",
        new JsonObject().put("project", "apollo")), "cluster-a").bodyAsJsonObject();
    String fresh = created.getString("thread_id");
    JsonObject freshOnB = call(client, baseB, HttpMethod.GET, "/threads/" + fresh, null, "cluster-a")
        .bodyAsJsonObject();
    assertEquals("apollo", freshOnB.getJsonObject("metadata").getString("project"), freshOnB.encode());
    assertEquals("idle", freshOnB.getString("status"));
    assertEquals(created.getString("created_at"), freshOnB.getString("created_at"));
    assertEquals(404, call(client, baseB, HttpMethod.GET, "/threads/" + fresh, null, "cluster-b").statusCode());
    String othersThread = call(client, baseB, HttpMethod.POST, "/threads", new JsonObject(), "cluster-b")
        .bodyAsJsonObject().getString("thread_id");

    assertEquals(List.of(fresh, published), ids(search(client, baseB, new JsonObject(), "cluster-a")));
    assertEquals(List.of(published, fresh), ids(search(client, baseB, new JsonObject().put("sort_order", "asc"),
        "cluster-a")));
    assertEquals(List.of(published), ids(search(client, baseB, new JsonObject().put("limit", 1).put("offset", 1),
        "cluster-a")));
    assertEquals(List.of(published), ids(search(client, baseB, new JsonObject().put("values",
        new JsonObject().put("outcome", "published")), "cluster-a")));
    assertEquals(List.of(fresh), ids(search(client, baseA, new JsonObject().put("metadata",
        new JsonObject().put("project", "apollo")), "cluster-a")));
    assertEquals(List.of(othersThread), ids(search(client, baseA, new JsonObject(), "cluster-b")));
    assertEquals(2, count(client, baseB, new JsonObject(), "cluster-a"));
    assertEquals(2, count(client, baseB, new JsonObject().put("status", "idle"), "cluster-a"));
    assertEquals(1, count(client, baseA, new JsonObject(), "cluster-b"));

    HttpResponse<Buffer> patched = call(client, baseA, HttpMethod.PATCH, "/threads/" + fresh, new JsonObject()
        .put("metadata", new JsonObject().put("project", "gemini")), "cluster-a");
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    assertEquals("gemini", call(client, baseB, HttpMethod.GET, "/threads/" + fresh, null, "cluster-a")
        .bodyAsJsonObject().getJsonObject("metadata").getString("project"));
    assertEquals(List.of(fresh), ids(search(client, baseB, new JsonObject().put("metadata",
        new JsonObject().put("project", "gemini")), "cluster-a")));
    assertEquals(0, count(client, baseB, new JsonObject().put("metadata", new JsonObject().put("project",
        "apollo")), "cluster-a"));

    assertEquals(204, call(client, baseA, HttpMethod.DELETE, "/threads/" + fresh, null, "cluster-a").statusCode());
    assertEquals(404, call(client, baseB, HttpMethod.GET, "/threads/" + fresh, null, "cluster-a").statusCode());
    assertEquals(List.of(published), ids(search(client, baseB, new JsonObject(), "cluster-a")));
    assertEquals(204, call(client, baseB, HttpMethod.DELETE, "/threads/" + published, null, "cluster-a")
        .statusCode());
    assertEquals(404, call(client, baseA, HttpMethod.GET, "/threads/" + published + "/state", null, "cluster-a")
        .statusCode());
    assertEquals(0, count(client, baseA, new JsonObject(), "cluster-a"));
  }

  /** A run started through A's server, served through B's over raw HTTP. */
  private static void sharedRuns(WebClient client, String baseA, String baseB) throws Exception {
    String thread = call(client, baseA, HttpMethod.POST, "/threads", new JsonObject(), "cluster-a")
        .bodyAsJsonObject().getString("thread_id");
    JsonObject crash = new JsonObject().put("assistant_id", "crash").put("input", new JsonObject()
        .put("trail", new JsonArray()).put("delayMs", 200));
    HttpResponse<Buffer> started = call(client, baseA, HttpMethod.POST, "/threads/" + thread + "/runs", crash,
        "cluster-a");
    assertEquals(200, started.statusCode(), started.bodyAsString());
    String run = started.bodyAsJsonObject().getString("run_id");
    String path = "/threads/" + thread + "/runs/" + run;
    assertEquals(404, call(client, baseB, HttpMethod.GET, path, null, "cluster-b").statusCode());
    JsonObject onB = call(client, baseB, HttpMethod.GET, path, null, "cluster-a").bodyAsJsonObject();
    assertEquals(run, onB.getString("run_id"), onB.encode());
    HttpResponse<Buffer> rejected = call(client, baseB, HttpMethod.POST, "/threads/" + thread + "/runs",
        crash.copy().put("multitask_strategy", "reject"), "cluster-a");
    assertEquals(409, rejected.statusCode(), rejected.bodyAsString());
    assertEquals(run, call(client, baseB, HttpMethod.GET, "/threads/" + thread + "/runs", null, "cluster-a")
        .bodyAsJsonArray().getJsonObject(0).getString("run_id"));
    String stream = call(client, baseB, HttpMethod.GET, path + "/stream", null, "cluster-a").bodyAsString();
    assertTrue(stream.startsWith("event: metadata\ndata: {\"run_id\":\"" + run + "\""), stream);
    assertTrue(stream.contains("\"trail\":[\"s1\",\"s2\",\"s3\",\"s4\",\"s5\",\"s6\",\"s7\",\"s8\"]"), stream);
    String lastId = stream.substring(stream.lastIndexOf("id: ") + 4).trim();
    var resumed = client.request(HttpMethod.GET, URI.create(baseB).getPort(), "127.0.0.1", path + "/stream")
        .putHeader("x-api-key", "cluster-a").putHeader("Last-Event-ID", String.valueOf(Long.parseLong(lastId) - 1))
        .send().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).bodyAsString();
    assertEquals(stream.substring(stream.lastIndexOf("event: ")), resumed.substring(resumed.indexOf("event: ")),
        "resumed after the next-to-last event: the last one");
    JsonObject joined = call(client, baseB, HttpMethod.GET, path + "/join", null, "cluster-a").bodyAsJsonObject();
    assertEquals(8, joined.getJsonArray("trail").size(), joined.encode());
    assertEquals("success", call(client, baseA, HttpMethod.GET, path, null, "cluster-a").bodyAsJsonObject()
        .getString("status"));

    String slow = call(client, baseA, HttpMethod.POST, "/threads/" + thread + "/runs", crash.copy()
        .put("input", new JsonObject().put("trail", new JsonArray()).put("delayMs", 3_000)), "cluster-a")
        .bodyAsJsonObject().getString("run_id");
    assertEquals(204, call(client, baseB, HttpMethod.POST, "/threads/" + thread + "/runs/" + slow
        + "/cancel?wait=true", null, "cluster-a").statusCode());
    assertEquals("interrupted", call(client, baseA, HttpMethod.GET, "/threads/" + thread + "/runs/" + slow, null,
        "cluster-a").bodyAsJsonObject().getString("status"));
    assertEquals(204, call(client, baseB, HttpMethod.DELETE, "/threads/" + thread, null, "cluster-a").statusCode());
    assertEquals(404, call(client, baseA, HttpMethod.GET, path, null, "cluster-a").statusCode());
  }

  /** The same through LangGraph's Python SDK ({@code sdk_cluster_runs.py}), when a Python with it is there. */
  private static void pythonSdkAcrossMembers(String baseA, String baseB) throws Exception {
    String configured = System.getenv("GRAPHLOOP_SDK_PYTHON");
    String python = configured != null ? configured : "/work/venv-lg/bin/python";
    boolean required = "1".equals(System.getenv("GRAPHLOOP_REQUIRE_SDKS"));
    if (!Files.isExecutable(Path.of(python))) {
      assertFalse(required, "No Python with langgraph_sdk at " + python + " (GRAPHLOOP_REQUIRE_SDKS=1)");
      return;
    }
    Path script = Path.of(System.getProperty("basedir", ".")).resolve("src/test/python/sdk_cluster_runs.py");
    Process process = new ProcessBuilder(python, script.toString(), baseA, baseB, "cluster-a")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), output);
    if (process.exitValue() != 0 && output.contains("No module named 'langgraph_sdk'") && !required) {
      return;
    }
    assertEquals(0, process.exitValue(), output);
    for (String flow : List.of("read-join-stream", "live-join", "cancel-interrupt", "cancel-rollback")) {
      assertTrue(output.contains("ok " + flow + "\n"), "flow " + flow + " did not pass:\n" + output);
    }
  }

  @Test
  void anyMembersServerServesAnyThread() throws Exception {
    List<MemberProcess> members = new ArrayList<>();
    Vertx vertx = null;
    PostgresTestServer postgres = PostgresTestServer.startOrSkip();
    try {
      String store = new JsonObject().put("type", "postgres").put("host", "127.0.0.1").put("port", postgres.port())
          .put("database", postgres.storeOptions().getDatabase()).put("user", postgres.storeOptions().getUser())
          .put("poolSize", 2).encode();
      Path conf = dir.resolve("member.json");
      Files.writeString(conf, new JsonObject().put("server", new JsonObject()
          .put("apiKeys", new JsonArray().add("cluster-a").add("cluster-b"))).encode());
      LoopbackCluster cluster = LoopbackCluster.of(2);
      MemberProcess a = MemberProcess.start("serve-a", cluster.memberArgs(0, "--graphs", "approval,crash",
          "--checkpointer", store, "--conf", conf.toString(), "--serve-port", "0"));
      members.add(a);
      MemberProcess b = MemberProcess.start("serve-b", cluster.memberArgs(1, "--graphs", "approval,crash",
          "--checkpointer", store, "--conf", conf.toString(), "--serve-port", "0"));
      members.add(b);
      String baseA = url(a.awaitLine("server ready", READY_MS));
      String baseB = url(b.awaitLine("server ready", READY_MS));
      a.awaitLine("member ready", READY_MS);
      b.awaitLine("member ready", READY_MS);
      assertFalse(baseA.equals(baseB));
      vertx = Vertx.vertx();
      WebClient client = WebClient.create(vertx);

      String thread = call(client, baseA, HttpMethod.POST, "/threads", new JsonObject(), "cluster-a")
          .bodyAsJsonObject().getString("thread_id");
      JsonObject interrupted = call(client, baseA, HttpMethod.POST, "/threads/" + thread + "/runs/wait",
          new JsonObject().put("assistant_id", "approval").put("input", new JsonObject().put("version", "1.0")),
          "cluster-a").bodyAsJsonObject();
      assertTrue(interrupted.containsKey("__interrupt__"), interrupted.encode());

      assertEquals(404, call(client, baseB, HttpMethod.GET, "/threads/" + thread, null, "cluster-b").statusCode());
      JsonObject state = call(client, baseB, HttpMethod.GET, "/threads/" + thread + "/state", null, "cluster-a")
          .bodyAsJsonObject();
      assertEquals(new JsonArray().add("approve"), state.getJsonArray("next"), state.encode());
      assertEquals("interrupted", call(client, baseB, HttpMethod.GET, "/threads/" + thread, null, "cluster-a")
          .bodyAsJsonObject().getString("status"));
      JsonArray history = call(client, baseB, HttpMethod.POST, "/threads/" + thread + "/history", new JsonObject(),
          "cluster-a").bodyAsJsonArray();
      assertFalse(history.isEmpty());
      assertEquals(state.getString("checkpoint_id"), history.getJsonObject(0).getString("checkpoint_id"));

      JsonObject done = call(client, baseB, HttpMethod.POST, "/threads/" + thread + "/runs/wait", new JsonObject()
          .put("assistant_id", "approval").put("command", new JsonObject().put("resume", "yes")), "cluster-a")
          .bodyAsJsonObject();
      assertEquals("published", done.getString("outcome"), done.encode());
      JsonObject finalOnA = call(client, baseA, HttpMethod.GET, "/threads/" + thread + "/state", null, "cluster-a")
          .bodyAsJsonObject();
      assertEquals("published", finalOnA.getJsonObject("values").getString("outcome"), finalOnA.encode());
      assertEquals(new JsonArray(), finalOnA.getJsonArray("next"));

      sharedThreadRecords(client, baseA, baseB, thread);
      sharedRuns(client, baseA, baseB);
      pythonSdkAcrossMembers(baseA, baseB);
    } finally {
      for (MemberProcess member : members) {
        member.stop(20_000);
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      postgres.close();
    }
  }
}
