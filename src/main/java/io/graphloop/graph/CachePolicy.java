package io.graphloop.graph;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * Caching of a node's writes (LangGraph's {@code CachePolicy}): when a graph compiled with a
 * {@link io.graphloop.cache.NodeCache} runs a task of a node with this policy, it first looks for the task's key;
 * on a hit, the node is not run and its stored writes are used, streamed in {@code updates} with
 * {@code "__metadata__": {"cached": true}}; on a miss, the node runs and its writes are stored (successful tasks
 * only), to expire after the time to live.
 *
 * <pre>{@code
 * new NodeOptions().setCachePolicy(CachePolicy.defaults().withTtl(Duration.ofMinutes(5)))
 * new NodeOptions().setCachePolicy(CachePolicy.keyedBy(state -> state.getString("query")))
 * }</pre>
 *
 * <p>The default key is the task's whole input (SHA-256 of its JSON with sorted keys). Immutable; thread-safe.
 */
public final class CachePolicy {

  private static final CachePolicy DEFAULTS = new CachePolicy(null, null);

  private final CacheKeyFunction keyFunction;
  private final Duration ttl;

  private CachePolicy(CacheKeyFunction keyFunction, Duration ttl) {
    this.keyFunction = keyFunction;
    this.ttl = ttl;
  }

  /** The default key (the whole input), entries that never expire: LangGraph's {@code CachePolicy()}. */
  public static CachePolicy defaults() {
    return DEFAULTS;
  }

  /** Keys computed by {@code keyFunction}, entries that never expire. */
  public static CachePolicy keyedBy(CacheKeyFunction keyFunction) {
    return new CachePolicy(Objects.requireNonNull(keyFunction, "keyFunction"), null);
  }

  /** This policy with entries that expire {@code ttl} after they are stored; {@code null} for never. */
  public CachePolicy withTtl(Duration ttl) {
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("the ttl of a cache policy must be positive (or null for no expiry), was "
          + ttl);
    }
    return new CachePolicy(keyFunction, ttl);
  }

  /** This policy with entries that expire {@code seconds} after they are stored, as LangGraph's {@code ttl}. */
  public CachePolicy withTtlSeconds(long seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("ttlSeconds of a cache policy must be greater than or equal to 1, was "
          + seconds);
    }
    return withTtl(Duration.ofSeconds(seconds));
  }

  /** The key function; {@code null} for the default key (the whole input). */
  public CacheKeyFunction keyFunction() {
    return keyFunction;
  }

  /** How long entries live; {@code null} for ever. */
  public Duration ttl() {
    return ttl;
  }

  /**
   * The policy's JSON form: {@code {"ttlMs": 60000}} ({@code ttlMs} left out for no expiry). A key function is code
   * and has no JSON form: a policy read from JSON uses the default key.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (ttl != null) {
      json.put("ttlMs", ttl.toMillis());
    }
    if (keyFunction != null) {
      json.put("keyFunction", true);
    }
    return json;
  }

  /** Reads {@link #toJson()}'s form ({@code ttlMs} at least 1, or absent). */
  public static CachePolicy fromJson(JsonObject json) {
    Object ttlMs = json.getValue("ttlMs");
    if (ttlMs == null) {
      return DEFAULTS;
    }
    if (!(ttlMs instanceof Number) || ((Number) ttlMs).longValue() < 1
        || ((Number) ttlMs).doubleValue() != ((Number) ttlMs).longValue()) {
      throw new IllegalArgumentException("ttlMs of a cache policy must be a whole number of milliseconds, at least 1, "
          + "was " + ttlMs);
    }
    return DEFAULTS.withTtl(Duration.ofMillis(((Number) ttlMs).longValue()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachePolicy && Objects.equals(keyFunction, ((CachePolicy) o).keyFunction)
        && Objects.equals(ttl, ((CachePolicy) o).ttl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyFunction, ttl);
  }

  @Override
  public String toString() {
    return "CachePolicy" + toJson().encode();
  }
}
