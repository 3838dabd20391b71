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
            // a put's blobs are in its checkpoint row (PostgresBlobs): refuse the row that holds a channel poison
            + "BEGIN IF NEW.blobs::json -> 'poison' IS NOT NULL THEN RAISE EXCEPTION 'channel poison refused'; "
            + "END IF; RETURN NEW; END $$ LANGUAGE plpgsql").execute())
        .compose(r -> connection.query("DROP TRIGGER IF EXISTS graphloop_refuse_poison ON "
            + CheckpointSql.CHECKPOINTS).execute())
        .compose(r -> connection.query("CREATE TRIGGER graphloop_refuse_poison BEFORE INSERT ON "
            + CheckpointSql.CHECKPOINTS + " FOR EACH ROW EXECUTE FUNCTION graphloop_refuse_poison()").execute()))
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
   * two blobs each and 300 tasks' writes of two channels each (2,100 rows) costs at most two statement executions
   * per transaction (the heads' compare-and-set, the write), where one execution per row cost 2,100 and more (and
   * before the heads table, three: the threads' advisory locks, a probe of their heads, the write).
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
            assertTrue(stats.statements() <= 2 * stats.transactions(),
                "one write statement per transaction whatever its rows: " + stats);
            assertEquals(List.of(1, 2), writes.stream().map(WriteRecord::value).toList());
          });
          return null;
        })).eventually(store::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A batch of new checkpoints is written with plain inserts, not upserts, one row per put: PostgreSQL's write-ahead
   * log between the batch's start and its end (read with pg_walinspect) holds a heap insert for each of its checkpoint
   * rows, none in the blobs table (a put's two blobs are in its row, {@link PostgresBlobs}; before, a row each) and no
   * speculative-insertion confirm record ({@code HEAP_CONFIRM}), the third record per row that an
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
        .compose(all -> admin.preparedQuery("SELECT t.name || ' ' || w.record_type, count(*) FROM pg_get_wal_records_info($1::pg_lsn, "
            + "pg_current_wal_flush_lsn()) w, pg_database d, unnest($2::text[]) t(name) WHERE d.datname = "
            + "current_database() AND w.resource_manager = 'Heap' AND w.block_ref LIKE '%rel %/' || d.oid || '/' "
            + "|| pg_relation_filenode(t.name::regclass) || ' %' GROUP BY 1")
            .execute(io.vertx.sqlclient.Tuple.tuple().addString(start[0]).addArrayOfString(new String[] {
                CheckpointSql.CHECKPOINTS, CheckpointSql.BLOBS})))
        .map(rows -> {
          java.util.Map<String, Long> records = new java.util.HashMap<>();
          rows.forEach(row -> records.put(row.getString(0), row.getLong(1)));
          long retries = ((PostgresCheckpointStore) store).upsertRetries();
          ctx.verify(() -> {
            String checkpoints = CheckpointSql.CHECKPOINTS + " ";
            assertEquals((long) runs, records.getOrDefault(checkpoints + "INSERT", 0L)
                + records.getOrDefault(checkpoints + "INSERT+INIT", 0L), "a heap insert per put: " + records);
            assertTrue(records.keySet().stream().noneMatch(key -> key.startsWith(CheckpointSql.BLOBS + " ")),
                "no row in the blobs table: " + records);
            assertTrue(records.keySet().stream().noneMatch(key -> key.endsWith("HEAP_CONFIRM")),
                "no speculative insertion: " + records);
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

  /**
   * A database made before the heads table existed is migrated when a store opens: the table is created and filled
   * with each thread's newest checkpoint, so a put that follows the head is stored at once (no batch decided again)
   * and a put whose parent is stale is refused with THREAD_TAKEN_OVER. Without the migration the first put would find
   * no head and be refused.
   */
  @Test
  void aDatabaseWithoutHeadsIsMigratedWhenAStoreOpens(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    Pool admin = PgBuilder.pool().connectingTo(POSTGRES.storeOptions().toConnectOptions()).using(vertx).build();
    open(vertx, 512).compose(old -> old.put(bare(thread, "0001", null, 0), List.of())
            .compose(v -> old.put(bare(thread, "0002", "0001", 1), List.of()))
            .eventually(old::close))
        .compose(v -> admin.query("DROP TABLE " + PostgresHeads.TABLE).execute())
        .compose(v -> open(vertx, 512))
        .compose(store -> admin.preparedQuery("SELECT head FROM " + PostgresHeads.TABLE + " WHERE thread_id = $1")
            .execute(io.vertx.sqlclient.Tuple.of(thread))
            .compose(migrated -> store.put(bare(thread, "0003", "0002", 2), List.of())
                .map(v -> ((PostgresCheckpointStore) store).headMisses())
                .compose(misses -> store.put(bare(thread, "0004", "0002", 2), List.of())
                    .transform(Future::succeededFuture).map(stale -> {
                  ctx.verify(() -> {
                    assertEquals("0002", migrated.iterator().next().getString(0), "the head, migrated");
                    assertEquals(0L, misses, "the migrated head was the one assumed");
                    assertInstanceOf(ThreadTakenOverException.class, stale.cause(), "0004's parent is stale");
                  });
                  return null;
                })))
            .eventually(store::close))
        .eventually(admin::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Deletes keep the heads true: after the thread's head checkpoint is deleted, a put following the checkpoint left
   * newest is stored and one following the deleted head is refused; after the thread is deleted, a put with no
   * parent starts it again and one following the old head is refused.
   */
  @Test
  void deletesMoveOrRemoveTheThreadsHead(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    open(vertx, 512).compose(store -> store.put(bare(thread, "0001", null, 0), List.of())
        .compose(v -> store.put(bare(thread, "0002", "0001", 1), List.of()))
        .compose(v -> store.deleteCheckpoints(thread, List.of("0002")))
        .compose(v -> store.put(bare(thread, "0003", "0002", 2), List.of()).transform(Future::succeededFuture))
        .compose(afterDeletedHead -> store.put(bare(thread, "0003", "0001", 1), List.of())
            .compose(v -> store.deleteThread(thread))
            .compose(v -> store.put(bare(thread, "0009", "0003", 3), List.of()).transform(Future::succeededFuture))
            .compose(afterDeletedThread -> store.put(bare(thread, "0010", null, 0), List.of())
                .compose(v -> store.latest(thread))
                .map(latest -> {
                  ctx.verify(() -> {
                    assertInstanceOf(ThreadTakenOverException.class, afterDeletedHead.cause(), "0002 is gone");
                    assertInstanceOf(ThreadTakenOverException.class, afterDeletedThread.cause(), "the thread is gone");
                    assertEquals("0010", latest.checkpointId());
                  });
                  return null;
                })))
        .eventually(store::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Two stores on one database (two JVMs' writers) with a thread's saves: the one whose parent went stale while the
   * other saved is refused with THREAD_TAKEN_OVER by the heads' compare-and-set (its batch decided again after the
   * miss), the other's history stays one line, and a batch of the stale store's other threads still commits.
   */
  @Test
  void aSecondWriterTakingAThreadOverFencesTheFirst(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    String other = newThread();
    open(vertx, 512).compose(first -> open(vertx, 512).compose(second -> first.put(bare(thread, "0001", null, 0),
            List.of())
        .compose(v -> second.put(bare(thread, "0002", "0001", 1), List.of()))
        .compose(v -> together(vertx, first, () -> List.of(first.put(bare(thread, "0003", "0001", 1), List.of()),
            first.put(bare(other, "0001", null, 0), List.of()))))
        .compose(saves -> Future.join(saves).transform(done -> first.list(thread, 10, null).map(history -> {
          long misses = ((PostgresCheckpointStore) first).headMisses();
          ctx.verify(() -> {
            ThreadTakenOverException refused = assertInstanceOf(ThreadTakenOverException.class,
                saves.get(0).cause());
            assertEquals("0002", refused.head(), refused.getMessage());
            assertTrue(saves.get(1).succeeded(), () -> "the rest of the batch: " + saves.get(1).cause());
            assertEquals(List.of("0002", "0001"), history.stream().map(CheckpointRecord::checkpointId).toList());
            assertTrue(misses >= 1, "decided again after the miss: " + misses);
          });
          return null;
        })))
        .eventually(second::close))
        .eventually(first::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * The heads' compare-and-set probes the primary key once per thread of the batch whatever the table's size: on the
   * writer's connections ({@link PostgresHeads#writerOptions}) the plan of a 300-thread batch against 10,000 heads has
   * no sequential scan of the heads table, even with the plan made while the table was small and kept as it grew (as
   * the pool's prepared statement is). With the planner's defaults that plan hashed the batch and scanned the table on
   * every batch (durable-steps benchmark: 472 scans reading 2.4 M rows).
   */
  @Test
  void theHeadsCompareAndSetProbesThePrimaryKeyWhateverTheTablesSize(Vertx vertx, VertxTestContext ctx) {
    Pool writer = PgBuilder.pool().connectingTo(PostgresHeads.writerOptions(POSTGRES.storeOptions()
        .toConnectOptions())).using(vertx).build();
    int batch = 300;
    String[] threads = new String[batch];
    String[] heads = new String[batch];
    for (int i = 0; i < batch; i++) {
      threads[i] = "t" + i;
      heads[i] = "0002";
    }
    String explain = "EXPLAIN EXECUTE cas('{" + String.join(",", threads) + "}', '{" + String.join(",", heads)
        + "}', '{" + String.join(",", heads) + "}')";
    // planned while the table is small, as the pool's prepared statement is during a service's first batches; kept
    // (a generic plan is not made again) while the table grows
    open(vertx, 512).compose(store -> store.close())
        .compose(v -> writer.withConnection(connection -> connection.query("PREPARE cas(text[], text[], text[]) AS "
                + PostgresHeads.CAS).execute()
            .compose(r -> connection.query("SET plan_cache_mode = force_generic_plan").execute())
            .compose(r -> connection.query(explain).execute())
            .compose(r -> connection.query("INSERT INTO " + PostgresHeads.TABLE + " SELECT 'filler-' || g, '0001' "
                + "FROM generate_series(1, 10000) g ON CONFLICT DO NOTHING").execute())
            .compose(r -> connection.query(explain).execute())))
        .map(plan -> {
          StringBuilder text = new StringBuilder();
          plan.forEach(row -> text.append(row.getString(0)).append('\n'));
          ctx.verify(() -> assertTrue(!text.toString().contains("Seq Scan on " + PostgresHeads.TABLE),
              "no scan of the heads table:\n" + text));
          return null;
        })
        .eventually(writer::close)
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
