package io.graphloop.ops;

import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.TreeSet;

/**
 * Tracing options, the {@code tracing} field of the {@code ops} configuration section:
 * {@code {"otlpEndpoint": "http://127.0.0.1:4318/v1/traces", "serviceName": "graphloop", "sampleRatio": 0.1}}.
 * Tracing is off (and costs nothing) unless {@code otlpEndpoint} is set.
 *
 * <ul>
 *   <li>{@code otlpEndpoint}: where spans go, OTLP over HTTP (protobuf), e.g. an OpenTelemetry Collector's
 *       {@code http://host:4318/v1/traces}; default none (no tracing);</li>
 *   <li>{@code serviceName}: the {@code service.name} of this process's spans (default {@code graphloop});</li>
 *   <li>{@code sampleRatio}: the share of runs traced, 0 to 1 (default 1); a run whose caller's trace was sampled (or
 *       not) follows its caller;</li>
 *   <li>{@code maxQueuedSpans}: spans held for export at most, beyond which new ones are dropped (default 2048);</li>
 *   <li>{@code exportTimeoutMs}: the most one export may take (default 10000).</li>
 * </ul>
 *
 * <p>Mutable, not thread-safe: configure, then hand over.
 */
public final class TracingOptions {

  /** The fields of the {@code tracing} object. */
  public static final Set<String> FIELDS = Set.of("otlpEndpoint", "serviceName", "sampleRatio", "maxQueuedSpans",
      "exportTimeoutMs");

  private String otlpEndpoint;
  private String serviceName = "graphloop";
  private double sampleRatio = 1.0;
  private int maxQueuedSpans = 2048;
  private long exportTimeoutMs = 10_000;

  public TracingOptions() {
  }

  /**
   * Reads the {@code tracing} object.
   *
   * @throws IllegalArgumentException naming an unknown field or a bad value
   */
  public TracingOptions(JsonObject json) {
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("Unknown tracing option '" + field + "'; known: " + new TreeSet<>(FIELDS)
            + ".");
      }
    }
    setOtlpEndpoint(text(json, "otlpEndpoint", null));
    setServiceName(text(json, "serviceName", serviceName));
    Object ratio = json.getValue("sampleRatio");
    if (ratio != null && !(ratio instanceof Number)) {
      throw new IllegalArgumentException("tracing option 'sampleRatio' is a number from 0 to 1, was " + ratio + ".");
    }
    setSampleRatio(ratio == null ? sampleRatio : ((Number) ratio).doubleValue());
    setMaxQueuedSpans((int) whole(json, "maxQueuedSpans", maxQueuedSpans));
    setExportTimeoutMs(whole(json, "exportTimeoutMs", exportTimeoutMs));
  }

  private static String text(JsonObject json, String field, String orElse) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException("tracing option '" + field + "' is a string, was " + value + ".");
    }
    return value == null ? orElse : (String) value;
  }

  private static long whole(JsonObject json, String field, long orElse) {
    Object value = json.getValue(field);
    if (value == null) {
      return orElse;
    }
    if (!(value instanceof Number) || ((Number) value).doubleValue() != ((Number) value).longValue()) {
      throw new IllegalArgumentException("tracing option '" + field + "' is a whole number, was " + value + ".");
    }
    return ((Number) value).longValue();
  }

  /** The options as the {@code tracing} object reads them. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("serviceName", serviceName).put("sampleRatio", sampleRatio)
        .put("maxQueuedSpans", maxQueuedSpans).put("exportTimeoutMs", exportTimeoutMs);
    if (otlpEndpoint != null) {
      json.put("otlpEndpoint", otlpEndpoint);
    }
    return json;
  }

  /** Whether spans are exported (an endpoint is set). */
  public boolean isEnabled() {
    return otlpEndpoint != null;
  }

  public String getOtlpEndpoint() {
    return otlpEndpoint;
  }

  /** @throws IllegalArgumentException unless {@code null} (off) or an http(s) URL */
  public TracingOptions setOtlpEndpoint(String otlpEndpoint) {
    if (otlpEndpoint != null && !otlpEndpoint.startsWith("http://") && !otlpEndpoint.startsWith("https://")) {
      throw new IllegalArgumentException("tracing option 'otlpEndpoint' is an http:// or https:// URL (OTLP over "
          + "HTTP, e.g. http://127.0.0.1:4318/v1/traces), was '" + otlpEndpoint + "'.");
    }
    this.otlpEndpoint = otlpEndpoint;
    return this;
  }

  public String getServiceName() {
    return serviceName;
  }

  /** @throws IllegalArgumentException when blank */
  public TracingOptions setServiceName(String serviceName) {
    if (serviceName == null || serviceName.isBlank()) {
      throw new IllegalArgumentException("tracing option 'serviceName' must not be blank.");
    }
    this.serviceName = serviceName;
    return this;
  }

  public double getSampleRatio() {
    return sampleRatio;
  }

  /** @throws IllegalArgumentException unless 0 to 1 */
  public TracingOptions setSampleRatio(double sampleRatio) {
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new IllegalArgumentException("tracing option 'sampleRatio' is 0 to 1, was " + sampleRatio + ".");
    }
    this.sampleRatio = sampleRatio;
    return this;
  }

  public int getMaxQueuedSpans() {
    return maxQueuedSpans;
  }

  /** @throws IllegalArgumentException unless 1 to 1,000,000 */
  public TracingOptions setMaxQueuedSpans(int maxQueuedSpans) {
    if (maxQueuedSpans < 1 || maxQueuedSpans > 1_000_000) {
      throw new IllegalArgumentException("tracing option 'maxQueuedSpans' is 1 to 1000000, was " + maxQueuedSpans
          + ".");
    }
    this.maxQueuedSpans = maxQueuedSpans;
    return this;
  }

  public long getExportTimeoutMs() {
    return exportTimeoutMs;
  }

  /** @throws IllegalArgumentException unless 1 to 300000 */
  public TracingOptions setExportTimeoutMs(long exportTimeoutMs) {
    if (exportTimeoutMs < 1 || exportTimeoutMs > 300_000) {
      throw new IllegalArgumentException("tracing option 'exportTimeoutMs' is 1 to 300000 ms, was " + exportTimeoutMs
          + ".");
    }
    this.exportTimeoutMs = exportTimeoutMs;
    return this;
  }
}
