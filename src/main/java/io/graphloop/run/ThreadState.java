package io.graphloop.run;

import io.graphloop.checkpoint.CheckpointSource;
import io.graphloop.state.JsonFields;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state of a thread at one of its checkpoints (LangGraph's {@code StateSnapshot}): the reply to
 * {@code get} and {@code update} requests on {@code graphloop.<graph>.threads}, and each entry of a
 * {@code history}. JSON form: {@code {"threadId", "checkpointId", "parentCheckpointId", "step", "createdAt",
 * "source", "metadata", "values", "next", "tasks", "interrupts"}}.
 *
 * <p>Immutable.
 *
 * @param threadId           the thread
 * @param checkpointId       the checkpoint (LangGraph's {@code config.checkpoint_id}); pass it as
 *                           {@code RunOptions.checkpointId} to replay from here, or to {@code updateState} to fork
 * @param parentCheckpointId the checkpoint it was derived from (LangGraph's {@code parent_config}), or {@code null}
 * @param step               the superstep it was saved after: -1 for an input, then 0, 1, ... within a run
 * @param createdAt          when it was saved
 * @param source             why it was saved: {@code input}, {@code loop}, {@code update} or {@code fork} (LangGraph's
 *                           {@code metadata["source"]}; its wire name in the JSON form)
 * @param metadata           the checkpoint's metadata: {@code runId}, {@code ran} (the nodes of the step it was saved
 *                           after), {@code asNode} (an update), {@code forkOf} (a replay's copy), and the string,
 *                           number and boolean entries of the saving run's config (LangGraph's
 *                           {@code get_checkpoint_metadata}: not {@code __} keys nor LangGraph's excluded keys)
 * @param values             the channels' values at the checkpoint; for the thread's current state (asked for
 *                           without a checkpoint id) with the writes of the tasks that already completed in the
 *                           unfinished step applied
 * @param next               the nodes due next, in task order (for the current state, without the tasks that already
 *                           completed: continuing the thread does not run them again); empty when the run that saved
 *                           it reached END
 * @param tasks              the tasks due next: {@code {"id", "node", "interrupts": [payloads]}}, plus
 *                           {@code "result"} (its update) for a task that completed, {@code "error"} for one that
 *                           failed, {@code "checkpointNs"} (its namespace, {@code "node:id"}), and
 *                           {@code "subgraph": true} for a task of a subgraph node whose child keeps checkpoints
 *                           there ({@link #taskConfig}: LangGraph's {@code tasks[i].state} without subgraphs)
 * @param interrupts         what the thread waits for: {@code {"node", "taskId", "value"}} per pending
 *                           {@code interrupt(value)}, answered by a run with {@code Command.resume}
 */
public record ThreadState(String threadId, String checkpointId, String parentCheckpointId, int step,
                          Instant createdAt, CheckpointSource source, Map<String, Object> metadata, State values,
                          List<String> next, List<Map<String, Object>> tasks, List<Map<String, Object>> interrupts) {

  public ThreadState {
    metadata = metadata == null ? Map.of() : Values.freezeUpdate(metadata, "the metadata of a thread state");
    next = next == null ? List.of() : List.copyOf(next);
    tasks = tasks == null ? List.of() : Values.frozenListOfMaps(tasks);
    interrupts = interrupts == null ? List.of() : Values.frozenListOfMaps(interrupts);
  }

  /**
   * The state of the child of subgraph task {@code taskIndex} (of {@link #tasks()}), as a state asked for with
   * {@code subgraphs} shows it, or {@code null}: its thread is this one, its {@code "checkpointNs"} in its metadata.
   */
  @SuppressWarnings("unchecked")
  public ThreadState subgraphState(int taskIndex) {
    Object state = tasks.get(taskIndex).get("state");
    return state instanceof Map ? fromJson(new JsonObject((Map<String, Object>) state)) : null;
  }

  /**
   * Where this state was read (LangGraph's {@code StateSnapshot.config}): its thread, its checkpoint namespace
   * ({@code metadata.checkpointNs}; {@code ""} for the root graph) and its checkpoint. Pass it to
   * {@code GraphClient.getState/updateState/getStateHistory} to read or update this checkpoint, a subgraph's too.
   */
  public CheckpointConfig config() {
    return new CheckpointConfig(threadId, namespace(), checkpointId);
  }

  /**
   * The namespace of task {@code taskIndex} (of {@link #tasks()}) with no checkpoint id: the latest state of a
   * subgraph task's child, as LangGraph's {@code StateSnapshot.tasks[i].state} of a state read without subgraphs.
   *
   * @throws IllegalArgumentException when the task has no {@code "checkpointNs"}
   */
  public CheckpointConfig taskConfig(int taskIndex) {
    Object ns = tasks.get(taskIndex).get("checkpointNs");
    if (!(ns instanceof String) || ((String) ns).isEmpty()) {
      throw new IllegalArgumentException("Task " + taskIndex + " of the state has no checkpoint namespace");
    }
    String own = namespace();
    return new CheckpointConfig(threadId, own.isEmpty() ? (String) ns : own + "|" + ns, null);
  }

  private String namespace() {
    Object ns = metadata.get("checkpointNs");
    return ns instanceof String ? (String) ns : "";
  }

  /** Whether the thread waits for an answer ({@code Command.resume}). */
  public boolean isInterrupted() {
    return !interrupts.isEmpty();
  }

  public JsonObject toJson() {
    return new JsonObject().put("threadId", threadId).put("checkpointId", checkpointId)
        .put("parentCheckpointId", parentCheckpointId).put("step", step).put("createdAt", createdAt.toString())
        .put("source", source.wireName()).put("metadata", new JsonObject(metadata)).put("values", values.toJson())
        .put("next", new JsonArray(new ArrayList<>(next))).put("tasks", new JsonArray(new ArrayList<>(tasks)))
        .put("interrupts", new JsonArray(new ArrayList<>(interrupts)));
  }

  /**
   * Reads a state written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static ThreadState fromJson(JsonObject json) {
    String where = "the thread state";
    Instant createdAt = JsonFields.requiredInstant(json, "createdAt", where);
    JsonObject metadata = JsonFields.optionalObject(json, "metadata", where);
    JsonObject values = JsonFields.optionalObject(json, "values", where);
    JsonArray next = JsonFields.optionalArray(json, "next", where);
    List<String> names = new ArrayList<>();
    if (next != null) {
      next.forEach(name -> names.add(String.valueOf(name)));
    }
    return new ThreadState(JsonFields.requiredString(json, "threadId", where),
        JsonFields.requiredString(json, "checkpointId", where), JsonFields.optionalString(json, "parentCheckpointId", where),
        JsonFields.optionalInt(json, "step", 0, where), createdAt, source(json, where),
        metadata == null ? null : metadata.getMap(), values == null ? State.empty() : State.of(values.getMap()),
        names, maps(JsonFields.optionalArray(json, "tasks", where)), maps(JsonFields.optionalArray(json, "interrupts", where)));
  }

  private static CheckpointSource source(JsonObject json, String where) {
    String name = JsonFields.requiredString(json, "source", where);
    try {
      return CheckpointSource.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Field 'source' of " + where + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(JsonArray array) {
    List<Map<String, Object>> list = new ArrayList<>();
    if (array != null) {
      for (Object item : array) {
        list.add(item instanceof JsonObject ? ((JsonObject) item).getMap() : (Map<String, Object>) item);
      }
    }
    return list;
  }
}
