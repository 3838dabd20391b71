package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit on a SQLite file: saves given while the store's worker is held queue up into one batch. Besides the
 * contract: the writer's work per save inside a batch is one statement execution per row it writes.
 */
class SqliteGroupCommitTest extends GroupCommitContract {

  /**
   * Inside a batch, a save costs one statement execution per row: a put is one row (its checkpoint with the blobs it
   * introduced, {@link SqliteRecord}), a task's pending writes one row each: no savepoint and no head read of its own; per batch, one data-version check and, for threads whose head the
   * writer does not know (all of them here: new threads), one head read. Counted by the writer
   * ({@link GroupCommitStats#statements()}), so this holds whatever the machine's load.
   */
  @Test
  void aSaveInsideABatchCostsOneStatementPerRowItWrites(Vertx vertx, VertxTestContext ctx) {
    int runs = 200;
    open(vertx, 512).compose(store -> together(vertx, store, () -> {
      List<Future<Void>> saves = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String thread = Fixtures.newThread();
        saves.add(store.put(Fixtures.record(thread, "0001", null, 0, List.of("a", "b")),
            List.of(BlobRecord.full(thread, "a", "0001", i), BlobRecord.full(thread, "b", "0001", "x"))));
        saves.add(store.putWrites(thread, "0001", List.of(new WriteRecord(thread, "0001", "task", "node", 0, "a", i),
            new WriteRecord(thread, "0001", "task", "node", 1, "b", i))));
      }
      return saves;
    }).compose(Future::all).map(all -> stats(store)).eventually(store::close))
        .onComplete(ctx.succeeding(stats -> ctx.verify(() -> {
          long rows = runs * (1 + 2L); // a put with 2 blobs is one row; 2 pending writes are 2
          assertEquals(2L * runs, stats.saves());
          assertTrue(stats.transactions() <= 3, "the saves queued behind the held worker share a batch: " + stats);
          assertTrue(stats.statements() >= rows + stats.transactions()
                  && stats.statements() <= rows + 2 * stats.transactions(),
              "one execution per row, one data-version check and at most one head read per batch: " + stats + ", "
                  + rows + " rows");
          ctx.completeNow();
        })));
  }

  /**
   * A batch of puts on threads the writer saved before reads no head: fencing uses the heads it wrote (one execution
   * per row and the data-version check per batch, exactly), and is as exact as with a read: a put whose parent is
   * not the head it wrote is refused.
   */
  @Test
  void aBatchOnThreadsTheWriterSavedBeforeReadsNoHead(Vertx vertx, VertxTestContext ctx) {
    int runs = 100;
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      threads.add(Fixtures.newThread());
    }
    open(vertx, 512).compose(store -> together(vertx, store, () -> {
      List<Future<Void>> saves = new ArrayList<>();
      for (String thread : threads) {
        saves.add(store.put(Fixtures.record(thread, "0001", null, 0, List.of("a")),
            List.of(BlobRecord.full(thread, "a", "0001", 1))));
      }
      return saves;
    }).compose(Future::all).compose(first -> {
      GroupCommitStats before = stats(store);
      long headReads = ((SqliteCheckpointStore) store).headReads();
      return together(vertx, store, () -> {
        List<Future<Void>> saves = new ArrayList<>();
        for (String thread : threads) {
          saves.add(store.put(Fixtures.record(thread, "0002", "0001", 1, List.of("a")),
              List.of(BlobRecord.full(thread, "a", "0002", 2))));
        }
        return saves;
      }).compose(Future::all).map(second -> {
        GroupCommitStats after = stats(store);
        long transactions = after.transactions() - before.transactions();
        assertEquals(runs + transactions, after.statements() - before.statements(),
            "one row per put (its blob inside) and a data-version check per batch, no head read: " + before + " -> "
                + after);
        assertEquals(headReads, ((SqliteCheckpointStore) store).headReads(), "no head read");
        return after;
      });
    }).compose(checked -> {
      String thread = threads.get(0);
      return store.put(Fixtures.record(thread, "0003", "0001", 1, List.of()), List.of())
          .transform(stale -> {
            assertTrue(stale.failed() && stale.cause() instanceof ThreadTakenOverException,
                "a put on the old head is refused from the known head: " + stale.cause());
            return store.put(Fixtures.record(thread, "0003", "0002", 2, List.of()), List.of());
          });
    }).eventually(store::close)).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Fencing with known heads stays exact when another connection writes the file: a second store on the same file
   * (another coordinator of the same JVM) moves a thread's head, and the first store's writer, which knew the old
   * head, finds out ({@code PRAGMA data_version}) and refuses its stale put.
   */
  @Test
  void aHeadMovedByAnotherConnectionIsNotTakenFromMemory(Vertx vertx, VertxTestContext ctx) {
    String thread = Fixtures.newThread();
    open(vertx, 512).compose(first -> first.put(Fixtures.record(thread, "0001", null, 0, List.of()), List.of())
        .compose(v -> first.put(Fixtures.record(thread, "0002", "0001", 1, List.of()), List.of()))
        .compose(v -> open(vertx, 512)).compose(second -> second
            .put(Fixtures.record(thread, "0003", "0002", 2, List.of()), List.of())
            .compose(v -> first.put(Fixtures.record(thread, "0003b", "0002", 2, List.of()), List.of()).transform(
                stale -> {
                  ctx.verify(() -> assertTrue(stale.failed() && stale.cause() instanceof ThreadTakenOverException,
                      "the first store's known head 0002 is stale: " + stale.cause()));
                  return first.put(Fixtures.record(thread, "0004", "0003", 3, List.of()), List.of());
                }))
            .compose(v -> first.list(thread, 10, null))
            .map(list -> {
              ctx.verify(() -> assertEquals(List.of("0004", "0003", "0002", "0001"),
                  list.stream().map(CheckpointRecord::checkpointId).toList(), "one line of history"));
              return list;
            })
            .eventually(second::close))
        .eventually(first::close)).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A thread deleted by the store and started again is fenced on what is stored, not on the head the writer knew
   * before the delete.
   */
  @Test
  void aDeletedThreadIsStartedAgainWithoutItsOldHead(Vertx vertx, VertxTestContext ctx) {
    String thread = Fixtures.newThread();
    open(vertx, 512).compose(store -> store.put(Fixtures.record(thread, "0001", null, 0, List.of()), List.of())
        .compose(v -> store.deleteThread(thread))
        .compose(v -> store.put(Fixtures.record(thread, "0002", null, 0, List.of()), List.of()))
        .compose(v -> store.latest(thread))
        .map(latest -> {
          ctx.verify(() -> assertEquals("0002", latest.checkpointId()));
          return latest;
        })
        .eventually(store::close)).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A burst of saves from one event loop costs one worker task per batch and one completion task per event loop per
   * batch, not one {@code executeBlocking} and one completion hop per save; each save's future still completes on
   * its caller's context, and a read called after the saves (without waiting for them) sees them.
   */
  @Test
  void aBurstCostsOneWorkerTaskPerBatchAndOneCompletionPerEventLoop(Vertx vertx, VertxTestContext ctx) {
    int saves = 300;
    io.vertx.core.Context caller = vertx.getOrCreateContext();
    open(vertx, 512).onComplete(ctx.succeeding(opened -> caller.runOnContext(v -> {
      SqliteCheckpointStore store = (SqliteCheckpointStore) opened;
      CountDownLatch release = new CountDownLatch(1);
      Future<Void> held = store.holdWorker(release);
      String thread = Fixtures.newThread();
      List<Future<Void>> all = new ArrayList<>();
      List<Boolean> onCaller = java.util.Collections.synchronizedList(new ArrayList<>());
      String parent = null;
      for (int i = 0; i < saves; i++) {
        String id = CheckpointIds.next();
        Future<Void> saved = store.put(Fixtures.record(thread, id, parent, i, List.of()), List.of());
        saved.onComplete(done -> onCaller.add(io.vertx.core.Vertx.currentContext() == caller));
        all.add(saved);
        parent = id;
      }
      String last = parent;
      Future<CheckpointRecord> latest = store.latest(thread); // called after the saves, not after their outcome
      release.countDown();
      held.compose(h -> Future.all(all)).compose(done -> latest)
          .onComplete(ctx.succeeding(read -> ctx.verify(() -> {
            assertEquals(last, read.checkpointId(), "the read sees every save called before it");
            assertEquals(saves, onCaller.size());
            assertTrue(onCaller.stream().allMatch(b -> b), "every future completes on its caller's context");
            SqliteGroupCommit group = store.groupCommit();
            assertEquals(1, group.drainTasks(), "one worker task for the burst (it fits one batch)");
            assertEquals(1, group.deliveryTasks(), "one completion task for the caller's event loop");
            assertEquals(saves, stats(store).saves());
            store.close().onComplete(ctx.succeedingThenComplete());
          })));
    })));
  }

  @TempDir
  Path dir;

  @Override
  Future<? extends CheckpointStore> open(Vertx vertx, int maxBatchSize, int maxQueuedSaves) {
    return SqliteCheckpointStore.open(vertx, new SqliteStoreOptions().setDataDir(dir.toString())
        .setFileName("group.db").setMaxBatchSize(maxBatchSize).setMaxQueuedSaves(maxQueuedSaves));
  }

  @Override
  GroupCommitStats stats(CheckpointStore store) {
    return ((SqliteCheckpointStore) store).groupCommitStats();
  }

  @Override
  Future<List<Future<Void>>> together(Vertx vertx, CheckpointStore store, Supplier<List<Future<Void>>> issue) {
    CountDownLatch release = new CountDownLatch(1);
    Future<Void> held = ((SqliteCheckpointStore) store).holdWorker(release);
    List<Future<Void>> saves = issue.get();
    release.countDown();
    return held.map(saves);
  }

  @Override
  Future<Void> refuseChannelPoison(Vertx vertx, CheckpointStore store) {
    Path file = ((SqliteCheckpointStore) store).file();
    return vertx.executeBlocking(() -> {
      try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
           Statement statement = connection.createStatement()) {
        // a put's blobs are in its checkpoint row's record: refuse the row that holds a channel named poison
        statement.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON " + CheckpointSql.CHECKPOINTS
            + " WHEN instr(NEW.record, CAST('poison' AS BLOB)) > 0 BEGIN SELECT RAISE(ABORT, 'channel poison refused');"
            + " END");
      }
      return null;
    });
  }
}
