package io.graphloop.runtime;

import io.graphloop.checkpoint.CheckpointIds;
import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.Command;
import io.graphloop.graph.Subgraph;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a subgraph node's child run starts on its thread (LangGraph's {@code PregelLoop.__enter__} and {@code _first}
 * for a nested graph): with the node's input, by continuing the child's checkpoint (a resumed parent step), or not at
 * all (the child had reached END: its result is the node's).
 *
 * <ul>
 *   <li>Without a thread, or when the parent's task does not continue a checkpoint, the child runs with the input on
 *       its thread: a per-invocation child's thread is new, a stateful child's is its state so far, to which the input
 *       is applied (LangGraph's {@code checkpointer=True}).</li>
 *   <li>When the parent's task continues a checkpoint ({@link NodeRequest#resuming()}, the first step of a resumed
 *       run only), the child continues its own checkpoint when it has tasks due, with the part of the resume value
 *       meant for it; a child that had reached END gives its result; a child without a checkpoint starts anew.</li>
 *   <li>A child whose namespace the run's {@link SubgraphCheckpoints#CHECKPOINT_MAP} names (a run from a subgraph's
 *       own checkpoint) continues that checkpoint: replayed, its interrupts asked anew, or answered by the parent's
 *       resume value.</li>
 *   <li>A stateful child of a parent that travels in time (a replay or fork of an earlier checkpoint: the run's
 *       config holds {@link #REPLAY_STATE}) is LangGraph's {@code ReplayState}: on its first invocation in that run it
 *       starts with the input from its latest checkpoint older than the parent's checkpoint replayed, as it was then
 *       (the empty state when it has none that old); later invocations in the same run (a loop) find the checkpoints
 *       that run made and go on from its latest.</li>
 * </ul>
 *
 * <p>Stateless; the futures complete on the caller's context (the subgraph node's event loop).
 */
final class SubgraphStart {

  /**
   * The run config key of a time travel (LangGraph's {@code CONFIG_KEY_REPLAY_STATE}): a map with {@code "before"}
   * (the checkpoint id the stateful children's state is read as of) and {@code "since"} (an id older than every
   * checkpoint the replaying run makes). Reserved; inherited by the child runs.
   */
  static final String REPLAY_STATE = "__pregel_replay_state";

  /**
   * How the child run starts.
   *
   * @param input  the input of a run with one, {@code null} to continue the child's checkpoint
   * @param resume the answer continuing it ({@code null}: none)
   * @param from   the checkpoint a run with an input starts from ({@code null}: the thread's latest)
   * @param done   the child's result when it had already reached END (nothing runs)
   */
  record Start(Map<String, Object> input, Object resume, String from, RunResult done) {
    static Start with(Map<String, Object> input) {
      return new Start(input, null, null, null);
    }

    boolean continues() {
      return input == null;
    }

    /** {@code options} for this start: from its checkpoint when it names one. */
    RunOptions options(RunOptions options) {
      return from == null ? options : new RunOptions(options).setCheckpointId(from);
    }

    Future<RunResult> run(GraphClient client, RunOptions options) {
      if (!continues()) {
        return client.run(input, options(options));
      }
      return resume != null ? client.run(Command.resume(resume), options(options)) : client.proceed(options(options));
    }
  }

  private SubgraphStart() {
  }

  /** {@code config} marked as a time travel replaying checkpoint {@code before} (see {@link #REPLAY_STATE}). */
  static Map<String, Object> withReplay(Map<String, Object> config, String before) {
    Map<String, Object> with = new LinkedHashMap<>(config);
    with.put(REPLAY_STATE, Map.of("before", before, "since", CheckpointIds.next()));
    return Collections.unmodifiableMap(with);
  }

  /**
   * Where the child run of subgraph node task {@code request} starts on {@code thread} ({@code null}: none) with
   * {@code input}.
   */
  static Future<Start> of(GraphClient client, Subgraph.Persistence persistence, String thread, NodeRequest request,
                          Map<String, Object> input) {
    if (thread == null) {
      return Future.succeededFuture(Start.with(input));
    }
    Object map = request.config().get(SubgraphCheckpoints.CHECKPOINT_MAP);
    Object named = map instanceof Map ? ((Map<?, ?>) map).get(SubgraphThreads.namespaceOf(thread)) : null;
    if (named instanceof String) { // a run from this child's checkpoint (LangGraph's checkpoint_map): from that one
      List<Object> resume = request.resume();
      Object answer = request.resuming() && !resume.isEmpty() ? resume.get(resume.size() - 1) : null;
      return Future.succeededFuture(new Start(null, answer, (String) named, null));
    }
    Object replay = request.config().get(REPLAY_STATE);
    if (persistence == Subgraph.Persistence.STATEFUL && replay instanceof Map) {
      Map<?, ?> bounds = (Map<?, ?>) replay;
      return replayed(client, thread, input, request, String.valueOf(bounds.get("before")),
          String.valueOf(bounds.get("since")));
    }
    return !request.resuming() ? Future.succeededFuture(Start.with(input))
        : continued(client, thread, input, request.resume());
  }

  /** A stateful child under a time travel (see the class comment). */
  private static Future<Start> replayed(GraphClient client, String thread, Map<String, Object> input,
                                        NodeRequest request, String before, String since) {
    return latest(client, thread).compose(latest -> {
      if (latest != null && latest.checkpointId().compareTo(since) > 0) { // visited in this run: the usual way
        return !request.resuming() ? Future.succeededFuture(Start.with(input))
            : continued(client, thread, input, request.resume());
      }
      if (latest == null) {
        return Future.succeededFuture(Start.with(input));
      }
      return client.getStateHistory(thread, 1, before).map(older -> new Start(input, null,
          older.isEmpty() ? ThreadRuns.EMPTY_CHECKPOINT : older.get(0).checkpointId(), null));
    });
  }

  /** The child thread's latest state, {@code null} when it has no checkpoint. */
  private static Future<ThreadState> latest(GraphClient client, String thread) {
    return client.getState(thread).transform(loaded -> {
      if (loaded.succeeded()) {
        return Future.succeededFuture(loaded.result());
      }
      if (loaded.cause() instanceof GraphloopException
          && ((GraphloopException) loaded.cause()).code() == FailureCode.UNKNOWN_TARGET) {
        return Future.succeededFuture(null); // no checkpoint: the child had not started
      }
      return Future.failedFuture(loaded.cause());
    });
  }

  /**
   * Where a resumed parent's child starts (LangGraph's {@code CONFIG_KEY_RESUMING}): from its checkpoint in the
   * task's namespace when it has tasks due (answered with the resume value meant for it, if any), with its result
   * when it had reached END, or anew with {@code input} when it has no checkpoint yet.
   */
  private static Future<Start> continued(GraphClient client, String thread, Map<String, Object> input,
                                         List<Object> resume) {
    return latest(client, thread).map(state -> {
      if (state == null) {
        return Start.with(input);
      }
      if (state.next().isEmpty()) {
        return new Start(null, null, null, new RunResult(null, RunStatus.SUCCESS, state.values(), thread,
            state.checkpointId(), List.of()));
      }
      return new Start(null, resume.isEmpty() ? null : resume.get(resume.size() - 1), null, null);
    });
  }
}
