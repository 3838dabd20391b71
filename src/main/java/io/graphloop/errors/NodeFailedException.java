package io.graphloop.errors;

/**
 * A node (or the router on its outgoing edges) threw, or returned a failed future. The cause is the
 * node's own exception; across JVMs it is a {@link RemoteCause} that keeps the original class and
 * message.
 */
public class NodeFailedException extends GraphloopException {

  private final int attempt;
  private final int maxAttempts;

  public NodeFailedException(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                             Throwable cause) {
    this(FailureCode.NODE_FAILED, "Node '" + node + "' of graph '" + graph + "' failed at step " + step
        + " (attempt " + attempt + "/" + maxAttempts + ") in run " + runId + ": " + describe(cause),
        graph, runId, step, node, attempt, maxAttempts, cause);
  }

  protected NodeFailedException(FailureCode code, String message, String graph, String runId, int step, String node,
                                int attempt, int maxAttempts, Throwable cause) {
    super(code, message, graph, runId, step, node, cause);
    this.attempt = attempt;
    this.maxAttempts = maxAttempts;
  }

  /** The attempt that failed, counting from 1. */
  public int attempt() {
    return attempt;
  }

  /** How many attempts the node's policy allowed. */
  public int maxAttempts() {
    return maxAttempts;
  }

  static String describe(Throwable cause) {
    if (cause == null) {
      return "no cause given";
    }
    String name = cause instanceof RemoteCause ? ((RemoteCause) cause).className() : cause.getClass().getName();
    return cause.getMessage() == null ? name : name + ": " + cause.getMessage();
  }
}
