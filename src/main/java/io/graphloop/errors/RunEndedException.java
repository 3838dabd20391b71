package io.graphloop.errors;

import java.util.Map;

/**
 * A run ended early by a decision about the run itself (a deadline, a cancellation), not by a node.
 * It carries the state of the last completed step, so nothing the run had done is lost.
 */
public abstract class RunEndedException extends GraphloopException {

  private final transient Map<String, Object> lastState;

  protected RunEndedException(FailureCode code, String message, String graph, String runId, Integer step,
                              Map<String, Object> lastState) {
    super(code, message, graph, runId, step, null, null);
    this.lastState = lastState;
  }

  /**
   * The values of the state after the last completed step (immutable; {@code State.of(map)} gives the
   * snapshot back), or {@code null} when the run ended before its input was applied.
   */
  public Map<String, Object> lastState() {
    return lastState;
  }
}
