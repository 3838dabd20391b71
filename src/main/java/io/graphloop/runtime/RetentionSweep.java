package io.graphloop.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The sweep {@link ThreadRetention} and {@link CheckpointRetention} share: every {@code intervalMs} (or when
 * {@link #sweep()} is called), list up to {@code batchSize} threads (of type {@code T}: ids, or ids with what to do), handle them, and go on while a batch came back
 * full, at most {@value #MAX_BATCHES} batches per sweep (the rest wait for the next one).
 *
 * <p>Thread rules: the timer and the sweep run on a Vert.x context and never block it (the list and handle functions
 * return futures); {@link #sweep()} from any thread, one sweep at a time (a sweep asked while one runs joins it). The
 * timer is set and cancelled on its own context (the creating thread's, or a new one), whatever thread creates or
 * stops the sweep: Vert.x 5.0's {@code setPeriodic} called off that context's event loop stores the timer's future
 * only after handing the task to the loop, so a tick, or a cancel from another thread, could come before it (a
 * {@code NullPointerException} in {@code cancelTimer}, a timer that never ticks again; see the tests' {@code Poll}).
 */
final class RetentionSweep<T> {

  private static final System.Logger LOG = System.getLogger(RetentionSweep.class.getName());
  /** Batches per sweep. */
  static final int MAX_BATCHES = 10;

  private final Vertx vertx;
  private final int batchSize;
  private final IntFunction<Future<List<T>>> list;
  private final Function<List<T>, Future<Integer>> handle;
  /** Where the timer is set and cancelled; {@code null} without a timer. */
  private final io.vertx.core.Context context;
  /** The timer's id once set (-1 before, or without a timer); read and written on {@link #context} only. */
  private long timer = -1;
  /** Whether {@link #stop()} was called; read and written on {@link #context} only. */
  private boolean stopped;
  private Future<Integer> running; // guarded by this

  /**
   * @param what   names the sweep in the warning logged when one fails, e.g. {@code "Thread retention"}
   * @param list   the next batch of threads to handle, at most the given number
   * @param handle handles one batch; its count is added to the sweep's
   */
  RetentionSweep(Vertx vertx, String what, long intervalMs, int batchSize, IntFunction<Future<List<T>>> list,
                 Function<List<T>, Future<Integer>> handle) {
    checkSchedule(intervalMs, batchSize);
    this.vertx = vertx;
    this.batchSize = batchSize;
    this.list = list;
    this.handle = handle;
    this.context = intervalMs > 0 ? vertx.getOrCreateContext() : null;
    if (context != null) {
      context.runOnContext(v -> {
        if (!stopped) {
          timer = vertx.setPeriodic(intervalMs, id -> sweep().onFailure(e -> LOG.log(System.Logger.Level.WARNING,
              what + ": the sweep failed and will be tried again: " + e.getMessage())));
        }
      });
    }
  }

  /** @throws IllegalArgumentException for a negative interval or a batch below 1 */
  static void checkSchedule(long intervalMs, int batchSize) {
    if (intervalMs < 0) {
      throw new IllegalArgumentException("retentionSweepIntervalMs must be 0 (no timer) or positive, got "
          + intervalMs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("retentionBatchSize must be at least 1, got " + batchSize);
    }
  }

  /** Sweeps now (or joins the sweep in progress); the count the batches' handling returned. */
  synchronized Future<Integer> sweep() {
    if (running != null) {
      return running;
    }
    Future<Integer> sweep = batch(0, 0);
    running = sweep;
    sweep.onComplete(done -> {
      synchronized (this) {
        running = null;
      }
    });
    return sweep;
  }

  private Future<Integer> batch(int batches, int count) {
    return list.apply(batchSize).compose(threads -> handle.apply(threads).compose(handled -> {
      int total = count + handled;
      return threads.size() == batchSize && batches + 1 < MAX_BATCHES ? batch(batches + 1, total)
          : Future.succeededFuture(total);
    }));
  }

  /** Stops the timer, on its context (a sweep in progress finishes); before the timer was set, it never is. */
  void stop() {
    if (context != null) {
      context.runOnContext(v -> {
        stopped = true;
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
      });
    }
  }
}
