package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /threads/{id}/copy} over real HTTP on 127.0.0.1, checked against the JS reference server
 * ({@code langgraphjs dev} 1.5.1, captured 2026-12-05): the answer is the new Thread, with a new id, the original's
 * metadata plus {@code thread_id} (the new id), and the copy's history has the original's checkpoints with the same
 * ids, each naming the new thread ({@code checkpoint.thread_id}, {@code metadata.thread_id}) and keeping its
 * {@code run_id}. Beyond the reference (whose in-memory copy is not checked further): a copied interrupted thread is
 * resumed on its own while the original still waits.
 */
class ServerThreadCopyTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  @Test
  void aCopyIsANewThreadWithTheOriginalsHistory() {
    String original = server.post("/threads", new JsonObject().put("metadata", new JsonObject().put("a", 1)))
        .json().getString("thread_id");
    JsonObject asked = server.post("/threads/" + original + "/runs/wait", new JsonObject().put("assistant_id", "hitl")
        .put("input", new JsonObject().put("topic", "cats"))).json();
    assertEquals("Draft about cats", asked.getString("text"));

    ServerFixture.Answer answer = server.post("/threads/" + original + "/copy", new JsonObject());
    assertEquals(200, answer.status(), answer.body());
    JsonObject copy = answer.json();
    String copyId = copy.getString("thread_id");
    assertNotEquals(original, copyId);
    assertEquals(1, copy.getJsonObject("metadata").getInteger("a"));
    assertEquals("hitl", copy.getJsonObject("metadata").getString("graph_id"));
    assertEquals(copyId, copy.getJsonObject("metadata").getString("thread_id"), "as the reference: the new id");
    assertEquals("interrupted", copy.getString("status"));
    assertEquals("Draft about cats", copy.getJsonObject("values").getString("text"));
    assertEquals(copy, server.get("/threads/" + copyId).json(), "the copy is a thread of its own");

    JsonArray before = server.post("/threads/" + original + "/history", new JsonObject()).array();
    JsonArray copied = server.post("/threads/" + copyId + "/history", new JsonObject()).array();
    assertEquals(ids(before), ids(copied), "the same checkpoint ids");
    for (int i = 0; i < copied.size(); i++) {
      JsonObject state = copied.getJsonObject(i);
      assertEquals(copyId, state.getJsonObject("checkpoint").getString("thread_id"));
      assertEquals(copyId, state.getJsonObject("metadata").getString("thread_id"));
      assertEquals(before.getJsonObject(i).getJsonObject("metadata").getString("run_id"),
          state.getJsonObject("metadata").getString("run_id"), "the run that wrote it");
      assertEquals(before.getJsonObject(i).getJsonObject("values"), state.getJsonObject("values"));
    }

    JsonObject published = server.post("/threads/" + copyId + "/runs/wait", new JsonObject()
        .put("assistant_id", "hitl").put("command", new JsonObject().put("resume", "yes"))).json();
    assertEquals(true, published.getBoolean("published"), published.encode());
    JsonObject stillWaiting = server.get("/threads/" + original + "/state").json();
    assertEquals(new JsonArray().add("approve"), stillWaiting.getJsonArray("next"));
    assertEquals("interrupted", server.get("/threads/" + original).json().getString("status"));
    assertEquals(before.size(), server.post("/threads/" + original + "/history", new JsonObject()).array().size());
  }

  @Test
  void aThreadWithoutCheckpointsIsCopiedAsARecordAndUnknownOnesAre404() {
    String fresh = server.post("/threads", new JsonObject().put("metadata", new JsonObject().put("graph_id", "echo")))
        .json().getString("thread_id");
    ServerFixture.Answer copy = server.post("/threads/" + fresh + "/copy", "");
    assertEquals(200, copy.status(), copy.body());
    String copyId = copy.json().getString("thread_id");
    assertEquals("idle", copy.json().getString("status"));
    assertEquals(new JsonObject(), server.get("/threads/" + copyId + "/state").json().getJsonObject("values"));
    JsonObject ran = server.post("/threads/" + copyId + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "x"))).json();
    assertEquals("x!", ran.getString("out"));
    ServerFixture.Answer unknown = server.post("/threads/00000000-0000-0000-0000-000000000000/copy", new JsonObject());
    assertEquals(404, unknown.status(), unknown.body());
    assertTrue(unknown.detail().contains("not found"), unknown.body());
    ServerFixture.Answer withBody = server.post("/threads/" + fresh + "/copy", new JsonObject().put("x", 1));
    assertEquals(422, withBody.status(), withBody.body());
  }

  private static List<String> ids(JsonArray history) {
    List<String> ids = new ArrayList<>();
    history.forEach(state -> ids.add(((JsonObject) state).getString("checkpoint_id")));
    return ids;
  }
}
