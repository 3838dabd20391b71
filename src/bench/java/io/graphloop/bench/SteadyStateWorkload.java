package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Latency of trivial runs in steady state (chain N, fan-out K): runs one after another, first for the
 * warm-up time, then for several measured iterations of a few seconds each. Each iteration gives the
 * mean time per run; metrics {@code us_per_step} and {@code ms_per_step} (per run divided by the graph's nodes in
 * sequence, for chains) and {@code ms_per_run}.
 */
final class SteadyStateWorkload implements Measurer {

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    JsonObject metrics = new JsonObject();
    Measurer.addFailures(metrics, system.sequential(settings.warmupMs(), Long.MAX_VALUE));
    peaks.reset();
    List<Double> perStepMicros = new ArrayList<>();
    List<Double> perRunMillis = new ArrayList<>();
    long runs = 0;
    for (int i = 0; i < settings.iterations(); i++) {
      Batch batch = system.sequential(settings.iterationMs(), Long.MAX_VALUE);
      Measurer.addFailures(metrics, batch);
      runs += batch.runs();
      perRunMillis.add(batch.nanosPerRun() / 1e6);
      perStepMicros.add(batch.nanosPerRun() / 1e3 / shape.size());
    }
    List<Double> perStepMillis = perStepMicros.stream().map(micros -> micros / 1e3).toList();
    return metrics.put("us_per_step", Stats.summary(perStepMicros)).put("ms_per_step", Stats.summary(perStepMillis))
        .put("ms_per_run", Stats.summary(perRunMillis))
        .put("measuredRuns", runs);
  }
}
