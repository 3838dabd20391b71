package io.graphloop.protocol;

import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request about one thread of a graph, sent to {@code graphloop.<graph>.threads} (LangGraph's {@code get_state},
 * {@code get_state_history} and {@code update_state}). JSON form:
 * {@code {"op": "get"|"history"|"update"|"delete", "threadId", "checkpointId"?, "limit"?, "before"?, "values"?, "asNode"?}}.
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
 */
public record ThreadRequest(Op op, String threadId, String checkpointId, int limit, String before,
                            Map<String, Object> values, String asNode, boolean subgraphs) {

  /** The operations. */
  public enum Op {
    GET, HISTORY, UPDATE, DELETE;

    /** The wire name, e.g. {@code "get"}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Op of(String name) {
      for (Op op : values()) {
        if (op.wireName().equals(name)) {
          return op;
        }
      }
      throw new IllegalArgumentException("Field 'op' of the thread request must be one of get, history, update, delete; was '"
          + name + "'");
    }
  }

  private static final Set<String> FIELDS = Set.of("op", "threadId", "checkpointId", "limit", "before", "values",
      "asNode", "subgraphs");

  /** A request without {@code subgraphs}. */
  public ThreadRequest(Op op, String threadId, String checkpointId, int limit, String before,
                       Map<String, Object> values, String asNode) {
    this(op, threadId, checkpointId, limit, before, values, asNode, false);
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
    values = values == null ? null : Values.freezeUpdate(values, "the values of the thread update");
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
            + List.of("op", "threadId", "checkpointId", "limit", "before", "values", "asNode", "subgraphs"));
      }
    }
    JsonObject values = JsonFields.optionalObject(json, "values", where);
    return new ThreadRequest(Op.of(JsonFields.requiredString(json, "op", where)),
        JsonFields.requiredString(json, "threadId", where), JsonFields.optionalString(json, "checkpointId", where),
        JsonFields.optionalInt(json, "limit", 0, where), JsonFields.optionalString(json, "before", where),
        values == null ? null : values.getMap(), JsonFields.optionalString(json, "asNode", where),
        Boolean.TRUE.equals(json.getValue("subgraphs")));
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
