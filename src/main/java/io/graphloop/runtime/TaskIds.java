package io.graphloop.runtime;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import io.graphloop.internal.engine.Task;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Task ids as LangGraph 1.2.12 derives them ({@code pregel/_algo.py}: {@code prepare_single_task}, {@code _xxhash_str}):
 * a UUID-shaped XXH3-128 digest of the id of the checkpoint the task was planned from, the task's checkpoint namespace
 * ({@code <run's namespace>|<node>}), its step, its node, and its path ({@code __pregel_pull} and the node for an
 * edge-triggered task, {@code __pregel_push} and its number for a Send's). So a task keeps its id when a later run
 * resumes it from the same checkpoint, and a fork ({@code updateState} at an earlier checkpoint) or a replay (which
 * runs from a fork copy) gives the tasks it runs again new ids. A run without a thread has no checkpoint: its run id
 * stands for the checkpoint's.
 *
 * <p>A checkpoint stores its tasks' ids (its next tasks); a run that continues a checkpoint uses the ids stored there
 * for its tasks ({@link #ofCheckpoint}), so checkpoints saved before this rule keep theirs
 * ({@code <thread>:<step>:<node>[:push<i>]}, {@link Task#id(String)}) and their stored writes, answers and subgraph
 * threads are found again. (A node's {@code ExecutionInfo} derives its task's namespace from the checkpoint id its
 * request names, unless the request carries the namespace, as an entrypoint's and a subgraph's without checkpoints
 * do: for the tasks of such an old checkpoint it shows the id this rule would give them.)
 *
 * <p>Stateless; safe from any thread.
 */
final class TaskIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TaskIds() {
  }

  /**
   * The id of {@code task} planned from checkpoint {@code planningId} (the run id for a run without a thread) of a run
   * in checkpoint namespace {@code namespace} (empty at the top; {@link SubgraphThreads#namespaceOf}).
   */
  static String of(String planningId, String namespace, Task task) {
    StringBuilder text = new StringBuilder(96).append(planningId)
        .append(io.graphloop.graph.InterruptIds.child(namespace, task.node()))
        .append(task.step()).append(task.node());
    if (task.isPush()) {
      text.append("__pregel_push").append(task.push());
    } else {
      text.append("__pregel_pull").append(task.node());
    }
    HashValue128 hash = Hashing.xxh3_128().hashBytesTo128Bits(text.toString().getBytes(StandardCharsets.UTF_8));
    char[] hex = new char[36];
    put(hash.getMostSignificantBits(), hex, 0);
    put(hash.getLeastSignificantBits(), hex, 16);
    // 8-4-4-4-12, as LangGraph's _xxhash_str
    char[] id = new char[36];
    int at = 0;
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        id[at++] = '-';
      }
      id[at++] = hex[i];
    }
    return new String(id, 0, 36);
  }

  private static void put(long bits, char[] hex, int at) {
    for (int i = 15; i >= 0; i--) {
      hex[at + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }

  /** The ids of the tasks of a run without a thread ({@code runId}'s). */
  static Function<Task, String> ofRun(String runId) {
    return task -> of(runId, "", task);
  }

  /** The ids of a run's tasks: its checkpoints' ({@link RunCheckpoints#taskId}), or without a thread its run's. */
  static Function<Task, String> ofRun(String runId, RunCheckpoints checkpoints) {
    return checkpoints == null ? ofRun(runId) : checkpoints::taskId;
  }

  /** The next-task entries of a checkpoint of {@code threadId} to be saved under {@code checkpointId}. */
  static List<Map<String, Object>> entries(String checkpointId, String threadId, List<Task> tasks) {
    String namespace = SubgraphThreads.namespaceOf(threadId);
    return io.graphloop.checkpoint.CheckpointRecord.tasks(tasks, task -> of(checkpointId, namespace, task));
  }

  /**
   * The ids of the tasks planned from {@code checkpoint}: those its record stores for them (its next tasks, matched by
   * node and push number as {@code Restore.runState} rebuilds them; a checkpoint saved before this rule stores
   * {@code <thread>:<step>:<node>}), else derived from its id.
   */
  static Function<Task, String> ofCheckpoint(io.graphloop.checkpoint.Checkpoint checkpoint) {
    Map<String, String> stored = new java.util.HashMap<>();
    Map<String, Integer> pushes = new java.util.HashMap<>();
    for (Map<String, Object> entry : checkpoint.record().nextTasks()) {
      String node = String.valueOf(entry.get("node"));
      boolean push = entry.get("input") instanceof Map && !io.graphloop.graph.StateGraph.START.equals(node);
      int number = push ? pushes.merge(node, 1, Integer::sum) - 1 : Task.PULL;
      if (entry.get("id") instanceof String) {
        stored.put(key(node, number), (String) entry.get("id"));
      }
    }
    String checkpointId = checkpoint.checkpointId();
    String namespace = SubgraphThreads.namespaceOf(checkpoint.threadId());
    return task -> {
      String id = stored.get(key(task.node(), task.push()));
      return id != null ? id : of(checkpointId, namespace, task);
    };
  }

  private static String key(String node, int push) {
    return push + ":" + node;
  }
}
