package io.graphloop.cache;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * A cache of node writes (LangGraph's {@code BaseCache}): a node with a {@link io.graphloop.graph.CachePolicy}
 * whose task finds its key here is not run; its stored writes are used instead (and streamed as cached). Entries
 * expire after their time to live, and a cache keeps at most {@link NodeCacheOptions#getMaxEntries()} entries.
 * Implementations: {@link MemoryNodeCache} (one JVM) and the caches of the checkpoint stores
 * ({@code CheckpointStore.nodeCache}): a table next to the checkpoints in SQLite or PostgreSQL, so every
 * coordinator sharing the store shares the cache.
 *
 * <p>Values are the writes of one task as JSON-compatible values (maps, lists, strings, numbers, booleans, null);
 * a value the store cannot hold as JSON fails the {@link #set}.
 *
 * <p>Thread rules: implementations are thread-safe, never block the calling thread (I/O runs on a worker or a
 * non-blocking client), and their futures may complete on another thread than the caller's.
 */
public interface NodeCache {

  /** The writes stored under {@code key}, or {@code null} when there are none or they expired. */
  Future<Map<String, Object>> get(CacheKey key);

  /**
   * Stores {@code writes} under {@code key} (replacing what was there) for {@code ttl}, or with no expiry when
   * {@code ttl} is {@code null}; then evicts the entries beyond the cache's bound.
   */
  Future<Void> set(CacheKey key, Map<String, Object> writes, Duration ttl);

  /** Removes the entries of {@code namespaces}, or every entry when {@code namespaces} is {@code null}. */
  Future<Void> clear(Collection<String> namespaces);

  /** How many entries are stored now (expired ones not yet removed included). */
  Future<Long> size();

  /** A short description for messages, e.g. {@code "SQLite node cache /data/checkpoints.db"}. */
  String describe();
}
