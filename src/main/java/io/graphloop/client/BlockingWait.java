package io.graphloop.client;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One blocked caller's wait for one outcome ({@link GraphClient#invokeAndWait}): the caller spins for at most
 * {@code spinNanos} (a short run's outcome is usually back by then, and a thread that never parks is not woken
 * through the scheduler), then parks until the outcome arrives, the timeout passes or it is interrupted.
 *
 * <p>Thread rules: {@link #handle} is called once, from any thread (an event loop); {@link #await} by the one waiting
 * thread. The two volatile fields order the hand-over: the completer writes the result, then reads the parked
 * thread; the waiter publishes itself, then reads the result, so a wake-up is never lost.
 */
final class BlockingWait<T> implements Handler<AsyncResult<T>> {

  private final Runnable afterHandOver;
  private volatile AsyncResult<T> result;
  private volatile Thread parked;
  private boolean hadToPark;

  /** A wait that runs {@code afterHandOver} on the completing thread once the outcome is handed over. */
  BlockingWait(Runnable afterHandOver) {
    this.afterHandOver = afterHandOver;
  }

  BlockingWait() {
    this(() -> { });
  }

  @Override
  public void handle(AsyncResult<T> outcome) {
    result = outcome;
    Thread waiter = parked;
    if (waiter != null) {
      LockSupport.unpark(waiter);
    }
    afterHandOver.run();
  }

  /** Whether {@link #await} had to park (the outcome was not there within the spin); read by the waiting thread. */
  boolean hadToPark() {
    return hadToPark;
  }

  /**
   * The outcome, waiting at most {@code timeoutNanos} of which at most {@code spinNanos} spinning.
   *
   * @throws TimeoutException     when no outcome came within {@code timeoutNanos}
   * @throws InterruptedException when the waiting thread was interrupted (its interrupt flag is cleared)
   */
  AsyncResult<T> await(long timeoutNanos, long spinNanos) throws TimeoutException, InterruptedException {
    long start = System.nanoTime();
    AsyncResult<T> outcome = result;
    while (outcome == null && System.nanoTime() - start < spinNanos) {
      Thread.onSpinWait();
      outcome = result;
    }
    if (outcome != null) {
      return outcome;
    }
    hadToPark = true;
    parked = Thread.currentThread();
    while ((outcome = result) == null) {
      long left = timeoutNanos - (System.nanoTime() - start);
      if (left <= 0) {
        throw new TimeoutException();
      }
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    return outcome;
  }
}
