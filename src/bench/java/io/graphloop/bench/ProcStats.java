package io.graphloop.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * The server bench's load-independent counters of a process and the machine, from {@code /proc} (Linux; without it
 * each reads -1 or zeros): a process's CPU time, system calls, RSS and threads, its native memory by category
 * ({@code jcmd}), the bench JVM's own CPU time, the TCP accept-queue counters and the load average. The per-process
 * figures of a server count its whole process tree (the JS reference server runs its graphs in child processes;
 * {@code serve} has none).
 *
 * <p>Thread rules: stateless; each call reads the files anew and may be made from any thread.
 */
final class ProcStats {

  private ProcStats() {
  }

  /** {@code pid} and its descendants, alive now. */
  static long[] tree(long pid) {
    return LongStream.concat(LongStream.of(pid), ProcessHandle.of(pid).stream()
        .flatMap(ProcessHandle::descendants).mapToLong(ProcessHandle::pid)).toArray();
  }

  /** The machine's load average (1, 5, 15 minutes), or "unknown". */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The server's read and write system calls so far ({@code syscr}, {@code syscw} of /proc/PID/io); -1 without. */
  static long[] syscalls(long pid) {
    long[] sum = {0, 0};
    for (long each : tree(pid)) {
      long[] one = syscallsOf(each);
      sum[0] += Math.max(0, one[0]);
      sum[1] += Math.max(0, one[1]);
    }
    return sum;
  }

  private static long[] syscallsOf(long pid) {
    long[] calls = {-1, -1};
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
        if (line.startsWith("syscr:")) {
          calls[0] = Long.parseLong(line.substring(6).trim());
        } else if (line.startsWith("syscw:")) {
          calls[1] = Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: -1
    }
    return calls;
  }

  /**
   * The server's native memory by category ({@code jcmd PID VM.native_memory summary}: committed MB of the total,
   * the Java heap, thread stacks, class metadata, code, GC, and "Other", where NIO direct buffers are counted) when
   * it runs with {@code --nmt}; empty otherwise.
   */
  static String nativeMemory(long pid) {
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
      String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor(60, TimeUnit.SECONDS);
      if (!text.contains("Total:")) {
        return "";
      }
      StringBuilder out = new StringBuilder("; NMT committed MB:");
      java.util.regex.Matcher total = java.util.regex.Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB")
          .matcher(text);
      if (total.find()) {
        out.append(" total ").append(Long.parseLong(total.group(2)) / 1024);
      }
      java.util.regex.Matcher category = java.util.regex.Pattern.compile(
          "-\\s+(Java Heap|Class|Thread|Code|GC|Other|Internal|Symbol|Metaspace) \\(reserved=(\\d+)KB, committed=(\\d+)KB")
          .matcher(text);
      while (category.find()) {
        out.append(", ").append(category.group(1).toLowerCase(java.util.Locale.ROOT)).append(' ')
            .append(Long.parseLong(category.group(3)) / 1024);
      }
      return out.toString();
    } catch (IOException | RuntimeException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
  static final double TICKS_PER_SECOND = 100;

  /** The server's user + system CPU time in clock ticks (every thread), from /proc/PID/stat; -1 without /proc. */
  static long cpuTicks(long pid) {
    return LongStream.of(tree(pid)).map(ProcStats::cpuTicksOf).filter(t -> t >= 0).sum();
  }

  private static long cpuTicksOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The server's system (kernel) CPU time in clock ticks, from /proc/PID/stat; -1 without /proc. */
  static long systemTicks(long pid) {
    return LongStream.of(tree(pid)).map(ProcStats::systemTicksOf).filter(t -> t >= 0).sum();
  }

  private static long systemTicksOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]); // stime (field 15)
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** This JVM's (the load generator's) CPU time, every thread. */
  static long benchCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  /**
   * The machine's (network namespace's) TCP ListenOverflows and TCPSynRetrans counters from /proc/net/netstat: a
   * connection refused by a full accept queue is retried by the client only after its SYN timeout (1 s, then 3 s).
   */
  static long[] tcpCounters() {
    long[] counters = {0, 0};
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
      for (int i = 0; i + 1 < lines.size(); i += 2) {
        if (lines.get(i).startsWith("TcpExt:")) {
          String[] names = lines.get(i).split(" ");
          String[] values = lines.get(i + 1).split(" ");
          for (int f = 1; f < names.length && f < values.length; f++) {
            if (names[f].equals("ListenOverflows")) {
              counters[0] = Long.parseLong(values[f]);
            } else if (names[f].equals("TCPSynRetrans")) {
              counters[1] = Long.parseLong(values[f]);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: zeros
    }
    return counters;
  }

  /** The server's RSS (kB) and threads from /proc, keeping the peaks. */
  static void sample(long pid, long[] peak) {
    long rss = 0;
    long threads = 0;
    for (long each : tree(pid)) {
      long[] one = {0, 0};
      sampleOf(each, one);
      rss += one[0];
      threads += one[1];
    }
    peak[0] = Math.max(peak[0], rss);
    peak[1] = Math.max(peak[1], threads);
  }

  private static void sampleOf(long pid, long[] peak) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          peak[0] = Math.max(peak[0], Long.parseLong(line.replaceAll("[^0-9]", "")));
        } else if (line.startsWith("Threads:")) {
          peak[1] = Math.max(peak[1], Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended or /proc is unavailable: no sample
    }
  }
}
