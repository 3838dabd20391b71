package io.graphloop.store;

import io.vertx.core.json.JsonObject;

/**
 * Options common to every {@link Store} backend, with LangGraph's TTL settings ({@code TTLConfig}): a default TTL,
 * whether reads refresh it, how often expired items are swept. Every limit is bounded with a safe default.
 *
 * <p>Keys in JSON (e.g. the {@code store} section of {@code conf/graphloop.json}): {@code defaultTtlMinutes},
 * {@code refreshOnRead}, {@code sweepIntervalMs}, {@code maxValueBytes}, {@code maxLimit}, {@code maxScan}.
 *
 * <p>Not thread-safe while being configured; hand it to a store once configured.
 */
public final class StoreOptions {

  public static final boolean DEFAULT_REFRESH_ON_READ = true;
  public static final long DEFAULT_SWEEP_INTERVAL_MS = 60_000;
  public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_LIMIT = 1_000;
  public static final int DEFAULT_MAX_SCAN = 100_000;

  private Double defaultTtlMinutes;
  private boolean refreshOnRead = DEFAULT_REFRESH_ON_READ;
  private long sweepIntervalMs = DEFAULT_SWEEP_INTERVAL_MS;
  private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
  private int maxLimit = DEFAULT_MAX_LIMIT;
  private int maxScan = DEFAULT_MAX_SCAN;

  public StoreOptions() {
  }

  /** Reads the keys above; unknown keys are refused (a misspelled option would silently do nothing). */
  public StoreOptions(JsonObject json) {
    for (String field : json.fieldNames()) {
      switch (field) {
        case "defaultTtlMinutes":
          setDefaultTtlMinutes(json.getValue(field) == null ? null : number(json, field).doubleValue());
          break;
        case "refreshOnRead":
          if (!(json.getValue(field) instanceof Boolean)) {
            throw new IllegalArgumentException("store option refreshOnRead must be true or false, got "
                + json.getValue(field));
          }
          setRefreshOnRead(json.getBoolean(field));
          break;
        case "sweepIntervalMs":
          setSweepIntervalMs(number(json, field).longValue());
          break;
        case "maxValueBytes":
          setMaxValueBytes(number(json, field).intValue());
          break;
        case "maxLimit":
          setMaxLimit(number(json, field).intValue());
          break;
        case "maxScan":
          setMaxScan(number(json, field).intValue());
          break;
        default:
          throw new IllegalArgumentException("Unknown store option '" + field + "'; known: defaultTtlMinutes, "
              + "refreshOnRead, sweepIntervalMs, maxValueBytes, maxLimit, maxScan");
      }
    }
  }

  private static Number number(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException("store option " + field + " must be a number, got " + value);
    }
    return (Number) value;
  }

  public Double getDefaultTtlMinutes() {
    return defaultTtlMinutes;
  }

  /** The TTL of items put without one, in minutes; {@code null} (the default) for none. */
  public StoreOptions setDefaultTtlMinutes(Double minutes) {
    if (minutes != null && !(minutes > 0 && Double.isFinite(minutes))) {
      throw new IllegalArgumentException("defaultTtlMinutes must be a positive number of minutes (or null for "
          + "none), got " + minutes);
    }
    this.defaultTtlMinutes = minutes;
    return this;
  }

  public boolean isRefreshOnRead() {
    return refreshOnRead;
  }

  /** Whether reads refresh an item's TTL unless the read says otherwise (LangGraph's default: true). */
  public StoreOptions setRefreshOnRead(boolean refreshOnRead) {
    this.refreshOnRead = refreshOnRead;
    return this;
  }

  public long getSweepIntervalMs() {
    return sweepIntervalMs;
  }

  /** How often expired items are deleted in the background; 0 turns the background sweep off. */
  public StoreOptions setSweepIntervalMs(long sweepIntervalMs) {
    if (sweepIntervalMs < 0) {
      throw new IllegalArgumentException("sweepIntervalMs must be 0 (off) or positive, got " + sweepIntervalMs);
    }
    this.sweepIntervalMs = sweepIntervalMs;
    return this;
  }

  public int getMaxValueBytes() {
    return maxValueBytes;
  }

  /** The largest value accepted, in bytes of its JSON. */
  public StoreOptions setMaxValueBytes(int maxValueBytes) {
    this.maxValueBytes = atLeast("maxValueBytes", maxValueBytes, 2);
    return this;
  }

  public int getMaxLimit() {
    return maxLimit;
  }

  /** The largest page a search or namespace listing may ask for. */
  public StoreOptions setMaxLimit(int maxLimit) {
    this.maxLimit = atLeast("maxLimit", maxLimit, 1);
    return this;
  }

  public int getMaxScan() {
    return maxScan;
  }

  /**
   * The most items a filtered search (or namespaces a listing) may read before it answers; past it the call fails
   * with an error asking for a narrower namespace prefix, so one request cannot hold the backend indefinitely.
   */
  public StoreOptions setMaxScan(int maxScan) {
    this.maxScan = atLeast("maxScan", maxScan, 1);
    return this;
  }

  private static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
    return value;
  }
}
