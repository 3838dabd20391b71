package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Latency of trivial runs in steady state (chain N, fan-out K): runs one after another, first for the
 * warm-up time, then for several measured iterations of a few seconds each. Each iteration gives the
 * mean time per run; metrics {@code us_per_step} and {@code ms_per_step} (per run divided by the graph's nodes in
 * sequence, for chains) and {@code ms_per_run}; also {@code cpu_us_per_step}, the process's CPU time (every thread:
 * event loops, GC, JIT) per step, which a loaded machine inflates less than wall time (it does not count the time the
 * process waited for a core).
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
    List<Double> cpuPerStepMicros = new ArrayList<>();
    List<Double> loopCpuPerStepMicros = new ArrayList<>();
    List<Double> allocPerStep = new ArrayList<>();
    long runs = 0;
    for (int i = 0; i < settings.iterations(); i++) {
      long cpuBefore = processCpuNanos();
      long loopCpuBefore = LoadFree.eventLoopCpuNanos();
      long allocBefore = LoadFree.allocatedBytes();
      Batch batch = system.sequential(settings.iterationMs(), Long.MAX_VALUE);
      long cpu = processCpuNanos() - cpuBefore;
      double steps = (double) batch.runs() * shape.size();
      double loopCpu = LoadFree.per(loopCpuBefore, LoadFree.eventLoopCpuNanos(), steps);
      double alloc = LoadFree.per(allocBefore, LoadFree.allocatedBytes(), steps);
      if (batch.runs() > 0 && cpuBefore >= 0) {
        cpuPerStepMicros.add(cpu / 1e3 / batch.runs() / shape.size());
      }
      if (loopCpu >= 0) {
        loopCpuPerStepMicros.add(loopCpu / 1e3);
      }
      if (alloc >= 0) {
        allocPerStep.add(alloc);
      }
      Measurer.addFailures(metrics, batch);
      runs += batch.runs();
      perRunMillis.add(batch.nanosPerRun() / 1e6);
      perStepMicros.add(batch.nanosPerRun() / 1e3 / shape.size());
    }
    List<Double> perStepMillis = perStepMicros.stream().map(micros -> micros / 1e3).toList();
    metrics.put("us_per_step", Stats.summary(perStepMicros)).put("ms_per_step", Stats.summary(perStepMillis))
        .put("ms_per_run", Stats.summary(perRunMillis)).put("cpu_us_per_step", Stats.summary(cpuPerStepMicros))
        .put("measuredRuns", runs);
    if (!allocPerStep.isEmpty()) {
      metrics.put("alloc_bytes_per_step", Stats.summary(allocPerStep));
    }
    if (!loopCpuPerStepMicros.isEmpty()) { // Graphloop's event loops; a system without them reports none
      metrics.put("loop_cpu_us_per_step", Stats.summary(loopCpuPerStepMicros));
    }
    System.err.println(String.format(java.util.Locale.ROOT,
        "[load-free] %s (%s): alloc %s bytes/step, CPU %s us/step (event loops), %s us/step (process)", shape.name(),
        system.name(), median(allocPerStep, "%.0f"), median(loopCpuPerStepMicros, "%.3f"),
        median(cpuPerStepMicros, "%.3f")));
    return metrics;
  }

  /** The median of {@code values} formatted, or "n/a". */
  static String median(List<Double> values, String format) {
    return values.isEmpty() ? "n/a" : String.format(java.util.Locale.ROOT, format, Stats.median(values));
  }

  /** CPU time of the whole process so far, or -1 where the JVM does not report it. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
  }
}
