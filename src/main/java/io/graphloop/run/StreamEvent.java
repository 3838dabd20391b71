package io.graphloop.run;

import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * One event of a run's stream. Events of a run carry a sequence number that increases by one, from 1, in
 * the order they are delivered; the last event is {@code end} (with the final state) or {@code error} (with
 * the failure).
 *
 * <p>JSON form: {@code {"runId", "seq", "event", "step", "node", "ns", "data"}} where {@code event} is a
 * stream mode's name ({@code values, updates, tasks, debug, custom}) or {@code end} / {@code error}, and
 * {@code ns} is the subgraph namespace ("" for the graph itself; {@code "parentNode:taskId"} for events of a
 * subgraph run inside a node).
 *
 * <p>Immutable.
 *
 * @param runId the run
 * @param seq   the sequence number, from 1
 * @param event the kind: a stream mode's events, {@link #END} or {@link #ERROR} (its wire name in the JSON form)
 * @param step  the superstep, or -1 for events about the input
 * @param node  the node, or {@code null}
 * @param ns    the subgraph namespace, "" at the top
 * @param data  the payload, frozen JSON-compatible
 */
public record StreamEvent(String runId, long seq, StreamEventType event, int step, String node, String ns,
                          Map<String, Object> data) {

  /** The last event of a successful run; its data is {@code {"values": finalState}}. */
  public static final StreamEventType END = StreamEventType.END;
  /** The last event of a failed run; its data is the failure's JSON (see {@link Failures}). */
  public static final StreamEventType ERROR = StreamEventType.ERROR;

  public StreamEvent {
    java.util.Objects.requireNonNull(event, "event");
    ns = ns == null ? "" : ns;
    data = data == null ? Map.of() : data;
  }

  /** Whether this is the stream's last event. */
  public boolean isTerminal() {
    return event.isTerminal();
  }

  /** The same event renumbered and placed under {@code namespace} (for forwarding a subgraph's events). */
  public StreamEvent forwarded(String parentRunId, long newSeq, String namespace) {
    return new StreamEvent(parentRunId, newSeq, event, step, node, ns.isEmpty() ? namespace : namespace + "|" + ns,
        data);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("runId", runId).put("seq", seq).put("event", event.wireName()).put("step", step)
        .put("ns", ns).put("data", new JsonObject(data));
    if (node != null) {
      json.put("node", node);
    }
    return json;
  }

  public static StreamEvent fromJson(JsonObject json) {
    String where = "the stream event";
    JsonObject data = JsonFields.optionalObject(json, "data", where);
    return new StreamEvent(JsonFields.requiredString(json, "runId", where), JsonFields.optionalLong(json, "seq", 0, where),
        type(JsonFields.requiredString(json, "event", where), where), JsonFields.optionalInt(json, "step", -1, where),
        JsonFields.optionalString(json, "node", where), JsonFields.optionalString(json, "ns", where),
        data == null ? Map.of() : Values.freezeUpdate(data.getMap(), where));
  }

  private static StreamEventType type(String name, String where) {
    try {
      return StreamEventType.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Field 'event' of " + where + ": " + e.getMessage(), e);
    }
  }
}
