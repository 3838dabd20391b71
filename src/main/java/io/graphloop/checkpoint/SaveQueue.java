package io.graphloop.checkpoint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The saves a store has been given and not yet taken into a batch, in the order they were given (so one
 * thread's saves are committed in order). {@link #take} hands out a batch of at most {@code maxBatchSize},
 * waiting up to {@code maxBatchWaitMs} for a batch to fill when that is above 0 (the default 0 takes what is
 * queued at once: with one run in flight no latency is added; under load the saves that arrive while a batch
 * commits form the next one). It holds at most {@code maxQueued} saves: {@link #add} refuses one beyond that, so a
 * burst the database cannot keep up with is refused rather than held in memory without bound.
 *
 * <p>It also knows whether a drain (the committing thread's task that commits batches until the queue is empty) is
 * under way, so a store schedules one drain per burst of saves, not one task per save.
 *
 * <p>Thread-safe (a monitor): any thread adds; the store's committing thread takes, and may block in
 * {@link #take} while waiting for a batch to fill (a worker thread, never an event loop).
 */
final class SaveQueue {

  /** What {@link #add} did with a save. */
  enum Added {
    /** Not queued: {@code maxQueued} saves already wait. */
    REFUSED,
    /** Queued; a drain already under way will commit it. */
    QUEUED,
    /** Queued, and no drain was under way: the caller starts one ({@link #keepDraining} ends it). */
    DRAIN
  }

  private final ArrayDeque<PendingSave> queue = new ArrayDeque<>();
  private final int maxBatchSize;
  private final long maxBatchWaitMs;
  private final int maxQueued;
  /** Whether a drain is under way (scheduled or running): set by {@link #add}, cleared by {@link #keepDraining}. */
  private boolean draining;
  /** How many queued saves each thread (conversation) has, so a read of one knows whether it must wait for them. */
  private final java.util.Map<String, Integer> perThread = new java.util.HashMap<>();

  SaveQueue(int maxBatchSize, long maxBatchWaitMs, int maxQueued) {
    this.maxBatchSize = maxBatchSize;
    this.maxBatchWaitMs = maxBatchWaitMs;
    this.maxQueued = maxQueued;
  }

  /**
   * Queues the save, or refuses it (queuing nothing) when {@code maxQueued} saves already wait; says whether the
   * caller must start a drain (none was under way).
   */
  synchronized Added add(PendingSave save) {
    if (queue.size() >= maxQueued) {
      return Added.REFUSED;
    }
    queue.add(save);
    perThread.merge(save.threadId, 1, Integer::sum);
    if (queue.size() >= maxBatchSize) {
      notifyAll();
    }
    if (draining) {
      return Added.QUEUED;
    }
    draining = true;
    return Added.DRAIN;
  }

  /**
   * Called by a drain after each batch: whether saves are still queued (the drain goes on); when none is, the drain
   * ends, and the next {@link #add} starts another. Under the monitor, so no save is left without a drain.
   */
  synchronized boolean keepDraining() {
    draining = !queue.isEmpty();
    return draining;
  }

  /** The most saves it holds. */
  int maxQueued() {
    return maxQueued;
  }

  synchronized int size() {
    return queue.size();
  }

  /** Whether a save of thread {@code threadId} is queued (not yet taken into a batch). */
  synchronized boolean hasQueued(String threadId) {
    return perThread.containsKey(threadId);
  }

  /** The next batch: up to {@code maxBatchSize} saves, oldest first; empty when nothing is queued. */
  synchronized List<PendingSave> take() throws InterruptedException {
    if (maxBatchWaitMs > 0 && !queue.isEmpty() && queue.size() < maxBatchSize) {
      long deadline = System.nanoTime() + maxBatchWaitMs * 1_000_000L;
      long left;
      while (queue.size() < maxBatchSize && (left = deadline - System.nanoTime()) > 0) {
        wait(Math.max(1, left / 1_000_000L));
      }
    }
    return takeNow();
  }

  /** Up to {@code maxBatchSize} saves, oldest first, without waiting. */
  synchronized List<PendingSave> takeNow() {
    int n = Math.min(maxBatchSize, queue.size());
    List<PendingSave> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PendingSave save = queue.poll();
      perThread.computeIfPresent(save.threadId, (thread, count) -> count == 1 ? null : count - 1);
      batch.add(save);
    }
    return batch;
  }
}
