package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.graphloop.checkpoint.Fixtures.newThread;
import static io.graphloop.checkpoint.Fixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PostgreSQL database made before a put's blobs went into its checkpoint row ({@link PostgresBlobs}): its rows keep
 * their blobs in the blobs table, a store opening on it adds the column (nothing rewritten), and every read gives what
 * the memory store gives for the same saves, across rows of both layouts: a chain whose newest delta is in a row and
 * whose full value is in the table, pruning that deletes a row of each layout while later checkpoints read their
 * blobs, and {@code storedBytes}. On a throwaway server, in a database of its own (made with the earlier schema by
 * hand, its rows written with the earlier statements, as an earlier Graphloop wrote them).
 */
@ExtendWith(VertxExtension.class)
class PostgresBlobsTest {

  @RegisterExtension
  static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();

  private static final String EARLIER = "graphloop_earlier";

  @Test
  void aDatabaseOfTheEarlierLayoutGainsTheColumnAndReadsAcrossBothLayouts(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    PostgresStoreOptions options = POSTGRES.storeOptions().setDatabase(EARLIER);
    Pool admin = PgBuilder.pool().connectingTo(POSTGRES.storeOptions().toConnectOptions()).using(vertx).build();
    Pool earlier = PgBuilder.pool().connectingTo(options.toConnectOptions()).using(vertx).build();
    MemoryCheckpointStore memory = new MemoryCheckpointStore();
    // the earlier Graphloop's saves of checkpoint 0001: m = "a", n = 1, one pending write
    CheckpointRecord first = record(thread, "0001", null, 0, List.of("m", "n"));
    List<BlobRecord> firstBlobs = List.of(BlobRecord.full(thread, "m", "0001", List.of("a")),
        BlobRecord.full(thread, "n", "0001", 1));
    WriteRecord write = new WriteRecord(thread, "0001", "task", "node", 0, "m", "w");
    // this version's saves on top: deltas of m in rows (0002, 0003), n still read at 0001
    CheckpointRecord second = record(thread, "0002", "0001", 1, Map.of("m", "0002", "n", "0001"), Map.of("m", 1));
    BlobRecord b = BlobRecord.append(thread, "m", "0002", "0001", List.of("b"));
    CheckpointRecord third = record(thread, "0003", "0002", 2, Map.of("m", "0003", "n", "0001"), Map.of("m", 2));
    BlobRecord c = BlobRecord.append(thread, "m", "0003", "0002", List.of("c"));
    admin.query("CREATE DATABASE " + EARLIER).execute()
        .compose(r -> earlierSchemaAndRows(earlier, first, firstBlobs, write))
        .compose(r -> memory.put(first, firstBlobs).compose(v -> memory.putWrites(thread, "0001", List.of(write))))
        .compose(r -> PostgresCheckpointStore.open(vertx, options))
        .compose(store -> earlier.query(PostgresBlobs.MISSING).execute().map(rows -> rows.iterator().next()
                .getBoolean(0))
            .compose(missing -> {
              ctx.verify(() -> assertFalse(missing, "the column was added when the store opened"));
              return same(ctx, store, memory, thread, "m", "0001", "the earlier layout's rows read from the table");
            })
            .compose(v -> Future.all(store.put(second, List.of(b)), memory.put(second, List.of(b))))
            .compose(v -> same(ctx, store, memory, thread, "m", "0002", "a delta in a row on a full value in the table"))
            .compose(v -> Future.all(store.put(third, List.of(c)), memory.put(third, List.of(c))))
            .compose(v -> Future.all(store.pruneCheckpoints(thread, 1), memory.pruneCheckpoints(thread, 1)))
            .compose(pruned -> {
              ctx.verify(() -> assertEquals(List.of(2, 2), List.of(pruned.resultAt(0), pruned.resultAt(1)),
                  "0001 (earlier layout) and 0002 (a row with its blob) deleted"));
              return same(ctx, store, memory, thread, "m", "0003", "after pruning rows of both layouts");
            })
            .compose(v -> PostgresCheckpointStore.open(vertx, options).compose(CheckpointStore::close))
            .eventually(store::close))
        .eventually(earlier::close)
        .eventually(admin::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A value too large for the row ({@link PostgresBlobs#INLINE_CHARS}) is a row of the blobs table, the small ones of
   * the same put stay in the checkpoint's row; reads give what the memory store gives, and a delta on the large value
   * (small, so in its row) reads through both.
   */
  @Test
  void aLargeValueIsABlobRowAndTheSmallOnesStayInTheRow(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    MemoryCheckpointStore memory = new MemoryCheckpointStore();
    List<String> large = List.of("x".repeat(PostgresBlobs.INLINE_CHARS));
    CheckpointRecord first = record(thread, "0001", null, 0, List.of("m", "n"));
    List<BlobRecord> firstBlobs = List.of(BlobRecord.full(thread, "m", "0001", large),
        BlobRecord.full(thread, "n", "0001", 1));
    CheckpointRecord second = record(thread, "0002", "0001", 1, Map.of("m", "0002", "n", "0002"), Map.of("m", 1));
    List<BlobRecord> secondBlobs = List.of(BlobRecord.append(thread, "m", "0002", "0001", List.of("y")),
        BlobRecord.full(thread, "n", "0002", 2));
    Pool pool = PgBuilder.pool().connectingTo(POSTGRES.storeOptions().toConnectOptions()).using(vertx).build();
    PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions())
        .compose(store -> Future.all(store.put(first, firstBlobs), memory.put(first, firstBlobs))
            .compose(v -> pool.preparedQuery("SELECT channel FROM " + CheckpointSql.BLOBS + " WHERE thread_id = $1")
                .execute(Tuple.of(thread)))
            .compose(rows -> pool.preparedQuery("SELECT " + PostgresBlobs.COLUMN + " FROM " + CheckpointSql.CHECKPOINTS
                    + " WHERE thread_id = $1").execute(Tuple.of(thread))
                .map(row -> {
                  ctx.verify(() -> {
                    assertEquals(1, rows.size(), "one blob row apart");
                    assertEquals("m", rows.iterator().next().getString(0), "the large value");
                    assertEquals("{\"n\":[\"FULL\",null,\"1\"]}", row.iterator().next().getString(0),
                        "the small one in the row");
                  });
                  return null;
                }))
            .compose(v -> same(ctx, store, memory, thread, "m", "0001", "a large value apart, a small one in the row"))
            .compose(v -> Future.all(store.put(second, secondBlobs), memory.put(second, secondBlobs)))
            .compose(v -> same(ctx, store, memory, thread, "m", "0002", "a delta in a row on a value apart"))
            .eventually(store::close))
        .eventually(pool::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The earlier schema (the shared tables and the heads, no blobs column) and rows as the earlier statements wrote. */
  private static Future<?> earlierSchemaAndRows(Pool earlier, CheckpointRecord checkpoint, List<BlobRecord> blobs,
      WriteRecord write) {
    Future<?> done = Future.succeededFuture();
    for (String ddl : CheckpointSql.schema("TEXT COLLATE \"C\"")) {
      done = done.compose(r -> earlier.query(ddl).execute());
    }
    return done.compose(r -> earlier.query(PostgresHeads.CREATE).execute())
        .compose(r -> earlier.preparedQuery(CheckpointSql.numbered(CheckpointSql.UPSERT_CHECKPOINT))
            .execute(Tuple.wrap(CheckpointRows.checkpoint(checkpoint))))
        .compose(r -> earlier.preparedQuery(CheckpointSql.numbered(CheckpointSql.UPSERT_BLOB))
            .executeBatch(blobs.stream().map(blob -> Tuple.wrap(CheckpointRows.blob(blob))).toList()))
        .compose(r -> earlier.preparedQuery(CheckpointSql.numbered(CheckpointSql.INSERT_WRITE))
            .execute(Tuple.wrap(CheckpointRows.write(write))))
        .compose(r -> earlier.preparedQuery("INSERT INTO " + PostgresHeads.TABLE + " VALUES ($1, $2)")
            .execute(Tuple.of(checkpoint.threadId(), checkpoint.checkpointId())));
  }

  /** The store reads as the memory store: latestStored, the chain of {@code channel} at {@code version}, storedBytes. */
  private static Future<Void> same(VertxTestContext ctx, CheckpointStore store, CheckpointStore memory, String thread,
      String channel, String version, String what) {
    return Future.all(List.of(store.latestStored(thread), memory.latestStored(thread),
            store.chain(thread, channel, version), memory.chain(thread, channel, version),
            store.storedBytes(thread), memory.storedBytes(thread)))
        .map(all -> {
          ctx.verify(() -> {
            StoredCheckpoint stored = all.resultAt(0);
            StoredCheckpoint expected = all.resultAt(1);
            assertEquals(expected.record(), stored.record(), what);
            assertEquals(expected.chains(), stored.chains(), what);
            assertEquals(expected.writes(), stored.writes(), what);
            List<BlobRecord> chain = all.resultAt(2);
            assertEquals(all.<List<BlobRecord>>resultAt(3), chain, what);
            assertTrue(!chain.isEmpty(), what);
            assertEquals(all.<Long>resultAt(5), all.<Long>resultAt(4), "storedBytes, " + what);
          });
          return null;
        });
  }
}
