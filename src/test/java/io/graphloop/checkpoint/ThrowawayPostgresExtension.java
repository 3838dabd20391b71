package io.graphloop.checkpoint;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension giving a test class one throwaway PostgreSQL server ({@link PostgresTestServer}) for all of
 * its tests: started before the first, stopped (and its directory removed) after the last. Skips the class when no
 * binaries are found, or fails it when {@code GRAPHLOOP_REQUIRE_POSTGRES=1}, as {@link PostgresTestServer#startOrSkip}
 * does. Register it on a static field:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();
 * ...
 * PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions());
 * </pre>
 *
 * <p>Thread rules: JUnit calls the callbacks on its thread; {@link #server()} may be read from any thread once the
 * class's tests run (the field is volatile).
 */
public final class ThrowawayPostgresExtension implements BeforeAllCallback, AfterAllCallback {

  private volatile PostgresTestServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = PostgresTestServer.startOrSkip();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    PostgresTestServer started = server;
    server = null;
    if (started != null) {
      started.close();
    }
  }

  /** The running server; only while the class's tests run. */
  public PostgresTestServer server() {
    PostgresTestServer started = server;
    if (started == null) {
      throw new IllegalStateException("No throwaway PostgreSQL is running: register ThrowawayPostgresExtension on a "
          + "static field with @RegisterExtension and use it from the class's tests only");
    }
    return started;
  }

  /** Options of a store connecting to the server's test database (a new object each call). */
  public PostgresStoreOptions storeOptions() {
    return server().storeOptions();
  }
}
