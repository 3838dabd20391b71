package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each endpoint's errors over real HTTP on 127.0.0.1: LangGraph's {@code {"detail": ...}} body with its status (400
 * bad JSON, 404 unknown ids, 409 conflicts, 413 too large, 422 wrong fields, 501 not supported yet), a message that
 * names what was wrong, and never a stack trace.
 */
class ServerErrorsTest {

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions().setMaxBodyBytes(2048));

  private static void refused(ServerFixture.Answer answer, int status, String... fragments) {
    assertEquals(status, answer.status(), answer.body());
    String detail = answer.detail();
    for (String fragment : fragments) {
      assertTrue(detail.contains(fragment), "'" + detail + "' should say '" + fragment + "'");
    }
    assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertTrue(!answer.body().contains("\tat "), "no stack trace: " + answer.body());
  }

  @Test
  void okAndInfoAnswer() {
    assertEquals(new JsonObject().put("ok", true), server.get("/ok").json());
    JsonObject info = server.get("/info").json();
    assertEquals(new JsonArray().add("echo").add("slow").add("hitl").add("boom"), info.getJsonArray("graphs"));
  }

  @Test
  void unknownRouteIs404() {
    refused(server.get("/nowhere"), 404, "GET /nowhere");
  }

  @Test
  void badJsonIs400AndNonObjectBodyIs422() {
    refused(server.post("/threads", "{not json"), 400, "not valid JSON");
    refused(server.post("/threads", "[1,2]"), 422, "must be a JSON object", "array");
    refused(server.post("/runs/wait", "\"text\""), 422, "must be a JSON object", "string");
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = new JsonObject().put("assistant_id", "echo").put("input", new JsonObject().put("in", "x".repeat(4096)))
        .encode();
    refused(server.post("/runs/wait", big), 413, "maxBodyBytes");
  }

  @Test
  void runRequestFieldsAreChecked() {
    refused(server.post("/runs/wait", new JsonObject()), 422, "'assistant_id' is required");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", 5)), 422, "'assistant_id'", "number 5");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "echo").put("input", "hi")), 422,
        "'input'", "string \"hi\"");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "echo").put("stream_mode", "everything")),
        422, "Unknown stream mode 'everything'", "values");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "echo").put("stream_mode", 3)), 422,
        "'stream_mode'", "a string or an array of strings");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "echo").put("inptu", new JsonObject())),
        422, "Unknown field 'inptu'", "input");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "echo").put("multitask_strategy", "queue")),
        422, "'multitask_strategy'", "enqueue");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "echo").put("interrupt_before",
        new JsonArray().add("nope"))), 422, "Unknown node 'nope'", "echo");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "echo").put("config",
        new JsonObject().put("recursion_limit", "many"))), 422, "config.recursion_limit");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("command", new JsonObject().put("resume", "yes"))), 422, "stateless run has no thread");
    String thread = server.thread();
    refused(server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("command", new JsonObject())), 422, "'command' is empty", "resume", "update", "goto");
    refused(server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("command", new JsonObject().put("update", "x"))), 422, "'command.update'", "[channel, value] pairs");
    refused(server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("command", new JsonObject().put("goto", new JsonObject().put("node", "echo")))), 422, "a Send");
    refused(server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("command", new JsonObject().put("goto", 7))), 422, "'command.goto'", "node name");
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "echo").put("stream_mode", "sideways")),
        422, "Unknown stream mode 'sideways'", "checkpoints", "events");
  }

  @Test
  void unknownAssistantIs404NamingTheGraphs() {
    refused(server.post("/runs/wait", new JsonObject().put("assistant_id", "nope")), 404, "Assistant 'nope'", "echo");
    refused(server.get("/assistants/nope"), 404, "Assistant 'nope'");
    refused(server.get("/assistants/nope/graph"), 404, "Assistant 'nope'");
    refused(server.get("/assistants/echo/graph?xray=maybe"), 422, "'xray'");
    refused(server.post("/assistants/search", new JsonObject().put("limit", "ten")), 422, "'limit'", "string \"ten\"");
    refused(server.post("/assistants", new JsonObject()), 422, "'graph_id' is required");
    refused(server.post("/assistants", new JsonObject().put("graph_id", "nope")), 404, "Graph 'nope'", "echo");
    refused(server.post("/assistants", new JsonObject().put("graph_id", "echo").put("assistant_id", "x1")), 422,
        "'assistant_id'", "a UUID");
    refused(server.post("/assistants", new JsonObject().put("graph_id", "echo").put("if_exists", "maybe")), 422,
        "'if_exists'");
    refused(server.post("/assistants", new JsonObject().put("graph_id", "echo").put("config",
        new JsonObject().put("configurable", 3))), 422, "'config.configurable'");
    refused(server.method("PATCH", "/assistants/nope", new JsonObject()), 404, "Assistant 'nope'");
    refused(server.method("PATCH", "/assistants/echo", new JsonObject().put("graph", "echo")), 422,
        "Unknown field 'graph'");
    refused(server.post("/assistants/echo/latest", new JsonObject().put("version", 7)), 404, "Version 7");
    refused(server.post("/assistants/echo/latest", new JsonObject()), 422, "'version' is required");
  }

  @Test
  void unknownThreadIs404OnEveryThreadRoute() {
    String path = "/threads/00000000-0000-0000-0000-000000000000";
    refused(server.get(path), 404, "Thread '00000000-0000-0000-0000-000000000000' not found");
    refused(server.get(path + "/state"), 404, "not found");
    refused(server.post(path + "/history", new JsonObject()), 404, "not found");
    refused(server.post(path + "/state", new JsonObject().put("values", new JsonObject())), 404, "not found");
    refused(server.delete(path), 404, "not found");
    refused(server.get(path + "/runs"), 404, "not found");
    refused(server.post(path + "/runs/wait", new JsonObject().put("assistant_id", "echo")), 404, "not found");
    refused(server.post(path + "/runs/stream", new JsonObject().put("assistant_id", "echo")), 404, "not found");
  }

  @Test
  void unknownRunIs404() {
    String thread = server.thread();
    refused(server.get("/threads/" + thread + "/runs/nope"), 404, "Run 'nope'");
    refused(server.get("/threads/" + thread + "/runs/nope/join"), 404, "Run 'nope'");
    refused(server.post("/threads/" + thread + "/runs/nope/cancel", new JsonObject()), 404, "Run 'nope'");
    refused(server.get("/threads/" + thread + "/runs/nope/stream"), 404, "Run 'nope'");
  }

  @Test
  void threadCreateConflictsAndFields() {
    String id = "fixed-" + System.nanoTime();
    assertEquals(200, server.post("/threads", new JsonObject().put("thread_id", id)).status());
    refused(server.post("/threads", new JsonObject().put("thread_id", id)), 409, "already exists", "do_nothing");
    ServerFixture.Answer again = server.post("/threads", new JsonObject().put("thread_id", id)
        .put("if_exists", "do_nothing"));
    assertEquals(200, again.status());
    assertEquals(id, again.json().getString("thread_id"));
    refused(server.post("/threads", new JsonObject().put("if_exists", "overwrite")), 422, "'if_exists'", "raise");
    refused(server.post("/threads", new JsonObject().put("metadata", "x")), 422, "'metadata'", "a JSON object");
    refused(server.post("/threads", new JsonObject().put("metadata", new JsonObject().put("graph_id", "nope"))), 422,
        "graph_id 'nope'");
    refused(server.post("/threads/search", new JsonObject().put("status", "sleeping")), 422, "'status'", "idle");
    refused(server.post("/threads/" + id + "-missing/copy", new JsonObject()), 404, "not found");
  }

  @Test
  void stateUpdateErrorsComeFromTheGraph() {
    String thread = server.thread();
    refused(server.post("/threads/" + thread + "/state", new JsonObject().put("values", 5)), 422, "'values'");
    ServerFixture.Answer noGraph = server.post("/threads/" + thread + "/state",
        new JsonObject().put("values", new JsonObject().put("in", "x")));
    refused(noGraph, 409, "has no graph yet", "graph_id");
    assertEquals(200, server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "a"))).status());
    refused(server.post("/threads/" + thread + "/state", new JsonObject().put("values", new JsonObject().put("in", "b"))
        .put("as_node", "nope")), 400, "nope");
    refused(server.get("/threads/" + thread + "/state/not-a-checkpoint"), 404, "not-a-checkpoint");
  }

  @Test
  void runOnAThreadOfAnotherGraphIs409() {
    String thread = server.thread();
    assertEquals(200, server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "a"))).status());
    refused(server.post("/threads/" + thread + "/runs/wait", new JsonObject().put("assistant_id", "hitl")), 409,
        "graph 'echo'");
  }

  @Test
  void cancellingAnEndedRunIs409AndBadActionIs422() {
    String thread = server.thread();
    ServerFixture.Answer run = server.post("/threads/" + thread + "/runs", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "a")));
    String runId = run.json().getString("run_id");
    assertEquals(200, server.get("/threads/" + thread + "/runs/" + runId + "/join").status());
    refused(server.post("/threads/" + thread + "/runs/" + runId + "/cancel?action=explode", new JsonObject()), 422,
        "'action'");
    refused(server.post("/threads/" + thread + "/runs/" + runId + "/cancel", new JsonObject()), 409, "already ended");
    refused(server.get("/threads/" + thread + "/runs/" + runId + "/stream", "Last-Event-ID", "abc"), 422,
        "Last-Event-ID");
    refused(server.get("/threads/" + thread + "/runs?limit=0"), 422, "'limit'");
  }

  @Test
  void storeRequestsAreCheckedAndCronsAre501() {
    refused(server.method("PUT", "/store/items", new JsonObject()), 400, "'namespace' is required");
    refused(server.method("PUT", "/store/items", new JsonObject().put("namespace", new JsonArray().add("a.b"))
        .put("key", "k").put("value", new JsonObject())), 422, "cannot contain '.'");
    refused(server.method("PUT", "/store/items", new JsonObject().put("namespace", new JsonArray().add("a"))
        .put("key", "k")), 422, "'value' is required");
    refused(server.post("/store/items/search", new JsonObject().put("limit", 0)), 422, "limit");
    refused(server.post("/store/items/search", new JsonObject().put("query", "tea")), 422, "vector index");
    refused(server.post("/store/namespaces", new JsonObject().put("max_depth", 0)), 422, "max_depth");
    refused(server.get("/store/items?key=k"), 400, "'namespace' is required");
    refused(server.post("/runs/crons", new JsonObject()), 501, "Crons");
  }

  @Test
  void batchChecksEachRun() {
    refused(server.post("/runs/batch", new JsonObject()), 422, "JSON array");
    refused(server.post("/runs/batch", new JsonArray().add(new JsonObject().put("assistant_id", "echo")).add(5)), 422,
        "Run 1 of the batch");
  }
}
