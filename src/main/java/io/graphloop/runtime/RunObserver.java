package io.graphloop.runtime;

import io.graphloop.engine.RunState;
import io.graphloop.engine.Task;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.NodeReply;

/**
 * What a {@link RunDriver} reports while it runs, for streaming. The driver of a run nobody streams has no
 * observer, so it pays nothing. An observer can also hold the run back between steps (backpressure): the
 * driver starts the next step only when {@link #readyForStep} says so, or when the callback it passed runs.
 *
 * <p>Thread rules: called on the run's coordinator event loop only.
 */
interface RunObserver {

  /** The input was applied: {@code state} is the run's state before step 0. */
  void onInput(String runId, RunState state);

  /** A task's attempt was sent to its node. */
  void onTaskStart(String runId, Task task, int attempt);

  /** A task ended: {@code reply} on success, else {@code failure} (after its last attempt). */
  void onTaskEnd(String runId, Task task, int attempt, NodeReply reply, GraphloopException failure, long nanos);

  /** Step {@code step} completed; {@code next} is where the run stands now. */
  void onStepEnd(String runId, int step, RunState next);

  /** The run ended: at END or interrupted ({@code end}), or with a failure. */
  void onEnd(String runId, RunEnd end, GraphloopException failure);

  /**
   * Whether the next step may start now; if not, the observer calls {@code resume} once it may.
   */
  boolean readyForStep(Runnable resume);
}
