package io.graphloop.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread outlives the {@code serve} process with a durable store: {@code serve} from the fat jar with a SQLite
 * checkpointer and two API keys; a thread is created and run to its interrupt through HTTP; the process is stopped
 * (SIGTERM) and started again on the same store; the new process serves the thread (its record, state, history) to
 * its owner only, and a resume finishes it. Thread records are stored beside the checkpoints: a thread created and
 * never run, with its metadata, comes back too, and search and count list the threads after the restart.
 */
class ServeRestartIT {

  @TempDir
  Path dir;

  private static List<String> ids(JsonArray threads) {
    List<String> ids = new ArrayList<>();
    threads.forEach(thread -> ids.add(((JsonObject) thread).getString("thread_id")));
    return ids;
  }

  @Test
  void aThreadAndItsHistorySurviveARestartOfServe() throws Exception {
    Path conf = dir.resolve("serve.json");
    Files.writeString(conf, new JsonObject()
        .put("runtime", new JsonObject().put("checkpointer", new JsonObject().put("type", "sqlite")
            .put("dataDir", dir.resolve("data").toString())))
        .put("server", new JsonObject().put("apiKeys", new JsonArray().add("restart-a").add("restart-b")))
        .encode());
    String[] a = {"x-api-key", "restart-a"};
    String[] b = {"x-api-key", "restart-b"};
    String thread;
    String idle;
    int historyBefore;
    try (ServeJar first = new ServeJar("hitl", "--conf", conf.toString());
         WebCalls http = new WebCalls(WebCalls.port(first.url()))) {
      thread = http.call(HttpMethod.POST, "/threads", new JsonObject(), a).bodyAsJsonObject().getString("thread_id");
      JsonObject interrupted = http.call(HttpMethod.POST, "/threads/" + thread + "/runs/wait", new JsonObject()
          .put("assistant_id", "hitl").put("input", new JsonObject().put("topic", "restarts")), a).bodyAsJsonObject();
      assertEquals("Draft about restarts", interrupted.getString("text"), interrupted.encode());
      historyBefore = http.call(HttpMethod.POST, "/threads/" + thread + "/history", new JsonObject(), a)
          .bodyAsJsonArray().size();
      assertTrue(historyBefore > 0);
      idle = http.call(HttpMethod.POST, "/threads", new JsonObject().put("metadata", new JsonObject()
          .put("owner", "ops")), a).bodyAsJsonObject().getString("thread_id");
    }
    try (ServeJar second = new ServeJar("hitl", "--conf", conf.toString());
         WebCalls http = new WebCalls(WebCalls.port(second.url()))) {
      assertEquals(List.of(idle, thread), ids(http.call(HttpMethod.POST, "/threads/search", new JsonObject(), a)
          .bodyAsJsonArray()));
      assertEquals(List.of(thread), ids(http.call(HttpMethod.POST, "/threads/search", new JsonObject()
          .put("status", "interrupted"), a).bodyAsJsonArray()));
      assertEquals(2, http.call(HttpMethod.POST, "/threads/count", new JsonObject(), a).bodyAsJson(Integer.class));
      assertEquals(0, http.call(HttpMethod.POST, "/threads/count", new JsonObject(), b).bodyAsJson(Integer.class));
      JsonObject idleRecord = http.call(HttpMethod.GET, "/threads/" + idle, null, a).bodyAsJsonObject();
      assertEquals("ops", idleRecord.getJsonObject("metadata").getString("owner"), idleRecord.encode());
      assertEquals("idle", idleRecord.getString("status"));
      assertEquals(404, http.call(HttpMethod.GET, "/threads/" + idle, null, b).statusCode());
      assertEquals(404, http.call(HttpMethod.GET, "/threads/" + thread, null, b).statusCode());
      JsonObject record = http.call(HttpMethod.GET, "/threads/" + thread, null, a).bodyAsJsonObject();
      assertEquals("interrupted", record.getString("status"), record.encode());
      JsonObject state = http.call(HttpMethod.GET, "/threads/" + thread + "/state", null, a).bodyAsJsonObject();
      assertEquals(new JsonArray().add("approve"), state.getJsonArray("next"), state.encode());
      assertEquals("Draft about restarts", state.getJsonObject("values").getString("text"));
      assertEquals(historyBefore, http.call(HttpMethod.POST, "/threads/" + thread + "/history", new JsonObject(), a)
          .bodyAsJsonArray().size());
      JsonObject done = http.call(HttpMethod.POST, "/threads/" + thread + "/runs/wait", new JsonObject()
          .put("assistant_id", "hitl").put("command", new JsonObject().put("resume", "yes")), a).bodyAsJsonObject();
      assertEquals(true, done.getBoolean("published"), done.encode());
      assertEquals(historyBefore + 2, http.call(HttpMethod.POST, "/threads/" + thread + "/history",
          new JsonObject().put("limit", 100), a).bodyAsJsonArray().size());
    }
  }
}
