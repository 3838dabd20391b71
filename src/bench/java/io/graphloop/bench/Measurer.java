package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

/**
 * Measures one workload on one system in the child JVM and returns its metrics: a JSON object whose
 * fields are metric names and whose values are {@link Stats#summary} objects. Failed runs go to the
 * {@code failures} field (with {@code firstError}); peaks are read from the sampler by the caller.
 */
@FunctionalInterface
interface Measurer {

  JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks) throws Exception;

  /** Adds a batch's failures to {@code metrics}. */
  static void addFailures(JsonObject metrics, Batch batch) {
    if (batch.failures() > 0) {
      metrics.put("failures", metrics.getLong("failures", 0L) + batch.failures());
      if (!metrics.containsKey("firstError")) {
        metrics.put("firstError", batch.firstError());
      }
    }
  }
}
