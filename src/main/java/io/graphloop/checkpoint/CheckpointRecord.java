package io.graphloop.checkpoint;

import io.graphloop.graph.StateGraph;
import io.graphloop.internal.engine.Task;
import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One saved checkpoint of a thread: where a run stood after a superstep (or its input, or an outside update),
 * without the channel values themselves. The values live in {@link BlobRecord}s: {@link #channelVersions()}
 * names, for every channel of the state, the blob holding its current value (or latest delta), so a store row
 * per step stays small however big the state is (LangGraph's {@code Checkpoint} plus {@code CheckpointMetadata}).
 *
 * <p>Immutable and thread-safe; the maps and lists are frozen or unmodifiable copies.
 *
 * @param threadId        the thread (conversation) the checkpoint belongs to
 * @param checkpointId    unique in the thread and time-ordered as a string (see {@link CheckpointIds})
 * @param parentId        the checkpoint this one was derived from; {@code null} for a thread's first one
 * @param step            the superstep just completed: -1 for the input checkpoint, 0 after the first step, ...
 * @param createdAt       when it was saved
 * @param source          why it was saved
 * @param metadata        free-form JSON metadata (e.g. the writes of the step, the run id)
 * @param channelVersions for every channel of the state, in the state's key order: the version of the blob
 *                        holding its value; a version is the id of the checkpoint that wrote the blob
 * @param nextTasks       the tasks due next, as JSON objects (see {@link #task})
 * @param joins           the waiting joins' progress, as JSON
 * @param deltaDepth      for channels whose blob is an append delta: how many deltas follow the last full value
 *                        (channels absent here have a full value, depth 0)
 * @param taskResults     the results of the parent's due tasks that made this checkpoint, by position in the
 *                        parent's {@link #nextTasks()}, for the tasks whose writes are not stored as pending writes
 *                        of the parent (the only task of a step, an update as a due node): each a map of channel to
 *                        value, {@code true} for START's task whose result is its input (kept in the parent's next
 *                        tasks), or {@code null} for a task whose result is not kept here. The parent's history entry
 *                        shows them (LangGraph keeps each task's writes with {@code put_writes}); empty for a
 *                        checkpoint saved by an older version, or with no such results
 */
public record CheckpointRecord(String threadId, String checkpointId, String parentId, int step, Instant createdAt,
                               CheckpointSource source, Map<String, Object> metadata,
                               Map<String, String> channelVersions, List<Map<String, Object>> nextTasks,
                               Map<String, Object> joins, Map<String, Integer> deltaDepth,
                               List<Object> taskResults) {

  /** A record without task results (see {@link #taskResults()}). */
  public CheckpointRecord(String threadId, String checkpointId, String parentId, int step, Instant createdAt,
                          CheckpointSource source, Map<String, Object> metadata,
                          Map<String, String> channelVersions, List<Map<String, Object>> nextTasks,
                          Map<String, Object> joins, Map<String, Integer> deltaDepth) {
    this(threadId, checkpointId, parentId, step, createdAt, source, metadata, channelVersions, nextTasks, joins,
        deltaDepth, null);
  }

  /**
   * Checks and freezes the fields; {@code null} maps and lists become empty.
   *
   * @throws IllegalArgumentException naming the field that is missing or not JSON-compatible
   */
  public CheckpointRecord {
    threadId = requireText(threadId, "threadId");
    checkpointId = requireText(checkpointId, "checkpointId");
    String id = checkpointId;
    String thread = threadId;
    // the description is made only for an error: a record is built at every save
    java.util.function.Supplier<String> where = () -> "checkpoint " + id + " of thread '" + thread + "'";
    if (parentId != null && parentId.isEmpty()) {
      throw new IllegalArgumentException("parentId of " + where.get() + " must be null or non-empty");
    }
    if (step < -1) {
      throw new IllegalArgumentException("step of " + where.get() + " must be greater than or equal to -1, was "
          + step);
    }
    Objects.requireNonNull(createdAt, () -> "createdAt of " + where.get());
    Objects.requireNonNull(source, () -> "source of " + where.get());
    metadata = CheckpointJson.frozenMap(metadata, () -> "the metadata of " + where.get());
    channelVersions = CheckpointJson.stringMap(channelVersions, () -> "the channel versions of " + where.get());
    nextTasks = CheckpointJson.frozenMaps(nextTasks, () -> "the next tasks of " + where.get());
    joins = CheckpointJson.frozenMap(joins, () -> "the joins of " + where.get());
    deltaDepth = CheckpointJson.intMap(deltaDepth, () -> "the delta depths of " + where.get());
    taskResults = taskResults == null || taskResults.isEmpty() ? List.of()
        : CheckpointJson.frozenList(taskResults, () -> "the task results of " + where.get());
  }

  /** This record with {@code results} as its {@link #taskResults()}. */
  public CheckpointRecord withTaskResults(List<?> results) {
    return new CheckpointRecord(threadId, checkpointId, parentId, step, createdAt, source, metadata, channelVersions,
        nextTasks, joins, deltaDepth, results == null ? null : new ArrayList<>(results));
  }

  static String requireText(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + " must be a non-empty string, was " + (value == null ? "null" : "\"\""));
    }
    if (value.indexOf('\u0000') >= 0) { // stored as is in a text column, where PostgreSQL refuses NUL
      throw new IllegalArgumentException(field + " \"" + value.replace('\u0000', '?') + "\" holds the character "
          + "U+0000 (NUL) at index " + value.indexOf('\u0000') + ", which a stored name or id may not hold (PostgreSQL "
          + "text cannot); rename it. (Values may hold it: they are stored as escaped JSON.)");
    }
    return Values.requireValidText(value, field); // stored as is in a text column: UTF-8 cannot hold half a pair
  }

  /**
   * A next-task entry for {@link #nextTasks()}: {@code {"id": id, "node": node, "input": input}}, where
   * {@code input} is a Send's input (a push task), the run's input (START's task, due in an input checkpoint) or
   * {@code null} (a pull task, which reads the state).
   */
  public static Map<String, Object> task(String id, String node, Map<String, ?> input) {
    return task(id, node, input, null);
  }

  /**
   * {@link #task(String, String, Map)} for a push task whose Send has a timeout policy of its own, kept under
   * {@code "timeout"} ({@code null}: none, nothing kept).
   */
  public static Map<String, Object> task(String id, String node, Map<String, ?> input,
                                         io.graphloop.graph.TimeoutPolicy timeout) {
    LinkedHashMap<String, Object> task = new LinkedHashMap<>();
    task.put("id", requireText(id, "task id"));
    task.put("node", requireText(node, "task node"));
    task.put("input", input);
    if (timeout != null) {
      task.put("timeout", timeout.toJson().getMap());
    }
    return CheckpointJson.frozenMap(task, () -> "task " + id);
  }

  /**
   * The next-task entries of a planned step ({@code RunState.tasks()}): each task's {@link Task#id(String) id},
   * node, and for a push task its Send's input (for START's task, the run's input).
   */
  public static List<Map<String, Object>> tasks(String runId, List<Task> tasks) {
    return tasks(tasks, task -> task.id(runId));
  }

  /**
   * The next-task entries of a planned step ({@code RunState.tasks()}): each task's id as {@code ids} gives it, node,
   * and for a push task its Send's input (for START's task, the run's input).
   */
  public static List<Map<String, Object>> tasks(List<Task> tasks, java.util.function.Function<Task, String> ids) {
    List<Map<String, Object>> out = new ArrayList<>(tasks.size());
    for (Task task : tasks) {
      // a push task keeps its Send's input; START's task (an input checkpoint's) keeps the run's input, so a run
      // that stopped right after its input checkpoint (a crash) resumes with it
      boolean keepsInput = task.isPush() || StateGraph.START.equals(task.node());
      out.add(task(ids.apply(task), task.node(), keepsInput ? task.input().asMap() : null, task.timeout()));
    }
    return out;
  }

  /** The version of {@code channel}'s blob, or {@code null} when the state has no such channel. */
  public String versionOf(String channel) {
    return channelVersions.get(channel);
  }

  /** As JSON (the top level is new; nested values are shared, immutable). */
  public JsonObject toJson() {
    JsonArray tasks = new JsonArray();
    nextTasks.forEach(t -> tasks.add(new JsonObject(t)));
    JsonObject json = new JsonObject()
        .put("threadId", threadId)
        .put("checkpointId", checkpointId)
        .put("parentId", parentId)
        .put("step", step)
        .put("createdAt", createdAt.toString())
        .put("source", source.json())
        .put("metadata", new JsonObject(metadata))
        .put("channelVersions", new JsonObject(new LinkedHashMap<String, Object>(channelVersions)))
        .put("nextTasks", tasks)
        .put("joins", new JsonObject(joins))
        .put("deltaDepth", new JsonObject(new LinkedHashMap<String, Object>(deltaDepth)));
    return taskResults.isEmpty() ? json : json.put("taskResults", new JsonArray(taskResults));
  }

  /**
   * Reads a record written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  @SuppressWarnings("unchecked")
  public static CheckpointRecord fromJson(JsonObject json) {
    String where = "a checkpoint record";
    Instant createdAt = JsonFields.requiredInstant(json, "createdAt", where);
    JsonArray tasks = JsonFields.optionalArray(json, "nextTasks", where);
    JsonArray results = JsonFields.optionalArray(json, "taskResults", where);
    return new CheckpointRecord(
        JsonFields.requiredString(json, "threadId", where),
        JsonFields.requiredString(json, "checkpointId", where),
        JsonFields.optionalString(json, "parentId", where),
        JsonFields.optionalInt(json, "step", 0, where),
        createdAt,
        CheckpointSource.of(JsonFields.requiredString(json, "source", where)),
        mapOf(JsonFields.optionalObject(json, "metadata", where)),
        mapOf(JsonFields.optionalObject(json, "channelVersions", where)),
        tasks == null ? null : (List<Map<String, Object>>) (List<?>) tasks.getList(),
        mapOf(JsonFields.optionalObject(json, "joins", where)),
        mapOf(JsonFields.optionalObject(json, "deltaDepth", where)),
        results == null ? null : results.getList());
  }

  /** The JSON object's map, typed as the record's field; the record's constructor checks the values. */
  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> mapOf(JsonObject json) {
    return json == null ? null : (Map<String, V>) (Map<String, ?>) json.getMap();
  }
}
