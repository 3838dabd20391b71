package io.graphloop.client;

import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.LimitReachedException;
import io.graphloop.internal.bus.LoopAffinity;
import io.graphloop.internal.bus.Owners;
import io.graphloop.internal.bus.ReplyFailures;
import io.graphloop.internal.bus.SecureIds;
import io.graphloop.protocol.RunRequest;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.internal.ContextInternal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client's run transport, the fast path of {@link GraphClient#run}: bounds the runs sent and not yet answered
 * ({@code maxPendingRuns}), keeps a run's capability token for {@link GraphClient#cancel(String)}, and sends the run
 * the cheapest way from where the caller is: on an event loop of the client's Vert.x, through that loop's
 * {@link ClientChannel} (the outcome comes back by correlation id, and while few runs are unfinished the run stays
 * on the caller's loop's coordinator); off every event loop, handed to the client's {@link HomeLoop} in one task and
 * sent from there; from another Vert.x instance's context, as a plain event-bus request. Failures are mapped by
 * {@link ReplyFailures#ofCoordinatorRequest}.
 *
 * <p>Thread-safe: its state is the pending-runs counter (atomic); each send runs on the caller's or the home loop.
 */
final class RunTransport {

  private final Vertx vertx;
  private final String graph;
  private final String runAddress;
  private final MessageProducer<Object> runProducer;
  private final LoopAffinity affinity;
  private final HomeLoop home;
  private final String owner;
  private final int maxPendingRuns;
  private final AtomicInteger pendingRuns = new AtomicInteger();

  RunTransport(Vertx vertx, String graph, String runAddress, HomeLoop home, String owner, int maxPendingRuns) {
    this.vertx = vertx;
    this.graph = graph;
    this.runAddress = runAddress;
    this.runProducer = vertx.eventBus().sender(runAddress);
    this.affinity = LoopAffinity.of(vertx);
    this.home = home;
    this.owner = owner;
    this.maxPendingRuns = maxPendingRuns;
  }

  /** The delivery options of a request, with the owner header when the client acts for one. */
  DeliveryOptions delivery(long sendTimeoutMs) {
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(sendTimeoutMs);
    return owner == null ? delivery : delivery.addHeader(Owners.HEADER, owner);
  }

  /**
   * Sends a run whose deadline is {@code timeout} ms. {@code forBlockedCaller}: the caller blocks its thread until the
   * outcome (invokeAndWait), so the outcome must not be handed to the caller's context (a worker's context runs
   * nothing else while its thread waits).
   */
  Future<RunResult> run(Map<String, ?> input, Object resume, RunOptions options, long timeout,
                        boolean forBlockedCaller) {
    if (pendingRuns.incrementAndGet() > maxPendingRuns) {
      pendingRuns.decrementAndGet();
      return Future.failedFuture(new LimitReachedException("GraphClient of graph '" + graph
          + "' has " + maxPendingRuns + " runs waiting for their outcome (maxPendingRuns); the run was not sent. "
          + "Retry later, bound your runs in flight (batch does), or create the client with a higher maxPendingRuns.",
          graph, null, null, null, "maxPendingRuns", maxPendingRuns));
    }
    return send(input, resume, options, timeout, forBlockedCaller).onComplete(answered -> pendingRuns.decrementAndGet());
  }

  private Future<RunResult> send(Map<String, ?> input, Object resume, RunOptions options, long timeout,
                                 boolean forBlockedCaller) {
    RunOptions effective = new RunOptions(options).setTimeoutMs(timeout);
    String runId = effective.getRunId();
    if (runId == null) {
      return submit(input, resume, effective, timeout, forBlockedCaller); // nobody knows the id before the end: nothing to cancel
    }
    if (effective.getControlToken() == null) {
      effective.setControlToken(SecureIds.token());
    }
    String token = effective.getControlToken();
    ControlTokens.remember(vertx, graph, runId, token); // for cancel(runId) from this JVM, while the run is in flight
    return submit(input, resume, effective, timeout, forBlockedCaller).onComplete(done -> ControlTokens.forget(vertx,
        graph, runId, token));
  }

  private Future<RunResult> submit(Map<String, ?> input, Object resume, RunOptions effective, long timeout,
                                   boolean forBlockedCaller) {
    Context context = Vertx.currentContext();
    if (context != null && context.isEventLoopContext() && context.owner() == vertx) {
      return runOnThisLoop(input, resume, effective, timeout);
    }
    if (context == null || context.owner() == vertx) {
      return runFromHomeLoop(forBlockedCaller ? null : (ContextInternal) context, input, resume, effective, timeout);
    }
    RunRequest request;
    try {
      request = RunRequests.request(input, resume, effective, null, null, 0, 0);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(RunRequests.badInput(graph, e));
    }
    return vertx.eventBus().<RunResult>request(runAddress, request,
            delivery(GraphClient.plus(timeout, GraphClient.REPLY_GRACE_MS)))
        .transform(reply -> reply.succeeded() ? Future.succeededFuture(reply.result().body())
            : Future.failedFuture(failure(reply.cause(), timeout)));
  }

  /**
   * Off every event loop (a plain thread, or a worker of this Vert.x instance): the run is handed to the client's
   * {@link HomeLoop} in one task and sent from there as from any event loop. The future completes on the caller's
   * context when it has one (a worker's callbacks stay on the worker), else on the home loop.
   */
  private Future<RunResult> runFromHomeLoop(ContextInternal caller, Map<String, ?> input, Object resume,
                                            RunOptions options, long timeout) {
    ContextInternal loop = home.context();
    Promise<RunResult> result = caller != null ? caller.promise() : loop.promise();
    home.execute(() -> runOnThisLoop(input, resume, options, timeout).onComplete(result));
    return result.future();
  }

  /**
   * On an event loop, the outcome comes back to this loop's {@link ClientChannel} by correlation id. The request goes
   * to the coordinator on this loop while fewer than {@link GraphClient#LOCAL_RUNS} runs sent there from this loop
   * are unfinished (no hop to another thread: measured chain steps 0.85 us instead of 1.39 us), else to the graph's
   * public run address, which spreads runs over the coordinators of every event loop (a burst of 10,000 runs from
   * one caller took 0.61 s kept on one loop, 0.30 s spread). Each run's node executions then stay on its
   * coordinator's loop.
   */
  private Future<RunResult> runOnThisLoop(Map<String, ?> input, Object resume, RunOptions options, long timeout) {
    ClientChannel channel = ClientChannel.onThisLoop(vertx);
    ContextInternal caller = (ContextInternal) Vertx.currentContext();
    Future<Void> ready = channel.ready();
    return ready.succeeded() ? sendOnThisLoop(channel, caller, input, resume, options, timeout)
        : ready.compose(registered -> sendOnThisLoop(channel, caller, input, resume, options, timeout));
  }

  private Future<RunResult> sendOnThisLoop(ClientChannel channel, ContextInternal caller, Map<String, ?> input,
                                           Object resume, RunOptions options, long timeout) {
    ClientChannel.LoopRoute route = channel.routeTo(runAddress);
    boolean local = channel.keepLocal(GraphClient.LOCAL_RUNS) && affinity.choose(route.address(), null) != null;
    RunWait wait = new RunWait(channel, caller, local, timeout);
    if (local) {
      channel.localStarted(); // before anything can complete the wait, which counts the end
    }
    long tag = SecureIds.nextNonZeroLong(); // only the coordinator learns it: no forged outcomes
    long correlation = channel.await(GraphClient.plus(timeout, GraphClient.REPLY_GRACE_MS), tag, wait);
    RunRequest request;
    try {
      request = RunRequests.request(input, resume, options, null, channel.address(), correlation, tag);
    } catch (IllegalArgumentException e) {
      channel.pending().answer(correlation, tag, null, RunRequests.badInput(graph, e));
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
  private final class RunWait implements Completable<RunResult> {
    private final Promise<RunResult> result;
    private final ClientChannel channel;
    private final boolean local;
    private final long timeout;

    RunWait(ClientChannel channel, ContextInternal caller, boolean local, long timeout) {
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

  /** What a run request failed with, as a {@link GraphloopException}. */
  GraphloopException failure(Throwable cause, long timeout) {
    return ReplyFailures.ofCoordinatorRequest(cause, graph, runAddress, timeout,
        "raise RunOptions.timeoutMs if the run needs longer.");
  }
}
