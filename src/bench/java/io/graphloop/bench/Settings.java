package io.graphloop.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * How long and how hard each measurement runs; the parent sends it to every child as JSON.
 *
 * @param warmupMs          steady-state workloads: warm-up time before measuring (JIT, pools)
 * @param iterations        steady-state workloads: measured iterations (the table shows their median); also the
 *                          compile rounds per chain size of {@code compileScaling}
 * @param iterationMs       steady-state workloads: length of one measured iteration
 * @param seedRuns          seed: timed runs after one warm-up run
 * @param inFlight          Graphloop throughput: runs kept in flight
 * @param lg4jThreads       LangGraph4j throughput: threads each invoking the graph in a loop; 0 (the default): the
 *                          best of {@code lg4jSweep}, searched in the child before the measured iterations
 * @param lg4jMaxThreads    LangGraph4j concurrency: at most this many threads (one run per thread); beyond,
 *                          runs share a pool of this many threads
 * @param concurrencyWarmup concurrency: runs of each of the two warm-up bursts before the measured burst
 * @param quick             a smoke run (shorter, fewer repetitions)
 * @param lg4jSweep         LangGraph4j throughput: the thread counts tried when {@code lg4jThreads} is 0
 * @param sweepMs           LangGraph4j throughput: time measured per thread count of the sweep (after as long again
 *                          of warm-up at that count)
 * @param compileCapS       compileScaling: a chain size whose compile is predicted (from the growth between the two
 *                          sizes before it) or measured to take longer than this is not compiled again, and
 *                          LangGraph4j's chain row of that size is not run
 * @param lg4jMaxBurst      LangGraph4j concurrency: bursts larger than this are not run (its runs would queue many
 *                          deep for {@code lg4jMaxThreads} threads: not a burst)
 * @param concurrencyReps   concurrency: fresh JVMs per (workload, system); the table shows their median
 */
record Settings(long warmupMs, int iterations, long iterationMs, int seedRuns, int inFlight, int lg4jThreads,
    int lg4jMaxThreads, int concurrencyWarmup, boolean quick, List<Integer> lg4jSweep, long sweepMs,
    double compileCapS, int lg4jMaxBurst, int concurrencyReps) {

  /** The sweep's default thread counts (issue 17: LangGraph4j's best N for the many-in-flight pair). */
  static final List<Integer> DEFAULT_SWEEP = List.of(1, 2, 4, 8, 16, 32, 64);

  Settings {
    lg4jSweep = List.copyOf(lg4jSweep);
    if (lg4jSweep.isEmpty() || lg4jSweep.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("the LangGraph4j thread sweep needs one or more counts >= 1, not "
          + lg4jSweep);
    }
    if (lg4jThreads < 0 || lg4jMaxThreads < 1 || inFlight < 1 || iterations < 1 || concurrencyReps < 1
        || lg4jMaxBurst < 1 || compileCapS <= 0 || sweepMs < 1) {
      throw new IllegalArgumentException("bad benchmark settings: " + toJson().encode());
    }
  }

  /**
   * The full run's settings. Concurrency warms up, for both systems, with bursts of 1,000 runs for the same 8 s as the
   * steady-state rows. Two bursts of 1,000 left Graphloop's run path partly interpreted (10,000 runs took 0.35 s, and
   * 0.13 s once warm); two bursts of 10,000 raised its peak RSS over the target (the heap grown by the warm-up stays
   * resident), and LangGraph4j's 100,000-run measurement then did not finish within 600 s.
   */
  static Settings full() {
    return new Settings(8_000, 5, 3_000, 3, 1_000, 0, 10_000, 1_000, false, DEFAULT_SWEEP, 2_000, 10, 100_000, 3);
  }

  /** The quick smoke run's settings (about a minute for everything). */
  static Settings quickRun() {
    return new Settings(1_000, 3, 500, 1, 1_000, 0, 10_000, 500, true, List.of(1, 2, 4), 200, 10, 100_000, 1);
  }

  JsonObject toJson() {
    return new JsonObject().put("warmupMs", warmupMs).put("iterations", iterations).put("iterationMs", iterationMs)
        .put("seedRuns", seedRuns).put("inFlight", inFlight).put("lg4jThreads", lg4jThreads)
        .put("lg4jMaxThreads", lg4jMaxThreads).put("concurrencyWarmup", concurrencyWarmup).put("quick", quick)
        .put("lg4jSweep", new JsonArray(List.copyOf(lg4jSweep))).put("sweepMs", sweepMs)
        .put("compileCapS", compileCapS).put("lg4jMaxBurst", lg4jMaxBurst).put("concurrencyReps", concurrencyReps);
  }

  static Settings fromJson(JsonObject json) {
    return new Settings(json.getLong("warmupMs"), json.getInteger("iterations"), json.getLong("iterationMs"),
        json.getInteger("seedRuns"), json.getInteger("inFlight"), json.getInteger("lg4jThreads"),
        json.getInteger("lg4jMaxThreads"), json.getInteger("concurrencyWarmup"), json.getBoolean("quick"),
        json.getJsonArray("lg4jSweep").stream().map(n -> ((Number) n).intValue()).toList(), json.getLong("sweepMs"),
        json.getDouble("compileCapS"), json.getInteger("lg4jMaxBurst"), json.getInteger("concurrencyReps"));
  }

  Settings withLg4jThreads(int threads) {
    return new Settings(warmupMs, iterations, iterationMs, seedRuns, inFlight, threads, lg4jMaxThreads,
        concurrencyWarmup, quick, lg4jSweep, sweepMs, compileCapS, lg4jMaxBurst, concurrencyReps);
  }

  Settings withInFlight(int runs) {
    return new Settings(warmupMs, iterations, iterationMs, seedRuns, runs, lg4jThreads, lg4jMaxThreads,
        concurrencyWarmup, quick, lg4jSweep, sweepMs, compileCapS, lg4jMaxBurst, concurrencyReps);
  }

  Settings withLg4jMaxThreads(int threads) {
    return new Settings(warmupMs, iterations, iterationMs, seedRuns, inFlight, lg4jThreads, threads,
        concurrencyWarmup, quick, lg4jSweep, sweepMs, compileCapS, lg4jMaxBurst, concurrencyReps);
  }

  Settings withLg4jSweep(List<Integer> counts) {
    return new Settings(warmupMs, iterations, iterationMs, seedRuns, inFlight, lg4jThreads, lg4jMaxThreads,
        concurrencyWarmup, quick, counts, sweepMs, compileCapS, lg4jMaxBurst, concurrencyReps);
  }

  Settings withCompileCapS(double seconds) {
    return new Settings(warmupMs, iterations, iterationMs, seedRuns, inFlight, lg4jThreads, lg4jMaxThreads,
        concurrencyWarmup, quick, lg4jSweep, sweepMs, seconds, lg4jMaxBurst, concurrencyReps);
  }

  Settings withLg4jMaxBurst(int runs) {
    return new Settings(warmupMs, iterations, iterationMs, seedRuns, inFlight, lg4jThreads, lg4jMaxThreads,
        concurrencyWarmup, quick, lg4jSweep, sweepMs, compileCapS, runs, concurrencyReps);
  }

  /**
   * The smoke test's settings (bin/bench-smoke.sh): every code path of a full run (the thread sweep, several
   * concurrency JVMs, the compile cap) with tiny counts and times, in a few minutes.
   */
  static Settings smoke() {
    return new Settings(300, 2, 200, 1, 100, 0, 2_000, 100, true, List.of(1, 2), 100, 0.05, 10_000, 2);
  }
}
