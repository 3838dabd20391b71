package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs per second of the seed graph without latency, one run in flight: each run starts when the previous one has
 * ended. Two ways for each system, measured alternately in the same JVM after a warm-up of both: through its blocking
 * call on a plain thread ({@code runs_per_s_blocking}: Graphloop's {@code invokeAndWait}, LangGraph4j's
 * {@code invoke}) and through its natural asynchronous path ({@code runs_per_s_composed}: Graphloop's futures composed
 * on an event loop; LangGraph4j has only the blocking call, so the same {@code invoke} again).
 */
final class OneInFlightWorkload implements Measurer {

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    JsonObject metrics = new JsonObject();
    Measurer.addFailures(metrics, system.blockingSequential(settings.warmupMs() / 2));
    Measurer.addFailures(metrics, system.sequential(settings.warmupMs() / 2, Long.MAX_VALUE));
    peaks.reset();
    List<Double> blocking = new ArrayList<>();
    List<Double> composed = new ArrayList<>();
    long runs = 0;
    for (int i = 0; i < settings.iterations(); i++) {
      Batch wait = system.blockingSequential(settings.iterationMs());
      Batch future = system.sequential(settings.iterationMs(), Long.MAX_VALUE);
      Measurer.addFailures(metrics, wait);
      Measurer.addFailures(metrics, future);
      runs += wait.runs() + future.runs();
      blocking.add(wait.runsPerSecond());
      composed.add(future.runsPerSecond());
    }
    return metrics.put("runs_per_s_blocking", Stats.summary(blocking))
        .put("runs_per_s_composed", Stats.summary(composed)).put("measuredRuns", runs);
  }
}
