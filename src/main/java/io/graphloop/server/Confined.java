package io.graphloop.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.function.Supplier;

/**
 * Runs work on the context that owns the state it touches. The server's state is confined, not locked: thread and
 * run records, the multitask strategies and the thread streams belong to the server verticle's context (its home),
 * a stateless run to the HTTP loop whose connection created it ({@link RunRecord#context()}), each loop's heartbeat
 * timer to that loop. A connection is served on one loop and its response's handlers (close, end, drain) fire there,
 * so code of one owner that reacts to a response of another loop hands the reaction to its owner with {@link #run}
 * or {@link #handler}; a result asked of another owner ({@link #call}) comes back on the asker's context, so what the
 * asker does with it is confined again. Never blocks: a hand-over is a task on the owner's loop.
 *
 * <p>Thread rules: every method may be called from any thread; a {@code null} owner means "no owner" (the work runs
 * at once, as for state made outside any context, in tests).
 */
final class Confined {

  private Confined() {
  }

  /** The context running now, without the request's duplicate (its root), or {@code null} off every context. */
  static Context current() {
    Context current = Vertx.currentContext();
    return current == null ? null : ((ContextInternal) current).unwrap();
  }

  /** Whether the code running now runs on {@code owner} (or {@code owner} is {@code null}). */
  static boolean on(Context owner) {
    return owner == null || current() == owner;
  }

  /** Runs {@code work} on {@code owner}: now when already there, else as a task of it. */
  static void run(Context owner, Runnable work) {
    if (on(owner)) {
      work.run();
    } else {
      owner.runOnContext(v -> work.run());
    }
  }

  /** {@code handler}, run on {@code owner} whichever context calls it. */
  static <T> Handler<T> handler(Context owner, Handler<T> handler) {
    return owner == null ? handler : event -> run(owner, () -> handler.handle(event));
  }

  /**
   * Runs {@code work} on {@code owner}; its outcome (a failure when it throws) completes the returned future on the
   * caller's context, so the caller's callbacks run where the caller's state lives.
   */
  static <T> Future<T> call(Context owner, Supplier<Future<T>> work) {
    if (on(owner)) {
      return attempt(work);
    }
    Context caller = current();
    Promise<T> promise = Promise.promise();
    owner.runOnContext(v -> attempt(work).onComplete(outcome -> {
      if (caller == null) {
        promise.handle(outcome);
      } else {
        caller.runOnContext(back -> promise.handle(outcome));
      }
    }));
    return promise.future();
  }

  private static <T> Future<T> attempt(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
