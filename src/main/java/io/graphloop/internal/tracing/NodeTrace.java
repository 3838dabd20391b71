package io.graphloop.internal.tracing;

/**
 * The span of one node execution, opened by {@link RunTracer#startNode} where the node runs.
 *
 * <p>Thread rules: {@link #end} once, from whichever thread ends the execution (event loop, worker or timer);
 * {@link #child} and {@link #traceParent} from the execution's callbacks, before or after its end.
 */
public interface NodeTrace {

  /** An untraced execution. */
  NodeTrace NONE = (outcome, failure) -> {
  };

  /**
   * Ends the span with {@code outcome} (success, failure, timeout, rejected) and the failure, if any.
   */
  void end(String outcome, Throwable failure);

  /** Opens a child span of this execution's span ({@link io.graphloop.graph.TraceSpan#NONE} when untraced). */
  default io.graphloop.graph.TraceSpan child(String name) {
    return io.graphloop.graph.TraceSpan.NONE;
  }

  /**
   * This execution's span context as a W3C {@code traceparent} (for a subgraph node: the child run's parent, see
   * {@code RunOptions.setTraceParent}), or {@code null} when untraced.
   */
  default String traceParent() {
    return null;
  }
}
