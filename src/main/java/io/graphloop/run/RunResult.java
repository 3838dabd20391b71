package io.graphloop.run;

import io.graphloop.state.JsonFields;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reply to a {@link RunRequest} that did not fail: the run reached END ({@code status "success"}) or stopped at
 * an interrupt ({@code status "interrupted"}, with what it waits for). JSON form:
 * {@code {"runId", "status", "values", "threadId", "checkpointId", "interrupts": [...]}} (thread fields only for runs
 * on a thread; interrupts only when interrupted).
 *
 * <p>Immutable.
 *
 * @param runId        the run's id
 * @param status       {@link RunStatus#SUCCESS} or {@link RunStatus#INTERRUPTED} (on the wire {@code "success"},
 *                     {@code "interrupted"})
 * @param values       the final state, or the state of the last completed step when interrupted
 * @param threadId     the thread, or {@code null}
 * @param checkpointId the thread's checkpoint the run ended at, or {@code null}
 * @param interrupts   what an interrupted run waits for: {@code {"node", "taskId", "value"}} for a node's
 *                     {@code interrupt(value)}, {@code {"node", "when"}} for a breakpoint
 */
public record RunResult(String runId, RunStatus status, State values, String threadId, String checkpointId,
                        List<Map<String, Object>> interrupts) {

  public RunResult {
    if (status == null) {
      throw new IllegalArgumentException("A run result's status must not be null; it is one of success, interrupted"
          + " (RunStatus).");
    }
    interrupts = interrupts == null ? List.of() : Values.frozenListOfMaps(interrupts);
  }

  /** A run without a thread that reached END. */
  public RunResult(String runId, State values) {
    this(runId, RunStatus.SUCCESS, values, null, null, List.of());
  }

  /** Whether the run stopped at an interrupt. */
  public boolean isInterrupted() {
    return status == RunStatus.INTERRUPTED;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("runId", runId).put("status", status.wireName()).put("values", values.toJson());
    if (threadId != null) {
      json.put("threadId", threadId).put("checkpointId", checkpointId);
    }
    if (!interrupts.isEmpty()) {
      json.put("interrupts", new JsonArray(new ArrayList<>(interrupts)));
    }
    return json;
  }

  @SuppressWarnings("unchecked")
  public static RunResult fromJson(JsonObject json) {
    String where = "the run result";
    JsonObject values = JsonFields.optionalObject(json, "values", where);
    JsonArray interrupts = JsonFields.optionalArray(json, "interrupts", where);
    List<Map<String, Object>> list = new ArrayList<>();
    if (interrupts != null) {
      for (Object item : interrupts) {
        list.add(item instanceof JsonObject ? ((JsonObject) item).getMap() : (Map<String, Object>) item);
      }
    }
    String status = JsonFields.optionalString(json, "status", where);
    return new RunResult(JsonFields.requiredString(json, "runId", where), status == null ? RunStatus.SUCCESS : RunStatus.of(status),
        values == null ? State.empty() : State.of(values.getMap()), JsonFields.optionalString(json, "threadId", where),
        JsonFields.optionalString(json, "checkpointId", where), list);
  }
}
