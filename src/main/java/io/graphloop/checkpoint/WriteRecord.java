package io.graphloop.checkpoint;

import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * One pending write: a channel write of a task that completed in a step that did not (yet) complete, kept so a
 * resumed run does not run that task again (LangGraph's {@code checkpoint_writes} row). Special channels record
 * what is not a channel write: {@link #ERROR} (the task failed), {@link #INTERRUPT}, {@link #RESUME},
 * {@link #SCHEDULED}; their writes use fixed negative indices ({@link #specialIndex}) so they never collide with a
 * task's channel writes, which are numbered from 0.
 *
 * <p>Immutable and thread-safe.
 *
 * @param threadId     the thread
 * @param checkpointId the checkpoint the step started from
 * @param taskId       the task's deterministic id (e.g. {@code Task.id(runId)})
 * @param node         the task's node
 * @param index        the write's number among the task's writes; a store keeps the first write per
 *                     (checkpointId, taskId, index), so a re-delivered task's writes do not duplicate; a special
 *                     write (negative index) replaces the earlier one
 * @param channel      the channel written (or a special channel)
 * @param value        the value written, frozen
 */
public record WriteRecord(String threadId, String checkpointId, String taskId, String node, int index,
                          String channel, Object value) {

  /** The task failed; the value describes the error. */
  public static final String ERROR = "__error__";
  /** The task was scheduled (LangGraph's {@code SCHEDULED}). */
  public static final String SCHEDULED = "__scheduled__";
  /** The task was interrupted; the value is the interrupt's payload. */
  public static final String INTERRUPT = "__interrupt__";
  /** The value a resumed interrupt receives. */
  public static final String RESUME = "__resume__";

  private static final Map<String, Integer> SPECIAL_INDEX = Map.of(ERROR, -1, SCHEDULED, -2, INTERRUPT, -3,
      RESUME, -4);

  /**
   * Checks and freezes the fields.
   *
   * @throws IllegalArgumentException naming the field that is missing or not JSON-compatible
   */
  public WriteRecord {
    threadId = CheckpointRecord.requireText(threadId, "threadId");
    checkpointId = CheckpointRecord.requireText(checkpointId, "checkpointId");
    taskId = CheckpointRecord.requireText(taskId, "taskId");
    node = CheckpointRecord.requireText(node, "node");
    channel = CheckpointRecord.requireText(channel, "channel");
    value = Values.freeze(value, "the write " + index + " of task '" + taskId + "' to channel '" + channel
        + "' at checkpoint " + checkpointId + " of thread '" + threadId + "'");
  }

  /** The fixed index of a special channel's write, or {@code null} for a regular channel. */
  public static Integer specialIndex(String channel) {
    return SPECIAL_INDEX.get(channel);
  }

  /** As JSON (the value is shared, immutable). */
  public JsonObject toJson() {
    return new JsonObject().put("threadId", threadId).put("checkpointId", checkpointId).put("taskId", taskId)
        .put("node", node).put("index", index).put("channel", channel).put("value", value);
  }

  /**
   * Reads a write written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static WriteRecord fromJson(JsonObject json) {
    String where = "a write record";
    return new WriteRecord(JsonFields.requiredString(json, "threadId", where),
        JsonFields.requiredString(json, "checkpointId", where), JsonFields.requiredString(json, "taskId", where),
        JsonFields.requiredString(json, "node", where), JsonFields.optionalInt(json, "index", 0, where),
        JsonFields.requiredString(json, "channel", where), json.getValue("value"));
  }
}
