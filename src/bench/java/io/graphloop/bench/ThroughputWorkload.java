package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs per second of the seed graph without latency, many runs in flight (closed loop: each finished
 * run starts the next until the iteration's time is up, then the runs in flight drain). Warm-up, then
 * measured iterations; metric {@code runs_per_s}.
 */
final class ThroughputWorkload implements Measurer {

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    JsonObject metrics = new JsonObject();
    Measurer.addFailures(metrics, system.closedLoop(settings.warmupMs()));
    peaks.reset();
    List<Double> rates = new ArrayList<>();
    long runs = 0;
    for (int i = 0; i < settings.iterations(); i++) {
      Batch batch = system.closedLoop(settings.iterationMs());
      Measurer.addFailures(metrics, batch);
      runs += batch.runs();
      rates.add(batch.runsPerSecond());
    }
    return metrics.put("runs_per_s", Stats.summary(rates)).put("measuredRuns", runs);
  }
}
