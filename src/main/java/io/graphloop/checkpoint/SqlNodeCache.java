package io.graphloop.checkpoint;

import io.graphloop.cache.CacheKey;
import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;
import io.graphloop.cache.NodeCaches;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link NodeCache} in a SQL checkpoint store's database: the table {@code graphloop_node_cache} next to the
 * checkpoints (created with the store's schema), so every coordinator, in this JVM or another, that opens the same
 * store shares the cached writes. Values are stored as JSON text, as pending writes are. Each entry has an expiry
 * time in epoch ms (taken from the cache's clock when it is stored) and a sequence number; storing an entry also
 * removes the expired ones and the least recently stored ones beyond {@link NodeCacheOptions#getMaxEntries()}.
 *
 * <p>Thread rules: thread-safe; the SQL runs where the store runs its own (SQLite: the store's worker thread;
 * PostgreSQL: the pool's event loops), never blocking the caller.
 */
final class SqlNodeCache implements NodeCache {

  /** One statement; {@code query} when its rows are wanted. */
  record Statement(String sql, List<Object> params, boolean query) {
    static Statement update(String sql, Object... params) {
      return new Statement(sql, Arrays.asList(params), false);
    }

    static Statement query(String sql, Object... params) {
      return new Statement(sql, Arrays.asList(params), true);
    }
  }

  /** How the store runs SQL: statements in order, in one transaction; the rows of the last query, as values. */
  interface Runner {
    Future<List<List<Object>>> run(String operation, List<Statement> statements);
  }

  private final String description;
  private final Runner runner;
  private final Clock clock;
  private final long maxEntries;

  SqlNodeCache(String description, Runner runner, NodeCacheOptions options, Clock clock) {
    this.description = description;
    this.runner = runner;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxEntries = new NodeCacheOptions(options).getMaxEntries();
  }

  @Override
  public Future<Map<String, Object>> get(CacheKey key) {
    Objects.requireNonNull(key, "key");
    return runner.run("read of cache entry " + key.key() + " of " + key.namespace(),
        List.of(Statement.query(CheckpointSql.CACHE_GET, key.namespace(), key.key()))).compose(rows -> {
          if (rows.isEmpty()) {
            return Future.succeededFuture();
          }
          List<Object> row = rows.get(0);
          Object expiresAt = row.get(1);
          if (expiresAt != null && clock.millis() >= ((Number) expiresAt).longValue()) {
            return runner.run("removal of expired cache entry " + key.key(),
                List.of(Statement.update(CheckpointSql.CACHE_DELETE, key.namespace(), key.key())))
                .map(done -> (Map<String, Object>) null);
          }
          return Future.succeededFuture(CheckpointJson.decodeMap((String) row.get(0), "the " + description
              + " entry " + key.key() + " of " + key.namespace()));
        });
  }

  @Override
  public Future<Void> set(CacheKey key, Map<String, Object> writes, Duration ttl) {
    String value;
    try {
      Objects.requireNonNull(key, "key");
      value = CheckpointJson.encode(Objects.requireNonNull(writes, "writes"), "the cached writes of "
          + key.namespace());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    long expiresAt = NodeCaches.expiresAt(clock, ttl);
    return runner.run("store of cache entry " + key.key() + " of " + key.namespace(), List.of(
        Statement.update(CheckpointSql.CACHE_SET, key.namespace(), key.key(), value,
            expiresAt == Long.MAX_VALUE ? null : expiresAt),
        Statement.update(CheckpointSql.CACHE_EXPIRE, clock.millis()),
        Statement.update(CheckpointSql.CACHE_EVICT, maxEntries))).mapEmpty();
  }

  @Override
  public Future<Void> clear(Collection<String> namespaces) {
    List<Statement> statements = new ArrayList<>();
    if (namespaces == null) {
      statements.add(Statement.update(CheckpointSql.CACHE_CLEAR_ALL));
    } else {
      namespaces.forEach(ns -> statements.add(Statement.update(CheckpointSql.CACHE_CLEAR, ns)));
    }
    return statements.isEmpty() ? Future.succeededFuture()
        : runner.run("clearing of the cache", statements).mapEmpty();
  }

  @Override
  public Future<Long> size() {
    return runner.run("count of cache entries", List.of(Statement.query(CheckpointSql.CACHE_SIZE)))
        .map(rows -> ((Number) rows.get(0).get(0)).longValue());
  }

  @Override
  public String describe() {
    return description;
  }
}
