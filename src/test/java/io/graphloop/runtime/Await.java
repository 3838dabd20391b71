package io.graphloop.runtime;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for futures on the JUnit thread, for tests that take many steps in order (each wait bounded). Never on an
 * event loop: it throws there.
 */
public final class Await {

  public static final long WAIT_SECONDS = 20;

  private Await() {
  }

  /** The future's result; its failure is rethrown as it is (a RuntimeException) or wrapped. */
  public static <T> T result(Future<T> future) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("Await.result must not be called on an event loop");
    }
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
          : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no result within " + WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The future's failure; fails the test if it succeeds. */
  public static Throwable failure(Future<?> future) {
    try {
      Object result = result(future);
      throw new AssertionError("expected a failure, got " + result);
    } catch (RuntimeException e) {
      return e;
    }
  }
}
