package io.graphloop.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 17's compile-time scaling inside the harness (the {@code compileScaling} workload): how long {@code compile()}
 * of a freshly built chain of N nodes takes, for N = 10 ... 100,000 ({@link #sizes}), {@link Settings#iterations()}
 * rounds per size after a warm-up of 20 compiles of a 1,000-node chain (5 in a quick run). Only {@code compile()} is
 * timed ({@link SystemAdapter#compileChainMillis}). The standalone {@link CompileScaling} prints the same for both
 * systems in one JVM.
 *
 * <p>Capped, per system: a size whose compile is predicted to exceed {@link Settings#compileCapS()} is not compiled.
 * The prediction extends the growth measured between the two sizes before it ({@code t2 * (n3/n2)^k} with
 * {@code k = log(t2/t1) / log(n2/n1)}, at least 1; 1 when {@code t1} is under a millisecond, where
 * noise decides the ratio): LangGraph4j's compile grows about quadratically (1 s at 10,000
 * nodes, 122 s at 100,000 on the 2-core machine), so its 100,000-node compile, and its chain row of that size, are
 * skipped and the report says so. A round over the cap stops that size's rounds and every larger size.
 * Metrics: {@code compile_ms_N} (median, min-max of the rounds) and {@code compile_capped_N} (why not measured).
 *
 * <p>Runs on the child's main thread.
 */
final class CompileWorkload implements Measurer {

  /** The chain sizes of the full run (the quick run stops at 10,000). */
  static List<Integer> sizes(Settings settings) {
    return settings.quick() ? List.of(10, 100, 1_000, 10_000) : List.of(10, 100, 1_000, 10_000, 100_000);
  }

  /** The metric holding chain {@code nodes}' compile time. */
  static String metric(int nodes) {
    return "compile_ms_" + nodes;
  }

  /** The metric saying why chain {@code nodes} was not compiled. */
  static String cappedMetric(int nodes) {
    return "compile_capped_" + nodes;
  }

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    JsonObject metrics = new JsonObject();
    for (int i = 0; i < (settings.quick() ? 5 : 20); i++) {
      system.compileChainMillis(1_000);
    }
    double capMs = settings.compileCapS() * 1e3;
    List<Integer> sizes = sizes(settings);
    List<Double> medians = new ArrayList<>();
    String capped = null;
    for (int index = 0; index < sizes.size(); index++) {
      int n = sizes.get(index);
      if (capped == null && index >= 2) {
        double predicted = predict(sizes.get(index - 2), medians.get(index - 2), sizes.get(index - 1),
            medians.get(index - 1), n);
        if (predicted > capMs) {
          capped = String.format(Locale.ROOT, "predicted %.1f s for %,d nodes (growth of chains %,d -> %,d extended), "
              + "over the cap of %s s (--compile-cap-s)", predicted / 1e3, n, sizes.get(index - 2),
              sizes.get(index - 1), Format.seconds(settings.compileCapS()));
        }
      }
      if (capped != null) {
        metrics.put(cappedMetric(n), capped);
        continue;
      }
      List<Double> rounds = new ArrayList<>();
      for (int r = 0; r < settings.iterations(); r++) {
        double ms = system.compileChainMillis(n);
        rounds.add(ms);
        if (ms > capMs) {
          capped = String.format(Locale.ROOT, "a smaller chain (%,d nodes) took %.1f s to compile, over the cap of "
              + "%s s (--compile-cap-s)", n, ms / 1e3, Format.seconds(settings.compileCapS()));
          break;
        }
      }
      medians.add(Stats.median(rounds));
      metrics.put(metric(n), Stats.summary(rounds));
      System.err.println(String.format(Locale.ROOT, "[compile] %s chain %,d: %.3f ms (median of %d)", system.name(),
          n, Stats.median(rounds), rounds.size()));
    }
    return metrics.put("sizes", new JsonArray(List.copyOf(sizes)));
  }

  /** Time for {@code n3} nodes extending the growth from ({@code n1}, {@code t1}) to ({@code n2}, {@code t2}). */
  static double predict(int n1, double t1, int n2, double t2, int n3) {
    // below a millisecond the timer's and the JIT's noise makes the growth meaningless: assume linear there
    double exponent = t1 >= 1 && t2 > 0 ? Math.log(t2 / t1) / Math.log((double) n2 / n1) : 1;
    return t2 * Math.pow((double) n3 / n2, Math.max(1, exponent));
  }
}
