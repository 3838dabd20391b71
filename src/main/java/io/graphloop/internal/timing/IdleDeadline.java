package io.graphloop.internal.timing;

import io.vertx.core.Vertx;

/**
 * The idle timeout of one node attempt (LangGraph's {@code TimeoutPolicy.idle_timeout}): fires when the attempt has
 * gone {@code idleTimeoutMs} without progress. Progress is recorded as a timestamp ({@link #progress()} for stream
 * events and message chunks, ignored in heartbeat-only mode; {@link #heartbeat()} always), not by resetting a timer:
 * one Vert.x timer is pending at a time, and when it fires early (progress came meanwhile) it is set again for the
 * rest of the window, so a node that emits thousands of events costs one volatile write per event.
 *
 * <p>Thread rules: started on the node's verticle context (its timers fire there); {@link #progress()},
 * {@link #heartbeat()} and {@link #stop()} may be called from any thread (the node's event loop, a worker, a virtual
 * thread).
 *
 * <p>Internal: used by the runtime's node executions and the functional API's task calls.
 */
public final class IdleDeadline {

  /** Hears that the window passed without progress, with the attempt's elapsed time in ms. */
  public interface OnIdle {
    void idle(long elapsedMs);
  }

  private final Vertx vertx;
  private final long idleNanos;
  private final long idleMs;
  private final boolean heartbeatOnly;
  private final OnIdle onIdle;
  private final long startedNanos;
  private volatile long lastProgressNanos;
  private volatile long timer = -1;
  private volatile boolean stopped;

  private IdleDeadline(Vertx vertx, long idleMs, boolean heartbeatOnly, OnIdle onIdle) {
    this.vertx = vertx;
    this.idleMs = idleMs;
    this.idleNanos = idleMs * 1_000_000L;
    this.heartbeatOnly = heartbeatOnly;
    this.onIdle = onIdle;
    this.startedNanos = System.nanoTime();
    this.lastProgressNanos = startedNanos;
  }

  /** Starts watching an attempt whose idle timeout is {@code idleMs} (at least 1). Call on the node's context. */
  public static IdleDeadline start(Vertx vertx, long idleMs, boolean heartbeatOnly, OnIdle onIdle) {
    IdleDeadline deadline = new IdleDeadline(vertx, idleMs, heartbeatOnly, onIdle);
    deadline.timer = vertx.setTimer(idleMs, deadline::check);
    return deadline;
  }

  /** A progress signal (a stream event, a message chunk): refreshes the window unless only heartbeats count. */
  public void progress() {
    if (!heartbeatOnly) {
      lastProgressNanos = System.nanoTime();
    }
  }

  /** An explicit heartbeat: always refreshes the window. */
  public void heartbeat() {
    lastProgressNanos = System.nanoTime();
  }

  /** Stops watching (the attempt answered or timed out otherwise). */
  public void stop() {
    stopped = true;
    long id = timer;
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }

  /** The idle timeout in ms. */
  public long idleMs() {
    return idleMs;
  }

  private void check(long id) {
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    long quiet = now - lastProgressNanos;
    if (quiet >= idleNanos) {
      stopped = true;
      onIdle.idle((now - startedNanos) / 1_000_000L);
      return;
    }
    long restMs = Math.max(1, (idleNanos - quiet + 999_999L) / 1_000_000L);
    timer = vertx.setTimer(restMs, this::check);
  }
}
