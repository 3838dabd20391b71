package io.graphloop.runtime;

import io.graphloop.internal.engine.RunState;
import io.graphloop.internal.engine.Task;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.NodeReply;

/**
 * What a {@link RunDriver} reports while it runs, for streaming. The driver of a run nobody streams has no
 * observer, so it pays nothing. An observer can also hold the run back between steps (backpressure): the
 * driver starts the next step only when {@link #readyForStep} says so, or when the callback it passed runs.
 *
 * <p>Thread rules: called on the run's coordinator event loop only.
 */
interface RunObserver {

  /** A run resumed a thread's checkpoint (no input): {@code state} is where it starts. */
  void onResume(String runId, RunState state);

  /**
   * A run on a thread is about to start step {@code state.step()}, or has nothing left to do: {@code state} is the
   * checkpoint saved before it (its values and the tasks due), whose {@code source} is {@code input}, {@code loop},
   * {@code fork} or {@code update}; {@code checkpointId} is its id (taken when its save was queued: the save may
   * still be in flight) and {@code parentId} its parent's ({@code null} for a thread's first).
   */
  void onCheckpoint(String runId, RunState state, String source, String checkpointId, String parentId);

  /** A task of a step is due (announced once, before the step's tasks run; Send tasks first, as LangGraph). */
  void onTaskStart(String runId, Task task, int attempt);

  /**
   * An error handler's task starts in a failed task's place. LangGraph announces no task for it in its {@code tasks}
   * and {@code debug} streams (only its result); its {@code messages} still carry its node. By default nothing.
   */
  default void onHandlerStart(String runId, Task task) {
  }

  /**
   * A task ended: {@code reply} on success (also for a task whose writes were stored before a resume), else
   * {@code failure} (after its last attempt).
   */
  void onTaskEnd(String runId, Task task, int attempt, NodeReply reply, GraphloopException failure, long nanos);

  /**
   * A task's writes were taken from where they were kept, not from a run of its node: stored before a resume (or a
   * node cache hit). LangGraph streams them as {@code updates} with {@code "__metadata__": {"cached": true}} and no
   * task result.
   */
  void onCachedWrites(String runId, Task task, NodeReply reply);

  /**
   * Step {@code step} completed; {@code next} is where the run stands now; {@code wrote} says whether a task of the
   * step wrote any channel.
   */
  void onStepEnd(String runId, int step, RunState next, boolean wrote);

  /**
   * A task asked ({@code interrupt}) after its last attempt: {@code interrupts} are what it asks (for a subgraph
   * node, its child's), {@code values} the state of the step's start (LangGraph streams both at once).
   */
  void onInterrupt(String runId, Task task, java.util.List<java.util.Map<String, Object>> interrupts,
                   io.graphloop.state.State values);

  /**
   * The step of {@code step} was interrupted after other tasks of it wrote channels: {@code values} is the state
   * with their writes applied, what the run's result shows (the checkpoint stays at the step's start).
   */
  void onInterruptedValues(String runId, int step, io.graphloop.state.State values);

  /** The run ended: at END or interrupted ({@code end}), or with a failure. */
  void onEnd(String runId, RunEnd end, GraphloopException failure);

  /**
   * Whether the next step may start now; if not, the observer calls {@code resume} once it may.
   */
  boolean readyForStep(Runnable resume);

  /**
   * Task call {@code callId} of an entrypoint (the functional API) started with {@code input} (it runs, or its
   * stored result comes back): LangGraph's {@code tasks}/{@code debug} task event of a PUSH task.
   */
  default void onCallStart(String runId, int step, String callId, String name, Object input) {
  }

  /**
   * Task call {@code callId} of an entrypoint (the functional API) completed with {@code value}: LangGraph's
   * {@code updates} chunk {@code {name: value}} and task result event of a PUSH task ({@code cached}: taken from the
   * node cache, whose chunk LangGraph marks cached and which has no result event).
   */
  default void onCall(String runId, int step, String callId, String name, Object value, boolean cached) {
  }
}
