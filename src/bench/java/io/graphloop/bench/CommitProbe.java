package io.graphloop.bench;

import io.graphloop.checkpoint.PostgresStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * The disk's commit rate as a store sees it: one writer committing one small row per transaction, one after
 * another, for about {@code durationMs}, with the store's durability settings (SQLite: WAL, {@code synchronous=FULL},
 * a database file of its own in the store's directory; PostgreSQL: one connection to the store's server, fsync and
 * {@code synchronous_commit} on). Group commit's bound is this rate times the saves per transaction.
 *
 * <p>Called from the child's main thread (it blocks it); the PostgreSQL loop runs on a Vert.x event loop.
 */
final class CommitProbe {

  private CommitProbe() {
  }

  /** Commits per second of one SQLite writer in {@code dir}. */
  static double sqlite(Path dir, long durationMs) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    try (Connection connection = config.createConnection("jdbc:sqlite:" + dir.resolve("commit-probe.db"))) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, payload TEXT)");
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO probe (payload) VALUES (?)")) {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(durationMs);
        long commits = 0;
        do {
          insert.setString(1, "commit " + commits);
          insert.executeUpdate();
          commits++;
        } while (System.nanoTime() < deadline);
        return commits / ((System.nanoTime() - started) / 1e9);
      }
    }
  }

  /** Commits per second of one connection to the PostgreSQL server {@code store} (a store's JSON) names. */
  static double postgres(Vertx vertx, JsonObject store, long durationMs) throws Exception {
    PostgresStoreOptions options = new PostgresStoreOptions(store);
    Pool pool = PgBuilder.pool().with(options.toPoolOptions().setMaxSize(1)).connectingTo(options.toConnectOptions())
        .using(vertx).build();
    try {
      return pool.getConnection().compose(connection -> connection
              .query("CREATE TABLE IF NOT EXISTS graphloop_commit_probe (id BIGSERIAL PRIMARY KEY, payload TEXT)")
              .execute()
              .compose(created -> {
                long started = System.nanoTime();
                Promise<Double> rate = Promise.promise();
                loop(connection, started, started + TimeUnit.MILLISECONDS.toNanos(durationMs), 0, rate);
                return rate.future();
              })
              .eventually(connection::close))
          .toCompletionStage().toCompletableFuture().get(durationMs + 60_000, TimeUnit.MILLISECONDS);
    } finally {
      pool.close();
    }
  }

  private static void loop(SqlConnection connection, long started, long deadline, long commits, Promise<Double> rate) {
    if (commits > 0 && System.nanoTime() >= deadline) {
      rate.complete(commits / ((System.nanoTime() - started) / 1e9));
      return;
    }
    Future<?> insert = connection.preparedQuery("INSERT INTO graphloop_commit_probe (payload) VALUES ($1)")
        .execute(Tuple.of("commit " + commits));
    insert.onSuccess(done -> loop(connection, started, deadline, commits + 1, rate)).onFailure(rate::fail);
  }
}
