package io.graphloop.runtime;

import io.graphloop.internal.engine.RunState;
import io.graphloop.protocol.NodeReply;
import io.graphloop.state.State;

import java.util.List;
import java.util.Map;

/**
 * Where a run starts: fresh (a state and an input, planned from START) or restored from a thread's checkpoint (the
 * step's tasks, the replies of those that had completed, and the answers to interrupts).
 *
 * @param previous  the state to apply the input to (fresh runs)
 * @param input     the input (fresh runs), or {@code null} when restored
 * @param restored  the run state to continue from, or {@code null} for a fresh run
 * @param completed replies of restored tasks that had completed, by task id: they are not run again
 * @param resume    answers to interrupts, by task id
 * @param firstStep START's step for a fresh run (0, or on a thread its last checkpoint's step + 2, the input being
 *                  the step between: steps go on numbering across a thread's runs, as LangGraph's); for a resumed
 *                  run the step after the checkpoint it loaded (the restored step, except for a replay's fork:
 *                  {@link #countedFrom}), from which its recursion limit is counted
 * @param command   a Command given as the run's input, or {@code null}
 * @param failed    the error contexts of restored tasks that had failed and were handed to their error handler
 *                  ({@code NodeError.toMap()}), by task id: their handler runs in their place, not the node again
 */
record RunStart(State previous, Map<String, Object> input, RunState restored, Map<String, NodeReply> completed,
                Map<String, List<Object>> resume, int firstStep, CommandInput command,
                Map<String, Map<String, Object>> failed) {

  RunStart(State previous, Map<String, Object> input, RunState restored, Map<String, NodeReply> completed,
           Map<String, List<Object>> resume, int firstStep, CommandInput command) {
    this(previous, input, restored, completed, resume, firstStep, command, Map.of());
  }

  /** This start with the error contexts of tasks handed to their error handler ({@link #failed}). */
  RunStart withFailed(Map<String, Map<String, Object>> failed) {
    return failed.isEmpty() ? this
        : new RunStart(previous, input, restored, completed, resume, firstStep, command, Map.copyOf(failed));
  }

  /**
   * A Command given as the run's input (LangGraph's {@code invoke(Command(update=..., goto=...))}): applied to where
   * the run starts by {@link io.graphloop.internal.engine.CommandInputs}.
   */
  record CommandInput(Map<String, Object> update, List<String> goTo) {
    CommandInput {
      update = update == null ? Map.of() : update;
      goTo = goTo == null ? List.of() : List.copyOf(goTo);
    }

    boolean isEmpty() {
      return update.isEmpty() && goTo.isEmpty();
    }
  }

  /** This start with {@code command} applied to it ({@code null}: none). */
  RunStart with(CommandInput command) {
    if (command == null || command.isEmpty()) {
      return this;
    }
    return new RunStart(previous, input, restored, completed, resume, firstStep, command, failed);
  }

  /**
   * This start with its recursion limit counted from {@code step} (a replay that forks its checkpoint restores the
   * tasks one step later, but LangGraph counts the limit from the step after the checkpoint it loaded, so the fork's
   * step uses up one of the run's steps).
   */
  RunStart countedFrom(int step) {
    return new RunStart(previous, input, restored, completed, resume, step, command, failed);
  }

  RunStart(State previous, Map<String, Object> input, RunState restored, Map<String, NodeReply> completed,
           Map<String, List<Object>> resume, int firstStep) {
    this(previous, input, restored, completed, resume, firstStep, null);
  }

  static RunStart fresh(State previous, Map<String, Object> input) {
    return fresh(previous, input, 0);
  }

  static RunStart fresh(State previous, Map<String, Object> input, int firstStep) {
    return new RunStart(previous, input, null, Map.of(), Map.of(), firstStep);
  }

  static RunStart restored(RunState state, Map<String, NodeReply> completed, Map<String, List<Object>> resume) {
    return new RunStart(state.state(), null, state, completed, resume, state.step());
  }
}
