package io.graphloop.runtime;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

import static io.graphloop.runtime.OptionBounds.atLeast;

/**
 * The option group of {@link GraphRuntimeOptions} for thread and checkpoint retention: {@code threadTtlMinutes}
 * ({@link ThreadRetention}), {@code keepLatestCheckpoints} ({@link CheckpointRetention}) and the sweep's pace,
 * {@code retentionSweepIntervalMs} and {@code retentionBatchSize} (same JSON names, ranges and errors as the
 * options' setters, which delegate here). {@code null} TTL and count: keep everything.
 *
 * <p>Thread rules: immutable; any thread.
 */
record RetentionOptions(Double threadTtlMinutes, long retentionSweepIntervalMs, int retentionBatchSize,
                        Integer keepLatestCheckpoints) {

  static final long DEFAULT_SWEEP_INTERVAL_MS = 60_000;
  static final int DEFAULT_BATCH_SIZE = 1_000;
  static final RetentionOptions DEFAULTS = new RetentionOptions(null, DEFAULT_SWEEP_INTERVAL_MS, DEFAULT_BATCH_SIZE,
      null);

  RetentionOptions {
    if (threadTtlMinutes != null && !(threadTtlMinutes > 0 && Double.isFinite(threadTtlMinutes))) {
      throw new IllegalArgumentException("threadTtlMinutes must be a positive number of minutes (or absent to keep "
          + "threads), got " + threadTtlMinutes);
    }
    if (retentionSweepIntervalMs < 0) {
      throw new IllegalArgumentException("retentionSweepIntervalMs must be 0 or positive, got "
          + retentionSweepIntervalMs);
    }
    atLeast("retentionBatchSize", retentionBatchSize, 1);
    if (keepLatestCheckpoints != null && keepLatestCheckpoints < 1) {
      throw new IllegalArgumentException("keepLatestCheckpoints must be at least 1 (or absent to keep every "
          + "checkpoint), got " + keepLatestCheckpoints);
    }
  }

  /** Reads the group's fields of runtime options' JSON; absent ones keep their defaults. */
  static RetentionOptions fromJson(JsonObject json) {
    Object ttl = json.getValue("threadTtlMinutes");
    if (ttl != null && !(ttl instanceof Number)) {
      throw new IllegalArgumentException("runtime option threadTtlMinutes must be a number of minutes, got " + ttl);
    }
    long interval = JsonFields.optionalLong(json, "retentionSweepIntervalMs", DEFAULT_SWEEP_INTERVAL_MS,
        "runtime options");
    int batch = JsonFields.optionalInt(json, "retentionBatchSize", DEFAULT_BATCH_SIZE, "runtime options");
    Object keep = json.getValue("keepLatestCheckpoints");
    if (keep != null && !(keep instanceof Integer || keep instanceof Long)) {
      throw new IllegalArgumentException("runtime option keepLatestCheckpoints must be a whole number of "
          + "checkpoints (at least 1), got " + keep);
    }
    return new RetentionOptions(ttl == null ? null : ((Number) ttl).doubleValue(), interval, batch,
        keep == null ? null : Math.toIntExact(Math.min(Integer.MAX_VALUE, ((Number) keep).longValue())));
  }

  /** Puts the group's fields into {@code json} (the TTL and count only when set). */
  void writeTo(JsonObject json) {
    json.put("retentionSweepIntervalMs", retentionSweepIntervalMs).put("retentionBatchSize", retentionBatchSize);
    if (threadTtlMinutes != null) {
      json.put("threadTtlMinutes", threadTtlMinutes);
    }
    if (keepLatestCheckpoints != null) {
      json.put("keepLatestCheckpoints", keepLatestCheckpoints);
    }
  }

  RetentionOptions withThreadTtlMinutes(Double value) {
    return new RetentionOptions(value, retentionSweepIntervalMs, retentionBatchSize, keepLatestCheckpoints);
  }

  RetentionOptions withRetentionSweepIntervalMs(long value) {
    return new RetentionOptions(threadTtlMinutes, value, retentionBatchSize, keepLatestCheckpoints);
  }

  RetentionOptions withRetentionBatchSize(int value) {
    return new RetentionOptions(threadTtlMinutes, retentionSweepIntervalMs, value, keepLatestCheckpoints);
  }

  RetentionOptions withKeepLatestCheckpoints(Integer value) {
    return new RetentionOptions(threadTtlMinutes, retentionSweepIntervalMs, retentionBatchSize, value);
  }
}
