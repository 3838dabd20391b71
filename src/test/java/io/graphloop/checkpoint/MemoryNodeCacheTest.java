package io.graphloop.checkpoint;

import io.graphloop.cache.MemoryNodeCache;
import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The node cache contract for {@link MemoryNodeCache} and the memory checkpoint store's cache. */
class MemoryNodeCacheTest extends NodeCacheContract {

  @Override
  protected Future<NodeCache> openCache(Vertx vertx, NodeCacheOptions options, Clock clock) {
    return Future.succeededFuture(new MemoryCheckpointStore().nodeCache(options, clock));
  }

  @Test
  void aMemoryStoreHasOneCacheForEveryoneSharingIt() {
    MemoryCheckpointStore store = new MemoryCheckpointStore();
    Clock clock = Clock.systemUTC();
    NodeCache first = store.nodeCache(new NodeCacheOptions(), clock);
    assertSame(first, store.nodeCache(new NodeCacheOptions(), clock));
    assertThrows(IllegalStateException.class, () -> store.nodeCache(new NodeCacheOptions().setMaxEntries(5), clock));
  }
}
