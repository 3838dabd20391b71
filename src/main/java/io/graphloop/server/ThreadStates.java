package io.graphloop.server;

import io.graphloop.run.ThreadState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * A thread's state from the event bus ({@link ThreadState}) in LangGraph Server's ThreadState shape:
 * {@code {values, next, tasks, metadata, created_at, checkpoint, parent_checkpoint, checkpoint_id,
 * parent_checkpoint_id, interrupts}}. Field by field, no semantics of its own: steps, sources and metadata are the
 * runtime's.
 *
 * <p>Stateless.
 */
final class ThreadStates {

  private ThreadStates() {
  }

  static JsonObject toJson(ThreadState state) {
    List<JsonObject> interrupts = Interrupts.of(state.interrupts());
    JsonArray tasks = new JsonArray();
    for (int i = 0; i < state.tasks().size(); i++) {
      Map<String, Object> task = state.tasks().get(i);
      String taskId = String.valueOf(task.get("id"));
      JsonArray taskInterrupts = new JsonArray();
      for (JsonObject interrupt : interrupts) {
        if (taskId.equals(interrupt.getValue("task_id")) && interrupt.getValue("id") != null) {
          taskInterrupts.add(new JsonObject().put("id", interrupt.getValue("id"))
              .put("value", interrupt.getValue("value")));
        }
      }
      tasks.add(new JsonObject().put("id", taskId).put("name", task.get("node"))
          .put("error", errorText(task.get("error"))).put("interrupts", taskInterrupts)
          .put("path", new JsonArray().add("__pregel_pull").add(task.get("node")))
          .put("checkpoint", childCheckpoint(state, i)).put("state", childState(task)).put("result", task.get("result")));
    }
    JsonObject metadata = new JsonObject(new java.util.LinkedHashMap<>(state.metadata()));
    metadata.put("source", state.source().wireName()).put("step", state.step());
    // as LangGraph Server's checkpoint metadata: the thread and the run that wrote the checkpoint
    metadata.put("thread_id", state.threadId());
    if (metadata.getValue("runId") != null && !metadata.containsKey("run_id")) {
      metadata.put("run_id", metadata.getValue("runId"));
    }
    return new JsonObject().put("values", state.values().toJson())
        .put("next", new JsonArray(new java.util.ArrayList<>(state.next())))
        .put("tasks", tasks)
        .put("metadata", metadata)
        .put("created_at", state.createdAt().toString())
        .put("checkpoint", checkpoint(state.threadId(), state.checkpointId()).put("checkpoint_ns", namespace(state)))
        .put("parent_checkpoint", state.parentCheckpointId() == null ? null
            : checkpoint(state.threadId(), state.parentCheckpointId()).put("checkpoint_ns", namespace(state)))
        .put("checkpoint_id", state.checkpointId())
        .put("parent_checkpoint_id", state.parentCheckpointId())
        .put("interrupts", Interrupts.langGraph(interrupts));
  }

  /**
   * A subgraph task's {@code state} with {@code ?subgraphs=true} (LangGraph's {@code task.state} as a snapshot): its
   * child's state in the same shape; else null.
   */
  @SuppressWarnings("unchecked")
  private static JsonObject childState(Map<String, Object> task) {
    Object state = task.get("state");
    if (state instanceof Map) {
      return toJson(ThreadState.fromJson(new JsonObject((Map<String, Object>) state)));
    }
    return state instanceof JsonObject ? toJson(ThreadState.fromJson((JsonObject) state)) : null;
  }

  /**
   * Task {@code index}'s {@code checkpoint}, as LangGraph Server's (its {@code task.state} config's
   * {@code configurable}, where LangGraph's state read without subgraphs has the child's config): for a subgraph task
   * whose child keeps checkpoints (the runtime's {@code "subgraph"} mark, from the graph's node)
   * {@code {"thread_id", "checkpoint_ns"}} (the task's namespace under this state's); null for any other task.
   */
  private static JsonObject childCheckpoint(ThreadState parent, int index) {
    Map<String, Object> task = parent.tasks().get(index);
    if (!Boolean.TRUE.equals(task.get("subgraph")) || !(task.get("checkpointNs") instanceof String)) {
      return null;
    }
    io.graphloop.run.CheckpointConfig child = parent.taskConfig(index);
    return new JsonObject().put("thread_id", child.threadId()).put("checkpoint_ns", child.checkpointNs());
  }

  /**
   * The checkpoint namespace of {@code state}: a subgraph's state (of {@code ?subgraphs=true}) has its own, LangGraph's
   * {@code checkpoint_ns}; a thread's is empty. A run sent with that checkpoint runs from the subgraph's checkpoint.
   */
  private static String namespace(ThreadState state) {
    Object ns = state.metadata().get("checkpointNs");
    return ns instanceof String ? (String) ns : "";
  }

  /** LangGraph's checkpoint config: {@code {thread_id, checkpoint_ns, checkpoint_id, checkpoint_map}}. */
  static JsonObject checkpoint(String threadId, String checkpointId) {
    return new JsonObject().put("thread_id", threadId).put("checkpoint_ns", "").put("checkpoint_id", checkpointId)
        .put("checkpoint_map", null);
  }

  /** The empty state of a thread that has no checkpoint yet (LangGraph answers it, not 404). */
  static JsonObject empty(String threadId) {
    return new JsonObject().put("values", new JsonObject()).put("next", new JsonArray()).put("tasks", new JsonArray())
        .put("metadata", null).put("created_at", null).put("checkpoint", checkpoint(threadId, null))
        .put("parent_checkpoint", null).put("checkpoint_id", null).put("parent_checkpoint_id", null)
        .put("interrupts", new JsonArray());
  }

  @SuppressWarnings("unchecked")
  private static String errorText(Object error) {
    if (error == null) {
      return null;
    }
    if (error instanceof Map) {
      Object message = ((Map<String, Object>) error).get("message");
      return message == null ? String.valueOf(error) : String.valueOf(message);
    }
    if (error instanceof JsonObject) {
      return ((JsonObject) error).getString("message", error.toString());
    }
    return String.valueOf(error);
  }
}
