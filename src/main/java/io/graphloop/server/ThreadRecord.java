package io.graphloop.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import io.vertx.core.Future;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * LangGraph's Thread object as the server keeps it: id, owner, times, metadata, status, and the values and
 * interrupts its last run (or state update) left, for {@code GET /threads/{id}} and thread search. Its checkpoints
 * are the graph's, on the event bus ({@code graphloop.<graph>.threads}); {@code graphId} says which graph, once a
 * run or {@code metadata.graph_id} has named one. When servers share a {@link ThreadStore}, this is the server's copy
 * of the stored record: {@link Registry#changed} saves it, {@link ThreadAdoption} refreshes it.
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
  /** The last save to the shared {@link ThreadStore} (saves of one record run one after another); never fails. */
  Future<Void> saving = Future.succeededFuture();
  /** The TTL given with {@code POST /threads} or {@code PATCH} through this server ({@link ThreadTtls}), or null. */
  io.graphloop.checkpoint.ThreadTtl ttl;
  /** Set once the thread is deleted: nothing saves it again. */
  boolean removed;

  ThreadRecord(String threadId, String owner, JsonObject metadata) {
    this(threadId, owner, metadata, Instant.now());
  }

  /** A record created at {@code createdAt} (kept to the microsecond, as the SQL stores keep it). */
  ThreadRecord(String threadId, String owner, JsonObject metadata, Instant createdAt) {
    this.threadId = threadId;
    this.owner = owner;
    this.metadata = metadata;
    this.createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
    this.updatedAt = this.createdAt;
    Object graph = metadata.getValue("graph_id");
    this.graphId = graph instanceof String ? (String) graph : null;
  }

  /**
   * A thread's status when no run is active on it, as LangGraph Server sets it from the thread's checkpoint:
   * {@code interrupted} while it has tasks due ({@code next}: an interrupt, a static breakpoint of the graph or of a
   * subgraph), else {@code idle}.
   */
  static String statusOf(io.graphloop.run.ThreadState state) {
    return state.next().isEmpty() && state.interrupts().isEmpty() ? IDLE : INTERRUPTED;
  }

  JsonObject toJson() {
    JsonObject byTask = new JsonObject();
    for (JsonObject interrupt : interrupts) {
      if (interrupt.getValue("id") == null) {
        continue; // a static breakpoint: no interrupt of a task (LangGraph's thread shows none)
      }
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
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    updatedAt = now.isAfter(updatedAt) ? now : updatedAt.plus(1, ChronoUnit.MICROS);
  }

  /**
   * Takes what {@code stored} (this thread as the shared store holds it) says: its metadata and graph always; its
   * status, values, interrupts and update time unless runs of this server are active on it (this server then knows
   * better).
   */
  void refresh(ThreadRecord stored) {
    metadata = stored.metadata;
    if (stored.graphId != null) {
      graphId = stored.graphId;
    }
    if (activeRuns == 0) {
      status = stored.status;
      values = stored.values;
      interrupts = stored.interrupts;
      updatedAt = stored.updatedAt;
    }
  }
}
