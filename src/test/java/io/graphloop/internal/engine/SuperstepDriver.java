package io.graphloop.internal.engine;

import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stands in for the coordinator in the pure-engine tests: runs each due task through {@code nodes} (the simulated
 * node code, returning a raw output such as a Map or a Command, read as the node verticle reads it), passes the
 * results in task order to {@link Superstep#advance} and records which tasks ran ({@link #labels}).
 *
 * <p>Single-threaded, like the tests that use it.
 */
final class SuperstepDriver {

  /** A recursion limit no test graph reaches. */
  static final int NO_LIMIT = 10_000;
  /** A node whose code the tests never call (the driver's {@code nodes} function answers for it). */
  static final AsyncNode NOOP = (state, context) -> null;

  final CompiledGraph graph;
  final List<List<String>> trace = new ArrayList<>();
  private final String runId;
  private final int limit;
  RunState current;

  SuperstepDriver(String runId, CompiledGraph graph, State previous, Map<String, Object> input, int limit) {
    this.runId = runId;
    this.graph = graph;
    this.limit = limit;
    this.current = Superstep.begin(graph, runId, previous, input);
  }

  SuperstepDriver(String runId, CompiledGraph graph, Map<String, Object> input) {
    this(runId, graph, State.empty(), input, NO_LIMIT);
  }

  /** A graph named "g" with {@code nodes} declared in this order. */
  static StateGraph graph(String... nodes) {
    StateGraph graph = new StateGraph("g");
    for (String node : nodes) {
      graph.addNode(node, NOOP);
    }
    return graph;
  }

  /** "node" for a pull task, "node<input>" for a push task, so traces show which input each task got. */
  static List<String> labels(RunState state) {
    List<String> labels = new ArrayList<>();
    for (Task task : state.tasks()) {
      labels.add(task.isPush() ? task.node() + task.input().asMap() : task.node());
    }
    return labels;
  }

  /** Fails as the coordinator does when the next step is past the run's recursion limit (a fresh run's). */
  private void checkLimit() {
    Superstep.checkStep(graph, runId, current.step(), Superstep.stopStep(0, false, limit), limit);
  }

  RunState step(Function<Task, Object> nodes) {
    checkLimit();
    List<TaskResult> results = new ArrayList<>();
    for (Task task : current.tasks()) {
      results.add(TaskResult.of(task, NodeOutputs.toOutput(nodes.apply(task), task.node())));
    }
    trace.add(labels(current));
    current = Superstep.advance(graph, runId, current, results);
    return current;
  }

  State runToEnd(Function<Task, Object> nodes) {
    while (!current.isDone()) {
      assertTrue(trace.size() < 100, "runaway run: " + trace);
      step(nodes);
    }
    checkLimit(); // LangGraph checks before it finds nothing due
    return current.state();
  }
}
