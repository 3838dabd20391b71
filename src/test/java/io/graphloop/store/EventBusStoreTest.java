package io.graphloop.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.UUID;

/**
 * The store contract through the event bus: an {@link EventBusStore} talking to a {@link StoreVerticle} over an
 * {@link InMemoryStore} (what a worker member's nodes use to share a coordinator member's store). Refusals arrive as
 * {@link IllegalArgumentException}s with the backend's message.
 */
class EventBusStoreTest extends StoreContract {

  @Override
  protected Future<? extends Store> open(Vertx vertx, StoreOptions options, MutableClock clock) {
    String address = "graphloop.store.test." + UUID.randomUUID();
    return vertx.deployVerticle(new StoreVerticle(new InMemoryStore(vertx, options, clock), address))
        .map(id -> new EventBusStore(vertx, address, 10_000));
  }
}
