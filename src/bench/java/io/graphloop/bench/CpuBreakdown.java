package io.graphloop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a process's CPU time goes, by thread group, between two {@link #take() snapshots}: the Vert.x event loops, the
 * stores' worker threads ({@code graphloop-sqlite-*}, Vert.x workers), the JVM's own threads that Java cannot see
 * (GC, JIT: the process's CPU minus every Java thread's), each split into user and system (kernel) time, and the heap
 * allocated by Java threads. Load-independent enough to compare code on a shared machine: CPU time counts the work
 * done, not the waiting.
 *
 * <p>Thread rules: a snapshot is taken on any thread; snapshots are immutable.
 */
final class CpuBreakdown {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU (user, total) nanoseconds by group, the process's total CPU and the bytes allocated, at one moment. */
  record Snapshot(Map<String, long[]> groups, long processNanos, long allocatedBytes) {
  }

  private CpuBreakdown() {
  }

  static Snapshot take() {
    Map<String, long[]> groups = new LinkedHashMap<>();
    long allocated = 0;
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    com.sun.management.ThreadMXBean sun = THREADS instanceof com.sun.management.ThreadMXBean s ? s : null;
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] == null) {
        continue;
      }
      long total = THREADS.getThreadCpuTime(ids[i]);
      long user = THREADS.getThreadUserTime(ids[i]);
      if (total < 0 || user < 0) {
        continue;
      }
      long[] sums = groups.computeIfAbsent(group(infos[i].getThreadName()), g -> new long[2]);
      sums[0] += user;
      sums[1] += total;
      if (sun != null) {
        allocated += Math.max(0, sun.getThreadAllocatedBytes(ids[i]));
      }
    }
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    long process = os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
    return new Snapshot(groups, process, allocated);
  }

  private static String group(String thread) {
    if (thread.startsWith("vert.x-eventloop")) {
      return "event loops";
    }
    if (thread.startsWith("graphloop-sqlite") || thread.startsWith("vert.x-worker")
        || thread.startsWith("vert.x-internal-blocking")) {
      return "store/worker threads";
    }
    return "other Java threads";
  }

  /**
   * Per step between two snapshots: "event loops 30.1 (user 22.0)" etc., the JVM's own threads, and the allocation,
   * as one line. Threads that ended between the snapshots are missed (their CPU counts under "JVM").
   */
  static String perStep(Snapshot before, Snapshot after, long steps) {
    if (steps <= 0) {
      return "no steps";
    }
    StringBuilder line = new StringBuilder();
    long javaTotal = 0;
    for (Map.Entry<String, long[]> group : after.groups().entrySet()) {
      long[] was = before.groups().getOrDefault(group.getKey(), new long[2]);
      long user = group.getValue()[0] - was[0];
      long total = group.getValue()[1] - was[1];
      javaTotal += total;
      line.append(String.format(java.util.Locale.ROOT, "%s %.1f us (user %.1f, system %.1f); ", group.getKey(),
          total / 1e3 / steps, user / 1e3 / steps, (total - user) / 1e3 / steps));
    }
    long process = after.processNanos() - before.processNanos();
    line.append(String.format(java.util.Locale.ROOT, "JVM (GC, JIT) %.1f us; process %.1f us; allocated %.1f KB",
        (process - javaTotal) / 1e3 / steps, process / 1e3 / steps,
        (after.allocatedBytes() - before.allocatedBytes()) / 1024.0 / steps));
    return line.toString();
  }
}
