package io.graphloop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;

/**
 * Measures that a loaded machine does not inflate (issue 17): bytes allocated (summed over every live thread,
 * {@code ThreadMXBean.getThreadAllocatedBytes}), CPU time of the event-loop threads (time the process waited for a
 * core is not counted), and heap in use after a full GC (for bytes retained per run in flight). Threads that ended
 * between two readings take their counts with them: the workloads read these around phases in which the event loops
 * and the driving thread do the work.
 *
 * <p>Stateless; any thread.
 */
final class LoadFree {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private LoadFree() {
  }

  /** Bytes allocated so far by the live threads, or -1 where the JVM does not count them. */
  static long allocatedBytes() {
    if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
      return -1;
    }
    long sum = 0;
    for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      if (bytes > 0) {
        sum += bytes;
      }
    }
    return sum;
  }

  /** CPU time so far of the live event-loop threads (Vert.x's, named vert.x-eventloop-thread-*), or -1 if none. */
  static long eventLoopCpuNanos() {
    if (!THREADS.isThreadCpuTimeSupported() || !THREADS.isThreadCpuTimeEnabled()) {
      return -1;
    }
    long[] ids = THREADS.getAllThreadIds();
    long sum = 0;
    boolean found = false;
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] != null && infos[i].getThreadName().startsWith("vert.x-eventloop")) {
        found = true;
        long cpu = THREADS.getThreadCpuTime(ids[i]);
        if (cpu > 0) {
          sum += cpu;
        }
      }
    }
    return found ? sum : -1; // a system without event loops reports none
  }

  /**
   * Times so far that a thread of this process went to sleep and was woken (the {@code voluntary_ctxt_switches} of
   * every live thread, from {@code /proc/self/task/*}/status), or -1 where there is no such file (not Linux). An event
   * loop sleeps when it has nothing to do, so a message handed to another loop's thread costs a wake-up: per token,
   * the count says how many threads a token passes through, whatever the machine's load (a loaded machine may find a
   * thread still awake, so it can only count fewer).
   */
  static long wakeUps() {
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return -1;
    }
    long sum = 0;
    for (java.io.File task : tasks) {
      try {
        for (String line : java.nio.file.Files.readAllLines(new java.io.File(task, "status").toPath())) {
          if (line.startsWith("voluntary_ctxt_switches:")) {
            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        }
      } catch (java.io.IOException | NumberFormatException e) { // the thread ended meanwhile: its count goes with it
      }
    }
    return sum;
  }

  /** Heap in use after full GCs (three, a short pause after each, so that references cleared late are gone). */
  static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** {@code delta / count}, or -1 when either reading was unavailable. */
  static double per(long before, long after, double count) {
    return before < 0 || after < 0 || count <= 0 ? -1 : (after - before) / count;
  }
}
