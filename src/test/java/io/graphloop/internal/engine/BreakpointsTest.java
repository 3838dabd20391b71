package io.graphloop.internal.engine;

import io.graphloop.state.State;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Breakpoint decisions in the pure engine (LangGraph's {@code should_interrupt}): which nodes of a step's tasks are
 * named by the run's or the compiled graph's breakpoints, one hit per node, in task order.
 */
class BreakpointsTest {

  private static final List<Task> STEP = List.of(new Task("a", 0, 3, State.empty()), new Task("b", 1, 3, State.empty()),
      new Task("a", 0, 3, State.empty()), new Task("c", 2, 3, State.empty()));

  @Test
  void aStepHitsEachNamedNodeOnceInTaskOrder() {
    assertEquals(List.of(Map.of("node", "a", "when", "before"), Map.of("node", "b", "when", "before")),
        Breakpoints.hits(STEP, Set.of("b"), Set.of("a"), Breakpoints.BEFORE),
        "the run's and the compiled graph's breakpoints both count; a node due twice (a Send) is one hit");
    assertEquals(List.of(Map.of("node", "c", "when", "after")),
        Breakpoints.hits(STEP, Set.of("c", "z"), Set.of(), Breakpoints.AFTER));
  }

  @Test
  void noBreakpointsOrNoneOfTheStepsNodesHitNothing() {
    assertTrue(Breakpoints.hits(STEP, Set.of(), Set.of(), Breakpoints.BEFORE).isEmpty());
    assertTrue(Breakpoints.hits(STEP, Set.of("z"), Set.of("y"), Breakpoints.AFTER).isEmpty());
    assertTrue(Breakpoints.hits(List.of(), Set.of("a"), Set.of("a"), Breakpoints.BEFORE).isEmpty());
  }
}
