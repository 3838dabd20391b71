package io.graphloop.internal.engine;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.internal.graph.GraphInternals;
import io.graphloop.state.State;
import io.graphloop.state.Values;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An update of a thread's state from outside a run (LangGraph's {@code update_state}): the values are written as
 * if node {@code asNode} had returned them, through the channels' reducers, and the next tasks are planned as if
 * that node had just run (its static edges, its routers, the waiting joins it is a source of). Of the tasks that
 * were due before, those due because a waiting join fired stay due (LangGraph's join channel stays available until
 * its target runs: an update at a join keeps the join's target due), and so do deferred nodes that were due
 * ({@code NodeOptions.setDefer}: LangGraph's {@code *AfterFinish} channel stays available until its node runs); the
 * others (due by an edge, a router, a Command or a Send) are replaced, as LangGraph's update clears those one-step
 * channels.
 *
 * <p>An update may stand for a Command the node returned (LangGraph's {@code update_state(config, Command(...),
 * as_node)}): its goto targets and Sends are due next too, checked and planned as a node's Command's are.
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
   * @param base   where it stood: its state, the step the update counts as ({@code base.step()}), the joins'
   *               progress and the tasks that were due (of which only deferred nodes' pull tasks are read)
   * @param asNode a node of the graph, START or END
   * @param values the writes, or {@code null} for none
   * @return the state after the update, the tasks due in step {@code base.step() + 1}, the joins' progress
   * @throws IllegalArgumentException when {@code asNode} is not a node of the graph, START or END (listing them)
   * @throws io.graphloop.errors.InvalidUpdateException when the values break a channel's rule
   */
  public static RunState asNode(CompiledGraph graph, String runId, RunState base, String asNode,
                                Map<String, ?> values) {
    return asNode(graph, runId, base, new Write(asNode, values, List.of(), List.of()));
  }

  /**
   * One update written as a node's: its values, and the goto targets and Sends of the Command it stands for
   * (LangGraph's {@code update_state(config, Command(update=..., goto=...), as_node)}; empty for a plain update).
   *
   * @param asNode the node the update counts as
   * @param values the writes, or {@code null} for none
   * @param goTo   the nodes (or END) due next besides the node's edges, in order
   * @param sends  the Sends due next, in order (inputs frozen)
   */
  public record Write(String asNode, Map<String, ?> values, List<String> goTo, List<Send> sends) {

    public Write {
      goTo = goTo == null ? List.of() : List.copyOf(goTo);
      sends = sends == null ? List.of() : List.copyOf(sends);
    }

    boolean routes() {
      return !goTo.isEmpty() || !sends.isEmpty();
    }
  }

  /**
   * Where the thread stands after {@code write} (as {@link #asNode(CompiledGraph, String, RunState, String, Map)}),
   * its goto targets and Sends due next as if its node had returned them in a Command.
   *
   * @throws IllegalArgumentException when its node is not a node of the graph, START or END, or when an update as
   *                                  START or END has goto targets or Sends
   */
  public static RunState asNode(CompiledGraph graph, String runId, RunState base, Write write) {
    String asNode = write.asNode();
    Map<String, ?> values = write.values();
    if (write.routes() && (StateGraph.START.equals(asNode) || StateGraph.END.equals(asNode))) {
      throw new IllegalArgumentException("An update as " + asNode + " takes values only, not goto targets or Sends "
          + "(got goto " + write.goTo() + ", " + write.sends().size() + " Send(s)); update as the node that routes.");
    }
    Map<String, Object> update = Values.freezeUpdate(values == null ? Map.of() : values,
        "the update of the thread's state as node '" + asNode + "'");
    if (StateGraph.START.equals(asNode)) {
      RunState begun = Superstep.begin(graph, runId, base.state(), update);
      List<Task> tasks = new ArrayList<>(begun.tasks().size());
      for (Task task : begun.tasks()) {
        tasks.add(new Task(task.node(), task.nodeIndex(), base.step() + 1, task.input(), task.push(), task.timeout()));
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
    RunState after = Superstep.advance(graph, runId, base,
        List.of(new TaskResult(task, update, write.goTo(), write.sends())));
    return keepFiredJoins(graph, base, after);
  }

  /**
   * Where the thread stands after one superstep of several updates (LangGraph's {@code bulk_update_state} superstep):
   * each update's values written as its node's, all in one step in the order given, the next tasks planned as if
   * those nodes had run together. Every update names a node of the graph (not START, END or a copy).
   *
   * @param updates the node names and their writes ({@code null} values: none), at least one
   * @throws IllegalArgumentException when an update names no node or one the graph does not have
   * @throws io.graphloop.errors.InvalidUpdateException when the values break a channel's rule
   */
  public static RunState asNodes(CompiledGraph graph, String runId, RunState base, List<Write> updates) {
    List<TaskResult> results = new ArrayList<>(updates.size());
    for (Write entry : updates) {
      String asNode = entry.asNode();
      int index = asNode == null ? -1 : graph.indexOf(asNode);
      if (index < 0 || index == graph.startIndex()) {
        throw new IllegalArgumentException("Update " + results.size() + " of a superstep of several updates counts as "
            + (asNode == null ? "no node" : "'" + asNode + "'") + ": each update of such a superstep must name a node "
            + "of graph '" + graph.name() + "', one of " + graph.nodeNames() + " (" + StateGraph.START + ", "
            + StateGraph.END + ", __copy__ and __input__ only as a superstep's one update).");
      }
      Map<String, Object> values = Values.freezeUpdate(entry.values() == null ? Map.of() : entry.values(),
          "the update of the thread's state as node '" + asNode + "'");
      results.add(new TaskResult(new Task(asNode, index, base.step(), base.state()), values, entry.goTo(),
          entry.sends()));
    }
    return keepFiredJoins(graph, base, Superstep.advance(graph, runId, base, results));
  }

  /**
   * {@code after} with the targets of the joins that had fired in {@code base} (and whose targets have not run
   * since) and the deferred nodes that were due in {@code base} due as well, as pull tasks in declaration order
   * before the push tasks, and those joins still marked fired.
   */
  private static RunState keepFiredJoins(CompiledGraph graph, RunState base, RunState after) {
    JoinBarriers before = base.joins();
    boolean[] fired = null;
    java.util.BitSet due = new java.util.BitSet(graph.nodes().size());
    for (int join = 0; join < graph.joins().size(); join++) {
      if (before.fired(join)) {
        fired = fired == null ? after.joins().firedCopy() : fired;
        fired[join] = true;
        due.set(graph.joinTarget(join));
      }
    }
    for (Task task : base.tasks()) {
      if (!task.isPush() && task.nodeIndex() >= 0 && task.nodeIndex() != graph.startIndex()
          && GraphInternals.get().options(graph.node(task.nodeIndex())).isDefer()) {
        due.set(task.nodeIndex());
      }
    }
    if (due.isEmpty()) {
      return after;
    }
    List<Task> pushes = new ArrayList<>();
    for (Task task : after.tasks()) {
      if (task.isPush()) {
        pushes.add(task);
      } else {
        due.set(task.nodeIndex());
      }
    }
    List<Task> tasks = new ArrayList<>(due.cardinality() + pushes.size());
    for (int node = due.nextSetBit(0); node >= 0; node = due.nextSetBit(node + 1)) {
      tasks.add(new Task(graph.node(node).name(), node, after.step(), NodeInputs.pull(graph, node, after.state())));
    }
    tasks.addAll(pushes);
    return new RunState(after.state(), after.step(), tasks, fired == null ? after.joins()
        : after.joins().withFired(fired));
  }
}
