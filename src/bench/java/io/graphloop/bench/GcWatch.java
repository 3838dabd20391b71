package io.graphloop.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Counts the JVM's stop-the-world collections since the last {@link #reset()}: how many, their total and their longest
 * duration (from the collectors' notifications; G1's and Parallel's young and full collections, ZGC's and
 * Shenandoah's pauses; concurrent cycles, which do not stop the application, are not counted).
 *
 * <p>Thread-safe: notifications arrive on a JMX thread.
 */
final class GcWatch implements AutoCloseable {

  private final AtomicLong count = new AtomicLong();
  private final AtomicLong totalMs = new AtomicLong();
  private final AtomicLong maxMs = new AtomicLong();
  private final NotificationListener listener = (notification, handback) -> {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
        (CompositeData) notification.getUserData());
    String name = info.getGcName();
    if (name.contains("Cycles") || name.contains("Concurrent")) {
      return;
    }
    long ms = info.getGcInfo().getDuration();
    count.incrementAndGet();
    totalMs.addAndGet(ms);
    maxMs.accumulateAndGet(ms, Math::max);
  };

  GcWatch() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
      }
    }
  }

  /** Starts counting from now. */
  void reset() {
    count.set(0);
    totalMs.set(0);
    maxMs.set(0);
  }

  /** {@code "n / total / max"} of the pauses since the reset, in ms. */
  String summary() {
    return count.get() + " / " + totalMs.get() + " / " + maxMs.get();
  }

  @Override
  public void close() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException e) {
          // never added to this one
        }
      }
    }
  }
}
