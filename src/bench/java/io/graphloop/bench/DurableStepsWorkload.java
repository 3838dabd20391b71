package io.graphloop.bench;

import io.graphloop.checkpoint.GroupCommitStats;
import io.graphloop.client.GraphClient;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.support.ThrowawayPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Durable steps at scale (issue 18): {@link GraphShape#maxConcurrentRuns()} threads in flight at once, each a chain of
 * {@link GraphShape#size()} steps whose nodes wait {@link GraphShape#latencyMs()} without blocking, durability
 * {@code sync}, on one store with group commit on ({@code maxBatchSize} 512, the default, or
 * {@code -Dgraphloop.bench.durable.maxBatchSize=N}; PostgreSQL's {@code writerConnections} with
 * {@code -Dgraphloop.bench.durable.writerConnections=N}) or off (1), driven by
 * {@link DurableStepsLoad}, in the phases of {@link DurablePhases} (first runs staggered, a warm-up until the windows
 * settle, every window printed). After the warm-up, each measured iteration gives durable steps per second, the p50 and
 * p99 step latency, and the store's transactions per second and saves per transaction (its {@link GroupCommitStats}
 * over the iteration). Before the load, {@link CommitProbe} measures the disk's commits per second for one writer;
 * {@code bound_steps_per_s} is that rate times the iteration's saves per transaction, in steps (saves per step as
 * measured): the most group commit could give at that batch size.
 *
 * <p>LangGraph4j cannot express it (no SQLite or PostgreSQL saver). Runs on the child's main thread.
 */
final class DurableStepsWorkload implements Measurer {

  /** The runtime's run limits, above the lanes so that none is refused. */
  private static final int MAX_RUNS = 20_000;
  /** The PostgreSQL pool's wait queue, above the lanes: every run's start reads its thread's head through the pool. */
  private static final int PG_WAIT_QUEUE = 100_000;
  private static final long PROBE_MS = 3_000;
  private static final long STOP_WAIT_SECONDS = 20;

  private final String store;
  private final boolean groupCommit;
  /**
   * The store's batch bound with group commit on: {@code graphloop.bench.durable.maxBatchSize} (default 512, the
   * stores' default), to measure whether the full batches of the 10,000-thread rows (saves per commit at the bound)
   * are what limits them.
   */
  static final int MAX_BATCH_SIZE = Integer.getInteger(DurablePhases.PREFIX + "maxBatchSize", 512);
  /** PostgreSQL's writer connections ({@code graphloop.bench.durable.writerConnections}; unset: the store's default). */
  static final Integer WRITER_CONNECTIONS = Integer.getInteger(DurablePhases.PREFIX + "writerConnections");
  /**
   * The SQLite rows' {@code synchronous} ({@code graphloop.bench.durable.sqliteSynchronous}, unset: the store's default
   * FULL): a diagnosis of the commit's sync share only; a row measured with another value is not the row.
   */
  static final String SQLITE_SYNCHRONOUS = System.getProperty(DurablePhases.PREFIX + "sqliteSynchronous");
  /**
   * The SQLite rows' {@code walAutocheckpointPages} ({@code graphloop.bench.durable.sqliteWalAutocheckpointPages};
   * unset: the store's default), printed in the store line.
   */
  static final Integer SQLITE_WAL_PAGES = Integer.getInteger(DurablePhases.PREFIX + "sqliteWalAutocheckpointPages");

  /** PostgreSQL only: whether its server runs with PostgreSQL's defaults rather than {@link BenchPostgres#production}. */
  private final boolean postgresDefaults;

  DurableStepsWorkload(String store, boolean groupCommit) {
    this(store, groupCommit, false);
  }

  DurableStepsWorkload(String store, boolean groupCommit, boolean postgresDefaults) {
    this.store = store;
    this.groupCommit = groupCommit;
    this.postgresDefaults = postgresDefaults;
  }

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    if (system instanceof LangGraph4jAdapter) {
      throw new SystemAdapter.UnsupportedShapeException("langgraph4j-core's checkpoint savers are MemorySaver and "
          + "FileSystemSaver: it has no " + store + " saver (and no durability modes)", null);
    }
    Path sqliteDir = null;
    ThrowawayPostgres postgres = null;
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = new JsonObject().put("maxBatchSize", groupCommit ? MAX_BATCH_SIZE : 1);
      if (WRITER_CONNECTIONS != null && store.equals("postgres")) {
        config.put("writerConnections", WRITER_CONNECTIONS);
      }
      JsonObject metrics = new JsonObject();
      if (store.equals("memory")) {
        config.put("type", "memory");
        metrics.put("store", "MemoryCheckpointStore (no disk: the engine's and the checkpointer's own cost)");
        metrics.put("disk_commits_per_s", single(0));
      } else if (store.equals("sqlite")) {
        sqliteDir = Files.createTempDirectory("graphloop-bench-durable-");
        config.put("type", "sqlite").put("dataDir", sqliteDir.toString());
        if (SQLITE_SYNCHRONOUS != null) {
          config.put("synchronous", SQLITE_SYNCHRONOUS); // a diagnosis only: the rows' definition is FULL
        }
        if (SQLITE_WAL_PAGES != null) {
          config.put("walAutocheckpointPages", SQLITE_WAL_PAGES);
        }
        metrics.put("store", "SqliteCheckpointStore (WAL, synchronous=" + config.getString("synchronous", "FULL")
            + ") in " + sqliteDir + ", " + config.encode());
        metrics.put("disk_commits_per_s", single(CommitProbe.sqlite(sqliteDir, PROBE_MS)));
      } else {
        Path bin = ThrowawayPostgres.findBinaries();
        if (bin == null) {
          throw new SystemAdapter.UnsupportedShapeException("not available: no PostgreSQL server binaries (initdb, "
              + "pg_ctl) in $GRAPHLOOP_PG_BIN, /usr/lib/postgresql/*/bin or on the PATH", null);
        }
        java.util.Map<String, String> serverSettings = postgresDefaults ? java.util.Map.of() : BenchPostgres.production();
        postgres = ThrowawayPostgres.start(bin, "graphloop_bench", true, serverSettings);
        config.put("type", "postgres").put("host", "127.0.0.1").put("port", postgres.port())
            .put("database", postgres.database()).put("user", ThrowawayPostgres.SUPERUSER)
            .put("maxWaitQueueSize", PG_WAIT_QUEUE);
        metrics.put("store", "PostgresCheckpointStore on a local " + postgres.version() + " (fsync on, TCP "
            + "127.0.0.1), " + BenchPostgres.describe(serverSettings) + ", " + config.encode());
        metrics.put("disk_commits_per_s", single(CommitProbe.postgres(vertx, config, PROBE_MS)));
      }
      double diskCommits = metrics.getJsonObject("disk_commits_per_s").getDouble("value");
      DurableStepsLoad[] load = new DurableStepsLoad[1];
      GraphRuntime runtime = GraphRuntime.deploy(vertx,
              DurableStepsLoad.graph("durable-" + shape.size(), shape.size(), shape.latencyMs(), load),
              new GraphRuntimeOptions().setCheckpointer(config).setMaxInFlightRuns(MAX_RUNS)
                  .setMaxRunBacklog(MAX_RUNS))
          .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      try {
        GraphClient client = GraphClient.create(vertx, runtime.graph().name(), 600_000);
        load[0] = new DurableStepsLoad(client, vertx.getOrCreateContext(), shape.maxConcurrentRuns(), shape.size());
        ThrowawayPostgres server = postgres;
        measureLoad(load[0], runtime, shape, settings, peaks, diskCommits, metrics,
            server == null ? () -> -1L : server::serverCpuNanos, sqliteDir);
      } finally {
        try {
          runtime.undeploy().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
          System.err.println("undeploying the durable-steps runtime (runs may still be in flight): " + e);
        }
      }
      return metrics;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      } catch (Exception e) {
        System.err.println("closing the durable-steps Vert.x: " + e);
      }
      if (postgres != null) {
        postgres.close();
      }
      if (sqliteDir != null) {
        delete(sqliteDir);
      }
    }
  }

  private static void measureLoad(DurableStepsLoad load, GraphRuntime runtime, GraphShape shape, Settings settings,
                                  PeakSampler peaks, double diskCommits, JsonObject metrics,
                                  java.util.function.LongSupplier serverCpu, Path sqliteDir) throws Exception {
    DurablePhases phases = new DurablePhases(shape.maxConcurrentRuns(), shape.size(), settings);
    long began = System.nanoTime();
    load.start(phases.staggerMs());
    warmUp(load, runtime, settings, phases, began);
    GroupCommitStats before = stats(runtime);
    long cpuBefore = processCpuNanos();
    long serverBefore = serverCpu.getAsLong();
    List<Double> serverCpuPerStep = new ArrayList<>();
    CpuBreakdown.Snapshot breakdownBefore = CpuBreakdown.take();
    peaks.reset();
    List<Double> stepsPerSecond = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> transactionsPerSecond = new ArrayList<>();
    List<Double> batch = new ArrayList<>();
    List<Double> bound = new ArrayList<>();
    List<Double> statementsPerSave = new ArrayList<>();
    List<Double> cpuPerStep = new ArrayList<>();
    long measuredSteps = 0;
    WindowWatch watch = new WindowWatch(load, sqliteDir);
    for (int i = 0; i < settings.iterations(); i++) {
      Thread.sleep(settings.iterationMs());
      DurableStepsLoad.Histogram window = load.swap();
      System.err.println("[durable] measured window " + (i + 1) + ": " + watch.next(window));
      GroupCommitStats after = stats(runtime);
      long cpuAfter = processCpuNanos();
      double seconds = (System.nanoTime() - window.startedNanos()) / 1e9;
      long steps = window.count();
      long transactions = after.transactions() - before.transactions();
      long saves = after.saves() - before.saves();
      long statements = after.statements() - before.statements();
      before = after;
      if (saves > 0) {
        statementsPerSave.add((double) statements / saves);
      }
      if (steps > 0 && cpuBefore >= 0) {
        cpuPerStep.add((cpuAfter - cpuBefore) / 1e3 / steps);
      }
      cpuBefore = cpuAfter;
      long serverAfter = serverCpu.getAsLong();
      if (steps > 0 && serverBefore >= 0 && serverAfter >= 0) {
        serverCpuPerStep.add((serverAfter - serverBefore) / 1e3 / steps);
      }
      serverBefore = serverAfter;
      measuredSteps += steps;
      stepsPerSecond.add(steps / seconds);
      if (steps > 0) {
        p50.add(window.quantileMs(0.50));
        p99.add(window.quantileMs(0.99));
      }
      transactionsPerSecond.add(transactions / seconds);
      double savesPerTransaction = transactions == 0 ? 0 : (double) saves / transactions;
      batch.add(savesPerTransaction);
      phases.measuredWindow((window.startedNanos() - began) / 1_000_000, steps / seconds,
          steps == 0 ? 0 : window.quantileMs(0.99), savesPerTransaction);
      bound.add(saves == 0 ? 0 : diskCommits * savesPerTransaction * steps / saves);
    }
    String breakdown = CpuBreakdown.perStep(breakdownBefore, CpuBreakdown.take(), measuredSteps);
    try {
      load.stop().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      metrics.put("unfinishedAtEnd", "runs still in flight " + STOP_WAIT_SECONDS + " s after the measurement (queued "
          + "behind the store): not waited for");
    }
    metrics.put("durable_steps_per_s", Stats.summary(stepsPerSecond));
    if (!p99.isEmpty()) {
      metrics.put("p50_step_ms", Stats.summary(p50)).put("p99_step_ms", Stats.summary(p99));
    }
    metrics.put("transactions_per_s", Stats.summary(transactionsPerSecond))
        .put("saves_per_transaction", Stats.summary(batch))
        .put("bound_steps_per_s", Stats.summary(bound))
        .put("statements_per_save", Stats.summary(statementsPerSave))
        .put("cpu_us_per_step", Stats.summary(cpuPerStep))
        .put("threadsInFlight", shape.maxConcurrentRuns())
        .put("measuredSteps", measuredSteps)
        .put("measuredRuns", load.runs())
        .put("cpu_per_step_by_thread", breakdown)
        .put("durable_phases", phases.toJson());
    if (!serverCpuPerStep.isEmpty()) {
      // the database server's processes (same machine, same cores): their CPU per durable step
      metrics.put("server_cpu_us_per_step", Stats.summary(serverCpuPerStep));
    }
    if (load.failures() > 0) {
      metrics.put("failures", load.failures()).put("firstError", load.firstError());
    }
    System.err.println("durable steps metrics: " + metrics.encode());
    System.err.println(summaryLine(metrics));
    System.err.println("[durable] CPU per step by thread: " + breakdown);
    System.err.println("[durable] phases: " + DurablePhases.describe(phases.toJson()));
  }

  /**
   * The warm-up ({@link DurablePhases}): windows of {@code iterationMs} from the first start, each printed with its
   * rate and saves per commit, until the windows settle (or the warm-up's maximum); the last one's histogram is
   * dropped, so the first measured window starts as the warm-up ends.
   */
  private static void warmUp(DurableStepsLoad load, GraphRuntime runtime, Settings settings, DurablePhases phases,
                             long began) throws InterruptedException {
    GroupCommitStats before = stats(runtime);
    for (int i = 1; ; i++) {
      Thread.sleep(settings.iterationMs());
      DurableStepsLoad.Histogram window = load.swap();
      GroupCommitStats after = stats(runtime);
      long now = System.nanoTime();
      double seconds = (now - window.startedNanos()) / 1e9;
      long transactions = after.transactions() - before.transactions();
      double savesPerCommit = transactions == 0 ? 0 : (double) (after.saves() - before.saves()) / transactions;
      before = after;
      double rate = window.count() / seconds;
      double p99 = window.count() == 0 ? 0 : window.quantileMs(0.99);
      long startMs = Math.max(0, (window.startedNanos() - began) / 1_000_000);
      System.err.printf(java.util.Locale.ROOT, "[durable] warm-up window %d (%.1f-%.1f s): %,.0f steps/s, p99 %.1f "
              + "ms, %.1f saves/commit%n", i, startMs / 1e3, (now - began) / 1e9, rate, p99, savesPerCommit);
      if (phases.warmupWindow(startMs, (now - began) / 1_000_000, rate, p99, savesPerCommit)) {
        return;
      }
    }
  }

  /**
   * One line with what the workload is for: durable steps/s (median, min-max over the windows), p99 latency, saves
   * per transaction, statements per save and CPU per step (the JVM's; for PostgreSQL also its server's processes').
   */
  static String summaryLine(JsonObject metrics) {
    return String.format(java.util.Locale.ROOT, "[durable] %s threads: %s durable steps/s (%s-%s), p99 %s ms, "
            + "%s saves/commit, %s statements/save, %s us CPU/step%s, disk %s commits/s",
        metrics.getValue("threadsInFlight"), median(metrics, "durable_steps_per_s", "%,.0f"),
        bound(metrics, "durable_steps_per_s", "min"), bound(metrics, "durable_steps_per_s", "max"),
        median(metrics, "p99_step_ms", "%.1f"), median(metrics, "saves_per_transaction", "%.1f"),
        median(metrics, "statements_per_save", "%.2f"), median(metrics, "cpu_us_per_step", "%.1f"),
        metrics.containsKey("server_cpu_us_per_step")
            ? " (+ database server " + median(metrics, "server_cpu_us_per_step", "%.1f") + " us)" : "",
        median(metrics, "disk_commits_per_s", "%,.0f"));
  }

  private static String median(JsonObject metrics, String key, String format) {
    JsonObject summary = metrics.getJsonObject(key);
    return summary == null ? "n/a" : formatted(summary.getValue("value"), format);
  }

  /** A summary's figure in {@code format}, or as it is when it is not a number (the memory store has no disk). */
  private static String formatted(Object value, String format) {
    return value instanceof Number number ? String.format(java.util.Locale.ROOT, format, number.doubleValue())
        : String.valueOf(value);
  }

  private static String bound(JsonObject metrics, String key, String which) {
    JsonObject summary = metrics.getJsonObject(key);
    return summary == null ? "n/a" : formatted(summary.getValue(which), "%,.0f");
  }

  /** The store's group-commit counters; zeros for a store that commits nothing (memory). */
  private static GroupCommitStats stats(GraphRuntime runtime) {
    GroupCommitStats stats = runtime.checkpointer().store().groupCommitStats();
    return stats != null ? stats : new GroupCommitStats(0, 0, 0);
  }

  /** The process's CPU time (all threads), or -1 when the JVM does not give it. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  private static JsonObject single(double value) {
    return Stats.summary(List.of(value));
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (Exception e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }
}
