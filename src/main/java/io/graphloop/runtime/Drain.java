package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Whether a deployment's coordinators still admit runs, and the wait for its runs in flight to end once they do not
 * ({@link GraphRuntime#drain}). Shared by the deployment's coordinators.
 *
 * <p>Thread rules: thread-safe; the flag is read on the coordinators' event loops, set from any thread.
 */
final class Drain {

  /** How often the wait looks at the runs in flight. */
  static final long POLL_MS = 20;

  private volatile boolean draining;

  boolean draining() {
    return draining;
  }

  /** The refusal of a run while draining. */
  static GraphloopException refusal(String graph) {
    return new GraphloopException(FailureCode.DRAINING, "Coordinator of graph '" + graph + "' is draining (its member "
        + "is shutting down) and admits no new run; send it to another member, or retry once the member is back.",
        graph, null, null, null, null);
  }

  /**
   * Stops admitting runs, then completes once no run is in flight or {@code timeoutMs} passed, with the number of runs
   * still in flight then (0: all ended). Polls every {@link #POLL_MS} ms, on no event loop's time but a timer's.
   */
  Future<Integer> start(Vertx vertx, RuntimeMetrics metrics, long timeoutMs) {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("A drain timeout is 0 or more milliseconds, was " + timeoutMs + ".");
    }
    draining = true;
    Promise<Integer> done = Promise.promise();
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    check(vertx, metrics, deadline, done);
    return done.future();
  }

  private static void check(Vertx vertx, RuntimeMetrics metrics, long deadline, Promise<Integer> done) {
    int inFlight = metrics.runsInFlight();
    if (inFlight == 0 || System.nanoTime() - deadline >= 0) {
      done.complete(inFlight);
      return;
    }
    vertx.setTimer(POLL_MS, id -> check(vertx, metrics, deadline, done));
  }
}
