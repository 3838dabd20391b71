package io.graphloop.runtime;

import io.graphloop.errors.GraphInterrupt;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeError;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.internal.engine.Superstep;
import io.graphloop.internal.engine.Task;
import io.graphloop.internal.graph.GraphInternals;
import io.graphloop.protocol.NodeReply;
import io.graphloop.state.State;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one superstep's tasks for a {@link RunDriver}: at most {@code maxConcurrency} at once (a sliding window), each
 * from its stored reply when it had completed before a resume, from the graph's cache when its node has a cache
 * policy and the cache holds its key, else at its node through the {@link NodeDispatcher}, retried under its
 * node's {@link RetryPolicy} with a timer. A task that fails after its retries and whose node has an error handler
 * ({@link ErrorHandlers}) is replaced by its handler's task, in the same step and on the same input; a resumed task
 * whose failure was handed to its handler runs the handler again (or reuses its stored reply). Every outcome is recorded in the step's {@link StepReplies}, which hands
 * them all, in task order, to the driver once the last one is in. {@link #release} (the run ended) cancels the retry
 * timers and drops the waits for replies.
 *
 * <p>Thread rules: confined to its run's coordinator event loop, like the driver.
 */
final class StepTasks {

  /** The graph's own arrays and options, without copies (this is the per-step path). */
  private static final GraphInternals.Accessor GRAPH = GraphInternals.get();

  /**
   * What a run's steps share, fixed once the run has started: where tasks go, what a resume brings back
   * ({@code completed}: stored replies by task id; {@code resume}: stored answers by task id), the last step the
   * run may start ({@code stop}) and the step whose tasks a resume map answers ({@code resumedStep}, see
   * {@link ResumeMaps}; {@link Integer#MIN_VALUE}: none).
   */
  record Run(Vertx vertx, CompiledGraph graph, NodeDispatcher dispatcher, String runId,
             RunDriver.Limits limits, RunCheckpoints checkpoints, TaskCache taskCache, RunObserver observer,
             Map<String, NodeReply> completed, Map<String, Map<String, Object>> failed,
             Map<String, List<Object>> resume, long stop, int resumedStep,
             Driver driver, int firstStep) {

    /**
     * The limits task {@code task} is sent with: a resumed run's ({@link RunDriver.Limits#resuming}) only for the
     * tasks of its first step, as LangGraph sets {@code CONFIG_KEY_RESUMING} for the first tick only: a subgraph node
     * of a later step starts its child with its input, not by continuing the child's checkpoint.
     */
    RunDriver.Limits limitsFor(Task task) {
      return !limits.resuming() || task.step() == firstStep ? limits : limits.withResuming(false);
    }
  }

  /** What the steps ask of their driver. */
  interface Driver {
    /** Whether the run has ended (late outcomes are then ignored). */
    boolean ended();

    /** Ends the run with {@code failure}. */
    void fail(GraphloopException failure);

    /** The state the step started from. */
    State state();

    /** The interrupts a task's {@code interrupt} stands for. */
    List<Map<String, Object>> interruptsOf(Task task, GraphInterrupt interrupt);

    /** The id of a task of the step in progress ({@link TaskIds}). */
    String taskId(Task task);
  }

  private final Run run;
  private final List<Task> tasks;
  private final StepReplies replies;
  /** The attempts in flight or waiting for a retry timer, by task index; null once released. */
  private TaskCall[] calls;
  /** Where the tasks are cached, by task index (null entries: not cached); null without a cache. */
  private final TaskCache.Entry[] cacheEntries;
  /** The failures error handlers run for, by task index; null until a task is handed to its handler. */
  private NodeError[] nodeErrors;
  private int nextToStart;

  /** @param finished hears the step's replies once every task has settled */
  StepTasks(Run run, List<Task> tasks, Consumer<StepReplies> finished) {
    this.run = run;
    this.tasks = tasks;
    this.calls = new TaskCall[tasks.size()];
    this.cacheEntries = run.taskCache() == null ? null : new TaskCache.Entry[tasks.size()];
    this.replies = new StepReplies(tasks.size(), finished);
  }

  /** Starts the first tasks (all of them, or {@code maxConcurrency}); each settled one starts the next. */
  void start() {
    int count = tasks.size();
    int window = run.limits().maxConcurrency() > 0 ? Math.min(run.limits().maxConcurrency(), count) : count;
    while (nextToStart < window) {
      start(nextToStart++);
    }
  }

  /** Cancels the step's retry timers and drops its waits for replies: the run has ended. */
  void release() {
    TaskCall[] pending = calls;
    calls = null;
    if (pending == null) {
      return;
    }
    for (TaskCall call : pending) {
      if (call == null) {
        continue;
      }
      if (call.retryTimer >= 0) {
        run.vertx().cancelTimer(call.retryTimer);
      } else {
        run.dispatcher().abandon(call.wait);
      }
    }
  }

  /**
   * Starts task {@code index}: from its stored reply when it had completed before a resume, from the graph's cache
   * when its node has a cache policy and the cache holds its key, else at its node.
   */
  private void start(int index) {
    Task task = tasks.get(index);
    RunObserver observer = run.observer();
    RunCheckpoints checkpoints = run.checkpoints();
    if (Superstep.isStart(run.graph(), task)) { // START's writes are the input: nothing to send
      settle(index, new NodeReply(task.input().asMap()), null);
      return;
    }
    if (checkpoints != null && !run.failed().isEmpty()) { // failed before a resume, handed to its error handler
      Map<String, Object> error = run.failed().get(checkpoints.taskId(task));
      int handler = error == null ? -1 : GRAPH.errorHandler(run.graph(), task.nodeIndex());
      if (handler >= 0) {
        handle(index, task, handler, NodeError.fromMap(error));
        return;
      }
    }
    NodeReply done = checkpoints == null ? null : run.completed().get(checkpoints.taskId(task));
    if (done != null) {
      if (observer != null) { // its stored writes are output again, marked cached, as LangGraph does on a resume
        observer.onCachedWrites(run.runId(), task, done);
      }
      settle(index, done, null);
      return;
    }
    TaskCache taskCache = run.taskCache();
    TaskCache.Entry entry;
    try {
      entry = taskCache == null ? null : taskCache.entryOf(run.runId(), task);
    } catch (GraphloopException e) { // the key function failed: the run fails, as LangGraph's raises
      run.driver().fail(e);
      return;
    }
    if (entry == null) {
      attempt(index, 1, null);
      return;
    }
    cacheEntries[index] = entry;
    taskCache.lookup(run.vertx(), entry, found -> {
      if (run.driver().ended()) {
        return;
      }
      if (found.failed() || found.result() == null) { // a miss (or an unreadable cache, logged): run the node
        taskCache.missed(entry, found.cause());
        attempt(index, 1, null);
        return;
      }
      NodeReply cached = found.result();
      if (observer != null) { // as LangGraph's output_writes(cached=True): updates marked cached, no task result
        observer.onCachedWrites(run.runId(), task, cached);
      }
      if (checkpoints != null && replies.size() > 1) {
        checkpoints.taskCompleted(task, cached);
      }
      settle(index, cached, null);
    });
  }

  /**
   * Runs the error handler {@code handler} in the place of task {@code index} ({@code failed}), with {@code error}:
   * from its stored reply when it had completed before a resume, else at its node.
   */
  private void handle(int index, Task failed, int handler, NodeError error) {
    Task task = ErrorHandlers.handlerTask(run.graph(), failed, handler, index);
    replies.handledBy(index, task);
    if (nodeErrors == null) {
      nodeErrors = new NodeError[tasks.size()];
    }
    nodeErrors[index] = error;
    if (cacheEntries != null) {
      cacheEntries[index] = null; // (a handler's writes are never cached, as LangGraph's)
    }
    RunObserver observer = run.observer();
    RunCheckpoints checkpoints = run.checkpoints();
    NodeReply done = checkpoints == null ? null : run.completed().get(checkpoints.taskId(task));
    if (done != null) {
      if (observer != null) {
        observer.onCachedWrites(run.runId(), task, done);
      }
      settle(index, done, null);
      return;
    }
    if (observer != null) {
      observer.onHandlerStart(run.runId(), task);
    }
    attempt(index, 1, null);
  }

  /** Task {@code index} as it runs: its error handler's task once it was handed to it, else as planned. */
  private Task taskAt(int index) {
    Task handler = replies.handler(index);
    return handler != null ? handler : tasks.get(index);
  }

  /** Sends attempt {@code attempt} of task {@code index}; {@code previous} is its last attempt ({@code null}: none). */
  private void attempt(int index, int attempt, TaskCall previous) {
    Task task = taskAt(index);
    int maxAttempts = GRAPH.maxAttempts(run.graph(), task.nodeIndex()); // an array read, not the node's options
    RunCheckpoints checkpoints = run.checkpoints();
    List<Object> answers = checkpoints == null ? List.of()
        : ResumeMaps.answers(run.graph(), run.limits(), task, checkpoints.taskId(task),
            run.resume().getOrDefault(checkpoints.taskId(task), List.of()), run.resumedStep());
    TaskCall call = new TaskCall(index, task, attempt, answers, run.observer() == null ? 0 : System.nanoTime(),
        cacheEntries == null ? null : cacheEntries[index]);
    if (previous != null) { // the members the task failed at in transport: its next attempts go elsewhere
      call.avoided = previous.avoided;
      call.avoidedCount = previous.avoidedCount;
      call.firstAttemptAtMs = previous.firstAttemptAtMs;
    } else {
      call.firstAttemptAtMs = System.currentTimeMillis();
    }
    calls[index] = call;
    // the last step after which the run can still end is stop - 1 (step stop + 1 fails even with nothing to run)
    int remaining = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, run.stop() - 1 - task.step()));
    RunDriver.Limits limits = run.limitsFor(task);
    if (nodeErrors != null && nodeErrors[index] != null) {
      limits = ErrorHandlers.withError(limits, nodeErrors[index]);
    }
    long wait = run.dispatcher().execute(run.runId(), limits, task, attempt, maxAttempts, answers, remaining, call);
    call.wait = wait; // (if it already completed, it left calls[index]: nothing to release)
  }

  /** Records a task's outcome and, under a concurrency limit, starts the next task of the step. */
  private void settle(int index, NodeReply reply, GraphloopException failure) {
    boolean more = nextToStart < tasks.size();
    replies.settle(index, reply, failure); // may finish the step (and start the next one) when it was the last
    if (more) {
      start(nextToStart++);
    }
  }

  /** One attempt of a task in flight: hears its reply (in place of a promise and a listener per attempt). */
  private final class TaskCall implements NodeDispatcher.Attempt {
    private final int index;
    private final Task task;
    private final int attempt;
    private final List<Object> answers;
    private final long started;
    /** Where the task's writes are cached once it completes; null when its node is not cached. */
    private final TaskCache.Entry cacheEntry;
    /** The dispatcher's wait for this attempt's reply. */
    long wait;
    /** The timer of the next attempt once this one failed and is retried; -1 before. */
    long retryTimer = -1;
    /** The cluster member this attempt went to, when the dispatcher picked one. */
    private String member;
    /** The members the task's attempts failed at in transport (the first {@code avoidedCount}), or null. */
    String[] avoided;
    int avoidedCount;
    /** When the task's first attempt was sent (epoch ms). */
    long firstAttemptAtMs;

    TaskCall(int index, Task task, int attempt, List<Object> answers, long started, TaskCache.Entry cacheEntry) {
      this.cacheEntry = cacheEntry;
      this.index = index;
      this.task = task;
      this.attempt = attempt;
      this.answers = answers;
      this.started = started;
    }

    @Override
    public void sentTo(String member) {
      this.member = member;
    }

    @Override
    public String sentTo() {
      return member;
    }

    @Override
    public void avoid(String member) {
      for (int i = 0; i < avoidedCount; i++) {
        if (avoided[i].equals(member)) {
          return;
        }
      }
      // copied, not grown in place: the array may be shared with an earlier attempt of the task
      avoided = avoided == null ? new String[2] : java.util.Arrays.copyOf(avoided, Math.max(avoided.length,
          avoidedCount + 1));
      avoided[avoidedCount++] = member;
    }

    @Override
    public String[] avoided() {
      return avoided;
    }

    @Override
    public int avoidedCount() {
      return avoidedCount;
    }

    @Override
    public long firstAttemptAtMs() {
      return firstAttemptAtMs;
    }

    @Override
    public String checkpointId() {
      RunCheckpoints checkpoints = run.checkpoints();
      return checkpoints == null ? null : checkpoints.plannedFrom();
    }

    @Override
    public String taskId() {
      return run.driver().taskId(task);
    }

    @Override
    public void complete(NodeReply reply, Throwable cause) {
      if (run.driver().ended()) {
        return;
      }
      if (calls != null && calls[index] == this) {
        calls[index] = null;
      }
      RunObserver observer = run.observer();
      RunCheckpoints checkpoints = run.checkpoints();
      String runId = run.runId();
      if (cause == null) {
        if (member != null) {
          run.dispatcher().answered(this);
        }
        if (observer != null) {
          observer.onTaskEnd(runId, task, attempt, reply, null, System.nanoTime() - started);
        }
        if (checkpoints != null && replies.size() > 1) { // a lone task's step checkpoint follows at once: no task writes
          checkpoints.taskCompleted(task, reply, answers);
        } else if (checkpoints != null && !answers.isEmpty()) { // but a replay with an answer reuses its answers
          checkpoints.taskAnswered(task, answers);
        }
        if (cacheEntry != null) {
          run.taskCache().store(cacheEntry, reply);
        }
        settle(index, reply, null);
        return;
      }
      RetryPolicy policy = GRAPH.options(run.graph().node(task.nodeIndex())).getRetry();
      GraphloopException failure = run.dispatcher().failureOf(runId, task, attempt, policy.maxAttempts(), cause,
          this);
      long delay = policy.nextDelayMs(attempt, failure);
      int handler = delay == RetryPolicy.NO_RETRY ? ErrorHandlers.handlerOf(run.graph(), task, failure) : -1;
      if (handler >= 0) { // LangGraph's error handler: it runs in the task's place once the failure is on record
        if (observer != null) {
          observer.onTaskEnd(runId, task, attempt, null, failure, System.nanoTime() - started);
        }
        NodeError error = NodeError.of(task.node(), failure, attempt);
        io.vertx.core.Future<Void> recorded = checkpoints == null ? io.vertx.core.Future.succeededFuture()
            : checkpoints.taskHandled(task, failure, error.toMap());
        recorded.onComplete(stored -> { // (a failed store fails the run when its step is saved)
          if (!run.driver().ended()) {
            handle(index, task, handler, error);
          }
        });
        return;
      }
      if (delay == RetryPolicy.NO_RETRY) {
        List<Object> kept = answers;
        if (failure instanceof GraphInterrupt && RunEnd.functional(run.graph(), task.node())) {
          ResumeMaps.Interrupted interrupted = ResumeMaps.interrupted((GraphInterrupt) failure, answers);
          failure = interrupted.interrupt();
          kept = interrupted.answers();
        }
        if (observer != null && failure instanceof GraphInterrupt) { // as LangGraph's output_writes, when it asks
          observer.onInterrupt(runId, task, run.driver().interruptsOf(task, (GraphInterrupt) failure),
              run.driver().state());
        }
        if (observer != null) { // one end per task, after its last attempt (and its interrupt), as LangGraph's
          observer.onTaskEnd(runId, task, attempt, null, failure, System.nanoTime() - started);
        }
        if (checkpoints != null && failure instanceof GraphInterrupt) {
          checkpoints.taskInterrupted(task, ((GraphInterrupt) failure).payload(), kept);
        } else if (checkpoints != null) {
          checkpoints.taskFailed(task, failure);
        }
        settle(index, null, failure);
        return;
      }
      run.dispatcher().onRetry(task);
      calls[index] = this;
      retryTimer = run.vertx().setTimer(Math.max(1, delay), id -> {
        if (!run.driver().ended()) {
          attempt(index, attempt + 1, this);
        }
      });
    }
  }
}
