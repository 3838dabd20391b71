package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpoint;
import io.graphloop.checkpoint.CheckpointNotFoundException;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointSource;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.checkpoint.WriteRecord;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.FunctionCalls;
import io.graphloop.graph.InterruptIds;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.internal.engine.Restore;
import io.graphloop.internal.engine.RunState;
import io.graphloop.protocol.NodeReply;
import io.graphloop.run.Durability;
import io.graphloop.run.MultitaskStrategy;
import io.graphloop.run.RunOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares runs on threads: one run at a time per thread ({@link ThreadLock}: a Vert.x shared-data lock, cluster-wide
 * on a clustered Vert.x, so members sharing a store agree, and freed when its member leaves or dies; a busy thread
 * rejects the run, or with {@code multitaskStrategy "enqueue"} queues it, in arrival order, within its deadline), then
 * where the run starts.
 *
 * <ul>
 *   <li>With an input, the input is applied to the thread's latest state, or to the checkpoint named by
 *       {@code checkpointId}, whose input checkpoint then has that one as parent (a new branch of the history).</li>
 *   <li>Without one (or with {@code Command.resume}), the run continues the latest checkpoint's next tasks: tasks
 *       whose writes were stored are not run again, and interrupted tasks get the resume value after the answers
 *       they had (a resume value that is a map from interrupted task ids to values answers each its own).</li>
 *   <li>Continuing a checkpoint named by {@code checkpointId} (an earlier one or the latest) is LangGraph's replay:
 *       its tasks all run again, even those whose writes were stored. Without {@code Command.resume} it is time
 *       travel: a {@code fork} copy of the checkpoint is saved first, one step on (parent: the checkpoint; none
 *       when the checkpoint is itself an update or a fork, nor under {@code exit} durability), so the thread's
 *       latest checkpoint is on the new branch; the tasks run one step after the checkpoint's (new task ids) and
 *       every interrupt is asked anew (answers stored since are not reused). With {@code Command.resume} the
 *       tasks keep their ids and stored answers, the resume value answering the interrupt they stop at, and no
 *       copy is saved (the run's first checkpoint has the named one as parent), as LangGraph does.</li>
 * </ul>
 *
 * <p>Thread rules: called on the coordinator's event loop; every step returns a future.
 */
final class ThreadRuns {

  /** A prepared run: where it starts, how it is saved, and the thread's lock to release when it has ended. */
  record Prepared(RunStart start, RunCheckpoints checkpoints, Lock lock, String replayBefore,
                  Map<String, Object> checkpointMap) {
    Prepared(RunStart start, RunCheckpoints checkpoints, Lock lock, String replayBefore) {
      this(start, checkpoints, lock, replayBefore, null);
    }

    Prepared(RunStart start, RunCheckpoints checkpoints, Lock lock) {
      this(start, checkpoints, lock, null, null);
    }

    Prepared with(Lock lock, Map<String, Object> checkpointMap) {
      return new Prepared(start, checkpoints, lock, replayBefore, checkpointMap);
    }
  }

  /**
   * A run's {@code checkpointId} that names the empty state before the thread's first checkpoint: with an input, the
   * run starts as on a new thread (its input checkpoint has no parent; the thread's history is kept). Used by a
   * stateful subgraph replayed to before its first invocation (LangGraph's ReplayState finding no checkpoint).
   */
  static final String EMPTY_CHECKPOINT = "00000000-0000-0000-0000-000000000000";

  private final Vertx vertx;
  private final CompiledGraph graph;
  private final Checkpointer checkpointer;
  private java.util.concurrent.atomic.LongAdder queued; // runs waiting for a thread lock here, or null

  ThreadRuns(Vertx vertx, CompiledGraph graph, Checkpointer checkpointer) {
    this.vertx = vertx;
    this.graph = graph;
    this.checkpointer = checkpointer;
  }

  /**
   * Locks the thread and loads where the run starts.
   *
   * @param input  the run's input, or {@code null} to continue the thread (resume)
   * @param resume the answer to the thread's interrupts ({@code Command.resume}), or {@code null}
   */
  Future<Prepared> prepare(String runId, RunOptions options, Map<String, Object> input, Object resume,
                           long timeoutMs) {
    return prepare(runId, options, input, resume, null, timeoutMs, null);
  }

  /**
   * As {@link #prepare(String, RunOptions, Map, Object, long)}, with a Command given as input ({@code null}: none),
   * for a caller acting for {@code owner} ({@code null}: none; see {@link io.graphloop.internal.bus.Owners}).
   */
  Future<Prepared> prepare(String runId, RunOptions options, Map<String, Object> input, Object resume,
                           RunStart.CommandInput command, long timeoutMs, String owner) {
    String threadId = options.getThreadId();
    boolean enqueue = options.getMultitaskStrategy() == MultitaskStrategy.ENQUEUE;
    // a subgraph's checkpoint (checkpointNs) is resolved to the thread's once locked: not checked before the lock
    String checked = options.getCheckpointNs() == null ? options.getCheckpointId() : null;
    if (owner == null && !enqueue) {
      // a caller acting for no owner, not queueing: the lock first, then one read of the thread (start's), not a
      // read of its head before the lock and the same again after it. When the lock is busy, the answer is the one
      // the path below gives (404 for a thread it may not see or a checkpoint that is not there, else 423): the
      // answer does not depend on contention either way.
      return lock(vertx, graph.name(), threadId, 1).transform(locked -> locked.failed()
          ? checkBeforeLock(threadId, null, checked, runId)
              .compose(seen -> Future.failedFuture(busy(threadId, runId, false, timeoutMs)))
          : started(locked.result(), runId, options, input, resume, command, null));
    }
    // another owner's thread is refused before its lock is touched: a caller acting for an owner never holds another
    // owner's thread's lock, nor learns it busy (a caller acting for none can name any owner on the bus anyway)
    return checkBeforeLock(threadId, owner, checked, runId).compose(seen -> queued(enqueue,
            lock(vertx, graph.name(), threadId, enqueue ? timeoutMs : 1))
        .recover(busy -> Future.failedFuture(busy(threadId, runId, enqueue, timeoutMs))))
        .compose(lock -> started(lock, runId, options, input, resume, command, owner));
  }

  private Future<Prepared> started(Lock lock, String runId, RunOptions options, Map<String, Object> input,
                                   Object resume, RunStart.CommandInput command, String owner) {
    return target(options, runId).compose(at -> start(runId, options, input, resume, command, owner,
            at.checkpointId()).map(ready -> ready.with(lock, at.checkpointMap())))
        // the refusal goes out once the lock is free again (ThreadLock.release): the caller's next request on the
        // thread, sent as soon as the refusal is in, must not find it still held and be refused as busy
        .recover(failure -> ThreadLock.release(lock).transform(released -> Future.failedFuture(failure)));
  }

  private GraphloopException busy(String threadId, String runId, boolean enqueue, long timeoutMs) {
    return new GraphloopException(FailureCode.THREAD_BUSY, "Thread '" + threadId + "' of graph '" + graph.name()
        + "' already has a run in flight" + (enqueue ? " and it did not end within " + timeoutMs + " ms" : "")
        + "; wait for it, cancel it, or send the run with multitaskStrategy \"enqueue\" to queue it.", graph.name(),
        runId, null, null, null);
  }

  /** Counts the runs waiting for their thread's lock ({@code enqueue}) in {@code total} from now on. */
  ThreadRuns countQueuedIn(java.util.concurrent.atomic.LongAdder total) {
    this.queued = total;
    return this;
  }

  private <T> Future<T> queued(boolean enqueue, Future<T> lock) {
    java.util.concurrent.atomic.LongAdder total = queued;
    if (!enqueue || total == null || lock.isComplete()) {
      return lock;
    }
    total.increment();
    return lock.andThen(done -> total.decrement());
  }

  /**
   * Fails with 404 when thread {@code threadId} has checkpoints of another owner (or of none, when there is one), or
   * when {@code checkpointId} (may be {@code null}) is not one of the thread's checkpoints. Run before the lock is
   * tried, so the answer does not depend on contention: a request that names what does not exist is 404 whether or
   * not a run holds the thread; 423 is only for a request that would otherwise be served.
   */
  private Future<Void> checkBeforeLock(String threadId, String owner, String checkpointId, String runId) {
    return checkpointer.store().latest(threadId).compose(latest -> latest == null || ThreadOwners.owns(latest, owner)
        ? checkpointKnown(checkpointer.store(), threadId, latest, EMPTY_CHECKPOINT.equals(checkpointId) ? null
            : checkpointId)
        : Future.failedFuture(ThreadOwners.notFound(graph.name(), threadId, owner, runId)));
  }

  /**
   * Succeeds when {@code checkpointId} is {@code null}, is {@code latest}'s, or names a stored checkpoint of the
   * thread; otherwise fails with {@link CheckpointNotFoundException} (404). Checkpoints are never changed once saved,
   * so the answer holds when the thread's lock is taken afterwards.
   */
  static Future<Void> checkpointKnown(CheckpointStore store, String threadId, CheckpointRecord latest,
                                     String checkpointId) {
    if (checkpointId == null || latest != null && latest.checkpointId().equals(checkpointId)) {
      return Future.succeededFuture();
    }
    return store.get(threadId, checkpointId).compose(record -> record == null
        ? Future.failedFuture(new CheckpointNotFoundException(threadId, checkpointId)) : Future.succeededFuture());
  }

  /**
   * Takes the lock of a thread, waiting at most {@code waitMs} (1: only if it is free), for a run or an outside
   * update of its state: local, or cluster-wide on a clustered Vert.x ({@link ThreadLock}).
   */
  static Future<Lock> lock(Vertx vertx, String graph, String threadId, long waitMs) {
    return ThreadLock.acquire(vertx, "graphloop." + graph + ".thread." + threadId, waitMs);
  }

  /** Where a run starts: a checkpoint, and the thread's head when the run started (its first save is fenced on it). */
  private record Base(Checkpoint checkpoint, String head) {
  }

  /**
   * The checkpoint of the thread a run starts from (the one it names, or for a subgraph's checkpoint, the thread's
   * where that subgraph ran: {@link SubgraphCheckpoints}, with the checkpoint map its child runs take theirs from).
   */
  private Future<SubgraphCheckpoints.Resolved> target(RunOptions options, String runId) {
    if (options.getCheckpointNs() == null) {
      return Future.succeededFuture(new SubgraphCheckpoints.Resolved(options.getCheckpointId(), null));
    }
    if (options.getCheckpointId() == null) {
      return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, "checkpointNs '"
          + options.getCheckpointNs() + "' names a subgraph's checkpoints: give the checkpointId of one of them "
          + "(a child state's checkpointId).", graph.name(), runId, null, null, null));
    }
    return SubgraphCheckpoints.resolve(checkpointer.store(), graph.name(), options.getThreadId(),
        options.getCheckpointNs(), options.getCheckpointId());
  }

  private Future<Prepared> start(String runId, RunOptions options, Map<String, Object> input, Object resume,
                                 RunStart.CommandInput command, String owner, String wanted) {
    String threadId = options.getThreadId();
    Durability durability = options.getDurability();
    boolean continues = input == null || resume != null;
    // LangGraph's time travel into a subgraph: this child run continues the checkpoint its parent's map names, its
    // interrupts asked anew (the answers stored on it from later are dropped), a new answer taking them
    boolean dropAnswers = wanted != null && options.hasConfig() && options.getConfig().getValue(
        SubgraphCheckpoints.CHECKPOINT_MAP) instanceof JsonObject && wanted.equals(options.getConfig()
        .getJsonObject(SubgraphCheckpoints.CHECKPOINT_MAP).getValue(SubgraphThreads.namespaceOf(threadId)));
    Future<Base> base = checkpointer.load(threadId).compose(latest -> {
      if (latest != null && !ThreadOwners.owns(latest.record(), owner)) {
        return Future.failedFuture(ThreadOwners.notFound(graph.name(), threadId, owner, runId));
      }
      if (EMPTY_CHECKPOINT.equals(wanted)) {
        if (input == null || resume != null) {
          return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, "Checkpoint id " + wanted
              + " (the empty state) can only start a run with an input.", graph.name(), runId, null, null, null));
        }
        return Future.succeededFuture(new Base(null, latest == null ? null : latest.checkpointId()));
      }
      return wanted == null || latest != null && latest.checkpointId().equals(wanted)
          ? Future.succeededFuture(new Base(latest, latest == null ? null : latest.checkpointId()))
          : checkpointer.load(threadId, wanted)
              .map(earlier -> new Base(earlier, latest == null ? null : latest.checkpointId()));
    });
    return base.compose(from -> {
      Checkpoint checkpoint = from.checkpoint();
      // LangGraph's replay: a run that names its checkpoint (is_replaying) runs that checkpoint's tasks again, even
      // those whose writes were stored; without an answer (is_time_traveling), one step on, as new tasks that are
      // asked their interrupts anew, from a fork copy of the checkpoint
      boolean replay = wanted != null && checkpoint != null;
      boolean timeTravel = replay && continues && resume == null;
      boolean fork = timeTravel && !isUpdateOrFork(checkpoint); // (under exit durability, a step without a save)
      RunStart start = startOf(runId, checkpoint, continues ? null : input, resume, command, !replay, timeTravel,
          fork, dropAnswers);
      // LangGraph's ReplayState: a time travel's stateful subgraphs load their state as it was at the checkpoint
      // replayed (for an update's or a fork's checkpoint, at the one it was made from)
      String before = !timeTravel ? null : isUpdateOrFork(checkpoint) && checkpoint.record().parentId() != null
          ? checkpoint.record().parentId() : checkpoint.checkpointId();
      if (!fork || durability == Durability.EXIT) {
        return Future.succeededFuture(new Prepared(start, new RunCheckpoints(checkpointer, graph, threadId, runId,
            durability, checkpoint, from.head(), owner).config(options.getConfig().getMap())
            .inPlace(!replay && checkpoint != null && checkpoint.checkpointId().equals(from.head())
                && (command == null || command.goTo().isEmpty())), null, before));
      }
      Map<String, Object> metadata = new LinkedHashMap<>(checkpoint.record().metadata());
      metadata.put("runId", runId);
      metadata.put("forkOf", checkpoint.checkpointId());
      String forkId = checkpointer.nextCheckpointId(checkpoint.checkpointId()); // its tasks' ids derive from it
      return checkpointer.save(threadId, checkpoint, checkpoint.state(), checkpoint.step() + 1,
              CheckpointSource.FORK, metadata, TaskIds.entries(forkId, threadId, start.restored().tasks()),
              checkpoint.record().joins(), checkpoint.checkpointId(), forkId)
          .map(copy -> new Prepared(start, new RunCheckpoints(checkpointer, graph, threadId, runId, durability, copy,
              owner).config(options.getConfig().getMap()), null, before));
    });
  }

  /** Whether {@code checkpoint} was saved by an update or is a fork (LangGraph saves no fork of these on a replay). */
  private static boolean isUpdateOrFork(Checkpoint checkpoint) {
    CheckpointSource source = checkpoint.record().source();
    return source == CheckpointSource.UPDATE || source == CheckpointSource.FORK;
  }

  /**
   * Where a run starts on {@code checkpoint} (the thread's latest or the earlier one asked for).
   *
   * @param input          the input of a fresh run, or {@code null} to continue the checkpoint's tasks
   * @param reuseCompleted whether tasks whose writes were stored keep them (a resume) or run again (a replay)
   * @param timeTravel     a replay without an answer: the tasks keep none of the answers stored since
   * @param fork           the replay forks the checkpoint: its tasks are due one step later than the checkpoint's
   *                       (new task ids, as after LangGraph's fork checkpoint)
   */
  private RunStart startOf(String runId, Checkpoint checkpoint, Map<String, Object> input, Object resume,
                           RunStart.CommandInput command, boolean reuseCompleted, boolean timeTravel,
                           boolean fork, boolean dropAnswers) {
    if (input == null && command != null && checkpoint == null) { // LangGraph: a Command on a new thread starts it
      return RunStart.fresh(State.empty(), Map.of()).with(command);
    }
    if (input == null && command != null && resume == null && checkpoint.record().nextTasks().isEmpty()) {
      // nothing due: the Command's update and goto alone make the run (LangGraph's Command on a finished thread)
      return RunStart.restored(Restore.runState(graph, checkpoint.state(), checkpoint.step() + 1, List.of(),
          checkpoint.record().joins()), Map.of(), Map.of()).with(command);
    }
    if (input != null) {
      // the input is the step after the thread's last checkpoint, the run's first step the one after that
      return checkpoint == null ? RunStart.fresh(State.empty(), input)
          : RunStart.fresh(checkpoint.state(), input, checkpoint.step() + 2);
    }
    if (checkpoint == null) { // LangGraph's EmptyInputError
      throw new GraphloopException(FailureCode.BAD_REQUEST, "Received no input for " + StateGraph.START
          + " (LangGraph's EmptyInputError): thread has no checkpoint yet, so there is nothing to continue. Send an "
          + "input to start a run.", graph.name(), runId, null, null, null);
    }
    RunState state = Restore.runState(graph, checkpoint.state(), checkpoint.step() + (fork ? 2 : 1),
        checkpoint.record().nextTasks(), checkpoint.record().joins());
    if (timeTravel) { // the limit counts from the step after the checkpoint loaded, the fork's step included
      return RunStart.restored(state, Map.of(), Map.of()).countedFrom(checkpoint.step() + 1).with(command);
    }
    Map<String, NodeReply> completed = new HashMap<>();
    Map<String, Map<String, Object>> failed = new HashMap<>();
    Map<String, Map<String, Object>> byTask = new LinkedHashMap<>();
    for (WriteRecord write : checkpoint.pendingWrites()) {
      byTask.computeIfAbsent(write.taskId(), id -> new LinkedHashMap<>()).put(write.channel(), write.value());
    }
    Map<String, String> nodes = new HashMap<>();
    checkpoint.pendingWrites().forEach(write -> nodes.put(write.taskId(), write.node()));
    Map<String, List<Object>> answered = new LinkedHashMap<>();
    Map<String, List<String>> ids = new LinkedHashMap<>();
    java.util.Set<String> subgraphs = new java.util.HashSet<>();
    java.util.Set<String> functional = new java.util.HashSet<>();
    byTask.forEach((taskId, writes) -> {
      if (reuseCompleted && writes.containsKey(RunCheckpoints.COMPLETED)) {
        completed.put(taskId, replyOf(writes));
      } else if (reuseCompleted && writes.get(RunCheckpoints.ERROR_SOURCE) instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) writes.get(RunCheckpoints.ERROR_SOURCE);
        failed.put(taskId, error); // its error handler runs in its place (LangGraph's resumed error handlers)
      } else if (writes.containsKey(WriteRecord.INTERRUPT)) { // (on a replay, also a task answered since)
        List<Map<String, Object>> nested = RunEnd.nested(graph, nodes.get(taskId), writes.get(WriteRecord.INTERRUPT));
        if (nested != null && RunEnd.functional(graph, nodes.get(taskId))) {
          // an entrypoint: its interrupt has the asking call's id; it keeps its answers, each naming its interrupt
          List<String> callIds = new ArrayList<>();
          nested.forEach(interrupt -> callIds.add(String.valueOf(interrupt.get("id"))));
          ids.put(taskId, callIds);
          functional.add(taskId);
          Object before = writes.get(WriteRecord.RESUME);
          answered.put(taskId, before instanceof List ? new ArrayList<>((List<?>) before) : new ArrayList<>());
        } else if (nested != null) { // a subgraph: its child keeps its own answers; it gets only a new one
          List<String> childIds = new ArrayList<>();
          nested.forEach(interrupt -> childIds.add(String.valueOf(interrupt.get("id"))));
          ids.put(taskId, childIds);
          subgraphs.add(taskId);
          answered.put(taskId, new ArrayList<>());
        } else {
          ids.put(taskId, List.of(taskId));
          Object before = dropAnswers ? null : writes.get(WriteRecord.RESUME);
          answered.put(taskId, before instanceof List ? new ArrayList<>((List<?>) before) : new ArrayList<>());
        }
      }
    });
    if (dropAnswers && resume != null && answered.isEmpty() && !InterruptIds.isResumeMap(resume)) {
      // LangGraph's null resume: at a child's checkpoint where nothing has asked yet (an update's), the answer goes
      // to the task that asks
      Map<String, List<Object>> first = new LinkedHashMap<>();
      java.util.function.Function<io.graphloop.internal.engine.Task, String> taskIds = TaskIds.ofCheckpoint(checkpoint);
      state.tasks().forEach(task -> first.put(taskIds.apply(task), new ArrayList<>(List.of(resume))));
      return RunStart.restored(state, completed, first).with(command).withFailed(failed);
    }
    return RunStart.restored(state, completed, answers(runId, checkpoint.threadId(), answered, ids, subgraphs, functional,
        resume))
        .with(command).withFailed(failed);
  }

  /**
   * The answers each interrupted task gets: those it had, plus the resume value (a node may interrupt several
   * times; its answers come back in order). A resume value that is a map of interrupt ids
   * ({@link InterruptIds#isResumeMap}) adds nothing here: the run carries it in its configuration and each task takes
   * its own entry when it runs (LangGraph's resume map). A map whose keys are all ids of pending interrupts stored
   * before ids were digests (old checkpoints) gives each of those its own value. A subgraph task stands for its child's interrupts
   * ({@code ids}): it gets the resume value (or the part of the map for its child's ids) as its only answer, which its
   * child applies to its own interrupts. As in LangGraph, one plain value cannot answer several pending interrupts.
   */
  private Map<String, List<Object>> answers(String runId, String threadId, Map<String, List<Object>> answered,
                                            Map<String, List<String>> ids, java.util.Set<String> subgraphs,
                                            java.util.Set<String> functional, Object resume) {
    List<String> pending = new ArrayList<>();
    ids.values().forEach(pending::addAll);
    // LangGraph's resume map: every key has the shape of an interrupt id; each task takes its answer from the run's
    // map when it runs (StepTasks), so a key naming an interrupt not reported yet answers it when it asks
    boolean byId = InterruptIds.isResumeMap(resume);
    // answers by the ids of interrupts stored before ids were digests (a task's id, a call's uuid): old checkpoints
    boolean perTask = !byId && resume instanceof Map && !((Map<?, ?>) resume).isEmpty()
        && pending.containsAll(((Map<?, ?>) resume).keySet());
    if (resume != null && !byId && !perTask && pending.size() > 1) { // LangGraph refuses to guess which one it answers
      throw new GraphloopException(FailureCode.BAD_REQUEST, "Thread '" + threadId + "' of graph '" + graph.name()
          + "' has " + pending.size() + " pending interrupts (ids " + pending + "): when there are multiple "
          + "pending interrupts, resume with a map from interrupt id to value, e.g. Command.resume(Map.of(id, value, "
          + "...)) (the ids are the interrupts' \"id\" in the run's result or the thread's state).", graph.name(),
          runId, null, null, null);
    }
    answered.forEach((taskId, before) -> {
      List<String> mine = ids.get(taskId);
      boolean subgraph = subgraphs.contains(taskId);
      if (resume == null || byId) {
        return;
      }
      if (functional.contains(taskId)) { // each answer names the call's interrupt it answers
        for (String id : mine) {
          if (!perTask) {
            before.add(FunctionCalls.answer(id, resume));
          } else if (((Map<?, ?>) resume).containsKey(id)) {
            before.add(FunctionCalls.answer(id, ((Map<?, ?>) resume).get(id)));
          }
        }
      } else if (!perTask) {
        before.add(resume);
      } else if (!subgraph) {
        if (((Map<?, ?>) resume).containsKey(taskId)) {
          before.add(((Map<?, ?>) resume).get(taskId));
        }
      } else {
        Map<Object, Object> part = new LinkedHashMap<>();
        ((Map<?, ?>) resume).forEach((id, value) -> {
          if (mine.contains(String.valueOf(id))) {
            part.put(id, value);
          }
        });
        if (!part.isEmpty()) {
          before.add(part.size() == 1 && mine.size() == 1 ? part.values().iterator().next() : part);
        }
      }
    });
    return answered; // a task without a new answer replays the ones it had and interrupts at the next
  }

  @SuppressWarnings("unchecked")
  static NodeReply replyOf(Map<String, Object> writes) {
    Map<String, Object> update = new LinkedHashMap<>();
    List<String> goTo = new ArrayList<>();
    List<Send> sends = new ArrayList<>();
    writes.forEach((channel, value) -> {
      if (channel.equals(RunCheckpoints.GOTO)) {
        ((List<Object>) value).forEach(target -> goTo.add(String.valueOf(target)));
      } else if (channel.equals(RunCheckpoints.SENDS)) {
        for (Object send : (List<Object>) value) {
          Map<String, Object> map = (Map<String, Object>) send;
          sends.add(new Send(String.valueOf(map.get("node")), (Map<String, Object>) map.get("input"),
              Send.timeoutOf(map, "a stored Send to '" + map.get("node") + "'")));
        }
      } else if (!channel.equals(RunCheckpoints.COMPLETED) && WriteRecord.specialIndex(channel) == null) {
        update.put(channel, value);
      }
    });
    return new NodeReply(update, goTo, sends);
  }
}
