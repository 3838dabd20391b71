package io.graphloop.internal.engine;

import io.graphloop.graph.StateGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Breakpoint decisions, LangGraph's {@code should_interrupt} in {@code pregel/_algo.py}: a step stops before it runs
 * when one of its tasks' nodes is in the run's or the compiled graph's {@code interruptBefore}, and after it ran when
 * one of them is in an {@code interruptAfter}. A hit is {@code {"node": name, "when": "before"|"after"}}, one per node
 * (a node due several times in the step, e.g. by Sends, is one hit), in task order.
 *
 * <p>Pure and stateless; safe to call from any thread.
 */
public final class Breakpoints {

  /** {@code "before"}: the step stops before its tasks run. */
  public static final String BEFORE = "before";
  /** {@code "after"}: the run stops after the step ran (its writes applied and checkpointed). */
  public static final String AFTER = "after";

  private Breakpoints() {
  }

  /**
   * The breakpoints {@code tasks} hit, as the run ({@code perRun}) and the compiled graph ({@code compiled}) name
   * them for {@code when} ({@link #BEFORE} or {@link #AFTER}); empty when none (without allocating in the usual case
   * of no breakpoints at all).
   */
  public static List<Map<String, Object>> hits(List<Task> tasks, Set<String> perRun, Set<String> compiled,
                                               String when) {
    if (perRun.isEmpty() && compiled.isEmpty()) { // the usual case, once per step
      return List.of();
    }
    List<Map<String, Object>> hits = new ArrayList<>();
    for (Task task : tasks) {
      if ((perRun.contains(task.node()) || compiled.contains(task.node())
          || (perRun.contains(StateGraph.ALL_NODES) || compiled.contains(StateGraph.ALL_NODES))
          && !task.node().equals(StateGraph.START))
          && hits.stream().noneMatch(hit -> hit.get("node").equals(task.node()))) {
        hits.add(Map.of("node", task.node(), "when", when));
      }
    }
    return hits;
  }
}
