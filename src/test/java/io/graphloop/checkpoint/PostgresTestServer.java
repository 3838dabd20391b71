package io.graphloop.checkpoint;

import io.graphloop.support.ThrowawayPostgres;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The store tests' PostgreSQL server: a {@link ThrowawayPostgres} with test settings (fsync off: a test cluster
 * only) and a {@code graphloop_test} database. When no binaries are found the tests are skipped with a message saying
 * so, unless {@code GRAPHLOOP_REQUIRE_POSTGRES=1} (as in CI), which makes it a failure. Found binaries that fail to
 * start a server always fail the tests, with the server's log.
 *
 * <p>Public for the integration tests of other packages (a PostgreSQL store shared by cluster members,
 * {@code CoordinatorFailoverIT}).
 *
 * <p>Not thread-safe: start and stop it from the JUnit thread ({@code @BeforeAll}/{@code @AfterAll}).
 */
public final class PostgresTestServer implements AutoCloseable {

  static final String REQUIRE_ENV = "GRAPHLOOP_REQUIRE_POSTGRES";
  static final String DATABASE = "graphloop_test";

  private final ThrowawayPostgres server;

  private PostgresTestServer(ThrowawayPostgres server) {
    this.server = server;
  }

  /** Starts a server, or skips the calling tests (fails them when {@code GRAPHLOOP_REQUIRE_POSTGRES=1}). */
  public static PostgresTestServer startOrSkip() {
    Path bin = ThrowawayPostgres.findBinaries();
    if (bin == null) {
      String message = "PostgreSQL server binaries (initdb, pg_ctl) were not found in $" + ThrowawayPostgres.BIN_ENV
          + ", /usr/lib/postgresql/*/bin or on the PATH, so the PostgreSQL checkpoint store tests cannot run; "
          + "install them with 'apt-get install postgresql' (.ci/run does).";
      if ("1".equals(System.getenv(REQUIRE_ENV))) {
        Assertions.fail(message + " " + REQUIRE_ENV + "=1 requires these tests to run.");
      }
      System.err.println("[postgres] SKIPPED: " + message);
      Assumptions.abort(message);
    }
    try {
      return new PostgresTestServer(ThrowawayPostgres.start(bin, DATABASE, false));
    } catch (IOException e) {
      throw new IllegalStateException("Could not start a test PostgreSQL server with " + bin + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting a test PostgreSQL server", e);
    }
  }

  /** Options of a store connecting to this server's test database. */
  public PostgresStoreOptions storeOptions() {
    return new PostgresStoreOptions().setHost("127.0.0.1").setPort(server.port()).setDatabase(DATABASE)
        .setUser(ThrowawayPostgres.SUPERUSER).setPoolSize(4);
  }

  public int port() {
    return server.port();
  }

  /** Stops the server and removes its directory. */
  @Override
  public void close() {
    server.close();
  }
}
