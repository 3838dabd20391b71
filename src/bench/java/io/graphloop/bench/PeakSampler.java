package io.graphloop.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peaks of the child JVM since the last {@link #reset()}: used heap (sampled every 10 ms by a daemon
 * thread, the harness's one extra thread), live threads ({@link ThreadMXBean#getPeakThreadCount()}),
 * resident set size (the kernel's {@code VmHWM}, reset through {@code /proc/self/clear_refs}) and GC time.
 *
 * <p>Thread-safe.
 */
final class PeakSampler implements AutoCloseable {

  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Thread sampler;
  private volatile long peakHeap;
  private volatile boolean rssReset;
  private volatile long gcMillisAtReset;

  PeakSampler() {
    sampler = new Thread(this::sample, "bench-peak-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    while (!Thread.currentThread().isInterrupted()) {
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used > peakHeap) {
        peakHeap = used;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Starts new peaks from now. */
  void reset() {
    peakHeap = memory.getHeapMemoryUsage().getUsed();
    threads.resetPeakThreadCount();
    gcMillisAtReset = gcMillis();
    try {
      Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
      rssReset = true;
    } catch (IOException | RuntimeException e) {
      rssReset = false;
    }
  }

  /** Highest sampled used heap, in MB (includes garbage not yet collected). */
  double peakHeapMb() {
    return Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed()) / 1048576.0;
  }

  /** Highest number of live Java threads (including the harness's main and sampler threads). */
  int peakThreads() {
    return threads.getPeakThreadCount();
  }

  /** The kernel's peak resident set size in MB, or NaN where /proc is not there. */
  double peakRssMb() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /** Whether {@link #peakRssMb()} was reset by the last {@link #reset()} (else it covers the JVM's life). */
  boolean rssWasReset() {
    return rssReset;
  }

  /** GC pause time since the last reset, in ms. */
  long gcMillisSinceReset() {
    return gcMillis() - gcMillisAtReset;
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  @Override
  public void close() {
    sampler.interrupt();
  }
}
