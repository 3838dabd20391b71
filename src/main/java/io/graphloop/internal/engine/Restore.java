package io.graphloop.internal.engine;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.state.State;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds where a run stood from what a checkpoint keeps (the state, the next tasks, the joins' progress), so a
 * thread resumes exactly where it stopped: the same tasks, in the same order, with the same ids.
 *
 * <p>Pure and stateless.
 */
public final class Restore {

  private Restore() {
  }

  /**
   * The run state before step {@code nextStep}.
   *
   * @param nextTasks the tasks due, as saved: {@code {"id", "node", "input"}} where {@code input} is a Send's input
   *                  (a push task), the run's input (START's task, due in an input checkpoint) or {@code null} (a
   *                  pull task)
   * @param joins     the joins' progress as {@link JoinBarriers#describe} wrote it
   * @throws IllegalArgumentException when a task names a node the graph does not have (the graph changed since)
   */
  public static RunState runState(CompiledGraph graph, State state, int nextStep, List<Map<String, Object>> nextTasks,
                                  Map<String, Object> joins) {
    List<Task> tasks = new ArrayList<>(nextTasks.size());
    int[] pushes = new int[graph.nodes().size()];
    for (Map<String, Object> saved : nextTasks) {
      String node = String.valueOf(saved.get("node"));
      int index = graph.indexOf(node);
      if (index >= 0 && index == graph.startIndex()) { // an input checkpoint: START's task writes the run's input
        tasks.add(startTask(graph, node, nextStep, saved.get("input")));
        continue;
      }
      if (index < 0) {
        throw new IllegalArgumentException("The checkpoint's next task names node '" + node + "', which graph '"
            + graph.name() + "' does not have (known nodes: " + graph.nodeNames() + "); was the graph changed?");
      }
      Object input = saved.get("input");
      if (input instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sendInput = (Map<String, Object>) input;
        tasks.add(new Task(node, index, nextStep, State.of(sendInput), pushes[index]++,
            io.graphloop.graph.Send.timeoutOf(saved, "the checkpoint's push task of node '" + node + "'")));
      } else {
        tasks.add(new Task(node, index, nextStep, NodeInputs.pull(graph, index, state)));
      }
    }
    return new RunState(state, nextStep, tasks, JoinBarriers.fromDescription(graph, joins));
  }

  private static Task startTask(CompiledGraph graph, String node, int step, Object input) {
    if (!(input instanceof Map)) {
      throw new IllegalArgumentException("The checkpoint is an input checkpoint of graph '" + graph.name()
          + "' whose START task does not keep the run's input (saved by Graphloop before 2026-12-06), so the run "
          + "cannot be continued from it; start a new run on the thread with the input instead.");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> values = (Map<String, Object>) input;
    return new Task(node, graph.startIndex(), step, State.of(values));
  }
}
