package io.graphloop.client;

import io.graphloop.protocol.ThreadRequest;
import io.graphloop.run.CheckpointConfig;
import io.graphloop.run.ThreadState;
import io.graphloop.run.ThreadUpdate;
import io.vertx.core.Future;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The thread operations of a {@link GraphClient} (LangGraph's {@code get_state}, {@code get_state_history},
 * {@code update_state}, {@code bulk_update_state}, and LangGraph Server's thread delete, TTL, copy and rollback):
 * each builds its {@link ThreadRequest} and reads the answer; {@link GraphClient} sends the requests over
 * {@code graphloop.<graph>.threads} ({@link #threads}). Runs are {@link GraphClient}'s.
 *
 * <p>Thread-safe, as the client: every method returns a future at once and never blocks.
 */
public abstract class ThreadStateClient {

  ThreadStateClient() {
  }

  /** Sends the request {@code request} makes (a failure it throws fails the future) and answers its reply. */
  abstract Future<Object> threads(Supplier<ThreadRequest> request);

  /**
   * The latest state of thread {@code threadId} (LangGraph's {@code get_state}): its values, the nodes due next, the
   * tasks' interrupts, results and errors, and the checkpoint's id, parent, step, time, source and metadata. Fails
   * with code 404 when the thread has no checkpoint, 400 when the graph has no checkpointer.
   */
  public Future<ThreadState> getState(String threadId) {
    return getState(threadId, null);
  }

  /** The state of thread {@code threadId} at checkpoint {@code checkpointId} (404 when there is no such one). */
  public Future<ThreadState> getState(String threadId, String checkpointId) {
    return threads(() -> ThreadRequest.get(threadId, checkpointId)).map(ThreadState.class::cast);
  }

  /**
   * The state of thread {@code threadId} (at {@code checkpointId}, or the latest when {@code null}) with, when
   * {@code subgraphs} is true, the state of each subgraph task due (LangGraph's {@code get_state(config,
   * subgraphs=True)}): the task's {@code "state"}, read with {@link ThreadState#subgraphState}.
   */
  public Future<ThreadState> getState(String threadId, String checkpointId, boolean subgraphs) {
    return threads(() -> ThreadRequest.get(threadId, checkpointId, subgraphs)).map(ThreadState.class::cast);
  }

  /**
   * The state at {@code config} (LangGraph's {@code get_state(config, subgraphs)}): with a subgraph's
   * {@link CheckpointConfig#checkpointNs()} (from {@link ThreadState#config()} of a child state, or
   * {@link ThreadState#taskConfig(int)}) the child's own state in that namespace, at its checkpoint or its latest;
   * the state's {@code metadata.checkpointNs} says the namespace. Fails with 404 for an unknown thread, namespace or
   * checkpoint, 400 for a subgraph without checkpoints.
   */
  public Future<ThreadState> getState(CheckpointConfig config, boolean subgraphs) {
    return threadsAt(config, c -> ThreadRequest.get(c.threadId(), c.checkpointId(), subgraphs))
        .map(ThreadState.class::cast);
  }

  /**
   * The states in {@code config}'s namespace, newest first (LangGraph's {@code get_state_history(config)}; a
   * subgraph's own history for a child's namespace): at most {@code limit} (0: all), older than {@code before}.
   */
  public Future<java.util.List<ThreadState>> getStateHistory(CheckpointConfig config, int limit, String before) {
    return threadsAt(config, c -> ThreadRequest.history(c.threadId(), limit, before)).map(ThreadCalls::states);
  }

  /**
   * LangGraph's {@code update_state(config, values, as_node)}: as {@link #updateState(String, String, Map, String)}
   * at {@code config}'s checkpoint (its latest when it has none) in {@code config}'s namespace: for a subgraph's
   * namespace the child's own checkpoints are updated, as the child graph's update (its nodes, channels and edges),
   * and the parent's next run continues the child from the update's checkpoint. The state answered carries the
   * namespace ({@link ThreadState#config()}: run from it with {@code RunOptions.setCheckpointNs}). Fails with 423
   * while a run holds the thread.
   */
  public Future<ThreadState> updateState(CheckpointConfig config, Map<String, ?> values, String asNode) {
    return threadsAt(config, c -> ThreadRequest.update(c.threadId(), c.checkpointId(), values, asNode))
        .map(ThreadState.class::cast);
  }

  /** {@link #bulkUpdateState(String, String, java.util.List)} at {@code config}, a subgraph's namespace too. */
  public Future<ThreadState> bulkUpdateState(CheckpointConfig config,
                                             java.util.List<? extends java.util.List<ThreadUpdate>> supersteps) {
    return threadsAt(config, c -> ThreadRequest.bulkUpdate(c.threadId(), c.checkpointId(), supersteps))
        .map(ThreadState.class::cast);
  }

  /**
   * The states of thread {@code threadId}, newest first (LangGraph's {@code get_state_history}): at most
   * {@code limit} (0: all), older than checkpoint {@code before} when it is not {@code null} (pass the last id of a
   * page to get the next). Every branch of the thread (replays, forks) is listed, by creation time.
   */
  public Future<java.util.List<ThreadState>> getStateHistory(String threadId, int limit, String before) {
    return threads(() -> ThreadRequest.history(threadId, limit, before)).map(ThreadCalls::states);
  }

  /**
   * Updates the latest state of thread {@code threadId} (LangGraph's {@code update_state}): {@code values} are written
   * as node {@code asNode}'s update through the channels' reducers, the next tasks are planned as if that node had
   * just run, and a checkpoint (source {@code update}) is saved. {@code asNode} may be {@code "__start__"} (an
   * input), {@code "__end__"} (nothing due afterwards) or {@code null} (the node that ran last, when that is
   * unambiguous). Continue the thread with {@link GraphClient#proceed}. Fails with 423 while a run is in flight on the thread.
   */
  public Future<ThreadState> updateState(String threadId, Map<String, ?> values, String asNode) {
    return updateState(threadId, null, values, asNode);
  }

  /**
   * Updates thread {@code threadId}'s state at checkpoint {@code checkpointId}: on an earlier checkpoint than the
   * latest this forks the history (the update's checkpoint, source {@code update} as in LangGraph, has the earlier one
   * as parent; the original branch stays, and the update's checkpoint is the thread's latest, which {@link GraphClient#proceed}
   * continues). {@code asNode} {@code "__copy__"} with no values saves a copy of the checkpoint instead (source
   * {@code fork}, same parent as the copied one; LangGraph's {@code as_node="__copy__"}). Tasks due because a
   * waiting join fired stay due after an update, as in LangGraph; tasks due by an edge are replaced by those of
   * {@code asNode}'s edges.
   */
  public Future<ThreadState> updateState(String threadId, String checkpointId, Map<String, ?> values, String asNode) {
    return threads(() -> ThreadRequest.update(threadId, checkpointId, values, asNode)).map(ThreadState.class::cast);
  }

  /**
   * Updates thread {@code threadId}'s state at checkpoint {@code checkpointId} ({@code null}: the latest) with one
   * {@link ThreadUpdate}, as {@link #bulkUpdateState} with one superstep of it. With
   * {@link ThreadUpdate#ofCommand} this is LangGraph's {@code update_state(config, Command(update=..., goto=...),
   * as_node)}: the Command's update is written as {@link #updateState(String, String, Map, String)} writes values, and
   * its goto targets and Sends are due next with the node's own edges, as if the node had returned the Command. Goto
   * targets or Sends with {@code asNode} START, END, {@code __copy__} or {@code __input__} are refused (400).
   */
  public Future<ThreadState> updateState(String threadId, String checkpointId, ThreadUpdate update) {
    if (update == null) {
      return Future.failedFuture(new IllegalArgumentException("The thread update must not be null."));
    }
    return bulkUpdateState(threadId, checkpointId, java.util.List.of(java.util.List.of(update)));
  }

  /**
   * Deletes thread {@code threadId} (LangGraph's thread delete): all its checkpoints and pending writes. Fails with
   * 404 when it has no checkpoint (or another owner's), 423 while a run holds it.
   */
  public Future<Void> deleteThread(String threadId) {
    return threads(() -> ThreadRequest.delete(threadId)).mapEmpty();
  }

  /**
   * Gives thread {@code threadId} a TTL of its own (LangGraph Server's per-thread {@code ttl}), replacing the one it
   * had, or removes it ({@code ttl} {@code null}): once the thread has been inactive (no new checkpoint, no new TTL)
   * for {@code ttl.minutes()}, the runtime's sweep deletes it ({@code delete}) or prunes it to its newest checkpoint
   * ({@code keep_latest}). The thread need not have checkpoints yet. Fails with 404 for another owner's thread, 400
   * for a graph deployed without a checkpointer.
   */
  public Future<Void> setThreadTtl(String threadId, io.graphloop.checkpoint.ThreadTtl ttl) {
    return threads(() -> ThreadRequest.setTtl(threadId, ttl)).mapEmpty();
  }

  /**
   * Thread {@code threadId}'s own TTL ({@link #setThreadTtl}), or {@code null} when it has none. Fails with 404 for
   * another owner's thread, 400 for a graph deployed without a checkpointer.
   */
  public Future<io.graphloop.checkpoint.ThreadTtl> threadTtl(String threadId) {
    return threads(() -> ThreadRequest.ttl(threadId)).map(reply -> {
      Object ttl = ((io.vertx.core.json.JsonObject) reply).getValue("ttl");
      return ttl == null ? null : io.graphloop.checkpoint.ThreadTtl.fromJson(ttl);
    });
  }

  /**
   * LangGraph's {@code bulk_update_state}: applies {@code supersteps} to thread {@code threadId}'s state at
   * {@code checkpointId} ({@code null}: the latest), in order, one checkpoint per superstep (source {@code update});
   * the updates of one superstep are written together, in the order given, as if their nodes had run in one step,
   * and the next tasks are planned from all of them. A superstep of several updates needs each update's
   * {@code asNode} (a node of the graph); {@code "__start__"}, {@code "__end__"}, {@code "__copy__"} and an inferred
   * node only as a superstep's one update. Fails with 400 for no supersteps or an empty one, 423 while a run is in
   * flight on the thread; nothing is saved when the first superstep fails.
   *
   * @return the state at the last superstep's checkpoint
   */
  public Future<ThreadState> bulkUpdateState(String threadId, String checkpointId,
                                             java.util.List<? extends java.util.List<ThreadUpdate>> supersteps) {
    return threads(() -> ThreadRequest.bulkUpdate(threadId, checkpointId, supersteps)).map(ThreadState.class::cast);
  }

  /**
   * Copies thread {@code threadId} into the new thread {@code toThreadId} (LangGraph Server's thread copy): its whole
   * history, every checkpoint with the same id, step, source and metadata, with its pending writes and its subgraphs'
   * checkpoints; the copy's latest state. The copy belongs to the same owner and goes on independently. Fails with
   * 404 when {@code threadId} has no checkpoint (or another owner's), 400 when {@code toThreadId} already has
   * checkpoints.
   */
  public Future<ThreadState> copyThread(String threadId, String toThreadId) {
    return threads(() -> ThreadRequest.copy(threadId, toThreadId)).map(ThreadState.class::cast);
  }

  /**
   * Rolls back run {@code runId} on thread {@code threadId} (LangGraph Server's {@code rollback}): deletes the
   * checkpoints the run wrote, with their pending writes, so the thread stands where it stood before the run; the
   * number deleted (0 when the run wrote none). The run must have ended, and its checkpoints must be the thread's
   * newest. Fails with 404 for an unknown thread (or another owner's), 423 while a run holds the thread, 400 when
   * checkpoints were saved after the run's.
   */
  public Future<Integer> rollbackRun(String threadId, String runId) {
    return threads(() -> ThreadRequest.rollback(threadId, runId))
        .map(reply -> ((io.vertx.core.json.JsonObject) reply).getInteger("deleted"));
  }

  /** The request {@code request} makes of {@code config}, in its checkpoint namespace (a null config: 400). */
  private Future<Object> threadsAt(CheckpointConfig config, Function<CheckpointConfig, ThreadRequest> request) {
    return threads(() -> {
      if (config == null) {
        throw new IllegalArgumentException("The checkpoint config must not be null (CheckpointConfig.of(threadId))");
      }
      return request.apply(config).inNamespace(config.checkpointNs());
    });
  }
}
