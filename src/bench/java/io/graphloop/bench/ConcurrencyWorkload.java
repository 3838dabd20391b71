package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * R runs of the seed graph (100 ms latency per node) started at once: warm-up bursts of
 * {@link Settings#concurrencyWarmup()} runs, one after the other, for {@link Settings#warmupMs()} (the steady-state
 * rows' warm-up time, so the JIT has compiled the run path as in a server that has been up a while), a GC, then the
 * measured burst. Metrics: {@code wall_s} (first start to last finish), and, over the
 * measured burst only, {@code peak_heap_mb}, {@code peak_rss_mb} and {@code peak_threads}.
 */
final class ConcurrencyWorkload implements Measurer {

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
    Batch burst = system.burst(shape.maxConcurrentRuns(), origin);
    Measurer.addFailures(metrics, burst);
    return metrics.put("measuredRuns", burst.runs()).put("wall_s", Stats.summary(List.of(burst.seconds())))
        .put("peak_heap_mb", Stats.summary(List.of(peaks.peakHeapMb())))
        .put("peak_rss_mb", Stats.summary(List.of(peaks.peakRssMb())))
        .put("peak_threads", Stats.summary(List.of((double) peaks.peakThreads())))
        .put("gc_ms", Stats.summary(List.of((double) peaks.gcMillisSinceReset())))
        .put("rssReset", peaks.rssWasReset())
        .put("warmupBursts", warmupBursts).put("origin", origin.name());
  }
}
