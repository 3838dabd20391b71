package io.graphloop.runtime;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_EARLY_CANCEL_TTL_MS;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_MAX_EARLY_CANCELS;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_MAX_IN_FLIGHT_RUNS;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_MAX_REQUEST_BYTES;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_MAX_RUN_BACKLOG;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_RECURSION_LIMIT;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_RUN_TIMEOUT_MS;
import static io.graphloop.runtime.OptionBounds.atLeast;

/**
 * The option group of {@link GraphRuntimeOptions} that bounds what a coordinator admits and the defaults of a run that
 * names none: {@code maxInFlightRuns}, {@code maxRunBacklog}, {@code maxEarlyCancels}, {@code earlyCancelTtlMs},
 * {@code maxRequestBytes}, {@code recursionLimit}, {@code runTimeoutMs} (the same JSON names, ranges and errors as
 * the options' setters, which delegate here).
 *
 * <p>Thread rules: immutable; any thread.
 */
record RunLimits(int maxInFlightRuns, int maxRunBacklog, int maxEarlyCancels, long earlyCancelTtlMs,
                 int maxRequestBytes, int recursionLimit, long runTimeoutMs) {

  static final RunLimits DEFAULTS = new RunLimits(DEFAULT_MAX_IN_FLIGHT_RUNS, DEFAULT_MAX_RUN_BACKLOG,
      DEFAULT_MAX_EARLY_CANCELS, DEFAULT_EARLY_CANCEL_TTL_MS, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_RECURSION_LIMIT,
      DEFAULT_RUN_TIMEOUT_MS);

  RunLimits {
    atLeast("maxInFlightRuns", maxInFlightRuns, 1);
    atLeast("maxRunBacklog", maxRunBacklog, 1);
    atLeast("maxEarlyCancels", maxEarlyCancels, 1);
    atLeast("earlyCancelTtlMs", earlyCancelTtlMs, 1L);
    atLeast("maxRequestBytes", maxRequestBytes, 1024);
    atLeast("recursionLimit", recursionLimit, 1);
    atLeast("runTimeoutMs", runTimeoutMs, 1L);
  }

  /** Reads the group's fields of runtime options' JSON; absent ones keep their defaults. */
  static RunLimits fromJson(JsonObject json) {
    String where = "runtime options";
    return new RunLimits(JsonFields.optionalInt(json, "maxInFlightRuns", DEFAULT_MAX_IN_FLIGHT_RUNS, where),
        JsonFields.optionalInt(json, "maxRunBacklog", DEFAULT_MAX_RUN_BACKLOG, where),
        JsonFields.optionalInt(json, "maxEarlyCancels", DEFAULT_MAX_EARLY_CANCELS, where),
        JsonFields.optionalLong(json, "earlyCancelTtlMs", DEFAULT_EARLY_CANCEL_TTL_MS, where),
        JsonFields.optionalInt(json, "maxRequestBytes", DEFAULT_MAX_REQUEST_BYTES, where),
        JsonFields.optionalInt(json, "recursionLimit", DEFAULT_RECURSION_LIMIT, where),
        JsonFields.optionalLong(json, "runTimeoutMs", DEFAULT_RUN_TIMEOUT_MS, where));
  }

  /** Puts the group's fields into {@code json}. */
  void writeTo(JsonObject json) {
    json.put("maxInFlightRuns", maxInFlightRuns).put("maxRunBacklog", maxRunBacklog)
        .put("maxEarlyCancels", maxEarlyCancels).put("earlyCancelTtlMs", earlyCancelTtlMs)
        .put("maxRequestBytes", maxRequestBytes).put("recursionLimit", recursionLimit)
        .put("runTimeoutMs", runTimeoutMs);
  }

  RunLimits withMaxInFlightRuns(int value) {
    return new RunLimits(value, maxRunBacklog, maxEarlyCancels, earlyCancelTtlMs, maxRequestBytes, recursionLimit,
        runTimeoutMs);
  }

  RunLimits withMaxRunBacklog(int value) {
    return new RunLimits(maxInFlightRuns, value, maxEarlyCancels, earlyCancelTtlMs, maxRequestBytes, recursionLimit,
        runTimeoutMs);
  }

  RunLimits withMaxEarlyCancels(int value) {
    return new RunLimits(maxInFlightRuns, maxRunBacklog, value, earlyCancelTtlMs, maxRequestBytes, recursionLimit,
        runTimeoutMs);
  }

  RunLimits withEarlyCancelTtlMs(long value) {
    return new RunLimits(maxInFlightRuns, maxRunBacklog, maxEarlyCancels, value, maxRequestBytes, recursionLimit,
        runTimeoutMs);
  }

  RunLimits withMaxRequestBytes(int value) {
    return new RunLimits(maxInFlightRuns, maxRunBacklog, maxEarlyCancels, earlyCancelTtlMs, value, recursionLimit,
        runTimeoutMs);
  }

  RunLimits withRecursionLimit(int value) {
    return new RunLimits(maxInFlightRuns, maxRunBacklog, maxEarlyCancels, earlyCancelTtlMs, maxRequestBytes, value,
        runTimeoutMs);
  }

  RunLimits withRunTimeoutMs(long value) {
    return new RunLimits(maxInFlightRuns, maxRunBacklog, maxEarlyCancels, earlyCancelTtlMs, maxRequestBytes,
        recursionLimit, value);
  }
}
