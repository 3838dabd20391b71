package io.graphloop.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.NotificationEmitter;

/**
 * How long the JVM's stop-the-world garbage-collection pauses took since a mark: a node that seems to have held its
 * event loop for 150 ms may have been stopped, like every thread, by a 140 ms young-generation pause (seen with
 * 100,000 runs in flight), and the blocked-loop report discounts that time so that it does not blame the node.
 *
 * <p>A mark costs one volatile read: it is the collectors' total pause time as of the last GC notification (kept up to
 * date by a listener on each collector). {@link #since} reads the collectors' totals themselves (microseconds; only
 * on the report's slow path). A collection that ended just before a mark but was notified after it is counted as
 * within the window; it can hide a node's real block only when that block exceeded the threshold by less than the
 * pause.
 *
 * <p>The collectors are read through {@code java.lang.management}, whose first use initialises the platform MBeans: it
 * took 2.9 s on a loaded machine, on the event loop of the first node execution (a blocked-thread warning at a
 * server's first request). So {@link #load} reads them on a worker, from each node instance's start; until it has,
 * marks are {@link #NOT_LOADED} and discount nothing.
 *
 * <p>Thread-safe.
 */
final class GcPauses {

  /** The mark before {@link #load} has read the collectors: no pause is discounted from it. */
  static final long NOT_LOADED = -1;

  private static volatile boolean loaded;

  private GcPauses() {
  }

  /**
   * Reads the collectors (once, on a worker thread: the first read initialises {@code java.lang.management});
   * completes when marks count pauses. Call from anywhere; never blocks the caller.
   */
  static Future<Void> load(Vertx vertx) {
    if (loaded) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      Collectors.init();
      loaded = true;
      return null;
    }, false);
  }

  /** A mark to measure from (one volatile read), or {@link #NOT_LOADED}. */
  static long mark() {
    return loaded ? Collectors.notifiedTotalMs : NOT_LOADED;
  }

  /** Milliseconds of GC pause since {@code mark} (at least 0; 0 from {@link #NOT_LOADED}). */
  static long since(long mark) {
    return mark == NOT_LOADED ? 0 : Math.max(0, Collectors.totalMs() - mark);
  }

  /** The pausing collectors and their notified total, initialised on first use (by {@link #load}, on a worker). */
  private static final class Collectors {

    /** Collectors that stop the world (a "Cycles" or "Concurrent" collector runs beside the application). */
    private static final List<GarbageCollectorMXBean> PAUSING = ManagementFactory.getGarbageCollectorMXBeans()
        .stream()
        .filter(collector -> !collector.getName().contains("Cycles") && !collector.getName().contains("Concurrent"))
        .collect(java.util.stream.Collectors.toList());

    private static volatile long notifiedTotalMs = totalMs();

    static {
      for (GarbageCollectorMXBean collector : PAUSING) {
        if (collector instanceof NotificationEmitter) {
          ((NotificationEmitter) collector).addNotificationListener((notification, handback) ->
              notifiedTotalMs = totalMs(), null, null);
        }
      }
    }

    private Collectors() {
    }

    /** Forces the class's initialisation. */
    static void init() {
    }

    private static long totalMs() {
      long total = 0;
      for (GarbageCollectorMXBean collector : PAUSING) {
        total += Math.max(0, collector.getCollectionTime());
      }
      return total;
    }
  }
}
