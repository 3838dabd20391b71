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
 * <p>It also keeps when each pause was ({@link #pauses()}, in {@link System#nanoTime()}'s terms, to the collectors'
 * millisecond), so that a benchmark can say which of its timed operations a pause overlapped: the part of a
 * percentile that is GC, and the part that is not.
 *
 * <p>Thread-safe: notifications arrive on a JMX thread.
 */
final class GcWatch implements AutoCloseable {

  private final AtomicLong count = new AtomicLong();
  private final AtomicLong totalMs = new AtomicLong();
  private final AtomicLong maxMs = new AtomicLong();
  /** Pauses since the reset, [start, end] in nanoTime, at most {@link #MAX_PAUSES} (later ones are only counted). */
  private final java.util.List<long[]> pauses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private static final int MAX_PAUSES = 100_000;
  /** nanoTime at the JVM's start (uptime 0), to the millisecond: the collectors give pauses in uptime ms. */
  private final long startNanos = System.nanoTime()
      - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
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
    if (pauses.size() < MAX_PAUSES) { // widened by a ms each side: the collectors' times are whole ms
      pauses.add(new long[] {startNanos + (info.getGcInfo().getStartTime() - 1) * 1_000_000L,
          startNanos + (info.getGcInfo().getEndTime() + 1) * 1_000_000L});
    }
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
    pauses.clear();
  }

  /** The pauses since the reset, each {@code [start, end]} in {@link System#nanoTime()}'s terms (a ms wider each side). */
  java.util.List<long[]> pauses() {
    synchronized (pauses) {
      return java.util.List.copyOf(pauses);
    }
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
