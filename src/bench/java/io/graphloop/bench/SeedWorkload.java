package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed demo graph with real (simulated, non-blocking) latency: one warm-up run, then a few runs one
 * after another, each timed on its own. Metric {@code elapsed_s}: seconds per run.
 */
final class SeedWorkload implements Measurer {

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    JsonObject metrics = new JsonObject();
    Measurer.addFailures(metrics, system.sequential(0, 1));
    peaks.reset();
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < settings.seedRuns(); i++) {
      Batch run = system.sequential(0, 1);
      Measurer.addFailures(metrics, run);
      seconds.add(run.seconds());
    }
    return metrics.put("measuredRuns", seconds.size()).put("elapsed_s", Stats.summary(seconds));
  }
}
