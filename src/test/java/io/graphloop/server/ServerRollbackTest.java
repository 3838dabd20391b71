package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback as LangGraph Server does it (its worker deletes a rolled-back run with its checkpoints; the JS reference
 * server's checkpointer deletes the checkpoints whose metadata names the run, {@code checkpointer.delete(thread,
 * run_id)}): {@code multitask_strategy: "rollback"} and {@code cancel?action=rollback} leave no checkpoint of the
 * cancelled run in the thread's history, the run itself is gone (404), and the thread's values are those from before
 * it. Real HTTP on 127.0.0.1; the run is cancelled after it saved checkpoints of its own.
 */
class ServerRollbackTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  @Test
  void multitaskRollbackDeletesTheCancelledRunAndItsCheckpoints() throws InterruptedException {
    String thread = server.thread();
    server.post("/threads/" + thread + "/runs/wait", slow(10));
    List<String> before = checkpointIds(thread);
    String doomed = server.post("/threads/" + thread + "/runs", slow(5_000)).json().getString("run_id");
    awaitCheckpointOf(thread, doomed);

    JsonObject after = server.post("/threads/" + thread + "/runs/wait", slow(10).put("multitask_strategy", "rollback"))
        .json();
    assertEquals(new JsonArray().add("first").add("second").add("first").add("second"), after.getJsonArray("trail"),
        "the new run started from the state before the rolled-back one: " + after.encode());
    JsonArray history = server.post("/threads/" + thread + "/history", new JsonObject().put("limit", 100)).array();
    for (Object state : history) {
      assertFalse(doomed.equals(((JsonObject) state).getJsonObject("metadata").getString("run_id")),
          "no checkpoint of the rolled-back run is left: " + state);
    }
    List<String> ids = checkpointIds(thread);
    assertEquals(before, ids.subList(ids.size() - before.size(), ids.size()), "the earlier history is intact");
    assertEquals(404, server.get("/threads/" + thread + "/runs/" + doomed).status(), "the run is deleted");
  }

  @Test
  void cancelWithRollbackRestoresTheThread() throws InterruptedException {
    String thread = server.thread();
    server.post("/threads/" + thread + "/runs/wait", slow(10));
    JsonObject valuesBefore = server.get("/threads/" + thread + "/state").json().getJsonObject("values");
    List<String> before = checkpointIds(thread);
    String doomed = server.post("/threads/" + thread + "/runs", slow(5_000)).json().getString("run_id");
    awaitCheckpointOf(thread, doomed);
    ServerFixture.Answer cancel = server.post("/threads/" + thread + "/runs/" + doomed
        + "/cancel?wait=1&action=rollback", "");
    assertEquals(204, cancel.status(), cancel.body());
    assertEquals(before, checkpointIds(thread), "the thread's history is as before the run");
    assertEquals(valuesBefore, server.get("/threads/" + thread + "/state").json().getJsonObject("values"));
    JsonObject record = server.get("/threads/" + thread).json();
    assertEquals(valuesBefore, record.getJsonObject("values"));
    assertEquals("idle", record.getString("status"));
    assertEquals(404, server.get("/threads/" + thread + "/runs/" + doomed).status());
    JsonObject again = server.post("/threads/" + thread + "/runs/wait", slow(10)).json();
    assertEquals(4, again.getJsonArray("trail").size(), "the thread goes on from before the rolled-back run");
  }

  private static JsonObject slow(int delayMs) {
    return new JsonObject().put("assistant_id", "slow").put("input", new JsonObject().put("delayMs", delayMs));
  }

  private static List<String> checkpointIds(String thread) {
    List<String> ids = new ArrayList<>();
    server.post("/threads/" + thread + "/history", new JsonObject().put("limit", 100)).array()
        .forEach(state -> ids.add(((JsonObject) state).getString("checkpoint_id")));
    return ids;
  }

  /** Waits (bounded) until run {@code runId} has saved a checkpoint of its own on the thread. */
  private static void awaitCheckpointOf(String thread, String runId) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      for (Object state : server.post("/threads/" + thread + "/history", new JsonObject().put("limit", 100)).array()) {
        if (runId.equals(((JsonObject) state).getJsonObject("metadata").getString("run_id"))) {
          return;
        }
      }
      Thread.sleep(25);
    }
    assertTrue(false, "run " + runId + " saved no checkpoint within 5 s");
  }
}
