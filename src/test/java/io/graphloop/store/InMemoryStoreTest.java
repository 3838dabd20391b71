package io.graphloop.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The store contract on {@link InMemoryStore}. */
class InMemoryStoreTest extends StoreContract {

  @Override
  protected Future<? extends Store> open(Vertx vertx, StoreOptions options, MutableClock clock) {
    return Future.succeededFuture(new InMemoryStore(vertx, options, clock));
  }
}
