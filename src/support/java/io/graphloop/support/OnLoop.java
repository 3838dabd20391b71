package io.graphloop.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.function.Supplier;

/**
 * Starts Vert.x HTTP client calls on an event loop of a given Vert.x, for the tests (and anything else that calls from a
 * thread outside that Vert.x, such as JUnit's thread or another Vert.x's loop).
 *
 * <p>Why: Vert.x 5.0.10's {@code HttpClientResponseImpl} drops a response's chunks and end that arrive before
 * {@code body()}, {@code handler()} or {@code endHandler()} was called (eclipse-vertx/vert.x#6038, fixed by PR
 * #6064/#6071 after 5.0.10; no later 5.0.x is served here). A chain such as {@code client.request(..).compose(req ->
 * req.send()).compose(resp -> resp.body())} built on a thread outside the client's Vert.x attaches each step while the
 * client's loop may already be running the earlier ones: if the response arrived before the last step was attached,
 * that step runs in a task of its own after the end was read, and {@code body()} never completes (a test times out)
 * or a handler misses the first chunks. Seen here: 2 stalled of 2,900 fresh servers when requests were started from
 * JUnit's thread (always a fresh Vert.x's first request: its 200 head received, no end, both sockets drained), 0 of
 * 1,400 when started on an event loop. Built inside one task on a loop, every step is attached before that loop can
 * read the response. vertx-web-client's {@code WebClient} is not exposed: it attaches its body handling to the
 * response's future before sending, and pauses the response there.
 *
 * <p>Thread rules: callable from any thread. {@code calls} runs on an event-loop context of {@code vertx} (the
 * caller's own when it is on one, else a new one); the returned future belongs to that context, so a step attached to
 * it later runs on that loop too, never on the caller's thread.
 */
public final class OnLoop {

  private OnLoop() {
  }

  /**
   * Runs {@code calls} on an event loop of {@code vertx} and completes with what its future completes with; it fails
   * with what {@code calls} throws (an {@link AssertionError} included).
   */
  public static <T> Future<T> run(Vertx vertx, Supplier<Future<T>> calls) {
    VertxInternal owner = (VertxInternal) vertx;
    ContextInternal current = owner.getOrCreateContext();
    ContextInternal loop = current.isEventLoopContext() ? current : owner.createEventLoopContext();
    Promise<T> done = loop.promise();
    loop.runOnContext(start -> {
      try {
        calls.get().onComplete(done);
      } catch (RuntimeException | AssertionError e) {
        done.fail(e);
      }
    });
    return done.future();
  }
}
