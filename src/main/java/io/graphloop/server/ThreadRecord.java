package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * LangGraph's Thread object as the server keeps it: id, owner, times, metadata, status, and the values and
 * interrupts its last run (or state update) left, for {@code GET /threads/{id}} and thread search. Its checkpoints
 * are the graph's, on the event bus ({@code graphloop.<graph>.threads}); {@code graphId} says which graph, once a
 * run or {@code metadata.graph_id} has named one.
 *
 * <p>Thread rules: confined to the server verticle's context.
 */
final class ThreadRecord {

  static final String IDLE = "idle";
  static final String BUSY = "busy";
  static final String INTERRUPTED = "interrupted";
  static final String ERROR = "error";

  final String threadId;
  final String owner;
  final Instant createdAt;
  Instant updatedAt;
  JsonObject metadata;
  String graphId;
  String status = IDLE;
  JsonObject values = new JsonObject();
  List<JsonObject> interrupts = List.of();
  /** Runs on this thread not yet ended, to tell busy from idle. */
  int activeRuns;

  ThreadRecord(String threadId, String owner, JsonObject metadata) {
    this.threadId = threadId;
    this.owner = owner;
    this.metadata = metadata;
    this.createdAt = Instant.now();
    this.updatedAt = createdAt;
    Object graph = metadata.getValue("graph_id");
    this.graphId = graph instanceof String ? (String) graph : null;
  }

  JsonObject toJson() {
    JsonObject byTask = new JsonObject();
    for (JsonObject interrupt : interrupts) {
      String task = interrupt.getString("task_id", interrupt.getString("id"));
      JsonArray list = byTask.getJsonArray(task);
      if (list == null) {
        byTask.put(task, list = new JsonArray());
      }
      list.add(new JsonObject().put("id", interrupt.getValue("id")).put("value", interrupt.getValue("value")));
    }
    return new JsonObject().put("thread_id", threadId).put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString()).put("metadata", metadata).put("status", status)
        .put("values", values).put("interrupts", byTask).put("config", new JsonObject());
  }

  void touch() {
    updatedAt = Instant.now();
  }
}
