package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /runs/cancel} (the SDKs' {@code runs.cancel_many}): by {@code thread_id} and {@code run_ids}, by
 * {@code status} (on a thread or everywhere), with {@code action=rollback}; runs already ended are left as they are;
 * bad requests are 422 naming what is wrong, unknown threads and runs 404 (nothing cancelled). Real HTTP on
 * 127.0.0.1 ({@link ServerFixture}, graph {@code slow}).
 */
class RunsCancelTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  private static JsonObject slow(int delayMs) {
    return new JsonObject().put("assistant_id", "slow").put("input", new JsonObject().put("delayMs", delayMs));
  }

  private static String startSlow(String thread, int delayMs) {
    return server.post("/threads/" + thread + "/runs", slow(delayMs).put("multitask_strategy", "enqueue")).json()
        .getString("run_id");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String status(String thread, String run) {
    return server.get("/threads/" + thread + "/runs/" + run + "/join").status() == 200
        ? server.get("/threads/" + thread + "/runs/" + run).json().getString("status") : "missing";
  }

  @Test
  void cancelsTheNamedRunsOfAThread() {
    String thread = server.thread();
    String first = startSlow(thread, 5_000);
    String queued = startSlow(thread, 5_000);
    String done = server.post("/threads", new JsonObject()).json().getString("thread_id");
    server.post("/threads/" + done + "/runs/wait", slow(1));
    ServerFixture.Answer cancelled = server.post("/runs/cancel", new JsonObject().put("thread_id", thread)
        .put("run_ids", new JsonArray().add(first).add(queued)));
    assertEquals(204, cancelled.status(), cancelled.body());
    assertEquals("interrupted", status(thread, first));
    assertEquals("interrupted", status(thread, queued));
    assertEquals("idle", server.get("/threads/" + thread).json().getString("status"));
  }

  @Test
  void cancelsByStatusWithRollback() {
    String thread = server.thread();
    server.post("/threads/" + thread + "/runs/wait", slow(1));
    int before = server.post("/threads/" + thread + "/history", new JsonObject().put("limit", 100)).array().size();
    String running = startSlow(thread, 5_000);
    String other = server.thread();
    String elsewhere = startSlow(other, 5_000);
    ServerFixture.Answer cancelled = server.post("/runs/cancel?action=rollback", new JsonObject()
        .put("thread_id", thread).put("status", "all"));
    assertEquals(204, cancelled.status(), cancelled.body());
    server.get("/threads/" + thread + "/runs/" + running + "/join");
    long deadline = System.currentTimeMillis() + 10_000;
    while (server.get("/threads/" + thread + "/runs/" + running).status() != 404
        && System.currentTimeMillis() < deadline) {
      sleep(50);
    }
    assertEquals(404, server.get("/threads/" + thread + "/runs/" + running).status(), "rolled back: deleted");
    assertEquals(before, server.post("/threads/" + thread + "/history", new JsonObject().put("limit", 100)).array()
        .size(), "its checkpoints are gone");
    assertTrue(java.util.List.of("pending", "running").contains(server.get("/threads/" + other + "/runs/"
        + elsewhere).json().getString("status")), "another thread's run is not touched");

    assertEquals(204, server.post("/runs/cancel", new JsonObject().put("status", "running")).status());
    assertEquals("interrupted", status(other, elsewhere));
  }

  /**
   * A single run's cancel answers as LangGraph Server does (not the spec's 200, which no server sends): 202 once the
   * cancel is sent, 204 with {@code wait} once the run has ended; no body either way (the JS SDK reads a body of any
   * other 2xx as JSON). A run that has already ended is 409.
   */
  @Test
  void aSingleCancelIs202Or204WhenItWaits() {
    String thread = server.thread();
    String sent = startSlow(thread, 5_000);
    ServerFixture.Answer accepted = server.post("/threads/" + thread + "/runs/" + sent + "/cancel", "");
    assertEquals(202, accepted.status(), accepted.body());
    assertEquals("", accepted.body());
    assertEquals("interrupted", status(thread, sent));
    String waited = startSlow(thread, 5_000);
    ServerFixture.Answer ended = server.post("/threads/" + thread + "/runs/" + waited + "/cancel?wait=true", "");
    assertEquals(204, ended.status(), ended.body());
    assertEquals("interrupted", server.get("/threads/" + thread + "/runs/" + waited).json().getString("status"));
    assertEquals(409, server.post("/threads/" + thread + "/runs/" + waited + "/cancel", "").status());
  }

  @Test
  void badRequestsAreRefusedClearly() {
    String thread = server.thread();
    ServerFixture.Answer neither = server.post("/runs/cancel", new JsonObject().put("thread_id", thread));
    assertEquals(422, neither.status(), neither.body());
    assertTrue(neither.detail().contains("'status'") && neither.detail().contains("'run_ids'"), neither.body());
    ServerFixture.Answer badStatus = server.post("/runs/cancel", new JsonObject().put("status", "done"));
    assertEquals(422, badStatus.status());
    assertTrue(badStatus.detail().contains("status"), badStatus.body());
    assertEquals(422, server.post("/runs/cancel?action=stop", new JsonObject().put("status", "all")).status());
    assertEquals(422, server.post("/runs/cancel", new JsonObject().put("status", "all").put("run_ids",
        new JsonArray().add("x")).put("thread_id", thread)).status());
    assertEquals(422, server.post("/runs/cancel", new JsonObject().put("status", "all").put("runs", 1)).status());
    ServerFixture.Answer unknownThread = server.post("/runs/cancel", new JsonObject()
        .put("thread_id", "00000000-0000-0000-0000-000000000000").put("run_ids", new JsonArray().add("r")));
    assertEquals(404, unknownThread.status(), unknownThread.body());
    String live = startSlow(thread, 5_000);
    ServerFixture.Answer unknownRun = server.post("/runs/cancel", new JsonObject().put("thread_id", thread)
        .put("run_ids", new JsonArray().add(live).add("no-such-run")));
    assertEquals(404, unknownRun.status(), unknownRun.body());
    assertTrue(unknownRun.detail().contains("no-such-run"), unknownRun.body());
    assertTrue(java.util.List.of("pending", "running").contains(server.get("/threads/" + thread + "/runs/" + live)
        .json().getString("status")), "nothing was cancelled");
    assertEquals(204, server.post("/runs/cancel", new JsonObject().put("thread_id", thread)
        .put("run_ids", new JsonArray().add(live))).status());
  }
}
