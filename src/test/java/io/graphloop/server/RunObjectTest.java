package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Run object's {@code metadata} and {@code kwargs} as LangGraph Server fills them ({@link RunFields}; the expected
 * values are those {@code langgraphjs dev} 1.5.1 answered to the same requests, captured on 2026-12-06), for runs
 * created every way: background on a thread, stream, wait, a command, stateless, a batch; read back by get and list.
 * Real HTTP on 127.0.0.1 ({@link ServerFixture}).
 */
class RunObjectTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass();

  private static final String[] HEADERS = {"User-Agent", "test-ua", "X-Request-Source", "unit", "x-api-key", "never"};

  private static JsonObject run(String thread, String runId) {
    return server.get("/threads/" + thread + "/runs/" + runId).json();
  }

  @Test
  void aThreadRunRecordsItsMergedMetadataAndKwargs() {
    String thread = server.post("/threads", new JsonObject().put("metadata", new JsonObject().put("owner", "c")))
        .json().getString("thread_id");
    JsonObject created = server.post("/threads/" + thread + "/runs", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "hi")).put("metadata", new JsonObject().put("m", 1))
        .put("config", new JsonObject().put("tags", new JsonArray().add("t"))
            .put("configurable", new JsonObject().put("x", 1)))
        .put("stream_mode", new JsonArray().add("values")), HEADERS).json();
    String runId = created.getString("run_id");
    String assistant = created.getString("assistant_id");
    JsonObject metadata = new JsonObject().put("created_by", "system").put("owner", "c").put("graph_id", "echo")
        .put("assistant_id", assistant).put("m", 1);
    assertEquals(metadata, created.getJsonObject("metadata"));
    JsonObject kwargs = created.getJsonObject("kwargs");
    assertEquals(new JsonObject().put("in", "hi"), kwargs.getJsonObject("input"));
    assertFalse(kwargs.containsKey("command"));
    JsonObject config = kwargs.getJsonObject("config");
    assertEquals(new JsonArray().add("t"), config.getJsonArray("tags"));
    assertEquals(new JsonObject().put("x", 1).put("user-agent", "test-ua").put("x-request-source", "unit")
        .put("run_id", runId).put("thread_id", thread).put("graph_id", "echo").put("assistant_id", assistant),
        config.getJsonObject("configurable"), "no x-api-key: LangGraph never records it");
    assertEquals(metadata, config.getJsonObject("metadata"));
    assertEquals(new JsonObject(), kwargs.getJsonObject("context"));
    assertEquals(new JsonArray().add("values"), kwargs.getJsonArray("stream_mode"));
    assertEquals(false, kwargs.getBoolean("temporary"));
    assertEquals(false, kwargs.getBoolean("subgraphs"));
    assertEquals(false, kwargs.getBoolean("resumable"));
    assertFalse(kwargs.containsKey("interrupt_before") || kwargs.containsKey("on_disconnect"), kwargs.encode());
    server.get("/threads/" + thread + "/runs/" + runId + "/join");
    assertEquals(created.getJsonObject("kwargs"), run(thread, runId).getJsonObject("kwargs"), "get reads the same");
    assertEquals(metadata, server.get("/threads/" + thread + "/runs").array().getJsonObject(0)
        .getJsonObject("metadata"), "list reads the same");
  }

  @Test
  void streamedWaitedAndCommandRunsRecordWhatTheyWereCreatedWith() {
    String thread = server.thread();
    ServerFixture.Stream streamed = server.stream("/threads/" + thread + "/runs/stream", new JsonObject()
        .put("assistant_id", "hitl").put("input", new JsonObject().put("topic", "t"))
        .put("interrupt_after", new JsonArray().add("draft")).put("stream_subgraphs", true)
        .put("stream_resumable", true).put("context", new JsonObject().put("c", 1))
        .put("feedback_keys", "f").put("multitask_strategy", "enqueue"), 100);
    String first = streamed.events().get(0).json().getString("run_id");
    JsonObject kwargs = run(thread, first).getJsonObject("kwargs");
    assertEquals(new JsonArray().add("draft"), kwargs.getJsonArray("interrupt_after"));
    assertEquals(new JsonArray().add("f"), kwargs.getJsonArray("feedback_keys"));
    assertEquals(new JsonObject().put("c", 1), kwargs.getJsonObject("context"));
    assertTrue(kwargs.getBoolean("subgraphs") && kwargs.getBoolean("resumable"), kwargs.encode());
    assertEquals("enqueue", run(thread, first).getString("multitask_strategy"));

    server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "hitl")
        .put("command", new JsonObject().put("resume", "yes")));
    JsonObject resumed = server.get("/threads/" + thread + "/runs").array().getJsonObject(0);
    assertEquals(new JsonObject().put("resume", "yes"), resumed.getJsonObject("kwargs").getJsonObject("command"));
    assertFalse(resumed.getJsonObject("kwargs").containsKey("input"), resumed.encode());
    assertEquals("hitl", resumed.getJsonObject("metadata").getString("graph_id"));
  }

  @Test
  void statelessRunsHaveTheAssistantsAndTheirOwnMetadataAndAreTemporary() {
    JsonObject created = server.post("/runs", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "s")).put("metadata", new JsonObject().put("k", "v"))).json();
    assertEquals(new JsonObject().put("created_by", "system").put("k", "v"), created.getJsonObject("metadata"));
    JsonObject kwargs = created.getJsonObject("kwargs");
    assertEquals(true, kwargs.getBoolean("temporary"));
    JsonObject configurable = kwargs.getJsonObject("config").getJsonObject("configurable");
    assertEquals(created.getString("run_id"), configurable.getString("run_id"));
    assertEquals("echo", configurable.getString("graph_id"));
    assertNull(configurable.getValue("thread_id"));
    JsonObject kept = server.post("/runs", new JsonObject().put("assistant_id", "echo").put("input", new JsonObject())
        .put("on_completion", "keep")).json();
    assertEquals(false, kept.getJsonObject("kwargs").getBoolean("temporary"));

    JsonArray batch = server.post("/runs/batch", new JsonArray().add(new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "b"))), HEADERS).array();
    JsonObject batched = batch.getJsonObject(0);
    assertEquals(new JsonObject().put("created_by", "system"), batched.getJsonObject("metadata"));
    assertEquals("test-ua", batched.getJsonObject("kwargs").getJsonObject("config").getJsonObject("configurable")
        .getString("user-agent"));
    for (String bad : List.of("1", "[1]")) {
      ServerFixture.Answer refused = server.post("/runs", "{\"assistant_id\": \"echo\", \"feedback_keys\": " + bad
          + "}");
      assertEquals(422, refused.status(), refused.body());
      assertTrue(refused.detail().contains("feedback_keys"), refused.body());
    }
  }
}
