package io.graphloop.runtime;

import io.graphloop.state.State;

import java.util.List;
import java.util.Map;

/**
 * How a run that did not fail ended: at END, or interrupted (a static breakpoint or a node's {@code interrupt}),
 * waiting to be resumed on its thread.
 *
 * @param values       the state: the final one, or the one of the last completed step when interrupted
 * @param interrupts   what the run waits for, one entry per interrupt: {@code {"node", "taskId", "value"}} (the
 *                     node's payload) or {@code {"node", "when": "before"|"after"}} for a breakpoint; empty at END
 * @param checkpointId the thread's checkpoint the run ended at, or {@code null} without a thread
 */
record RunEnd(State values, List<Map<String, Object>> interrupts, String checkpointId) {

  RunEnd {
    interrupts = List.copyOf(interrupts);
  }

  boolean interrupted() {
    return !interrupts.isEmpty();
  }
}
