package io.graphloop.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one measured window of a durable-steps workload held besides its steps, to tell why a window's rate falls
 * (a repetition's minimum): the runs that completed in it (each completion starts the thread's next run, whose start
 * reads the thread's checkpoint on the store's thread), the store thread's CPU, the JVM's GC time, and the SQLite
 * write-ahead log's size at its end (a checkpoint of the log shrinks nothing, but a restart writes from its start
 * again). One line per window, printed as the window ends.
 *
 * <p>Thread rules: used by the measuring thread only.
 */
final class WindowWatch {

  private final DurableStepsLoad load;
  private final Path sqliteDir;
  private long runs;
  private long gcMillis;
  private long storeNanos;

  WindowWatch(DurableStepsLoad load, Path sqliteDir) {
    this.load = load;
    this.sqliteDir = sqliteDir;
    this.runs = load.runs();
    this.gcMillis = gcMillis();
    this.storeNanos = storeNanos();
  }

  /** The line of the window that just ended, and the counters reset for the next one. */
  String next(DurableStepsLoad.Histogram window) {
    double seconds = (System.nanoTime() - window.startedNanos()) / 1e9;
    long runsNow = load.runs();
    long gcNow = gcMillis();
    long storeNow = storeNanos();
    String line = String.format("%,.0f steps/s, p99 %.1f ms, %,d runs completed (each starts the next), store "
            + "thread CPU %.0f%%, GC %,d ms%s", window.count() / seconds, window.count() == 0 ? 0.0
            : window.quantileMs(0.99), runsNow - runs, (storeNow - storeNanos) / 1e7 / seconds, gcNow - gcMillis,
        walSize());
    runs = runsNow;
    gcMillis = gcNow;
    storeNanos = storeNow;
    return line;
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static long storeNanos() {
    long[] group = CpuBreakdown.take().groups().get("store/worker threads");
    return group == null ? 0 : group[1];
  }

  private String walSize() {
    if (sqliteDir == null) {
      return "";
    }
    try (var files = Files.list(sqliteDir)) {
      long wal = 0;
      long db = 0;
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith("-wal")) {
          wal += Files.size(file);
        } else if (name.endsWith(".db")) {
          db += Files.size(file);
        }
      }
      return String.format(", file %,d MB, WAL %,d MB", db >> 20, wal >> 20);
    } catch (java.io.IOException e) {
      return ", file sizes unknown: " + e.getMessage();
    }
  }
}
