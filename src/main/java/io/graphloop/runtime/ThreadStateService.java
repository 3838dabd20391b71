package io.graphloop.runtime;

import io.graphloop.checkpoint.Checkpoint;
import io.graphloop.checkpoint.CheckpointNotFoundException;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.internal.engine.StateUpdate;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.protocol.FailureReply;
import io.graphloop.internal.bus.Owners;
import io.graphloop.protocol.RequestBodies;
import io.graphloop.protocol.ThreadRequest;
import io.graphloop.run.ThreadState;
import io.graphloop.run.ThreadUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers {@link ThreadRequest}s on {@code graphloop.<graph>.threads} (LangGraph's {@code get_state},
 * {@code get_state_history}, {@code update_state} and {@code bulk_update_state}): every coordinator instance listens, so any of them answers.
 * A request object is answered with a {@link ThreadState} object (a history with JSON), a JSON request with JSON;
 * failures with a {@link FailureReply}: 400 (bad request, unknown or ambiguous {@code asNode}, no checkpointer), 404
 * (unknown thread or checkpoint), 422 (values that break a channel's rule), 423 (an update while a run is in
 * flight on the thread).
 *
 * <p>An update takes the thread's lock (as a run does, without waiting: a busy thread rejects it), writes the
 * values as {@code asNode}'s through the pure {@link StateUpdate}, and saves a checkpoint (source {@code update}, as
 * LangGraph's) whose parent is the one updated; on an earlier checkpoint that starts a new branch, and the thread's
 * latest checkpoint is then the update's. {@code asNode} {@code "__copy__"} (with no values) saves a {@code fork}
 * copy of the checkpoint beside it instead (same parent), as LangGraph's. Without {@code asNode}, the node is inferred as LangGraph does:
 * START for a thread without checkpoints or at an input checkpoint, the node that ran in the step the checkpoint
 * was saved after when exactly one did (or the update's own node); otherwise the request fails, listing the
 * candidates.
 *
 * <p>This class answers the requests and takes the thread's lock; {@link UpdateSaves} makes and saves each
 * update's checkpoint; {@link NamespaceStates} answers the requests about a subgraph's checkpoint namespace.
 *
 * <p>Thread rules: {@link #handle} runs on its coordinator's event loop; store I/O is asynchronous.
 */
final class ThreadStateService {

  /** The {@code asNode} that copies a checkpoint unchanged (LangGraph's {@code "__copy__"}). */
  static final String COPY = "__copy__";
  /**
   * The {@code asNode} that saves the values as a run's input (LangGraph's {@code "__input__"}): an {@code input}
   * checkpoint (step -1 on a new thread, the base's step + 1 otherwise) with START's task due, whose writes they are.
   */
  static final String INPUT = "__input__";

  private final Vertx vertx;
  private final CompiledGraph graph;
  private final Checkpointer checkpointer;
  private final int maxRequestBytes;
  /** Turns each superstep of an update into its saved checkpoint. */
  private final UpdateSaves saves;
  /** Answers the requests about a subgraph's namespace. */
  private final NamespaceStates namespaces;

  ThreadStateService(Vertx vertx, CompiledGraph graph, Checkpointer checkpointer, int maxRequestBytes) {
    this.vertx = vertx;
    this.graph = graph;
    this.checkpointer = checkpointer;
    this.maxRequestBytes = maxRequestBytes;
    this.saves = new UpdateSaves(graph, checkpointer);
    this.namespaces = new NamespaceStates(vertx, graph, checkpointer, maxRequestBytes);
  }

  /** Answers one request. */
  void handle(Message<Object> message) {
    Object body = message.body();
    boolean json = !(body instanceof ThreadRequest);
    ThreadRequest request;
    try {
      request = json ? ThreadRequest.fromJson(RequestBodies.json(body, maxRequestBytes,
          "a ThreadRequest or a JSON object {\"op\": \"get\", \"threadId\": \"...\"}")) : (ThreadRequest) body;
    } catch (IllegalArgumentException | DecodeException | io.vertx.core.json.EncodeException | ClassCastException e) {
      // (a JSON object nested too deep is refused by RequestBodies' depth check, measured without recursion)
      message.reply(new FailureReply(failure(FailureCode.BAD_REQUEST, "Bad thread request for graph '" + graph.name()
          + "': " + e.getMessage())));
      return;
    }
    String owner;
    try {
      owner = Owners.of(message.headers());
    } catch (IllegalArgumentException e) {
      message.reply(new FailureReply(failure(FailureCode.BAD_REQUEST, "Bad thread request for graph '" + graph.name()
          + "': " + e.getMessage())));
      return;
    }
    if (checkpointer == null) {
      message.reply(new FailureReply(failure(FailureCode.BAD_REQUEST, "Graph '" + graph.name() + "' was deployed "
          + "without a checkpointer, so it keeps no threads (asked about thread '" + request.threadId() + "'); "
          + "deploy it with GraphRuntimeOptions.setCheckpointer(...) (e.g. {\"type\": \"sqlite\"}).")));
      return;
    }
    Future<Object> reply;
    try {
      reply = request.checkpointNs() != null ? namespaces.answer(request, owner, json) : switch (request.op()) {
        case GET -> get(request.threadId(), request.checkpointId(), owner)
            .compose(state -> request.subgraphs() ? SubgraphStates.with(checkpointer, graph, request.threadId(),
                request.threadId(), "", state) : Future.succeededFuture(state))
            .map(state -> json ? state.toJson() : state);
        case HISTORY -> history(request.threadId(), request.limit(), request.before(), owner).map(states -> {
          JsonArray list = new JsonArray();
          states.forEach(state -> list.add(state.toJson()));
          return new JsonObject().put("threadId", request.threadId()).put("states", list);
        });
        case UPDATE -> update(request.threadId(), request.checkpointId(), request.values(), request.asNode(), owner)
            .map(state -> json ? state.toJson() : state);
        case DELETE -> delete(request.threadId(), owner)
            .map(deleted -> new JsonObject().put("threadId", request.threadId()).put("deleted", true));
        case BULK_UPDATE -> bulkUpdate(request.threadId(), request.checkpointId(), request.supersteps(), owner)
            .map(state -> json ? state.toJson() : state);
        case COPY -> copy(request.threadId(), request.toThreadId(), owner)
            .map(state -> json ? state.toJson() : state);
        case ROLLBACK -> rollback(request.threadId(), request.runId(), owner)
            .map(deleted -> new JsonObject().put("threadId", request.threadId()).put("runId", request.runId())
                .put("deleted", deleted));
        case SET_TTL -> setTtl(request.threadId(), request.ttl(), owner)
            .map(set -> new JsonObject().put("threadId", request.threadId())
                .put("ttl", request.ttl() == null ? null : request.ttl().toJson()));
        case TTL -> ttl(request.threadId(), owner).map(ttl -> new JsonObject().put("threadId", request.threadId())
            .put("ttl", ttl == null ? null : ttl.toJson()));
      };
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(done -> message.reply(done.succeeded() ? done.result()
        : new FailureReply(asFailure(done.cause(), request))));
  }

  /** The thread's latest state, or its state at {@code checkpointId}, for a caller acting for {@code owner}. */
  Future<ThreadState> get(String threadId, String checkpointId, String owner) {
    return load(threadId, checkpointId, owner).compose(checkpoint -> checkpointId == null
        ? Future.succeededFuture(ThreadStates.of(graph, checkpoint, true)) // the head: no child keeps a result
        : StepResults.of(checkpointer.store(), checkpoint)
            .map(results -> ThreadStates.of(graph, checkpoint, false, results)));
  }

  /** The thread's states, newest first: at most {@code limit} (0: all), older than {@code before}. */
  Future<List<ThreadState>> history(String threadId, int limit, String before, String owner) {
    return checkpointer.history(threadId, limit == 0 ? Integer.MAX_VALUE : limit, before).compose(records -> {
      if (records.isEmpty() && before == null
          || records.stream().anyMatch(record -> !ThreadOwners.owns(record, owner))) {
        return Future.failedFuture(unknownThread(threadId));
      }
      List<Future<Checkpoint>> loaded = new ArrayList<>(records.size());
      records.forEach(record -> loaded.add(checkpointer.load(record)));
      return Future.all(loaded).compose(all -> {
        List<Checkpoint> page = new ArrayList<>(loaded.size());
        loaded.forEach(checkpoint -> page.add(checkpoint.result()));
        return StepResults.ofPage(checkpointer.store(), page, before == null).map(results -> {
          List<ThreadState> states = new ArrayList<>(page.size());
          page.forEach(checkpoint -> states.add(ThreadStates.of(graph, checkpoint, false,
              results.get(checkpoint.checkpointId()))));
          return states;
        });
      });
    });
  }

  /**
   * Deletes the thread's checkpoints and writes, under its lock (refused with 423 while a run holds it); another
   * owner's thread, or one with no checkpoint, is "not found".
   */
  Future<Void> delete(String threadId, String owner) {
    return checkpointer.store().latest(threadId).compose(latest -> latest == null || !ThreadOwners.owns(latest, owner)
        ? Future.<Void>failedFuture(unknownThread(threadId))
        : ThreadRuns.lock(vertx, graph.name(), threadId, 1)
        .recover(busy -> Future.failedFuture(new GraphloopException(FailureCode.THREAD_BUSY, "Thread '" + threadId
            + "' of graph '" + graph.name() + "' has a run in flight, so it cannot be deleted now; cancel the run "
            + "first.", graph.name(), null, null, null, null)))
        .compose(lock -> checkpointer.deleteThread(threadId).eventually(() -> ThreadLock.release(lock)))
        .onSuccess(deleted -> ThreadRetention.announce(vertx, threadId, "delete")));
  }

  /**
   * Gives the thread a TTL of its own ({@link io.graphloop.checkpoint.CheckpointStore#setThreadTtl}; {@code null}
   * removes it), swept by {@link ThreadRetention#startPerThread}. The thread need not have checkpoints yet (LangGraph
   * Server sets a TTL when it creates a thread); another owner's thread is "not found".
   */
  Future<Void> setTtl(String threadId, io.graphloop.checkpoint.ThreadTtl ttl, String owner) {
    return checkpointer.store().latest(threadId).compose(latest -> latest != null && !ThreadOwners.owns(latest, owner)
        ? Future.<Void>failedFuture(unknownThread(threadId))
        : checkpointer.store().setThreadTtl(threadId, ttl));
  }

  /** The thread's own TTL, or {@code null} when it has none; another owner's thread is "not found". */
  Future<io.graphloop.checkpoint.ThreadTtl> ttl(String threadId, String owner) {
    return checkpointer.store().latest(threadId).compose(latest -> latest != null && !ThreadOwners.owns(latest, owner)
        ? Future.failedFuture(unknownThread(threadId))
        : checkpointer.store().threadTtl(threadId));
  }

  /**
   * Copies thread {@code from} into the new thread {@code to} ({@link ThreadCopy}) under the new thread's lock; the
   * copy's latest state. Another owner's thread, or one with no checkpoint, is "not found"; a {@code to} that already
   * has checkpoints is refused (400), as is one a run holds (423).
   */
  Future<ThreadState> copy(String from, String to, String owner) {
    return checkpointer.store().latest(from).compose(latest -> latest == null || !ThreadOwners.owns(latest, owner)
        ? Future.<ThreadState>failedFuture(unknownThread(from))
        : ThreadRuns.lock(vertx, graph.name(), to, 1)
        .recover(busy -> Future.failedFuture(new GraphloopException(FailureCode.THREAD_BUSY, "Thread '" + to
            + "' of graph '" + graph.name() + "' has a run in flight, so thread '" + from + "' cannot be copied into "
            + "it; copy it into a new thread id.", graph.name(), null, null, null, null)))
        .compose(lock -> checkpointer.store().latest(to)
            .compose(existing -> existing != null
                ? Future.<Integer>failedFuture(failure(FailureCode.BAD_REQUEST, "Thread '" + to + "' of graph '"
                    + graph.name() + "' already has checkpoints; copy thread '" + from + "' into a new thread id."))
                : new ThreadCopy(checkpointer.store(), from, to).copy())
            .eventually(() -> ThreadLock.release(lock)))
        .compose(copied -> get(to, null, owner)));
  }

  /** How long a rollback waits for the thread's lock (the rolled-back run may be releasing it). */
  static final long ROLLBACK_LOCK_WAIT_MS = 5_000;

  /**
   * Deletes the checkpoints run {@code runId} wrote on the thread (their {@code runId} metadata), under the thread's
   * lock; the number deleted. They must be the thread's newest (nothing another run or an update saved after them),
   * else the request is refused (400) and nothing is deleted. Another owner's thread, or one with no checkpoint, is
   * "not found". Pending writes the run stored under the checkpoint it started from stay (as in LangGraph, whose
   * rollback deletes the run's checkpoints).
   */
  Future<Integer> rollback(String threadId, String runId, String owner) {
    return checkpointer.store().latest(threadId).compose(latest -> latest == null || !ThreadOwners.owns(latest, owner)
        ? Future.<Integer>failedFuture(unknownThread(threadId))
        : ThreadRuns.lock(vertx, graph.name(), threadId, ROLLBACK_LOCK_WAIT_MS)
        .recover(busy -> Future.failedFuture(new GraphloopException(FailureCode.THREAD_BUSY, "Thread '" + threadId
            + "' of graph '" + graph.name() + "' has a run in flight, so run '" + runId + "' cannot be rolled back "
            + "now; cancel the running run first.", graph.name(), null, null, null, null)))
        .compose(lock -> checkpointer.history(threadId, Integer.MAX_VALUE, null).compose(records -> {
          List<String> ids = new ArrayList<>();
          String oldest = null;
          for (CheckpointRecord record : records) { // newest first
            if (runId.equals(record.metadata().get("runId"))) {
              ids.add(record.checkpointId());
              oldest = record.checkpointId();
            }
          }
          for (CheckpointRecord record : records) {
            if (oldest != null && record.checkpointId().compareTo(oldest) > 0 && !ids.contains(record.checkpointId())) {
              return Future.<Integer>failedFuture(failure(FailureCode.BAD_REQUEST, "Run '" + runId + "' cannot be "
                  + "rolled back on thread '" + threadId + "' of graph '" + graph.name() + "': checkpoint "
                  + record.checkpointId() + " (source " + record.source().json() + ") was saved after its own; only "
                  + "the thread's newest run can be rolled back."));
            }
          }
          return checkpointer.store().deleteCheckpoints(threadId, ids).map(ids.size());
        }).eventually(() -> ThreadLock.release(lock))));
  }

  /** Writes {@code values} as {@code asNode}'s onto the latest checkpoint (or {@code checkpointId}) and saves it. */
  Future<ThreadState> update(String threadId, String checkpointId, Map<String, Object> values, String asNode,
                             String owner) {
    return bulkUpdate(threadId, checkpointId, List.of(List.of(new ThreadUpdate(values, asNode))), owner);
  }

  /**
   * Applies {@code supersteps} in order onto the latest checkpoint (or {@code checkpointId}), one saved checkpoint
   * per superstep, under the thread's lock; the state of the last one.
   */
  Future<ThreadState> bulkUpdate(String threadId, String checkpointId, List<List<ThreadUpdate>> supersteps,
                                 String owner) {
    // another owner's thread is "not found" before its lock is touched: a foreign caller never holds it
    // and so is a checkpoint id the thread does not have, whether or not a run holds the thread (404, never 423)
    return checkpointer.store().latest(threadId).compose(seen -> seen != null && !ThreadOwners.owns(seen, owner)
        ? Future.failedFuture(unknownThread(threadId))
        : ThreadRuns.checkpointKnown(checkpointer.store(), threadId, seen, checkpointId))
        .compose(known -> ThreadRuns.lock(vertx, graph.name(), threadId, 1)
        .recover(busy -> Future.failedFuture(new GraphloopException(FailureCode.THREAD_BUSY, "Thread '" + threadId
            + "' of graph '" + graph.name() + "' has a run in flight, so its state cannot be updated now; update it "
            + "when the run has ended (or cancel the run).", graph.name(), null, null, null, null))))
        .compose(lock -> checkpointer.store().latest(threadId)
            .compose(latest -> (latest != null && !ThreadOwners.owns(latest, owner)
                ? Future.<Checkpoint>failedFuture(unknownThread(threadId))
                : checkpointId == null || latest != null && latest.checkpointId().equals(checkpointId)
                ? (latest == null ? Future.<Checkpoint>succeededFuture() : checkpointer.load(latest))
                : checkpointer.load(threadId, checkpointId))
                // the first save is fenced on the head seen under the lock (not on an earlier base)
                .compose(base -> apply(threadId, base, supersteps, 0, owner,
                    latest == null ? null : latest.checkpointId())))
            .map(saved -> ThreadStates.of(graph, saved, true))
            .eventually(() -> ThreadLock.release(lock)));
  }

  /**
   * Saves superstep {@code index} onto {@code base}, then the following ones onto it.
   *
   * @param head the thread's head the save expects (fencing): the head seen under the lock, then each save's own id
   */
  private Future<Checkpoint> apply(String threadId, Checkpoint base, List<List<ThreadUpdate>> supersteps, int index,
                                   String owner, String head) {
    Future<Checkpoint> saved = saves.save(threadId, base, supersteps.get(index), owner, head);
    return index == supersteps.size() - 1 ? saved
        : saved.compose(next -> apply(threadId, next, supersteps, index + 1, owner, next.checkpointId()));
  }

  private Future<Checkpoint> load(String threadId, String checkpointId, String owner) {
    Future<Checkpoint> loaded = checkpointId != null ? checkpointer.load(threadId, checkpointId)
        : checkpointer.load(threadId);
    return loaded.compose(checkpoint -> checkpoint == null || !ThreadOwners.owns(checkpoint.record(), owner)
        ? Future.failedFuture(unknownThread(threadId)) : Future.succeededFuture(checkpoint));
  }

  private GraphloopException unknownThread(String threadId) {
    return failure(FailureCode.UNKNOWN_TARGET, "Thread '" + threadId + "' of graph '" + graph.name() + "' has no "
        + "checkpoints: no run or update has used it yet (thread ids are case-sensitive).");
  }

  private GraphloopException asFailure(Throwable cause, ThreadRequest request) {
    String what = "The " + request.op().wireName() + " request for thread '" + request.threadId() + "' of graph '"
        + graph.name() + "'";
    if (cause instanceof CheckpointNotFoundException) {
      return failure(FailureCode.UNKNOWN_TARGET, what + " failed: " + cause.getMessage() + "; list the thread's "
          + "checkpoints with op \"history\".");
    }
    if (cause instanceof GraphloopException) {
      GraphloopException e = (GraphloopException) cause;
      return e.graph() != null ? e : new GraphloopException(e.code(), e.getMessage(), graph.name(), e.runId(),
          e.step(), e.node(), e.getCause());
    }
    if (cause instanceof IllegalArgumentException) {
      return failure(FailureCode.BAD_REQUEST, cause.getMessage());
    }
    return new GraphloopException(FailureCode.INTERNAL, what + " failed: " + cause, graph.name(), null, null, null,
        cause);
  }

  private GraphloopException failure(FailureCode code, String message) {
    return new GraphloopException(code, message, graph.name(), null, null, null, null);
  }
}
