package io.graphloop.server;

import io.graphloop.checkpoint.PostgresStoreOptions;
import io.graphloop.errors.MissingDependencyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ThreadStore} of servers whose coordinators share a PostgreSQL checkpoint store: table
 * {@value SqlThreadStore#TABLE} in that database, through a pool of its own (the checkpointer's connection settings,
 * {@link PostgresStoreOptions}). Text is ordered in the "C" collation, as byte order.
 *
 * <p>Thread rules: non-blocking (the reactive PostgreSQL client); callers on any thread.
 */
final class PostgresThreadStore extends SqlThreadStore {

  /** Serializes schema creation across JVMs (distinct from the checkpoint and long-term stores' locks). */
  private static final long SCHEMA_LOCK = 0x6772_6170_6874_6872L;

  private final Pool pool;

  private PostgresThreadStore(Pool pool, int maxScan) {
    super(maxScan);
    this.pool = pool;
  }

  /** Connects and creates the table if needed. */
  static Future<PostgresThreadStore> open(Vertx vertx, PostgresStoreOptions connection, int maxScan) {
    MissingDependencyException.require("io.vertx.pgclient.PgBuilder", MissingDependencyException.PG_CLIENT,
        "The PostgreSQL thread records");
    Pool pool = PgBuilder.pool().with(connection.toPoolOptions()).connectingTo(connection.toConnectOptions())
        .using(vertx).build();
    return pool.withTransaction(PostgresThreadStore::createSchema)
        .map(v -> new PostgresThreadStore(pool, maxScan))
        .recover(e -> pool.close().transform(closed -> Future.failedFuture(new IllegalStateException(
            "The thread records in PostgreSQL " + connection + " could not be opened: " + e.getMessage(), e))));
  }

  private static Future<Void> createSchema(SqlConnection connection) {
    Future<?> done = connection.query("SET LOCAL client_min_messages = warning").execute()
        .compose(r -> connection.query("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")").execute());
    for (String ddl : schema("BIGINT", "TEXT COLLATE \"C\"")) {
      done = done.compose(r -> connection.query(ddl).execute());
    }
    return done.mapEmpty();
  }

  /** {@code sql} with its {@code ?} placeholders numbered ({@code $1, $2, ...}); no statement here quotes a '?'. */
  static String numbered(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 16);
    int n = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '?') {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  Future<List<List<Object>>> query(String sql, List<Object> params) {
    return pool.preparedQuery(numbered(sql)).execute(Tuple.from(params)).map(rows -> {
      List<List<Object>> list = new ArrayList<>(rows.size());
      for (Row row : rows) {
        List<Object> values = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
          values.add(row.getValue(i));
        }
        list.add(values);
      }
      return list;
    });
  }

  @Override
  Future<Integer> update(String sql, List<Object> params) {
    return pool.preparedQuery(numbered(sql)).execute(Tuple.from(params)).map(rows -> rows.rowCount());
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }
}
