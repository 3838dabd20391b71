package io.graphloop.runtime;

import io.graphloop.internal.bus.LoopAffinity;

import io.graphloop.internal.engine.Task;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.errors.LimitReachedException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.errors.RemoteCause;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.FailureReply;
import io.graphloop.protocol.Failures;
import io.graphloop.protocol.NodeReply;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.protocol.NodeResult;
import io.graphloop.internal.bus.Owners;
import io.graphloop.internal.bus.PendingReplies;
import io.graphloop.protocol.RunOutcome;
import io.graphloop.run.RunOptions;
import io.graphloop.protocol.RequestBodies;
import io.graphloop.protocol.RunRequest;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.internal.bus.SecureIds;
import io.graphloop.run.StreamEvent;
import io.graphloop.protocol.StreamSpec;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Receives runs on {@code graphloop.<graph>.run} and drives each with a {@link RunDriver}: it owns a
 * run for its whole life. It is a thin shell around the pure engine: messaging, timeouts and limits.
 *
 * <p>Requests are a {@link RunRequest} (Java callers; the reply is a {@link RunResult}) or its JSON form
 * (any event-bus client; the reply is the result's JSON). Failures are replied as a {@link FailureReply}
 * with a stable code. A bad request gets a clear failure and never disturbs other runs; over
 * {@code maxInFlightRuns} a run is rejected at once as overloaded. Requests about threads
 * ({@code graphloop.<graph>.threads}) are answered by its {@link ThreadStateService}.
 *
 * <p>Thread rules: every handler runs on this verticle's event loop; runs are confined to it (no locks).
 */
final class CoordinatorVerticle extends VerticleBase implements RunDriver.NodeDispatcher {

  private final CompiledGraph graph;
  private final GraphRuntimeOptions options;
  private final RuntimeMetrics metrics;
  private final Map<String, RunDriver> runs = new HashMap<>();
  private final Map<String, RunEvents> streams = new HashMap<>();
  private final String controlAddress;
  private final String resultsAddress;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private String[] publicAddresses;
  private String[] loopAddresses;
  private MessageProducer<Object>[] publicProducers;
  private MessageProducer<Object>[] loopProducers;
  /** Whether each node's loop address has a listener, resolved once per deployment change (not per step). */
  private LoopAffinity.Routes loopRoutes;
  private long[] timeouts;
  private long[] deadlines;
  private PendingReplies<NodeReply> pending;
  private PendingReplies<Void> runDeadlines;
  private DroppedResults dropped;
  private final ThreadRuns threads;
  private final ThreadStateService threadStates;
  /** Runs waiting for their thread (queued behind its run) or loading it, by id: what cancels each. */
  private final Map<String, Runnable> preparing = new HashMap<>();
  /** The capability token of each run in {@link #runs} or {@link #preparing}: what cancels and credits must show. */
  private final Map<String, String> tokens = new HashMap<>();
  /** The token of each stream in {@link #streams}, which may outlive its run while a slow consumer drains it. */
  private final Map<String, String> streamTokens = new HashMap<>();
  private String runLoopAddress;
  private LoopAffinity affinity;
  /** Default delivery, shared: Vert.x only reads it, and {@code send(address, body)} would allocate one per call. */
  private static final DeliveryOptions PLAIN = new DeliveryOptions();

  private EventBus bus;
  private final Drain drain;
  /** Opens the runs' trace spans ({@code RunTracer.NONE} unless tracing is installed on this Vert.x). */
  private io.graphloop.internal.tracing.RunTracer tracer;

  CoordinatorVerticle(CompiledGraph graph, GraphRuntimeOptions options, RuntimeMetrics metrics,
                      io.graphloop.checkpoint.Checkpointer checkpointer, io.vertx.core.Vertx owner, Drain drain) {
    this.drain = drain;
    this.graph = graph;
    this.options = options;
    this.metrics = metrics;
    this.threads = checkpointer == null ? null
        : new ThreadRuns(owner, graph, checkpointer).countQueuedIn(metrics.threadRunsQueued);
    this.threadStates = new ThreadStateService(owner, graph, checkpointer, options.getMaxRequestBytes());
    // two unrelated random ids: the control address is handed to every streaming caller, the results address to nodes
    this.controlAddress = Addresses.control(graph.name(), RunIds.next());
    this.resultsAddress = Addresses.results(graph.name(), RunIds.next());
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    tracer = io.graphloop.internal.tracing.RunTracers.of(vertx);
    affinity = new LoopAffinity(vertx);
    int n = graph.nodes().size();
    pending = new PendingReplies<>(vertx);
    dropped = new DroppedResults(graph.name(), metrics);
    runDeadlines = new PendingReplies<>(vertx);
    publicAddresses = new String[n];
    loopAddresses = new String[n];
    publicProducers = producers(n);
    loopProducers = producers(n);
    timeouts = new long[n];
    deadlines = new long[n];
    for (NodeDefinition node : graph.nodes()) {
      int i = node.index();
      publicAddresses[i] = Addresses.node(graph.name(), node.name());
      loopAddresses[i] = LoopAffinity.onThisLoop(publicAddresses[i]);
      publicProducers[i] = bus.sender(publicAddresses[i]);
      loopProducers[i] = bus.sender(loopAddresses[i]);
      timeouts[i] = node.options().getTimeoutMs() > 0 ? node.options().getTimeoutMs() : options.getNodeTimeoutMs();
      // A node that keeps its own deadline (NodeExecution) answers with a timeout itself; the coordinator waits a
      // grace period longer, for a lost message or a dead member. For the others the coordinator's deadline is it.
      // (Saturated: Long.MAX_VALUE, "no deadline", must not wrap into the past.)
      deadlines[i] = NodeExecution.keepsOwnDeadline(node)
          ? Math.max(timeouts[i], timeouts[i] + options.getReplyGraceMs()) : timeouts[i];
    }
    loopRoutes = affinity.routes(loopAddresses);
    consumers.add(bus.consumer(resultsAddress, this::onResult));
    String runAddress = Addresses.run(graph.name());
    runLoopAddress = LoopAffinity.onThisLoop(runAddress);
    consumers.add(bus.consumer(runAddress, this::onRun));
    consumers.add(bus.localConsumer(runLoopAddress, this::onRun));
    consumers.add(bus.consumer(Addresses.cancel(graph.name()), this::onCancel));
    consumers.add(bus.consumer(Addresses.threads(graph.name()), threadStates::handle));
    consumers.add(bus.consumer(controlAddress, this::onControl));
    List<Future<Void>> registered = new ArrayList<>();
    consumers.forEach(c -> registered.add(c.completion()));
    return Future.all(registered).onSuccess(done -> affinity.register(runLoopAddress));
  }

  @Override
  public Future<?> stop() {
    affinity.unregister(runLoopAddress);
    for (RunDriver run : new ArrayList<>(runs.values())) {
      run.cancel("graph '" + graph.name() + "' was undeployed while the run was in flight.");
    }
    pending.failAll(new GraphloopException(FailureCode.CANCELLED, "The coordinator of graph '" + graph.name()
        + "' stopped."));
    List<Future<Void>> unregistered = new ArrayList<>();
    consumers.forEach(c -> unregistered.add(c.unregister()));
    return Future.join(unregistered);
  }


  private void onRun(Message<Object> message) {
    try {
      accept(message);
    } catch (RuntimeException e) {
      message.reply(new FailureReply(new GraphloopException(FailureCode.INTERNAL, "Internal error in the coordinator "
          + "of graph '" + graph.name() + "': " + e, graph.name(), null, null, null, e)));
    }
  }

  private void accept(Message<Object> message) {
    Object body = message.body();
    boolean json = !(body instanceof RunRequest);
    RunRequest request;
    try {
      request = json ? RunRequest.fromJson(RequestBodies.json(body, options.getMaxRequestBytes(),
          "a RunRequest or a JSON object {\"input\": {...}, \"options\": {...}}")) : (RunRequest) body;
    } catch (IllegalArgumentException | DecodeException | io.vertx.core.json.EncodeException | ClassCastException e) {
      // (a JSON object nested too deep is refused by RequestBodies' depth check, measured without recursion)
      reject(message, FailureCode.BAD_REQUEST, "Bad run request for graph '" + graph.name() + "': " + e.getMessage());
      return;
    }
    if (drain.draining()) {
      refuse(message, request, json, Drain.refusal(graph.name()));
      return;
    }
    int backlog = loopBacklog();
    if (backlog > options.getMaxRunBacklog()) {
      refuse(message, request, json, new LimitReachedException("Coordinator of graph '" + graph.name()
          + "' is overloaded: " + backlog + " tasks wait on its event loop (maxRunBacklog " + options.getMaxRunBacklog()
          + "). Retry later, or send fewer runs at once (GraphClient.batch bounds them).", graph.name(), null, null,
          null, "maxRunBacklog", options.getMaxRunBacklog()));
      return;
    }
    if (runs.size() + preparing.size() >= options.getMaxInFlightRuns()) {
      refuse(message, request, json, new LimitReachedException("Coordinator of graph '" + graph.name()
          + "' is overloaded: " + runs.size() + " runs in flight (maxInFlightRuns " + options.getMaxInFlightRuns()
          + "). Retry later, or raise GraphRuntimeOptions.maxInFlightRuns or coordinatorInstances.", graph.name(),
          null, null, null, "maxInFlightRuns", options.getMaxInFlightRuns()));
      return;
    }
    RunOptions runOptions = request.options();
    String runId = runOptions.getRunId() == null ? RunIds.next() : runOptions.getRunId();
    if (runs.containsKey(runId) || preparing.containsKey(runId)) {
      refuse(message, request, json, new GraphloopException(FailureCode.BAD_REQUEST, "Run " + runId + " of graph '"
          + graph.name() + "' is already in flight; use a new run id.", graph.name(), runId, null, null, null));
      return;
    }
    try {
      graph.checkNodeNames("RunOptions.interruptBefore", runOptions.getInterruptBefore());
      graph.checkNodeNames("RunOptions.interruptAfter", runOptions.getInterruptAfter());
    } catch (IllegalArgumentException e) {
      refuse(message, request, json, new GraphloopException(FailureCode.BAD_REQUEST, e.getMessage(), graph.name(),
          runId, null, null, null));
      return;
    }
    long timeout = runOptions.getTimeoutMs() > 0 ? runOptions.getTimeoutMs() : options.getRunTimeoutMs();
    // the capability token: the submitter's own, else one made here for a streamed run (its acknowledgement hands it
    // over); a run answered only at its end with no token of its own has none, so nobody can cancel it
    String token = runOptions.getControlToken() != null ? runOptions.getControlToken()
        : request.stream() != null ? SecureIds.token() : null;
    if (runOptions.getThreadId() == null) {
      if (request.resume() != null || runOptions.getCheckpointId() != null) {
        refuse(message, request, json, new GraphloopException(FailureCode.BAD_REQUEST, "Resuming or starting from a "
            + "checkpoint needs a thread: set RunOptions.threadId.", graph.name(), runId, null, null, null));
        return;
      }
      if (request.input() == null && commandOf(request) == null) { // LangGraph's EmptyInputError
        refuse(message, request, json, new GraphloopException(FailureCode.BAD_REQUEST, "Received no input for "
            + StateGraph.START + " (LangGraph's EmptyInputError): a run without a thread needs an input (an empty map "
            + "is one); to continue a thread, set RunOptions.threadId.", graph.name(), runId, null, null, null));
        return;
      }
      Map<String, Object> input = request.input() == null ? Map.of() : request.input();
      launch(message, request, runOptions, json, runId, token, timeout, RunStart.fresh(State.empty(), input)
          .with(commandOf(request)), null, null);
      return;
    }
    if (threads == null) {
      refuse(message, request, json, new GraphloopException(FailureCode.BAD_REQUEST, "Graph '" + graph.name()
          + "' was deployed without a checkpointer, so it cannot run on thread '" + runOptions.getThreadId()
          + "'; deploy it with GraphRuntimeOptions.setCheckpointer(...) (e.g. {\"type\": \"sqlite\"}).",
          graph.name(), runId, null, null, null));
      return;
    }
    String owner; // only threads have owners: a run without one never reads the headers (no map is made)
    try {
      owner = Owners.of(message.headers());
    } catch (IllegalArgumentException e) {
      refuse(message, request, json, new GraphloopException(FailureCode.BAD_REQUEST, "Bad run request for graph '"
          + graph.name() + "': " + e.getMessage(), graph.name(), runId, null, null, null));
      return;
    }
    boolean[] cancelled = {false};
    Runnable cancel = () -> { // a queued run is answered as cancelled at once; its turn on the thread is given up
      cancelled[0] = true;
      refuse(message, request, json, new RunCancelledException(graph.name(), runId, null,
          "cancelled on request while it waited for its thread.", null));
    };
    preparing.put(runId, cancel);
    if (token != null) {
      tokens.put(runId, token);
    }
    threads.prepare(runId, runOptions, request.input(), request.resume(), commandOf(request), timeout, owner)
        .onComplete(prepared -> {
      preparing.remove(runId, cancel); // (a cancelled run's id may be in use again by now)
      if ((cancelled[0] || prepared.failed()) && token != null) {
        tokens.remove(runId, token);
      }
      if (cancelled[0]) {
        if (prepared.succeeded()) {
          prepared.result().lock().release();
        }
      } else if (prepared.failed()) {
        refuse(message, request, json, asGraphloop(prepared.cause(), runId));
      } else {
        ThreadRuns.Prepared ready = prepared.result();
        launch(message, request, runOptions, json, runId, token, timeout, ready.start(), ready.checkpoints(),
            ready.lock());
      }
    });
  }

  /**
   * How many tasks wait on this verticle's event loop: under a burst, mostly run requests not read yet. Netty counts
   * them in its queue (constant time); 0 when the loop is not one that says.
   */
  private int loopBacklog() {
    io.netty.channel.EventLoop loop = ((io.vertx.core.internal.ContextInternal) context).nettyEventLoop();
    return loop instanceof io.netty.util.concurrent.SingleThreadEventExecutor
        ? ((io.netty.util.concurrent.SingleThreadEventExecutor) loop).pendingTasks() : 0;
  }

  /** Starts an admitted run; its outcome goes back as the request asked, then the thread's lock is released. */
  private void launch(Message<Object> message, RunRequest request, RunOptions runOptions, boolean json, String runId,
                      String token, long timeout, RunStart start, RunCheckpoints checkpoints,
                      io.vertx.core.shareddata.Lock lock) {
    int limit = runOptions.getRecursionLimit() > 0 ? runOptions.getRecursionLimit() : options.getRecursionLimit();
    Map<String, Object> config = !runOptions.hasConfig() ? Map.of()
        : Values.freezeUpdate(runOptions.getConfig().getMap(), "the run's config");
    StreamSpec stream = request.stream();
    RunEvents events = stream == null ? null : new RunEvents(vertx, runId, stream.to(), stream.modes(), stream.window(),
        options.getMaxBufferedEvents(), options.getStreamIdleTimeoutMs(), () -> {
          streams.remove(runId);
          streamTokens.remove(runId, token);
        }).countBufferedIn(metrics.streamBuffered);
    if (events != null) {
      events.describeRun(checkpoints == null ? null : checkpoints.threadId(), config);
    }
    io.graphloop.internal.tracing.RunTrace trace = tracer.startRun(graph.name(), runId,
        checkpoints == null ? null : checkpoints.threadId());
    if (checkpoints != null) {
      checkpoints.trace(trace);
    }
    RunDriver driver = new RunDriver(vertx, graph, this, runId, new RunDriver.Limits(limit,
        runOptions.getMaxConcurrency(), timeout, config, events == null ? null : controlAddress,
        events == null ? List.of() : events.modeNames(), setOf(runOptions.getInterruptBefore()),
        setOf(runOptions.getInterruptAfter()), checkpoints == null ? null : checkpoints.threadId(),
        start.restored() != null, runOptions.isStreamSubgraphs(), trace.nodeHeaders()), checkpoints);
    runs.put(runId, driver);
    if (token != null) {
      tokens.put(runId, token);
    }
    metrics.runStarted(); // read across coordinators by GraphRuntime.metrics(); tests check nothing leaks
    MetricsListener listener = metrics.listener();
    long startedNanos = listener == null ? 0 : System.nanoTime();
    if (listener != null) {
      listener.runStarted();
    }
    if (events != null) {
      streams.put(runId, events);
      streamTokens.put(runId, token); // a streamed run always has one
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
    // the request message is kept for the reply only when the outcome goes back as one (not to replyTo, not streamed)
    Message<Object> replyTarget = request.replyTo() == null && events == null ? message : null;
    driver.start(start).onComplete(done -> {
          runDeadlines.succeed(deadlineId, null);
          runs.remove(runId);
          if (token != null) {
            tokens.remove(runId, token);
          }
          metrics.runEnded();
          String outcome = listener == null && trace == io.graphloop.internal.tracing.RunTrace.NONE ? null
              : outcomeOf(done, runId);
          if (listener != null) {
            listener.runEnded(outcome, System.nanoTime() - startedNanos);
          }
          trace.end(outcome, done.cause());
          if (lock != null) {
            lock.release();
          }
          if (events == null) {
            respond(replyTarget, request, json, runId, checkpoints, done);
          }
        });
  }

  /** A run's outcome as metrics label it: success, interrupted, or its failure code in lower case. */
  private String outcomeOf(io.vertx.core.AsyncResult<RunEnd> done, String runId) {
    if (done.succeeded()) {
      return (done.result().interrupted() ? RunStatus.INTERRUPTED : RunStatus.SUCCESS).wireName();
    }
    return asGraphloop(done.cause(), runId).code().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The Command a request gives as its input (update and goto), or {@code null}. */
  private static RunStart.CommandInput commandOf(RunRequest request) {
    return request.commandUpdate() == null && request.commandGoto().isEmpty() ? null
        : new RunStart.CommandInput(request.commandUpdate(), request.commandGoto());
  }

  /** {@code Set.copyOf}, without its temporary set for the usual empty list. */
  private static java.util.Set<String> setOf(List<String> names) {
    return names.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(names);
  }

  private void respond(Message<Object> message, RunRequest request, boolean json, String runId,
                       RunCheckpoints checkpoints, io.vertx.core.AsyncResult<RunEnd> result) {
    GraphloopException failure = result.failed() ? asGraphloop(result.cause(), runId) : null;
    RunResult runResult = null;
    if (failure == null) {
      RunEnd end = result.result();
      runResult = new RunResult(runId, end.interrupted() ? RunStatus.INTERRUPTED : RunStatus.SUCCESS, end.values(),
          checkpoints == null ? null : checkpoints.threadId(), end.checkpointId(), end.interrupts());
    }
    if (request.replyTo() != null) {
      RunOutcome outcome = new RunOutcome(request.correlation(), request.correlationTag(), runResult, failure);
      bus.send(request.replyTo(), json ? outcome.toJson() : outcome, PLAIN);
    } else if (failure == null) {
      message.reply(json ? runResult.toJson() : runResult);
    } else {
      message.reply(new FailureReply(failure));
    }
  }

  /** Refuses a readable request: to its replyTo address when it names one, else as the message's reply. */
  private void refuse(Message<Object> message, RunRequest request, boolean json, GraphloopException failure) {
    if (request.replyTo() != null && request.stream() == null) {
      RunOutcome outcome = new RunOutcome(request.correlation(), request.correlationTag(), null, failure);
      bus.send(request.replyTo(), json ? outcome.toJson() : outcome, PLAIN);
    } else {
      message.reply(new FailureReply(failure));
    }
  }

  private void reject(Message<Object> message, FailureCode code, String text) {
    message.reply(new FailureReply(new GraphloopException(code, text, graph.name(), null, null, null, null)));
  }

  /** Credits from a stream's consumer, and custom events from nodes, for runs this coordinator owns. */
  private void onControl(Message<Object> message) {
    boolean held = false;
    try {
      held = control(message);
    } finally {
      if (!held && message.replyAddress() != null) {
        message.reply(null); // a node's emit window asks now and then: this and every earlier event are taken
      }
    }
  }

  /** Reads a control message; true when its acknowledgement is held back (the run's stream buffer is full). */
  private boolean control(Message<Object> message) {
    if (!(message.body() instanceof JsonObject)) {
      return false;
    }
    JsonObject body = (JsonObject) message.body();
    Object runId = body.getValue("runId");
    RunEvents events = runId instanceof String ? streams.get(runId) : null;
    if (events == null) {
      return false;
    }
    Object credits = body.getValue("credits");
    if (credits instanceof Number) {
      if (holdsToken(streamTokens, (String) runId, body.getValue("token"))) {
        events.grant(((Number) credits).longValue());
      } else {
        dropped.refusedControl("stream credits", (String) runId);
      }
    }
    Object custom = body.getValue("custom");
    if (custom instanceof JsonObject) {
      Object node = body.getValue("node");
      Object step = body.getValue("step");
      events.custom(node instanceof String ? (String) node : null, step instanceof Integer ? (Integer) step : -1,
          ((JsonObject) custom).getMap());
    }
    Object chunk = body.getValue("message");
    if (chunk instanceof JsonObject) {
      Object node = body.getValue("node");
      Object step = body.getValue("step");
      Object meta = body.getValue("meta");
      boolean room = events.message(node instanceof String ? (String) node : null,
          step instanceof Integer ? (Integer) step : -1, ((JsonObject) chunk).getMap(),
          meta instanceof JsonObject ? ((JsonObject) meta).getMap() : Map.of());
      if (!room && message.replyAddress() != null) {
        events.holdAck(message);
        return true;
      }
    }
    Object forward = body.getValue("forward");
    if (forward instanceof JsonObject) {
      try {
        events.forward(StreamEvent.fromJson((JsonObject) forward), body.getString("ns", ""));
      } catch (IllegalArgumentException e) {
        // a malformed forwarded event is dropped: it must not end the parent's stream
      }
    }
    return false;
  }

  /**
   * Cancels a run this coordinator owns when the request shows the run's capability token, and acknowledges to the
   * canceller; others ignore the request. A wrong or missing token is counted and logged, and gets no answer, as an
   * unknown run gets none (so nobody learns which runs exist).
   */
  private void onCancel(Message<Object> message) {
    if (!(message.body() instanceof JsonObject)) {
      return;
    }
    JsonObject body = (JsonObject) message.body();
    Object id = body.getValue("runId");
    String runId = id instanceof String ? (String) id : null;
    RunDriver run = runId == null ? null : runs.get(runId);
    Runnable queued = runId == null || run != null ? null : preparing.get(runId);
    if (run == null && queued == null) {
      return;
    }
    if (!holdsToken(tokens, runId, body.getValue("token"))) {
      dropped.refusedControl("cancel", runId);
      return;
    }
    if (queued != null) {
      preparing.remove(runId);
    }
    boolean cancelled = true;
    if (run != null) {
      cancelled = run.cancel("cancelled on request.");
    } else {
      queued.run();
    }
    Object replyTo = body.getValue("replyTo");
    if (replyTo instanceof String) {
      bus.send((String) replyTo, new JsonObject().put("runId", runId).put("cancelled", cancelled));
    }
  }

  /** Whether {@code token} is run {@code runId}'s capability token in {@code tokens} (compared in constant time). */
  private static boolean holdsToken(Map<String, String> tokens, String runId, Object token) {
    String expected = tokens.get(runId);
    return expected != null && token instanceof String && java.security.MessageDigest.isEqual(
        expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        ((String) token).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public long execute(String runId, RunDriver.Limits run, Task task, int attempt, int maxAttempts,
                      List<Object> resume, int remainingSteps, io.vertx.core.Completable<NodeReply> done) {
    int i = task.nodeIndex();
    long tag = SecureIds.nextNonZeroLong(); // a new id per attempt: a stale attempt's result finds no wait
    long correlation = pending.add(deadlines[i], tag, done);
    String childThread = run.threadId() == null || graph.node(i).subgraph() == null ? null
        : SubgraphThreads.childThread(run.threadId(), task);
    // a subgraph node streams its child's events only when the run's stream asked for them (LangGraph's subgraphs)
    boolean unstreamed = graph.node(i).subgraph() != null && !run.streamSubgraphs();
    NodeRequest request = new NodeRequest(graph.name(), runId, task.step(), task.node(), attempt, maxAttempts,
        timeouts[i], run.config(), unstreamed ? null : run.eventsTo(), unstreamed ? List.of() : run.streamModes(),
        resultsAddress, correlation, tag, resume, task.input(), childThread, run.resuming(), remainingSteps);
    LoopAffinity.LocalTarget local = run.traceHeaders() == null ? loopRoutes.target(i) : null;
    if (local != null) { // the node's instance on this loop, resolved once: no lookup or envelope per message
      local.deliver(request); // (a traced run's requests go by the bus: their headers carry the trace)
      return correlation;
    }
    boolean onThisLoop = loopRoutes.listened(i);
    (onThisLoop ? producer(loopProducers[i], loopAddresses[i], run) : producer(publicProducers[i], publicAddresses[i],
        run)).write(request).onFailure(failure -> {
      if (onThisLoop && isNoHandlers(failure)) {
        producer(publicProducers[i], publicAddresses[i], run).write(request)
            .onFailure(again -> pending.answer(correlation, tag, null, again));
      } else {
        pending.answer(correlation, tag, null, failure);
      }
    });
    return correlation;
  }

  /**
   * The node's producer, or, for a traced run, one that adds the run's trace headers (a copy: Vert.x may add its
   * own) and leaves the request out of Vert.x's own event-bus tracing (the node's span is the run span's child).
   */
  private MessageProducer<Object> producer(MessageProducer<Object> plain,
                                          String address, RunDriver.Limits run) {
    if (run.traceHeaders() == null) {
      return plain;
    }
    return bus.sender(address, new DeliveryOptions().setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap()
        .addAll(run.traceHeaders())).setTracingPolicy(io.vertx.core.tracing.TracingPolicy.IGNORE));
  }

  @Override
  public void abandon(long wait) {
    pending.forget(wait);
  }

  /**
   * A node's result for one of this coordinator's requests. Only a result carrying the whole correlation id of an
   * attempt still waited for (key and tag) is taken; a late one (its attempt timed out or was answered), one with a
   * wrong tag (forged, or guessed) and a malformed one are dropped, counted and logged.
   */
  private void onResult(Message<Object> message) {
    Object body = message.body();
    NodeResult result;
    try {
      result = body instanceof NodeResult ? (NodeResult) body : NodeResult.fromJson((JsonObject) body);
    } catch (RuntimeException e) {
      dropped.malformed(message.address(), e);
      return;
    }
    PendingReplies.Answer answer = pending.answer(result.correlation(), result.tag(), result.reply(), result.failure());
    if (answer != PendingReplies.Answer.SETTLED) {
      dropped.unmatched(answer, result.correlation());
    }
  }

  @SuppressWarnings("unchecked")
  private static MessageProducer<Object>[] producers(int n) {
    return (MessageProducer<Object>[]) new MessageProducer<?>[n];
  }

  private static boolean isNoHandlers(Throwable failure) {
    return failure instanceof ReplyException && ((ReplyException) failure).failureType() == ReplyFailure.NO_HANDLERS;
  }

  @Override
  public void onRetry(Task task) {
    metrics.node(task.node()).retries.increment();
  }

  @Override
  public GraphloopException failureOf(String runId, Task task, int attempt, int maxAttempts, Throwable cause) {
    GraphloopException carried = Failures.carried(cause);
    if (carried != null) {
      return carried;
    }
    if (cause instanceof ReplyException) {
      ReplyException reply = (ReplyException) cause;
      switch (reply.failureType()) {
        case TIMEOUT:
          metrics.node(task.node()).timeouts.increment(); // the deadline was the coordinator's (see start())
          return new NodeTimeoutException(graph.name(), runId, task.step(), task.node(), attempt, maxAttempts,
              timeouts[task.nodeIndex()]);
        case NO_HANDLERS:
          return new GraphloopException(FailureCode.UNKNOWN_TARGET, "No member hosts node '" + task.node()
              + "' of graph '" + graph.name() + "' (no verticle listens on " + publicAddresses[task.nodeIndex()]
              + "); deploy the graph with GraphRuntime.deploy, or on a cluster start a member that hosts this node.",
              graph.name(), runId, task.step(), task.node(), null);
        default:
          cause = new RemoteCause(ReplyException.class.getName(), "code " + reply.failureCode() + ": "
              + reply.getMessage());
      }
    }
    return new NodeFailedException(graph.name(), runId, task.step(), task.node(), attempt, maxAttempts, cause);
  }

  private GraphloopException asGraphloop(Throwable cause, String runId) {
    if (cause instanceof GraphloopException) {
      return (GraphloopException) cause;
    }
    return new GraphloopException(FailureCode.INTERNAL, "Run " + runId + " of graph '" + graph.name()
        + "' failed unexpectedly: " + cause, graph.name(), runId, null, null, cause);
  }
}
