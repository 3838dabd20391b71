package io.graphloop.client;

import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/**
 * The event loop a {@link GraphClient} sends its runs from when it is called off every event loop (from a plain
 * thread, e.g. {@code main}, or from a worker): the run is handed to this loop in one task and goes out from there
 * as a run sent on an event loop does (its outcome comes back to the loop's {@link ClientChannel} by correlation id,
 * to a coordinator on the same loop when there is one). A request sent from a plain thread the ordinary way costs a
 * fresh context, a reply consumer and a timer per run, and lands its reply on an arbitrary loop: measured 16-20k
 * sequential {@code invokeAndWait} runs/s of the seed graph against 180-200k/s for runs composed on a loop.
 *
 * <p>The loop is picked once per client (round robin over the Vert.x instance's event loops) and kept, so one
 * caller's runs stay on warm caches. The context is made for the client and closed only with Vert.x.
 *
 * <p>Thread rules: {@link #context()} may be called from any thread; the context is created at most once.
 */
final class HomeLoop {

  private final Vertx vertx;
  private volatile ContextInternal context;

  HomeLoop(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The client's own event-loop context, created on first use. */
  ContextInternal context() {
    ContextInternal home = context;
    if (home == null) {
      synchronized (this) {
        home = context;
        if (home == null) {
          VertxInternal internal = (VertxInternal) vertx;
          home = internal.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
              .withEventLoop(internal.nettyEventLoopGroup().next()).build();
          context = home;
        }
      }
    }
    return home;
  }
}
