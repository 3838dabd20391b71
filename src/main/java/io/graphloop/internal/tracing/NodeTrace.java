package io.graphloop.internal.tracing;

/**
 * The span of one node execution, opened by {@link RunTracer#startNode} where the node runs.
 *
 * <p>Thread rules: {@link #end} once, from whichever thread ends the execution (event loop, worker or timer).
 */
public interface NodeTrace {

  /** An untraced execution. */
  NodeTrace NONE = (outcome, failure) -> {
  };

  /**
   * Ends the span with {@code outcome} (success, failure, timeout, rejected) and the failure, if any.
   */
  void end(String outcome, Throwable failure);
}
