package io.graphloop.runtime;

import io.graphloop.errors.GraphInterrupt;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.ParentCommand;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.errors.RunEndedException;
import io.graphloop.errors.RunTimeoutException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeError;
import io.graphloop.internal.engine.Task;
import io.graphloop.internal.graph.GraphInternals;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rules of error-handler nodes ({@code StateGraph.errorHandler}, {@code NodeDefaults.errorHandler}) for
 * {@link StepTasks}: which failures a handler takes, the handler's task in the failed task's place, and the run limits
 * that carry the failure's context to the handler's node (in its configuration, under {@link NodeError#CONFIG_KEY},
 * as LangGraph passes {@code NodeError} in its {@code configurable}).
 *
 * <p>Stateless; safe from any thread.
 */
final class ErrorHandlers {

  private static final GraphInternals.Accessor GRAPH = GraphInternals.get();

  private ErrorHandlers() {
  }

  /**
   * The node of the error handler that takes {@code failure}, the final failure of {@code task}, or -1: the node has
   * no handler (or is one), or the failure is not the node's own: an interrupt (never swallowed), a
   * {@code Command.PARENT} on its way up, or the end of the run (cancelled, timed out).
   */
  static int handlerOf(CompiledGraph graph, Task task, GraphloopException failure) {
    int handler = task.nodeIndex() < 0 ? -1 : GRAPH.errorHandler(graph, task.nodeIndex());
    if (handler < 0 || failure instanceof GraphInterrupt || failure instanceof ParentCommand
        || failure instanceof RunCancelledException || failure instanceof RunEndedException
        || failure instanceof RunTimeoutException) {
      return -1;
    }
    return handler;
  }

  /**
   * The task of node {@code handler} that runs in the place of task {@code failed}, number {@code index} of its
   * step: in the same step, on the failed task's input, a push task numbered by that index (LangGraph schedules the
   * handler as a PUSH task), so two nodes handled by the default handler in one step have distinct task ids.
   */
  static Task handlerTask(CompiledGraph graph, Task failed, int handler, int index) {
    return new Task(GRAPH.nodeName(graph, handler), handler, failed.step(), failed.input(), index);
  }

  /** {@code limits} whose configuration carries {@code error} to the handler's node ({@link NodeError#CONFIG_KEY}). */
  static RunDriver.Limits withError(RunDriver.Limits limits, NodeError error) {
    Map<String, Object> config = new LinkedHashMap<>(limits.config());
    config.put(NodeError.CONFIG_KEY, error.toMap());
    return limits.withConfig(java.util.Collections.unmodifiableMap(config));
  }
}
