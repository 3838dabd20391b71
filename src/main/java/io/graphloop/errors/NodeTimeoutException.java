package io.graphloop.errors;

/**
 * A node did not answer within its time limit. Its late reply, if any, is ignored.
 */
public class NodeTimeoutException extends NodeFailedException {

  private final long timeoutMs;

  public NodeTimeoutException(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                              long timeoutMs) {
    super(FailureCode.TIMEOUT, "Node '" + node + "' of graph '" + graph + "' timed out after " + timeoutMs
            + " ms at step " + step + " (attempt " + attempt + "/" + maxAttempts + ") in run " + runId
            + ". Raise the node's timeout if the work is expected to take longer.",
        graph, runId, step, node, attempt, maxAttempts, null);
    this.timeoutMs = timeoutMs;
  }

  /** The limit that was exceeded, in milliseconds. */
  public long timeoutMs() {
    return timeoutMs;
  }
}
