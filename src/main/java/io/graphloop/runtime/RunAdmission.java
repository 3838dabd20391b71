package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.LimitReachedException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.internal.bus.Owners;
import io.graphloop.internal.bus.SecureIds;
import io.graphloop.protocol.RequestBodies;
import io.graphloop.protocol.RunRequest;
import io.graphloop.run.RunOptions;
import io.vertx.core.Context;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;

import java.util.Map;

/**
 * A coordinator's admission: reads a run request (a {@link RunRequest}, or its JSON form, bounded by
 * {@code maxRequestBytes}) and decides whether to take it, refusing it with a clear failure (see {@link RunReplies})
 * when it cannot be read, the coordinator drains, its event loop's backlog is over {@code maxRunBacklog}, it has
 * {@code maxInFlightRuns} runs already, the run id is in flight, a breakpoint names an unknown node, or the request
 * needs a thread (a resume, a checkpoint) it does not name or the graph has no checkpointer for. A refused request
 * never disturbs other runs.
 *
 * <p>Thread rules: confined to its coordinator's event loop.
 */
final class RunAdmission {

  /**
   * A request taken: its options, whether it came as JSON (it is answered so), its run id, its capability token
   * ({@code null}: none), its deadline, and the owner its headers name (only for a run on a thread).
   */
  record Admitted(RunRequest request, RunOptions options, boolean json, String runId, String token, long timeoutMs,
                  String owner) {

    /** Whether the run goes on a thread (it is prepared by {@link ThreadRuns} first). */
    boolean onThread() {
      return options.getThreadId() != null;
    }

    /** The Command the request gives as its input (update and goto), or {@code null}. */
    RunStart.CommandInput command() {
      return request.commandUpdate() == null && request.commandGoto().isEmpty() ? null
          : new RunStart.CommandInput(request.commandUpdate(), request.commandGoto());
    }

    /** The input of a run without a thread: the request's, or an empty map when it gives only a Command. */
    Map<String, Object> input() {
      return request.input() == null ? Map.of() : request.input();
    }
  }

  /** What the coordinator knows of its runs that admission asks. */
  interface Runs {
    /** Runs in flight or waiting for their thread. */
    int count();

    /** Whether a run with this id is in flight or waits for its thread. */
    boolean has(String runId);
  }

  private final CompiledGraph graph;
  private final GraphRuntimeOptions options;
  private final Drain drain;
  private final Context context;
  private final Runs runs;
  private final boolean threads;
  private final RunReplies replies;

  /** @param threads whether the graph was deployed with a checkpointer (runs on threads are possible) */
  RunAdmission(CompiledGraph graph, GraphRuntimeOptions options, Drain drain, Context context, Runs runs,
               boolean threads, RunReplies replies) {
    this.graph = graph;
    this.options = options;
    this.drain = drain;
    this.context = context;
    this.runs = runs;
    this.threads = threads;
    this.replies = replies;
  }

  /** The request of {@code message} if it is taken, else {@code null} (it has been answered with why not). */
  Admitted admit(Message<Object> message) {
    Object body = message.body();
    boolean json = !(body instanceof RunRequest);
    RunRequest request;
    try {
      request = json ? RunRequest.fromJson(RequestBodies.json(body, options.getMaxRequestBytes(),
          "a RunRequest or a JSON object {\"input\": {...}, \"options\": {...}}")) : (RunRequest) body;
    } catch (IllegalArgumentException | DecodeException | io.vertx.core.json.EncodeException | ClassCastException e) {
      // (a JSON object nested too deep is refused by RequestBodies' depth check, measured without recursion)
      replies.reject(message, FailureCode.BAD_REQUEST, "Bad run request for graph '" + graph.name() + "': "
          + e.getMessage());
      return null;
    }
    if (drain.draining()) {
      replies.refuse(message, request, json, Drain.refusal(graph.name()));
      return null;
    }
    int backlog = loopBacklog();
    if (backlog > options.getMaxRunBacklog()) {
      replies.refuse(message, request, json, new LimitReachedException("Coordinator of graph '" + graph.name()
          + "' is overloaded: " + backlog + " tasks wait on its event loop (maxRunBacklog " + options.getMaxRunBacklog()
          + "). Retry later, or send fewer runs at once (GraphClient.batch bounds them).", graph.name(), null, null,
          null, "maxRunBacklog", options.getMaxRunBacklog()));
      return null;
    }
    int inFlight = runs.count();
    if (inFlight >= options.getMaxInFlightRuns()) {
      replies.refuse(message, request, json, new LimitReachedException("Coordinator of graph '" + graph.name()
          + "' is overloaded: " + inFlight + " runs in flight (maxInFlightRuns " + options.getMaxInFlightRuns()
          + "). Retry later, or raise GraphRuntimeOptions.maxInFlightRuns or coordinatorInstances.", graph.name(),
          null, null, null, "maxInFlightRuns", options.getMaxInFlightRuns()));
      return null;
    }
    RunOptions runOptions = request.options();
    String runId = runOptions.getRunId() == null ? RunIds.next() : runOptions.getRunId();
    String refusal = refusal(request, runOptions, runId);
    if (refusal != null) {
      replies.refuse(message, request, json, new GraphloopException(FailureCode.BAD_REQUEST, refusal, graph.name(),
          runId, null, null, null));
      return null;
    }
    long timeout = runOptions.getTimeoutMs() > 0 ? runOptions.getTimeoutMs() : options.getRunTimeoutMs();
    // the capability token: the submitter's own, else one made here for a streamed run (its acknowledgement hands it
    // over); a run answered only at its end with no token of its own has none, so nobody can cancel it
    String token = runOptions.getControlToken() != null ? runOptions.getControlToken()
        : request.stream() != null ? SecureIds.token() : null;
    String owner = null; // only threads have owners: a run without one never reads the headers (no map is made)
    if (runOptions.getThreadId() != null) {
      try {
        owner = Owners.of(message.headers());
      } catch (IllegalArgumentException e) {
        replies.refuse(message, request, json, new GraphloopException(FailureCode.BAD_REQUEST, "Bad run request for "
            + "graph '" + graph.name() + "': " + e.getMessage(), graph.name(), runId, null, null, null));
        return null;
      }
    }
    return new Admitted(request, runOptions, json, runId, token, timeout, owner);
  }

  /** Why a readable request with run id {@code runId} is refused as a bad request, or {@code null}. */
  private String refusal(RunRequest request, RunOptions runOptions, String runId) {
    if (runs.has(runId)) {
      return "Run " + runId + " of graph '" + graph.name() + "' is already in flight; use a new run id.";
    }
    try {
      graph.checkNodeNames("RunOptions.interruptBefore", runOptions.getInterruptBefore());
      graph.checkNodeNames("RunOptions.interruptAfter", runOptions.getInterruptAfter());
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (runOptions.getThreadId() == null) {
      if (request.resume() != null || runOptions.getCheckpointId() != null) {
        return "Resuming or starting from a checkpoint needs a thread: set RunOptions.threadId.";
      }
      if (request.input() == null && request.commandUpdate() == null && request.commandGoto().isEmpty()) {
        return "Received no input for " + StateGraph.START + " (LangGraph's EmptyInputError): a run without a thread "
            + "needs an input (an empty map is one); to continue a thread, set RunOptions.threadId.";
      }
      return null;
    }
    if (!threads) {
      return "Graph '" + graph.name() + "' was deployed without a checkpointer, so it cannot run on thread '"
          + runOptions.getThreadId() + "'; deploy it with GraphRuntimeOptions.setCheckpointer(...) (e.g. "
          + "{\"type\": \"sqlite\"}).";
    }
    return null;
  }

  /**
   * How many tasks wait on the coordinator's event loop: under a burst, mostly run requests not read yet. Netty counts
   * them in its queue (constant time); 0 when the loop is not one that says.
   */
  private int loopBacklog() {
    io.netty.channel.EventLoop loop = ((io.vertx.core.internal.ContextInternal) context).nettyEventLoop();
    return loop instanceof io.netty.util.concurrent.SingleThreadEventExecutor
        ? ((io.netty.util.concurrent.SingleThreadEventExecutor) loop).pendingTasks() : 0;
  }

  /** The coordinator's runs as admission sees them: those in flight, and those waiting for their thread. */
  static Runs runs(Map<String, RunDriver> running, RunCancellation cancellation) {
    return new Runs() {
      @Override
      public int count() {
        return running.size() + cancellation.waitingRuns();
      }

      @Override
      public boolean has(String runId) {
        return running.containsKey(runId) || cancellation.isWaiting(runId);
      }
    };
  }
}
