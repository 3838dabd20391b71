package io.graphloop.store;

import io.graphloop.checkpoint.PostgresStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Set;

/**
 * Opens a {@link Store} from configuration (the {@code store} section of {@code serve}'s {@code --conf}):
 * <pre>{@code
 * {"type": "memory"}                                              (the default, as langgraph dev)
 * {"type": "sqlite", "path": "data/store.db"}
 * {"type": "postgres", "postgres": {"host": "127.0.0.1", "port": 5432, "database": "graphloop", ...}}
 * }</pre>
 * each with optional {@code "options"}: {@link StoreOptions}'s keys ({@code defaultTtlMinutes}, {@code refreshOnRead},
 * {@code sweepIntervalMs}, {@code maxValueBytes}, {@code maxLimit}, {@code maxScan}).
 *
 * <p>Stateless; thread-safe.
 */
public final class StoreConfig {

  /** The SQLite file when {@code path} is absent. */
  public static final String DEFAULT_SQLITE_PATH = "data/store.db";

  private StoreConfig() {
  }

  /** Checks {@code config} without opening anything; throws an {@link IllegalArgumentException} saying what is wrong. */
  public static StoreOptions check(JsonObject config) {
    String type = config.getValue("type") == null ? "memory" : String.valueOf(config.getValue("type"));
    Set<String> known = switch (type) {
      case "memory" -> Set.of("type", "options");
      case "sqlite" -> Set.of("type", "options", "path");
      case "postgres" -> Set.of("type", "options", "postgres");
      default -> throw new IllegalArgumentException("store type '" + type + "' is unknown; use \"memory\", "
          + "\"sqlite\" or \"postgres\"");
    };
    for (String field : config.fieldNames()) {
      if (!known.contains(field)) {
        throw new IllegalArgumentException("Unknown field '" + field + "' in the " + type + " store's configuration; "
            + "its fields are " + new java.util.TreeSet<>(known));
      }
    }
    Object options = config.getValue("options");
    if (options != null && !(options instanceof JsonObject)) {
      throw new IllegalArgumentException("store field 'options' must be a JSON object, got " + options);
    }
    if ("postgres".equals(type) && !(config.getValue("postgres") instanceof JsonObject)) {
      throw new IllegalArgumentException("a postgres store needs a 'postgres' object with its connection (host, "
          + "port, database, user, password), as the PostgreSQL checkpointer's");
    }
    return options == null ? new StoreOptions() : new StoreOptions((JsonObject) options);
  }

  /** Opens the store {@code config} describes (checked first). */
  public static Future<Store> open(Vertx vertx, JsonObject config) {
    StoreOptions options;
    try {
      options = check(config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String type = config.getString("type", "memory");
    switch (type) {
      case "sqlite":
        return SqliteStore.open(vertx, Path.of(config.getString("path", DEFAULT_SQLITE_PATH)), options)
            .map(store -> (Store) store);
      case "postgres":
        PostgresStoreOptions connection;
        try {
          connection = new PostgresStoreOptions(config.getJsonObject("postgres"));
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
        return PostgresStore.open(vertx, connection, options).map(store -> (Store) store);
      default:
        return Future.succeededFuture(new InMemoryStore(vertx, options));
    }
  }
}
