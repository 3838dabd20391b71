package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpoint;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointSource;
import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.checkpoint.WriteRecord;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.internal.engine.RunState;
import io.graphloop.internal.engine.Task;
import io.graphloop.protocol.NodeReply;
import io.graphloop.run.Durability;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoints of one run on a thread: the input checkpoint, one per completed step, and the writes of each
 * task of the step in progress (so a resumed step does not run a completed task again, an interrupted task gets
 * its answers, and the thread's state shows a failed task's error), written as its {@link Durability} says. Saves
 * are chained in order, because each one's changes are computed against the one before (no I/O for that).
 *
 * <ul>
 *   <li>{@code sync}: {@link #step} completes once the step's checkpoint is stored.</li>
 *   <li>{@code async}: {@link #step} completes at once while at most {@link #MAX_OUTSTANDING} saves are in flight
 *       (past that, once the backlog is stored); {@link #finish} waits for all of them.</li>
 *   <li>{@code exit}: nothing is written until {@link #finish}, which stores the run's last state and the writes of
 *       the tasks of its unfinished step (so an interrupted or failed run can be resumed).</li>
 * </ul>
 *
 * <p>Task writes hold the task's update, its Command's goto ({@code __goto__}) and Sends ({@code __sends__}), and a
 * {@code __completed__} marker, so even a task without an update is known to have completed. They matter only while
 * other tasks of the step are unfinished, so the driver does not store them for the only task of a step (its step's
 * checkpoint follows at once; a crash in between runs it again, as a crash before any checkpoint does): a chain
 * stores one row set per step, not two. An interrupted task
 * stores its payload ({@code __interrupt__}) and the answers it was given so far ({@code __resume__}); a failed one
 * its error ({@code __error__}). Checkpoint metadata holds the run id and the nodes that ran in the step
 * ({@code "ran"}), from which {@code updateState} infers its {@code asNode}.
 *
 * <p>Thread rules: confined to the run's coordinator event loop.
 */
final class RunCheckpoints {

  static final String GOTO = "__goto__";
  static final String SENDS = "__sends__";
  static final String COMPLETED = "__completed__";
  /**
   * A failed task's write saying its error handler runs in its place, with the error context ({@code NodeError}'s
   * map), beside its {@code ERROR} write (LangGraph's {@code __error_source_node__}).
   */
  static final String ERROR_SOURCE = "__error_source__";
  /** A task call's result (the functional API), as LangGraph's {@code __return__} write of a PUSH task. */
  static final String RETURN = "__return__";
  /** The id of the task that made a task call (the functional API). */
  static final String PARENT = "__parent__";
  /** How many interrupt answers a task call used (the functional API): a stored call's answers are passed over. */
  static final String ANSWERS = "__answers__";
  /** The metadata key listing the nodes that ran in the step a checkpoint was saved after. */
  static final String RAN = "ran";
  /** Saves an async run may have outstanding before it waits. */
  static final int MAX_OUTSTANDING = 8;

  private final Checkpointer checkpointer;
  private final CompiledGraph graph;
  private final String threadId;
  private final String runId;
  private final Durability durability;
  private final String owner;
  private Checkpoint parent;
  /**
   * The head the next save expects the thread to have (fencing): the head seen when the run started, which is not
   * {@link #parent} when the run starts from an earlier checkpoint; then each save's own id.
   */
  private String expectedHead;
  private Future<Void> chain = Future.succeededFuture();
  private int outstanding;
  /** exit durability: the writes of the step in progress, stored by {@link #finish}. */
  private final List<Held> held = new ArrayList<>();

  /** Writes held back until {@link #finish} ({@code exit} durability). */
  private record Held(String taskId, String node, Map<String, Object> writes) {
  }
  private List<String> lastRan = List.of();
  /** The next tasks of the run's last checkpoint (saved or queued): the tasks of the step in progress. */
  private List<Map<String, Object>> lastTasks;
  private CheckpointSource lastSource;
  /**
   * The id of the newest checkpoint of the run, taken when its save was queued (so before it is stored), and its
   * parent's: what the run's {@code debug} checkpoint events name. For {@code exit} durability, the id the final save
   * will use ({@link #exitId}); the steps before it are never stored.
   */
  private String currentId;
  private String currentParentId;
  private String exitId;
  /** The run's trace: each save is a child span of the run's (none unless traced). */
  private io.graphloop.internal.tracing.RunTrace trace = io.graphloop.internal.tracing.RunTrace.NONE;
  /** The run's config entries every checkpoint it saves carries in its metadata ({@link ConfigMetadata}). */
  private Map<String, Object> configMetadata = Map.of();
  /** Whether the run continues its parent checkpoint in place (see {@link #inPlace(boolean)}). */
  private boolean inPlace;
  /** The checkpoint namespace of the run's thread (empty at the top), part of its tasks' ids. */
  private final String namespace;
  /** The id of the checkpoint the run started from, or {@code null}, and the ids of its tasks ({@link TaskIds}). */
  private final String loadedId;
  private final java.util.function.Function<Task, String> loadedIds;
  /**
   * The id of the checkpoint the tasks of the step in progress were planned from: the one the run started from, then
   * each step's (a restored run's Command update saves a checkpoint, but its step's tasks are still the loaded ones).
   */
  private String plannedFrom;

  RunCheckpoints(Checkpointer checkpointer, CompiledGraph graph, String threadId, String runId, Durability durability,
                 Checkpoint parent, String owner) {
    this(checkpointer, graph, threadId, runId, durability, parent, parent == null ? null : parent.checkpointId(), owner);
  }

  /**
   * @param parent       the checkpoint the run starts from ({@code null} for a new thread)
   * @param expectedHead the thread's head when the run started: {@code parent}'s id, or the newer head when the run
   *                     starts from an earlier checkpoint (its first save is fenced on it)
   */
  RunCheckpoints(Checkpointer checkpointer, CompiledGraph graph, String threadId, String runId, Durability durability,
                 Checkpoint parent, String expectedHead, String owner) {
    this.expectedHead = expectedHead;
    this.owner = owner;
    this.checkpointer = checkpointer;
    this.graph = graph;
    this.threadId = threadId;
    this.runId = runId;
    this.durability = durability;
    this.parent = parent;
    this.namespace = SubgraphThreads.namespaceOf(threadId);
    this.loadedId = parent == null ? null : parent.checkpointId();
    this.loadedIds = parent == null ? null : TaskIds.ofCheckpoint(parent);
    this.plannedFrom = loadedId;
    this.lastSource = parent == null ? CheckpointSource.INPUT : parent.record().source();
    this.currentId = parent == null ? null : parent.checkpointId();
    this.currentParentId = parent == null ? null : parent.record().parentId();
    this.lastTasks = parent == null ? List.of() : parent.record().nextTasks();
    Object ran = parent == null ? null : parent.record().metadata().get(RAN);
    if (ran instanceof List) { // a restored run that saves before a step completes stands where its parent stood
      List<String> names = new ArrayList<>();
      ((List<?>) ran).forEach(name -> names.add(String.valueOf(name)));
      this.lastRan = names;
    }
  }

  String threadId() {
    return threadId;
  }

  /**
   * The run's config ({@code RunOptions.config}, LangGraph's {@code configurable}): its string, number and boolean
   * entries go into the metadata of every checkpoint this run saves ({@link ConfigMetadata}). Call before the first
   * save.
   */
  RunCheckpoints config(Map<String, Object> config) {
    this.configMetadata = ConfigMetadata.of(config);
    return this;
  }

  /**
   * Says that the run continues its parent checkpoint, the thread's head, in place: a resume, not a replay or a fork
   * of it. Then under {@code exit} durability a run that saves no input and completes no step (it failed or was
   * interrupted again in the step it resumed) stores its tasks' writes onto that checkpoint, beside the writes stored
   * there before, and saves no copy of it: LangGraph's loop saves nothing at exit when its checkpoint is the one it
   * loaded ({@code checkpoint_id_saved}). Without this, the copy would lose the writes of the tasks that had completed
   * in an earlier run, and they would run again.
   */
  RunCheckpoints inPlace(boolean inPlace) {
    this.inPlace = inPlace;
    return this;
  }

  /** The run's config entries its checkpoints carry in their metadata (a debug checkpoint event shows them too). */
  Map<String, Object> configMetadata() {
    return configMetadata;
  }

  /** Traces this run's saves under {@code runTrace}. */
  void trace(io.graphloop.internal.tracing.RunTrace runTrace) {
    this.trace = runTrace;
  }

  /** {@code save} (started now) as a child span of the run's, of kind {@code checkpoint} or {@code writes}. */
  private <T> Future<T> traced(String kind, java.util.function.Supplier<Future<T>> save) {
    if (trace == io.graphloop.internal.tracing.RunTrace.NONE) {
      return save.get();
    }
    io.graphloop.internal.tracing.RunTrace.SpanEnd span = trace.save(kind);
    return save.get().andThen(done -> span.end(done.cause()));
  }

  /**
   * The id of task {@code task} of the step in progress ({@link TaskIds}): derived from the checkpoint its step was
   * planned from ({@link #currentId()}), so the same when the step is resumed from that checkpoint by another run, and
   * new in a fork or a replay; its state, history, events and stored writes show it.
   */
  String taskId(Task task) {
    return idOf(plannedFrom, task);
  }

  /** The id of the checkpoint the tasks of the step in progress were planned from, or {@code null} (none yet). */
  String plannedFrom() {
    return plannedFrom;
  }

  /** The id of {@code task} planned from checkpoint {@code planningId} ({@code null}: none yet, the run's id). */
  private String idOf(String planningId, Task task) {
    if (planningId == null) {
      return TaskIds.of(runId, namespace, task);
    }
    return planningId.equals(loadedId) ? loadedIds.apply(task) : TaskIds.of(planningId, namespace, task);
  }

  /** The id of the last checkpoint saved (or loaded), or {@code null}. */
  String checkpointId() {
    return parent == null ? null : parent.checkpointId();
  }

  /**
   * The id of the run's newest checkpoint, once its save is queued (it may not be stored yet), or of the checkpoint
   * it started from; {@code null} before any.
   */
  String currentId() {
    return currentId;
  }

  /** The parent of {@link #currentId()}, or {@code null}. */
  String currentParentId() {
    return currentParentId;
  }

  /** Takes the id of the run's next checkpoint. */
  private String nextId() {
    currentParentId = currentId;
    currentId = checkpointer.nextCheckpointId(currentId);
    return currentId;
  }

  /** The source of the last checkpoint saved (or loaded): {@code input}, {@code loop}, {@code fork}, {@code update}. */
  String lastSource() {
    return lastSource.json();
  }

  /** Saves the state after the input, START's task due: the step before START's (-1 on a new thread). */
  Future<Void> input(RunState state) {
    return step(state.step() - 1, state, CheckpointSource.INPUT, List.of(), null, null);
  }

  /**
   * Saves the state after a Command's update of a restored run, the restored step's tasks still due: as
   * {@link #input}, but the tasks keep the ids they were planned with (as LangGraph, which writes such an update onto
   * the checkpoint it loaded), so their stored writes and answers are theirs.
   */
  Future<Void> commandUpdate(RunState state) {
    return step(state.step() - 1, state, CheckpointSource.INPUT, List.of(), null, plannedFrom);
  }

  /**
   * Saves the state after step {@code completed}, in which {@code ran} ran (node names, in task order); the future
   * completes when the run may go on.
   */
  Future<Void> step(int completed, RunState next, List<String> ran) {
    return step(completed, next, CheckpointSource.LOOP, ran, null, null);
  }

  /**
   * Saves the state after step {@code completed}, whose tasks {@code ran} all completed with {@code replies}: as
   * {@link #step(int, RunState, List)}, and the result of a step's only task (whose writes are not stored apart) goes
   * into the checkpoint's {@link CheckpointRecord#taskResults()}, where the history entry of the checkpoint the step
   * started from reads it (LangGraph shows every task's result there).
   */
  Future<Void> step(int completed, RunState next, List<Task> ran, StepReplies replies) {
    List<String> nodes = new ArrayList<>(ran.size());
    ran.forEach(task -> nodes.add(task.node()));
    return step(completed, next, CheckpointSource.LOOP, nodes, loneResult(ran, replies), null);
  }

  /**
   * The task results of a step's only task, by position in the step's checkpoint's next tasks, or {@code null} for a
   * step of several (their writes are pending writes of that checkpoint already): START's result is its input, kept
   * in those next tasks, so it is written as {@code true}; a node's is its update as its task result event shows it.
   */
  private List<Object> loneResult(List<Task> ran, StepReplies replies) {
    if (ran.size() != 1 || replies.reply(0) == null || durability == Durability.EXIT) {
      return null; // EXIT saves one checkpoint at the end, whose parent is not the step's
    }
    Task task = ran.get(0);
    String id = taskId(task);
    for (int i = 0; i < lastTasks.size(); i++) {
      if (id.equals(lastTasks.get(i).get("id"))) {
        NodeReply reply = replies.reply(0);
        List<Object> results = new ArrayList<>(java.util.Collections.nCopies(lastTasks.size(), null));
        results.set(i, io.graphloop.internal.engine.Superstep.isStart(graph, task) ? Boolean.TRUE
            : reply.writes().isEmpty() ? reply.update()
            : io.graphloop.internal.engine.CommandLists.taskResult(reply.writes()));
        return results;
      }
    }
    return null; // not a task of the last checkpoint (none is saved before a run's first step)
  }

  /**
   * Saves (or under {@code exit} takes the id of) the checkpoint after step {@code completed}; its next tasks were
   * planned from it, or, when {@code tasksFrom} is given, from that checkpoint (they keep their ids).
   */
  private Future<Void> step(int completed, RunState next, CheckpointSource source, List<String> ran,
                            List<Object> taskResults, String tasksFrom) {
    lastRan = ran;
    lastSource = source;
    if (durability == Durability.EXIT) {
      held.clear(); // the step completed: its task writes are in the state now
      exitId = nextId();
      plannedFrom = tasksFrom != null ? tasksFrom : exitId;
      return Future.succeededFuture();
    }
    String id = nextId();
    Future<Void> saved = save(completed, next, source, ran, id, tasksFrom != null ? tasksFrom : id, taskResults);
    if (durability == Durability.SYNC || outstanding > MAX_OUTSTANDING) {
      return saved;
    }
    return Future.succeededFuture();
  }

  /**
   * Saves checkpoint {@code id} whose next tasks were planned from checkpoint {@code plannedFrom}: {@code id} itself,
   * except for a copy saved at the end of a run that completed no step (its tasks keep the ids they ran under).
   */
  private Future<Void> save(int completed, RunState next, CheckpointSource source, List<String> ran, String id,
                            String plannedFrom, List<Object> taskResults) {
    outstanding++;
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("runId", runId);
    if (owner != null) {
      metadata.put(io.graphloop.internal.bus.Owners.METADATA_KEY, owner);
    }
    if (!ran.isEmpty()) {
      metadata.put(RAN, List.copyOf(ran));
    }
    ConfigMetadata.addTo(metadata, configMetadata);
    List<Map<String, Object>> tasks = CheckpointRecord.tasks(next.tasks(), task -> idOf(plannedFrom, task));
    lastTasks = tasks;
    this.plannedFrom = plannedFrom;
    chain = chain.compose(v -> traced("checkpoint", () -> checkpointer.save(threadId, parent, next.state(), completed,
            source, metadata, tasks, next.joins().describe(graph), expectedHead, id, taskResults)))
        .map(checkpoint -> {
          parent = checkpoint;
          expectedHead = checkpoint.checkpointId();
          outstanding--;
          return (Void) null;
        });
    return chain;
  }

  /** Stores the writes of a completed task of the step that started from the last checkpoint. */
  void taskCompleted(Task task, NodeReply reply) {
    taskCompleted(task, reply, List.of());
  }

  /**
   * Stores the writes of a completed task of the step that started from the last checkpoint, with the interrupt
   * answers it ran with ({@code answered}, none for a task that did not resume): a later replay of that checkpoint
   * with an answer re-runs the task with these, as LangGraph keeps the {@code RESUME} writes of its interrupts.
   */
  void taskCompleted(Task task, NodeReply reply, List<Object> answered) {
    Map<String, Object> writes = writesOf(reply);
    writes.put(COMPLETED, true);
    if (!answered.isEmpty()) {
      writes.put(WriteRecord.RESUME, answered);
    }
    putWrites(task, writes);
  }

  /**
   * Stores the interrupt answers a resumed task completed with, when its other writes are not stored apart from the
   * next checkpoint (a step's lone task); replaces the answers stored when it interrupted.
   */
  void taskAnswered(Task task, List<Object> answered) {
    putWrites(task, Map.of(WriteRecord.RESUME, answered));
  }

  /** A reply as the writes that store it (read back by {@code ThreadRuns.replyOf}); a new, mutable map. */
  static Map<String, Object> writesOf(NodeReply reply) {
    Map<String, Object> writes = new LinkedHashMap<>(reply.update());
    if (!reply.goTo().isEmpty()) {
      writes.put(GOTO, reply.goTo());
    }
    if (!reply.sends().isEmpty()) {
      List<Map<String, Object>> sends = new ArrayList<>();
      for (Send send : reply.sends()) {
        sends.add(send.toMap());
      }
      writes.put(SENDS, sends);
    }
    return writes;
  }

  /**
   * Stores that a task interrupted with {@code payload} after the answers {@code answered} (so the thread's state
   * shows what it waits for, and the next resume adds its answer to these).
   */
  void taskInterrupted(Task task, Object payload, List<Object> answered) {
    Map<String, Object> writes = new LinkedHashMap<>();
    writes.put(WriteRecord.INTERRUPT, payload == null ? Map.of() : payload);
    writes.put(WriteRecord.RESUME, answered);
    putWrites(task, writes);
  }

  /** Stores that a task failed for good (the thread's state shows the error; a resume runs the task again). */
  void taskFailed(Task task, GraphloopException failure) {
    putWrites(task, Map.of(WriteRecord.ERROR, errorOf(failure)));
  }

  /**
   * Stores that task {@code task} failed with {@code failure} and that its error handler runs in its place with
   * context {@code error}: a resume of the step runs the handler again with it, not the node. Completes once stored
   * ({@code exit}: at once), so the handler runs only once its failure is on record, as LangGraph's.
   */
  Future<Void> taskHandled(Task task, GraphloopException failure, Map<String, Object> error) {
    Map<String, Object> writes = new LinkedHashMap<>();
    writes.put(WriteRecord.ERROR, errorOf(failure));
    writes.put(ERROR_SOURCE, error);
    return putWrites(taskId(task), task.node(), writes);
  }

  private static Map<String, Object> errorOf(GraphloopException failure) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", failure.getClass().getSimpleName());
    error.put("code", failure.code().code());
    error.put("message", failure.getMessage());
    return error;
  }

  private void putWrites(Task task, Map<String, Object> writes) {
    putWrites(taskId(task), task.node(), writes);
  }

  private Future<Void> putWrites(String taskId, String node, Map<String, Object> writes) {
    if (durability == Durability.EXIT) {
      held.add(new Held(taskId, node, writes));
      return Future.succeededFuture();
    }
    chain = chain.compose(v -> traced("writes", () -> checkpointer.putWrites(threadId, parent.checkpointId(),
        taskId, node, writes)));
    return chain;
  }

  /**
   * Stores the result of a task call (the functional API) made by task {@code parentId} of the step in progress, as
   * LangGraph stores a PUSH task's {@code __return__} write: a resume of the step returns it without running the
   * task again. Completes once stored ({@code exit}: at once; the write is stored by {@link #finish}).
   */
  Future<Void> callCompleted(String parentId, String callId, String name, Object value) {
    Map<String, Object> writes = new LinkedHashMap<>();
    writes.put(RETURN, value);
    writes.put(PARENT, parentId);
    writes.put(COMPLETED, true);
    return putWrites(callId, name, writes);
  }

  /**
   * Writes what is still unwritten and completes once everything is stored: for {@code exit} the run's last state
   * {@code current} (with its next tasks) and the writes of its unfinished step, for the others nothing new. Under
   * {@code exit} a per-invocation subgraph's child run ({@link SubgraphThreads#isPerInvocationChild}) that
   * {@code ended} (neither failed nor interrupted) stores nothing, as LangGraph's nested loop
   * ({@code _suppress_interrupt}: a nested loop under {@code exit} saves only when interrupted or failed, or when its
   * namespace has no task id, i.e. a stateful subgraph): nothing will resume it, and its parent's task result holds
   * its output.
   */
  Future<Void> finish(RunState current, boolean ended) {
    if (durability == Durability.EXIT && ended && SubgraphThreads.isPerInvocationChild(threadId)) {
      held.clear();
      return chain;
    }
    if (durability == Durability.EXIT && current != null) {
      int completed = current.step() - 1;
      if (exitId != null || !inPlace || parent == null) {
        // the tasks in progress keep the ids they were planned with: their held writes have them
        save(completed, current, lastSource, lastRan, exitId != null ? exitId : nextId(), plannedFrom, null);
      } // else: nothing changed the checkpoint the run continued; its tasks' writes go onto it (LangGraph's exit)
      for (Held entry : held) {
        chain = chain.compose(v -> traced("writes", () -> checkpointer.putWrites(threadId, parent.checkpointId(),
            entry.taskId(), entry.node(), entry.writes())));
      }
      held.clear();
    }
    return chain;
  }
}
