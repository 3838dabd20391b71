package io.graphloop.internal.engine;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.graphloop.state.Values;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An update of a thread's state from outside a run (LangGraph's {@code update_state}): the values are written as
 * if node {@code asNode} had returned them, through the channels' reducers, and the next tasks are planned as if
 * that node had just run (its static edges, its routers, the waiting joins it is a source of). The tasks that were
 * due before are replaced by these.
 *
 * <p>{@code asNode} may also be {@link StateGraph#START} (the values are an input: START's edges plan the tasks and
 * the joins restart, as for a new run) or {@link StateGraph#END} (the values are written and no task is due
 * afterwards).
 *
 * <p>Pure and stateless; safe to call from any thread.
 */
public final class StateUpdate {

  private StateUpdate() {
  }

  /**
   * Where the thread stands after the update.
   *
   * @param base   where it stood: its state, the step the update counts as ({@code base.step()}) and the joins'
   *               progress; its tasks are ignored
   * @param asNode a node of the graph, START or END
   * @param values the writes, or {@code null} for none
   * @return the state after the update, the tasks due in step {@code base.step() + 1}, the joins' progress
   * @throws IllegalArgumentException when {@code asNode} is not a node of the graph, START or END (listing them)
   * @throws io.graphloop.errors.InvalidUpdateException when the values break a channel's rule
   */
  public static RunState asNode(CompiledGraph graph, String runId, RunState base, String asNode,
                                Map<String, ?> values) {
    Map<String, Object> update = Values.freezeUpdate(values == null ? Map.of() : values,
        "the update of the thread's state as node '" + asNode + "'");
    if (StateGraph.START.equals(asNode)) {
      RunState begun = Superstep.begin(graph, runId, base.state(), update);
      List<Task> tasks = new ArrayList<>(begun.tasks().size());
      for (Task task : begun.tasks()) {
        tasks.add(new Task(task.node(), task.nodeIndex(), base.step() + 1, task.input(), task.push()));
      }
      return new RunState(begun.state(), base.step() + 1, tasks, begun.joins());
    }
    if (StateGraph.END.equals(asNode)) {
      Task end = new Task(StateGraph.END, -1, base.step(), base.state());
      State state = WriteApplier.apply(graph, runId, base.state(), List.of(new TaskResult(end, update)), base.step());
      return new RunState(state, base.step() + 1, List.of(), base.joins());
    }
    int index = graph.indexOf(asNode);
    if (index < 0) {
      throw new IllegalArgumentException("Cannot update the state as node '" + asNode + "': graph '" + graph.name()
          + "' has no such node. asNode must be one of " + graph.nodeNames() + ", " + StateGraph.START
          + " (the values are an input) or " + StateGraph.END + " (no task is due afterwards).");
    }
    Task task = new Task(asNode, index, base.step(), base.state());
    return Superstep.advance(graph, runId, base, List.of(new TaskResult(task, update)));
  }
}
