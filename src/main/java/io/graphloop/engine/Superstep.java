package io.graphloop.engine;

import io.graphloop.errors.GraphRecursionException;
import io.graphloop.graph.Branch;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.state.State;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The bulk-synchronous (Pregel) algorithm as plain functions, the way LangGraph's {@code pregel/_algo.py}
 * is: {@link #begin} applies the input and plans step 0; {@link #advance} applies a completed step's
 * writes and plans the next. The coordinator verticle only moves messages around these two calls.
 *
 * <p>Planning rules: after a step, a node is due if a static edge leads to it from a node that ran,
 * a router of a node that ran chose it (the router sees the step's state plus only that node's own
 * writes), the {@code Command} a node returned goes to it, or a waiting join it targets saw its last
 * source finish. A node due for several reasons runs once, as one pull task with the step's state.
 * Besides, every {@code Send} (returned by a router or in a Command) is its own push task with the Send's
 * input, never merged with other Sends or with the pull task.
 *
 * <p>Order: tasks are ordered by node declaration order; for one node, its pull task (if any) comes first,
 * then its push tasks in the order the Sends were produced: results in task order, and for each result its
 * Command's Sends, then its routers' Sends in branch declaration order. The coordinator hands back the
 * results in this task order, so writes are applied in it and the outcome does not depend on timing.
 *
 * <p>Pure and stateless; safe to call from any thread.
 */
public final class Superstep {

  private Superstep() {
  }

  /**
   * Applies the input (as START's writes, through the reducers) to {@code previous} and plans step 0.
   *
   * @param previous the state to start from ({@link State#empty()} for a fresh run)
   */
  public static RunState begin(CompiledGraph graph, String runId, State previous, Map<String, Object> input) {
    return begin(graph, runId, previous, input, 0);
  }

  /**
   * Like {@link #begin(CompiledGraph, String, State, Map)}, planning step {@code firstStep}: a run on a thread goes on
   * numbering where the thread's last checkpoint stopped (its input is step {@code firstStep - 1}), as LangGraph's.
   */
  public static RunState begin(CompiledGraph graph, String runId, State previous, Map<String, Object> input,
                               int firstStep) {
    State state = WriteApplier.applyInput(graph, runId, previous, input);
    Targets targets = new Targets(graph.nodes().size());
    int start = graph.startIndex();
    for (int target : graph.edgeTargets(start)) {
      targets.add(target);
    }
    for (Branch branch : graph.branches(start)) {
      BranchRouting.route(graph, runId, firstStep - 1, branch, state, targets);
    }
    return new RunState(state, firstStep, targets.tasks(graph, firstStep, state), JoinBarriers.empty(graph));
  }

  /**
   * Applies the writes of the completed step {@code current.step()} and plans the next step.
   *
   * @param results        one result per task of the step, in the step's task order
   * @param recursionLimit a graph of this many supersteps completes; a run that goes past it fails
   * @throws io.graphloop.errors.InvalidUpdateException when the writes break a channel's rule
   * @throws GraphRecursionException when the run reaches the step after its budget
   */
  public static RunState advance(CompiledGraph graph, String runId, RunState current, List<TaskResult> results,
                                 int recursionLimit) {
    return advance(graph, runId, current, results, recursionLimit, 0);
  }

  /**
   * Like {@link #advance(CompiledGraph, String, RunState, List, int)} for a run whose step budget starts at
   * {@code budgetStart}: the recursion limit counts the run's own steps, so a run resumed or continued on a thread
   * gets the whole limit again. As LangGraph 1.x ({@code stop = step + recursion_limit + 1}, checked before a step is
   * planned), a run may reach step {@code budgetStart + recursionLimit}; reaching the one after fails the run, even
   * when no node is due there. A fresh run's budget starts at its first step (so a graph of S supersteps needs a limit
   * of S), a restored run's one step earlier (LangGraph counts from the checkpoint it loads).
   */
  public static RunState advance(CompiledGraph graph, String runId, RunState current, List<TaskResult> results,
                                 int recursionLimit, int budgetStart) {
    int step = current.step();
    State state = WriteApplier.apply(graph, runId, current.state(), results, step);
    Targets targets = new Targets(graph.nodes().size());
    boolean[][] joins = null;
    for (TaskResult result : results) {
      int node = result.task().nodeIndex();
      if (!result.goTo().isEmpty() || !result.sends().isEmpty()) {
        CommandRouting.route(graph, runId, step, result, targets);
      }
      for (int target : graph.edgeTargets(node)) {
        targets.add(target);
      }
      Branch[] branches = graph.branches(node);
      if (branches.length > 0) {
        State view = results.size() == 1 ? state
            : WriteApplier.apply(graph, runId, current.state(), List.of(result), step);
        for (Branch branch : branches) {
          BranchRouting.route(graph, runId, step, branch, view, targets);
        }
      }
      for (int join : graph.joinsOf(node)) {
        if (joins == null) {
          joins = current.joins().mutableCopy();
        }
        int[] sources = graph.joinSources(join);
        for (int p = 0; p < sources.length; p++) {
          if (sources[p] == node) {
            joins[join][p] = true;
          }
        }
      }
    }
    if (joins != null) {
      for (int join = 0; join < joins.length; join++) {
        if (allTrue(joins[join])) {
          targets.add(graph.joinTarget(join));
          Arrays.fill(joins[join], false);
        }
      }
    }
    JoinBarriers barriers = joins == null ? current.joins() : JoinBarriers.of(joins);
    int next = step + 1;
    List<Task> tasks = targets.tasks(graph, next, state);
    if ((long) next - budgetStart > recursionLimit) {
      throw new GraphRecursionException(graph.name(), runId, next, recursionLimit);
    }
    return new RunState(state, next, tasks, barriers);
  }

  private static boolean allTrue(boolean[] flags) {
    for (boolean flag : flags) {
      if (!flag) {
        return false;
      }
    }
    return true;
  }

  /**
   * The tasks due next: the set of node numbers due as pull tasks, kept small and sorted without boxing,
   * plus the Sends in the order they were produced.
   */
  private static final class Targets implements BranchRouting.TargetSink {
    private int[] items = new int[4];
    private int size;
    private final int nodeCount;
    private List<Send> sends;
    private int[] sendNodes;

    Targets(int nodeCount) {
      this.nodeCount = nodeCount;
    }

    @Override
    public void add(int node) {
      for (int i = 0; i < size; i++) {
        if (items[i] == node) {
          return;
        }
      }
      if (size == items.length) {
        items = Arrays.copyOf(items, Math.min(nodeCount, size * 2));
      }
      items[size++] = node;
    }

    @Override
    public void addSend(int node, Send send) {
      if (sends == null) {
        sends = new ArrayList<>();
        sendNodes = new int[4];
      } else if (sends.size() == sendNodes.length) {
        sendNodes = Arrays.copyOf(sendNodes, sendNodes.length * 2);
      }
      sendNodes[sends.size()] = node;
      sends.add(send);
    }

    List<Task> tasks(CompiledGraph graph, int step, State input) {
      if (sends == null) {
        return pullTasks(graph, step, input);
      }
      Arrays.sort(items, 0, size);
      Integer[] order = new Integer[sends.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Integer.compare(sendNodes[a], sendNodes[b])); // stable: keeps Send order
      List<Task> tasks = new ArrayList<>(size + order.length);
      int pull = 0;
      int push = 0;
      int pushNumber = 0;
      while (pull < size || push < order.length) {
        int pushNode = push < order.length ? sendNodes[order[push]] : Integer.MAX_VALUE;
        if (pull < size && items[pull] <= pushNode) {
          tasks.add(new Task(graph.node(items[pull]).name(), items[pull], step, input));
          pull++;
        } else {
          pushNumber = push > 0 && sendNodes[order[push - 1]] == pushNode ? pushNumber + 1 : 0;
          Send send = sends.get(order[push]);
          tasks.add(new Task(send.node(), pushNode, step, State.of(send.input()), pushNumber));
          push++;
        }
      }
      return tasks;
    }

    private List<Task> pullTasks(CompiledGraph graph, int step, State input) {
      if (size == 0) {
        return List.of();
      }
      Arrays.sort(items, 0, size);
      List<Task> tasks = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        tasks.add(new Task(graph.node(items[i]).name(), items[i], step, input));
      }
      return tasks;
    }
  }
}
