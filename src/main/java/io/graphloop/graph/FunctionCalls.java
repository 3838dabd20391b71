package io.graphloop.graph;

import io.vertx.core.Future;

import java.util.List;
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

  /**
   * The calling task's full checkpoint namespace, which the interrupt ids of its body and of its task calls digest
   * ({@link InterruptIds}); {@code null} when unknown (a node outside the runtime), then the ids are the calling task's
   * id and the calls' ids.
   */
  default String namespace() {
    return null;
  }

  /** Whether the call {@code callId} has a stored result. */
  boolean has(String callId);

  /** The stored result of call {@code callId} (may be {@code null}); meaningful when {@link #has} says so. */
  Object get(String callId);

  /**
   * The interrupt answers this execution was given, in the order they were given: entries made by {@link #answer}
   * (the interrupt id they answer and the value). Each task call, and the entrypoint's own body, takes the answers
   * of its own interrupt id.
   */
  List<Object> answers();

  /**
   * Stores and streams the result of call {@code callId} of task {@code name} ({@code cached}: it came from the node
   * cache, not from a run of the task); the future completes once it is stored (at once when the run has no thread).
   */
  Future<Void> completed(String callId, String name, Object value, boolean cached);

  /**
   * Call {@code callId} of task {@code name} starts with {@code input} (it runs, or its stored result comes back): a
   * run that streams {@code tasks} or {@code debug} shows it as a task of its own, as LangGraph shows a PUSH task.
   * Fire and forget; the default does nothing.
   */
  default void started(String callId, String name, Object input) {
  }

  /**
   * The graph's node cache, where tasks with a cache policy keep their results; {@code null} when the graph has none
   * (the default).
   */
  default io.graphloop.cache.NodeCache cache() {
    return null;
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
      public List<Object> answers() {
        return List.of();
      }

      @Override
      public Future<Void> completed(String callId, String name, Object value, boolean cached) {
        return Future.succeededFuture();
      }
    };
  }

  /** The result in a stored entry {@code {"value": result, "answers": count}}. */
  static Object storedValue(Object entry) {
    return entry instanceof Map ? ((Map<?, ?>) entry).get("value") : null;
  }

  /** The key of an answer entry naming the interrupt id it answers. */
  String ANSWER_ID = "__interrupt_id__";

  /**
   * An answer entry, as the runtime stores it among a functional task's answers: {@code value} answers the interrupt
   * {@code interruptId} (a task call's, or the entrypoint's).
   */
  static Map<String, Object> answer(String interruptId, Object value) {
    Map<String, Object> entry = new java.util.LinkedHashMap<>();
    entry.put(ANSWER_ID, interruptId);
    entry.put("value", value);
    return entry;
  }

  /**
   * The key of an answer entry's mark saying it came from the run's {@code Command.resume} map: it is kept with the
   * entrypoint's answers only once its interrupt asked for it during the run (LangGraph stores a mapped value as a
   * {@code RESUME} write only when an {@code interrupt} takes it).
   */
  String FROM_MAP = "__from_map__";

  /**
   * The key, in the interrupt an entrypoint reports, of how many answers each interrupt id took during the execution
   * (id to count); the runtime reads and removes it before anyone sees the interrupt.
   */
  String ANSWERED = "__answered__";

  /** An answer entry from the run's resume map ({@link #FROM_MAP}). */
  static Map<String, Object> mappedAnswer(String interruptId, Object value) {
    Map<String, Object> entry = answer(interruptId, value);
    entry.put(FROM_MAP, true);
    return entry;
  }

  /** The interrupt id an answer entry answers, or {@code null} when {@code entry} is not one. */
  static String answerId(Object entry) {
    Object id = entry instanceof Map ? ((Map<?, ?>) entry).get(ANSWER_ID) : null;
    return id instanceof String ? (String) id : null;
  }

  /** The value of an answer entry. */
  static Object answerValue(Object entry) {
    return entry instanceof Map ? ((Map<?, ?>) entry).get("value") : null;
  }
}
