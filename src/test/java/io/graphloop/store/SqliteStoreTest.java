package io.graphloop.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store contract on {@link SqliteStore}, in a file of a temporary directory. */
class SqliteStoreTest extends StoreContract {

  @TempDir
  Path dir;

  @Override
  protected Future<? extends Store> open(Vertx vertx, StoreOptions options, MutableClock clock) {
    return SqliteStore.open(vertx, dir.resolve("store.db"), options, clock);
  }
}
