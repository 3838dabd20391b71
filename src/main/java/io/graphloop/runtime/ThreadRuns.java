package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpoint;
import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.checkpoint.WriteRecord;
import io.graphloop.engine.Restore;
import io.graphloop.engine.RunState;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.protocol.NodeReply;
import io.graphloop.protocol.RunOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares runs on threads: one run at a time per thread (a Vert.x shared-data lock, cluster-wide on a clustered
 * Vert.x, so members sharing a store agree), then where the run starts. With an input, the input is applied to the
 * thread's latest state (or to the checkpoint named by {@code checkpointId}: replaying from there forks the
 * thread's history). Without one (or with {@code Command.resume}), the run continues the checkpoint's next tasks;
 * tasks whose writes were stored are not run again, and interrupted tasks get the resume value.
 *
 * <p>Thread rules: called on the coordinator's event loop; every step returns a future.
 */
final class ThreadRuns {

  /** A prepared run: where it starts, how it is saved, and the thread's lock to release when it has ended. */
  record Prepared(RunStart start, RunCheckpoints checkpoints, Lock lock) {
  }

  private final Vertx vertx;
  private final CompiledGraph graph;
  private final Checkpointer checkpointer;

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
    String threadId = options.getThreadId();
    String lockName = "graphloop." + graph.name() + ".thread." + threadId;
    boolean enqueue = "enqueue".equals(options.getMultitaskStrategy());
    Future<Lock> locked = enqueue ? vertx.sharedData().getLockWithTimeout(lockName, timeoutMs)
        : vertx.sharedData().getLockWithTimeout(lockName, 1);
    return locked.recover(busy -> Future.failedFuture(new GraphloopException(FailureCode.THREAD_BUSY, "Thread '"
            + threadId + "' of graph '" + graph.name() + "' already has a run in flight" + (enqueue
            ? " and it did not end within " + timeoutMs + " ms" : "") + "; wait for it, cancel it, or send the run "
            + "with multitaskStrategy \"enqueue\" to queue it.", graph.name(), runId, null, null, null)))
        .compose(lock -> load(threadId, options.getCheckpointId())
            .map(checkpoint -> new Prepared(startOf(runId, checkpoint, input, resume),
                new RunCheckpoints(checkpointer, graph, threadId, runId, Durability.of(options.getDurability()),
                    checkpoint), lock))
            .onFailure(failure -> lock.release()));
  }

  private Future<Checkpoint> load(String threadId, String checkpointId) {
    return checkpointId == null ? checkpointer.load(threadId) : checkpointer.load(threadId, checkpointId);
  }

  private RunStart startOf(String runId, Checkpoint checkpoint, Map<String, Object> input, Object resume) {
    boolean continues = input == null || resume != null;
    if (!continues) {
      return RunStart.fresh(checkpoint == null ? State.empty() : checkpoint.state(), input);
    }
    if (checkpoint == null || checkpoint.record().nextTasks().isEmpty()) {
      throw new GraphloopException(FailureCode.BAD_REQUEST, "Thread '" + (checkpoint == null ? "?"
          : checkpoint.threadId()) + "' of graph '" + graph.name() + "' has nothing to continue: "
          + (checkpoint == null ? "it has no checkpoint yet" : "its last checkpoint has no task due")
          + ". Send an input to start a run.", graph.name(), runId, null, null, null);
    }
    RunState state = Restore.runState(graph, checkpoint.state(), checkpoint.step() + 1,
        checkpoint.record().nextTasks(), checkpoint.record().joins());
    Map<String, NodeReply> completed = new HashMap<>();
    Map<String, List<Object>> answers = new HashMap<>();
    Map<String, Map<String, Object>> byTask = new LinkedHashMap<>();
    for (WriteRecord write : checkpoint.pendingWrites()) {
      byTask.computeIfAbsent(write.taskId(), id -> new LinkedHashMap<>()).put(write.channel(), write.value());
    }
    byTask.forEach((taskId, writes) -> {
      if (writes.containsKey(RunCheckpoints.COMPLETED)) {
        completed.put(taskId, replyOf(writes));
      } else if (writes.containsKey(WriteRecord.INTERRUPT) && resume != null) {
        answers.put(taskId, List.of(resume));
      }
    });
    return RunStart.restored(state, completed, answers);
  }

  @SuppressWarnings("unchecked")
  private static NodeReply replyOf(Map<String, Object> writes) {
    Map<String, Object> update = new LinkedHashMap<>();
    List<String> goTo = new ArrayList<>();
    List<Send> sends = new ArrayList<>();
    writes.forEach((channel, value) -> {
      if (channel.equals(RunCheckpoints.GOTO)) {
        ((List<Object>) value).forEach(target -> goTo.add(String.valueOf(target)));
      } else if (channel.equals(RunCheckpoints.SENDS)) {
        for (Object send : (List<Object>) value) {
          Map<String, Object> map = (Map<String, Object>) send;
          sends.add(new Send(String.valueOf(map.get("node")), (Map<String, Object>) map.get("input")));
        }
      } else if (!channel.equals(RunCheckpoints.COMPLETED) && WriteRecord.specialIndex(channel) == null) {
        update.put(channel, value);
      }
    });
    return new NodeReply(update, goTo, sends);
  }
}
