package io.graphloop.runtime;

import io.graphloop.internal.bus.Correlations;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A coordinator's receiver of task-call results (the functional API, {@code io.graphloop.func}): an entrypoint's
 * execution sends each completed task call's result to the coordinator's control address; it is handed to the run's
 * {@link TaskCalls#completed} (kept, streamed, stored as a pending write on a thread) and the node hears once it is
 * stored. Only a message carrying the correlation id of a node attempt the coordinator still waits for is taken (the
 * control address is handed to streaming callers, who must not write a thread's pending writes); others are refused,
 * counted and logged.
 *
 * <p>Thread rules: confined to its coordinator's event loop.
 */
final class TaskCallResults {

  private final Map<String, RunDriver> runs;
  private final NodeTransport nodes;
  private final DroppedResults dropped;

  TaskCallResults(Map<String, RunDriver> runs, NodeTransport nodes, DroppedResults dropped) {
    this.runs = runs;
    this.nodes = nodes;
    this.dropped = dropped;
  }

  /** Whether a control message is a task call's result (the others are stream control). */
  static boolean isCall(Message<Object> message) {
    return message.body() instanceof JsonObject && ((JsonObject) message.body()).getValue("call") instanceof JsonObject;
  }

  void onCall(Message<Object> message) {
    JsonObject body = (JsonObject) message.body();
    Object id = body.getValue("runId");
    RunDriver run = id instanceof String ? runs.get(id) : null;
    JsonObject call = body.getJsonObject("call");
    long key;
    long tag;
    try {
      key = Correlations.key(body.getValue("correlation"), 0, "a task call");
      tag = Correlations.tag(body.getValue("correlation"), "a task call");
    } catch (IllegalArgumentException e) {
      key = 0;
      tag = 0;
    }
    if (run == null || key == 0 || !nodes.waits(key, tag) || !(call.getValue("id") instanceof String)
        || !(call.getValue("parent") instanceof String) || !(call.getValue("name") instanceof String)) {
      dropped.refusedControl("task call", id instanceof String ? (String) id : "?");
      message.fail(404, "No node attempt of this run waits for that task call.");
      return;
    }
    Object step = call.getValue("step");
    if (Boolean.TRUE.equals(call.getValue("start"))) { // a call starts: only streamed (sent, no reply)
      run.calls().started(call.getString("id"), call.getString("name"), step instanceof Integer ? (Integer) step : -1,
          call.getValue("input"));
      return;
    }
    run.calls().completed(call.getString("parent"), call.getString("id"), call.getString("name"),
        step instanceof Integer ? (Integer) step : -1, call.getValue("value"),
        Boolean.TRUE.equals(call.getValue("cached"))).onComplete(stored -> {
          if (stored.succeeded()) {
            message.reply(null);
          } else {
            message.fail(500, "The result of task call '" + call.getString("name") + "' could not be stored: "
                + stored.cause().getMessage());
          }
        });
  }
}
