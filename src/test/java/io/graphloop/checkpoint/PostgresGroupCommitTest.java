package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.graphloop.checkpoint.Fixtures.bare;
import static io.graphloop.checkpoint.Fixtures.newThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit on a real PostgreSQL server ({@link PostgresTestServer}): saves given in one event-loop turn
 * queue behind the transactions the first of them start (their pool runs on that same event loop). Besides the
 * contract: the writer's connections are its own, so saves complete while the store's pool is saturated by reads.
 */
class PostgresGroupCommitTest extends GroupCommitContract {

  @RegisterExtension
  static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();

  @Override
  Future<? extends CheckpointStore> open(Vertx vertx, int maxBatchSize, int maxQueuedSaves) {
    return PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions().setMaxBatchSize(maxBatchSize)
        .setMaxQueuedSaves(maxQueuedSaves));
  }

  @Override
  GroupCommitStats stats(CheckpointStore store) {
    return ((PostgresCheckpointStore) store).groupCommitStats();
  }

  @Override
  Future<List<Future<Void>>> together(Vertx vertx, CheckpointStore store, Supplier<List<Future<Void>>> issue) {
    Promise<List<Future<Void>>> issued = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> issued.complete(issue.get()));
    return issued.future();
  }

  @Override
  Future<Void> refuseChannelPoison(Vertx vertx, CheckpointStore store) {
    PostgresStoreOptions options = POSTGRES.storeOptions();
    Pool pool = PgBuilder.pool().connectingTo(options.toConnectOptions()).using(vertx).build();
    return pool.withTransaction(connection -> connection.query("SET LOCAL client_min_messages = warning").execute()
        .compose(r -> connection.query("SELECT pg_advisory_xact_lock(4242)").execute())
        .compose(r -> connection.query("CREATE OR REPLACE FUNCTION graphloop_refuse_poison() RETURNS trigger AS $$ "
            + "BEGIN IF NEW.channel = 'poison' THEN RAISE EXCEPTION 'channel poison refused'; END IF; "
            + "RETURN NEW; END $$ LANGUAGE plpgsql").execute())
        .compose(r -> connection.query("DROP TRIGGER IF EXISTS graphloop_refuse_poison ON "
            + CheckpointSql.BLOBS).execute())
        .compose(r -> connection.query("CREATE TRIGGER graphloop_refuse_poison BEFORE INSERT ON "
            + CheckpointSql.BLOBS + " FOR EACH ROW EXECUTE FUNCTION graphloop_refuse_poison()").execute()))
        .<Void>mapEmpty().eventually(pool::close);
  }

  /**
   * Saves never wait for the store's read pool: with its one connection busy and its wait queue (2) full of reads,
   * so that every further read is refused at once ({@link PoolBusyException}), every save given in the same burst
   * still completes, in batches on the writer's own connection, and is readable afterwards; fencing still refuses
   * the stale put of that burst (THREAD_TAKEN_OVER) and writes nothing of it. Before the writer had a pool of its
   * own, its transactions queued in that same full queue and were refused.
   */
  @Test
  void savesCompleteWhileTheReadPoolIsSaturated(Vertx vertx, VertxTestContext ctx) {
    int burst = 200;
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      threads.add(newThread());
    }
    String fenced = newThread();
    PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions().setPoolSize(1).setMaxWaitQueueSize(2)
        .setWriterConnections(1)).compose(store -> store.put(bare(fenced, "0001", null, 0), List.of())
        .compose(first -> together(vertx, store, () -> {
          List<Future<Void>> all = new ArrayList<>();
          // reads first: they take the one connection and fill the wait queue; the rest of them are refused
          for (int i = 0; i < burst; i++) {
            all.add(store.latest(newThread()).mapEmpty());
          }
          for (String thread : threads) {
            all.add(store.put(bare(thread, "0001", null, 0), List.of()));
            all.add(store.putWrites(thread, "0001", List.of(new WriteRecord(thread, "0001", "task", "node", 0, "a",
                thread))));
          }
          // stale: the thread's head is 0001, this put expects none
          all.add(store.put(bare(fenced, "0002", null, 1), List.of()));
          return all;
        })).compose(all -> Future.join(all).transform(joined -> {
          ctx.verify(() -> {
            long refusedReads = all.subList(0, burst).stream().filter(Future::failed)
                .peek(read -> assertInstanceOf(PoolBusyException.class, read.cause())).count();
            assertTrue(refusedReads >= burst - 3, "the read pool was saturated: " + refusedReads + " refused");
            for (Future<Void> save : all.subList(burst, all.size() - 1)) {
              assertTrue(save.succeeded(), () -> "a save while the read pool was saturated: " + save.cause());
            }
            ThreadTakenOverException stale = assertInstanceOf(ThreadTakenOverException.class,
                all.get(all.size() - 1).cause());
            assertEquals(io.graphloop.errors.FailureCode.THREAD_TAKEN_OVER, stale.code());
          });
          GroupCommitStats stats = store.groupCommitStats();
          ctx.verify(() -> {
            assertEquals(2L * burst + 1, stats.saves(), "every accepted save committed once: " + stats);
            assertTrue(stats.transactions() < stats.saves(), "in batches: " + stats);
          });
          // read back through a store of default options (a wait queue for all these reads)
          return PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions()).compose(reader -> check(ctx, reader,
              threads, fenced).eventually(reader::close));
        })).eventually(store::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A batch's rows, of any number, go to the server as one statement (one array per column): a burst of 300 puts of
   * two blobs each and 300 tasks' writes of two channels each (2,100 rows) costs at most three statement executions
   * per transaction (the threads' locks, their heads, the write), where one execution per row cost 2,100 and more.
   */
  @Test
  void aBatchIsOneWriteStatementWhateverItsRows(Vertx vertx, VertxTestContext ctx) {
    int runs = 300;
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      threads.add(newThread());
    }
    open(vertx, 512).compose(store -> together(vertx, store, () -> {
      List<Future<Void>> saves = new ArrayList<>();
      for (String thread : threads) {
        saves.add(store.put(Fixtures.record(thread, "0001", null, 0, List.of("a", "b")), List.of(
            BlobRecord.full(thread, "a", "0001", "a of " + thread), BlobRecord.full(thread, "b", "0001", 1))));
        saves.add(store.putWrites(thread, "0001", List.of(new WriteRecord(thread, "0001", "task", "node", 0, "a", 1),
            new WriteRecord(thread, "0001", "task", "node", 1, "b", 2))));
      }
      return saves;
    }).compose(Future::all).map(all -> stats(store)).compose(stats -> store.latest(threads.get(runs - 1))
        .compose(latest -> store.writes(threads.get(runs - 1), "0001")).map(writes -> {
          ctx.verify(() -> {
            assertEquals(2L * runs, stats.saves(), "every save committed once: " + stats);
            assertTrue(stats.statements() <= 3 * stats.transactions(),
                "one write statement per transaction whatever its rows: " + stats);
            assertEquals(List.of(1, 2), writes.stream().map(WriteRecord::value).toList());
          });
          return null;
        })).eventually(store::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A batch of new checkpoints is written with plain inserts, not upserts: PostgreSQL's write-ahead log between the
   * batch's start and its end (read with pg_walinspect) holds a heap insert for each of its checkpoint and blob rows
   * and no speculative-insertion confirm record ({@code HEAP_CONFIRM}), the third record per row that an
   * {@code INSERT ... ON CONFLICT} writes (durable-steps benchmark: WAL records per save down by a third).
   */
  @Test
  void aBatchOfNewCheckpointsWritesNoSpeculativeInsertions(Vertx vertx, VertxTestContext ctx) {
    int runs = 50;
    Pool admin = PgBuilder.pool().connectingTo(POSTGRES.storeOptions().toConnectOptions()).using(vertx).build();
    String[] start = new String[1];
    open(vertx, 512).compose(store -> admin.query("CREATE EXTENSION IF NOT EXISTS pg_walinspect").execute()
        .compose(r -> admin.query("SELECT pg_current_wal_insert_lsn()::text").execute())
        .compose(lsn -> {
          start[0] = lsn.iterator().next().getString(0);
          return together(vertx, store, () -> {
            List<Future<Void>> saves = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
              String thread = newThread();
              saves.add(store.put(Fixtures.record(thread, "0001", null, 0, List.of("a", "b")), List.of(
                  BlobRecord.full(thread, "a", "0001", i), BlobRecord.full(thread, "b", "0001", "b" + i))));
            }
            return saves;
          });
        })
        .compose(Future::all)
        .compose(all -> admin.preparedQuery("SELECT w.record_type, count(*) FROM pg_get_wal_records_info($1::pg_lsn, "
            + "pg_current_wal_flush_lsn()) w, pg_database d, unnest($2::text[]) t(name) WHERE d.datname = "
            + "current_database() AND w.resource_manager = 'Heap' AND w.block_ref LIKE '%rel %/' || d.oid || '/' "
            + "|| pg_relation_filenode(t.name::regclass) || ' %' GROUP BY w.record_type")
            .execute(io.vertx.sqlclient.Tuple.tuple().addString(start[0]).addArrayOfString(new String[] {
                CheckpointSql.CHECKPOINTS, CheckpointSql.BLOBS})))
        .map(rows -> {
          java.util.Map<String, Long> records = new java.util.HashMap<>();
          rows.forEach(row -> records.put(row.getString(0), row.getLong(1)));
          long retries = ((PostgresCheckpointStore) store).upsertRetries();
          ctx.verify(() -> {
            assertTrue(records.getOrDefault("INSERT", 0L) + records.getOrDefault("INSERT+INIT", 0L) >= 3L * runs,
                "a heap insert per checkpoint and blob row: " + records);
            assertEquals(0L, records.getOrDefault("HEAP_CONFIRM", 0L), "no speculative insertion: " + records);
            assertEquals(0L, retries, "no batch written again with upserts");
          });
          return null;
        })
        .eventually(store::close))
        .eventually(admin::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A checkpoint put again (a retried put of the head) in a batch of new ones: the batch's plain inserts meet its
   * stored row (a unique violation), so the whole batch is written again with upserts in a new transaction, which
   * replaces that checkpoint and its blob and stores the rest of the batch once.
   */
  @Test
  void aCheckpointPutAgainMakesItsBatchUpsert(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      others.add(newThread());
    }
    open(vertx, 512).compose(store -> store.put(Fixtures.record(thread, "0001", null, 0, List.of("a")),
            List.of(BlobRecord.full(thread, "a", "0001", "old")))
        .compose(first -> together(vertx, store, () -> {
          List<Future<Void>> saves = new ArrayList<>();
          for (String other : others) {
            saves.add(store.put(bare(other, "0001", null, 0), List.of()));
          }
          saves.add(store.put(Fixtures.record(thread, "0001", null, 5, List.of("a")),
              List.of(BlobRecord.full(thread, "a", "0001", "new"))));
          return saves;
        }))
        .compose(Future::all)
        .compose(all -> store.latest(thread).compose(latest -> store.chain(thread, "a", "0001")
            .compose(chain -> store.latest(others.get(others.size() - 1)).map(other -> {
              GroupCommitStats stats = stats(store);
              long retries = ((PostgresCheckpointStore) store).upsertRetries();
              ctx.verify(() -> {
                assertEquals(5, latest.step(), "the put again replaced the row");
                assertEquals("new", chain.get(0).value(), "and its blob");
                assertEquals("0001", other.checkpointId(), "the rest of the batch is stored");
                assertEquals(others.size() + 2L, stats.saves(), "every save committed once: " + stats);
                assertTrue(retries >= 1, "written again with upserts: " + retries);
              });
              return null;
            }))))
        .eventually(store::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Everything saved is there, nothing of the stale put. */
  private static Future<?> check(VertxTestContext ctx, CheckpointStore store, List<String> threads, String fenced) {
    List<Future<?>> checks = new ArrayList<>();
    for (String thread : threads) {
      checks.add(store.latest(thread).compose(latest -> store.writes(thread, "0001").map(writes -> {
        ctx.verify(() -> {
          assertEquals("0001", latest.checkpointId());
          assertEquals(List.of(thread), writes.stream().map(WriteRecord::value).toList());
        });
        return null;
      })));
    }
    checks.add(store.latest(fenced).map(latest -> {
      ctx.verify(() -> assertEquals("0001", latest.checkpointId(), "the stale put wrote nothing"));
      return null;
    }));
    return Future.all(checks);
  }
}
