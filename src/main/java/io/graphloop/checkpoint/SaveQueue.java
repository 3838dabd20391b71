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
 * <p>Thread-safe (a monitor): any thread adds; the store's committing thread takes, and may block in
 * {@link #take} while waiting for a batch to fill (a worker thread, never an event loop).
 */
final class SaveQueue {

  private final ArrayDeque<PendingSave> queue = new ArrayDeque<>();
  private final int maxBatchSize;
  private final long maxBatchWaitMs;
  private final int maxQueued;

  SaveQueue(int maxBatchSize, long maxBatchWaitMs, int maxQueued) {
    this.maxBatchSize = maxBatchSize;
    this.maxBatchWaitMs = maxBatchWaitMs;
    this.maxQueued = maxQueued;
  }

  /** Queues the save, or returns {@code false} (queuing nothing) when {@code maxQueued} saves already wait. */
  synchronized boolean add(PendingSave save) {
    if (queue.size() >= maxQueued) {
      return false;
    }
    queue.add(save);
    if (queue.size() >= maxBatchSize) {
      notifyAll();
    }
    return true;
  }

  /** The most saves it holds. */
  int maxQueued() {
    return maxQueued;
  }

  synchronized int size() {
    return queue.size();
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
      batch.add(queue.poll());
    }
    return batch;
  }
}
