package io.graphloop.store;

import io.graphloop.checkpoint.PostgresStoreOptions;
import io.graphloop.errors.MissingDependencyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Store} in PostgreSQL (LangGraph's {@code PostgresStore}), shared by every member that points at the same
 * database: connection settings as the PostgreSQL checkpoint store's ({@link PostgresStoreOptions}), its own table.
 * Text is compared in the "C" collation, so the order of items is the same as the other backends'.
 *
 * <p>Thread rules: non-blocking (the reactive PostgreSQL client); callers on any thread.
 */
public final class PostgresStore extends AbstractStore {

  private static final String COLUMNS = StoreSql.COLUMNS;
  private static final String UPSERT = StoreSql.upsert(List.of("$1", "$2", "$3", "$4", "$5", "$6", "$7"));
  /** Serializes schema creation across JVMs (a distinct number from the checkpoint store's lock). */
  private static final long SCHEMA_LOCK = 0x6772_6170_6873_7431L;

  private final Pool pool;
  private final String description;

  private PostgresStore(Vertx vertx, StoreOptions options, Clock clock, Pool pool, String description) {
    super(vertx, options, clock);
    this.pool = pool;
    this.description = description;
  }

  /** Connects and creates the table if needed. */
  public static Future<PostgresStore> open(Vertx vertx, PostgresStoreOptions connection, StoreOptions options) {
    return open(vertx, connection, options, Clock.systemUTC());
  }

  static Future<PostgresStore> open(Vertx vertx, PostgresStoreOptions connection, StoreOptions options, Clock clock) {
    MissingDependencyException.require("io.vertx.pgclient.PgBuilder", MissingDependencyException.PG_CLIENT,
        "The PostgreSQL store");
    String description = "PostgreSQL store " + connection; // toString leaves the password out
    Pool pool = PgBuilder.pool().with(connection.toPoolOptions()).connectingTo(connection.toConnectOptions())
        .using(vertx).build();
    return pool.withTransaction(PostgresStore::createSchema)
        .map(v -> new PostgresStore(vertx, options, clock, pool, description))
        .recover(e -> pool.close().transform(closed -> Future.failedFuture(new IllegalStateException(
            description + ": open failed: " + e.getMessage(), e))));
  }

  private static Future<Void> createSchema(SqlConnection connection) {
    Future<?> done = connection.query("SET LOCAL client_min_messages = warning").execute()
        .compose(r -> connection.query("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")").execute());
    for (String ddl : StoreSql.schema("BIGINT", "DOUBLE PRECISION")) {
      String collated = ddl.replace("namespace TEXT NOT NULL, item_key TEXT NOT NULL",
          "namespace TEXT COLLATE \"C\" NOT NULL, item_key TEXT COLLATE \"C\" NOT NULL");
      done = done.compose(r -> connection.query(collated).execute());
    }
    return done.mapEmpty();
  }

  @Override
  String describe() {
    return description;
  }

  @Override
  Future<Void> upsert(StoreItem item, String json) {
    return pool.preparedQuery(UPSERT)
        .execute(Tuple.of(StoreSql.joined(item.namespace()), item.key(), json, item.createdAt().toEpochMilli(),
            item.updatedAt().toEpochMilli(), item.expiresAt() == null ? null : item.expiresAt().toEpochMilli(),
            item.ttlMinutes()))
        .mapEmpty();
  }

  @Override
  Future<StoreItem> read(List<String> namespace, String key) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM " + StoreSql.TABLE + " WHERE namespace = $1 AND item_key = $2")
        .execute(Tuple.of(StoreSql.joined(namespace), key))
        .map(rows -> rows.size() == 0 ? null : item(rows.iterator().next()));
  }

  @Override
  Future<Void> remove(List<String> namespace, String key) {
    return pool.preparedQuery("DELETE FROM " + StoreSql.TABLE + " WHERE namespace = $1 AND item_key = $2")
        .execute(Tuple.of(StoreSql.joined(namespace), key)).mapEmpty();
  }

  @Override
  Future<List<StoreItem>> page(List<String> prefix, Instant now, int limit, int offset) {
    String live = "(expires_at IS NULL OR expires_at > $1)";
    Future<io.vertx.sqlclient.RowSet<Row>> rows;
    if (prefix.isEmpty()) {
      rows = pool.preparedQuery("SELECT " + COLUMNS + " FROM " + StoreSql.TABLE + " WHERE " + live
              + " ORDER BY updated_at DESC, namespace, item_key LIMIT $2 OFFSET $3")
          .execute(Tuple.of(now.toEpochMilli(), limit, offset));
    } else {
      String joined = StoreSql.joined(prefix);
      rows = pool.preparedQuery("SELECT " + COLUMNS + " FROM " + StoreSql.TABLE + " WHERE " + live
              + " AND (namespace = $2 OR starts_with(namespace, $3))"
              + " ORDER BY updated_at DESC, namespace, item_key LIMIT $4 OFFSET $5")
          .execute(Tuple.of(now.toEpochMilli(), joined, joined + ".", limit, offset));
    }
    return rows.map(set -> {
      List<StoreItem> items = new ArrayList<>(set.size());
      set.forEach(row -> items.add(item(row)));
      return items;
    });
  }

  @Override
  Future<Void> touch(List<StoreItem> items) {
    List<Tuple> batch = new ArrayList<>(items.size());
    for (StoreItem item : items) {
      batch.add(Tuple.of(item.expiresAt().toEpochMilli(), StoreSql.joined(item.namespace()), item.key()));
    }
    return pool.preparedQuery("UPDATE " + StoreSql.TABLE + " SET expires_at = $1 WHERE namespace = $2 AND item_key = $3")
        .executeBatch(batch).mapEmpty();
  }

  @Override
  Future<List<List<String>>> namespaces(Instant now) {
    return pool.preparedQuery("SELECT DISTINCT namespace FROM " + StoreSql.TABLE
            + " WHERE (expires_at IS NULL OR expires_at > $1) LIMIT $2")
        .execute(Tuple.of(now.toEpochMilli(), options.getMaxScan() + 1))
        .compose(rows -> {
          if (rows.size() > options.getMaxScan()) {
            return Future.failedFuture(new IllegalArgumentException("The store holds more than "
                + options.getMaxScan() + " namespaces (StoreOptions.maxScan); raise maxScan to list them"));
          }
          List<List<String>> namespaces = new ArrayList<>(rows.size());
          rows.forEach(row -> namespaces.add(StoreSql.split(row.getString(0))));
          return Future.succeededFuture(namespaces);
        });
  }

  @Override
  Future<Integer> removeExpired(Instant now) {
    return pool.preparedQuery("DELETE FROM " + StoreSql.TABLE + " WHERE expires_at IS NOT NULL AND expires_at <= $1")
        .execute(Tuple.of(now.toEpochMilli())).map(rows -> rows.rowCount());
  }

  @Override
  Future<Void> release() {
    return pool.close();
  }

  private static StoreItem item(Row row) {
    Long expires = row.getLong(5);
    return new StoreItem(StoreSql.split(row.getString(0)), row.getString(1), StoreRules.decode(row.getString(2)),
        Instant.ofEpochMilli(row.getLong(3)), Instant.ofEpochMilli(row.getLong(4)),
        expires == null ? null : Instant.ofEpochMilli(expires), row.getDouble(6));
  }
}
