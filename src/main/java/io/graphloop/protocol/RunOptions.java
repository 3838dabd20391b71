package io.graphloop.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Options of one run, as a data object (code, {@code conf/} JSON and the wire alike).
 *
 * <ul>
 *   <li>{@code runId}: the run's id; {@code null} to let the coordinator make a UUID.</li>
 *   <li>{@code recursionLimit}: how many supersteps the run may execute; 0 for the deployment's default
 *       (LangGraph 1.x's 10007 unless configured).</li>
 *   <li>{@code timeoutMs}: how long the caller waits for the run's reply; 0 for the client's default.</li>
 * </ul>
 *
 * <p>Mutable while being built; not thread-safe. The client copies it when a run is sent.
 */
public final class RunOptions {

  public static final String DEFAULT_RUN_ID = null;
  public static final int DEFAULT_RECURSION_LIMIT = 0;
  public static final long DEFAULT_TIMEOUT_MS = 0;

  private String runId = DEFAULT_RUN_ID;
  private int recursionLimit = DEFAULT_RECURSION_LIMIT;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;

  public RunOptions() {
  }

  public RunOptions(RunOptions other) {
    this.runId = other.runId;
    this.recursionLimit = other.recursionLimit;
    this.timeoutMs = other.timeoutMs;
  }

  /**
   * Reads options from JSON.
   *
   * @throws IllegalArgumentException naming the field when a value has the wrong type or range
   */
  public RunOptions(JsonObject json) {
    this.runId = Json.optionalString(json, "runId", "options");
    setRecursionLimit(Json.optionalInt(json, "recursionLimit", DEFAULT_RECURSION_LIMIT, "options"));
    setTimeoutMs(Json.optionalLong(json, "timeoutMs", DEFAULT_TIMEOUT_MS, "options"));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (runId != null) {
      json.put("runId", runId);
    }
    return json.put("recursionLimit", recursionLimit).put("timeoutMs", timeoutMs);
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

  /** How long the caller waits for the run, in ms; 0 for the client's default. */
  public RunOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be greater than or equal to 0 (0 = client default), was "
          + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }
}
