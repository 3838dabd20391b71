package io.graphloop.runtime;

import io.graphloop.errors.MissingDependencyException;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lock of one thread of a graph (one run, or one outside update, at a time per thread), in this JVM and, on a
 * clustered Vert.x, across the cluster.
 *
 * <ul>
 *   <li>Not clustered: a Vert.x local lock ({@code vertx.sharedData().getLockWithTimeout}).</li>
 *   <li>Clustered: first a JVM-local lock of the same name (Vert.x's local async locks: neither owned by a thread nor
 *       re-entrant), then the cluster-wide lock, released in the reverse order once the cluster lock is released.</li>
 * </ul>
 *
 * <p>Why two levels. Vert.x's cluster-wide lock with the Hazelcast cluster manager is Hazelcast's
 * {@code IMap.tryLock}, run on a Vert.x worker thread; Hazelcast's map locks are owned by (member, thread id) and
 * are re-entrant, so a second acquisition in the same JVM that happens to run on the worker thread that took the
 * lock succeeds (measured with vertx-hazelcast 5.0.10: 10 of 200 tries on a held lock, one per worker thread of the
 * 20), and the release ({@code forceUnlock}) of either frees it for everyone. The local lock lets one acquisition
 * per JVM at a time reach the cluster lock, which then only arbitrates between members; and the local lock is held
 * until the cluster lock's release has completed, so the next acquisition in this JVM can never find it still held
 * by one of its own worker threads. To know when the release has completed, the cluster lock is taken on Hazelcast's
 * map {@value #MAP} directly (Vert.x's {@code Lock.release()} does not say); with another cluster manager its own
 * cluster-wide lock is used.
 *
 * <p>A member that leaves or dies: Hazelcast releases every map lock the member held when the cluster drops it
 * ({@code LockSupportServiceImpl.memberRemoved}; its documented behaviour for locks), so the threads of a coordinator
 * that died are free again a second or two after a kill, at most {@code hazelcast.max.no.heartbeat.seconds} after it
 * hung; a live member's lock never expires.
 *
 * <p>Waiting for a lock held by another member holds no thread: the cluster lock is tried at once, on a worker
 * thread, and again after a timer (see {@link #poll}), until the wait's deadline.
 *
 * <p>Thread rules: {@link #acquire} may be called on any thread and never blocks it (Hazelcast's calls run on worker
 * threads, each one immediate try); {@link #release()} likewise, any number of times.
 */
final class ThreadLock implements Lock {

  private static final String HAZELCAST_MANAGER = "io.vertx.spi.cluster.hazelcast.HazelcastClusterManager";

  /** The Hazelcast map whose keys' locks are the threads' cluster-wide locks (it holds no entries). */
  static final String MAP = "graphloop.thread-locks";

  private final Vertx vertx;
  private final Lock local;
  private final Lock cluster;
  private final IMap<String, Boolean> map;
  private final String name;
  private final AtomicBoolean released = new AtomicBoolean();
  /** Completed once the lock is released (both levels). */
  private final io.vertx.core.Promise<Void> releaseDone = io.vertx.core.Promise.promise();
  private final Future<Void> releasedFuture = releaseDone.future();

  private ThreadLock(Vertx vertx, Lock local, Lock cluster, IMap<String, Boolean> map, String name) {
    this.vertx = vertx;
    this.local = local;
    this.cluster = cluster;
    this.map = map;
    this.name = name;
  }

  /**
   * Takes lock {@code name}, waiting at most {@code waitMs} (in all: local, then cluster-wide).
   *
   * @return the lock; a failed future when it was not free within {@code waitMs}
   */
  static Future<Lock> acquire(Vertx vertx, String name, long waitMs) {
    if (!vertx.isClustered()) {
      return vertx.sharedData().getLockWithTimeout(name, waitMs);
    }
    long started = System.nanoTime();
    return vertx.sharedData().getLocalLockWithTimeout(name, waitMs).compose(local -> {
      long left = Math.max(1, waitMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      Future<Lock> cluster;
      try {
        IMap<String, Boolean> map = hazelcastMap(vertx);
        cluster = map == null
            ? vertx.sharedData().getLockWithTimeout(name, left).map(lock -> new ThreadLock(vertx, local, lock, null,
                name))
            : poll(vertx, map, name, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(left), FIRST_POLL_MS)
                .compose(locked -> locked ? Future.succeededFuture(new ThreadLock(vertx, local, null, map, name))
                    : Future.failedFuture(new VertxException("Timed out waiting to get lock " + name, true)));
      } catch (RuntimeException e) { // e.g. Hazelcast no longer running: this member is leaving the cluster
        cluster = Future.failedFuture(e);
      }
      return cluster.onFailure(busy -> local.release());
    });
  }

  /** The first pause between two tries of a held cluster-wide lock; it doubles up to {@link #MAX_POLL_MS}. */
  static final long FIRST_POLL_MS = 5;
  /** The longest pause between two tries of a held cluster-wide lock. */
  static final long MAX_POLL_MS = 200;

  /**
   * Tries the cluster-wide lock until {@code deadlineNanos}: each try is Hazelcast's immediate {@code tryLock} (one
   * round trip) on a worker thread, and between tries a Vert.x timer waits, doubling from {@link #FIRST_POLL_MS} to
   * {@link #MAX_POLL_MS}. So a wait holds no thread: Hazelcast's own timed {@code tryLock} would hold a worker thread
   * for the whole wait (up to the run's deadline), and twenty such waits took every worker of the pool, starving
   * blocking nodes. The price: a member that waits takes the lock up to {@link #MAX_POLL_MS} after its release, and
   * members that wait for one lock are not served in arrival order (in one JVM they are, by the local lock).
   */
  private static Future<Boolean> poll(Vertx vertx, IMap<String, Boolean> map, String name, long deadlineNanos,
                                      long pauseMs) {
    return vertx.<Boolean>executeBlocking(() -> map.tryLock(name), false).compose(locked -> {
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      if (locked || leftMs <= 0) {
        return Future.succeededFuture(locked);
      }
      io.vertx.core.Promise<Boolean> next = io.vertx.core.Promise.promise();
      vertx.setTimer(Math.max(1, Math.min(pauseMs, leftMs)), id -> poll(vertx, map, name, deadlineNanos,
          Math.min(MAX_POLL_MS, pauseMs * 2)).onComplete(next));
      return next.future();
    });
  }

  /** Releases the cluster-wide lock, then (once that is done) the local one. Idempotent. */
  @Override
  public void release() {
    releasing();
  }

  /**
   * Releases {@code lock}; the future completes once it is free for the next taker in this JVM: at once for a Vert.x
   * lock, after the cluster-wide release for a {@link ThreadLock} on Hazelcast (whose release runs on a worker
   * thread). A run's outcome goes out only then, so that its caller's next run on the thread, sent as soon as the
   * outcome is in, never finds the lock still held (it waits 1 ms for it and is refused as busy otherwise).
   */
  static Future<Void> release(Lock lock) {
    if (lock instanceof ThreadLock) {
      return ((ThreadLock) lock).releasing();
    }
    lock.release();
    return Future.succeededFuture();
  }

  private Future<Void> releasing() {
    if (!released.compareAndSet(false, true)) {
      return releasedFuture;
    }
    if (map == null) {
      cluster.release();
      local.release();
      releaseDone.complete();
      return releasedFuture;
    }
    // forceUnlock: this worker thread is not the one that locked (the owner is the member's thread that did)
    vertx.<Void>executeBlocking(() -> {
      map.forceUnlock(name);
      return null;
    }, false).onComplete(done -> { // if it failed, Hazelcast is stopping and drops our locks anyway
      local.release();
      releaseDone.complete();
    });
    return releasedFuture;
  }

  /** The map of the threads' cluster-wide locks, or {@code null} when the cluster manager is not Hazelcast's. */
  private static IMap<String, Boolean> hazelcastMap(Vertx vertx) {
    ClusterManager manager = vertx instanceof VertxInternal ? ((VertxInternal) vertx).clusterManager() : null;
    if (manager == null || !MissingDependencyException.present(HAZELCAST_MANAGER)) {
      return null; // another cluster manager, and vertx-hazelcast (optional) not on the classpath
    }
    return manager instanceof HazelcastClusterManager
        ? ((HazelcastClusterManager) manager).getHazelcastInstance().getMap(MAP) : null;
  }
}
