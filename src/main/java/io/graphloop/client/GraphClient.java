package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.Codecs;
import io.graphloop.run.CheckpointConfig;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamMode;
import io.graphloop.protocol.ThreadRequest;
import io.graphloop.run.ThreadState;
import io.graphloop.run.ThreadUpdate;
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
 * {@code graphloop.<graph>.threads}).
 *
 * <p>This class is the API; each job behind it is a class of its own: {@link RunTransport} sends runs (the pending
 * bound, the caller's loop, the home loop), {@link RunStreams} starts streamed runs, {@link RunCancels} cancels,
 * {@link ThreadCalls} asks about threads, {@link BatchRuns} schedules a batch, {@link WaitingCaller} waits for
 * {@link #invokeAndWait} (with {@link BlockingWait}), {@link RunRequests} builds the requests, and
 * {@link io.graphloop.internal.bus.ReplyFailures} maps what a request failed with.
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
  /** The system property that sets {@link #localStreams()}. */
  public static final String LOCAL_STREAMS_PROPERTY = LocalStreams.LIMIT_PROPERTY;
  /** The system property that sets how far one loop's local streams may go above the loops' mean. */
  public static final String LOCAL_STREAMS_MARGIN_PROPERTY = LocalStreams.MARGIN_PROPERTY;

  /**
   * Unended streams consumed on one event loop whose runs went to that loop's coordinator, below which a new stream's
   * run goes there too: its nodes, their model connections and the consumer then share one thread, and each event
   * (each token) reaches the consumer without waking another loop. System property {@value #LOCAL_STREAMS_PROPERTY},
   * read per stream; default 0, off: every streamed run is spread over the coordinators, as a run address does.
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

  private Future<Object> threads(java.util.function.Supplier<ThreadRequest> request) {
    return ThreadCalls.send(vertx, graph, request, STATE_TIMEOUT_MS, owner);
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
