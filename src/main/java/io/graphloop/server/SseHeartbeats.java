package io.graphloop.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The heartbeats of a server's open event streams: one Vert.x periodic timer for all of them, where each stream had
 * one of its own (10,000 streams, 10,000 timers). No stream is silent for longer than
 * {@link ServerOptions#getHeartbeatMs} (the period) without a heartbeat comment ({@link Sse#heartbeat}), and a stream
 * gets its first heartbeat only once it has been open for most of the period: a stream that ends sooner (a run of a
 * few hundred milliseconds, against the default 5 s) gets none. The timer ticks {@value #TICKS_PER_PERIOD} times a
 * period; a stream is due at the tick that finds it open (or last heartbeaten) for a whole period counted in ticks, so
 * between {@code period - tick} and {@code period} after. Before, every open stream got a heartbeat at each of the
 * server's ticks whatever its age, so a tick falling among 10,000 streams of 100 ms wrote (and flushed) a heartbeat to
 * each of them. The streams are kept in the order they were last due (a heartbeat moves a stream to the end), so a
 * tick visits only the due ones and the first that is not. The timer runs only while streams are open: it stops at the
 * first tick that finds none.
 *
 * <p>Thread rules: confined to the context that made it (each HTTP loop has its own, for the streams of the
 * connections it serves, so a heartbeat is written on its connection's own thread); {@link #start} and {@link #stop}
 * may be called from any context and are handed to it ({@link Confined}); {@link #size} and {@link #ticking} read it
 * there.
 */
final class SseHeartbeats {

  /** Ticks per period: a stream's first heartbeat comes between 3/4 of the period and the period after it opened. */
  static final int TICKS_PER_PERIOD = 4;

  private final Vertx vertx;
  private final long periodMs;
  /** The timer's period. */
  private final long tickMs;
  /** The ticks after which an open stream is due (their time never more than {@link #periodMs}). */
  private final long dueTicks;
  /** The open streams, each with the tick count when it opened or last got a heartbeat; oldest first. */
  private final LinkedHashMap<HttpServerResponse, Long> open = new LinkedHashMap<>();
  private final io.vertx.core.Context context = Confined.current();
  private long timer = -1;
  /** The ticks so far (never reset: a stream's count is compared with it). */
  private long ticks;

  /** Heartbeats every {@code periodMs} ({@code 0}: none). */
  SseHeartbeats(Vertx vertx, long periodMs) {
    this.vertx = vertx;
    this.periodMs = periodMs;
    this.tickMs = Math.max(1, periodMs / TICKS_PER_PERIOD);
    this.dueTicks = Math.max(1, periodMs / tickMs);
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
    open.put(response, ticks);
    if (timer < 0) {
      timer = vertx.setPeriodic(tickMs, id -> tick());
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
    long now = ++ticks;
    List<HttpServerResponse> beaten = null;
    Iterator<Map.Entry<HttpServerResponse, Long>> streams = open.entrySet().iterator();
    while (streams.hasNext()) {
      Map.Entry<HttpServerResponse, Long> stream = streams.next();
      HttpServerResponse response = stream.getKey();
      if (response.closed() || response.ended()) {
        streams.remove(); // a stream whose client left without its close reaching stop
        continue;
      }
      if (now - stream.getValue() < dueTicks) {
        break; // it and every later one (opened or beaten since) are not due
      }
      streams.remove();
      Sse.heartbeat(response);
      if (beaten == null) {
        beaten = new ArrayList<>();
      }
      beaten.add(response);
    }
    if (beaten != null) {
      for (HttpServerResponse response : beaten) {
        open.put(response, now); // to the end: due again a period from now
      }
    }
  }
}
