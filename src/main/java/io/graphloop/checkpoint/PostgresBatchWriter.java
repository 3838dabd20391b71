package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Group commit for a {@link PostgresCheckpointStore}: saves are spread over {@code lanes} by thread id (so one
 * thread's saves stay in one lane, committed in order) and each lane commits one transaction at a time. A save
 * given to an idle lane starts its transaction at once (no added latency with one run in flight); the saves
 * that arrive while a lane commits form its next batch, of at most {@code maxBatchSize} saves, written as
 * one statement ({@link PostgresSaveStatement}) in one transaction: plain inserts first, upserts again in a new
 * transaction when a row's key was already stored ({@link #write}). When a batch fails, each of its saves is
 * retried alone, in order, so a bad save fails alone, with its own error, and the others are stored; nothing of
 * a failed transaction is visible. Fencing: a put whose parent is not its thread's head is refused with a
 * {@link ThreadTakenOverException} (see {@link #transaction}) while the rest of its batch commits.
 *
 * <p>Its pool is its own (one connection per lane, {@link PostgresStoreOptions#getWriterConnections()}), not the
 * store's: a lane's transaction never waits behind the reads of thousands of starting runs, and never finds a wait
 * queue full of them.
 *
 * <p>Thread rules: any thread submits; a lane's state is guarded by the lane's monitor; the transactions run on
 * the writer pool's event loops; each save's future completes on the context that submitted it, the outcomes of a
 * batch going out as one task per event loop of its callers ({@link PendingSave#deliver}).
 */
final class PostgresBatchWriter {

  /** One lane's queue; {@code busy} while a transaction of it runs. Guarded by its own monitor. */
  private static final class Lane {
    final ArrayDeque<PendingSave> queue = new ArrayDeque<>();
    boolean busy;
  }

  /** Transaction-scoped advisory locks on the threads of $1, taken in the array's (sorted) order. */
  private static final String LOCK_THREADS = "SELECT pg_advisory_xact_lock(hashtextextended(t.id, 0)) "
      + "FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n) ORDER BY t.n";
  /**
   * The newest checkpoint id of each thread of $1 (null for a thread without one), one primary-key probe per thread.
   * Not {@code MAX(checkpoint_id) ... WHERE thread_id = ANY($1) GROUP BY thread_id}: the pool's prepared statement
   * keeps the plan made while the table was small, and that plan scanned the whole table on every batch (pg_stat_
   * statements in the durable-steps benchmark: 80 ms per call, 10 M rows read in 850 calls, nearly all the database's
   * time); a backward scan of the key for each thread cannot become a scan of the table.
   */
  private static final String HEADS = "SELECT t.id, (SELECT c.checkpoint_id FROM " + CheckpointSql.CHECKPOINTS
      + " c WHERE c.thread_id = t.id ORDER BY c.checkpoint_id DESC LIMIT 1) FROM unnest($1::text[]) AS t(id)";

  private final AbstractCheckpointStore store;
  private final Vertx vertx;
  private final Pool pool;
  private final int maxBatchSize;
  private final long maxBatchWaitMs;
  private final Lane[] lanes;
  /** The most saves waiting in all lanes' queues together. */
  private final int maxQueued;
  /** Saves in all lanes' queues (added before a save is queued, so the bound is never passed). */
  private final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.LongAdder transactions = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder committedSaves = new java.util.concurrent.atomic.LongAdder();
  /** Batches written again with upserts after their plain inserts met a stored key ({@link #write}). */
  private final java.util.concurrent.atomic.LongAdder upsertRetries = new java.util.concurrent.atomic.LongAdder();
  /** Statement executions (a batch statement's rows count one each), failed transactions included. */
  private final java.util.concurrent.atomic.LongAdder executions = new java.util.concurrent.atomic.LongAdder();

  PostgresBatchWriter(AbstractCheckpointStore store, Vertx vertx, Pool pool, int lanes, int maxBatchSize,
      long maxBatchWaitMs, int maxQueued) {
    this.maxQueued = maxQueued;
    this.store = store;
    this.vertx = vertx;
    this.pool = pool;
    this.maxBatchSize = maxBatchSize;
    this.maxBatchWaitMs = maxBatchWaitMs;
    this.lanes = new Lane[lanes];
    for (int i = 0; i < lanes; i++) {
      this.lanes[i] = new Lane();
    }
  }

  /**
   * Queues the save; the future completes, on the caller's context, once it is durable or has failed. When
   * {@code maxQueued} saves already wait in the lanes, it fails at once with a {@link SaveQueueFullException}.
   */
  Future<Void> submit(PendingSave save) {
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      return Future.failedFuture(new SaveQueueFullException(store.describe(), save.operation(), save.threadId,
          maxQueued));
    }
    try {
      save.encode();
    } catch (RuntimeException e) {
      queued.decrementAndGet();
      return Future.failedFuture(store.storeFailure(save.operation(), save.threadId, e));
    }
    save.context = (ContextInternal) vertx.getOrCreateContext();
    save.promise = save.context.promise();
    Lane lane = lanes[Math.floorMod(save.threadId.hashCode(), lanes.length)];
    boolean start;
    synchronized (lane) {
      lane.queue.add(save);
      start = !lane.busy;
      lane.busy = true;
    }
    if (start) {
      if (maxBatchWaitMs > 0) {
        vertx.setTimer(maxBatchWaitMs, id -> next(lane));
      } else {
        next(lane);
      }
    }
    return save.promise.future();
  }

  /** Batches written again with upserts because their plain inserts met a stored key (see {@link #write}). */
  long upsertRetries() {
    return upsertRetries.sum();
  }

  /** What was committed so far. */
  GroupCommitStats stats() {
    return new GroupCommitStats(transactions.sum(), committedSaves.sum(), executions.sum());
  }

  /** Commits the lane's next batch, or marks the lane idle when its queue is empty. */
  private void next(Lane lane) {
    List<PendingSave> batch;
    synchronized (lane) {
      if (lane.queue.isEmpty()) {
        lane.busy = false;
        return;
      }
      int n = Math.min(maxBatchSize, lane.queue.size());
      batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(lane.queue.poll());
      }
    }
    queued.addAndGet(-batch.size());
    Future<Void> committed = commit(batch);
    if (committed.isComplete()) {
      // failed at once (e.g. the pool refused or is closed): a direct call would recurse once per queued save
      vertx.runOnContext(v -> next(lane));
    } else {
      committed.onComplete(done -> next(lane));
    }
  }

  /**
   * Commits the batch, or each save alone when the batch fails; completes every save's promise, with one task per
   * event loop of the batch's callers ({@link PendingSave#deliver}), not one per save.
   */
  private Future<Void> commit(List<PendingSave> batch) {
    return write(batch).transform(done -> {
      if (done.succeeded()) {
        Map<PendingSave, String> refused = done.result();
        transactions.increment();
        committedSaves.add(batch.size() - refused.size());
        for (PendingSave save : batch) {
          if (refused.containsKey(save)) {
            save.fail(new ThreadTakenOverException(store.describe(), save.checkpoint, save.expectedHead,
                refused.get(save)));
          } else {
            save.succeed();
          }
        }
        PendingSave.deliver(batch);
        return Future.succeededFuture();
      }
      if (batch.size() == 1) {
        PendingSave save = batch.get(0);
        save.fail(store.storeFailure(save.operation(), save.threadId, done.cause()));
        PendingSave.deliver(batch);
        return Future.succeededFuture();
      }
      Future<Void> alone = Future.succeededFuture();
      for (PendingSave save : batch) {
        alone = alone.transform(ignored -> commit(List.of(save)));
      }
      return alone;
    });
  }

  /**
   * The batch's transaction with plain inserts ({@link PostgresSaveStatement#INSERT_SQL}); when one of its rows met a
   * stored key (a checkpoint put again), the same again with upserts ({@link PostgresSaveStatement#SQL}), in a new
   * transaction (the first left nothing behind).
   */
  private Future<Map<PendingSave, String>> write(List<PendingSave> batch) {
    return transaction(batch, PostgresSaveStatement.INSERT_SQL).recover(e -> {
      if (e instanceof PgException && PostgresSaveStatement.UNIQUE_VIOLATION.equals(((PgException) e).getSqlState())) {
        upsertRetries.increment();
        return transaction(batch, PostgresSaveStatement.SQL);
      }
      return Future.failedFuture(e);
    });
  }

  /**
   * One transaction: locks the threads of the batch's fenced puts (advisory locks, in sorted order, so two
   * JVMs' batches cannot deadlock; a later statement's snapshot sees what the lock's previous holder
   * committed), reads their heads, refuses (leaves out) the puts whose parent is not the head at their turn,
   * and writes the rest with one pipelined batch statement per table.
   *
   * @return the refused entries with the head they found
   */
  private Future<Map<PendingSave, String>> transaction(List<PendingSave> batch, String sql) {
    TreeSet<String> fenced = new TreeSet<>();
    for (PendingSave save : batch) {
      if (save.isFenced()) {
        fenced.add(save.threadId);
      }
    }
    if (!fenced.isEmpty()) {
      executions.add(2);
    }
    return pool.withTransaction(connection -> heads(connection, fenced).compose(heads -> {
      Map<PendingSave, String> refused = new HashMap<>();
      PostgresSaveStatement rows = new PostgresSaveStatement();
      for (PendingSave save : batch) {
        if (save.isPut()) {
          String head = heads.get(save.threadId);
          if (!ThreadTakenOverException.allows(save.checkpoint, save.expectedHead, head)) {
            refused.put(save, head);
            continue;
          }
          String id = save.checkpoint.checkpointId();
          if (head == null || id.compareTo(head) > 0) {
            heads.put(save.threadId, id);
          }
        }
        rows.add(save.threadId, save.checkpointRow, save.blobRows, save.writeRows);
      }
      if (rows.isEmpty()) {
        return Future.succeededFuture(refused);
      }
      executions.increment();
      return connection.preparedQuery(sql).execute(rows.params()).map(refused);
    }));
  }

  /** Locks the threads (sorted) for this transaction and reads their heads. */
  private static Future<Map<String, String>> heads(SqlConnection connection, TreeSet<String> threads) {
    Map<String, String> heads = new HashMap<>();
    if (threads.isEmpty()) {
      return Future.succeededFuture(heads);
    }
    Tuple ids = Tuple.of(threads.toArray(new String[0]));
    // pipelined: the server runs HEADS after LOCK_THREADS returned, so its snapshot sees what the locks'
    // previous holders committed
    Future<?> locked = connection.preparedQuery(LOCK_THREADS).execute(ids);
    return Future.all(locked, connection.preparedQuery(HEADS).execute(ids))
        .map(both -> {
          io.vertx.sqlclient.RowSet<Row> rows = both.resultAt(1);
          for (Row row : rows) {
            String head = row.getString(1);
            if (head != null) {
              heads.put(row.getString(0), head);
            }
          }
          return heads;
        });
  }
}
