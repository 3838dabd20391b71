package io.graphloop.runtime;

import io.graphloop.checkpoint.ThreadTtl;
import io.graphloop.protocol.Addresses;
import io.graphloop.checkpoint.CheckpointStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread retention (LangGraph Server's thread TTL), in one of two kinds:
 * <ul>
 *   <li>store-wide ({@link #start}): every {@code intervalMs}, the threads whose newest checkpoint is older than the
 *       TTL are deleted with their checkpoints, pending writes and blobs (strategy {@code delete}); threads with a TTL
 *       of their own are left to the other kind;</li>
 *   <li>per thread ({@link #startPerThread}): the threads whose own TTL ({@link CheckpointStore#setThreadTtl}: LangGraph
 *       Server's {@code ttl} on {@code POST /threads} and {@code PATCH /threads/{id}}) has expired, that is, inactive
 *       (no new checkpoint, no new TTL) for longer than it, get their TTL's strategy: {@code delete} deletes them as
 *       above, {@code keep_latest} prunes them to their newest checkpoint
 *       ({@link CheckpointStore#pruneCheckpoints}) and starts their TTL again.</li>
 * </ul>
 * Threads are listed in batches of {@code batchSize}, at most {@code 10 x batchSize} per sweep (the rest wait for the
 * next one). A run still going on a deleted thread cannot write into it afterwards: its next save is refused by
 * fencing ({@code THREAD_TAKEN_OVER}). Each deleted thread is published on {@link Addresses#threadDeleted()}, so that
 * the servers drop their records of it. Started by {@link GraphRuntime} (the store-wide kind when
 * {@code threadTtlMinutes} is set, the per-thread kind always, on a coordinator with a checkpointer); usable alone.
 *
 * <p>Thread rules: the timer and the sweep run on a Vert.x context; the store never blocks it; {@link #sweep()} from
 * any thread (one sweep at a time: a sweep asked while one runs joins it).
 */
public final class ThreadRetention {

  private final Vertx vertx;
  private final CheckpointStore store;
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong pruned = new AtomicLong();
  private final RetentionSweep<ThreadTtl.Expired> sweep;
  private final Clock clock;

  private ThreadRetention(Vertx vertx, CheckpointStore store, String what, long intervalMs, int batchSize,
                          Clock clock, java.util.function.IntFunction<Future<List<ThreadTtl.Expired>>> list) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.sweep = new RetentionSweep<>(vertx, what, intervalMs, batchSize, list, threads -> handleAll(threads, 0, 0));
  }

  /**
   * Starts sweeping {@code store} with one TTL for every thread that has none of its own.
   *
   * @param ttlMinutes how long a thread may stay without a new checkpoint
   * @param intervalMs how often to sweep (0: only when {@link #sweep()} is called)
   * @param batchSize  threads listed and deleted per batch
   * @throws IllegalArgumentException for a TTL that is not positive, a negative interval or a batch below 1
   */
  public static ThreadRetention start(Vertx vertx, CheckpointStore store, double ttlMinutes, long intervalMs,
                                      int batchSize) {
    return start(vertx, store, ttlMinutes, intervalMs, batchSize, Clock.systemUTC());
  }

  static ThreadRetention start(Vertx vertx, CheckpointStore store, double ttlMinutes, long intervalMs, int batchSize,
                               Clock clock) {
    if (!(ttlMinutes > 0) || Double.isInfinite(ttlMinutes)) {
      throw new IllegalArgumentException("threadTtlMinutes must be a positive number of minutes, got " + ttlMinutes);
    }
    RetentionSweep.checkSchedule(intervalMs, batchSize);
    ThreadTtl ttl = ThreadTtl.delete(ttlMinutes);
    Duration age = Duration.ofMillis(ttl.millis());
    return new ThreadRetention(vertx, store, "Thread retention", intervalMs, batchSize, clock,
        size -> store.idleThreads(clock.instant().minus(age), size)
            .map(ids -> ids.stream().map(id -> new ThreadTtl.Expired(id, ttl)).toList()));
  }

  /**
   * Starts sweeping {@code store} for threads whose own TTL ({@link CheckpointStore#setThreadTtl}) has expired.
   *
   * @param intervalMs how often to sweep (0: only when {@link #sweep()} is called)
   * @param batchSize  threads listed and handled per batch
   * @throws IllegalArgumentException for a negative interval or a batch below 1
   */
  public static ThreadRetention startPerThread(Vertx vertx, CheckpointStore store, long intervalMs, int batchSize) {
    return startPerThread(vertx, store, intervalMs, batchSize, Clock.systemUTC());
  }

  static ThreadRetention startPerThread(Vertx vertx, CheckpointStore store, long intervalMs, int batchSize,
                                        Clock clock) {
    RetentionSweep.checkSchedule(intervalMs, batchSize);
    return new ThreadRetention(vertx, store, "Thread TTL retention", intervalMs, batchSize, clock,
        size -> store.expiredThreads(clock.instant(), size).recover(e -> e instanceof UnsupportedOperationException
            ? Future.succeededFuture(List.of()) // a store of the user's without thread TTLs: none can have expired
            : Future.failedFuture(e)));
  }

  /** Handles the threads expired now (deletes or prunes them); the number handled. */
  public Future<Integer> sweep() {
    return sweep.sweep();
  }

  private Future<Integer> handleAll(List<ThreadTtl.Expired> threads, int from, int handled) {
    if (from == threads.size()) {
      return Future.succeededFuture(handled);
    }
    ThreadTtl.Expired expired = threads.get(from);
    String threadId = expired.threadId();
    Future<Void> done = expired.ttl().strategy() == ThreadTtl.Strategy.KEEP_LATEST
        ? store.pruneCheckpoints(threadId, 1).compose(n -> {
          pruned.incrementAndGet();
          return store.setThreadTtl(threadId, expired.ttl(), clock.instant()); // its TTL starts again
        })
        : store.deleteThread(threadId).map(v -> {
          deleted.incrementAndGet();
          announce(vertx, threadId, "retention");
          return null;
        });
    return done.compose(v -> handleAll(threads, from + 1, handled + 1));
  }

  /**
   * Publishes that thread {@code threadId}'s checkpoints were deleted ({@link Addresses#threadDeleted()}), so servers
   * drop their record of it.
   */
  static void announce(Vertx vertx, String threadId, String reason) {
    vertx.eventBus().publish(Addresses.threadDeleted(), new io.vertx.core.json.JsonObject().put("threadId", threadId)
        .put("reason", reason));
  }

  /** Threads deleted since start. */
  public long deleted() {
    return deleted.get();
  }

  /** Threads pruned to their newest checkpoint since start (strategy {@code keep_latest}). */
  public long pruned() {
    return pruned.get();
  }

  /** Stops the timer (a sweep in progress finishes). */
  public void stop() {
    sweep.stop();
  }
}
