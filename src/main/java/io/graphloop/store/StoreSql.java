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

  static String joined(List<String> namespace) {
    return String.join(".", namespace);
  }

  static List<String> split(String joined) {
    return List.of(joined.split("\\.", -1));
  }
}
