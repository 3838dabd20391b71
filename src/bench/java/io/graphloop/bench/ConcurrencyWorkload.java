package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * R runs of the seed graph (100 ms latency per node) started at once: two small warm-up bursts, a GC,
 * then the measured burst. Metrics: {@code wall_s} (first start to last finish), and, over the
 * measured burst only, {@code peak_heap_mb}, {@code peak_rss_mb} and {@code peak_threads}.
 */
final class ConcurrencyWorkload implements Measurer {

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    JsonObject metrics = new JsonObject();
    int warmup = Math.min(settings.concurrencyWarmup(), shape.maxConcurrentRuns());
    for (int i = 0; i < 2; i++) {
      Measurer.addFailures(metrics, system.burst(warmup));
    }
    System.gc();
    peaks.reset();
    Batch burst = system.burst(shape.maxConcurrentRuns());
    Measurer.addFailures(metrics, burst);
    return metrics.put("measuredRuns", burst.runs()).put("wall_s", Stats.summary(List.of(burst.seconds())))
        .put("peak_heap_mb", Stats.summary(List.of(peaks.peakHeapMb())))
        .put("peak_rss_mb", Stats.summary(List.of(peaks.peakRssMb())))
        .put("peak_threads", Stats.summary(List.of((double) peaks.peakThreads())))
        .put("rssReset", peaks.rssWasReset());
  }
}
