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

  /**
   * Refusals carry no stack trace: they are answers, not bugs (the message names the limit), and under a burst a
   * coordinator or client makes hundreds of thousands of them, which must stay cheap in time and memory.
   */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
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
