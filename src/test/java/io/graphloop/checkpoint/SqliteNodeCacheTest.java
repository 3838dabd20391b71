package io.graphloop.checkpoint;

import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static io.graphloop.runtime.Await.result;

/** The node cache contract for the SQLite store's cache (its table next to the checkpoints). */
class SqliteNodeCacheTest extends NodeCacheContract {

  @TempDir
  Path dir;

  @Override
  protected Future<NodeCache> openCache(Vertx vertx, NodeCacheOptions options, Clock clock) {
    return SqliteCheckpointStore.open(vertx, new SqliteStoreOptions().setDataDir(dir.toString())
        .setFileName("cache-" + System.nanoTime() + ".db")).map(store -> {
          onClose(() -> result(store.close()));
          return store.nodeCache(options, clock);
        });
  }
}
