package io.graphloop.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The heartbeats of a server's open event streams: one Vert.x periodic timer for all of them, where each stream had
 * one of its own (10,000 streams, 10,000 timers). Every {@link ServerOptions#getHeartbeatMs} each open stream gets a
 * heartbeat comment ({@link Sse#heartbeat}), so no stream is silent for longer than that (a stream's first heartbeat
 * may come sooner: the ticks are the server's, not the stream's). The timer runs only while streams are open: it
 * stops at the first tick that finds none.
 *
 * <p>Thread rules: confined to the context that made it (each HTTP loop has its own, for the streams of the
 * connections it serves, so a heartbeat is written on its connection's own thread); {@link #start} and {@link #stop}
 * may be called from any context and are handed to it ({@link Confined}); {@link #size} and {@link #ticking} read it
 * there.
 */
final class SseHeartbeats {

  private final Vertx vertx;
  private final long periodMs;
  private final Set<HttpServerResponse> open = new LinkedHashSet<>();
  private final io.vertx.core.Context context = Confined.current();
  private long timer = -1;

  /** Heartbeats every {@code periodMs} ({@code 0}: none). */
  SseHeartbeats(Vertx vertx, long periodMs) {
    this.vertx = vertx;
    this.periodMs = periodMs;
  }

  /** Starts the heartbeats of {@code response} (an open event stream) until {@link #stop} or its end. */
  void start(HttpServerResponse response) {
    if (periodMs <= 0) {
      return;
    }
    if (!Confined.on(context)) {
      Confined.run(context, () -> start(response));
      return;
    }
    open.add(response);
    if (timer < 0) {
      timer = vertx.setPeriodic(periodMs, id -> tick());
    }
  }

  /** Stops the heartbeats of {@code response} (it ended, or its client left). */
  void stop(HttpServerResponse response) {
    if (!Confined.on(context)) {
      Confined.run(context, () -> stop(response));
      return;
    }
    open.remove(response);
  }

  /** The streams getting heartbeats now. */
  int size() {
    return open.size();
  }

  /** Whether the shared timer is running. */
  boolean ticking() {
    return timer >= 0;
  }

  private void tick() {
    if (open.isEmpty()) {
      vertx.cancelTimer(timer);
      timer = -1;
      return;
    }
    List<HttpServerResponse> ended = null;
    for (HttpServerResponse response : open) {
      if (response.closed() || response.ended()) {
        if (ended == null) {
          ended = new ArrayList<>();
        }
        ended.add(response);
      } else {
        Sse.heartbeat(response);
      }
    }
    if (ended != null) {
      open.removeAll(ended);
    }
  }
}
