package io.graphloop.ops;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Operations options of {@code serve} and {@code member}, the {@code ops} section of the configuration file:
 * {@code {"metrics": true, "port": 9090, "drainTimeoutMs": 30000, "readinessTimeoutMs": 2000}}.
 *
 * <ul>
 *   <li>{@code metrics}: Prometheus metrics on {@code /metrics} (default {@code true}; needs Micrometer on the
 *       classpath, which the fat jar has);</li>
 *   <li>{@code port}: an HTTP port of its own for {@code /health/live}, {@code /health/ready} and {@code /metrics}
 *       (0 picks a free one; default none: {@code serve} answers them on its API port, a {@code member} answers
 *       readiness on the event bus only);</li>
 *   <li>{@code drainTimeoutMs}: on SIGTERM, how long runs in flight may take to finish before the member closes (runs
 *       still in flight then fail as cancelled; a run on a thread keeps its last checkpoint); default 30000, at most
 *       one hour;</li>
 *   <li>{@code readinessTimeoutMs}: how long one readiness check (a checkpoint-store read) may take; default 2000;</li>
 *   <li>{@code tracing}: OpenTelemetry tracing exported over OTLP ({@link TracingOptions}); off by default.</li>
 * </ul>
 *
 * <p>Mutable, not thread-safe: configure, then hand over.
 */
public final class OpsOptions {

  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
  public static final long MAX_DRAIN_TIMEOUT_MS = 3_600_000;
  public static final long DEFAULT_READINESS_TIMEOUT_MS = 2_000;

  /** The fields of the {@code ops} section. */
  public static final Set<String> FIELDS = Set.of("metrics", "port", "drainTimeoutMs", "readinessTimeoutMs",
      "tracing");

  private boolean metrics = true;
  private Integer port;
  private long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;
  private long readinessTimeoutMs = DEFAULT_READINESS_TIMEOUT_MS;
  private TracingOptions tracing = new TracingOptions();

  public OpsOptions() {
  }

  /**
   * Reads the {@code ops} section.
   *
   * @throws IllegalArgumentException naming an unknown field or a bad value
   */
  public OpsOptions(JsonObject json) {
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("Unknown ops option '" + field + "'; known: " + new java.util.TreeSet<>(FIELDS)
            + ".");
      }
    }
    Object metricsValue = json.getValue("metrics");
    if (metricsValue != null && !(metricsValue instanceof Boolean)) {
      throw new IllegalArgumentException("ops option 'metrics' is true or false, was " + metricsValue + ".");
    }
    setMetrics(metricsValue == null || (Boolean) metricsValue);
    if (json.getValue("port") != null) {
      long port = number(json, "port", 0);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("ops option 'port' is 0 to 65535 (0 picks a free one), was " + port + ".");
      }
      setPort((int) port);
    }
    setDrainTimeoutMs(number(json, "drainTimeoutMs", DEFAULT_DRAIN_TIMEOUT_MS));
    setReadinessTimeoutMs(number(json, "readinessTimeoutMs", DEFAULT_READINESS_TIMEOUT_MS));
    Object tracingValue = json.getValue("tracing");
    if (tracingValue != null && !(tracingValue instanceof JsonObject)) {
      throw new IllegalArgumentException("ops option 'tracing' is an object ({\"otlpEndpoint\": \"http://...:4318/v1/"
          + "traces\", ...}), was " + tracingValue + ".");
    }
    setTracing(tracingValue == null ? new TracingOptions() : new TracingOptions((JsonObject) tracingValue));
  }

  private static long number(JsonObject json, String field, long orElse) {
    Object value = json.getValue(field);
    if (value == null) {
      return orElse;
    }
    if (!(value instanceof Number) || ((Number) value).doubleValue() != ((Number) value).longValue()) {
      throw new IllegalArgumentException("ops option '" + field + "' is a whole number of milliseconds, was " + value
          + ".");
    }
    return ((Number) value).longValue();
  }

  /** The options as the {@code ops} section reads them. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("metrics", metrics).put("drainTimeoutMs", drainTimeoutMs)
        .put("readinessTimeoutMs", readinessTimeoutMs).put("tracing", tracing.toJson());
    if (port != null) {
      json.put("port", port);
    }
    return json;
  }

  /** The tracing options (off unless an OTLP endpoint is set). */
  public TracingOptions getTracing() {
    return tracing;
  }

  public OpsOptions setTracing(TracingOptions tracing) {
    this.tracing = java.util.Objects.requireNonNull(tracing, "tracing");
    return this;
  }

  public boolean isMetrics() {
    return metrics;
  }

  public OpsOptions setMetrics(boolean metrics) {
    this.metrics = metrics;
    return this;
  }

  /** The operations port, or {@code null} for none. */
  public Integer getPort() {
    return port;
  }

  /** @throws IllegalArgumentException unless {@code null} or 0 to 65535 */
  public OpsOptions setPort(Integer port) {
    if (port != null && (port < 0 || port > 65535)) {
      throw new IllegalArgumentException("The operations port is 0 to 65535 (0 picks a free one), was " + port + ".");
    }
    this.port = port;
    return this;
  }

  public long getDrainTimeoutMs() {
    return drainTimeoutMs;
  }

  /** @throws IllegalArgumentException unless 0 to {@link #MAX_DRAIN_TIMEOUT_MS} */
  public OpsOptions setDrainTimeoutMs(long drainTimeoutMs) {
    if (drainTimeoutMs < 0 || drainTimeoutMs > MAX_DRAIN_TIMEOUT_MS) {
      throw new IllegalArgumentException("drainTimeoutMs is 0 to " + MAX_DRAIN_TIMEOUT_MS + " ms (one hour), was "
          + drainTimeoutMs + ".");
    }
    this.drainTimeoutMs = drainTimeoutMs;
    return this;
  }

  public long getReadinessTimeoutMs() {
    return readinessTimeoutMs;
  }

  /** @throws IllegalArgumentException unless 1 to 60000 */
  public OpsOptions setReadinessTimeoutMs(long readinessTimeoutMs) {
    if (readinessTimeoutMs < 1 || readinessTimeoutMs > 60_000) {
      throw new IllegalArgumentException("readinessTimeoutMs is 1 to 60000 ms, was " + readinessTimeoutMs + ".");
    }
    this.readinessTimeoutMs = readinessTimeoutMs;
    return this;
  }
}
