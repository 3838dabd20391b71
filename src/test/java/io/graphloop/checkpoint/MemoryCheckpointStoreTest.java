package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The checkpoint store contract for the in-memory store. */
class MemoryCheckpointStoreTest extends ThreadTtlContract {

  @Override
  protected Future<? extends CheckpointStore> openStore(Vertx vertx) {
    return Future.succeededFuture(new MemoryCheckpointStore());
  }
}
