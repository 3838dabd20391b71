package io.graphloop.server;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.Command;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts LangGraph Server runs as event-bus runs and follows them: every run is a streamed run of its graph
 * ({@link GraphClient#stream}) whose events become the run's SSE events ({@link RunRecord}), whose end sets the run's
 * status and outcome and its thread's status and values. Multitask strategies on a thread: {@code reject} refuses a
 * run while another is active (409; the bus refuses it too if a run from elsewhere holds the thread),
 * {@code enqueue} starts it when the runs before it have ended, {@code interrupt} and {@code rollback} cancel the
 * active runs first ({@code rollback} also deletes them and the checkpoints they wrote, see {@link #rollback}).
 *
 * <p>Thread rules: a run on a thread is created and followed on the server verticle's context (its home: the thread
 * records and multitask strategies live there); a stateless run on the HTTP loop whose connection asked for it
 * (nothing of a thread is touched, and its event stream, made there, delivers there). Each run is confined to that
 * context ({@link RunRecord#context()}); {@link #cancel(RunRecord)} and {@link #cancelRun} may be called from any
 * context and hand the work to the run's (their futures complete on the caller's).
 */
final class RunService {

  private final Map<String, GraphClient> clients;
  private final Registry registry;
  private final Assistants assistants;
  private final EntrypointValues entrypoints;
  private final ServerOptions options;
  /** Runs other servers follow (servers sharing their records), or {@code null}. */
  private PeerRuns peers;
  /** The open {@code GET /threads/{id}/stream} streams, told of each new run on a thread, or {@code null}. */
  private ThreadStreams threadStreams;

  RunService(Map<String, GraphClient> clients, Registry registry, Assistants assistants, ServerOptions options) {
    this.clients = clients;
    this.registry = registry;
    this.assistants = assistants;
    this.entrypoints = new EntrypointValues(assistants.graphs(), options);
    this.options = options;
  }

  /** Serves the runs other servers follow through {@code peers} (servers sharing their records). */
  void peers(PeerRuns peers) {
    this.peers = peers;
  }

  /** Tells {@code streams} of each new run on a thread ({@code GET /threads/{id}/stream}). */
  void threadStreams(ThreadStreams streams) {
    this.threadStreams = streams;
  }

  /** The thread streams this service tells of new runs, or {@code null}. */
  ThreadStreams threadStreams() {
    return threadStreams;
  }

  /**
   * Creates run {@code body} on thread {@code threadId} ({@code null}: a stateless run) for {@code user}. The future
   * holds the run once the graph's coordinator accepted it, or at once when it waits behind other runs of its
   * thread; it fails with the {@link ApiException} of a refusal (unknown assistant or thread, busy thread, a request
   * the bus refuses).
   */
  Future<RunRecord> create(RunBody body, String threadId, String user) {
    ThreadStore shared = registry.shared();
    if (threadId == null || shared == null || peers == null) {
      return start(body, threadId, user, List.of());
    }
    // runs other servers follow on this thread count for the multitask strategy as this server's own do
    return shared.activeRunsOf(threadId).recover(failure -> Future.failedFuture(new ApiException(503,
            "The shared run records could not be read: " + failure.getMessage())))
        .compose(this::stillActiveElsewhere)
        .compose(elsewhere -> start(body, threadId, user, elsewhere))
        // the run and its thread's new status are stored before the answer: any server then serves them
        .compose(run -> run.saving.transform(saved -> registry.saved(threadId)).map(saved -> run));
  }

  /** Of {@code stored} (active runs as stored), those other servers follow and still run. */
  private Future<List<StoredRun>> stillActiveElsewhere(List<StoredRun> stored) {
    List<StoredRun> elsewhere = new ArrayList<>();
    for (StoredRun run : stored) {
      if (registry.localRun(run.runId()) == null && !run.origin().equals(registry.origin())) {
        elsewhere.add(run);
      }
    }
    List<Future<Boolean>> probes = new ArrayList<>();
    elsewhere.forEach(run -> probes.add(peers.isActive(run)));
    return Future.all(probes).map(all -> {
      List<StoredRun> active = new ArrayList<>();
      for (int i = 0; i < elsewhere.size(); i++) {
        if (probes.get(i).result()) {
          active.add(elsewhere.get(i));
        }
      }
      return active;
    });
  }

  private Future<RunRecord> start(RunBody body, String threadId, String user, List<StoredRun> elsewhere) {
    Assistants.Assistant assistant = assistants.require(body.assistantId, user);
    String graph = assistant.graphId();
    body.resolveInput(entrypoints.shows(graph));
    ThreadRecord thread = null;
    if (threadId != null) {
      thread = registry.thread(threadId, user);
      if (thread == null) {
        if (!"create".equals(body.ifNotExists) || registry.threadExists(threadId)) {
          throw ApiException.notFound("Thread '" + threadId + "'");
        }
        thread = registry.addThread(threadId, user, new JsonObject().put("graph_id", graph));
      }
      if (thread.graphId != null && !thread.graphId.equals(graph)) {
        throw new ApiException(409, "Thread '" + threadId + "' holds the state of graph '" + thread.graphId
            + "'; it cannot run assistant '" + body.assistantId + "' of graph '" + graph + "'. Use a new thread.");
      }
    }
    String runId = Ids.uuid7();
    RunOptions runOptions = body.options(runId, threadId, assistant.graph(), assistant.config(),
        assistant.context());
    List<RunRecord> before = threadId == null ? List.of() : registry.activeRunsOf(threadId);
    if ("reject".equals(body.multitaskStrategy) && (!before.isEmpty() || !elsewhere.isEmpty())) {
      String busy = before.isEmpty() ? elsewhere.get(0).runId() : before.get(0).runId;
      throw new ApiException(409, "Thread '" + threadId + "' is busy with run '" + busy + "'; "
          + "wait for it, cancel it, or send the run with multitask_strategy \"enqueue\".");
    }
    if (thread != null && thread.activeRuns == 0 && elsewhere.isEmpty()) {
      // as LangGraph Server marks a thread that is not busy with the graph and assistant of its new run
      thread.metadata.put("graph_id", graph).put("assistant_id", assistant.assistantId());
    }
    JsonObject metadata = RunFields.metadata(assistant.current().metadata(), thread == null ? null : thread.metadata,
        body.metadata);
    // a stateless run's kwargs are made if read (its record is rarely read: no one can GET a stateless stream's or
    // wait's run); a thread's run's now (stored, listed). The body, the assistant's version and the metadata they are
    // made from never change.
    java.util.function.Supplier<JsonObject> kwargs = () -> RunFields.kwargs(body, assistant, metadata, runId, threadId,
        user);
    RunRecord run = threadId == null
        ? new RunRecord(runId, null, assistant.assistantId(), graph, user, metadata, kwargs, body.multitaskStrategy,
            options.getMaxRunEvents(), options.getMaxRunEventBytes())
        : new RunRecord(runId, threadId, assistant.assistantId(), graph, user, metadata, kwargs.get(),
            body.multitaskStrategy, options.getMaxRunEvents(), options.getMaxRunEventBytes());
    registry.addRun(run);
    registry.saveRun(run);
    if (thread != null) {
      boolean named = thread.graphId == null;
      thread.graphId = graph;
      if (named) {
        new ThreadTtls(clients).graphNamed(thread);
      }
      thread.activeRuns++;
      thread.status = ThreadRecord.BUSY;
      registry.changed(thread);
      ThreadRecord owned = thread;
      run.done().onComplete(ended -> {
        registry.saveRun(run);
        threadEnded(owned, run);
      });
    }
    // {"run_id": ..., "attempt": 1} as JsonObject.encode writes it, without a JsonObject and Jackson per run (the
    // run id is a UUID: nothing to escape)
    run.emit("metadata", "{\"run_id\":\"" + runId + "\",\"attempt\":1}");
    if (threadId != null && threadStreams != null) {
      threadStreams.started(run);
    }
    if (before.isEmpty() && elsewhere.isEmpty()) {
      return launch(run, body, runOptions);
    }
    boolean cancelFirst = "interrupt".equals(body.multitaskStrategy) || "rollback".equals(body.multitaskStrategy);
    List<Future<Void>> ended = new ArrayList<>();
    for (StoredRun earlier : elsewhere) { // followed by another server: cancelled (and rolled back) there
      Future<Void> cancelled = cancelFirst ? peers.cancel(earlier, body.multitaskStrategy, true)
          .recover(failure -> Future.succeededFuture()) : Future.succeededFuture();
      ended.add(cancelled.compose(sent -> peers.ended(earlier)));
    }
    for (RunRecord earlier : before) {
      if (cancelFirst) {
        cancel(earlier);
      }
      ended.add(earlier.done());
    }
    Future.join(ended).compose(all -> {
      if (!cancelFirst || !"rollback".equals(body.multitaskStrategy)) {
        return Future.<Void>succeededFuture();
      }
      Future<Void> rolledBack = Future.succeededFuture();
      for (RunRecord earlier : before) { // newest last: each rollback removes the thread's newest checkpoints
        rolledBack = rolledBack.compose(v -> rollback(earlier));
      }
      return rolledBack;
    }).onComplete(all -> {
      if (all.failed()) {
        run.emit("error", errorOf(all.cause()).encode());
        run.finish(RunRecord.ERROR, null, errorOf(all.cause()), null);
        return;
      }
      if (run.isActive()) { // not cancelled while it waited
        launch(run, body, runOptions);
      }
    });
    return Future.succeededFuture(run);
  }

  /** How the API shows the state of the server's entrypoint graphs. */
  EntrypointValues entrypoints() {
    return entrypoints;
  }

  /** Sends the run to its graph's coordinators and follows its events. */
  private Future<RunRecord> launch(RunRecord run, RunBody body, RunOptions runOptions) {
    GraphClient client = run.threadId == null ? clients.get(run.graphId)
        : Owned.client(clients.get(run.graphId), run.owner); // the thread's checkpoints record its owner
    StreamMode[] modes = body.busModes().toArray(new StreamMode[0]);
    RunEventStream stream;
    try {
      stream = body.hasCommand ? client.stream(command(body), runOptions, modes)
          : client.stream(body.input == null ? null : body.input.getMap(), runOptions, modes);
    } catch (IllegalArgumentException e) {
      run.finish(RunRecord.ERROR, null, errorBody("BadRequest", e.getMessage()), null);
      return Future.failedFuture(ApiException.invalid(e.getMessage()));
    }
    run.source(stream);
    ApiStream api = new ApiStream(body.streamModes, body.streamSubgraphs, run.graphId, run.runId, run.threadId)
        .showingEntrypoint(entrypoints.shows(run.graphId));
    api.start(body.hasCommand ? body.raw.getValue("command") : body.inputValue, run::emit);
    stream.handler(event -> onEvent(run, api, event));
    stream.exceptionHandler(failure -> onFailure(run, failure));
    Promise<RunRecord> accepted = Promise.promise();
    stream.runId().onComplete(ack -> {
      if (ack.succeeded()) {
        run.running();
        registry.saveRun(run);
        accepted.tryComplete(run);
      } else if (isCancelled(ack.cause())) {
        // cancelled before its coordinator had it (the cancel overtook the run): the run exists and ended with
        // LangGraph's cancelled outcome, which its stream shows (metadata, then the error) as for a later cancel
        onFailure(run, ack.cause());
        accepted.tryComplete(run);
      } else {
        accepted.tryFail(ApiException.of(ack.cause()));
      }
    });
    return accepted.future();
  }

  /** The run's {@code command} (resume, update, goto) as a Command given as input. */
  private static Command command(RunBody body) {
    Command command = Command.of(body.commandUpdate, body.commandGoto.isEmpty() ? null : body.commandGoto);
    return body.hasResume ? command.andResume(body.resume) : command;
  }

  private void onEvent(RunRecord run, ApiStream api, StreamEvent event) {
    if (StreamEvent.END.equals(event.event())) {
      ended(run, api, new JsonObject(event.data()));
      return;
    }
    if (event.event() == io.graphloop.run.StreamEventType.MESSAGES) { // a token: written at once, not in a queued task
      run.writingAtOnce(() -> api.onEvent(event, run));
    } else {
      api.onEvent(event, run); // the record is the sink: a token's JSON goes straight into its SSE frame
    }
  }

  private void ended(RunRecord run, ApiStream api, JsonObject end) {
    JsonObject values = end.getJsonObject("values", new JsonObject()).copy();
    api.end(values, run::emit);
    List<JsonObject> interrupts = Interrupts.of(end.getJsonArray("interrupts"));
    boolean interrupted = "interrupted".equals(end.getString("status")) || !interrupts.isEmpty();
    if (interrupted) {
      JsonArray langGraph = Interrupts.langGraph(interrupts);
      if (!langGraph.isEmpty()) {
        values.put("__interrupt__", langGraph);
      }
    }
    run.finish(interrupted ? RunRecord.INTERRUPTED : RunRecord.SUCCESS, values, null, interrupts);
  }

  private void onFailure(RunRecord run, Throwable failure) {
    if (!run.isActive()) {
      return;
    }
    GraphloopException g = failure instanceof GraphloopException ? (GraphloopException) failure : null;
    JsonObject error = errorOf(failure);
    run.emit("error", error.encode());
    String status = g != null && g.code() == FailureCode.CANCELLED ? RunRecord.INTERRUPTED
        : g != null && g.code() == FailureCode.TIMEOUT ? RunRecord.TIMEOUT : RunRecord.ERROR;
    run.finish(status, null, error, null);
  }

  /**
   * A failed run's {@code {"error", "message"}}: for a node that threw, LangGraph's shape, the node's exception (its
   * simple class name and its message, as LangGraph's {@code type(exc).__name__} and {@code str(exc)}); otherwise the
   * failure's own.
   */
  static JsonObject errorOf(Throwable failure) {
    return io.graphloop.protocol.Failures.asLangGraphError(failure);
  }

  static JsonObject errorBody(String type, String message) {
    return new JsonObject().put("error", type).put("message", message);
  }

  /**
   * Cancels {@code run}: one waiting for its thread ends at once (interrupted) and never starts; one in flight is
   * cancelled on the bus and ends when its coordinator says so, also one sent whose coordinator has not acknowledged
   * it yet (the cancel, with the run's token known from the submission on, is kept by the coordinators until the run
   * comes, and the run is then refused as cancelled: {@code GraphRuntimeOptions.maxEarlyCancels}).
   */
  Future<Void> cancel(RunRecord run) {
    if (!run.isActive()) {
      return Future.succeededFuture();
    }
    if (!Confined.on(run.context())) {
      return Confined.call(run.context(), () -> cancel(run));
    }
    if (RunRecord.PENDING.equals(run.status()) && !run.hasSource()) {
      run.emit("error", errorBody("RunCancelledException", "Run " + run.runId + " was cancelled before it "
          + "started.").encode());
      run.finish(RunRecord.INTERRUPTED, null, errorBody("RunCancelledException", "cancelled before it started"),
          null);
      return Future.succeededFuture();
    }
    return clients.get(run.graphId).cancel(run.runId).mapEmpty();
  }

  /**
   * The cancel endpoint on a run this server follows: cancels it, then with {@code action} {@code rollback} rolls it
   * back; the future completes when the cancel is sent, or with {@code wait} when the run has ended (and is rolled
   * back). Fails with 409 when the run has already ended.
   */
  Future<Void> cancelRun(RunRecord run, String action, boolean wait) {
    if (!Confined.on(run.context())) {
      return Confined.call(run.context(), () -> cancelRun(run, action, wait));
    }
    if (!run.isActive()) {
      return Future.failedFuture(new ApiException(409, "Run '" + run.runId + "' has already ended ("
          + run.status() + "); there is nothing to cancel."));
    }
    Future<Void> cancelled = cancel(run);
    boolean rollback = "rollback".equals(action);
    Future<Void> rolledBack = rollback ? cancelled.compose(sent -> rollback(run)) : null;
    return wait ? (rollback ? rolledBack : cancelled.compose(sent -> run.done())) : cancelled;
  }

  /**
   * The cancel endpoints' cancel of one run, wherever it runs: {@code local} when this server follows it, else
   * {@code stored} (its shared record), sent to the server that follows it ({@link PeerRuns#cancel}). As
   * {@link #cancelRun}: fails with 409 when the run has already ended (also when its server has stopped), with 503 when
   * its server does not answer in time ({@link ServerOptions#getPeerGraceMs}), with that server's refusal otherwise.
   */
  Future<Void> cancel(RunRecord local, StoredRun stored, String action, boolean wait) {
    if (local != null) {
      return cancelRun(local, action, wait);
    }
    if (!stored.isActive() || peers == null) {
      return Future.failedFuture(new ApiException(409, "Run '" + stored.runId() + "' has already ended ("
          + stored.status() + "); there is nothing to cancel."));
    }
    return peers.cancel(stored, action, wait);
  }

  /**
   * Whether a failed {@link #cancel} failed only because the run ended (409) or was deleted (404) before the cancel
   * reached it: nothing was left to cancel. Any other failure (a server that does not answer, an internal error) means
   * the run may still be running.
   */
  static boolean endedMeanwhile(Throwable failure) {
    int status = ApiException.of(failure).status();
    return status == 409 || status == 404;
  }

  /**
   * Rolls back {@code run} once it has ended (LangGraph Server's rollback): its checkpoints are deleted on the bus
   * ({@link GraphClient#rollbackRun}), so its thread stands where it stood before the run, and the run's record is
   * forgotten (404 afterwards); the thread's values are read again.
   */
  Future<Void> rollback(RunRecord run) {
    return run.done().compose(ended -> registry.removeRun(run)).compose(removed -> {
      if (run.threadId == null) {
        return Future.<Void>succeededFuture();
      }
      GraphClient client = Owned.client(clients.get(run.graphId), run.owner);
      return client.rollbackRun(run.threadId, run.runId)
          .recover(failure -> isNotFound(failure) ? Future.succeededFuture(0) : Future.failedFuture(failure))
          .compose(deleted -> client.getState(run.threadId).transform(state -> {
            ThreadRecord thread = registry.thread(run.threadId, run.owner);
            if (thread != null) {
              thread.values = state.succeeded() ? state.result().values().toJson() : new JsonObject();
              thread.interrupts = state.succeeded() ? Interrupts.of(state.result().interrupts()) : List.of();
              if (thread.activeRuns == 0) {
                thread.status = state.succeeded() ? ThreadRecord.statusOf(state.result()) : ThreadRecord.IDLE;
              }
              return registry.changed(thread);
            }
            return Future.<Void>succeededFuture();
          }));
    });
  }

  private static boolean isCancelled(Throwable failure) {
    return failure instanceof GraphloopException && ((GraphloopException) failure).code() == FailureCode.CANCELLED;
  }

  private static boolean isNotFound(Throwable failure) {
    return failure instanceof GraphloopException && ((GraphloopException) failure).code() == FailureCode.UNKNOWN_TARGET;
  }

  /** The thread's status and values after {@code run} ended. */
  private void threadEnded(ThreadRecord thread, RunRecord run) {
    thread.activeRuns = Math.max(0, thread.activeRuns - 1);
    if (RunRecord.SUCCESS.equals(run.status()) || RunRecord.INTERRUPTED.equals(run.status()) && run.values() != null) {
      JsonObject values = run.values().copy();
      values.remove("__interrupt__");
      thread.values = values;
      thread.interrupts = run.interrupts();
    }
    if (thread.activeRuns > 0) {
      thread.status = ThreadRecord.BUSY;
    } else if (!thread.interrupts.isEmpty() || RunRecord.INTERRUPTED.equals(run.status()) && run.values() != null) {
      // a run that ended interrupted (not cancelled) left tasks due: a breakpoint's, a subgraph breakpoint's too
      thread.status = ThreadRecord.INTERRUPTED;
    } else {
      thread.status = RunRecord.ERROR.equals(run.status()) || RunRecord.TIMEOUT.equals(run.status())
          ? ThreadRecord.ERROR : ThreadRecord.IDLE;
    }
    registry.changed(thread);
  }
}
