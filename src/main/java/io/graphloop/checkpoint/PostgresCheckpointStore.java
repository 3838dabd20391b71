package io.graphloop.checkpoint;

import io.graphloop.errors.MissingDependencyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.time.Clock;
import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;

/**
 * The production store: PostgreSQL through the reactive Vert.x client, so several JVMs can share one store
 * and no thread ever waits for the database. The schema (three {@code graphloop_} tables) is created when the
 * store opens, under an advisory lock so JVMs starting together do not race. Saves are group-committed
 * ({@link PostgresBatchWriter}): many runs' saves in one transaction, each save completing once it is durable. The
 * writer has a pool of its own ({@link PostgresStoreOptions#getWriterConnections()} connections), so saves never wait
 * behind the reads queued for the store's main pool (thousands of runs starting at once). Values
 * are stored as JSON text ({@code text}, not {@code jsonb}, which would reorder object keys).
 *
 * <p>Threading: all I/O is non-blocking on the pool's event loops; methods may be called from any thread and
 * return at once. The JSON encoding of what is written, and the decoding of what is read, run on the calling
 * thread or the pool's event loop: cheap for ordinary states, proportional to the size of the values written
 * (only the changed channels) or read.
 */
public final class PostgresCheckpointStore extends AbstractCheckpointStore {

  /** The advisory lock taken while creating the schema (any fixed number; "graphloop" in ASCII). */
  private static final long SCHEMA_LOCK = 0x67726170686c6f6fL;

  private static final String LATEST = CheckpointSql.numbered(CheckpointSql.LATEST);
  private static final String GET = CheckpointSql.numbered(CheckpointSql.GET);
  private static final String LIST = CheckpointSql.numbered(CheckpointSql.LIST);
  private static final String LIST_BEFORE = CheckpointSql.numbered(CheckpointSql.LIST_BEFORE);
  private static final String CHILDREN = CheckpointSql.numbered(CheckpointSql.CHILDREN);
  private static final String WRITES = CheckpointSql.numbered(CheckpointSql.WRITES);
  private static final List<String> DELETE_THREAD = CheckpointSql.DELETE_THREAD.stream()
      .map(CheckpointSql::numbered).toList();
  private static final List<String> DELETE_CHECKPOINT = CheckpointSql.DELETE_CHECKPOINT.stream()
      .map(CheckpointSql::numbered).toList();
  private static final List<String> DELETE_KEEPING_BLOBS = CheckpointSql.DELETE_CHECKPOINT_KEEPING_BLOBS.stream()
      .map(CheckpointSql::numbered).toList();
  private static final String DELETE_BLOB = CheckpointSql.numbered(CheckpointSql.DELETE_BLOB);
  private static final String THREADS_OVER = CheckpointSql.numbered(CheckpointSql.THREADS_OVER);
  private static final String IDLE_THREADS = CheckpointSql.numbered(CheckpointSql.IDLE_THREADS);
  private static final String SET_TTL = CheckpointSql.numbered(CheckpointSql.SET_TTL);
  private static final String DELETE_TTL = CheckpointSql.numbered(CheckpointSql.DELETE_TTL);
  private static final String GET_TTL = CheckpointSql.numbered(CheckpointSql.GET_TTL);
  private static final String TTL_CANDIDATES = CheckpointSql.numbered(CheckpointSql.TTL_CANDIDATES);
  private static final String MOVE_TTL = CheckpointSql.numbered(CheckpointSql.MOVE_TTL);

  private final Pool pool;
  /** The group-commit writer's own connections. */
  private final Pool writerPool;
  private final String description;
  private final int poolSize;
  private final int maxWaitQueueSize;
  /** Group commit of puts and pending writes. */
  private final PostgresBatchWriter saves;
  /** Run starts' reads, grouped. */
  private final PostgresHeadReads heads;

  private PostgresCheckpointStore(Vertx vertx, Pool pool, Pool writerPool, String description,
      PostgresStoreOptions options) {
    this.pool = pool;
    this.writerPool = writerPool;
    this.description = description;
    this.poolSize = options.getPoolSize();
    this.maxWaitQueueSize = options.getMaxWaitQueueSize();
    this.saves = new PostgresBatchWriter(this, vertx, writerPool, options.getWriterConnections(),
        options.getMaxBatchSize(),
        options.getMaxBatchWaitMs(), options.getMaxQueuedSaves());
    this.heads = new PostgresHeadReads(vertx, pool, options.getMaxReadBatchSize(), options.getPoolSize(),
        options.getMaxWaitQueueSize());
  }

  /**
   * Connects and creates the schema if it is missing.
   *
   * @return the open store, or a failure naming the server when it cannot be reached or the schema not created
   */
  public static Future<PostgresCheckpointStore> open(Vertx vertx, PostgresStoreOptions options) {
    MissingDependencyException.require("io.vertx.pgclient.PgBuilder", MissingDependencyException.PG_CLIENT,
        "The PostgreSQL checkpoint store");
    PostgresStoreOptions copy = new PostgresStoreOptions(options);
    String description = "PostgreSQL checkpoint store " + copy;
    Pool pool = PgBuilder.pool().with(copy.toPoolOptions()).connectingTo(copy.toConnectOptions()).using(vertx)
        .build();
    Pool writerPool = PgBuilder.pool().with(copy.toWriterPoolOptions()).connectingTo(PostgresHeads.writerOptions(
            copy.toConnectOptions()))
        .using(vertx).build();
    return pool.withTransaction(PostgresCheckpointStore::createSchema)
        .map(v -> new PostgresCheckpointStore(vertx, pool, writerPool, description, copy))
        .recover(e -> Future.join(pool.close(), writerPool.close()).transform(closed -> Future.failedFuture(
            new CheckpointStoreException(description + ": open failed: " + e.getMessage(), null, e))));
  }

  private static Future<Void> createSchema(SqlConnection connection) {
    // for this transaction only: no "relation ... already exists, skipping" notices (logged as warnings by the
    // client) when the schema is there, as for every JVM but the first
    Future<?> done = connection.query("SET LOCAL client_min_messages = warning").execute()
        .compose(r -> connection.query("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")").execute());
    for (String ddl : CheckpointSql.schema("TEXT COLLATE \"C\"")) {
      done = done.compose(r -> connection.query(ddl).execute());
    }
    done = done.compose(r -> PostgresBlobs.addColumnIfMissing(connection));
    return done.compose(r -> PostgresHeads.createOrMigrate(connection));
  }

  /**
   * A cache of node writes kept in this store's database (the table {@code graphloop_node_cache}), shared by every
   * JVM that opens the same database. Each call returns a new view on the same table, bounded by its own
   * {@code options} when it stores; time comes from {@code clock} (the members' clocks should agree, as for any
   * expiry shared across machines).
   */
  @Override
  public NodeCache nodeCache(NodeCacheOptions options, Clock clock) {
    String where = description.replace("checkpoint store", "node cache");
    return new SqlNodeCache(where, (operation, sql) -> attempt(operation, null, () -> pool.withTransaction(
        connection -> {
          Future<RowSet<Row>> done = Future.succeededFuture();
          List<List<Object>> rows = new ArrayList<>();
          for (SqlNodeCache.Statement statement : sql) {
            Tuple params = Tuple.tuple();
            statement.params().forEach(params::addValue);
            done = done.compose(r -> connection.preparedQuery(CheckpointSql.numbered(statement.sql())).execute(params))
                .map(result -> {
                  if (statement.query()) {
                    rows.clear();
                    for (Row row : result) {
                      List<Object> values = new ArrayList<>(row.size());
                      for (int c = 0; c < row.size(); c++) {
                        values.add(row.getValue(c));
                      }
                      rows.add(values);
                    }
                  }
                  return result;
                });
          }
          return done.map(r -> rows);
        })), options, clock);
  }

  /** What group commit has done so far (transactions and the saves they held). */
  public GroupCommitStats groupCommitStats() {
    return saves.stats();
  }

  /** Batches the group commit decided again after the heads' compare-and-set missed (tests). */
  long headMisses() {
    return saves.headMisses();
  }

  /** Batches the group commit wrote again with upserts after their plain inserts met a stored key (tests). */
  long upsertRetries() {
    return saves.upsertRetries();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  Future<Void> doPut(CheckpointRecord checkpoint, List<BlobRecord> blobs, String expectedHead) {
    return saves.submit(PendingSave.put(checkpoint, blobs, expectedHead));
  }

  @Override
  Future<Void> doPutWrites(String threadId, String checkpointId, List<WriteRecord> writes) {
    return saves.submit(PendingSave.writes(threadId, checkpointId, writes));
  }

  @Override
  Future<CheckpointRecord> doLatest(String threadId) {
    return attempt("read of the latest checkpoint of thread '" + threadId + "'", threadId,
        () -> pool.preparedQuery(LATEST).execute(Tuple.of(threadId)).map(PostgresCheckpointStore::first));
  }

  /**
   * One statement ({@link PostgresLatestStored}), where the default read costs one per channel and two more, shared
   * by the reads that queue meanwhile ({@link PostgresHeadReads}).
   */
  @Override
  Future<StoredCheckpoint> doLatestStored(String threadId) {
    return attempt("read of the latest checkpoint of thread '" + threadId + "' with its channels and writes", threadId,
        () -> heads.read(threadId));
  }

  /** Statements that read latest checkpoints so far (tests). */
  long headReadStatements() {
    return heads.statements();
  }

  @Override
  Future<CheckpointRecord> doGet(String threadId, String checkpointId) {
    return attempt("read of checkpoint " + checkpointId + " of thread '" + threadId + "'", threadId,
        () -> pool.preparedQuery(GET).execute(Tuple.of(threadId, checkpointId)).map(PostgresCheckpointStore::first));
  }

  @Override
  Future<List<CheckpointRecord>> doList(String threadId, int limit, String before) {
    return attempt("list of the checkpoints of thread '" + threadId + "'", threadId, () -> (before == null
        ? pool.preparedQuery(LIST).execute(Tuple.of(threadId, (long) limit))
        : pool.preparedQuery(LIST_BEFORE).execute(Tuple.of(threadId, before, (long) limit)))
        .map(PostgresCheckpointStore::all));
  }

  @Override
  Future<List<CheckpointRecord>> doChildren(String threadId, String parentId) {
    return attempt("read of the children of checkpoint " + parentId + " of thread '" + threadId + "'", threadId,
        () -> pool.preparedQuery(CHILDREN).execute(Tuple.of(threadId, parentId, parentId))
            .map(PostgresCheckpointStore::all));
  }

  @Override
  Future<List<BlobRecord>> doChain(String threadId, String channel, String version) {
    return attempt("read of channel '" + channel + "' at version " + version + " of thread '" + threadId + "'",
        threadId, () -> pool.preparedQuery(PostgresBlobs.CHAIN).execute(Tuple.of(threadId, channel, version))
            .map(rows -> {
              List<BlobRecord> chain = new ArrayList<>(rows.size());
              for (Row row : rows) {
                chain.add(read(() -> CheckpointRows.blob(threadId, columns(row))));
              }
              return chain;
            }));
  }

  @Override
  Future<List<WriteRecord>> doWrites(String threadId, String checkpointId) {
    return attempt("read of the pending writes at checkpoint " + checkpointId + " of thread '" + threadId + "'",
        threadId, () -> pool.preparedQuery(WRITES).execute(Tuple.of(threadId, checkpointId)).map(rows -> {
          List<WriteRecord> writes = new ArrayList<>(rows.size());
          for (Row row : rows) {
            writes.add(read(() -> CheckpointRows.write(columns(row))));
          }
          return writes;
        }));
  }

  @Override
  Future<Void> doDeleteThread(String threadId) {
    return attempt("delete of thread '" + threadId + "'", threadId, () -> pool.withTransaction(connection -> {
      // the head's row first: a batch of this thread waits for this transaction, and one that committed before is
      // seen by the deletes after
      Future<?> done = connection.preparedQuery(PostgresHeads.DELETE).execute(Tuple.of(threadId));
      for (String sql : DELETE_THREAD) {
        done = done.compose(r -> connection.preparedQuery(sql).execute(Tuple.of(threadId)));
      }
      return done;
    }).mapEmpty());
  }

  @Override
  Future<Void> doDeleteCheckpoints(String threadId, List<String> checkpointIds) {
    return attempt("delete of checkpoints " + checkpointIds + " of thread '" + threadId + "'", threadId,
        () -> pool.withTransaction(connection -> {
          // the head's row locked first (a batch of this thread waits), moved to the newest checkpoint left after
          Future<?> done = connection.preparedQuery(PostgresHeads.LOCK).execute(Tuple.of(threadId));
          for (String id : checkpointIds) {
            for (String sql : DELETE_CHECKPOINT) {
              done = done.compose(r -> connection.preparedQuery(sql).execute(Tuple.of(threadId, id)));
            }
          }
          return done.compose(r -> connection.preparedQuery(PostgresHeads.SYNC).execute(Tuple.of(threadId)));
        }).mapEmpty());
  }

  @Override
  Future<Void> doPrune(String threadId, List<String> checkpointIds, List<CheckpointPruning.BlobKey> blobs) {
    return attempt("prune of " + checkpointIds.size() + " checkpoints of thread '" + threadId + "'", threadId,
        () -> pool.withTransaction(connection -> {
          // the blobs of each row that kept checkpoints still read move to the blobs table before the row goes
          Map<String, List<String>> doomed = new HashMap<>();
          blobs.forEach(blob -> doomed.computeIfAbsent(blob.version(), v -> new ArrayList<>()).add(blob.channel()));
          List<Tuple> checkpoints = new ArrayList<>(checkpointIds.size());
          List<Tuple> keeps = new ArrayList<>(checkpointIds.size());
          for (String id : checkpointIds) {
            checkpoints.add(Tuple.of(threadId, id));
            keeps.add(Tuple.of(threadId, id, doomed.getOrDefault(id, List.of()).toArray(new String[0])));
          }
          Future<?> done = connection.preparedQuery(PostgresBlobs.KEEP).executeBatch(keeps);
          for (String sql : DELETE_KEEPING_BLOBS) {
            done = done.compose(r -> connection.preparedQuery(sql).executeBatch(checkpoints));
          }
          if (!blobs.isEmpty()) {
            List<Tuple> keys = new java.util.ArrayList<>(blobs.size());
            blobs.forEach(blob -> keys.add(Tuple.of(threadId, blob.channel(), blob.version())));
            done = done.compose(r -> connection.preparedQuery(DELETE_BLOB).executeBatch(keys));
          }
          return done;
        }).mapEmpty());
  }

  @Override
  Future<List<String>> doThreadsWithMoreCheckpointsThan(int keepLatest, int limit) {
    return attempt("list of threads with more than " + keepLatest + " checkpoints", null,
        () -> pool.preparedQuery(THREADS_OVER).execute(Tuple.of(keepLatest, limit)).map(rows -> {
          List<String> threads = new java.util.ArrayList<>();
          rows.forEach(row -> threads.add(row.getString(0)));
          return threads;
        }));
  }

  @Override
  Future<Void> doSetTtl(String threadId, TtlRow row) {
    return attempt("setting of the TTL of thread '" + threadId + "'", threadId, () -> (row == null
        ? pool.preparedQuery(DELETE_TTL).execute(Tuple.of(threadId))
        : pool.preparedQuery(SET_TTL).execute(Tuple.of(threadId, row.strategy(), row.ttlMs(), row.expiresMs())))
        .mapEmpty());
  }

  @Override
  Future<TtlRow> doTtl(String threadId) {
    return attempt("read of the TTL of thread '" + threadId + "'", threadId,
        () -> pool.preparedQuery(GET_TTL).execute(Tuple.of(threadId)).map(rows -> rows.size() == 0 ? null
            : ttlRow(rows.iterator().next(), false)));
  }

  @Override
  Future<List<TtlRow>> doTtlCandidates(long nowMs, int limit) {
    return attempt("list of threads whose TTL is due", null,
        () -> pool.preparedQuery(TTL_CANDIDATES).execute(Tuple.of(nowMs, limit)).map(rows -> {
          List<TtlRow> due = new ArrayList<>(rows.size());
          rows.forEach(row -> due.add(ttlRow(row, true)));
          return due;
        }));
  }

  @Override
  Future<Void> doMoveTtlDeadlines(List<TtlRow> rows) {
    List<Tuple> moves = new ArrayList<>(rows.size());
    rows.forEach(row -> moves.add(Tuple.of(row.expiresMs(), row.threadId())));
    return attempt("update of " + rows.size() + " TTL deadlines", null,
        () -> pool.preparedQuery(MOVE_TTL).executeBatch(moves).mapEmpty());
  }

  private static TtlRow ttlRow(Row row, boolean withHead) {
    return new TtlRow(row.getString(0), row.getString(1), row.getLong(2), row.getLong(3),
        withHead ? row.getString(4) : null);
  }

  @Override
  Future<List<String>> doIdleThreads(String floorId, int limit) {
    return attempt("list of idle threads", null, () -> pool.preparedQuery(IDLE_THREADS)
        .execute(Tuple.of(floorId, limit))
        .map(rows -> {
          List<String> idle = new java.util.ArrayList<>();
          rows.forEach(row -> idle.add(row.getString(0)));
          return idle;
        }));
  }

  @Override
  Future<Long> doStoredBytes(String threadId) {
    return attempt("size of thread '" + threadId + "'", threadId,
        () -> pool.preparedQuery(PostgresBlobs.STORED_BYTES).execute(Tuple.of(threadId))
            .map(rows -> {
              Object bytes = rows.iterator().next().getValue(0);
              return bytes == null ? 0L : ((Number) bytes).longValue();
            }));
  }

  @Override
  Future<Void> doClose() {
    Future<Void> reads = pool.close();
    Future<Void> writes = writerPool.close();
    return Future.join(reads, writes).transform(closed -> reads.failed() ? reads : writes);
  }

  /** Runs {@code operation}, turning what it throws or fails with into a failure naming it. */
  private <T> Future<T> attempt(String operation, String threadId, Supplier<Future<T>> operationFuture) {
    Future<T> future;
    try {
      future = operationFuture.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(storeFailure(operation, threadId, e));
    }
    return future.recover(e -> Future.failedFuture(e instanceof CheckpointStoreException
        || e instanceof PoolBusyException ? e : storeFailure(operation, threadId, e)));
  }

  @Override
  Throwable storeFailure(String operation, String threadId, Throwable cause) {
    return cause instanceof ConnectionPoolTooBusyException ? new PoolBusyException(description, operation,
        threadId, poolSize, maxWaitQueueSize, cause) : failure(operation, threadId, cause);
  }

  private interface Reader<T> {
    T read() throws Exception;
  }

  private static <T> T read(Reader<T> reader) {
    try {
      return reader.read();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static CheckpointRecord first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : read(() -> CheckpointRows.checkpoint(columns(rows.iterator().next())));
  }

  private static List<CheckpointRecord> all(RowSet<Row> rows) {
    List<CheckpointRecord> records = new ArrayList<>(rows.size());
    for (Row row : rows) {
      records.add(read(() -> CheckpointRows.checkpoint(columns(row))));
    }
    return records;
  }

  private static CheckpointRows.Columns columns(Row row) {
    return new CheckpointRows.Columns() {
      @Override
      public String text(String column) {
        return row.getString(column);
      }

      @Override
      public int integer(String column) {
        return row.getInteger(column);
      }
    };
  }
}
