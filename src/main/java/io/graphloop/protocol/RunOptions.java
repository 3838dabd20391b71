package io.graphloop.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Options of one run, as a data object (code, {@code conf/} JSON and the wire alike).
 *
 * <ul>
 *   <li>{@code runId}: the run's id; {@code null} to let the coordinator make a UUID.</li>
 *   <li>{@code recursionLimit}: how many supersteps the run may execute; 0 for the deployment's default
 *       (LangGraph 1.x's 10007 unless configured).</li>
 *   <li>{@code timeoutMs}: the run's deadline, counted by its coordinator from when it accepts the run; past it
 *       the run fails with {@code RunTimeoutException} (its nodes in flight are abandoned). The caller waits the
 *       same time plus a grace period. 0 for the client's default (or, for raw JSON requests, the deployment's
 *       {@code runTimeoutMs}).</li>
 *   <li>{@code maxConcurrency}: at most this many node executions of the run at once (LangGraph's
 *       {@code max_concurrency}); a wider step runs as a sliding window. 0 for no limit.</li>
 *   <li>{@code config}: the run's configuration, handed to every node as {@code NodeContext.config()}
 *       (LangGraph's {@code configurable}); JSON-compatible.</li>
 * </ul>
 *
 * <p>Mutable while being built; not thread-safe. The client copies it when a run is sent.
 */
public final class RunOptions {

  public static final String DEFAULT_RUN_ID = null;
  public static final int DEFAULT_RECURSION_LIMIT = 0;
  public static final long DEFAULT_TIMEOUT_MS = 0;
  public static final int DEFAULT_MAX_CONCURRENCY = 0;

  private String runId = DEFAULT_RUN_ID;
  private int recursionLimit = DEFAULT_RECURSION_LIMIT;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
  private JsonObject config = new JsonObject();

  public RunOptions() {
  }

  public RunOptions(RunOptions other) {
    this.runId = other.runId;
    this.recursionLimit = other.recursionLimit;
    this.timeoutMs = other.timeoutMs;
    this.maxConcurrency = other.maxConcurrency;
    this.config = other.config.copy();
  }

  /**
   * Reads options from JSON.
   *
   * @throws IllegalArgumentException naming the field when a value has the wrong type or range
   */
  public RunOptions(JsonObject json) {
    setRunId(Json.optionalString(json, "runId", "options"));
    setRecursionLimit(Json.optionalInt(json, "recursionLimit", DEFAULT_RECURSION_LIMIT, "options"));
    setTimeoutMs(Json.optionalLong(json, "timeoutMs", DEFAULT_TIMEOUT_MS, "options"));
    setMaxConcurrency(Json.optionalInt(json, "maxConcurrency", DEFAULT_MAX_CONCURRENCY, "options"));
    JsonObject configJson = Json.optionalObject(json, "config", "options");
    this.config = configJson == null ? new JsonObject() : checkedConfig(configJson.copy());
    for (String field : json.fieldNames()) {
      if (!KNOWN_FIELDS.contains(field)) {
        throw new IllegalArgumentException("Field '" + field + "' of options is unknown; run options are "
            + KNOWN_FIELDS + ".");
      }
    }
  }

  private static final java.util.List<String> KNOWN_FIELDS =
      java.util.List.of("runId", "recursionLimit", "timeoutMs", "maxConcurrency", "config");

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (runId != null) {
      json.put("runId", runId);
    }
    return json.put("recursionLimit", recursionLimit).put("timeoutMs", timeoutMs)
        .put("maxConcurrency", maxConcurrency).put("config", config.copy());
  }

  public String getRunId() {
    return runId;
  }

  /** The run's id; {@code null} to let the coordinator choose a UUID. */
  public RunOptions setRunId(String runId) {
    if (runId != null && runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank (use null to get a generated id)");
    }
    this.runId = runId;
    return this;
  }

  public int getRecursionLimit() {
    return recursionLimit;
  }

  /** Supersteps the run may execute; 0 for the deployment's default; otherwise at least 1. */
  public RunOptions setRecursionLimit(int recursionLimit) {
    if (recursionLimit < 0) {
      throw new IllegalArgumentException("recursionLimit must be greater than or equal to 1 (or 0 for the default), was "
          + recursionLimit);
    }
    this.recursionLimit = recursionLimit;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  /** The run's deadline in ms (see the class comment); 0 for the default. */
  public RunOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be greater than or equal to 0 (0 = client default), was "
          + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  public int getMaxConcurrency() {
    return maxConcurrency;
  }

  /** Node executions of this run at once; 0 for no limit; at least 0. */
  public RunOptions setMaxConcurrency(int maxConcurrency) {
    if (maxConcurrency < 0) {
      throw new IllegalArgumentException("maxConcurrency must be greater than or equal to 0 (0 = no limit), was "
          + maxConcurrency);
    }
    this.maxConcurrency = maxConcurrency;
    return this;
  }

  /** A copy of the run's configuration. */
  public JsonObject getConfig() {
    return config.copy();
  }

  /** The run's configuration, given to every node as {@code NodeContext.config()}. */
  public RunOptions setConfig(JsonObject config) {
    this.config = checkedConfig(java.util.Objects.requireNonNull(config, "config").copy());
    return this;
  }

  /** The config, once its values are known to be JSON-compatible and not nested too deep (else the run fails late). */
  private static JsonObject checkedConfig(JsonObject config) {
    io.graphloop.state.Values.freezeUpdate(config.getMap(), "the run's config (options.config)");
    return config;
  }
}
