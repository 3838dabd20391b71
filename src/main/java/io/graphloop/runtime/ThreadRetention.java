package io.graphloop.runtime;

import io.graphloop.protocol.Addresses;
import io.graphloop.checkpoint.CheckpointStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread retention (LangGraph Server's thread TTL, strategy "delete"): every {@code intervalMs}, the threads whose
 * newest checkpoint is older than the TTL are deleted with their checkpoints, pending writes and blobs, in batches
 * of {@code batchSize}, at most {@code 10 x batchSize} per sweep (the rest wait for the next one). A run still going
 * on a deleted thread cannot write into it afterwards: its next save is refused by fencing
 * ({@code THREAD_TAKEN_OVER}). Each deleted thread is published on {@link Addresses#threadDeleted()}, so that the
 * servers drop their records of it. Started by {@link GraphRuntime} when {@code threadTtlMinutes} is set; usable
 * alone.
 *
 * <p>Thread rules: the timer and the sweep run on a Vert.x context; the store never blocks it; {@link #sweep()} from
 * any thread (one sweep at a time: a sweep asked while one runs joins it).
 */
public final class ThreadRetention {

  private final Vertx vertx;
  private final CheckpointStore store;
  private final AtomicLong deleted = new AtomicLong();
  private final RetentionSweep sweep;

  private ThreadRetention(Vertx vertx, CheckpointStore store, Duration ttl, long intervalMs, int batchSize,
                          Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.sweep = new RetentionSweep(vertx, "Thread retention", intervalMs, batchSize,
        size -> store.idleThreads(clock.instant().minus(ttl), size),
        threads -> deleteAll(threads, 0).map(v -> {
          deleted.addAndGet(threads.size());
          return threads.size();
        }));
  }

  /**
   * Starts sweeping {@code store}.
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
    return new ThreadRetention(vertx, store, Duration.ofMillis(Math.round(ttlMinutes * 60_000)), intervalMs,
        batchSize, clock);
  }

  /** Deletes the threads idle longer than the TTL now; the number deleted. */
  public Future<Integer> sweep() {
    return sweep.sweep();
  }

  private Future<Void> deleteAll(List<String> threads, int from) {
    return from == threads.size() ? Future.succeededFuture()
        : store.deleteThread(threads.get(from)).compose(v -> {
          announce(vertx, threads.get(from), "retention");
          return deleteAll(threads, from + 1);
        });
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

  /** Stops the timer (a sweep in progress finishes). */
  public void stop() {
    sweep.stop();
  }
}
