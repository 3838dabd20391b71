package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

/**
 * How long and how hard each measurement runs; the parent sends it to every child as JSON.
 *
 * @param warmupMs          steady-state workloads: warm-up time before measuring (JIT, pools)
 * @param iterations        steady-state workloads: measured iterations (the table shows their median)
 * @param iterationMs       steady-state workloads: length of one measured iteration
 * @param seedRuns          seed: timed runs after one warm-up run
 * @param inFlight          Graphloop throughput: runs kept in flight
 * @param lg4jThreads       LangGraph4j throughput: threads each invoking the graph in a loop (default: one per
 *                          core, its best: more threads only add contention)
 * @param lg4jMaxThreads    LangGraph4j concurrency: at most this many threads (one run per thread); beyond,
 *                          runs share a pool of this many threads
 * @param concurrencyWarmup concurrency: runs of each of the two warm-up bursts before the measured burst
 * @param quick             a smoke run (shorter, fewer repetitions)
 */
record Settings(long warmupMs, int iterations, long iterationMs, int seedRuns, int inFlight, int lg4jThreads,
    int lg4jMaxThreads, int concurrencyWarmup, boolean quick) {

  /**
   * The full run's settings. Concurrency warms up, for both systems, with bursts of 1,000 runs for the same 8 s as the
   * steady-state rows. Two bursts of 1,000 left Graphloop's run path partly interpreted (10,000 runs took 0.35 s, and
   * 0.13 s once warm); two bursts of 10,000 raised its peak RSS over the target (the heap grown by the warm-up stays
   * resident), and LangGraph4j's 100,000-run measurement then did not finish within 600 s.
   */
  static Settings full() {
    return new Settings(8_000, 5, 3_000, 3, 1_000, cores(), 10_000, 1_000, false);
  }

  /** The quick smoke run's settings (about a minute for everything). */
  static Settings quickRun() {
    return new Settings(1_000, 3, 500, 1, 1_000, cores(), 10_000, 500, true);
  }

  /** LangGraph4j's runs are CPU-bound without latency: one thread per core is its best closed loop. */
  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  JsonObject toJson() {
    return new JsonObject().put("warmupMs", warmupMs).put("iterations", iterations).put("iterationMs", iterationMs)
        .put("seedRuns", seedRuns).put("inFlight", inFlight).put("lg4jThreads", lg4jThreads)
        .put("lg4jMaxThreads", lg4jMaxThreads).put("concurrencyWarmup", concurrencyWarmup).put("quick", quick);
  }

  static Settings fromJson(JsonObject json) {
    return new Settings(json.getLong("warmupMs"), json.getInteger("iterations"), json.getLong("iterationMs"),
        json.getInteger("seedRuns"), json.getInteger("inFlight"), json.getInteger("lg4jThreads"),
        json.getInteger("lg4jMaxThreads"), json.getInteger("concurrencyWarmup"), json.getBoolean("quick"));
  }

  Settings withLg4jThreads(int threads) {
    return new Settings(warmupMs, iterations, iterationMs, seedRuns, inFlight, threads, lg4jMaxThreads,
        concurrencyWarmup, quick);
  }

  Settings withInFlight(int runs) {
    return new Settings(warmupMs, iterations, iterationMs, seedRuns, runs, lg4jThreads, lg4jMaxThreads,
        concurrencyWarmup, quick);
  }

  Settings withLg4jMaxThreads(int threads) {
    return new Settings(warmupMs, iterations, iterationMs, seedRuns, inFlight, lg4jThreads, threads,
        concurrencyWarmup, quick);
  }
}
