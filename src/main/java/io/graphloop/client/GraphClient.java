package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.Codecs;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamMode;
import io.graphloop.protocol.ThreadRequest;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.function.Function;

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
 * {@code graphloop.<graph>.threads}; those thread operations are {@link ThreadStateClient}'s, which this class
 * extends).
 *
 * <p>This class is the API; each job behind it is a class of its own: {@link RunTransport} sends runs (the pending
 * bound, the caller's loop, the home loop), {@link RunStreams} starts streamed runs, {@link RunCancels} cancels,
 * {@link ThreadCalls} asks about threads, {@link BatchRuns} schedules a batch, {@link WaitingCaller} waits for
 * {@link #invokeAndWait} (with {@link BlockingWait}), {@link RunRequests} builds the requests, and
 * {@link io.graphloop.internal.bus.ReplyFailures} maps what a request failed with.
 *
 * <p>Thread-safe and cheap: create one per graph and share it.
 */
public final class GraphClient extends ThreadStateClient {

  /** A run's deadline when neither the run nor the client says otherwise. */
  public static final long DEFAULT_TIMEOUT_MS = 600_000;
  /** How much longer than a run's deadline the client waits for the coordinator's answer. */
  public static final long REPLY_GRACE_MS = 5_000;
  /** Unfinished runs sent to the caller's own coordinator below which a run stays on the caller's event loop. */
  public static final int LOCAL_RUNS = 16;
  /** The system property that sets {@link #localStreams()}. */
  public static final String LOCAL_STREAMS_PROPERTY = LocalStreams.LIMIT_PROPERTY;
  /** The system property that sets how far one loop's local streams may go above the loops' mean. */
  public static final String LOCAL_STREAMS_MARGIN_PROPERTY = LocalStreams.MARGIN_PROPERTY;

  /**
   * Unended streams consumed on one event loop whose runs went to that loop's coordinator, below which a new stream's
   * run goes there too: its nodes, their model connections and the consumer then share one thread, and each event
   * (each token) reaches the consumer without waking another loop. System property {@value #LOCAL_STREAMS_PROPERTY},
   * read per stream; default 1000 (on); 0 turns it off: every streamed run is then spread over the coordinators, as
   * a run address does.
   * A balance rule ({@value #LOCAL_STREAMS_MARGIN_PROPERTY}, default 16) keeps one loop from taking more than its
   * share: where every consumer sits on one loop, only about that many of its streams stay local (see
   * {@code LocalStreams}). Throws {@link IllegalArgumentException} when the property is not a whole number of at least 0.
   */
  public static int localStreams() {
    return LocalStreams.limit();
  }

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
  private final long defaultTimeoutMs;
  private final long streamIdleTimeoutMs;
  private final int maxPendingRuns;
  private final String owner;
  private final HomeLoop home;
  /** Sends the runs (see {@link RunTransport}); streams, cancels and thread requests have classes of their own. */
  private final RunTransport transport;

  private GraphClient(Vertx vertx, String graph, long defaultTimeoutMs, int maxPendingRuns,
                      long streamIdleTimeoutMs, String owner) {
    this.owner = owner;
    this.vertx = vertx;
    this.maxPendingRuns = maxPendingRuns;
    this.graph = graph;
    this.defaultTimeoutMs = defaultTimeoutMs;
    this.streamIdleTimeoutMs = streamIdleTimeoutMs;
    this.home = new HomeLoop(vertx);
    this.transport = new RunTransport(vertx, graph, Addresses.run(graph), home, owner, maxPendingRuns);
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

  /** Runs the graph on {@code input}; the future holds the final state. */
  public Future<State> invoke(Map<String, ?> input) {
    RunOptions options = new RunOptions(); // made here and held by nobody else: the run's own, not copied
    return transport.run(input, null, options, true, timeoutOf(options), false, RunResult::values);
  }

  /** Runs the graph on {@code input} with {@code options}; the future holds the final state. */
  public Future<State> invoke(Map<String, ?> input, RunOptions options) {
    return transport.run(input, null, options, false, timeoutOf(options), false, RunResult::values);
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
    String refused = RunRequests.refusedAsInput(command);
    if (refused != null) {
      return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, refused));
    }
    return run(null, RunRequests.asInput(command), options);
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
    String refused = RunRequests.refusedAsInput(command);
    if (refused != null) {
      return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, refused));
    }
    return transport.run(null, RunRequests.asInput(command), options, false, timeoutOf(options), false,
        RunResult::values);
  }

  private Future<RunResult> run(Map<String, ?> input, Object resume, RunOptions options) {
    return run(input, resume, options, false);
  }

  /** {@code forBlockedCaller}: see {@link RunTransport#run}. */
  private Future<RunResult> run(Map<String, ?> input, Object resume, RunOptions options, boolean forBlockedCaller) {
    return transport.run(input, resume, options, false, timeoutOf(options), forBlockedCaller, Function.identity());
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
    return RunCancels.cancel(vertx, graph, runId, token);
  }

  /**
   * Runs the graph and streams its events in {@code modes} (LangGraph's {@code stream_mode}; several at once).
   * The stream ends with an {@code end} event holding the final state, or fails with the run's
   * {@link GraphloopException}. It applies backpressure: pausing it stops delivery at the run's coordinator,
   * which holds the run between steps while its bounded buffer is full. {@link RunEventStream#runId()} gives the
   * run's id (e.g. to {@link #cancel} it).
   *
   * <p>Call it on the context that will consume the stream (e.g. inside a verticle); the handlers run there. On a
   * thread, a {@code null} input continues it from its checkpoint (LangGraph's {@code stream(None, config)}). A stream
   * opened on an event loop of a Vert.x that coordinates the graph has its run coordinated on that same loop, so its
   * events reach the handler without a thread hop, within {@link #localStreams()} and its balance rule.
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
    String refused = RunRequests.refusedAsInput(command);
    if (refused != null) {
      throw new IllegalArgumentException(refused);
    }
    return stream(null, RunRequests.asInput(command), options, modes);
  }

  private RunEventStream stream(Map<String, ?> input, Object resume, RunOptions options, StreamMode... modes) {
    return RunStreams.open(vertx, graph, transport, input, resume, options, timeoutOf(options), streamIdleTimeoutMs,
        modes);
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

  /** Sends a thread request ({@link ThreadStateClient}) to the graph's threads address, as this client's owner. */
  @Override
  Future<Object> threads(java.util.function.Supplier<ThreadRequest> request) {
    return ThreadCalls.send(vertx, graph, request, STATE_TIMEOUT_MS, owner);
  }

  /** Like {@link #invoke(Map)}, waiting on the calling thread. */
  public State invokeAndWait(Map<String, ?> input) {
    return invokeAndWait(input, new RunOptions(), true); // options made here: the run's own, not copied
  }

  /**
   * Like {@link #invoke(Map, RunOptions)}, waiting on the calling thread for at most the run's timeout. The thread
   * spins at most {@code graphloop.client.waitSpinMicros} (200 us) before it parks, and stops spinning while its
   * spins keep ending empty ({@link SpinRule}: long runs or busy cores cost 9 empty spins in the first 10,000 waits,
   * then one per 4,097).
   *
   * @throws IllegalStateException when called on an event-loop thread: compose the future instead
   * @throws GraphloopException    when the run fails, as it would fail the future
   */
  public State invokeAndWait(Map<String, ?> input, RunOptions options) {
    return invokeAndWait(input, options, false);
  }

  private State invokeAndWait(Map<String, ?> input, RunOptions options, boolean ownsOptions) {
    return WaitingCaller.invoke(transport, home, graph, input, options, ownsOptions, timeoutOf(options));
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
}
