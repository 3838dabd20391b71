package io.graphloop.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;

/**
 * Median, minimum and maximum of a few samples, as the JSON the child reports
 * ({@code value} is the median, plus {@code min}, {@code max}, {@code samples}), and the nearest-rank percentile of
 * latency samples that every latency benchmark reports. Pure; safe from any thread.
 */
final class Stats {

  private Stats() {
  }

  /** The median of {@code samples} (the mean of the two middle ones for an even count). */
  static double median(List<Double> samples) {
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /**
   * The nearest-rank {@code p} percentile ({@code 0 < p <= 1}) of {@code sorted} (ascending), or 0 when there is none.
   */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))];
  }

  /** {@code {"value": median, "min": .., "max": .., "samples": [..]}}. */
  static JsonObject summary(List<Double> samples) {
    double[] values = samples.stream().mapToDouble(Double::doubleValue).toArray();
    return new JsonObject()
        .put("value", median(samples))
        .put("min", Arrays.stream(values).min().orElse(Double.NaN))
        .put("max", Arrays.stream(values).max().orElse(Double.NaN))
        .put("samples", new JsonArray(samples.stream().map(Object.class::cast).toList()));
  }
}
