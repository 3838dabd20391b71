package io.graphloop.cache;

import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link NodeCache} in this JVM's memory (LangGraph's {@code InMemoryCache}), bounded: beyond
 * {@link NodeCacheOptions#getMaxEntries()} entries the least recently used one is evicted. It keeps the writes
 * themselves (node writes are frozen, so no copy is needed). An expired entry is removed when it is read.
 *
 * <p>Thread-safe: every operation holds the cache's lock for a moment and returns a completed future. Time comes
 * from the {@link Clock} given (tests pass a settable one).
 */
public final class MemoryNodeCache implements NodeCache {

  private final Clock clock;
  private final int maxEntries;
  /** In access order: the eldest is the least recently used. Guarded by this. */
  private final LinkedHashMap<CacheKey, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  private record Entry(Map<String, Object> writes, long expiresAtMs) {
  }

  /** A cache with default options and the system clock. */
  public MemoryNodeCache() {
    this(new NodeCacheOptions(), Clock.systemUTC());
  }

  public MemoryNodeCache(NodeCacheOptions options, Clock clock) {
    this.maxEntries = new NodeCacheOptions(options).getMaxEntries();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized Future<Map<String, Object>> get(CacheKey key) {
    Entry entry = entries.get(Objects.requireNonNull(key, "key"));
    if (entry == null) {
      return Future.succeededFuture();
    }
    if (entry.expiresAtMs != Long.MAX_VALUE && clock.millis() >= entry.expiresAtMs) {
      entries.remove(key);
      return Future.succeededFuture();
    }
    return Future.succeededFuture(entry.writes);
  }

  @Override
  public synchronized Future<Void> set(CacheKey key, Map<String, Object> writes, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(writes, "writes");
    entries.put(key, new Entry(writes, NodeCaches.expiresAt(clock, ttl)));
    Iterator<CacheKey> eldest = entries.keySet().iterator();
    while (entries.size() > maxEntries) {
      eldest.next();
      eldest.remove();
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> clear(Collection<String> namespaces) {
    if (namespaces == null) {
      entries.clear();
    } else {
      entries.keySet().removeIf(key -> namespaces.contains(key.namespace()));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Long> size() {
    return Future.succeededFuture((long) entries.size());
  }

  @Override
  public String describe() {
    return "memory node cache";
  }
}
