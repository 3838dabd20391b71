package io.graphloop.store;

import io.graphloop.errors.MissingDependencyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Store} in a SQLite file (LangGraph's {@code SqliteStore}), kept apart from the checkpoint file (default
 * {@code data/store.db}); several processes may share the file (SQLite's own locking, with a busy timeout).
 *
 * <p>Thread rules: JDBC runs on a dedicated single-thread worker (ordered {@code executeBlocking}), never on an event
 * loop; callers on any thread.
 */
public final class SqliteStore extends AbstractStore {

  private static final String COLUMNS = StoreSql.COLUMNS;
  private static final String UPSERT = StoreSql.upsert(java.util.Collections.nCopies(7, "?"));
  private static final String LIVE = "(expires_at IS NULL OR expires_at > ?)";
  private static final String UNDER = "(namespace = ? OR substr(namespace, 1, ?) = ?)";

  private final WorkerExecutor worker;
  private final Connection connection;
  private final Path file;

  private SqliteStore(Vertx vertx, StoreOptions options, Clock clock, WorkerExecutor worker, Connection connection,
                      Path file) {
    super(vertx, options, clock);
    this.worker = worker;
    this.connection = connection;
    this.file = file;
  }

  /** Opens (creating if needed) the store in {@code file}. */
  public static Future<SqliteStore> open(Vertx vertx, Path file, StoreOptions options) {
    return open(vertx, file, options, Clock.systemUTC());
  }

  static Future<SqliteStore> open(Vertx vertx, Path file, StoreOptions options, Clock clock) {
    MissingDependencyException.require("org.sqlite.SQLiteConfig", MissingDependencyException.SQLITE,
        "The SQLite store");
    Path absolute = file.toAbsolutePath();
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("graphloop-store-sqlite-" + absolute, 1, 60,
        TimeUnit.SECONDS);
    return worker.executeBlocking(() -> connect(absolute), true)
        .map(connection -> new SqliteStore(vertx, options, clock, worker, connection, absolute))
        .recover(e -> worker.close().transform(closed -> Future.failedFuture(new IllegalStateException(
            "SQLite store " + absolute + ": open failed: " + e.getMessage(), e))));
  }

  private static Connection connect(Path file) throws Exception {
    return io.graphloop.internal.sqlite.SqliteFiles.connect(file, "FULL", 5_000, StoreSql.schema("INTEGER", "REAL"));
  }

  @Override
  String describe() {
    return "SQLite store " + file;
  }

  private <T> Future<T> run(Callable<T> work) {
    return worker.executeBlocking(work, true);
  }

  @Override
  Future<Void> upsert(StoreItem item, String json) {
    return run(() -> {
      try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
        statement.setString(1, StoreSql.joined(item.namespace()));
        statement.setString(2, item.key());
        statement.setString(3, json);
        statement.setLong(4, item.createdAt().toEpochMilli());
        statement.setLong(5, item.updatedAt().toEpochMilli());
        setNullableLong(statement, 6, item.expiresAt() == null ? null : item.expiresAt().toEpochMilli());
        if (item.ttlMinutes() == null) {
          statement.setNull(7, java.sql.Types.REAL);
        } else {
          statement.setDouble(7, item.ttlMinutes());
        }
        statement.executeUpdate();
      }
      return null;
    });
  }

  @Override
  Future<StoreItem> read(List<String> namespace, String key) {
    return run(() -> {
      try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + StoreSql.TABLE
          + " WHERE namespace = ? AND item_key = ?")) {
        statement.setString(1, StoreSql.joined(namespace));
        statement.setString(2, key);
        try (ResultSet rows = statement.executeQuery()) {
          return rows.next() ? item(rows) : null;
        }
      }
    });
  }

  @Override
  Future<Void> remove(List<String> namespace, String key) {
    return run(() -> {
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + StoreSql.TABLE
          + " WHERE namespace = ? AND item_key = ?")) {
        statement.setString(1, StoreSql.joined(namespace));
        statement.setString(2, key);
        statement.executeUpdate();
      }
      return null;
    });
  }

  @Override
  Future<List<StoreItem>> page(List<String> prefix, Instant now, int limit, int offset) {
    return run(() -> {
      String sql = "SELECT " + COLUMNS + " FROM " + StoreSql.TABLE + " WHERE " + LIVE
          + (prefix.isEmpty() ? "" : " AND " + UNDER)
          + " ORDER BY updated_at DESC, namespace, item_key LIMIT ? OFFSET ?";
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int i = 1;
        statement.setLong(i++, now.toEpochMilli());
        if (!prefix.isEmpty()) {
          String joined = StoreSql.joined(prefix);
          String under = joined + ".";
          statement.setString(i++, joined);
          statement.setInt(i++, under.codePointCount(0, under.length()));
          statement.setString(i++, under);
        }
        statement.setInt(i++, limit);
        statement.setInt(i, offset);
        List<StoreItem> items = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            items.add(item(rows));
          }
        }
        return items;
      }
    });
  }

  @Override
  Future<Void> touch(List<StoreItem> items) {
    return run(() -> {
      try (PreparedStatement statement = connection.prepareStatement("UPDATE " + StoreSql.TABLE
          + " SET expires_at = ? WHERE namespace = ? AND item_key = ?")) {
        for (StoreItem item : items) {
          statement.setLong(1, item.expiresAt().toEpochMilli());
          statement.setString(2, StoreSql.joined(item.namespace()));
          statement.setString(3, item.key());
          statement.addBatch();
        }
        statement.executeBatch();
      }
      return null;
    });
  }

  @Override
  Future<List<List<String>>> namespaces(Instant now) {
    return run(() -> {
      try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT namespace FROM "
          + StoreSql.TABLE + " WHERE " + LIVE + " LIMIT ?")) {
        statement.setLong(1, now.toEpochMilli());
        statement.setInt(2, options.getMaxScan() + 1);
        List<List<String>> namespaces = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            namespaces.add(StoreSql.split(rows.getString(1)));
          }
        }
        if (namespaces.size() > options.getMaxScan()) {
          throw new IllegalArgumentException("The store holds more than " + options.getMaxScan() + " namespaces "
              + "(StoreOptions.maxScan); raise maxScan to list them");
        }
        return namespaces;
      }
    });
  }

  @Override
  Future<Integer> removeExpired(Instant now) {
    return run(() -> {
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + StoreSql.TABLE
          + " WHERE expires_at IS NOT NULL AND expires_at <= ?")) {
        statement.setLong(1, now.toEpochMilli());
        return statement.executeUpdate();
      }
    });
  }

  @Override
  Future<Void> release() {
    return run(() -> {
      connection.close();
      return (Void) null;
    }).eventually(() -> worker.close());
  }

  private static StoreItem item(ResultSet rows) throws SQLException {
    long expires = rows.getLong(6);
    Instant expiresAt = rows.wasNull() ? null : Instant.ofEpochMilli(expires);
    double ttl = rows.getDouble(7);
    Double ttlMinutes = rows.wasNull() ? null : ttl;
    return new StoreItem(StoreSql.split(rows.getString(1)), rows.getString(2), StoreRules.decode(rows.getString(3)),
        Instant.ofEpochMilli(rows.getLong(4)), Instant.ofEpochMilli(rows.getLong(5)), expiresAt, ttlMinutes);
  }

  private static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, java.sql.Types.INTEGER);
    } else {
      statement.setLong(index, value);
    }
  }
}
