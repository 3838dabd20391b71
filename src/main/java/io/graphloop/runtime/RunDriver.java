package io.graphloop.runtime;

import io.graphloop.internal.engine.CommandInputs;
import io.graphloop.internal.engine.RunState;
import io.graphloop.internal.engine.Breakpoints;
import io.graphloop.internal.engine.Superstep;
import io.graphloop.internal.engine.Task;
import io.graphloop.internal.engine.TaskResult;
import io.graphloop.internal.engine.WriteApplier;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphInterrupt;
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
import java.util.Set;

/**
 * Drives one run, superstep by superstep: has the step's tasks run ({@link StepTasks}: at most
 * {@code maxConcurrency} at once, retried under their node's {@link RetryPolicy}), waits at the join point for every
 * task (as {@code Future.join}: a failure does not cut the others short), then hands the results, in task order, to
 * {@link Superstep#advance}; breakpoints are the engine's decision ({@link Breakpoints}). On a thread it saves checkpoints and task writes through
 * {@link RunCheckpoints}, and a restored run skips the tasks that had completed. The algorithm lives in the pure
 * engine; this class only moves messages and keeps time.
 *
 * <p>A run ends at END, when a task fails for good, when it is interrupted (a breakpoint, or a node's
 * {@code interrupt}), at its deadline, or when cancelled. As it ends it releases what waits on its behalf: retry
 * timers are cancelled and the waits for node replies in flight are dropped, so nothing holds the run's state
 * after its end (a retry may be up to minutes away, a node's reply deadline as long); a reply that comes later
 * finds no wait and is ignored.
 *
 * <p>Thread rules: confined to its coordinator's event loop, like the coordinator (an actor; no locks).
 */
final class RunDriver implements StepTasks.Driver {
  private static final System.Logger LOG = System.getLogger(RunDriver.class.getName());

  /**
   * Per-run limits, the run's configuration (frozen, handed to every node), where nodes send stream events
   * ({@code null} when nobody streams them), the run's breakpoints, its thread ({@code null} without one) and
   * whether it continues a checkpoint (its subgraph nodes then continue their children's checkpoints), whether
   * its stream asked for its subgraphs' events (LangGraph's {@code subgraphs=True}; otherwise its subgraph nodes run
   * their children unstreamed), and the event-bus headers carrying the run's trace context to its nodes
   * ({@code null} when the run is not traced).
   */
  record Limits(int recursionLimit, int maxConcurrency, long timeoutMs, Map<String, Object> config,
                String eventsTo, List<String> streamModes, Set<String> interruptBefore, Set<String> interruptAfter,
                String threadId, boolean resuming, boolean streamSubgraphs, io.vertx.core.MultiMap traceHeaders) {

    /** These limits with {@code resuming} (every other field the same). */
    Limits withResuming(boolean resuming) {
      return new Limits(recursionLimit, maxConcurrency, timeoutMs, config, eventsTo, streamModes, interruptBefore,
          interruptAfter, threadId, resuming, streamSubgraphs, traceHeaders);
    }

    /** These limits with the run's configuration {@code config} (every other field the same). */
    Limits withConfig(Map<String, Object> config) {
      return new Limits(recursionLimit, maxConcurrency, timeoutMs, config, eventsTo, streamModes, interruptBefore,
          interruptAfter, threadId, resuming, streamSubgraphs, traceHeaders);
    }
  }

  private final Vertx vertx;
  private final CompiledGraph graph;
  private final NodeDispatcher dispatcher;
  private final String runId;
  private final Limits limits;
  private final RunCheckpoints checkpoints;
  /** The graph's cache of node writes; null without one. */
  private final TaskCache taskCache;
  private final Promise<RunEnd> outcome = Promise.promise();
  private RunState current;
  private RunObserver observer;
  private Map<String, NodeReply> completed = Map.of();
  /** Error contexts of restored tasks handed to their error handler, by task id (see {@link RunStart#failed}). */
  private Map<String, Map<String, Object>> failed = Map.of();
  private Map<String, List<Object>> resume = Map.of();
  /** The run's task calls (the functional API). */
  private final TaskCalls calls;
  private boolean resumedBreakpoint;
  private long stop; // the last step the run may start (its recursion limit): see Superstep.stopStep
  private int checkedStep = Integer.MIN_VALUE; // the step whose limit check (and checkpoint event) was done

  /** What every step's tasks share, fixed when the run starts. */
  private StepTasks.Run steps;
  /** The current step's tasks in flight; released when the run ends. */
  private StepTasks step;

  RunDriver(Vertx vertx, CompiledGraph graph, NodeDispatcher dispatcher, String runId, Limits limits,
            RunCheckpoints checkpoints) {
    this.vertx = vertx;
    this.graph = graph;
    this.dispatcher = dispatcher;
    this.runId = runId;
    this.limits = limits;
    this.checkpoints = checkpoints;
    this.taskCache = TaskCache.of(graph);
    this.calls = new TaskCalls(runId, checkpoints, this::ended);
  }

  /**
   * Ends the run with {@code end} unless it has ended: first releases what waits on its behalf ({@link #release}),
   * then completes the outcome. (Called where the run ends rather than from a listener on the outcome: that listener
   * and its listener array were 48 bytes a run in flight kept, issue 17.) Returns whether this call ended the run.
   */
  private boolean endWith(RunEnd end) {
    if (outcome.future().isComplete()) {
      return false;
    }
    release();
    return outcome.tryComplete(end);
  }

  /** {@link #endWith(RunEnd)} for a failure. */
  private boolean endWith(Throwable failure) {
    if (outcome.future().isComplete()) {
      return false;
    }
    release();
    return outcome.tryFail(failure);
  }

  /** Cancels the step's retry timers and drops its waits for replies: the run has ended. */
  private void release() {
    if (step != null) {
      step.release();
    }
  }

  /** Reports the run's progress to {@code observer} (for streaming); call before {@link #start}. */
  void observe(RunObserver observer) {
    this.observer = observer;
    calls.observe(observer);
  }

  /**
   * Starts the run; the future holds how it ended (failures fail it), and completes once the run's checkpoints are
   * stored (so the thread's state is final when the caller hears of the outcome; the result names the last
   * checkpoint).
   */
  Future<RunEnd> start(RunStart start) {
    return start(start, null);
  }

  /**
   * As {@link #start(RunStart)}, running {@code whenEnded} ({@code null}: nothing) as soon as the run has ended; its
   * stream hears of the end, and the returned future completes, once the future {@code whenEnded} gives has completed
   * (whatever its outcome): the coordinator releases the thread's lock there, so a caller that resumes the thread as
   * soon as its stream ends or its outcome comes never finds the lock still held (it waits 1 ms for it). On a cluster
   * the release takes a worker thread's round trip to Hazelcast.
   */
  Future<RunEnd> start(RunStart start, java.util.function.Supplier<Future<Void>> whenEnded) {
    // Without a thread there is nothing to flush and the end is final as it is: no transformation to keep per run.
    Future<RunEnd> done = checkpoints == null ? outcome.future() : outcome.future().transform(ended -> flush(ended.succeeded() && !ended.result().interrupted())
        .transform(flushed -> {
      if (ended.failed()) {
        return Future.<RunEnd>failedFuture(ended.cause());
      }
      if (flushed.failed()) {
        return Future.<RunEnd>failedFuture(new GraphloopException(codeOf(flushed.cause()), "Run " + runId
            + " of graph '" + graph.name() + "' ended but its checkpoints could not be stored: "
            + flushed.cause().getMessage(), graph.name(), runId, null, null, flushed.cause()));
      }
      RunEnd end = ended.result();
      return Future.succeededFuture(new RunEnd(end.values(), end.interrupts(), checkpoints.checkpointId(),
          end.stopped()));
    }));
    if (whenEnded != null) {
      Future<RunEnd> ended = done;
      done = ended.transform(outcome -> whenEnded.get().transform(released -> ended));
    }
    if (observer != null) {
      done.onComplete(ended -> observer.onEnd(runId, ended.result(),
          ended.failed() ? (GraphloopException) ended.cause() : null));
    }
    launch(start);
    return done;
  }

  private void launch(RunStart start) {
    stop = Superstep.stopStep(start.firstStep(), start.restored() != null, limits.recursionLimit());
    try {
      if (start.restored() != null) {
        current = start.command() == null ? start.restored() : CommandInputs.restored(graph, runId, start.restored(),
            start.command().update(), start.command().goTo());
        completed = start.completed();
        calls.restored(completed);
        failed = start.failed();
        resume = start.resume();
        resumedBreakpoint = true;
      } else {
        current = start.command() == null
            ? FunctionalGraphs.fusesStart(graph) // LangGraph's entrypoint reads its input at once: no START step
                ? Superstep.begin(graph, runId, graph.withDefaults(start.previous()), start.input(),
                    start.firstStep() - 1)
                : Superstep.start(graph, graph.withDefaults(start.previous()), start.input(), start.firstStep())
            : CommandInputs.begin(graph, runId, graph.withDefaults(start.previous()), start.command().update(),
                start.command().goTo(),
                start.firstStep());
      }
    } catch (RuntimeException e) {
      endWith(asFailure(e));
      return;
    }
    // LangGraph applies a resume map only while the loaded checkpoint has pending writes: the resumed step
    int resumedStep = start.restored() != null && (!completed.isEmpty() || !resume.isEmpty()) ? current.step()
        : Integer.MIN_VALUE;
    steps = new StepTasks.Run(vertx, graph, dispatcher, runId, limits, checkpoints, taskCache, observer, completed,
        failed, resume, stop, resumedStep, this, current.step());
    if (observer != null && start.restored() != null) {
      observer.onResume(runId, current);
    }
    // a Command's update on a restored thread is saved as its input, so the thread's state shows it even when
    // nothing is due afterwards
    boolean updated = start.command() != null && !start.command().update().isEmpty();
    Future<Void> saved = checkpoints == null ? Future.succeededFuture() : start.restored() == null
        ? checkpoints.input(current) : updated ? checkpoints.commandUpdate(current) : Future.succeededFuture();
    saved.onComplete(done -> {
      if (done.failed()) {
        endWith(asFailure(new RuntimeException(done.cause())));
      } else {
        runStep();
      }
    });
  }

  /** The run's task calls (the functional API): their stored results, streamed and stored as they complete. */
  TaskCalls calls() {
    return calls;
  }

  /** The run's id. */
  String runId() {
    return runId;
  }

  /** Cancels the run: no further step starts, results in flight are discarded. Returns false if it had ended. */
  boolean cancel(String why) {
    return endWith(new RunCancelledException(graph.name(), runId, current == null ? null : current.step(),
        why, lastValues()));
  }

  /** The run's deadline passed (the coordinator keeps the deadlines of all its runs): it fails as timed out. */
  void expire() {
    endWith(new RunTimeoutException(graph.name(), runId, current == null ? null : current.step(),
        limits.timeoutMs(), lastValues()));
  }

  /** Ends the run now with {@code failure}; late replies are ignored. */
  void abort(GraphloopException failure) {
    endWith(failure);
  }

  /**
   * Stores what is left to store (the run has ended; {@code completed}: without failure nor interrupt); completes
   * once the thread's checkpoints are written.
   */
  private Future<Void> flush(boolean completed) {
    return checkpoints == null ? Future.succeededFuture() : checkpoints.finish(current, completed);
  }

  private Map<String, Object> lastValues() {
    return current == null ? null : current.state().asMap();
  }

  @Override
  public boolean ended() {
    return outcome.future().isComplete();
  }

  @Override
  public void fail(GraphloopException failure) {
    endWith(failure);
  }

  @Override
  public State state() {
    return current.state();
  }

  private void end(List<Map<String, Object>> interrupts) {
    endWith(new RunEnd(current.state(), interrupts, null)); // the checkpoint id is known after the flush
  }

  /**
   * Runs the run's next step. An exception nothing else catches (a bug in the engine or in a stream observer) fails
   * the run with {@link FailureCode#INTERNAL} and a log line, instead of leaving it waiting forever: it is thrown in a
   * future's callback, where Vert.x would only report it to the context.
   */
  private void runStep() {
    try {
      nextStep();
    } catch (RuntimeException e) {
      failUnexpectedly("running step", e);
    }
  }

  private void nextStep() {
    if (ended()) {
      return;
    }
    if (checkedStep != current.step()) { // once per step (runStep runs again after the observer held it back)
      checkedStep = current.step();
      try {
        Superstep.checkStep(graph, runId, current.step(), stop, limits.recursionLimit());
      } catch (RuntimeException e) {
        endWith(asFailure(e));
        return;
      }
      if (observer != null && checkpoints != null) {
        observer.onCheckpoint(runId, current, checkpoints.lastSource(), checkpoints.currentId(),
            checkpoints.currentParentId());
      }
    }
    if (current.isDone()) {
      end(List.of());
      return;
    }
    if (observer != null && !observer.readyForStep(this::runStep)) {
      return;
    }
    List<Task> tasks = current.tasks();
    if (!resumedBreakpoint) {
      List<Map<String, Object>> before = Breakpoints.hits(tasks, limits.interruptBefore(), graph.interruptBefore(),
          Breakpoints.BEFORE);
      if (!before.isEmpty()) {
        end(before);
        return;
      }
    }
    resumedBreakpoint = false;
    if (observer != null) { // as LangGraph's tick: every task of the step is announced before any runs, Sends first
      for (Task task : tasks) {
        if (task.isPush()) {
          observer.onTaskStart(runId, task, 1);
        }
      }
      for (Task task : tasks) {
        if (!task.isPush() && !Superstep.isStart(graph, task)) {
          observer.onTaskStart(runId, task, 1);
        }
      }
    }
    step = new StepTasks(steps, tasks, stepReplies -> finishStep(stepReplies.tasks(tasks), stepReplies));
    step.start();
  }

  /** Applies a step's replies; an unexpected exception fails the run (as {@link #runStep()}). */
  private void finishStep(List<Task> stepTasks, StepReplies stepReplies) {
    try {
      applyStep(stepTasks, stepReplies);
    } catch (RuntimeException e) {
      failUnexpectedly("finishing step", e);
    }
  }

  private void applyStep(List<Task> stepTasks, StepReplies stepReplies) {
    if (ended()) {
      return;
    }
    List<TaskResult> results = new ArrayList<>(stepTasks.size());
    GraphloopException failure = null;
    List<Map<String, Object>> interrupts = new ArrayList<>();
    boolean interrupted = false; // (a subgraph task that stopped at its child's breakpoint reports no interrupt)
    for (int i = 0; i < stepTasks.size(); i++) {
      GraphloopException cause = stepReplies.failure(i);
      if (cause == null) {
        results.add(stepReplies.reply(i).toResult(stepTasks.get(i)));
      } else if (cause instanceof GraphInterrupt) {
        interrupted = true;
        interrupts.addAll(interruptsOf(stepTasks.get(i), (GraphInterrupt) cause));
      } else {
        GraphloopException taskFailure = cause;
        if (failure == null) {
          failure = taskFailure;
        } else if (failure != taskFailure) {
          failure.addSuppressed(taskFailure);
        }
      }
    }
    if (failure != null) {
      endWith(failure);
      return;
    }
    if (interrupted) {
      endInterrupted(results, interrupts);
      return;
    }
    int completedStep = current.step();
    try {
      current = Superstep.advance(graph, runId, current, results);
    } catch (RuntimeException e) {
      endWith(asFailure(e));
      return;
    }
    if (observer != null) {
      observer.onStepEnd(runId, completedStep, current, wrote(results));
    }
    Future<Void> saved = checkpoints == null ? Future.succeededFuture()
        : checkpoints.step(completedStep, current, stepTasks, stepReplies);
    saved.onComplete(done -> {
      if (done.failed()) {
        endWith(new GraphloopException(codeOf(done.cause()), "Run " + runId + " of graph '" + graph.name()
            + "' could not store the checkpoint of step " + completedStep + ": " + done.cause().getMessage(),
            graph.name(), runId, completedStep, null, done.cause()));
        return;
      }
      List<Map<String, Object>> after = current.isDone() ? List.of()
          : Breakpoints.hits(stepTasks, limits.interruptAfter(), graph.interruptAfter(), Breakpoints.AFTER);
      if (!after.isEmpty()) {
        end(after);
      } else {
        runStep();
      }
    });
  }

  /** The interrupts a task's {@code interrupt} stands for: its own, or a subgraph node's child interrupts. */
  @Override
  public List<Map<String, Object>> interruptsOf(Task task, GraphInterrupt interrupt) {
    List<Map<String, Object>> nested = RunEnd.nested(graph, task.node(), interrupt.payload());
    if (nested != null) {
      return nested; // a subgraph's interrupts, each with its id and namespace
    }
    return List.of(RunEnd.interrupt(limits.threadId(), task.node(), taskId(task), interrupt.payload()));
  }

  /** The id of a task of the step in progress ({@link TaskIds}: its checkpoints', or without a thread the run's). */
  @Override
  public String taskId(Task task) {
    return checkpoints == null ? TaskIds.of(runId, "", task) : checkpoints.taskId(task);
  }

  /**
   * Ends the run as interrupted in a step where other tasks completed: as LangGraph's loop does on its way out
   * ({@code _suppress_interrupt}), the result shows the state with the completed tasks' writes applied, and a
   * {@code values} event with it follows when they wrote a channel. The checkpoint is not advanced: the thread stays
   * at the step's start, the completed tasks' writes stored as pending writes, and a resume reruns only the
   * interrupted tasks.
   */
  private void endInterrupted(List<TaskResult> completedTasks, List<Map<String, Object>> interrupts) {
    State shown = current.state();
    if (wrote(completedTasks)) {
      try {
        shown = WriteApplier.apply(graph, runId, current.state(), completedTasks, current.step());
      } catch (RuntimeException e) { // LangGraph's apply_writes raises there too: the run fails
        endWith(asFailure(e));
        return;
      }
      if (observer != null) {
        observer.onInterruptedValues(runId, current.step(), shown);
      }
    }
    endWith(new RunEnd(shown, interrupts, null, interrupts.isEmpty()));
  }

  /** Whether a step's tasks wrote any channel (LangGraph streams values only after such a step). */
  private static boolean wrote(List<TaskResult> results) {
    for (TaskResult result : results) {
      if (!result.update().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The code of a failed save: the store's own (e.g. {@link FailureCode#THREAD_TAKEN_OVER} when fencing refused it),
   * {@link FailureCode#INTERNAL} for anything else.
   */
  private static FailureCode codeOf(Throwable saveFailure) {
    return saveFailure instanceof GraphloopException ? ((GraphloopException) saveFailure).code() : FailureCode.INTERNAL;
  }

  private void failUnexpectedly(String doing, RuntimeException e) {
    if (!ended()) {
      LOG.log(System.Logger.Level.ERROR, "Run " + runId + " of graph '" + graph.name() + "' failed unexpectedly while "
          + doing + (current == null ? "" : " " + current.step()), e);
    }
    endWith(asFailure(e));
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
