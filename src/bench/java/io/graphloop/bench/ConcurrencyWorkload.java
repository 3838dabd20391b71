package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * R runs of the seed graph (100 ms latency per node) started at once: warm-up bursts of
 * {@link Settings#concurrencyWarmup()} runs, one after the other, for {@link Settings#warmupMs()} (the steady-state
 * rows' warm-up time, so the JIT has compiled the run path as in a server that has been up a while), a GC, then the
 * measured burst. Metrics: {@code wall_s} (first start to last finish), and, over the
 * measured burst only, {@code peak_heap_mb}, {@code peak_rss_mb} and {@code peak_threads}; and measures a loaded
 * machine does not inflate: {@code alloc_bytes_per_run} (bytes allocated by every live thread during the measured
 * burst, per run) and, after it, {@code retained_bytes_per_run} ({@link SystemAdapter#retainedBytesPerRun}, up to
 * {@value #MAX_PARKED} runs parked), both also printed as one {@code [load-free]} line.
 */
final class ConcurrencyWorkload implements Measurer {

  /** At most this many runs are parked to measure the bytes retained per run in flight. */
  static final int MAX_PARKED = 100_000;

  private final BurstOrigin origin;

  ConcurrencyWorkload() {
    this(BurstOrigin.ONE_LOOP);
  }

  /** Bursts (warm-up and measured) started from {@code origin}. */
  ConcurrencyWorkload(BurstOrigin origin) {
    this.origin = origin;
  }

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    JsonObject metrics = new JsonObject();
    int warmup = Math.min(settings.concurrencyWarmup(), shape.maxConcurrentRuns());
    long warmupEnd = System.nanoTime() + settings.warmupMs() * 1_000_000L;
    int warmupBursts = 0;
    do {
      Measurer.addFailures(metrics, system.burst(warmup, origin));
      warmupBursts++;
    } while (System.nanoTime() < warmupEnd);
    System.gc();
    peaks.reset();
    long allocBefore = LoadFree.allocatedBytes();
    Batch burst = system.burst(shape.maxConcurrentRuns(), origin);
    double allocPerRun = LoadFree.per(allocBefore, LoadFree.allocatedBytes(), burst.runs());
    Measurer.addFailures(metrics, burst);
    metrics.put("peak_heap_mb", Stats.summary(List.of(peaks.peakHeapMb())))
        .put("peak_rss_mb", Stats.summary(List.of(peaks.peakRssMb())))
        .put("peak_threads", Stats.summary(List.of((double) peaks.peakThreads())))
        .put("gc_ms", Stats.summary(List.of((double) peaks.gcMillisSinceReset())))
        .put("rssReset", peaks.rssWasReset()); // read before the parked runs below (their GCs and heap are not the burst's)
    // after the measured burst (it must not run on a heap that parked runs left behind): bytes kept per run in flight
    int parked = Math.min(shape.maxConcurrentRuns(), MAX_PARKED);
    double retained = system.retainedBytesPerRun(parked, origin);
    if (allocPerRun >= 0) {
      metrics.put("alloc_bytes_per_run", Stats.summary(List.of(allocPerRun)));
    }
    if (retained >= 0) {
      metrics.put("retained_bytes_per_run", Stats.summary(List.of(retained))).put("parkedRuns", parked);
    }
    System.err.println(String.format(java.util.Locale.ROOT,
        "[load-free] %s %s (%s): alloc %s bytes/run in the burst, retained %s bytes/run in flight (%,d runs parked)",
        shape.name(), origin.label(), system.name(), allocPerRun < 0 ? "n/a" : String.format("%.0f", allocPerRun),
        retained < 0 ? "n/a" : String.format("%.0f", retained), parked));
    return metrics.put("measuredRuns", burst.runs()).put("wall_s", Stats.summary(List.of(burst.seconds())))
        .put("warmupBursts", warmupBursts).put("origin", origin.name());
  }
}
