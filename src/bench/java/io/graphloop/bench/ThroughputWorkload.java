package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs per second of the seed graph without latency, many runs in flight (closed loop: each finished
 * run starts the next until the iteration's time is up, then the runs in flight drain). Warm-up, then
 * measured iterations; metric {@code runs_per_s}.
 *
 * <p>A system that needs a thread per run in flight ({@link SystemAdapter#threadsPerRun()}, LangGraph4j) is measured
 * at its best thread count (issue 17: the many-in-flight pair compares Graphloop's 1,000 runs with LangGraph4j's best
 * N): unless {@code --lg4j-threads} fixes N, after the warm-up each count of {@link Settings#lg4jSweep()} is warmed
 * up and measured for {@link Settings#sweepMs()}, and the measured iterations use the fastest. Metrics
 * {@code best_threads} and {@code sweep} ({@code {"N": runs/s}}) record the search.
 *
 * <p>Runs on the child's main thread.
 */
final class ThroughputWorkload implements Measurer {

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    JsonObject metrics = new JsonObject();
    Measurer.addFailures(metrics, system.closedLoop(settings.warmupMs()));
    if (system.threadsPerRun() && settings.lg4jThreads() == 0) {
      sweep(system, settings, metrics);
    }
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

  /** Tries every count of the sweep, keeps the fastest for the measured iterations. */
  private static void sweep(SystemAdapter system, Settings settings, JsonObject metrics) throws Exception {
    JsonObject rates = new JsonObject();
    int best = -1;
    double bestRate = -1;
    for (int threads : settings.lg4jSweep()) {
      Measurer.addFailures(metrics, system.closedLoop(settings.sweepMs(), threads));
      Batch batch = system.closedLoop(settings.sweepMs(), threads);
      Measurer.addFailures(metrics, batch);
      double rate = batch.runsPerSecond();
      rates.put(Integer.toString(threads), rate);
      System.err.println(String.format(Locale.ROOT, "[sweep] %s: %d threads %.0f runs/s", system.name(), threads,
          rate));
      if (rate > bestRate) {
        bestRate = rate;
        best = threads;
      }
    }
    system.useThreads(best);
    metrics.put("best_threads", best).put("sweep", rates);
  }
}
