package io.graphloop.runtime;

import io.graphloop.checkpoint.CheckpointStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checkpoint retention, keep the latest N (LangGraph's prune strategy {@code keep_latest}, which keeps one; here N
 * is configurable): every {@code intervalMs}, the threads with more than {@code keepLatest} checkpoints are pruned to
 * their newest {@code keepLatest} ({@link CheckpointStore#pruneCheckpoints}: older checkpoints are deleted with their
 * pending writes and the blobs no kept checkpoint reads; the kept ones load exactly as before). Threads are listed
 * {@code batchSize} at a time, at most ten batches per sweep; the rest wait for the next sweep. Started by
 * {@link GraphRuntime} when {@code keepLatestCheckpoints} is set; usable alone.
 *
 * <p>Thread rules: the timer and the sweep run on a Vert.x context and never block it (the stores do their I/O off
 * the event loop); {@link #sweep()} from any thread (one sweep at a time: a sweep asked while one runs joins it).
 */
public final class CheckpointRetention {

  private static final System.Logger LOG = System.getLogger(CheckpointRetention.class.getName());
  private static final int MAX_BATCHES = 10;

  private final Vertx vertx;
  private final CheckpointStore store;
  private final int keepLatest;
  private final int batchSize;
  private final AtomicLong pruned = new AtomicLong();
  private final long timer;
  private Future<Integer> running; // guarded by this

  private CheckpointRetention(Vertx vertx, CheckpointStore store, int keepLatest, long intervalMs, int batchSize) {
    this.vertx = vertx;
    this.store = store;
    this.keepLatest = keepLatest;
    this.batchSize = batchSize;
    this.timer = intervalMs > 0 ? vertx.setPeriodic(intervalMs, id -> sweep().onFailure(e -> LOG.log(
        System.Logger.Level.WARNING, "Checkpoint retention: the sweep failed and will be tried again: "
            + e.getMessage()))) : -1;
  }

  /**
   * Starts sweeping {@code store}.
   *
   * @param keepLatest how many of each thread's newest checkpoints to keep, at least 1
   * @param intervalMs how often to sweep (0: only when {@link #sweep()} is called)
   * @param batchSize  threads listed and pruned per batch
   * @throws IllegalArgumentException for a keep below 1, a negative interval or a batch below 1
   */
  public static CheckpointRetention start(Vertx vertx, CheckpointStore store, int keepLatest, long intervalMs,
                                          int batchSize) {
    if (keepLatest < 1) {
      throw new IllegalArgumentException("keepLatestCheckpoints must be at least 1 (the newest checkpoint of a "
          + "thread is always kept; to delete idle threads use threadTtlMinutes), got " + keepLatest);
    }
    if (intervalMs < 0) {
      throw new IllegalArgumentException("retentionSweepIntervalMs must be 0 (no timer) or positive, got "
          + intervalMs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("retentionBatchSize must be at least 1, got " + batchSize);
    }
    return new CheckpointRetention(vertx, store, keepLatest, intervalMs, batchSize);
  }

  /** Prunes every thread over the limit now (up to ten batches); the number of checkpoints deleted. */
  public synchronized Future<Integer> sweep() {
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
    return store.threadsWithMoreCheckpointsThan(keepLatest, batchSize).compose(threads -> pruneAll(threads, 0, 0)
        .compose(deleted -> {
          int total = count + deleted;
          return threads.size() == batchSize && batches + 1 < MAX_BATCHES ? batch(batches + 1, total)
              : Future.succeededFuture(total);
        }));
  }

  private Future<Integer> pruneAll(List<String> threads, int from, int deleted) {
    return from == threads.size() ? Future.succeededFuture(deleted)
        : store.pruneCheckpoints(threads.get(from), keepLatest).compose(n -> {
          pruned.addAndGet(n);
          return pruneAll(threads, from + 1, deleted + n);
        });
  }

  /** How many checkpoints each thread keeps. */
  public int keepLatest() {
    return keepLatest;
  }

  /** Checkpoints deleted since start. */
  public long pruned() {
    return pruned.get();
  }

  /** Stops the timer (a sweep in progress finishes). */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
