package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code POST /threads/{id}/state} sets a thread's values only, as LangGraph Server does (the JS reference's
 * {@code State.post}, measured with {@code langgraphjs dev} 1.5.1 by {@code SdkDifferentialIT}'s
 * {@code update_state_as_node} flow): the thread's {@code status} and {@code interrupts} stay those its last run left,
 * even when the update leaves tasks due; the next run sets them. Over real HTTP on 127.0.0.1 ({@link ServerFixture}).
 */
class ServerStateUpdateStatusTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  @Test
  void anUpdateLeavingTasksDueKeepsAnIdleThreadIdle() {
    String thread = server.post("/threads", new JsonObject().put("metadata", new JsonObject()
        .put("graph_id", "hitl"))).json().getString("thread_id");
    ServerFixture.Answer updated = server.post("/threads/" + thread + "/state", new JsonObject()
        .put("values", new JsonObject().put("topic", "cats").put("text", "by hand")).put("as_node", "draft"));
    assertEquals(200, updated.status(), updated.body());
    JsonObject after = server.get("/threads/" + thread).json();
    assertEquals("idle", after.getString("status"), "the status its last run (none) left: " + after);
    assertEquals(new JsonObject().put("topic", "cats").put("text", "by hand"), after.getJsonObject("values"));
    assertEquals(new JsonArray().add("approve"), server.get("/threads/" + thread + "/state").json()
        .getJsonArray("next"), "the update left approve due");

    JsonObject interrupted = server.post("/threads/" + thread + "/runs/wait", new JsonObject()
        .put("assistant_id", "hitl")).json();
    assertEquals("by hand", interrupted.getString("text"));
    assertEquals("interrupted", server.get("/threads/" + thread).json().getString("status"), "set by the run");
  }

  @Test
  void anUpdateOfAnInterruptedThreadKeepsItsStatusAndInterrupts() {
    String thread = server.thread();
    server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "hitl")
        .put("input", new JsonObject().put("topic", "owls")));
    JsonObject before = server.get("/threads/" + thread).json();
    assertEquals("interrupted", before.getString("status"));
    assertEquals(1, before.getJsonObject("interrupts").size(), before.encode());

    assertEquals(200, server.post("/threads/" + thread + "/state", new JsonObject()
        .put("values", new JsonObject().put("answer", "yes")).put("as_node", "approve")).status());
    JsonObject after = server.get("/threads/" + thread).json();
    assertEquals("interrupted", after.getString("status"), after.encode());
    assertEquals(before.getJsonObject("interrupts"), after.getJsonObject("interrupts"));
    assertEquals("yes", after.getJsonObject("values").getString("answer"), "the values are the update's");

    JsonObject done = server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "hitl"))
        .json();
    assertEquals(true, done.getBoolean("published"), done.encode());
    JsonObject ended = server.get("/threads/" + thread).json();
    assertEquals("idle", ended.getString("status"));
    assertEquals(new JsonObject(), ended.getJsonObject("interrupts"));
  }
}
