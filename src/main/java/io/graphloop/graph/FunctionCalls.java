package io.graphloop.graph;

import io.vertx.core.Future;

import java.util.Map;

/**
 * The task calls of one node execution of the functional API (an entrypoint, see {@code io.graphloop.func}): the
 * calling task's id (from which each call takes a deterministic id, as LangGraph's PUSH tasks do), the results of calls
 * stored before (on a resumed thread they are returned without running the task again), and where a completed call's
 * result goes to be stored as the thread's pending write and streamed. The runtime provides it through
 * {@link NodeContext#functionCalls()}; user code calls tasks through {@code FunctionContext.call} instead.
 *
 * <p>Implementations are thread-safe.
 */
public interface FunctionCalls {

  /**
   * Marks a node function as an entrypoint of the functional API: the runtime gives its executions their task id, the
   * stored results of their task calls and where to send new ones ({@link NodeContext#functionCalls()}).
   */
  interface Caller {
  }

  /** The id of the calling task (the entrypoint's task on the thread, or in the run without one). */
  String parentId();

  /** Whether the call {@code callId} has a stored result. */
  boolean has(String callId);

  /** The stored result of call {@code callId} (may be {@code null}); meaningful when {@link #has} says so. */
  Object get(String callId);

  /**
   * How many interrupt answers call {@code callId} used before it completed (its own {@code interrupt} calls and its
   * nested calls'); 0 when none or nothing is stored.
   */
  int answersOf(String callId);

  /**
   * Passes over {@code count} interrupt answers of this execution: a stored call that had used them returns its
   * result without asking again, so the next {@code interrupt} gets the answer after them.
   */
  void skipAnswers(int count);

  /**
   * Stores and streams the result of call {@code callId} of task {@code name}, which used {@code answers} interrupt
   * answers; the future completes once it is stored (at once when the run has no thread).
   */
  Future<Void> completed(String callId, String name, Object value, int answers);

  /**
   * Call {@code callId} of task {@code name} starts with {@code input} (it runs, or its stored result comes back): a
   * run that streams {@code tasks} or {@code debug} shows it as a task of its own, as LangGraph shows a PUSH task.
   * Fire and forget; the default does nothing.
   */
  default void started(String callId, String name, Object input) {
  }

  /** Calls with nothing stored and nowhere to store (a node outside the runtime, e.g. in a unit test). */
  static FunctionCalls local(String parentId) {
    return of(parentId, Map.of());
  }

  /**
   * Calls with the stored results {@code stored} (call id to {@code {"value": result, "answers": count}}) and nowhere
   * to store new ones; answers are skipped by nobody (a node without resume values).
   */
  static FunctionCalls of(String parentId, Map<String, Object> stored) {
    return new FunctionCalls() {
      @Override
      public String parentId() {
        return parentId;
      }

      @Override
      public boolean has(String callId) {
        return stored.containsKey(callId);
      }

      @Override
      public Object get(String callId) {
        return storedValue(stored.get(callId));
      }

      @Override
      public int answersOf(String callId) {
        return storedAnswers(stored.get(callId));
      }

      @Override
      public void skipAnswers(int count) {
      }

      @Override
      public Future<Void> completed(String callId, String name, Object value, int answers) {
        return Future.succeededFuture();
      }
    };
  }

  /** The result in a stored entry {@code {"value": result, "answers": count}}. */
  static Object storedValue(Object entry) {
    return entry instanceof Map ? ((Map<?, ?>) entry).get("value") : null;
  }

  /** The answer count in a stored entry {@code {"value": result, "answers": count}}. */
  static int storedAnswers(Object entry) {
    Object count = entry instanceof Map ? ((Map<?, ?>) entry).get("answers") : null;
    return count instanceof Number ? ((Number) count).intValue() : 0;
  }
}
