package io.graphloop.runtime;

import io.graphloop.engine.RunState;
import io.graphloop.engine.Superstep;
import io.graphloop.engine.Task;
import io.graphloop.engine.TaskResult;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.errors.RunTimeoutException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.protocol.NodeReply;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drives one run, superstep by superstep: sends the step's tasks to their nodes (at most
 * {@code maxConcurrency} at once, as a sliding window), retries failed tasks under their node's
 * {@link RetryPolicy} with a timer, waits at the join point for every task ({@code Future.join}: a failure
 * does not cut the others short), then hands the results, in task order, to {@link Superstep#advance}.
 * The algorithm lives in the pure engine; this class only moves messages and keeps time.
 *
 * <p>A run ends when the engine finds no task due, when a task fails for good, at its deadline, or when it is
 * cancelled; whatever comes later (replies, retry timers) is ignored.
 *
 * <p>Thread rules: confined to its coordinator's event loop, like the coordinator (an actor; no locks).
 */
final class RunDriver {

  /** How the driver reaches nodes; implemented by the coordinator. */
  interface NodeDispatcher {
    Future<NodeReply> execute(String runId, Limits run, Task task, int attempt, int maxAttempts);

    GraphloopException failureOf(String runId, Task task, int attempt, int maxAttempts, Throwable cause);

    void onRetry(Task task);
  }

  /**
   * Per-run limits, the run's configuration (frozen, handed to every node) and where nodes send custom stream
   * events ({@code null} when nobody streams them).
   */
  record Limits(int recursionLimit, int maxConcurrency, long timeoutMs, Map<String, Object> config,
                String eventsTo, List<String> streamModes) {
  }

  private final Vertx vertx;
  private final CompiledGraph graph;
  private final NodeDispatcher dispatcher;
  private final String runId;
  private final Limits limits;
  private final Promise<State> outcome = Promise.promise();
  private RunState current;
  private List<TaskResult> writesOfFailedStep = List.of();

  private List<Task> tasks;
  private List<Promise<NodeReply>> slots;
  private int nextToStart;
  private RunObserver observer;

  RunDriver(Vertx vertx, CompiledGraph graph, NodeDispatcher dispatcher, String runId, Limits limits) {
    this.vertx = vertx;
    this.graph = graph;
    this.dispatcher = dispatcher;
    this.runId = runId;
    this.limits = limits;
  }

  /** Reports the run's progress to {@code observer} (for streaming); call before {@link #start}. */
  void observe(RunObserver observer) {
    this.observer = observer;
  }

  /** Starts the run from {@code previous} with {@code input}; the future holds the final state. */
  Future<State> start(State previous, Map<String, Object> input) {
    if (observer != null) {
      outcome.future().onComplete(done -> observer.onEnd(runId, done.result(),
          done.failed() ? (GraphloopException) done.cause() : null));
    }
    try {
      current = Superstep.begin(graph, runId, previous, input);
    } catch (RuntimeException e) {
      outcome.tryFail(asFailure(e));
      return outcome.future();
    }
    if (observer != null) {
      observer.onInput(runId, current);
    }
    runStep();
    return outcome.future();
  }

  /** The run's id. */
  String runId() {
    return runId;
  }

  /** The state after the last completed step. */
  State lastState() {
    return current == null ? State.empty() : current.state();
  }

  /** The successful writes of the step that failed, if the run failed in a step. */
  List<TaskResult> writesOfFailedStep() {
    return writesOfFailedStep;
  }

  /** Cancels the run: no further step starts, results in flight are discarded. Returns false if it had ended. */
  boolean cancel(String why) {
    return outcome.tryFail(new RunCancelledException(graph.name(), runId, current == null ? null : current.step(),
        why, lastValues()));
  }

  /** The run's deadline passed (the coordinator keeps the deadlines of all its runs): it fails as timed out. */
  void expire() {
    outcome.tryFail(new RunTimeoutException(graph.name(), runId, current == null ? null : current.step(),
        limits.timeoutMs(), lastValues()));
  }

  /** Ends the run now with {@code failure}; late replies are ignored. */
  void abort(GraphloopException failure) {
    outcome.tryFail(failure);
  }

  private Map<String, Object> lastValues() {
    return current == null ? null : current.state().asMap();
  }

  private boolean ended() {
    return outcome.future().isComplete();
  }

  private void runStep() {
    if (ended()) {
      return;
    }
    if (current.isDone()) {
      outcome.tryComplete(current.state());
      return;
    }
    if (observer != null && !observer.readyForStep(this::runStep)) {
      return;
    }
    tasks = current.tasks();
    int count = tasks.size();
    slots = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      slots.add(Promise.promise());
    }
    nextToStart = 0;
    int window = limits.maxConcurrency() > 0 ? Math.min(limits.maxConcurrency(), count) : count;
    while (nextToStart < window) {
      attempt(nextToStart++, 1);
    }
    List<Task> stepTasks = tasks;
    List<Promise<NodeReply>> stepSlots = slots;
    if (count == 1) {
      stepSlots.get(0).future().onComplete(done -> finishStep(stepTasks, stepSlots));
    } else {
      List<Future<NodeReply>> replies = new ArrayList<>(count);
      stepSlots.forEach(slot -> replies.add(slot.future()));
      Future.join(replies).onComplete(done -> finishStep(stepTasks, stepSlots));
    }
  }

  private void attempt(int index, int attempt) {
    Task task = tasks.get(index);
    Promise<NodeReply> slot = slots.get(index);
    RetryPolicy policy = graph.node(task.nodeIndex()).options().getRetry();
    int maxAttempts = policy.maxAttempts();
    long started = observer == null ? 0 : System.nanoTime();
    if (observer != null) {
      observer.onTaskStart(runId, task, attempt);
    }
    dispatcher.execute(runId, limits, task, attempt, maxAttempts).onComplete(reply -> {
      if (ended()) {
        return;
      }
      if (reply.succeeded()) {
        if (observer != null) {
          observer.onTaskEnd(runId, task, attempt, reply.result(), null, System.nanoTime() - started);
        }
        settle(slot, reply.result(), null);
        return;
      }
      GraphloopException failure = dispatcher.failureOf(runId, task, attempt, maxAttempts, reply.cause());
      long delay = policy.nextDelayMs(attempt, failure);
      if (observer != null) {
        observer.onTaskEnd(runId, task, attempt, null, failure, System.nanoTime() - started);
      }
      if (delay == RetryPolicy.NO_RETRY) {
        settle(slot, null, failure);
        return;
      }
      dispatcher.onRetry(task);
      vertx.setTimer(Math.max(1, delay), id -> {
        if (!ended()) {
          attempt(index, attempt + 1);
        }
      });
    });
  }

  /** Completes a task's slot and, under a concurrency limit, starts the next task of the step. */
  private void settle(Promise<NodeReply> slot, NodeReply reply, GraphloopException failure) {
    if (failure == null) {
      slot.complete(reply);
    } else {
      slot.fail(failure);
    }
    if (nextToStart < tasks.size()) {
      attempt(nextToStart++, 1);
    }
  }

  private void finishStep(List<Task> stepTasks, List<Promise<NodeReply>> stepSlots) {
    if (ended()) {
      return;
    }
    List<TaskResult> results = new ArrayList<>(stepTasks.size());
    GraphloopException failure = null;
    for (int i = 0; i < stepTasks.size(); i++) {
      Future<NodeReply> reply = stepSlots.get(i).future();
      if (reply.succeeded()) {
        results.add(reply.result().toResult(stepTasks.get(i)));
      } else {
        GraphloopException taskFailure = (GraphloopException) reply.cause();
        if (failure == null) {
          failure = taskFailure;
        } else if (failure != taskFailure) {
          failure.addSuppressed(taskFailure);
        }
      }
    }
    if (failure != null) {
      writesOfFailedStep = List.copyOf(results);
      outcome.tryFail(failure);
      return;
    }
    int completedStep = current.step();
    try {
      current = Superstep.advance(graph, runId, current, results, limits.recursionLimit());
    } catch (RuntimeException e) {
      outcome.tryFail(asFailure(e));
      return;
    }
    if (observer != null) {
      observer.onStepEnd(runId, completedStep, current);
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
