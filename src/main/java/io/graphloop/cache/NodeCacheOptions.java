package io.graphloop.cache;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

/**
 * Options of a {@link NodeCache}, as a data object (from code, from {@code conf/} JSON and back).
 *
 * <ul>
 *   <li>{@code maxEntries}: the most entries the cache keeps (default {@value #DEFAULT_MAX_ENTRIES}); storing one
 *       more evicts the least recently stored (memory: least recently used) entries beyond the bound.</li>
 * </ul>
 *
 * <p>Mutable while being built, like Vert.x options; caches copy it.
 */
public final class NodeCacheOptions {

  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  private int maxEntries = DEFAULT_MAX_ENTRIES;

  public NodeCacheOptions() {
  }

  public NodeCacheOptions(NodeCacheOptions other) {
    this.maxEntries = other.maxEntries;
  }

  public NodeCacheOptions(JsonObject json) {
    setMaxEntries(JsonFields.optionalInt(json, "maxEntries", DEFAULT_MAX_ENTRIES, "node cache options"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxEntries", maxEntries);
  }

  public int getMaxEntries() {
    return maxEntries;
  }

  /** The most entries kept; at least 1. */
  public NodeCacheOptions setMaxEntries(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries of a node cache must be greater than or equal to 1, was "
          + maxEntries);
    }
    this.maxEntries = maxEntries;
    return this;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
