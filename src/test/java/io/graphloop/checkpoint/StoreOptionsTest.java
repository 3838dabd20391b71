package io.graphloop.checkpoint;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stores' options as data objects: defaults, JSON in and out, copies, and refused values. */
class StoreOptionsTest {

  @Test
  void sqliteOptionsHaveDefaultsAndRoundTripThroughJson() {
    SqliteStoreOptions defaults = new SqliteStoreOptions(new JsonObject());
    assertEquals(Path.of("data/checkpoints.db").toAbsolutePath(), defaults.path());
    assertEquals("FULL", defaults.getSynchronous());
    SqliteStoreOptions custom = new SqliteStoreOptions().setDataDir("/var/lib/graphloop").setFileName("x.db")
        .setSynchronous("normal").setBusyTimeoutMs(10).setMaxQueuedSaves(7);
    assertEquals(custom.toJson(), new SqliteStoreOptions(custom.toJson()).toJson());
    assertEquals(custom.toJson(), new SqliteStoreOptions(custom).toJson());
    assertEquals("NORMAL", custom.getSynchronous());
    assertEquals(7, new SqliteStoreOptions(custom.toJson()).getMaxQueuedSaves());
    assertEquals(SqliteStoreOptions.DEFAULT_MAX_QUEUED_SAVES, defaults.getMaxQueuedSaves());
    assertEquals(100_000, defaults.getWalAutocheckpointPages());
    assertEquals(65_536, defaults.getCacheSizeKiB());
    SqliteStoreOptions tuned = new SqliteStoreOptions(new JsonObject().put("walAutocheckpointPages", 500)
        .put("cacheSizeKiB", 2048));
    assertEquals(500, tuned.getWalAutocheckpointPages());
    assertEquals(2048, new SqliteStoreOptions(tuned.toJson()).getCacheSizeKiB());
    assertEquals(100_000, defaults.getMaxKnownHeads());
    assertEquals(0, new SqliteStoreOptions(new SqliteStoreOptions(new JsonObject().put("maxKnownHeads", 0)).toJson())
        .getMaxKnownHeads());
  }

  @Test
  void sqliteOptionsRefuseBadValuesNamingTheField() {
    assertMessage("fileName must be a plain file name", () -> new SqliteStoreOptions().setFileName("a/b.db"));
    assertMessage("synchronous must be FULL or NORMAL, was \"OFF\"", () -> new SqliteStoreOptions().setSynchronous("OFF"));
    assertMessage("walAutocheckpointPages must be between 100 and 1000000", () -> new SqliteStoreOptions()
        .setWalAutocheckpointPages(0));
    assertMessage("cacheSizeKiB must be between 1024 and 1048576 (the page cache in KiB), was 10",
        () -> new SqliteStoreOptions(new JsonObject().put("cacheSizeKiB", 10)));
    assertMessage("maxKnownHeads must be between 0 and 10000000 (thread heads the group commit keeps in memory for "
        + "fencing; 0 reads them every batch), was -1", () -> new SqliteStoreOptions().setMaxKnownHeads(-1));
    assertMessage("Field 'busyTimeoutMs' of SQLite store options must be an integer",
        () -> new SqliteStoreOptions(new JsonObject().put("busyTimeoutMs", "soon")));
  }

  @Test
  void postgresOptionsHaveDefaultsAndRoundTripThroughJson() {
    PostgresStoreOptions defaults = new PostgresStoreOptions(new JsonObject());
    assertEquals("graphloop@localhost:5432/graphloop", defaults.toString());
    PostgresStoreOptions custom = new PostgresStoreOptions(new JsonObject().put("host", "db").put("port", 6432)
        .put("database", "d").put("user", "u").put("password", "secret").put("poolSize", 8)
        .put("maxWaitQueueSize", 16).put("maxQueuedSaves", 9).put("writerConnections", 3));
    assertEquals(9, custom.getMaxQueuedSaves());
    assertEquals(3, custom.getWriterConnections());
    assertEquals(3, custom.toWriterPoolOptions().getMaxSize(), "the writer's own pool");
    assertEquals(3, custom.toWriterPoolOptions().getMaxWaitQueueSize(), "one waiting lane per connection at most");
    assertEquals(PostgresStoreOptions.DEFAULT_WRITER_CONNECTIONS, defaults.getWriterConnections());
    assertEquals(custom.toJson(), new PostgresStoreOptions(custom.toJson()).toJson());
    assertEquals(custom.toJson(), new PostgresStoreOptions(custom).toJson());
    assertEquals(8, custom.toPoolOptions().getMaxSize());
    assertEquals("secret", custom.toConnectOptions().getPassword());
    assertEquals(6432, custom.toConnectOptions().getPort());
    assertFalse(custom.toString().contains("secret"), "the password stays out of messages");
  }

  @Test
  void postgresOptionsRefuseBadValuesNamingTheField() {
    assertMessage("port must be between 1 and 65535, was 0", () -> new PostgresStoreOptions().setPort(0));
    assertMessage("poolSize must be greater than or equal to 1, was 0", () -> new PostgresStoreOptions().setPoolSize(0));
    assertMessage("host must be a non-empty string", () -> new PostgresStoreOptions().setHost(" "));
    assertMessage("writerConnections must be between 1 and 64 (connections of the group commit's own pool), was 0",
        () -> new PostgresStoreOptions(new JsonObject().put("writerConnections", 0)));
    assertMessage("writerConnections must be between 1 and 64", () -> new PostgresStoreOptions().setWriterConnections(65));
    assertMessage("maxQueuedSaves must be greater than or equal to 1, was 0",
        () -> new PostgresStoreOptions(new JsonObject().put("maxQueuedSaves", 0)));
    assertMessage("maxQueuedSaves must be greater than or equal to 1, was -1",
        () -> new SqliteStoreOptions().setMaxQueuedSaves(-1));
  }

  private static void assertMessage(String expected, Runnable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
  }
}
