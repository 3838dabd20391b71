package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link CheckpointStore#latestStored} on PostgreSQL, grouped: the reads of run starts that arrive while
 * {@code maxInFlight} statements of them are running wait, and the next statement reads all that waited (at most
 * {@code maxBatch} threads) in one execution of {@link PostgresLatestStored#SQL}. A read that arrives with a
 * statement slot free is sent at once, alone, so one run alone waits for nothing. Runs start in bunches: a group
 * commit completes the saves of hundreds of runs at once, and the runs that ended start again together; one
 * statement for the bunch shares the statement's fixed cost (a round trip, a bind, the executor's start).
 *
 * <p>Each read sees the newest committed head of its thread when its statement runs, as a read of its own would (a
 * statement is one snapshot); a thread asked for twice in one statement is read once and both get it. A failed
 * statement fails the reads it held, each with its own error ({@link PostgresCheckpointStore} names the thread); a
 * thread whose rows cannot be read back fails alone.
 *
 * <p>Bounded: at most {@code maxQueued} reads wait (beyond, a read fails at once with the pool's
 * {@link ConnectionPoolTooBusyException}, reported as {@link PoolBusyException}, as when the pool's own queue is full).
 *
 * <p>Thread rules: any thread reads; the queue is guarded by this object's monitor; statements run on the pool's
 * event loops; each read's future completes on the context that asked for it.
 */
final class PostgresHeadReads {

  /** One read waiting for its statement. */
  private static final class Read {
    final String threadId;
    final Promise<StoredCheckpoint> promise;

    Read(String threadId, Promise<StoredCheckpoint> promise) {
      this.threadId = threadId;
      this.promise = promise;
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final int maxBatch;
  private final int maxInFlight;
  private final int maxQueued;
  private final ArrayDeque<Read> queue = new ArrayDeque<>();
  /** Statements running; guarded by this. */
  private int inFlight;
  private final java.util.concurrent.atomic.LongAdder statements = new java.util.concurrent.atomic.LongAdder();

  PostgresHeadReads(Vertx vertx, Pool pool, int maxBatch, int maxInFlight, int maxQueued) {
    this.vertx = vertx;
    this.pool = pool;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /** The thread's newest checkpoint with its chains and writes, or {@code null} when it has none. */
  Future<StoredCheckpoint> read(String threadId) {
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    Promise<StoredCheckpoint> promise = context.promise();
    List<Read> batch = null;
    synchronized (this) {
      if (queue.size() >= maxQueued) {
        return Future.failedFuture(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size "
            + "of " + maxQueued + " (reads of threads' latest checkpoints waiting for a statement)"));
      }
      queue.add(new Read(threadId, promise));
      if (inFlight < maxInFlight) {
        inFlight++;
        batch = take();
      }
    }
    if (batch != null) {
      send(batch);
    }
    return promise.future();
  }

  /** Statements sent so far (tests: how many reads shared one). */
  long statements() {
    return statements.sum();
  }

  /** The next batch from the queue (called holding the monitor, with a statement slot taken). */
  private List<Read> take() {
    int n = Math.min(maxBatch, queue.size());
    List<Read> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(queue.poll());
    }
    return batch;
  }

  private void send(List<Read> batch) {
    Set<String> threads = new LinkedHashSet<>();
    batch.forEach(read -> threads.add(read.threadId));
    statements.increment();
    Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> rows;
    try {
      rows = pool.preparedQuery(PostgresLatestStored.SQL).execute(Tuple.of(threads.toArray(new String[0])));
    } catch (RuntimeException e) {
      rows = Future.failedFuture(e);
    }
    Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> sent = rows;
    if (sent.isComplete()) {
      // failed at once (e.g. the pool is closed): handled in a task of its own, so the queue is not drained recursively
      vertx.runOnContext(v -> handle(batch, sent));
    } else {
      sent.onComplete(done -> handle(batch, sent));
    }
  }

  private void handle(List<Read> batch, Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> done) {
    {
      if (done.succeeded()) {
        Map<String, Object> found = new HashMap<>();
        try {
          PostgresLatestStored.read(done.result(), found);
        } catch (RuntimeException e) {
          batch.forEach(read -> read.promise.tryFail(e));
        }
        for (Read read : batch) {
          Object result = found.get(read.threadId);
          if (result instanceof Exception e) {
            read.promise.tryFail(e);
          } else {
            read.promise.tryComplete((StoredCheckpoint) result);
          }
        }
      } else {
        batch.forEach(read -> read.promise.tryFail(done.cause()));
      }
      next();
    }
  }

  /** After a statement: the next batch takes its slot, or the slot is freed. */
  private void next() {
    List<Read> batch;
    synchronized (this) {
      if (queue.isEmpty()) {
        inFlight--;
        return;
      }
      batch = take();
    }
    send(batch);
  }
}
