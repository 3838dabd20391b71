package io.graphloop.checkpoint;

import io.graphloop.errors.MissingDependencyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.time.Clock;
import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;

/**
 * The embedded, durable default store: one SQLite file ({@code dataDir/fileName}) in WAL mode, through JDBC.
 * The schema is created when the store opens. Saves (puts and pending writes) are group-committed: the saves
 * queued while the worker is busy are committed together, in one transaction of at most
 * {@link SqliteStoreOptions#getMaxBatchSize()} saves ({@link SqliteBatchWriter}: the heads of the batch's threads read
 * once, or known from the writer's own saves: {@link SqliteHeads}; one batch statement per table, one commit), one
 * worker task per batch and one completion task per caller's event loop ({@link SqliteGroupCommit}). A put is one row:
 * the checkpoint with the blobs it introduced in one {@link SqliteRecord} ({@link SqliteLayout}); a file of the earlier
 * layout (a row per blob) is migrated when the store opens.
 *
 * <p>Threading: every JDBC call runs on one dedicated worker thread (a shared worker executor of size 1 named
 * after the file, used with {@code executeBlocking}), never on an event loop and never concurrently, so the
 * store's single connection needs no lock and operations run in the order they were called. The JSON encoding of
 * what is saved runs on the calling thread (so the one worker only binds rows); decoding of what is read runs on the
 * worker, except a run start's ({@link #latestStored}: its JSON is parsed on the caller's context, after the worker
 * read the rows). The store's methods may be called from any thread; they return
 * at once. A slow disk delays this store's operations only, not the event loops.
 *
 * <p>Several processes may open the same file (SQLite locks it; a write waits up to {@code busyTimeoutMs});
 * for several JVMs sharing one store, PostgreSQL is the better fit ({@link PostgresCheckpointStore}).
 */
public final class SqliteCheckpointStore extends AbstractCheckpointStore {

  private final WorkerExecutor worker;
  private final Connection connection;
  private final Path file;
  /** This JVM's hold on the file: no other process may open it meanwhile. */
  private final SqliteFileLock fileLock;
  /** Saves: queued, committed in batches on the worker, delivered per event loop. */
  private final SqliteGroupCommit groupCommit;
  /** Commits the batches; knows the heads it wrote (forgotten here when a delete or prune changes a thread). */
  private final SqliteBatchWriter batchWriter;
  /** The connection's prepared statements and transactions; used on the worker thread only. */
  private final SqliteStatements jdbc;
  /** Reads of the one-row-per-save layout; on the worker thread only. */
  private final SqliteReads reads;

  private SqliteCheckpointStore(Vertx vertx, WorkerExecutor worker, Opened opened, Path file,
                                SqliteStoreOptions options) {
    this.worker = worker;
    this.connection = opened.connection();
    this.jdbc = new SqliteStatements(connection);
    this.reads = new SqliteReads(jdbc::statement);
    this.batchWriter = new SqliteBatchWriter(this, connection, jdbc::statement, options.getMaxKnownHeads());
    this.groupCommit = new SqliteGroupCommit(this, vertx, worker, new SaveQueue(options.getMaxBatchSize(),
        options.getMaxBatchWaitMs(), options.getMaxQueuedSaves()), batchWriter);
    this.fileLock = opened.lock();
    this.file = file;
  }

  /** An open connection and the file's lock, taken before it. */
  private record Opened(Connection connection, SqliteFileLock lock) {
  }

  private static Opened lockAndConnect(Path file, SqliteStoreOptions options) throws Exception {
    Files.createDirectories(file.getParent());
    SqliteFileLock lock = SqliteFileLock.acquire(file);
    try {
      return new Opened(connect(file, options), lock);
    } catch (Exception | Error e) {
      lock.release();
      throw e;
    }
  }

  /**
   * Opens (creating if needed) the database file and its schema, after locking it for this JVM
   * ({@link SqliteFileLock}: a second process on the same file is refused, naming the process that has it).
   *
   * @return the open store, or a failure naming the file when it cannot be opened (or another process has it)
   */
  public static Future<SqliteCheckpointStore> open(Vertx vertx, SqliteStoreOptions options) {
    MissingDependencyException.require("org.sqlite.SQLiteConfig", MissingDependencyException.SQLITE,
        "The SQLite checkpoint store");
    SqliteStoreOptions copy = new SqliteStoreOptions(options);
    Path file = copy.path();
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("graphloop-sqlite-" + file, 1, 60, TimeUnit.SECONDS);
    return worker.executeBlocking(() -> lockAndConnect(file, copy), true)
        .map(opened -> new SqliteCheckpointStore(vertx, worker, opened, file, copy))
        .recover(e -> worker.close().transform(closed -> Future.failedFuture(new CheckpointStoreException(
            "SQLite checkpoint store " + file + ": open failed: " + e.getMessage(), null, e))));
  }

  private static Connection connect(Path file, SqliteStoreOptions options) throws Exception {
    Connection connection = io.graphloop.internal.sqlite.SqliteFiles.connect(file, options.getSynchronous(),
        options.getBusyTimeoutMs(), SqliteLayout.schema());
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA wal_autocheckpoint = " + options.getWalAutocheckpointPages());
      statement.execute("PRAGMA cache_size = -" + options.getCacheSizeKiB());
      SqliteLayout.migrate(connection);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /** For tests: the connection's {@code PRAGMA name} value. */
  Future<Long> pragma(String name) {
    return run("PRAGMA " + name, null, () -> {
      try (Statement statement = connection.createStatement();
           ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
        return rs.next() ? rs.getLong(1) : null;
      }
    });
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * The size on disk of the database file plus its write-ahead log, after moving the log into the file (a WAL
   * checkpoint). This counts every thread, indexes and free pages: the honest disk cost, page-granular.
   */
  public Future<Long> fileBytes() {
    return run("file size", null, () -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      Path wal = file.resolveSibling(file.getFileName() + "-wal");
      return Files.size(file) + (Files.exists(wal) ? Files.size(wal) : 0);
    });
  }

  /**
   * A cache of node writes kept in this store's file (the table {@code graphloop_node_cache}), shared by every
   * graph and runtime that uses this store. Each call returns a new view on the same table, bounded by its own
   * {@code options} when it stores; time comes from {@code clock}.
   */
  @Override
  public NodeCache nodeCache(NodeCacheOptions options, Clock clock) {
    return new SqlNodeCache("SQLite node cache " + file, (operation, sql) -> run(operation, null, false, () -> {
      List<List<Object>> rows = new ArrayList<>();
      jdbc.inTransaction(() -> {
        for (SqlNodeCache.Statement statement : sql) {
          PreparedStatement prepared = jdbc.statement(statement.sql(), statement.params().toArray());
          if (!statement.query()) {
            prepared.executeUpdate();
            continue;
          }
          rows.clear();
          try (ResultSet rs = prepared.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              List<Object> row = new ArrayList<>(columns);
              for (int c = 1; c <= columns; c++) {
                row.add(rs.getObject(c));
              }
              rows.add(row);
            }
          }
        }
      });
      return rows;
    }), options, clock);
  }

  /** The name of the thread the store's JDBC calls run on (for tests: it is a worker, never an event loop). */
  Future<String> jdbcThreadName() {
    return run("thread name", null, () -> Thread.currentThread().getName());
  }

  /** What group commit has done so far (transactions and the saves they held). */
  public GroupCommitStats groupCommitStats() {
    return groupCommit.stats();
  }

  /** Tasks given to the worker for reads and other operations (not saves), for tests. */
  private final java.util.concurrent.atomic.LongAdder tasks = new java.util.concurrent.atomic.LongAdder();

  /** For tests: how many tasks other than saves were given to the worker so far. */
  long workerTasks() {
    return tasks.sum();
  }

  /** For tests: how many statements of the group commit read heads from the database so far. */
  long headReads() {
    return batchWriter.headReads();
  }

  /** For tests: how many thread heads the writer knows (fencing without reading them). */
  Future<Integer> knownHeads() {
    return worker.executeBlocking(batchWriter::knownHeads, true);
  }

  /** For tests: the group commit (its task counts). */
  SqliteGroupCommit groupCommit() {
    return groupCommit;
  }

  /**
   * For tests: occupies the store's worker until {@code release} opens, so that saves given meanwhile queue
   * up and are committed as one batch, deterministically.
   */
  Future<Void> holdWorker(java.util.concurrent.CountDownLatch release) {
    return worker.executeBlocking(() -> { // not run(): it would commit the saves queued when it starts
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the worker was held for 60 s");
      }
      return null;
    }, true);
  }

  @Override
  public String describe() {
    return "SQLite checkpoint store " + file;
  }

  @Override
  Future<Void> doPut(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead) {
    return groupCommit.save(PendingSave.put(checkpoint, blobs, expectedHead));
  }

  @Override
  Future<Void> doPutWrites(String threadId, String checkpointId, List<WriteRecord> writes) {
    return groupCommit.save(PendingSave.writes(threadId, checkpointId, writes));
  }

  @Override
  Future<CheckpointRecord> doLatest(String threadId) {
    return run("read of the latest checkpoint of thread '" + threadId + "'", threadId, () -> {
      List<CheckpointRecord> found = reads.checkpoints(SqliteLayout.LATEST, threadId);
      return found.isEmpty() ? null : found.get(0);
    });
  }

  @Override
  Future<CheckpointRecord> doGet(String threadId, String checkpointId) {
    return run("read of checkpoint " + checkpointId + " of thread '" + threadId + "'", threadId, () -> {
      List<CheckpointRecord> found = reads.checkpoints(SqliteLayout.GET, threadId, checkpointId);
      return found.isEmpty() ? null : found.get(0);
    });
  }

  @Override
  Future<List<CheckpointRecord>> doList(String threadId, int limit, String before) {
    return run("list of the checkpoints of thread '" + threadId + "'", threadId, () -> before == null
        ? reads.checkpoints(SqliteLayout.LIST, threadId, limit)
        : reads.checkpoints(SqliteLayout.LIST_BEFORE, threadId, before, limit));
  }

  @Override
  Future<List<CheckpointRecord>> doChildren(String threadId, String parentId) {
    return run("read of the children of checkpoint " + parentId + " of thread '" + threadId + "'", threadId,
        () -> reads.checkpoints(SqliteLayout.CHILDREN, threadId, parentId, parentId));
  }

  @Override
  Future<List<BlobRecord>> doChain(String threadId, String channel, String version) {
    return run("read of channel '" + channel + "' at version " + version + " of thread '" + threadId + "'",
        threadId, () -> reads.chain(threadId, channel, version, new HashMap<>()));
  }

  @Override
  Future<List<WriteRecord>> doWrites(String threadId, String checkpointId) {
    return run("read of the pending writes at checkpoint " + checkpointId + " of thread '" + threadId + "'",
        threadId, () -> writesOf(threadId, checkpointId));
  }

  /** The newest checkpoint, its channels' chains and its writes, in one task of the worker (one consistent view). */
  @Override
  Future<StoredCheckpoint> doLatestStored(String threadId) {
    String operation = "read of the latest checkpoint of thread '" + threadId + "' with its channels and writes";
    // the worker reads the rows; their JSON is parsed here, on the caller's context (the worker is every save's too)
    return run(operation, threadId, () -> reads.latestStored(threadId, this::writesOf)).compose(start -> {
      try {
        return Future.succeededFuture(start == null ? null : start.decode());
      } catch (Exception e) {
        return Future.failedFuture(failure(operation, threadId, e));
      }
    });
  }

  private List<WriteRecord> writesOf(String threadId, String checkpointId) throws Exception {
    List<WriteRecord> writes = new ArrayList<>();
    try (ResultSet rs = jdbc.query(CheckpointSql.WRITES, threadId, checkpointId)) {
      CheckpointRows.Columns columns = columns(rs);
      while (rs.next()) {
        writes.add(CheckpointRows.write(columns));
      }
    }
    return writes;
  }

  @Override
  Future<Void> doDeleteThread(String threadId) {
    return run("delete of thread '" + threadId + "'", threadId, () -> {
      batchWriter.forgetHead(threadId);
      jdbc.inTransaction(() -> {
        for (String sql : CheckpointSql.DELETE_THREAD) {
          jdbc.execute(sql, threadId);
        }
      });
      return null;
    });
  }

  @Override
  Future<Void> doDeleteCheckpoints(String threadId, List<String> checkpointIds) {
    return run("delete of checkpoints " + checkpointIds + " of thread '" + threadId + "'", threadId, () -> {
      batchWriter.forgetHead(threadId);
      jdbc.inTransaction(() -> {
        for (String id : checkpointIds) {
          for (String sql : CheckpointSql.DELETE_CHECKPOINT) {
            jdbc.execute(sql, threadId, id);
          }
        }
      });
      return null;
    });
  }

  @Override
  Future<List<String>> doIdleThreads(String floorId, int limit) {
    return run("list of idle threads", null, () -> {
      List<String> idle = new java.util.ArrayList<>();
      try (ResultSet rs = jdbc.query(CheckpointSql.IDLE_THREADS, floorId, limit)) {
        while (rs.next()) {
          idle.add(rs.getString(1));
        }
      }
      return idle;
    });
  }

  @Override
  Future<Void> doSetTtl(String threadId, TtlRow row) {
    return run("setting of the TTL of thread '" + threadId + "'", threadId, () -> {
      if (row == null) {
        jdbc.execute(CheckpointSql.DELETE_TTL, threadId);
      } else {
        jdbc.execute(CheckpointSql.SET_TTL, threadId, row.strategy(), row.ttlMs(), row.expiresMs());
      }
      return null;
    });
  }

  @Override
  Future<TtlRow> doTtl(String threadId) {
    return run("read of the TTL of thread '" + threadId + "'", threadId, () -> {
      List<TtlRow> rows = ttlRows(CheckpointSql.GET_TTL, false, threadId);
      return rows.isEmpty() ? null : rows.get(0);
    });
  }

  @Override
  Future<List<TtlRow>> doTtlCandidates(long nowMs, int limit) {
    return run("list of threads whose TTL is due", null,
        () -> ttlRows(CheckpointSql.TTL_CANDIDATES, true, nowMs, limit));
  }

  @Override
  Future<Void> doMoveTtlDeadlines(List<TtlRow> rows) {
    return run("update of " + rows.size() + " TTL deadlines", null, () -> {
      jdbc.inTransaction(() -> {
        for (TtlRow row : rows) {
          jdbc.execute(CheckpointSql.MOVE_TTL, row.expiresMs(), row.threadId());
        }
      });
      return null;
    });
  }

  private List<TtlRow> ttlRows(String sql, boolean withHead, Object... params) throws SQLException {
    List<TtlRow> rows = new ArrayList<>();
    try (ResultSet rs = jdbc.query(sql, params)) {
      while (rs.next()) {
        rows.add(new TtlRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
            withHead ? rs.getString(5) : null));
      }
    }
    return rows;
  }

  @Override
  Future<Long> doStoredBytes(String threadId) {
    return run("size of thread '" + threadId + "'", threadId, () -> reads.storedBytes(threadId));
  }

  @Override
  Future<Void> doClose() {
    Future<Void> closed = worker.executeBlocking(() -> {
      groupCommit.commitQueued(null);
      jdbc.close();
      try {
        connection.close();
      } finally {
        fileLock.release();
      }
      return null;
    }, true);
    return closed.transform(done -> worker.close().transform(ignored -> done.succeeded() ? Future.<Void>succeededFuture()
        : Future.<Void>failedFuture(failure("close", null, done.cause()))));
  }

  /** One unit of JDBC work, run on the worker thread. */
  private interface Work<T> {
    T run() throws Exception;
  }

  @Override
  Future<Void> doPrune(String threadId, List<String> checkpointIds, List<CheckpointPruning.BlobKey> blobs) {
    return run("prune of " + checkpointIds.size() + " checkpoints of thread '" + threadId + "'", threadId, () -> {
      batchWriter.forgetHead(threadId);
      java.util.Set<CheckpointPruning.BlobKey> doomed = new java.util.HashSet<>(blobs);
      jdbc.inTransaction(() -> {
        for (String id : checkpointIds) {
          reads.keepBlobs(threadId, id, doomed); // the blobs of its record that kept checkpoints still read
          for (String sql : CheckpointSql.DELETE_CHECKPOINT_KEEPING_BLOBS) {
            jdbc.execute(sql, threadId, id);
          }
        }
        for (CheckpointPruning.BlobKey blob : blobs) {
          jdbc.execute(CheckpointSql.DELETE_BLOB, threadId, blob.channel(), blob.version());
        }
      });
      return null;
    });
  }

  @Override
  Future<List<String>> doThreadsWithMoreCheckpointsThan(int keepLatest, int limit) {
    return run("list of threads with more than " + keepLatest + " checkpoints", null, () -> {
      List<String> threads = new ArrayList<>();
      try (ResultSet rs = jdbc.query(CheckpointSql.THREADS_OVER, keepLatest, limit)) {
        while (rs.next()) {
          threads.add(rs.getString(1));
        }
      }
      return threads;
    });
  }

  /** Runs {@code work} on the worker, after committing the saves of {@code threadId} (null: any) queued before it. */
  private <T> Future<T> run(String operation, String threadId, Work<T> work) {
    return run(operation, threadId, true, work);
  }

  /** @param afterSaves whether the work must see the queued saves (false: the node cache, which reads none) */
  private <T> Future<T> run(String operation, String threadId, boolean afterSaves, Work<T> work) {
    tasks.increment();
    return worker.executeBlocking(() -> {
      if (afterSaves) {
        groupCommit.commitQueued(threadId);
      }
      try {
        return work.run();
      } catch (Exception e) {
        throw failure(operation, threadId, e);
      }
    }, true);
  }

  private static CheckpointRows.Columns columns(ResultSet rs) {
    return new CheckpointRows.Columns() {
      @Override
      public String text(String column) throws SQLException {
        return rs.getString(column);
      }

      @Override
      public int integer(String column) throws SQLException {
        return rs.getInt(column);
      }
    };
  }
}
