package io.graphloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Describes the machine the benchmark runs on: CPU model and cores, memory, OS, Java, and the load
 * average (a busy machine makes noisy numbers).
 */
final class Machine {

  private Machine() {
  }

  /** Lines of {@code key: value} for the report. */
  static List<String> describe() {
    Runtime runtime = Runtime.getRuntime();
    return List.of(
        "CPU: " + cpuModel() + ", " + runtime.availableProcessors() + " cores available to the JVM",
        "memory: " + memTotal(),
        "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
            + System.getProperty("os.arch") + ")",
        "Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
            + System.getProperty("java.vendor") + ")");
  }

  /** The 1, 5 and 15 minute load averages, or "unknown". */
  static String loadAverage() {
    try {
      String[] parts = String.join(" ", Files.readAllLines(Path.of("/proc/loadavg"))).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * Tasks of other processes running or runnable right now, averaged over {@code samples} readings 20 ms apart: the
   * kernel's count of runnable tasks ({@code /proc/loadavg}'s fourth field, "running/total") less the reading thread
   * itself; NaN where unknown. Unlike the 1-minute load average it has no memory, so it tells other processes'
   * work from the decaying load the harness's previous JVM left behind.
   */
  static double runnableNow(int samples) throws InterruptedException {
    double sum = 0;
    for (int i = 0; i < samples; i++) {
      try {
        String field = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[3];
        sum += Integer.parseInt(field.substring(0, field.indexOf('/'))) - 1;
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
      Thread.sleep(20);
    }
    return Math.max(0, sum / samples);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
    return System.getProperty("os.arch");
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format("%.1f GiB", kb / 1048576.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Runtime.getRuntime().maxMemory() / 1048576 + " MB max heap";
    }
    return "unknown";
  }
}
