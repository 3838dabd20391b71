package io.graphloop.errors;

/**
 * A run went past its recursion limit: it reached the step after its budget (LangGraph 1.x's rule: a graph of S
 * supersteps completes with a limit of S). The run's state is that of its last completed step.
 */
public class GraphRecursionException extends GraphloopException {

  private final int limit;

  public GraphRecursionException(String graph, String runId, int step, int limit) {
    super(FailureCode.RECURSION_LIMIT,
        "Recursion limit of " + limit + " reached without hitting a stop condition in graph '" + graph
            + "' (run " + runId + ", step " + step + " is past the run's budget). If the graph loops on purpose, raise "
            + "the limit with RunOptions.setRecursionLimit(n); otherwise check its conditional edges for a "
            + "cycle that never routes to END.",
        graph, runId, step, null, null);
    this.limit = limit;
  }

  /** The limit that was reached. */
  public int limit() {
    return limit;
  }
}
