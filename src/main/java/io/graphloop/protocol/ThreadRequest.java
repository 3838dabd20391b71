package io.graphloop.protocol;

import io.graphloop.checkpoint.ThreadTtl;
import io.graphloop.run.ThreadUpdate;
import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request about one thread of a graph, sent to {@code graphloop.<graph>.threads} (LangGraph's {@code get_state},
 * {@code get_state_history} and {@code update_state}). JSON form:
 * {@code {"op": "get"|"history"|"update"|"delete"|"bulkUpdate"|"copy"|"rollback"|"setTtl"|"ttl", "threadId",
 * "checkpointId"?, "limit"?, "before"?, "values"?, "asNode"?, "subgraphs"?, "supersteps"?, "toThreadId"?, "runId"?,
 * "ttl"?, "checkpointNs"?}}. With {@code checkpointNs} (ops {@code get}, {@code history}, {@code update},
 * {@code bulkUpdate}) the request is about a subgraph's own checkpoints under the thread, in that namespace
 * (LangGraph's config whose {@code checkpoint_ns} names the child): it is answered by the thread's graph, which finds
 * the child graph by the namespace's node names; states in the reply carry the namespace as
 * {@code metadata.checkpointNs}.
 *
 * <ul>
 *   <li>{@code get}: the thread's latest checkpoint, or {@code checkpointId}; the reply is a {@link ThreadState}.</li>
 *   <li>{@code history}: its checkpoints, newest first, at most {@code limit} (0 or absent: all), older than
 *       {@code before} (a checkpoint id: the cursor of the next page); the reply is
 *       {@code {"threadId", "states": [ThreadState...]}}.</li>
 *   <li>{@code update}: writes {@code values} as node {@code asNode}'s update onto the latest checkpoint (or
 *       {@code checkpointId}: a fork) and saves the result as a new checkpoint; the reply is its
 *       {@link ThreadState}.</li>
 *   <li>{@code delete}: deletes the thread: every checkpoint and pending write of it (LangGraph's
 *       {@code delete_thread}); refused while a run holds it; the reply is {@code {"threadId", "deleted": true}}.</li>
 *   <li>{@code bulkUpdate} (LangGraph's {@code bulk_update_state}): applies {@code supersteps} in order, from the
 *       latest checkpoint (or {@code checkpointId}), each superstep's updates together as one step (as if those
 *       nodes had run in it), one checkpoint per superstep; the reply is the last one's {@link ThreadState}.</li>
 *   <li>{@code copy}: copies the thread, its whole history with the same checkpoint ids, into the new thread
 *       {@code toThreadId} (LangGraph Server's thread copy); refused when {@code toThreadId} already has
 *       checkpoints; the reply is the copy's latest {@link ThreadState}.</li>
 *   <li>{@code rollback}: deletes the checkpoints run {@code runId} wrote on the thread, which must be its newest
 *       (LangGraph Server's rollback of a cancelled run); refused while a run holds the thread; the reply is
 *       {@code {"threadId", "runId", "deleted": <count>}}.</li>
 *   <li>{@code setTtl}: gives the thread a TTL of its own, {@code ttl} ({@code {"ttl": minutes, "strategy":
 *       "delete"|"keep_latest"}}, LangGraph Server's per-thread TTL; the thread need not have checkpoints yet), or
 *       removes it ({@code ttl} absent); the reply is {@code {"threadId", "ttl": {...} | null}}.</li>
 *   <li>{@code ttl}: reads the thread's own TTL; the reply is {@code {"threadId", "ttl": {"strategy", "ttl"} |
 *       null}} (null: none; the thread need not have checkpoints).</li>
 * </ul>
 *
 * <p>Immutable (values frozen), so it travels by reference inside a JVM.
 *
 * @param op           what to do
 * @param threadId     the thread, not blank
 * @param checkpointId a checkpoint of the thread, or {@code null} for the latest
 * @param limit        {@code history}: at most this many states; 0 for all
 * @param before       {@code history}: only checkpoints older than this id, or {@code null}
 * @param values       {@code update}: the channel writes, or {@code null} for none
 * @param asNode       {@code update}: the node the writes count as (its edges plan the next tasks), {@code "__start__"}
 *                     (an input), {@code "__end__"} (no task due afterwards), or {@code null} to infer it
 * @param subgraphs    {@code get}: whether each subgraph task due shows its child's state ({@code "state"} of the
 *                     task; LangGraph's {@code get_state(config, subgraphs=True)})
 * @param supersteps   {@code bulkUpdate}: the supersteps, each a non-empty list of updates; {@code null} otherwise
 * @param toThreadId   {@code copy}: the id of the new thread, or {@code null} for the other ops
 * @param runId        {@code rollback}: the run whose checkpoints are deleted, or {@code null} for the other ops
 * @param ttl          {@code setTtl}: the thread's TTL, or {@code null} to remove it; {@code null} for the other ops
 * @param checkpointNs {@code get}, {@code history}, {@code update}, {@code bulkUpdate}: a subgraph's checkpoint
 *                     namespace ({@code "node:<uuid>"}, levels joined by {@code "|"}), or {@code null} (also for
 *                     {@code ""}) for the thread's own graph
 */
public record ThreadRequest(Op op, String threadId, String checkpointId, int limit, String before,
                            Map<String, Object> values, String asNode, boolean subgraphs,
                            List<List<ThreadUpdate>> supersteps, String toThreadId, String runId, ThreadTtl ttl,
                            String checkpointNs) {

  /** The operations. */
  public enum Op {
    GET, HISTORY, UPDATE, DELETE, BULK_UPDATE, COPY, ROLLBACK, SET_TTL, TTL;

    /** The wire name, e.g. {@code "get"}, {@code "bulkUpdate"}, {@code "setTtl"}. */
    public String wireName() {
      return this == BULK_UPDATE ? "bulkUpdate" : this == SET_TTL ? "setTtl" : name().toLowerCase(Locale.ROOT);
    }

    static Op of(String name) {
      for (Op op : values()) {
        if (op.wireName().equals(name)) {
          return op;
        }
      }
      throw new IllegalArgumentException("Field 'op' of the thread request must be one of get, history, update, "
          + "delete, bulkUpdate, copy, rollback, setTtl, ttl; was '" + name + "'");
    }
  }

  private static final Set<String> FIELDS = Set.of("op", "threadId", "checkpointId", "limit", "before", "values",
      "asNode", "subgraphs", "supersteps", "toThreadId", "runId", "ttl", "checkpointNs");

  /** A request about the thread's own graph (no {@code checkpointNs}). */
  public ThreadRequest(Op op, String threadId, String checkpointId, int limit, String before,
                       Map<String, Object> values, String asNode, boolean subgraphs,
                       List<List<ThreadUpdate>> supersteps, String toThreadId, String runId, ThreadTtl ttl) {
    this(op, threadId, checkpointId, limit, before, values, asNode, subgraphs, supersteps, toThreadId, runId, ttl,
        null);
  }

  /** A request without {@code subgraphs}. */
  public ThreadRequest(Op op, String threadId, String checkpointId, int limit, String before,
                       Map<String, Object> values, String asNode) {
    this(op, threadId, checkpointId, limit, before, values, asNode, false);
  }

  /** A request without {@code supersteps}. */
  public ThreadRequest(Op op, String threadId, String checkpointId, int limit, String before,
                       Map<String, Object> values, String asNode, boolean subgraphs) {
    this(op, threadId, checkpointId, limit, before, values, asNode, subgraphs, null);
  }

  /** A request without a {@code ttl} (any op but {@code setTtl}). */
  public ThreadRequest(Op op, String threadId, String checkpointId, int limit, String before,
                       Map<String, Object> values, String asNode, boolean subgraphs,
                       List<List<ThreadUpdate>> supersteps, String toThreadId, String runId) {
    this(op, threadId, checkpointId, limit, before, values, asNode, subgraphs, supersteps, toThreadId, runId, null);
  }

  /** A request that is neither a copy nor a rollback. */
  public ThreadRequest(Op op, String threadId, String checkpointId, int limit, String before,
                       Map<String, Object> values, String asNode, boolean subgraphs,
                       List<List<ThreadUpdate>> supersteps) {
    this(op, threadId, checkpointId, limit, before, values, asNode, subgraphs, supersteps, null, null);
  }

  /**
   * Checks and freezes the fields.
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public ThreadRequest {
    if (op == null) {
      throw new IllegalArgumentException("The thread request needs an 'op': get, history or update");
    }
    if (threadId == null || threadId.isBlank()) {
      throw new IllegalArgumentException("The thread request needs a 'threadId' (a non-blank string)");
    }
    Values.requireValidText(threadId, "the thread request's 'threadId'");
    if (checkpointId != null && checkpointId.isBlank()) {
      throw new IllegalArgumentException("Field 'checkpointId' of the thread request must not be blank (leave it "
          + "out for the thread's latest)");
    }
    if (limit < 0) {
      throw new IllegalArgumentException("Field 'limit' of the thread request must be at least 0 (0: all), was "
          + limit);
    }
    if (op != Op.HISTORY && (limit != 0 || before != null)) {
      throw new IllegalArgumentException("Fields 'limit' and 'before' belong to op \"history\", not \""
          + op.wireName() + "\"");
    }
    if (op != Op.UPDATE && (values != null || asNode != null)) {
      throw new IllegalArgumentException("Fields 'values' and 'asNode' belong to op \"update\", not \""
          + op.wireName() + "\"");
    }
    if (op == Op.DELETE && checkpointId != null) {
      throw new IllegalArgumentException("Op \"delete\" deletes the whole thread; it takes no 'checkpointId'");
    }
    if (op == Op.HISTORY && checkpointId != null) {
      throw new IllegalArgumentException("Op \"history\" takes 'before' (a cursor), not 'checkpointId'");
    }
    if (op != Op.GET && subgraphs) {
      throw new IllegalArgumentException("Field 'subgraphs' belongs to op \"get\", not \"" + op.wireName() + "\"");
    }
    if (op == Op.COPY) {
      if (toThreadId == null || toThreadId.isBlank()) {
        throw new IllegalArgumentException("Op \"copy\" needs 'toThreadId': the id of the new thread (a non-blank "
            + "string)");
      }
      Values.requireValidText(toThreadId, "the thread request's 'toThreadId'");
      if (toThreadId.equals(threadId)) {
        throw new IllegalArgumentException("Op \"copy\" copies thread '" + threadId + "' into a new thread; "
            + "'toThreadId' must be another id");
      }
      if (checkpointId != null) {
        throw new IllegalArgumentException("Op \"copy\" copies the whole thread; it takes no 'checkpointId'");
      }
    } else if (toThreadId != null) {
      throw new IllegalArgumentException("Field 'toThreadId' belongs to op \"copy\", not \"" + op.wireName()
          + "\"");
    }
    if (op == Op.ROLLBACK) {
      if (runId == null || runId.isBlank()) {
        throw new IllegalArgumentException("Op \"rollback\" needs 'runId': the run whose checkpoints to delete");
      }
      Values.requireValidText(runId, "the thread request's 'runId'");
      if (checkpointId != null) {
        throw new IllegalArgumentException("Op \"rollback\" deletes a run's checkpoints; it takes no 'checkpointId'");
      }
    } else if (runId != null) {
      throw new IllegalArgumentException("Field 'runId' belongs to op \"rollback\", not \"" + op.wireName() + "\"");
    }
    if (op != Op.SET_TTL && ttl != null) {
      throw new IllegalArgumentException("Field 'ttl' belongs to op \"setTtl\", not \"" + op.wireName() + "\"");
    }
    if (op == Op.SET_TTL && checkpointId != null) {
      throw new IllegalArgumentException("Op \"setTtl\" sets the whole thread's TTL; it takes no 'checkpointId'");
    }
    if (op == Op.BULK_UPDATE) {
      supersteps = checkedSupersteps(supersteps);
    } else if (supersteps != null) {
      throw new IllegalArgumentException("Field 'supersteps' belongs to op \"bulkUpdate\", not \"" + op.wireName()
          + "\"");
    }
    checkpointNs = checkpointNs == null || checkpointNs.isEmpty() ? null : checkpointNs;
    if (checkpointNs != null) {
      if (op != Op.GET && op != Op.HISTORY && op != Op.UPDATE && op != Op.BULK_UPDATE) {
        throw new IllegalArgumentException("Field 'checkpointNs' belongs to ops \"get\", \"history\", \"update\" "
            + "and \"bulkUpdate\" (a subgraph's checkpoints), not \"" + op.wireName() + "\"");
      }
      if (checkpointNs.isBlank() || checkpointNs.startsWith("|") || checkpointNs.endsWith("|")
          || checkpointNs.contains("||")) {
        throw new IllegalArgumentException("Field 'checkpointNs' of the thread request must be a subgraph's checkpoint "
            + "namespace ('node:<uuid>' or 'node', levels joined by '|'), was '" + checkpointNs + "'");
      }
      Values.requireValidText(checkpointNs, "the thread request's 'checkpointNs'");
    }
    values = values == null ? null : Values.freezeUpdate(values, "the values of the thread update");
  }

  /** This request with checkpoint namespace {@code checkpointNs} ({@code null} or {@code ""}: the thread's graph). */
  public ThreadRequest inNamespace(String checkpointNs) {
    return new ThreadRequest(op, threadId, checkpointId, limit, before, values, asNode, subgraphs, supersteps,
        toThreadId, runId, ttl, checkpointNs);
  }

  /** LangGraph's checks: at least one superstep, each with at least one update; a copy of the lists. */
  private static List<List<ThreadUpdate>> checkedSupersteps(List<List<ThreadUpdate>> supersteps) {
    if (supersteps == null || supersteps.isEmpty()) {
      throw new IllegalArgumentException("Op \"bulkUpdate\" needs 'supersteps': a non-empty list of supersteps, "
          + "each a non-empty list of updates {\"values\", \"asNode\"} (LangGraph: \"No supersteps provided\")");
    }
    List<List<ThreadUpdate>> copy = new ArrayList<>(supersteps.size());
    for (int i = 0; i < supersteps.size(); i++) {
      List<ThreadUpdate> updates = supersteps.get(i);
      if (updates == null || updates.isEmpty()) {
        throw new IllegalArgumentException("Superstep " + i + " of the bulk update has no updates; each superstep "
            + "needs at least one update {\"values\", \"asNode\"} (LangGraph: \"No updates provided\")");
      }
      for (int u = 0; u < updates.size(); u++) {
        if (updates.get(u) == null) {
          throw new IllegalArgumentException("Update " + u + " of superstep " + i + " of the bulk update is null");
        }
      }
      copy.add(List.copyOf(updates));
    }
    return List.copyOf(copy);
  }

  /** A request for the state of {@code threadId} (as {@link #get(String, String)}) with its subgraphs' states. */
  public static ThreadRequest get(String threadId, String checkpointId, boolean subgraphs) {
    return new ThreadRequest(Op.GET, threadId, checkpointId, 0, null, null, null, subgraphs);
  }

  /** A request for the latest state of {@code threadId} ({@code checkpointId == null}) or for one checkpoint. */
  public static ThreadRequest get(String threadId, String checkpointId) {
    return new ThreadRequest(Op.GET, threadId, checkpointId, 0, null, null, null);
  }

  /** A request for the history of {@code threadId}: at most {@code limit} (0: all) older than {@code before}. */
  public static ThreadRequest history(String threadId, int limit, String before) {
    return new ThreadRequest(Op.HISTORY, threadId, null, limit, before, null, null);
  }

  /** A request to update the state of {@code threadId} at {@code checkpointId} (null: the latest). */
  public static ThreadRequest update(String threadId, String checkpointId, Map<String, ?> values, String asNode) {
    return new ThreadRequest(Op.UPDATE, threadId, checkpointId, 0, null,
        values == null ? null : Values.freezeUpdate(values, "the values of the thread update"), asNode);
  }

  /** A request to delete thread {@code threadId}: all its checkpoints and writes. */
  public static ThreadRequest delete(String threadId) {
    return new ThreadRequest(Op.DELETE, threadId, null, 0, null, null, null);
  }

  /**
   * A request to copy thread {@code threadId} into the new thread {@code toThreadId}: all its checkpoints (same ids),
   * blobs and pending writes; the reply is the copy's latest {@link ThreadState}.
   */
  public static ThreadRequest copy(String threadId, String toThreadId) {
    return new ThreadRequest(Op.COPY, threadId, null, 0, null, null, null, false, null, toThreadId, null);
  }

  /**
   * A request to roll back run {@code runId} on thread {@code threadId}: delete the checkpoints it wrote (with their
   * writes), which must be the thread's newest; the reply is {@code {"threadId", "runId", "deleted": <count>}}.
   */
  public static ThreadRequest rollback(String threadId, String runId) {
    return new ThreadRequest(Op.ROLLBACK, threadId, null, 0, null, null, null, false, null, null, runId);
  }

  /**
   * A request to give thread {@code threadId} a TTL of its own ({@code ttl}), or to remove it ({@code null}); the
   * reply is {@code {"threadId", "ttl": {...} | null}}.
   */
  public static ThreadRequest setTtl(String threadId, ThreadTtl ttl) {
    return new ThreadRequest(Op.SET_TTL, threadId, null, 0, null, null, null, false, null, null, null, ttl);
  }

  /** A request to read thread {@code threadId}'s own TTL; the reply is {@code {"threadId", "ttl": {...} | null}}. */
  public static ThreadRequest ttl(String threadId) {
    return new ThreadRequest(Op.TTL, threadId, null, 0, null, null, null, false, null, null, null, null);
  }

  /**
   * A request to apply {@code supersteps} to the state of {@code threadId} at {@code checkpointId} (null: the latest),
   * one checkpoint per superstep (LangGraph's {@code bulk_update_state}).
   */
  public static ThreadRequest bulkUpdate(String threadId, String checkpointId,
                                         List<? extends List<ThreadUpdate>> supersteps) {
    return new ThreadRequest(Op.BULK_UPDATE, threadId, checkpointId, 0, null, null, null, false,
        supersteps == null ? null : new ArrayList<>(supersteps));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("op", op.wireName()).put("threadId", threadId);
    if (checkpointId != null) {
      json.put("checkpointId", checkpointId);
    }
    if (limit != 0) {
      json.put("limit", limit);
    }
    if (before != null) {
      json.put("before", before);
    }
    if (values != null) {
      json.put("values", new JsonObject(values));
    }
    if (asNode != null) {
      json.put("asNode", asNode);
    }
    if (subgraphs) {
      json.put("subgraphs", true);
    }
    if (supersteps != null) {
      JsonArray steps = new JsonArray();
      for (List<ThreadUpdate> updates : supersteps) {
        JsonArray step = new JsonArray();
        updates.forEach(update -> step.add(update.toJson()));
        steps.add(step);
      }
      json.put("supersteps", steps);
    }
    if (toThreadId != null) {
      json.put("toThreadId", toThreadId);
    }
    if (runId != null) {
      json.put("runId", runId);
    }
    if (ttl != null) {
      json.put("ttl", ttl.toJson());
    }
    if (checkpointNs != null) {
      json.put("checkpointNs", checkpointNs);
    }
    return json;
  }

  /**
   * Reads a request from JSON.
   *
   * @throws IllegalArgumentException saying which field is wrong and what it must be
   */
  public static ThreadRequest fromJson(JsonObject json) {
    String where = "the thread request";
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("The thread request has an unknown field '" + field + "'; it takes "
            + List.of("op", "threadId", "checkpointId", "limit", "before", "values", "asNode", "subgraphs",
            "supersteps", "toThreadId", "runId", "ttl", "checkpointNs"));
      }
    }
    JsonObject values = JsonFields.optionalObject(json, "values", where);
    return new ThreadRequest(Op.of(JsonFields.requiredString(json, "op", where)),
        JsonFields.requiredString(json, "threadId", where), JsonFields.optionalString(json, "checkpointId", where),
        JsonFields.optionalInt(json, "limit", 0, where), JsonFields.optionalString(json, "before", where),
        values == null ? null : values.getMap(), JsonFields.optionalString(json, "asNode", where),
        Boolean.TRUE.equals(json.getValue("subgraphs")), supersteps(json.getValue("supersteps")),
        JsonFields.optionalString(json, "toThreadId", where), JsonFields.optionalString(json, "runId", where),
        json.getValue("ttl") == null ? null : ThreadTtl.fromJson(json.getValue("ttl")),
        JsonFields.optionalString(json, "checkpointNs", where));
  }

  private static List<List<ThreadUpdate>> supersteps(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray steps)) {
      throw new IllegalArgumentException("Field 'supersteps' of the thread request must be a list of supersteps (lists "
          + "of updates {\"values\", \"asNode\"}), was " + value.getClass().getSimpleName());
    }
    List<List<ThreadUpdate>> out = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      if (!(steps.getValue(i) instanceof JsonArray updates)) {
        throw new IllegalArgumentException("Superstep " + i + " of field 'supersteps' must be a list of updates "
            + "{\"values\", \"asNode\"}");
      }
      List<ThreadUpdate> step = new ArrayList<>(updates.size());
      for (int u = 0; u < updates.size(); u++) {
        if (!(updates.getValue(u) instanceof JsonObject update)) {
          throw new IllegalArgumentException("Update " + u + " of superstep " + i + " must be an object "
              + "{\"values\", \"asNode\"}");
        }
        step.add(ThreadUpdate.fromJson(update, "update " + u + " of superstep " + i));
      }
      out.add(step);
    }
    return out;
  }

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<ThreadRequest> {
    public Codec() {
      super("graphloop.ThreadRequest");
    }

    @Override
    JsonObject toJson(ThreadRequest body) {
      return body.toJson();
    }

    @Override
    ThreadRequest fromJson(JsonObject json) {
      return ThreadRequest.fromJson(json);
    }
  }
}
