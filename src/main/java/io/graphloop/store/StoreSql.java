package io.graphloop.store;

import java.util.List;

/**
 * The table of the SQL {@link Store} backends and how its rows map to items: the namespace is stored joined by
 * {@code '.'} (labels cannot contain one), times as epoch milliseconds.
 *
 * <p>Stateless; thread-safe.
 */
final class StoreSql {

  static final String TABLE = "graphloop_store_items";

  private StoreSql() {
  }

  /** The schema; {@code real} is the dialect's floating-point type, {@code bigint} its 64-bit integer. */
  static List<String> schema(String bigint, String real) {
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + TABLE + " (namespace TEXT NOT NULL, item_key TEXT NOT NULL, value TEXT NOT NULL, "
            + "created_at " + bigint + " NOT NULL, updated_at " + bigint + " NOT NULL, expires_at " + bigint + ", "
            + "ttl_minutes " + real + ", PRIMARY KEY (namespace, item_key))",
        "CREATE INDEX IF NOT EXISTS " + TABLE + "_updated ON " + TABLE + " (updated_at)",
        "CREATE INDEX IF NOT EXISTS " + TABLE + "_expires ON " + TABLE + " (expires_at)");
  }

  /** The item columns, in the order of {@link #upsert}'s parameters and of what the backends select. */
  static final String COLUMNS = "namespace, item_key, value, created_at, updated_at, expires_at, ttl_minutes";

  /**
   * The upsert of an item, keeping the creation time of a live item already there; {@code params} are the dialect's
   * seven placeholders in {@link #COLUMNS} order.
   */
  static String upsert(List<String> params) {
    return "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (" + String.join(", ", params) + ") "
        + "ON CONFLICT (namespace, item_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
        + "expires_at = excluded.expires_at, ttl_minutes = excluded.ttl_minutes, created_at = CASE WHEN "
        + TABLE + ".expires_at IS NOT NULL AND " + TABLE + ".expires_at <= excluded.updated_at THEN excluded.created_at "
        + "ELSE " + TABLE + ".created_at END";
  }

  static String joined(List<String> namespace) {
    return String.join(".", namespace);
  }

  static List<String> split(String joined) {
    return List.of(joined.split("\\.", -1));
  }
}
