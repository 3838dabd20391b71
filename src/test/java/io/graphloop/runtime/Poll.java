package io.graphloop.runtime;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition in a test without blocking a thread: checks it on a chain of one-shot Vert.x timers, at most
 * {@code maxChecks} times, and never on a periodic timer cancelled from its own tick.
 *
 * <p>Why not {@code vertx.setPeriodic(..., id -> { if (done) vertx.cancelTimer(id); ... })}: Vert.x 5.0's
 * {@code setPeriodic}, called off the event loop that runs the timer (a JUnit thread, a worker, a callback on another
 * loop), hands the task to that loop first and stores its {@code ScheduledFuture} only afterwards. Under CPU load the
 * first tick can run in between; {@code cancelTimer} in that tick marks the timer disposed, then throws a
 * {@code NullPointerException} on the missing future, so the handler stops half-way and the timer never ticks again:
 * the test waits for its timeout (DrainTest under load 25-40: 8 of 200,000 such timers set from four plain threads
 * at load 33 threw, Vert.x 5.0.10). A one-shot timer needs no cancel: each check that fails sets the next one.
 *
 * <p>Thread rules: call from any thread; the condition runs on the timer's context (one check at a time), and the
 * returned future completes there.
 */
public final class Poll {

  private Poll() {
  }

  /**
   * Succeeds once {@code condition} holds, checked first after {@code periodMs} and then every {@code periodMs};
   * fails with an {@link AssertionError} saying {@code awaited} after {@code maxChecks} checks that did not hold.
   */
  public static Future<Void> until(Vertx vertx, long periodMs, int maxChecks, BooleanSupplier condition,
                                   Supplier<String> awaited) {
    if (periodMs < 1 || maxChecks < 1) {
      throw new IllegalArgumentException("a poll checks at least once, every 1 ms or more; was every " + periodMs
          + " ms, " + maxChecks + " times");
    }
    Promise<Void> done = Promise.promise();
    check(vertx, periodMs, maxChecks, condition, awaited, done);
    return done.future();
  }

  private static void check(Vertx vertx, long periodMs, int left, BooleanSupplier condition, Supplier<String> awaited,
                            Promise<Void> done) {
    vertx.setTimer(periodMs, id -> {
      boolean holds;
      try {
        holds = condition.getAsBoolean();
      } catch (RuntimeException | AssertionError e) {
        done.tryFail(e);
        return;
      }
      if (holds) {
        done.tryComplete();
      } else if (left <= 1) {
        done.tryFail(new AssertionError("not seen after checking every " + periodMs + " ms: " + awaited.get()));
      } else {
        check(vertx, periodMs, left - 1, condition, awaited, done);
      }
    });
  }
}
