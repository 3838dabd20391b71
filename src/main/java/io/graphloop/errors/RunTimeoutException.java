package io.graphloop.errors;

import java.util.Map;

/**
 * A run did not reach END within its deadline. Results of nodes still in flight are discarded; the
 * state of the last completed step is kept in {@link #lastState()} when known.
 */
public class RunTimeoutException extends RunEndedException {

  private final long timeoutMs;

  public RunTimeoutException(String graph, String runId, Integer step, long timeoutMs, Map<String, Object> lastState) {
    super(FailureCode.TIMEOUT, "Run " + runId + " of graph '" + graph + "' did not finish within its deadline of "
        + timeoutMs + " ms" + (step == null ? "" : " (at step " + step + ")") + "; its nodes still in flight were "
        + "abandoned. Raise RunOptions.timeoutMs if the run needs longer.", graph, runId, step, lastState);
    this.timeoutMs = timeoutMs;
  }

  /** The deadline that passed, in ms. */
  public long timeoutMs() {
    return timeoutMs;
  }
}
