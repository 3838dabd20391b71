package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.internal.bus.LoopAffinity;
import io.graphloop.internal.bus.ReplyFailures;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.FailureReply;
import io.graphloop.protocol.RunRequest;
import io.graphloop.protocol.StreamSpec;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Receives runs on {@code graphloop.<graph>.run} and drives each with a {@link RunDriver}: it owns a
 * run for its whole life. It is a thin shell around the pure engine; each of its jobs is a class of its own:
 * <ul>
 *   <li>{@link RunAdmission}: reading a request and deciding whether to take it (limits, bad requests);</li>
 *   <li>{@link RunReplies}: answering it, to its {@code replyTo}, as the message's reply, or as a failure;</li>
 *   <li>{@link StreamControl}: a streamed run's credits, custom events and forwarded events;</li>
 *   <li>{@link RunCancellation}: capability tokens, runs waiting for their thread, cancel requests;</li>
 *   <li>{@link NodeTransport}: sending tasks to nodes (loop affinity) and taking their results;</li>
 *   <li>{@link ReplyFailures}: what a failure means, as a {@link GraphloopException}.</li>
 * </ul>
 * This class starts and stops them, prepares a run's thread ({@link ThreadRuns}) and launches admitted runs, with
 * their deadline, metrics and trace.
 *
 * <p>Requests are a {@link RunRequest} (Java callers; the reply is a {@link RunResult}) or its JSON form
 * (any event-bus client; the reply is the result's JSON). Failures are replied as a {@link FailureReply}
 * with a stable code. Requests about threads ({@code graphloop.<graph>.threads}) are answered by its
 * {@link ThreadStateService}.
 *
 * <p>Thread rules: every handler runs on this verticle's event loop; runs are confined to it (no locks).
 */
final class CoordinatorVerticle extends VerticleBase {

  private final CompiledGraph graph;
  /** Where this graph's addresses are: see the constructor. */
  private final String busName;
  private final GraphRuntimeOptions options;
  private final RuntimeMetrics metrics;
  private final Map<String, RunDriver> runs = new HashMap<>();
  private final String controlAddress;
  private final String resultsAddress;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private final ThreadRuns threads;
  private final ThreadStateService threadStates;
  private final Drain drain;
  /** This loop's run address of each name the coordinator answers to (see {@link #names()}). */
  private final List<String> runLoopAddresses = new ArrayList<>();
  private LoopAffinity affinity;
  private EventBus bus;
  private NodeTransport nodes;
  /** The names of the nodes that are entrypoints of the functional API (their updates show their output). */
  private java.util.Set<String> entrypoints = java.util.Set.of();
  /** The subgraph nodes whose children keep checkpoints on the parent's thread ({@code debug} tasks' state). */
  private java.util.Set<String> checkpointedSubgraphs = java.util.Set.of();
  private RunReplies replies;
  private RunAdmission admission;
  private StreamControl streams;
  /** {@link #streams} for the message chunks of nodes on this loop ({@link ControlInbox}). */
  private ControlInbox controlInbox;
  private RunCancellation cancellation;
  /** The limits of the last run launched, shared with the next runs that have equal ones ({@link #limits}). */
  private RunDriver.Limits sharedLimits;
  private io.graphloop.internal.bus.PendingReplies<Void> runDeadlines;
  /** Opens the runs' trace spans ({@code RunTracer.NONE} unless tracing is installed on this Vert.x). */
  private io.graphloop.internal.tracing.RunTracer tracer;

  /**
   * @param busName the graph's name on the event bus ({@code GraphRuntime.busName()}): its own name, or for a
   *                subgraph its parent's bus name and its own ({@link Addresses#subgraph})
   */
  CoordinatorVerticle(CompiledGraph graph, String busName, GraphRuntimeOptions options, RuntimeMetrics metrics,
                      io.graphloop.checkpoint.Checkpointer checkpointer, io.vertx.core.Vertx owner, Drain drain) {
    this.busName = busName;
    this.drain = drain;
    this.graph = graph;
    this.options = options;
    this.metrics = metrics;
    this.threads = checkpointer == null ? null
        : new ThreadRuns(owner, graph, checkpointer).countQueuedIn(metrics.threadRunsQueued);
    this.threadStates = new ThreadStateService(owner, graph, checkpointer, options.getMaxRequestBytes());
    // two unrelated random ids: the control address is handed to every streaming caller, the results address to nodes
    this.controlAddress = Addresses.control(busName, RunIds.next());
    this.resultsAddress = Addresses.results(busName, RunIds.next());
  }

  /**
   * The names whose run, threads and cancel addresses this coordinator answers: its bus name, and for a subgraph its
   * graph's own name too, so a client of the child graph by name ({@code GraphClient.create(vertx, "child")}: a child
   * checkpoint's state, update or history) reaches it as before. The parent's own child runs go to the bus name only,
   * which names the parent: two parents sharing a subgraph each reach their own deployment; a client by the child's
   * name reaches either of them when two parents deploy it.
   */
  private List<String> names() {
    return busName.equals(graph.name()) ? List.of(busName) : List.of(busName, graph.name());
  }

  /**
   * The results address's listener for nodes in this JVM ({@link LoopAffinity#registerInbox}): called on any thread
   * (a node's loop or worker), it queues the result as a task of this verticle's context, where
   * {@link NodeTransport#onResult} checks it as it checks one from the bus; it spares the bus's message, delivery
   * contexts and promise per result.
   */
  private final LoopAffinity.LocalTarget resultsInbox = body -> context.runOnContext(v -> nodes.onResult(body, null));

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    tracer = io.graphloop.internal.tracing.RunTracers.of(vertx);
    affinity = LoopAffinity.of(vertx);
    DroppedResults dropped = new DroppedResults(graph.name(), metrics);
    nodes = new NodeTransport(vertx, graph, busName, options, metrics, affinity, resultsAddress, dropped, runs,
        controlAddress);
    entrypoints = nodes.entrypoints();
    checkpointedSubgraphs = graph.nodes().stream().filter(io.graphloop.graph.NodeDefinition::isCheckpointedSubgraph)
        .map(io.graphloop.graph.NodeDefinition::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
    TaskCallResults calls = new TaskCallResults(runs, nodes, dropped);
    replies = new RunReplies(bus, graph);
    streams = new StreamControl(dropped);
    controlInbox = new ControlInbox((io.vertx.core.internal.ContextInternal) context, streams);
    cancellation = new RunCancellation(runs, bus, dropped, options.getMaxEarlyCancels(),
        options.getEarlyCancelTtlMs());
    admission = new RunAdmission(graph, options, drain, context, RunAdmission.runs(runs, cancellation),
        threads != null, replies);
    runDeadlines = new io.graphloop.internal.bus.PendingReplies<>(vertx);
    consumers.add(bus.consumer(resultsAddress, message -> nodes.onResult(message.body(), message.address())));
    affinity.registerInbox(resultsAddress, resultsInbox); // nodes in this JVM hand results back without the bus
    affinity.registerInbox(controlAddress, controlInbox); // and their message chunks, on this loop (EmitWindow)
    for (String name : names()) {
      String runAddress = Addresses.run(name);
      String runLoopAddress = LoopAffinity.onThisLoop(runAddress);
      runLoopAddresses.add(runLoopAddress);
      consumers.add(bus.consumer(runAddress, this::onRun));
      consumers.add(bus.localConsumer(runLoopAddress, this::onRun));
      consumers.add(bus.consumer(Addresses.cancel(name), cancellation::onCancel));
      consumers.add(bus.consumer(Addresses.threads(name), threadStates::handle));
    }
    consumers.add(bus.consumer(controlAddress, message -> {
      if (TaskCallResults.isCall(message)) {
        calls.onCall(message);
      } else {
        streams.onControl(message);
      }
    }));
    List<Future<Void>> registered = new ArrayList<>();
    consumers.forEach(c -> registered.add(c.completion()));
    return Future.all(registered).onSuccess(done -> runLoopAddresses.forEach(affinity::register));
  }

  @Override
  public Future<?> stop() {
    runLoopAddresses.forEach(affinity::unregister);
    affinity.unregisterInbox(resultsAddress, resultsInbox);
    affinity.unregisterInbox(controlAddress, controlInbox);
    for (RunDriver run : new ArrayList<>(runs.values())) {
      if (drain.draining()) { // the drain's deadline passed with the run in flight: it fails as DRAINING
        run.abort(new GraphloopException(FailureCode.DRAINING, "Run " + run.runId() + " of graph '" + graph.name()
            + "' was still in flight when its member shut down (the drain's deadline passed); a run on a thread "
            + "resumes from its last checkpoint when the thread is continued, any other run must be sent again.",
            graph.name(), run.runId(), null, null, null));
      } else {
        run.cancel("graph '" + graph.name() + "' was undeployed while the run was in flight.");
      }
    }
    nodes.failAll(new GraphloopException(FailureCode.CANCELLED, "The coordinator of graph '" + graph.name()
        + "' stopped."));
    List<Future<Void>> unregistered = new ArrayList<>();
    consumers.forEach(c -> unregistered.add(c.unregister()));
    return Future.join(unregistered);
  }

  private void onRun(Message<Object> message) {
    try {
      RunAdmission.Admitted admitted = admission.admit(message);
      if (admitted == null) {
        return;
      }
      if (cancellation.cancelledEarly(admitted.runId(), admitted.token())) { // its cancel came first
        replies.refuse(message, admitted.request(), admitted.json(), new RunCancelledException(graph.name(),
            admitted.runId(), null, "cancelled on request before it started.", null));
        return;
      }
      if (!admitted.onThread()) {
        launch(message, admitted, RunStart.fresh(State.empty(), admitted.input()).with(admitted.command()), null, null, null,
            null);
      } else {
        prepare(message, admitted);
      }
    } catch (RuntimeException e) {
      message.reply(new FailureReply(new GraphloopException(FailureCode.INTERNAL, "Internal error in the coordinator "
          + "of graph '" + graph.name() + "': " + e, graph.name(), null, null, null, e)));
    }
  }

  /** Waits for the run's turn on its thread and loads the thread ({@link ThreadRuns}), then launches the run. */
  private void prepare(Message<Object> message, RunAdmission.Admitted admitted) {
    RunRequest request = admitted.request();
    String runId = admitted.runId();
    String token = admitted.token();
    boolean[] cancelled = {false};
    Runnable cancel = () -> { // a queued run is answered as cancelled at once; its turn on the thread is given up
      cancelled[0] = true;
      replies.refuse(message, request, admitted.json(), new RunCancelledException(graph.name(), runId, null,
          "cancelled on request while it waited for its thread.", null));
    };
    cancellation.waiting(runId, token, cancel);
    threads.prepare(runId, admitted.options(), request.input(), request.resume(), admitted.command(),
        admitted.timeoutMs(), admitted.owner()).onComplete(prepared -> {
      cancellation.doneWaiting(runId, cancel); // (a cancelled run's id may be in use again by now)
      if (cancelled[0] || prepared.failed()) {
        cancellation.release(runId, token);
      }
      if (cancelled[0]) {
        if (prepared.succeeded()) {
          prepared.result().lock().release();
        }
      } else if (prepared.failed()) {
        replies.refuse(message, request, admitted.json(), ReplyFailures.ofRun(prepared.cause(), graph.name(), runId));
      } else {
        ThreadRuns.Prepared ready = prepared.result();
        launch(message, admitted, ready.start(), ready.checkpoints(), ready.lock(), ready.replayBefore(),
            ready.checkpointMap());
      }
    });
  }

  /** Starts an admitted run; its outcome goes back as the request asked, then the thread's lock is released. */
  private void launch(Message<Object> message, RunAdmission.Admitted admitted, RunStart start,
                      RunCheckpoints checkpoints, io.vertx.core.shareddata.Lock lock, String replayBefore,
                      Map<String, Object> checkpointMap) {
    RunRequest request = admitted.request();
    RunOptions runOptions = admitted.options();
    String runId = admitted.runId();
    String token = admitted.token();
    long timeout = admitted.timeoutMs();
    int limit = runOptions.getRecursionLimit() > 0 ? runOptions.getRecursionLimit() : options.getRecursionLimit();
    Map<String, Object> config = !runOptions.hasConfig() ? Map.of()
        : Values.freezeUpdate(runOptions.getConfig().getMap(), "the run's config");
    if (start.restored() != null) { // a resume map answers by interrupt id anywhere in the run (ResumeMaps)
      config = ResumeMaps.withResumeMap(config, request.resume());
    }
    if (replayBefore != null) { // a time travel: its stateful subgraphs load their state as it was then
      config = SubgraphStart.withReplay(config, replayBefore);
    }
    if (checkpointMap != null) { // a run from a subgraph's checkpoint: each child run takes its own from the map
      Map<String, Object> with = new java.util.LinkedHashMap<>(config);
      with.put(SubgraphCheckpoints.CHECKPOINT_MAP, checkpointMap);
      config = java.util.Collections.unmodifiableMap(with);
    }
    if (checkpoints != null) { // its subgraph runs checkpoint as it does (LangGraph's CONFIG_KEY_DURABILITY)
      config = SubgraphExecution.withDurability(config, runOptions.getDurability());
    }
    StreamSpec stream = request.stream();
    RunEvents events = stream == null ? null : new RunEvents(vertx, runId, stream.to(), stream.modes(), stream.window(),
        options.getMaxBufferedEvents(), options.getStreamIdleTimeoutMs(), () -> streams.close(runId, token))
        .countBufferedIn(metrics.streamBuffered);
    if (events != null) {
      events.describeRun(checkpoints == null ? null : checkpoints.threadId(), config,
          TaskIds.ofRun(runId, checkpoints));
      events.entrypoints(entrypoints);
      events.checkpointedSubgraphs(checkpointedSubgraphs);
      if (runOptions.isStreamSubgraphs()) {
        events.subgraphsStreamed(graph.nodes().stream().filter(node -> node.subgraph() != null)
            .map(io.graphloop.graph.NodeDefinition::name).collect(java.util.stream.Collectors.toSet()));
      }
    }
    io.graphloop.internal.tracing.RunTrace trace = tracer.startRun(graph.name(), runId,
        checkpoints == null ? null : checkpoints.threadId(), runOptions.getTraceParent());
    if (checkpoints != null) {
      checkpoints.trace(trace);
    }
    RunDriver driver = new RunDriver(vertx, graph, nodes, runId, limits(new RunDriver.Limits(limit,
        runOptions.getMaxConcurrency(), timeout, config, events == null ? null : controlAddress,
        events == null ? List.of() : events.modeNames(), setOf(runOptions.getInterruptBefore()),
        setOf(runOptions.getInterruptAfter()), checkpoints == null ? null : checkpoints.threadId(),
        start.restored() != null, runOptions.isStreamSubgraphs(), trace.nodeHeaders())), checkpoints);
    runs.put(runId, driver);
    cancellation.holds(runId, token);
    metrics.runStarted(); // read across coordinators by GraphRuntime.metrics(); tests check nothing leaks
    MetricsListener listener = metrics.listener();
    long startedNanos = listener == null ? 0 : System.nanoTime();
    if (listener != null) {
      listener.runStarted();
    }
    if (events != null) {
      streams.open(runId, token, events); // a streamed run always has a token
      driver.observe(events);
      JsonObject accepted = new JsonObject().put("runId", runId).put("status", "streaming").put("control",
          controlAddress).put("token", token); // the capability token, for this submitter only
      message.reply(accepted);
    }
    long deadlineId = runDeadlines.add(timeout, (ended, expired) -> {
      if (expired != null) {
        driver.expire();
      }
    });
    // the request message is kept for the reply only when the outcome goes back as one (not to replyTo, not streamed);
    // of the request only where its outcome goes (the request and the admission hold copies of the run options, about
    // 250 bytes a run in flight would keep: issue 17, bursts)
    Message<Object> replyTarget = request.replyTo() == null && events == null ? message : null;
    String replyTo = request.replyTo();
    long correlation = request.correlation();
    long correlationTag = request.correlationTag();
    boolean json = admitted.json();
    // the thread's lock is released when the run has ended; its outcome (reply, stream end) goes out once it is free
    driver.start(start, lock == null ? null : () -> ThreadLock.release(lock)).onComplete(done -> {
          runDeadlines.succeed(deadlineId, null);
          runs.remove(runId);
          cancellation.release(runId, token);
          metrics.runEnded();
          String outcome = listener == null && trace == io.graphloop.internal.tracing.RunTrace.NONE ? null
              : outcomeOf(done, runId);
          if (listener != null) {
            listener.runEnded(outcome, System.nanoTime() - startedNanos);
          }
          trace.end(outcome, done.cause());
          if (events == null) {
            replies.outcome(replyTarget, replyTo, correlation, correlationTag, json, runId, checkpoints, done);
          }
        });
  }

  /** A run's outcome as metrics label it: success, interrupted, or its failure code in lower case. */
  private String outcomeOf(io.vertx.core.AsyncResult<RunEnd> done, String runId) {
    if (done.succeeded()) {
      return (done.result().interrupted() ? RunStatus.INTERRUPTED : RunStatus.SUCCESS).wireName();
    }
    return ReplyFailures.ofRun(done.cause(), graph.name(), runId).code().name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@code made}, or the equal limits an earlier run of this coordinator kept: runs with the same options (most runs
   * of a deployment) share one record instead of keeping a copy each while in flight (issue 17: 64 bytes a run of the
   * 2.6 KB a run in flight keeps). Only the last distinct limits are remembered. Limits are immutable; a record's
   * equality compares every component (the config map and sets by content).
   */
  private RunDriver.Limits limits(RunDriver.Limits made) {
    RunDriver.Limits last = sharedLimits;
    if (made.equals(last)) {
      return last;
    }
    sharedLimits = made;
    return made;
  }

  /** {@code Set.copyOf}, without its temporary set for the usual empty list. */
  private static java.util.Set<String> setOf(List<String> names) {
    return names.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(names);
  }
}
