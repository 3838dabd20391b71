package io.graphloop.server;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ThreadStore} of servers with a SQLite checkpoint store: its own file beside the checkpoint file
 * ({@code <dataDir>/<fileName>-threads.db}), so thread records outlive a restart and every process on that file sees
 * the same threads (SQLite's own locking, with a busy timeout).
 *
 * <p>Thread rules: JDBC runs on a dedicated single-thread worker (ordered {@code executeBlocking}), never on an event
 * loop; callers on any thread.
 */
final class SqliteThreadStore extends SqlThreadStore {

  private static final int BUSY_TIMEOUT_MS = 5_000;

  private final WorkerExecutor worker;
  private final Connection connection;

  private SqliteThreadStore(WorkerExecutor worker, Connection connection, int maxScan) {
    super(maxScan);
    this.worker = worker;
    this.connection = connection;
  }

  /** Opens (creating if needed) the records in {@code file}. */
  static Future<SqliteThreadStore> open(Vertx vertx, Path file, int maxScan) {
    MissingDependencyException.require("org.sqlite.SQLiteConfig", MissingDependencyException.SQLITE,
        "The SQLite thread records");
    Path absolute = file.toAbsolutePath();
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("graphloop-threads-sqlite-" + absolute, 1, 60,
        TimeUnit.SECONDS);
    return worker.executeBlocking(() -> connect(absolute), true)
        .map(connection -> new SqliteThreadStore(worker, connection, maxScan))
        .recover(e -> worker.close().transform(closed -> Future.failedFuture(new IllegalStateException(
            "The thread records in SQLite file " + absolute + " could not be opened: " + e.getMessage(), e))));
  }

  private static Connection connect(Path file) throws Exception {
    return io.graphloop.internal.sqlite.SqliteFiles.connect(file, "FULL", BUSY_TIMEOUT_MS, schema("INTEGER", "TEXT"));
  }

  private <T> Future<T> run(Callable<T> work) {
    return worker.executeBlocking(work, true);
  }

  @Override
  Future<List<List<Object>>> query(String sql, List<Object> params) {
    return run(() -> {
      try (PreparedStatement statement = prepare(sql, params); ResultSet rows = statement.executeQuery()) {
        int columns = rows.getMetaData().getColumnCount();
        List<List<Object>> list = new ArrayList<>();
        while (rows.next()) {
          List<Object> row = new ArrayList<>(columns);
          for (int i = 1; i <= columns; i++) {
            row.add(rows.getObject(i));
          }
          list.add(row);
        }
        return list;
      }
    });
  }

  @Override
  Future<Integer> update(String sql, List<Object> params) {
    return run(() -> {
      try (PreparedStatement statement = prepare(sql, params)) {
        return statement.executeUpdate();
      }
    });
  }

  private PreparedStatement prepare(String sql, List<Object> params) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < params.size(); i++) {
        statement.setObject(i + 1, params.get(i));
      }
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
    return statement;
  }

  @Override
  public Future<Void> close() {
    return run(() -> {
      connection.close();
      return (Void) null;
    }).eventually(() -> worker.close());
  }
}
