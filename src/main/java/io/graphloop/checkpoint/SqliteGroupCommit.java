package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.internal.ContextInternal;

import java.util.List;

/**
 * The group commit of a {@link SqliteCheckpointStore}: saves join a {@link SaveQueue}; the first save of a burst (no
 * drain under way) schedules a drain on the store's one worker thread, which commits one batch per task
 * ({@link SqliteBatchWriter}) and schedules the next while saves are queued (behind the reads queued meanwhile, so
 * they are not starved); each batch's outcomes go back in one task per caller's event loop
 * ({@link PendingSave#deliver}). A burst of saves thus costs one worker task per batch and one completion task per
 * event loop per batch, not one {@code executeBlocking} and one completion hop per save. A read of a thread that has
 * saves queued commits them first ({@link #commitQueued}), so it sees every save called before it, as when each save
 * was a task of its own.
 *
 * <p>Thread rules: {@link #save} from any thread, never blocking; {@link #commitQueued} and the drains run on the
 * store's worker thread only (the one that uses the connection).
 */
final class SqliteGroupCommit {

  private final AbstractCheckpointStore store;
  private final Vertx vertx;
  private final WorkerExecutor worker;
  /** Saves given and not yet in a batch. */
  private final SaveQueue saves;
  /** Commits batches of saves; used on the worker thread only. */
  private final SqliteBatchWriter batches;
  /** Drain tasks scheduled on the worker, and completion tasks sent to callers' event loops (for tests, metrics). */
  private final java.util.concurrent.atomic.LongAdder drainTasks = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder deliveryTasks = new java.util.concurrent.atomic.LongAdder();

  SqliteGroupCommit(AbstractCheckpointStore store, Vertx vertx, WorkerExecutor worker, SaveQueue saves,
                    SqliteBatchWriter batches) {
    this.store = store;
    this.vertx = vertx;
    this.worker = worker;
    this.saves = saves;
    this.batches = batches;
  }

  /**
   * Queues the save (its rows encoded first, on the calling thread: a value that cannot be encoded fails it at once);
   * the future completes on the caller's context once the save is durable or has failed. When
   * {@code maxQueuedSaves} saves already wait, it fails at once with a {@link SaveQueueFullException}.
   */
  Future<Void> save(PendingSave save) {
    try {
      SqliteRecord.encode(save);
    } catch (RuntimeException e) {
      return Future.failedFuture(store.failure(save.operation(), save.threadId, e));
    }
    save.context = (ContextInternal) vertx.getOrCreateContext();
    save.promise = save.context.promise();
    switch (saves.add(save)) {
      case REFUSED:
        return Future.failedFuture(new SaveQueueFullException(store.describe(), save.operation(), save.threadId,
            saves.maxQueued()));
      case DRAIN:
        scheduleDrain();
        break;
      default:
        break;
    }
    return save.promise.future();
  }

  /** What was committed so far. */
  GroupCommitStats stats() {
    return batches.stats();
  }

  /** Drain tasks scheduled on the worker so far (one per batch under load, not one per save). */
  long drainTasks() {
    return drainTasks.sum();
  }

  /** Completion tasks sent to callers' event loops so far (one per event loop per batch, not one per save). */
  long deliveryTasks() {
    return deliveryTasks.sum();
  }

  /**
   * Before a read of thread {@code threadId} ({@code null}: of any thread), on the worker: commits the queued batches
   * up to the last save of that thread queued now, so the read sees every save of it called before it. A read of a
   * thread with no save queued (the usual case: a starting run reads a thread whose last run is over) commits nothing,
   * so reads do not cut the batches short.
   */
  void commitQueued(String threadId) {
    for (int left = saves.size(); left > 0 && (threadId == null || saves.hasQueued(threadId)); ) {
      List<PendingSave> batch = saves.takeNow();
      if (batch.isEmpty()) {
        return;
      }
      commitAndDeliver(batch);
      left -= batch.size();
    }
  }

  /** Schedules a drain task on the worker; when the worker refuses it (closed), every queued save fails. */
  private void scheduleDrain() {
    drainTasks.increment();
    worker.executeBlocking(this::drain, true).onFailure(e -> {
      for (List<PendingSave> left = saves.takeNow(); !left.isEmpty(); left = saves.takeNow()) {
        for (PendingSave save : left) {
          save.fail(store.failure(save.operation(), save.threadId, e));
        }
        deliveryTasks.add(PendingSave.deliver(left));
      }
      saves.keepDraining();
    });
  }

  /**
   * One drain task: commits the next batch (waiting up to {@code maxBatchWaitMs} for it to fill), delivers its
   * outcomes, and schedules the next task while saves are queued.
   */
  private Void drain() throws InterruptedException {
    try {
      commitAndDeliver(saves.take());
    } finally {
      if (saves.keepDraining()) {
        scheduleDrain();
      }
    }
    return null;
  }

  private void commitAndDeliver(List<PendingSave> batch) {
    if (!batch.isEmpty()) {
      batches.commit(batch);
      deliveryTasks.add(PendingSave.deliver(batch));
    }
  }
}
