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

  private final CheckpointStore store;
  private final int keepLatest;
  private final AtomicLong pruned = new AtomicLong();
  private final RetentionSweep<String> sweep;

  private CheckpointRetention(Vertx vertx, CheckpointStore store, int keepLatest, long intervalMs, int batchSize) {
    this.store = store;
    this.keepLatest = keepLatest;
    this.sweep = new RetentionSweep<>(vertx, "Checkpoint retention", intervalMs, batchSize,
        size -> store.threadsWithMoreCheckpointsThan(keepLatest, size), threads -> pruneAll(threads, 0, 0));
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
    RetentionSweep.checkSchedule(intervalMs, batchSize);
    return new CheckpointRetention(vertx, store, keepLatest, intervalMs, batchSize);
  }

  /** Prunes every thread over the limit now (up to ten batches); the number of checkpoints deleted. */
  public Future<Integer> sweep() {
    return sweep.sweep();
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
    sweep.stop();
  }
}
