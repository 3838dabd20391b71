package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpoint;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointSource;
import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.checkpoint.WriteRecord;
import io.graphloop.engine.RunState;
import io.graphloop.engine.Task;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.protocol.NodeReply;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoints of one run on a thread: the input checkpoint, one per completed step, and the writes of each
 * completed task (so a resumed step does not run it again), written as its {@link Durability} says. Saves are
 * chained in order, because each one's changes are computed against the one before (no I/O for that).
 *
 * <p>Task writes hold the task's update, its Command's goto ({@code __goto__}) and Sends ({@code __sends__}), and a
 * {@code __completed__} marker, so even a task without an update is known to have completed.
 *
 * <p>Thread rules: confined to the run's coordinator event loop.
 */
final class RunCheckpoints {

  static final String GOTO = "__goto__";
  static final String SENDS = "__sends__";
  static final String COMPLETED = "__completed__";
  /** Saves an async run may have outstanding before it waits. */
  static final int MAX_OUTSTANDING = 8;

  private final Checkpointer checkpointer;
  private final CompiledGraph graph;
  private final String threadId;
  private final String runId;
  private final Durability durability;
  private Checkpoint parent;
  private Future<Void> chain = Future.succeededFuture();
  private int outstanding;

  RunCheckpoints(Checkpointer checkpointer, CompiledGraph graph, String threadId, String runId, Durability durability,
                 Checkpoint parent) {
    this.checkpointer = checkpointer;
    this.graph = graph;
    this.threadId = threadId;
    this.runId = runId;
    this.durability = durability;
    this.parent = parent;
  }

  String threadId() {
    return threadId;
  }

  /** The id a task's writes are stored under (the same when the step is resumed by another run). */
  String taskId(Task task) {
    return task.id(threadId);
  }

  /** The id of the last checkpoint saved (or loaded), or {@code null}. */
  String checkpointId() {
    return parent == null ? null : parent.checkpointId();
  }

  /** Saves the state after the input (step -1). */
  Future<Void> input(RunState state) {
    return step(-1, state, CheckpointSource.INPUT);
  }

  /** Saves the state after step {@code completed}; the future completes when the run may go on. */
  Future<Void> step(int completed, RunState next) {
    return step(completed, next, CheckpointSource.LOOP);
  }

  private Future<Void> step(int completed, RunState next, CheckpointSource source) {
    if (durability == Durability.EXIT) {
      return Future.succeededFuture();
    }
    Future<Void> saved = save(completed, next, source);
    if (durability == Durability.SYNC || outstanding > MAX_OUTSTANDING) {
      return saved;
    }
    return Future.succeededFuture();
  }

  private Future<Void> save(int completed, RunState next, CheckpointSource source) {
    outstanding++;
    chain = chain.compose(v -> checkpointer.save(threadId, parent, next.state(), completed, source,
        Map.of("runId", runId), CheckpointRecord.tasks(threadId, next.tasks()), next.joins().describe(graph)))
        .map(checkpoint -> {
          parent = checkpoint;
          outstanding--;
          return (Void) null;
        });
    return chain;
  }

  /** Stores the writes of a completed task of the step that started from the last checkpoint. */
  void taskCompleted(Task task, NodeReply reply) {
    if (durability == Durability.EXIT) {
      return;
    }
    Map<String, Object> writes = new LinkedHashMap<>(reply.update());
    if (!reply.goTo().isEmpty()) {
      writes.put(GOTO, reply.goTo());
    }
    if (!reply.sends().isEmpty()) {
      List<Map<String, Object>> sends = new ArrayList<>();
      for (Send send : reply.sends()) {
        sends.add(Map.of("node", send.node(), "input", send.input()));
      }
      writes.put(SENDS, sends);
    }
    writes.put(COMPLETED, true);
    putWrites(task, writes);
  }

  /** Stores that a task interrupted with {@code payload} (so the thread's state shows what it waits for). */
  void taskInterrupted(Task task, Object payload) {
    if (durability != Durability.EXIT) {
      putWrites(task, Map.of(WriteRecord.INTERRUPT, payload == null ? Map.of() : payload));
    }
  }

  private void putWrites(Task task, Map<String, Object> writes) {
    chain = chain.compose(v -> checkpointer.putWrites(threadId, parent.checkpointId(), taskId(task), task.node(),
        writes));
  }

  /**
   * Writes what is still unwritten and completes once everything is stored: for {@code exit} the run's last state
   * {@code current} (with its next tasks, so an interrupted or failed run can be resumed), for the others nothing
   * new.
   */
  Future<Void> finish(RunState current) {
    if (durability == Durability.EXIT && current != null) {
      int completed = current.step() - 1;
      save(completed, current, completed < 0 ? CheckpointSource.INPUT : CheckpointSource.LOOP);
    }
    return chain;
  }
}
