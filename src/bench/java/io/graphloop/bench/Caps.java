package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * Which LangGraph4j measurements are not run because they cannot finish in a useful time (issue 17: "LangGraph4j
 * where it can run"), and why: a chain whose compile() the {@code compileScaling} workload of the same run did not
 * measure, or measured over {@link Settings#compileCapS()} (LangGraph4j's compile of a 100,000-node chain takes about
 * 2 minutes on the 2-core machine, before a single run); a burst larger than {@link Settings#lg4jMaxBurst()} (one
 * thread per run is impossible beyond about 30,000 threads here, and a million runs queued on 10,000 threads is a
 * 20-second queue, not a burst). The reason becomes the table's "not run" footnote.
 *
 * <p>Stateless; used on the parent's main thread.
 */
final class Caps {

  private Caps() {
  }

  /** Why {@code workload} is not run on {@code system}, or null to run it. */
  static String reason(Workload workload, String system, Settings settings, Results results) {
    if (!Report.LANGGRAPH4J.equals(system)) {
      return null;
    }
    if (workload.measurer() instanceof ConcurrencyWorkload) {
      int runs = workload.shape(settings).maxConcurrentRuns();
      if (runs > settings.lg4jMaxBurst()) {
        int depth = (runs + settings.lg4jMaxThreads() - 1) / settings.lg4jMaxThreads();
        return String.format(Locale.ROOT, "capped: bursts over %,d runs are not run for LangGraph4j "
            + "(--lg4j-max-burst): it needs a thread per run in flight and starts at most %,d (--lg4j-max-threads)%s",
            settings.lg4jMaxBurst(), settings.lg4jMaxThreads(), depth <= 1 ? "" : String.format(Locale.ROOT,
                ", so %,d runs would queue %,d deep for them (at least %,d x a run's 200 ms): not a burst", runs,
                depth, depth));
      }
      return null;
    }
    GraphShape shape = workload.shape(settings);
    if (shape == null || shape.kind() != GraphShape.Kind.CHAIN || shape.remote() || shape.maxConcurrentRuns() != 1
        || !(workload.measurer() instanceof SteadyStateWorkload)) {
      return null;
    }
    List<JsonObject> compile = results.of(Workload.COMPILE_SCALING, system);
    if (compile.isEmpty()) {
      return null;
    }
    JsonObject metrics = Results.metrics(compile.get(0));
    int n = shape.size();
    String capped = metrics.getString(CompileWorkload.cappedMetric(n));
    if (capped != null) {
      return "capped: its compile() of this chain was not measured by compileScaling (" + capped + ")";
    }
    JsonObject summary = metrics.getJsonObject(CompileWorkload.metric(n));
    if (summary != null && summary.getDouble("value") > settings.compileCapS() * 1e3) {
      return String.format(Locale.ROOT, "capped: its compile() of this chain took %.1f s (compileScaling), over "
          + "the cap of %s s (--compile-cap-s)", summary.getDouble("value") / 1e3,
          Format.seconds(settings.compileCapS()));
    }
    return null;
  }

  /**
   * Whether the measurement leaves a load behind that later rows would inherit in their load before: LangGraph4j's
   * bursts of 10,000 runs or more (a thread per run: thousands of threads; its 100,000-run burst leaves a 1-minute load
   * of about 25). The harness runs these after every other measurement.
   */
  static boolean loadsTheMachine(Workload workload, String system, Settings settings) {
    return Report.LANGGRAPH4J.equals(system) && workload.measurer() instanceof ConcurrencyWorkload
        && workload.shape(settings).maxConcurrentRuns() >= 10_000;
  }
}
