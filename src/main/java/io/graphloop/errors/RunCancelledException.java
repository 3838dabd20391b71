package io.graphloop.errors;

import java.util.Map;

/**
 * A run was cancelled (by id, or because its graph was undeployed). No further step started, results of
 * nodes in flight were discarded, and the state of the last completed step is in {@link #lastState()}.
 */
public class RunCancelledException extends RunEndedException {

  public RunCancelledException(String graph, String runId, Integer step, String why, Map<String, Object> lastState) {
    super(FailureCode.CANCELLED, "Run " + runId + " of graph '" + graph + "' was cancelled"
        + (step == null ? "" : " before step " + step + " completed") + ": " + why, graph, runId, step, lastState);
  }

  protected RunCancelledException(String message, String graph, String runId, Integer step, Map<String, Object> lastState) {
    super(FailureCode.CANCELLED, message, graph, runId, step, lastState);
  }

  /** Rebuilds one from its parts (e.g. from JSON), keeping the message as it was. */
  public static RunCancelledException withMessage(String message, String graph, String runId, Integer step,
                                                  Map<String, Object> lastState) {
    return new RunCancelledException(message, graph, runId, step, lastState);
  }
}
