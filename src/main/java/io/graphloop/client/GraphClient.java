package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.Codecs;
import io.graphloop.protocol.Failures;
import io.graphloop.internal.bus.LoopAffinity;
import io.graphloop.run.RunOptions;
import io.graphloop.protocol.RunRequest;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamMode;
import io.graphloop.protocol.StreamSpec;
import io.graphloop.protocol.ThreadRequest;
import io.graphloop.run.ThreadState;
import io.graphloop.run.ThreadUpdate;
import io.graphloop.state.State;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a graph through the event bus, knowing only its name: from any verticle of the app, from a
 * plain thread, or (on a clustered event bus) from another JVM.
 *
 * <p>{@link #invoke} returns a {@link Future} and never blocks. {@link #invokeAndWait} blocks the calling
 * thread for plain {@code main} methods and tests; called on an event-loop thread it throws at once
 * (the Java form of "asyncio.run() cannot be called from a running event loop"), never deadlocks.
 *
 * <p>On a graph deployed with a checkpointer, runs with {@code RunOptions.threadId} keep a thread's state:
 * {@link #proceed} continues a thread, {@link #run(io.graphloop.graph.Command, RunOptions)} answers its interrupts,
 * and {@link #getState}, {@link #getStateHistory} and {@link #updateState} read and change it (over
 * {@code graphloop.<graph>.threads}).
 *
 * <p>Thread-safe and cheap: create one per graph and share it.
 */
public final class GraphClient {

  /** A run's deadline when neither the run nor the client says otherwise. */
  public static final long DEFAULT_TIMEOUT_MS = 600_000;
  /** How much longer than a run's deadline the client waits for the coordinator's answer. */
  public static final long REPLY_GRACE_MS = 5_000;
  /** Unfinished runs sent to the caller's own coordinator below which a run stays on the caller's event loop. */
  public static final int LOCAL_RUNS = 16;

  /**
   * How long {@link #invokeAndWait} spins before it parks the waiting thread, in nanoseconds: system property
   * {@code graphloop.client.waitSpinMicros} (default 50 us, 0 to park at once). A short run's outcome is back within
   * it, and a thread woken by a spin is not woken through the OS scheduler; longer runs cost at most this much CPU.
   */
  static final long WAIT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Math.max(0,
      Long.getLong("graphloop.client.waitSpinMicros", 50)));
  /** How long {@link #cancel} waits for the run's coordinator to confirm. */
  public static final long CANCEL_WAIT_MS = 2_000;
  /** Runs of one client sent and not yet answered beyond which it refuses more at once (503), sending nothing. */
  public static final int DEFAULT_MAX_PENDING_RUNS = 100_000;
  /**
   * How long a stream waits without hearing from the run's coordinator (while it waits for events) before it fails:
   * the coordinator may have left or dropped the stream. Set it above the longest step that streams nothing.
   */
  public static final long DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
  /** How long a thread-state request ({@link #getState}, {@link #updateState}, ...) waits for its answer. */
  public static final long STATE_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final String graph;
  private final String runAddress;
  private final long defaultTimeoutMs;
  private final long streamIdleTimeoutMs;
  private final io.vertx.core.eventbus.MessageProducer<Object> runProducer;
  private final LoopAffinity affinity;
  private final int maxPendingRuns;
  private final java.util.concurrent.atomic.AtomicInteger pendingRuns = new java.util.concurrent.atomic.AtomicInteger();
  private final String owner;
  private final HomeLoop home;

  private GraphClient(Vertx vertx, String graph, long defaultTimeoutMs, int maxPendingRuns,
                      long streamIdleTimeoutMs, String owner) {
    this.owner = owner;
    this.vertx = vertx;
    this.maxPendingRuns = maxPendingRuns;
    this.graph = graph;
    this.runAddress = Addresses.run(graph);
    this.defaultTimeoutMs = defaultTimeoutMs;
    this.streamIdleTimeoutMs = streamIdleTimeoutMs;
    this.runProducer = vertx.eventBus().sender(runAddress);
    this.affinity = new LoopAffinity(vertx);
    this.home = new HomeLoop(vertx);
  }

  /** A client for the graph named {@code graph}, waiting at most {@link #DEFAULT_TIMEOUT_MS} per run. */
  public static GraphClient create(Vertx vertx, String graph) {
    return create(vertx, graph, DEFAULT_TIMEOUT_MS);
  }

  /** A client for the graph named {@code graph}, waiting at most {@code defaultTimeoutMs} per run. */
  public static GraphClient create(Vertx vertx, String graph, long defaultTimeoutMs) {
    return create(vertx, graph, defaultTimeoutMs, DEFAULT_MAX_PENDING_RUNS);
  }

  /**
   * A client for the graph named {@code graph}, waiting at most {@code defaultTimeoutMs} per run, with at most
   * {@code maxPendingRuns} runs sent and not yet answered: beyond them a run fails at once with a
   * {@code LimitReachedException} (503, limit {@code maxPendingRuns}) and nothing is sent, so a burst cannot fill
   * the caller's heap with waits (a million runs sent in one go on a 256 MB heap ran out of memory).
   */
  public static GraphClient create(Vertx vertx, String graph, long defaultTimeoutMs, int maxPendingRuns) {
    if (defaultTimeoutMs < 1) {
      throw new IllegalArgumentException("defaultTimeoutMs must be greater than or equal to 1, was " + defaultTimeoutMs);
    }
    if (maxPendingRuns < 1) {
      throw new IllegalArgumentException("maxPendingRuns must be greater than or equal to 1, was " + maxPendingRuns);
    }
    Codecs.register(vertx);
    return new GraphClient(vertx, graph, defaultTimeoutMs, maxPendingRuns, DEFAULT_STREAM_IDLE_TIMEOUT_MS, null);
  }

  /**
   * A client like this one whose streams fail after {@code idleTimeoutMs} without hearing from the run's coordinator
   * while they wait for events (default {@link #DEFAULT_STREAM_IDLE_TIMEOUT_MS}).
   */
  public GraphClient withStreamIdleTimeoutMs(long idleTimeoutMs) {
    if (idleTimeoutMs < 1) {
      throw new IllegalArgumentException("streamIdleTimeoutMs must be greater than or equal to 1, was "
          + idleTimeoutMs);
    }
    return new GraphClient(vertx, graph, defaultTimeoutMs, maxPendingRuns, idleTimeoutMs, owner);
  }

  /**
   * A client like this one whose runs and thread requests act for {@code owner} (the {@code graphloop-owner}
   * header, see {@link io.graphloop.internal.bus.Owners}): a thread it first uses belongs to {@code owner}, and threads of
   * other owners (or of none) are "not found" for it. A server passes its authenticated user here; the owner is not a
   * secret and proves nothing by itself, so only trusted code may choose it.
   *
   * @throws IllegalArgumentException when {@code owner} is blank or longer than 256 characters
   */
  public GraphClient asOwner(String owner) {
    return new GraphClient(vertx, graph, defaultTimeoutMs, maxPendingRuns, streamIdleTimeoutMs,
        io.graphloop.internal.bus.Owners.check(java.util.Objects.requireNonNull(owner, "owner")));
  }

  /** The owner this client acts for, or {@code null}. */
  public String owner() {
    return owner;
  }

  /** The delivery options of a request, with the owner header when this client acts for one. */
  private DeliveryOptions delivery(long sendTimeoutMs) {
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(sendTimeoutMs);
    return owner == null ? delivery : delivery.addHeader(io.graphloop.internal.bus.Owners.HEADER, owner);
  }

  /** Runs the graph on {@code input}; the future holds the final state. */
  public Future<State> invoke(Map<String, ?> input) {
    return invoke(input, new RunOptions());
  }

  /** Runs the graph on {@code input} with {@code options}; the future holds the final state. */
  public Future<State> invoke(Map<String, ?> input, RunOptions options) {
    return run(input, options).map(RunResult::values);
  }

  /**
   * Runs the graph; the future holds the run's id and final state. Failures are {@link GraphloopException}s.
   * The run's deadline is {@code options.timeoutMs}, or this client's default; the coordinator enforces it
   * (so no run outlives its caller's interest), and the client waits that long plus {@link #REPLY_GRACE_MS}.
   */
  public Future<RunResult> run(Map<String, ?> input, RunOptions options) {
    return run(input, null, options);
  }

  /**
   * Runs with {@code command} as the input (LangGraph's {@code invoke(Command(...), config)}): its resume value answers
   * the thread's interrupts (the interrupted node runs again and its {@code interrupt(...)} returns the value), its
   * update is written through the reducers and its goto targets run in the first step beside what is due. On a new
   * thread or without one, LangGraph applies the update twice (as its null task's writes and as START's input) and
   * START's edges run too; Graphloop does the same. A Command with nothing in it, with Sends or for
   * {@code Command.PARENT} is refused (400). The future holds the run's result.
   */
  public Future<RunResult> run(io.graphloop.graph.Command command, RunOptions options) {
    String refused = refusedAsInput(command);
    if (refused != null) {
      return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, refused));
    }
    return run(null, asInput(command), options);
  }

  /**
   * Continues the thread named in {@code options} from its checkpoint, without new input (LangGraph's
   * {@code invoke(None, config)}): after a failure, its failed tasks run again and those that had completed do not;
   * after a breakpoint, the run goes on past it. The future holds the run's result.
   */
  public Future<RunResult> proceed(RunOptions options) {
    if (options.getThreadId() == null) {
      return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, "proceed continues a thread: set "
          + "RunOptions.threadId."));
    }
    return run(null, null, options);
  }

  /** Like {@link #run(io.graphloop.graph.Command, RunOptions)}; the future holds the resulting state. */
  public Future<State> invoke(io.graphloop.graph.Command command, RunOptions options) {
    return run(command, options).map(RunResult::values);
  }

  /** Why {@code command} cannot be a run's input, or {@code null} when it can. */
  private static String refusedAsInput(io.graphloop.graph.Command command) {
    if (io.graphloop.graph.Command.PARENT.equals(command.graph())) {
      return "A run's Command has no parent graph to go to (Command.PARENT is for nodes of subgraphs).";
    }
    if (!command.sends().isEmpty()) {
      return "A run's Command takes an update, goto targets (node names) and a resume value; Sends are returned by "
          + "nodes.";
    }
    if (command.resumeValue() == null && command.update().isEmpty() && command.goTo().isEmpty()) {
      return "The run's Command is empty (LangGraph's EmptyInputError): give it an update, goto targets or a resume "
          + "value.";
    }
    return null;
  }

  /** What the run requests carry for {@code command}: its resume value alone, or the Command itself. */
  private static Object asInput(io.graphloop.graph.Command command) {
    return command.update().isEmpty() && command.goTo().isEmpty() ? command.resumeValue() : command;
  }

  /** A run request; {@code resume} may be a Command given as input (update, goto, resume). */
  private static RunRequest request(Map<String, ?> input, Object resume, RunOptions options, StreamSpec stream,
                                    String replyTo, long correlation, long tag) {
    if (resume instanceof io.graphloop.graph.Command) {
      io.graphloop.graph.Command command = (io.graphloop.graph.Command) resume;
      return new RunRequest(input, command.resumeValue(), command.update().isEmpty() ? null : command.update(),
          command.goTo(), options, stream, replyTo, correlation, tag);
    }
    return new RunRequest(input, resume, options, stream, replyTo, correlation, tag);
  }

  private Future<RunResult> run(Map<String, ?> input, Object resume, RunOptions options) {
    return run(input, resume, options, false);
  }

  /**
   * {@code forBlockedCaller}: the caller blocks its thread until the outcome (invokeAndWait), so the outcome must not
   * be handed to the caller's context (a worker's context runs nothing else while its thread waits).
   */
  private Future<RunResult> run(Map<String, ?> input, Object resume, RunOptions options, boolean forBlockedCaller) {
    if (pendingRuns.incrementAndGet() > maxPendingRuns) {
      pendingRuns.decrementAndGet();
      return Future.failedFuture(new io.graphloop.errors.LimitReachedException("GraphClient of graph '" + graph
          + "' has " + maxPendingRuns + " runs waiting for their outcome (maxPendingRuns); the run was not sent. "
          + "Retry later, bound your runs in flight (batch does), or create the client with a higher maxPendingRuns.",
          graph, null, null, null, "maxPendingRuns", maxPendingRuns));
    }
    return send(input, resume, options, forBlockedCaller).onComplete(answered -> pendingRuns.decrementAndGet());
  }

  private Future<RunResult> send(Map<String, ?> input, Object resume, RunOptions options, boolean forBlockedCaller) {
    long timeout = timeoutOf(options);
    RunOptions effective = new RunOptions(options).setTimeoutMs(timeout);
    String runId = effective.getRunId();
    if (runId == null) {
      return submit(input, resume, effective, timeout, forBlockedCaller); // nobody knows the id before the end: nothing to cancel
    }
    if (effective.getControlToken() == null) {
      effective.setControlToken(io.graphloop.internal.bus.SecureIds.token());
    }
    String token = effective.getControlToken();
    ControlTokens.remember(vertx, graph, runId, token); // for cancel(runId) from this JVM, while the run is in flight
    return submit(input, resume, effective, timeout, forBlockedCaller).onComplete(done -> ControlTokens.forget(vertx, graph, runId,
        token));
  }

  private Future<RunResult> submit(Map<String, ?> input, Object resume, RunOptions effective, long timeout,
                                   boolean forBlockedCaller) {
    Context context = Vertx.currentContext();
    if (context != null && context.isEventLoopContext() && context.owner() == vertx) {
      return runOnThisLoop(input, resume, effective, timeout);
    }
    if (context == null || context.owner() == vertx) {
      return runFromHomeLoop(forBlockedCaller ? null : (io.vertx.core.internal.ContextInternal) context, input, resume,
          effective, timeout);
    }
    RunRequest request;
    try {
      request = request(input, resume, effective, null, null, 0, 0);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(badInput(e));
    }
    return vertx.eventBus().<RunResult>request(runAddress, request,
            delivery(plus(timeout, REPLY_GRACE_MS)))
        .transform(reply -> reply.succeeded() ? Future.succeededFuture(reply.result().body())
            : Future.failedFuture(failure(reply.cause(), timeout)));
  }

  /**
   * Off every event loop (a plain thread, or a worker of this Vert.x instance): the run is handed to the client's
   * {@link HomeLoop} in one task and sent from there as from any event loop. The future completes on the caller's
   * context when it has one (a worker's callbacks stay on the worker), else on the home loop.
   */
  private Future<RunResult> runFromHomeLoop(io.vertx.core.internal.ContextInternal caller, Map<String, ?> input,
                                            Object resume, RunOptions options, long timeout) {
    io.vertx.core.internal.ContextInternal loop = home.context();
    io.vertx.core.Promise<RunResult> result = caller != null ? caller.promise() : loop.promise();
    home.execute(() -> runOnThisLoop(input, resume, options, timeout).onComplete(result));
    return result.future();
  }

  /**
   * On an event loop, the outcome comes back to this loop's {@link ClientChannel} by correlation id. The request goes
   * to the coordinator on this loop while fewer than {@link #LOCAL_RUNS} runs sent there from this loop are
   * unfinished (no hop to another
   * thread: measured chain steps 0.85 us instead of 1.39 us), else to the graph's public run address, which spreads
   * runs over the coordinators of every event loop (a burst of 10,000 runs from one caller took 0.61 s kept on one
   * loop, 0.30 s spread). Each run's node executions then stay on its coordinator's loop.
   */
  private Future<RunResult> runOnThisLoop(Map<String, ?> input, Object resume, RunOptions options, long timeout) {
    ClientChannel channel = ClientChannel.onThisLoop(vertx);
    io.vertx.core.internal.ContextInternal caller = (io.vertx.core.internal.ContextInternal) Vertx.currentContext();
    Future<Void> ready = channel.ready();
    return ready.succeeded() ? sendOnThisLoop(channel, caller, input, resume, options, timeout)
        : ready.compose(registered -> sendOnThisLoop(channel, caller, input, resume, options, timeout));
  }

  private Future<RunResult> sendOnThisLoop(ClientChannel channel, io.vertx.core.internal.ContextInternal caller,
                                           Map<String, ?> input, Object resume, RunOptions options, long timeout) {
    ClientChannel.LoopRoute route = channel.routeTo(runAddress);
    boolean local = channel.keepLocal(LOCAL_RUNS) && affinity.choose(route.address(), null) != null;
    RunWait wait = new RunWait(channel, caller, local, timeout);
    if (local) {
      channel.localStarted(); // before anything can complete the wait, which counts the end
    }
    long tag = io.graphloop.internal.bus.SecureIds.nextNonZeroLong(); // only the coordinator learns it: no forged outcomes
    long correlation = channel.await(plus(timeout, REPLY_GRACE_MS), tag, wait);
    RunRequest request;
    try {
      request = request(input, resume, options, null, channel.address(), correlation, tag);
    } catch (IllegalArgumentException e) {
      channel.pending().answer(correlation, tag, null, badInput(e));
      return wait.result.future();
    }
    (owner != null ? vertx.eventBus().sender(local ? route.address() : runAddress, delivery(
        DeliveryOptions.DEFAULT_TIMEOUT)) : local ? route.sender() : runProducer).write(request)
        .onFailure(failure -> channel.pending().answer(correlation, tag, null, failure));
    return wait.result.future();
  }

  /**
   * A run's wait at its loop's {@link ClientChannel}: completes the caller's future with the outcome, a transport
   * failure turned into a {@link GraphloopException}, and counts a local run's end (one object where a promise, a
   * transformation and two listeners were).
   */
  private final class RunWait implements io.vertx.core.Completable<RunResult> {
    private final io.vertx.core.Promise<RunResult> result;
    private final ClientChannel channel;
    private final boolean local;
    private final long timeout;

    RunWait(ClientChannel channel, io.vertx.core.internal.ContextInternal caller, boolean local, long timeout) {
      // the caller's callbacks run on its context, not on the channel's own (which outlives verticles)
      this.result = caller.promise();
      this.channel = channel;
      this.local = local;
      this.timeout = timeout;
    }

    @Override
    public void complete(RunResult outcome, Throwable cause) {
      if (local) {
        channel.localEnded();
      }
      if (cause == null) {
        result.tryComplete(outcome);
      } else {
        result.tryFail(failure(cause, timeout));
      }
    }
  }

  private GraphloopException badInput(IllegalArgumentException e) {
    return new GraphloopException(FailureCode.BAD_REQUEST, "Bad input for graph '" + graph + "': " + e.getMessage());
  }

  /**
   * Cancels run {@code runId}, submitted from this JVM (by any {@code GraphClient} of this Vert.x instance, with a
   * run id in its options, or streamed): the client shows the run's capability token, which it kept. For a run
   * submitted elsewhere, use {@link #cancel(String, String)} with the run's token.
   *
   * @return as {@link #cancel(String, String)}: false when this JVM holds no token for the run (the request goes out
   *     without one, and no coordinator confirms)
   */
  public Future<Boolean> cancel(String runId) {
    java.util.Objects.requireNonNull(runId, "runId");
    return cancel(runId, ControlTokens.of(vertx, graph, runId));
  }

  /**
   * Cancels run {@code runId}: its coordinator starts no further step, discards the results of nodes in flight,
   * and ends the run with a {@code RunCancelledException} (which carries the state of its last completed step).
   * The request is published to every coordinator of the graph (in this JVM or on the cluster); the one that
   * owns the run confirms, if {@code token} is the run's capability token ({@code RunOptions.controlToken}, or
   * {@link RunEventStream#controlToken()}): a run cannot be cancelled by anyone but its submitter.
   *
   * @return true when the run was cancelled; false when no coordinator confirmed within {@link #CANCEL_WAIT_MS}
   *     (no such run in flight, e.g. it had already ended, or a wrong token)
   */
  public Future<Boolean> cancel(String runId, String token) {
    java.util.Objects.requireNonNull(runId, "runId");
    String replyTo = Addresses.cancel(graph) + ".ack." + java.util.UUID.randomUUID();
    io.vertx.core.Promise<Boolean> confirmed = io.vertx.core.Promise.promise();
    io.vertx.core.eventbus.MessageConsumer<io.vertx.core.json.JsonObject> acks =
        vertx.eventBus().consumer(replyTo, ack -> confirmed.tryComplete(ack.body().getBoolean("cancelled", false)));
    long timer = vertx.setTimer(CANCEL_WAIT_MS, id -> confirmed.tryComplete(false));
    acks.completion()
        .onSuccess(ready -> vertx.eventBus().publish(Addresses.cancel(graph),
            new io.vertx.core.json.JsonObject().put("runId", runId).put("replyTo", replyTo).put("token", token)))
        .onFailure(confirmed::tryFail);
    return confirmed.future().eventually(() -> {
      vertx.cancelTimer(timer);
      return acks.unregister();
    });
  }

  /**
   * Runs the graph and streams its events in {@code modes} (LangGraph's {@code stream_mode}; several at once).
   * The stream ends with an {@code end} event holding the final state, or fails with the run's
   * {@link GraphloopException}. It applies backpressure: pausing it stops delivery at the run's coordinator,
   * which holds the run between steps while its bounded buffer is full. {@link RunEventStream#runId()} gives the
   * run's id (e.g. to {@link #cancel} it).
   *
   * <p>Call it on the context that will consume the stream (e.g. inside a verticle); the handlers run there. On a
   * thread, a {@code null} input continues it from its checkpoint (LangGraph's {@code stream(None, config)}).
   */
  public RunEventStream stream(Map<String, ?> input, RunOptions options, StreamMode... modes) {
    return stream(input, null, options, modes);
  }

  /**
   * Resumes the thread named in {@code options} with {@code command}'s resume value and streams the run's events
   * (LangGraph's {@code stream(Command(resume=value), config)}); otherwise as {@link #stream(Map, RunOptions,
   * StreamMode...)}.
   */
  public RunEventStream stream(io.graphloop.graph.Command command, RunOptions options, StreamMode... modes) {
    String refused = refusedAsInput(command);
    if (refused != null) {
      throw new IllegalArgumentException(refused);
    }
    return stream(null, asInput(command), options, modes);
  }

  private RunEventStream stream(Map<String, ?> input, Object resume, RunOptions options, StreamMode... modes) {
    if (modes.length == 0) {
      throw new IllegalArgumentException("stream needs at least one stream mode: " + StreamMode.names());
    }
    String address = Addresses.run(graph) + ".stream." + java.util.UUID.randomUUID();
    long timeout = timeoutOf(options);
    RunEventStream stream = new RunEventStream(vertx, address, StreamSpec.DEFAULT_WINDOW, plus(timeout, REPLY_GRACE_MS),
        streamIdleTimeoutMs);
    RunOptions effective = new RunOptions(options).setTimeoutMs(timeout);
    if (effective.getControlToken() == null) {
      effective.setControlToken(io.graphloop.internal.bus.SecureIds.token());
    }
    String token = effective.getControlToken();
    stream.ready().onComplete(ready -> {
      if (ready.failed()) {
        stream.rejected(new GraphloopException(FailureCode.INTERNAL, "Could not listen for the run's events: "
            + ready.cause(), graph, null, null, null, ready.cause()));
        return;
      }
      RunRequest request;
      try {
        request = request(input, resume, effective,
            new StreamSpec(address, java.util.EnumSet.copyOf(java.util.List.of(modes)), StreamSpec.DEFAULT_WINDOW),
            null, 0, 0);
      } catch (IllegalArgumentException e) {
        stream.rejected(new GraphloopException(FailureCode.BAD_REQUEST, "Bad input for graph '" + graph + "': "
            + e.getMessage()));
        return;
      }
      vertx.eventBus().<Object>request(runAddress, request, delivery(REPLY_GRACE_MS * 6))
          .onSuccess(ack -> {
            io.vertx.core.json.JsonObject body = (io.vertx.core.json.JsonObject) ack.body();
            String runId = body.getString("runId");
            ControlTokens.remember(vertx, graph, runId, token);
            stream.onFinish(() -> ControlTokens.forget(vertx, graph, runId, token));
            stream.accepted(runId, body.getString("control"), token);
          })
          .onFailure(failure -> stream.rejected(failure(failure, REPLY_GRACE_MS * 6)));
    });
    return stream;
  }

  /**
   * Runs the graph once per input, at most {@code parallelism} runs at once; the results come in input order.
   * Fails with the first failure in input order (after every run has ended), like LangGraph's {@code batch}.
   */
  public Future<java.util.List<State>> batch(java.util.List<? extends Map<String, ?>> inputs, RunOptions options,
                                             int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be greater than or equal to 1, was " + parallelism);
    }
    if (options.getRunId() != null) {
      throw new IllegalArgumentException("batch gives every run its own id; leave RunOptions.runId unset");
    }
    return BatchRuns.run(this, inputs, options, parallelism);
  }

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
   * unambiguous). Continue the thread with {@link #proceed}. Fails with 423 while a run is in flight on the thread.
   */
  public Future<ThreadState> updateState(String threadId, Map<String, ?> values, String asNode) {
    return updateState(threadId, null, values, asNode);
  }

  /**
   * Updates thread {@code threadId}'s state at checkpoint {@code checkpointId}: on an earlier checkpoint than the
   * latest this forks the history (the update's checkpoint, source {@code update} as in LangGraph, has the earlier one
   * as parent; the original branch stays, and the update's checkpoint is the thread's latest, which {@link #proceed}
   * continues). {@code asNode} {@code "__copy__"} with no values saves a copy of the checkpoint instead (source
   * {@code fork}, same parent as the copied one; LangGraph's {@code as_node="__copy__"}). Tasks due because a
   * waiting join fired stay due after an update, as in LangGraph; tasks due by an edge are replaced by those of
   * {@code asNode}'s edges.
   */
  public Future<ThreadState> updateState(String threadId, String checkpointId, Map<String, ?> values, String asNode) {
    return threads(() -> ThreadRequest.update(threadId, checkpointId, values, asNode)).map(ThreadState.class::cast);
  }

  /**
   * Deletes thread {@code threadId} (LangGraph's thread delete): all its checkpoints and pending writes. Fails with
   * 404 when it has no checkpoint (or another owner's), 423 while a run holds it.
   */
  public Future<Void> deleteThread(String threadId) {
    return threads(() -> ThreadRequest.delete(threadId)).mapEmpty();
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

  private Future<Object> threads(java.util.function.Supplier<ThreadRequest> request) {
    return ThreadCalls.send(vertx, graph, request, STATE_TIMEOUT_MS, owner);
  }

  /** Like {@link #invoke(Map)}, waiting on the calling thread. */
  public State invokeAndWait(Map<String, ?> input) {
    return invokeAndWait(input, new RunOptions());
  }

  /**
   * Like {@link #invoke(Map, RunOptions)}, waiting on the calling thread for at most the run's timeout.
   *
   * @throws IllegalStateException when called on an event-loop thread: compose the future instead
   * @throws GraphloopException    when the run fails, as it would fail the future
   */
  public State invokeAndWait(Map<String, ?> input, RunOptions options) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("GraphClient.invokeAndWait() was called on event-loop thread '"
          + Thread.currentThread().getName() + "' (graph '" + graph + "'). Waiting here would block the event "
          + "loop and every verticle on it, and deadlock if the run needs this loop. Compose the Future instead: "
          + "client.invoke(input).onSuccess(state -> ...), or call invokeAndWait from a worker or a plain thread.");
    }
    BlockingWait<State> wait = new BlockingWait<>(home::linger); // the caller's next run may follow at once
    run(input, null, options, true).map(RunResult::values).onComplete(wait);
    long timeout = timeoutOf(options);
    try {
      long spin = home.callerSpinNanos(WAIT_SPIN_NANOS);
      io.vertx.core.AsyncResult<State> outcome = wait.await(TimeUnit.MILLISECONDS.toNanos(plus(timeout,
          REPLY_GRACE_MS + 1_000)), spin);
      home.callerWaited(spin, wait.hadToPark());
      if (outcome.succeeded()) {
        return outcome.result();
      }
      Throwable cause = outcome.cause();
      throw cause instanceof GraphloopException ? (GraphloopException) cause
          : new GraphloopException(FailureCode.INTERNAL, "Run of graph '" + graph + "' failed: " + cause,
              graph, null, null, null, cause);
    } catch (TimeoutException e) {
      throw new GraphloopException(FailureCode.TIMEOUT, "Graph '" + graph + "' did not answer within " + timeout
          + " ms; raise RunOptions.timeoutMs if the run needs longer.", graph, null, null, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphloopException(FailureCode.CANCELLED, "Interrupted while waiting for a run of graph '" + graph
          + "'; the run itself goes on.", graph, null, null, null, e);
    }
  }

  /** The graph this client runs. */
  public String graph() {
    return graph;
  }

  /**
   * {@code timeoutMs + graceMs}, saturated at {@code Long.MAX_VALUE}: a run without a deadline
   * ({@code timeoutMs = Long.MAX_VALUE}) must not wrap into a negative wait.
   */
  static long plus(long timeoutMs, long graceMs) {
    long sum = timeoutMs + graceMs;
    return sum < timeoutMs ? Long.MAX_VALUE : sum;
  }

  private long timeoutOf(RunOptions options) {
    return options.getTimeoutMs() > 0 ? options.getTimeoutMs() : defaultTimeoutMs;
  }

  private GraphloopException failure(Throwable cause, long timeout) {
    return io.graphloop.internal.bus.ReplyFailures.ofCoordinatorRequest(cause, graph, runAddress, timeout, "raise RunOptions.timeoutMs if the run needs longer.");
  }
}
