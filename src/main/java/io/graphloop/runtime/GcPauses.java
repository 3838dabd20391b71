package io.graphloop.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
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
 * <p>Thread-safe.
 */
final class GcPauses {

  /** Collectors that stop the world (a "Cycles" or "Concurrent" collector runs beside the application). */
  private static final List<GarbageCollectorMXBean> PAUSING = ManagementFactory.getGarbageCollectorMXBeans().stream()
      .filter(collector -> !collector.getName().contains("Cycles") && !collector.getName().contains("Concurrent"))
      .collect(Collectors.toList());

  private static volatile long notifiedTotalMs = totalMs();

  static {
    for (GarbageCollectorMXBean collector : PAUSING) {
      if (collector instanceof NotificationEmitter) {
        ((NotificationEmitter) collector).addNotificationListener((notification, handback) ->
            notifiedTotalMs = totalMs(), null, null);
      }
    }
  }

  private GcPauses() {
  }

  /** A mark to measure from (one volatile read). */
  static long mark() {
    return notifiedTotalMs;
  }

  /** Milliseconds of GC pause since {@code mark} (at least 0). */
  static long since(long mark) {
    return Math.max(0, totalMs() - mark);
  }

  private static long totalMs() {
    long total = 0;
    for (GarbageCollectorMXBean collector : PAUSING) {
      total += Math.max(0, collector.getCollectionTime());
    }
    return total;
  }
}
