package io.graphloop.errors;

/**
 * A bounded resource was full and Graphloop refused more work rather than queue it without limit:
 * a node's concurrency limit and its wait queue, or a coordinator's in-flight runs. Transient: the
 * same work may succeed later.
 */
public class LimitReachedException extends GraphloopException {

  private final String limitName;
  private final int limit;

  public LimitReachedException(String message, String graph, String runId, Integer step, String node, String limitName,
                               int limit) {
    super(FailureCode.OVERLOADED, message, graph, runId, step, node, null);
    this.limitName = limitName;
    this.limit = limit;
  }

  /** The name of the limit that was reached, e.g. {@code maxConcurrency} or {@code maxInFlightRuns}. */
  public String limitName() {
    return limitName;
  }

  /** Its value. */
  public int limit() {
    return limit;
  }
}
