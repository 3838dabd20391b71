package io.graphloop.store;

import io.graphloop.checkpoint.PostgresTestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on {@link PostgresStore}, against a throwaway PostgreSQL started for this class on 127.0.0.1
 * (skipped without the binaries unless {@code GRAPHLOOP_REQUIRE_POSTGRES=1}).
 */
class PostgresStoreTest extends StoreContract {

  private static PostgresTestServer server;

  @BeforeAll
  static void startServer() {
    server = PostgresTestServer.startOrSkip();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected Future<? extends Store> open(Vertx vertx, StoreOptions options, MutableClock clock) {
    return PostgresStore.open(vertx, server.storeOptions(), options, clock);
  }
}
