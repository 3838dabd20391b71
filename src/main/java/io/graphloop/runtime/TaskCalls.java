package io.graphloop.runtime;

import io.graphloop.protocol.NodeReply;
import io.vertx.core.Future;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The task calls of one run (the functional API, {@code io.graphloop.func}): their stored results, by calling task id
 * then call id, from the thread's checkpoint when the run was restored and from the calls completed since (a retried
 * entrypoint does not run them again, as LangGraph's pending writes); each completed call is kept, streamed and, on a
 * thread, stored as a pending write ({@link RunCheckpoints#callCompleted}).
 *
 * <p>Thread rules: confined to its run's coordinator event loop, as its {@link RunDriver}.
 */
final class TaskCalls {

  private final String runId;
  /** The run's checkpoints, or {@code null} (a run without a thread). */
  private final RunCheckpoints checkpoints;
  /** Whether the run has ended. */
  private final BooleanSupplier ended;
  private RunObserver observer;
  /** The restored run's completed task writes ({@link #restored}), read once, when the results are first needed. */
  private Map<String, NodeReply> restored = Map.of();
  /** Stored results of task calls, by calling task id, then call id; made when first needed. */
  private Map<String, Map<String, Object>> storedCalls;

  TaskCalls(String runId, RunCheckpoints checkpoints, BooleanSupplier ended) {
    this.runId = runId;
    this.checkpoints = checkpoints;
    this.ended = ended;
  }

  /** Reports the calls to {@code observer} (for streaming); {@code null}: nobody. */
  void observe(RunObserver observer) {
    this.observer = observer;
  }

  /** The completed task writes of the checkpoint the run was restored from: the calls stored among them count. */
  void restored(Map<String, NodeReply> completed) {
    this.restored = completed;
  }

  /**
   * The stored results of the task calls made by task {@code parentId}: those the thread's checkpoint held when the
   * run was restored and those completed since in this run. Never null.
   */
  Map<String, Object> callsOf(String parentId) {
    if (storedCalls == null) {
      storedCalls = new HashMap<>();
      restored.forEach((id, reply) -> {
        Object parent = reply.update().get(RunCheckpoints.PARENT);
        if (parent instanceof String && reply.update().containsKey(RunCheckpoints.RETURN)) {
          Object answers = reply.update().get(RunCheckpoints.ANSWERS);
          storedCalls.computeIfAbsent((String) parent, p -> new HashMap<>()).put(id,
              stored(reply.update().get(RunCheckpoints.RETURN), answers instanceof Number ? ((Number) answers).intValue() : 0));
        }
      });
    }
    Map<String, Object> mine = storedCalls.get(parentId);
    return mine == null ? Map.of() : Map.copyOf(mine);
  }

  /**
   * Task call {@code callId} of task {@code parentId} (named {@code name}, in {@code step}) completed with
   * {@code value} ({@code cached}: from the node cache): it is kept for a retry of its caller, streamed, and on a
   * thread stored as a pending write. The future completes once stored; it fails when the run has ended.
   */
  Future<Void> completed(String parentId, String callId, String name, int step, Object value, boolean cached) {
    if (ended.getAsBoolean()) {
      return Future.failedFuture("run " + runId + " has ended");
    }
    Object frozen;
    try {
      frozen = io.graphloop.state.Values.freeze(value, "the result of task call '" + name + "'");
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    callsOf(parentId);
    storedCalls.computeIfAbsent(parentId, p -> new HashMap<>()).put(callId, stored(frozen, 0));
    if (observer != null) {
      observer.onCall(runId, step, callId, name, frozen, cached);
    }
    return checkpoints == null ? Future.succeededFuture()
        : checkpoints.callCompleted(parentId, callId, name, frozen);
  }

  /** Task call {@code callId} (named {@code name}, in {@code step}) started with {@code input}: streamed only. */
  void started(String callId, String name, int step, Object input) {
    if (!ended.getAsBoolean() && observer != null) {
      observer.onCallStart(runId, step, callId, name, input);
    }
  }

  /** A stored call as a node request carries it: {@code {"value": result, "answers": count}}. */
  private static Map<String, Object> stored(Object value, int answers) {
    Map<String, Object> entry = new HashMap<>();
    entry.put("value", value);
    entry.put("answers", answers);
    return Collections.unmodifiableMap(entry);
  }
}
