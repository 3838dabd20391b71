package io.graphloop.internal.engine;

import io.graphloop.state.State;

import java.util.List;

/**
 * Where a run stands between two supersteps: the state after the last completed step, the number of
 * the next step, the tasks due in it, and the waiting joins' progress. A run is done when no task is due.
 *
 * <p>Immutable.
 *
 * @param state the state after the last completed step
 * @param step  the number of the next step (0 is the first step after the input)
 * @param tasks the tasks due in the next step, in declaration order of their nodes
 * @param joins the waiting joins' progress
 */
public record RunState(State state, int step, List<Task> tasks, JoinBarriers joins) {

  public RunState {
    tasks = List.copyOf(tasks);
  }

  /** Whether the run has reached END: no task is due. */
  public boolean isDone() {
    return tasks.isEmpty();
  }
}
