package io.graphloop.checkpoint;

import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;

import static io.graphloop.runtime.Await.result;

/**
 * The node cache contract for the PostgreSQL store's cache, against a throwaway server on 127.0.0.1
 * ({@link PostgresTestServer}; skipped without the binaries unless {@code GRAPHLOOP_REQUIRE_POSTGRES=1}).
 */
class PostgresNodeCacheTest extends NodeCacheContract {

  @RegisterExtension
  static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();

  @Override
  protected Future<NodeCache> openCache(Vertx vertx, NodeCacheOptions options, Clock clock) {
    return PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions()).compose(store -> {
      onClose(() -> result(store.close()));
      NodeCache cache = store.nodeCache(options, clock);
      return cache.clear(null).map(cache); // one database for the class: start each test empty
    });
  }
}
