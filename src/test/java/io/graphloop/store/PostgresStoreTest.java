package io.graphloop.store;

import io.graphloop.checkpoint.ThrowawayPostgresExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on {@link PostgresStore}, against a throwaway PostgreSQL started for this class on 127.0.0.1
 * (skipped without the binaries unless {@code GRAPHLOOP_REQUIRE_POSTGRES=1}).
 */
class PostgresStoreTest extends StoreContract {

  @RegisterExtension
  static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();

  @Override
  protected Future<? extends Store> open(Vertx vertx, StoreOptions options, MutableClock clock) {
    return PostgresStore.open(vertx, POSTGRES.storeOptions(), options, clock);
  }
}
