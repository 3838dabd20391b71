package io.graphloop.internal.engine;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A {@code Command} as a run's input (LangGraph's {@code invoke(Command(update=..., goto=...))}), planned as
 * LangGraph 1.2.12 plans it ({@code _loop.py}: the Command's writes are the null task's writes, applied before the
 * first step; its goto targets trigger their nodes).
 *
 * <ul>
 *   <li>On a thread with a checkpoint ({@link #restored}): the update goes through the reducers onto the
 *       checkpoint's state, and the goto targets run beside the tasks still due there (a resume, if any, answers
 *       those).</li>
 *   <li>Otherwise ({@link #begin}): LangGraph applies the update twice, once as the null task's writes and once
 *       more as START's input (START then runs its edges too), and the goto targets run beside START's targets.
 *       Graphloop gives the same answer.</li>
 * </ul>
 *
 * <p>Pure and stateless.
 */
public final class CommandInputs {

  private CommandInputs() {
  }

  /** A fresh run's first step for a Command input with {@code update} and {@code goTo} (see the class comment). */
  public static RunState begin(CompiledGraph graph, String runId, State previous, Map<String, Object> update,
                               List<String> goTo, int firstStep) {
    State once = WriteApplier.applyInput(graph, runId, previous, graph.channelWritesOf(update));
    RunState begun = Superstep.begin(graph, runId, once, update, firstStep);
    return withTargets(graph, runId, begun, goTo);
  }

  /** The restored step {@code restored} after a Command input's {@code update} and {@code goTo}. */
  public static RunState restored(CompiledGraph graph, String runId, RunState restored, Map<String, Object> update,
                                  List<String> goTo) {
    State state = WriteApplier.applyInput(graph, runId, restored.state(), graph.channelWritesOf(update));
    List<Task> tasks = new ArrayList<>(restored.tasks().size());
    for (Task task : restored.tasks()) { // pull tasks read the updated state; push tasks keep their Send's input
      tasks.add(task.isPush() ? task : new Task(task.node(), task.nodeIndex(), task.step(),
          NodeInputs.pull(graph, task.nodeIndex(), state)));
    }
    return withTargets(graph, runId, new RunState(state, restored.step(), tasks, restored.joins()), goTo);
  }

  private static RunState withTargets(CompiledGraph graph, String runId, RunState run, List<String> goTo) {
    if (goTo.isEmpty()) {
      return run;
    }
    List<Task> tasks = new ArrayList<>(run.tasks());
    for (String target : goTo) {
      if (StateGraph.END.equals(target)) {
        continue;
      }
      int index = graph.indexOf(target);
      if (index < 0 || index == graph.startIndex()) {
        throw new GraphloopException(FailureCode.BAD_REQUEST, "The run's Command goes to '" + target + "', which is "
            + "not a node of graph '" + graph.name() + "'; the nodes are " + graph.nodeNames() + ".", graph.name(),
            runId, run.step(), null, null);
      }
      if (tasks.stream().noneMatch(task -> task.nodeIndex() == index && !task.isPush())) {
        tasks.add(new Task(target, index, run.step(), NodeInputs.pull(graph, index, run.state())));
      }
    }
    tasks.sort(Comparator.comparingInt(Task::nodeIndex).thenComparing(Task::isPush)); // stable: Sends keep order
    return new RunState(run.state(), run.step(), tasks, run.joins());
  }
}
