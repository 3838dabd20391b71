package io.graphloop.checkpoint;

import io.graphloop.errors.MissingDependencyException;
import io.graphloop.state.JsonFields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Opens the store a configuration names, so the store can be chosen in {@code conf/} rather than in code:
 * {@code {"type": "sqlite", "dataDir": "data"}}, {@code {"type": "postgres", "host": "db", ...}} or
 * {@code {"type": "memory"}}; the other fields are the store's options ({@link SqliteStoreOptions},
 * {@link PostgresStoreOptions}). Without a type: SQLite, the durable default.
 *
 * <p>Stateless and thread-safe; opening never blocks the caller.
 */
public final class CheckpointStores {

  /** The store type used when a configuration names none. */
  public static final String DEFAULT_TYPE = "sqlite";

  private CheckpointStores() {
  }

  /**
   * Opens the store {@code config} describes.
   *
   * @return the open store; a failed future with an {@link IllegalArgumentException} naming the field for a bad
   *     configuration, or the store's own failure when it cannot open
   */
  public static Future<CheckpointStore> open(Vertx vertx, JsonObject config) {
    try {
      switch (check(config)) {
        case "memory":
          return Future.succeededFuture(new MemoryCheckpointStore());
        case "sqlite":
          return SqliteCheckpointStore.open(vertx, new SqliteStoreOptions(withoutType(config))).map(s -> s);
        default: // postgres
          return PostgresCheckpointStore.open(vertx, new PostgresStoreOptions(withoutType(config))).map(s -> s);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Checks {@code config} without opening anything (no file, no connection): its type and its fields, as
   * {@link #open} reads them. For command lines and configuration files, to report a mistake before starting.
   *
   * @return the store's type: {@code memory}, {@code sqlite} or {@code postgres}
   * @throws IllegalArgumentException naming the field whose value is wrong
   * @throws MissingDependencyException when the store's optional dependency is not on the classpath
   */
  public static String check(JsonObject config) {
    String type = JsonFields.optionalString(config, "type", "checkpoint store options");
    type = type == null ? DEFAULT_TYPE : type;
    switch (type) {
      case "memory":
        return type;
      case "sqlite":
        MissingDependencyException.require("org.sqlite.SQLiteConfig", MissingDependencyException.SQLITE,
            "The SQLite checkpoint store");
        new SqliteStoreOptions(withoutType(config));
        return type;
      case "postgres":
        MissingDependencyException.require("io.vertx.pgclient.PgConnectOptions", MissingDependencyException.PG_CLIENT,
            "The PostgreSQL checkpoint store");
        new PostgresStoreOptions(withoutType(config));
        return type;
      default:
        throw new IllegalArgumentException("Field 'type' of checkpoint store options must be memory, sqlite or "
            + "postgres, was \"" + type + "\"");
    }
  }

  private static JsonObject withoutType(JsonObject config) {
    JsonObject copy = config.copy();
    copy.remove("type");
    return copy;
  }
}
