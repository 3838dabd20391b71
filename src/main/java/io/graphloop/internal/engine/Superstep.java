package io.graphloop.internal.engine;

import io.graphloop.internal.graph.GraphInternals;
import io.graphloop.errors.GraphRecursionException;
import io.graphloop.graph.Branch;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
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
 * <p>Order: the pull tasks come first, in node declaration order, then every push task, in the order the Sends were
 * produced (results in task order, and for each result its Command's Sends, then its routers' Sends in branch
 * declaration order), as LangGraph applies the writes of all edge-triggered tasks before those of any Send task
 * (among edge-triggered tasks LangGraph sorts by node name; Graphloop keeps declaration order). The coordinator hands
 * back the results in this task order, so writes are applied in it and the outcome does not depend on timing.
 *
 * <p>Pure and stateless; safe to call from any thread.
 */
public final class Superstep {

  private static final int[] NO_JOINS = new int[0];

  /** The graph's own arrays and options, without copies (this is the per-step path). */
  private static final GraphInternals.Accessor GRAPH = GraphInternals.get();

  private Superstep() {
  }

  /**
   * Where a run stands after its input (LangGraph's input checkpoint): {@code previous} unchanged, and one task due in
   * step {@code startStep}, START's, whose writes are the input. Completing it ({@link #startResult}, then
   * {@link #advance}) applies the input through the reducers and plans the first node step from START's edges, as
   * LangGraph's {@code __start__} task does: a fresh run's input checkpoint is step -1, START's step 0, and the first
   * nodes run in step 1.
   *
   * @param input     the run's input; keys outside the graph's {@link CompiledGraph#inputKeys() input keys} are dropped
   * @param startStep the step of START's task: 0 on a new thread, the thread's last step + 2 on one with checkpoints
   */
  public static RunState start(CompiledGraph graph, State previous, Map<String, Object> input, int startStep) {
    // START writes only the graph's input keys, as LangGraph's __start__ writes only its input schema's
    Task start = new Task(StateGraph.START, graph.startIndex(), startStep, State.of(graph.inputOf(input)));
    return new RunState(previous, startStep, List.of(start), JoinBarriers.empty(graph));
  }

  /** Whether {@code task} is START's (its writes are the run's input; no node runs it). */
  public static boolean isStart(CompiledGraph graph, Task task) {
    return task.nodeIndex() == graph.startIndex();
  }

  /** The result of START's task: the input as its writes. */
  public static TaskResult startResult(Task start) {
    return new TaskResult(start, start.input().asMap());
  }

  /**
   * Applies the input to {@code previous} and plans the first node step: {@link #start} and START's step in one call
   * (START's task is step 0, the first nodes' step 1).
   */
  public static RunState begin(CompiledGraph graph, String runId, State previous, Map<String, Object> input) {
    RunState started = start(graph, previous, input, 0);
    return advance(graph, runId, started, List.of(startResult(started.tasks().get(0))));
  }

  /**
   * Like {@link #begin(CompiledGraph, String, State, Map)} with START's task in step {@code startStep} (the first
   * nodes are due in {@code startStep + 1}).
   */
  public static RunState begin(CompiledGraph graph, String runId, State previous, Map<String, Object> input,
                               int startStep) {
    RunState started = start(graph, previous, input, startStep);
    return advance(graph, runId, started, List.of(startResult(started.tasks().get(0))));
  }

  /**
   * The last step a run may start, as LangGraph 1.x computes it ({@code stop = step + recursion_limit + 1}, where
   * {@code step} is the step after the checkpoint the run loaded): a run fails with {@link GraphRecursionException}
   * when it reaches a step past it, checked before each step, even when nothing is due there. So a fresh run (input
   * step -1, START's step 0) may start steps 0 to {@code limit}: a graph of N node steps needs a limit of N + 1, and
   * a run resumed from a checkpoint of step s may start steps s + 1 to s + limit + 2.
   *
   * @param firstStep the run's first step: START's step for a run with an input, the step after the loaded checkpoint
   *                  for a resumed run (a replay's restored step is one later when it saves a fork first: the fork's
   *                  step counts against the limit)
   * @param resumed   whether the run continues a checkpoint's tasks (no input)
   */
  public static long stopStep(int firstStep, boolean resumed, int recursionLimit) {
    return (long) firstStep + recursionLimit + (resumed ? 1 : 0);
  }

  /**
   * Fails when {@code step} is past {@code stop} ({@link #stopStep}).
   *
   * @throws GraphRecursionException naming the limit and the step
   */
  public static void checkStep(CompiledGraph graph, String runId, int step, long stop, int recursionLimit) {
    if (step > stop) {
      throw new GraphRecursionException(graph.name(), runId, step, recursionLimit);
    }
  }

  /**
   * Applies the writes of the completed step {@code current.step()} and plans the next step. The recursion limit is
   * the caller's to check ({@link #checkStep}) before it starts a step.
   *
   * @param results one result per task of the step, in the step's task order
   * @throws io.graphloop.errors.InvalidUpdateException when the writes break a channel's rule
   */
  public static RunState advance(CompiledGraph graph, String runId, RunState current, List<TaskResult> results) {
    int step = current.step();
    State state = WriteApplier.apply(graph, runId, current.state(), results, step);
    Targets targets = new Targets(graph.nodes().size());
    boolean[][] joins = null;
    for (int r = 0; r < results.size(); r++) { // (indexed: no iterator per step)
      TaskResult result = results.get(r);
      int node = result.task().nodeIndex();
      if (!result.goTo().isEmpty() || !result.sends().isEmpty()) {
        CommandRouting.route(graph, runId, step, result, targets);
      }
      int only = GRAPH.onlyEdgeTarget(graph, node); // (no array per node to reach in the usual case)
      if (only >= 0) {
        targets.add(only);
      } else if (only == GraphInternals.SEVERAL_EDGES) {
        for (int target : GRAPH.edgeTargets(graph, node)) {
          targets.add(target);
        }
      }
      Branch[] branches = GRAPH.branches(graph, node);
      if (branches.length > 0) {
        State view = results.size() == 1 ? state
            : WriteApplier.apply(graph, runId, current.state(), List.of(result), step);
        for (Branch branch : branches) {
          BranchRouting.route(graph, runId, step, branch, view, targets);
        }
      }
      for (int join : node == graph.startIndex() ? NO_JOINS : GRAPH.joinsOf(graph, node)) {
        if (joins == null) {
          joins = current.joins().mutableCopy();
        }
        int[] sources = GRAPH.joinSources(graph, join);
        for (int p = 0; p < sources.length; p++) {
          if (sources[p] == node) {
            joins[join][p] = true;
          }
        }
      }
    }
    boolean[] fired = null;
    if (joins != null) {
      for (int join = 0; join < joins.length; join++) {
        if (allTrue(joins[join])) {
          targets.add(graph.joinTarget(join));
          Arrays.fill(joins[join], false);
          fired = fired == null ? new boolean[joins.length] : fired;
          fired[join] = true;
        }
      }
    }
    JoinBarriers barriers = targets.defer(graph, (joins == null ? current.joins() : current.joins().withSeen(joins))
        .withFired(fired));
    int next = step + 1;
    List<Task> tasks = targets.tasks(graph, next, state);
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

    /**
     * Applies the defer rule to the pull tasks planned so far (LangGraph's {@code *AfterFinish} channels, made
     * available by {@code apply_writes} only when no updated channel triggers a node): deferred nodes that became due
     * join the waiting ones and leave the plan; when no other node is due by an edge, router, Command or join
     * (Sends do not count), every waiting deferred node is planned and stops waiting.
     *
     * @return {@code barriers} with the deferred nodes that still wait
     */
    JoinBarriers defer(CompiledGraph graph, JoinBarriers barriers) {
      if (!graph.hasDeferredNodes()) {
        return barriers;
      }
      boolean[] waiting = barriers.deferredCopy(nodeCount);
      int kept = 0;
      for (int i = 0; i < size; i++) {
        if (GRAPH.options(graph.node(items[i])).isDefer()) {
          waiting[items[i]] = true;
        } else {
          items[kept++] = items[i];
        }
      }
      size = kept;
      if (size == 0) {
        for (int node = 0; node < waiting.length; node++) {
          if (waiting[node]) {
            add(node);
            waiting[node] = false;
          }
        }
      }
      return barriers.withDeferred(waiting);
    }

    List<Task> tasks(CompiledGraph graph, int step, State input) {
      if (sends == null) {
        return pullTasks(graph, step, input);
      }
      List<Task> tasks = new ArrayList<>(size + sends.size());
      tasks.addAll(pullTasks(graph, step, input));
      int[] pushes = new int[graph.nodes().size()];
      for (int i = 0; i < sends.size(); i++) { // after every pull task, in the order the Sends were produced
        int node = sendNodes[i];
        tasks.add(new Task(sends.get(i).node(), node, step, State.of(sends.get(i).input()), pushes[node]++,
            sends.get(i).timeout()));
      }
      return tasks;
    }

    private List<Task> pullTasks(CompiledGraph graph, int step, State input) {
      if (size == 0) {
        return List.of();
      }
      if (size == 1) { // a chain's step: an immutable list that RunState keeps without a copy
        return List.of(new Task(GRAPH.nodeName(graph, items[0]), items[0], step, NodeInputs.pull(graph, items[0], input)));
      }
      Arrays.sort(items, 0, size);
      List<Task> tasks = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        tasks.add(new Task(GRAPH.nodeName(graph, items[i]), items[i], step, NodeInputs.pull(graph, items[i], input)));
      }
      return tasks;
    }
  }
}
