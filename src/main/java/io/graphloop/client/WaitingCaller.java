package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.state.State;
import io.vertx.core.Context;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link GraphClient#invokeAndWait}: a run whose caller waits for it on its own thread, spinning briefly and then
 * parking ({@link BlockingWait}), with the caller's home loop told how the wait went ({@link HomeLoop}).
 *
 * <p>Thread rules: called on the waiting thread, never an event loop (it throws there at once); the run's outcome
 * arrives on an event loop and wakes the waiter. Stateless.
 */
final class WaitingCaller {

  /**
   * How long {@link GraphClient#invokeAndWait} spins before it parks the waiting thread, in nanoseconds: system property
   * {@code graphloop.client.waitSpinMicros} (default 200 us, 0 to park at once). A short run's outcome is back within
   * it, and a thread woken by a spin is not woken through the OS scheduler. Worst case: each wait spins at most this
   * long (a caller whose runs take just under it keeps a core busy while it waits); when spins keep ending empty
   * (longer runs, or busy cores) the client's {@link SpinRule} turns them off: after two empty spins in a row, then
   * one per 65, 129, ... waits, at most one per 4,097 waits from then on.
   * 50 us was too short on 2 cores: the seed graph's round trip (three nodes, 0 ms) often took longer, the caller
   * parked, spinning was then skipped, and one run in flight did 36-58k runs/s against 201k with 200 us (issue 17,
   * BENCHMARKS.md "Issue 17: scaling, like for like").
   */
  static final long WAIT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Math.max(0,
      Long.getLong("graphloop.client.waitSpinMicros", 200)));
  private WaitingCaller() {
  }

  /**
   * Sends the run through {@code transport} and waits on the calling thread for its values, at most {@code timeout}
   * plus the reply grace and a second.
   *
   * @throws IllegalStateException when called on an event-loop thread
   * @throws GraphloopException    when the run fails, times out, or the wait is interrupted
   */
  static State invoke(RunTransport transport, HomeLoop home, String graph, Map<String, ?> input, RunOptions options,
                      boolean ownsOptions, long timeout) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("GraphClient.invokeAndWait() was called on event-loop thread '"
          + Thread.currentThread().getName() + "' (graph '" + graph + "'). Waiting here would block the event "
          + "loop and every verticle on it, and deadlock if the run needs this loop. Compose the Future instead: "
          + "client.invoke(input).onSuccess(state -> ...), or call invokeAndWait from a worker or a plain thread.");
    }
    BlockingWait<State> wait = new BlockingWait<>(home::linger); // the caller's next run may follow at once
    transport.run(input, null, options, ownsOptions, timeout, true, RunResult::values).onComplete(wait);
    try {
      long spin = home.callerSpinNanos(WAIT_SPIN_NANOS);
      io.vertx.core.AsyncResult<State> outcome = wait.await(TimeUnit.MILLISECONDS.toNanos(GraphClient.plus(timeout,
          GraphClient.REPLY_GRACE_MS + 1_000)), spin);
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
}
