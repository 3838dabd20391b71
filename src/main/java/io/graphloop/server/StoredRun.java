package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A run on a thread as servers that share their records store it ({@link ThreadStore#saveRun}): LangGraph's Run
 * object, its outcome once it has ended, and where it runs: {@code origin}, the event-bus address of the server that
 * started it and follows its events ({@link PeerRuns}), with {@code secret}, which that server asks of the servers
 * that forward a join, a join-stream or a cancel of it to it.
 *
 * <p>Immutable; any thread.
 */
record StoredRun(String runId, String threadId, String owner, String assistantId, String graphId, String status,
                 Instant createdAt, Instant updatedAt, JsonObject metadata, JsonObject kwargs,
                 String multitaskStrategy, JsonObject values, JsonObject error, List<JsonObject> interrupts,
                 String origin, String secret) {

  boolean isActive() {
    return RunRecord.PENDING.equals(status) || RunRecord.RUNNING.equals(status);
  }

  /** LangGraph's Run object, as {@link RunRecord#toJson()}. */
  JsonObject toJson() {
    return new JsonObject().put("run_id", runId).put("thread_id", threadId).put("assistant_id", assistantId)
        .put("created_at", createdAt.toString()).put("updated_at", updatedAt.toString()).put("status", status)
        .put("metadata", metadata).put("kwargs", kwargs).put("multitask_strategy", multitaskStrategy);
  }

  String path() {
    return "/threads/" + threadId + "/runs/" + runId;
  }

  /** What {@code join} answers: the final values, or {@code {"__error__": ...}}, as {@link RunRecord}'s. */
  JsonObject outcome() {
    return error != null ? new JsonObject().put("__error__", error) : values == null ? new JsonObject() : values;
  }

  /** The outcome columns: {@code {"values", "error", "interrupts"}}, or {@code null} while the run is active. */
  String outcomeJson() {
    if (isActive()) {
      return null;
    }
    return new JsonObject().put("values", values).put("error", error)
        .put("interrupts", new JsonArray(new ArrayList<>(interrupts))).encode();
  }

  /** This run ended with {@code status} and {@code error} (a run whose server is gone), now. */
  StoredRun ended(String endStatus, JsonObject endError) {
    return new StoredRun(runId, threadId, owner, assistantId, graphId, endStatus, createdAt, Instant.now(), metadata,
        kwargs, multitaskStrategy, null, endError, List.of(), origin, secret);
  }

  /** The outcome parts of {@link #outcomeJson()} text ({@code null}: none yet). */
  static JsonObject parseOutcome(String json) {
    return json == null ? new JsonObject() : new JsonObject(json);
  }

  static List<JsonObject> interruptsOf(JsonObject outcome) {
    List<JsonObject> list = new ArrayList<>();
    JsonArray array = outcome.getJsonArray("interrupts");
    if (array != null) {
      array.forEach(item -> list.add((JsonObject) item));
    }
    return List.copyOf(list);
  }
}
