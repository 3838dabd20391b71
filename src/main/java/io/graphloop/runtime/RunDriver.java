package io.graphloop.runtime;

import io.graphloop.engine.RunState;
import io.graphloop.engine.Superstep;
import io.graphloop.engine.Task;
import io.graphloop.engine.TaskResult;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.protocol.NodeReply;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drives one run, superstep by superstep: sends the step's tasks to their nodes, waits at the join
 * point for every reply ({@code Future.join}: a failure does not cut the others short), then hands the
 * replies, in task order, to {@link Superstep#advance}. The algorithm lives in the pure engine; this
 * class only moves messages.
 *
 * <p>Thread rules: confined to its coordinator's event loop, like the coordinator (an actor; no locks).
 */
final class RunDriver {

  private final CompiledGraph graph;
  private final NodeDispatcher dispatcher;
  private final String runId;
  private final int recursionLimit;
  private final Promise<State> outcome = Promise.promise();
  private RunState current;
  private List<TaskResult> writesOfFailedStep = List.of();

  /** Sends one task to its node and returns its reply. */
  interface NodeDispatcher {
    Future<NodeReply> execute(String runId, Task task);

    GraphloopException failureOf(String runId, Task task, Throwable cause);
  }

  RunDriver(CompiledGraph graph, NodeDispatcher dispatcher, String runId, int recursionLimit) {
    this.graph = graph;
    this.dispatcher = dispatcher;
    this.runId = runId;
    this.recursionLimit = recursionLimit;
  }

  /** Starts the run from {@code previous} with {@code input}; the future holds the final state. */
  Future<State> start(State previous, Map<String, Object> input) {
    try {
      current = Superstep.begin(graph, runId, previous, input);
    } catch (RuntimeException e) {
      outcome.fail(asFailure(e));
      return outcome.future();
    }
    runStep();
    return outcome.future();
  }

  /** The state after the last completed step. */
  State lastState() {
    return current == null ? State.empty() : current.state();
  }

  /** The successful writes of the step that failed, if the run failed in a step. */
  List<TaskResult> writesOfFailedStep() {
    return writesOfFailedStep;
  }

  /** Ends the run now with {@code failure} (e.g. the coordinator is stopping); late replies are ignored. */
  void abort(GraphloopException failure) {
    outcome.tryFail(failure);
  }

  private void runStep() {
    if (outcome.future().isComplete()) {
      return;
    }
    if (current.isDone()) {
      outcome.tryComplete(current.state());
      return;
    }
    List<Task> tasks = current.tasks();
    if (tasks.size() == 1) {
      Future<NodeReply> reply = dispatcher.execute(runId, tasks.get(0));
      reply.onComplete(done -> finishStep(tasks, List.of(reply)));
      return;
    }
    List<Future<NodeReply>> replies = new ArrayList<>(tasks.size());
    for (Task task : tasks) {
      replies.add(dispatcher.execute(runId, task));
    }
    Future.join(replies).onComplete(done -> finishStep(tasks, replies));
  }

  private void finishStep(List<Task> tasks, List<Future<NodeReply>> replies) {
    if (outcome.future().isComplete()) {
      return;
    }
    List<TaskResult> results = new ArrayList<>(tasks.size());
    GraphloopException failure = null;
    for (int i = 0; i < tasks.size(); i++) {
      Future<NodeReply> reply = replies.get(i);
      if (reply.succeeded()) {
        results.add(reply.result().toResult(tasks.get(i)));
      } else {
        GraphloopException nodeFailure = dispatcher.failureOf(runId, tasks.get(i), reply.cause());
        if (failure == null) {
          failure = nodeFailure;
        } else if (failure != nodeFailure) {
          failure.addSuppressed(nodeFailure);
        }
      }
    }
    if (failure != null) {
      writesOfFailedStep = List.copyOf(results);
      outcome.tryFail(failure);
      return;
    }
    try {
      current = Superstep.advance(graph, runId, current, results, recursionLimit);
    } catch (RuntimeException e) {
      outcome.tryFail(asFailure(e));
      return;
    }
    runStep();
  }

  private GraphloopException asFailure(RuntimeException e) {
    if (e instanceof GraphloopException) {
      return (GraphloopException) e;
    }
    return new GraphloopException(FailureCode.INTERNAL, "Internal error in run " + runId + " of graph '"
        + graph.name() + "' at step " + (current == null ? -1 : current.step()) + ": " + e, graph.name(), runId,
        current == null ? null : current.step(), null, e);
  }
}
