package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Group commit for a {@link PostgresCheckpointStore}: saves are spread over {@code lanes} by thread id (so one
 * thread's saves stay in one lane, committed in order) and each lane commits one transaction at a time. A save
 * given to an idle lane starts its transaction at once (no added latency with one run in flight); the saves
 * that arrive while a lane commits form its next batch, of at most {@code maxBatchSize} saves, written as
 * one statement ({@link PostgresSaveStatement}) in one transaction: plain inserts first, upserts again in a new
 * transaction when a row's key was already stored ({@link #write}). When a batch fails, each of its saves is
 * retried alone, in order, so a bad save fails alone, with its own error, and the others are stored; nothing of
 * a failed transaction is visible. Fencing: a put whose parent is not its thread's head is refused with a
 * {@link ThreadTakenOverException} while the rest of its batch commits; the heads are a table moved by one
 * compare-and-set statement per batch, pipelined with the batch's rows ({@link PostgresHeads}, {@link #transaction}).
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

  /** Attempts of a batch whose heads kept moving before it fails (then each save is tried alone). */
  static final int MAX_HEAD_ROUNDS = 4;

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
  /** Batches decided again after the heads' compare-and-set missed for some of their threads ({@link #write}). */
  private final java.util.concurrent.atomic.LongAdder headMisses = new java.util.concurrent.atomic.LongAdder();
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
      PostgresBlobs.encode(save);
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

  /** Batches decided again because a thread's head was not the one assumed (see {@link #write}). */
  long headMisses() {
    return headMisses.sum();
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
   * The batch's transaction with plain inserts ({@link PostgresSaveStatement#INSERT_SQL}) and the heads its puts
   * expect; when one of its rows met a stored key (a checkpoint put again), the same again with upserts
   * ({@link PostgresSaveStatement#SQL}); when the heads' compare-and-set missed for some threads, the same again with
   * their heads read ({@link PostgresHeads}). Each time in a new transaction (the one before left nothing behind).
   */
  private Future<Map<PendingSave, String>> write(List<PendingSave> batch) {
    return write(batch, PostgresSaveStatement.INSERT_SQL, Map.of(), 1);
  }

  private Future<Map<PendingSave, String>> write(List<PendingSave> batch, String sql, Map<String, String> known,
      int round) {
    return transaction(batch, sql, known).recover(e -> {
      if (e instanceof PostgresHeads.HeadsMoved moved) {
        headMisses.increment();
        if (round >= MAX_HEAD_ROUNDS) {
          return Future.failedFuture(new IllegalStateException("the heads of threads " + moved.threads + " moved "
              + "under " + round + " attempts of one batch in a row (other writers save on these threads at the "
              + "same time); the batch's saves are tried one by one"));
        }
        executions.increment();
        return PostgresHeads.read(pool, moved.threads).compose(read -> {
          Map<String, String> heads = new HashMap<>(known);
          heads.putAll(read);
          return write(batch, sql, heads, round + 1);
        });
      }
      if (e instanceof PgException && PostgresSaveStatement.UNIQUE_VIOLATION.equals(((PgException) e).getSqlState())
          && sql.equals(PostgresSaveStatement.INSERT_SQL)) {
        upsertRetries.increment();
        return write(batch, PostgresSaveStatement.SQL, known, round);
      }
      return Future.failedFuture(e);
    });
  }

  /**
   * One transaction: decides the batch against the heads it assumes ({@link PostgresHeads#decide}: the puts refused
   * by the fencing rule are left out), then sends, pipelined, the compare-and-set of its threads' heads and its rows
   * (one statement per batch, {@link PostgresSaveStatement}). When a compare-and-set missed, fails with
   * {@link PostgresHeads.HeadsMoved} (the transaction is rolled back).
   *
   * @return the refused entries with the head they met
   */
  private Future<Map<PendingSave, String>> transaction(List<PendingSave> batch, String sql, Map<String, String> known) {
    PostgresHeads.Decision decision = PostgresHeads.decide(batch, PostgresHeads.assumed(batch, known));
    PostgresSaveStatement rows = new PostgresSaveStatement();
    for (PendingSave save : decision.accepted) {
      rows.add(save.threadId, save.checkpointRow, save.blobRows, save.writeRows);
    }
    if (!decision.hasCas() && rows.isEmpty()) {
      return Future.succeededFuture(decision.refused);
    }
    return pool.withTransaction(connection -> {
      Future<io.vertx.sqlclient.RowSet<Row>> cas = Future.succeededFuture();
      if (decision.hasCas()) {
        executions.increment();
        cas = connection.preparedQuery(PostgresHeads.CAS).execute(decision.casParams());
      }
      Future<?> written = Future.succeededFuture();
      if (!rows.isEmpty()) {
        executions.increment();
        written = connection.preparedQuery(sql).execute(rows.params());
      }
      Future<io.vertx.sqlclient.RowSet<Row>> moved = cas;
      return Future.all(moved, written).compose(both -> {
        java.util.Set<String> missed = moved.result() == null ? java.util.Set.of() : decision.missed(moved.result());
        return missed.isEmpty() ? Future.succeededFuture(decision.refused)
            : Future.failedFuture(new PostgresHeads.HeadsMoved(missed));
      });
    });
  }
}
