package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.graphloop.checkpoint.Fixtures.bare;
import static io.graphloop.checkpoint.Fixtures.newThread;
import static io.graphloop.checkpoint.Fixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit of the SQL stores: saves of many runs given together are committed in fewer transactions than
 * saves, each still durable and readable; one thread's saves keep their order inside a batch; a save that fails
 * in the database fails alone (naming its checkpoint and thread) and leaves nothing half-written, while the
 * saves batched with it are stored; with {@code maxBatchSize} 1 every save is its own transaction; a burst beyond
 * {@code maxQueuedSaves} is refused at once ({@link SaveQueueFullException}, OVERLOADED) and the rest is stored. A store's
 * test class says how to open it, how to give saves "together" (so they queue behind one transaction) and how
 * to make the database refuse a blob.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
abstract class GroupCommitContract {

  /** Opens a store with this batch size and this bound on the saves waiting for a batch. */
  abstract Future<? extends CheckpointStore> open(Vertx vertx, int maxBatchSize, int maxQueuedSaves);

  /** Opens a store with this batch size (and the default queue bound). */
  Future<? extends CheckpointStore> open(Vertx vertx, int maxBatchSize) {
    return open(vertx, maxBatchSize, SqliteStoreOptions.DEFAULT_MAX_QUEUED_SAVES);
  }

  abstract GroupCommitStats stats(CheckpointStore store);

  /** Calls {@code issue} so that what it gives the store queues up before the store commits any of it. */
  abstract Future<List<Future<Void>>> together(Vertx vertx, CheckpointStore store,
      Supplier<List<Future<Void>>> issue);

  /** Makes the database refuse (a trigger raising an error) every blob of channel {@code poison}. */
  abstract Future<Void> refuseChannelPoison(Vertx vertx, CheckpointStore store);

  private static final int RUNS = 300;

  @Test
  void savesOfManyRunsShareTransactionsAndAreAllDurable(Vertx vertx, VertxTestContext ctx) {
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      threads.add(newThread());
    }
    open(vertx, 512).compose(store -> together(vertx, store, () -> {
      List<Future<Void>> saves = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        String thread = threads.get(i);
        saves.add(store.put(record(thread, "0001", null, 0, List.of("a")),
            List.of(BlobRecord.full(thread, "a", "0001", "value " + i))));
        saves.add(store.putWrites(thread, "0001", List.of(new WriteRecord(thread, "0001", "task", "node", 0, "a",
            i))));
      }
      return saves;
    }).compose(Future::all).compose(all -> {
      GroupCommitStats stats = stats(store);
      List<Future<?>> reads = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        int n = i;
        String thread = threads.get(i);
        reads.add(store.latest(thread).compose(latest -> store.chain(thread, "a", "0001")
            .compose(chain -> store.writes(thread, "0001").map(writes -> {
              ctx.verify(() -> {
                assertEquals("0001", latest.checkpointId());
                assertEquals("value " + n, chain.get(0).value());
                assertEquals(List.of(n), writes.stream().map(WriteRecord::value).toList());
              });
              return null;
            }))));
      }
      return Future.all(reads).compose(r -> store.close()).map(stats);
    })).onComplete(ctx.succeeding(stats -> ctx.verify(() -> {
      assertEquals(2L * RUNS, stats.saves(), "every save committed once");
      assertTrue(stats.transactions() < stats.saves() / 4,
          "saves given together share transactions: " + stats);
      ctx.completeNow();
    })));
  }

  @Test
  void oneThreadsSavesKeepTheirOrderInsideABatch(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    open(vertx, 512).compose(store -> together(vertx, store, () -> {
      List<Future<Void>> saves = new ArrayList<>();
      // the first write of (task, index) is kept, so the order of the two saves decides what is read
      saves.add(store.putWrites(thread, "0001", List.of(new WriteRecord(thread, "0001", "t", "n", 0, "a",
          "first"))));
      saves.add(store.putWrites(thread, "0001", List.of(new WriteRecord(thread, "0001", "t", "n", 0, "a",
          "second"))));
      // a put replaces the row (a retried put of the head passes fencing): the last put given wins
      saves.add(store.put(record(thread, "0001", null, 0, List.of()), List.of()));
      for (int i = 0; i < 5; i++) {
        saves.add(store.put(record(thread, "0002", "0001", i, List.of()), List.of()));
      }
      return saves;
    }).compose(Future::all).compose(all -> store.writes(thread, "0001")
        .compose(writes -> store.latest(thread).map(latest -> List.of(writes.get(0).value(), latest.step()))))
        .eventually(store::close))
        .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
          assertEquals(List.of("first", 4), seen);
          ctx.completeNow();
        })));
  }

  /**
   * A special write (negative index: error, interrupt, resume) records a task's latest outcome, so when one batch
   * holds two of one task and index, the later replaces the earlier, while the first of a channel write is kept; and
   * a checkpoint put twice in a batch with different blobs keeps the later row and every blob of both.
   */
  @Test
  void repeatedKeysInsideABatchLeaveWhatSavesInOrderWouldLeave(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    open(vertx, 512).compose(store -> store.put(bare(thread, "0001", null, 0), List.of())
        .compose(first -> together(vertx, store, () -> List.of(
            // another thread's save first: a store may commit the first save of a burst alone, at once
            store.put(bare(newThread(), "0001", null, 0), List.of()),
            store.putWrites(thread, "0001", List.of(new WriteRecord(thread, "0001", "t", "n", -1, WriteRecord.ERROR,
                "first error"), new WriteRecord(thread, "0001", "t", "n", 0, "a", "first"))),
            store.putWrites(thread, "0001", List.of(new WriteRecord(thread, "0001", "t", "n", -1, WriteRecord.ERROR,
                "second error"), new WriteRecord(thread, "0001", "t", "n", 0, "a", "second"))),
            store.put(record(thread, "0002", "0001", 1, List.of("a")),
                List.of(BlobRecord.full(thread, "a", "0002", "a1"))),
            store.put(record(thread, "0002", "0001", 7, List.of("a", "b")),
                List.of(BlobRecord.full(thread, "a", "0002", "a2"), BlobRecord.full(thread, "b", "0002", "b2"))))))
        .compose(Future::all)
        .compose(all -> store.writes(thread, "0001").compose(writes -> store.latest(thread)
            .compose(latest -> store.chain(thread, "a", "0002").map(chain -> List.of(
                writes.stream().map(w -> w.index() + "=" + w.value()).toList(), latest.step(), chain.get(0).value())))))
        .eventually(store::close))
        .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
          assertEquals(List.of(List.of("-1=second error", "0=first"), 7, "a2"), seen);
          ctx.completeNow();
        })));
  }

  /**
   * Fencing inside one batch: each put is checked against its thread's head as the puts before it in the same batch
   * left it, so a stale put (its parent no longer the head) is refused alone with {@link ThreadTakenOverException}
   * and writes nothing, while the puts before and after it in the batch are stored.
   */
  @Test
  void fencingInsideABatchSeesThePutsBeforeIt(Vertx vertx, VertxTestContext ctx) {
    String old = newThread();
    String fresh = newThread();
    open(vertx, 512).compose(store -> store.put(bare(old, "0001", null, 0), List.of())
        .compose(first -> together(vertx, store, () -> List.of(
            store.put(bare(old, "0002", "0001", 1), List.of()),
            store.put(bare(old, "0003", "0001", 1), List.of()),
            store.put(bare(old, "0004", "0002", 2), List.of()),
            store.put(bare(fresh, "0001", null, 0), List.of()),
            store.put(bare(fresh, "0002", null, 0), List.of()))))
        .compose(saves -> Future.join(saves).transform(joined -> store.get(old, "0003")
            .compose(stale -> store.latest(old).compose(oldHead -> store.get(fresh, "0002")
                .compose(staleFresh -> store.latest(fresh).map(freshHead -> {
                  ctx.verify(() -> {
                    assertTrue(saves.get(0).succeeded(), () -> "0002 follows the head: " + saves.get(0).cause());
                    assertInstanceOf(ThreadTakenOverException.class, saves.get(1).cause(), "0003's parent is stale");
                    assertTrue(saves.get(2).succeeded(), () -> "0004 follows 0002: " + saves.get(2).cause());
                    assertTrue(saves.get(3).succeeded(), () -> "a new thread's first put: " + saves.get(3).cause());
                    assertInstanceOf(ThreadTakenOverException.class, saves.get(4).cause(),
                        "a second parentless put once the thread has a head");
                    assertNull(stale, "nothing of the refused put");
                    assertNull(staleFresh, "nothing of the refused put");
                    assertEquals("0004", oldHead.checkpointId());
                    assertEquals("0001", freshHead.checkpointId());
                  });
                  return null;
                }))))))
        .eventually(store::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSaveTheDatabaseRefusesFailsAloneAndLeavesNothingHalfWritten(Vertx vertx, VertxTestContext ctx) {
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      threads.add(newThread());
    }
    String poisoned = threads.get(17);
    open(vertx, 512).compose(store -> refuseChannelPoison(vertx, store).compose(v -> together(vertx, store, () -> {
      List<Future<Void>> saves = new ArrayList<>();
      for (String thread : threads) {
        String channel = thread.equals(poisoned) ? "poison" : "a";
        // two blobs: the first is written before the refused one, and must not be visible either
        saves.add(store.put(record(thread, "0001", null, 0, List.of("b", channel)),
            List.of(BlobRecord.full(thread, "b", "0001", 1), BlobRecord.full(thread, channel, "0001", 2))));
      }
      return saves;
    })).compose(saves -> Future.join(saves).transform(joined -> {
      List<Future<?>> checks = new ArrayList<>();
      for (int i = 0; i < threads.size(); i++) {
        String thread = threads.get(i);
        Future<Void> save = saves.get(i);
        checks.add(store.latest(thread).compose(latest -> store.chain(thread, "b", "0001").map(chain -> {
          ctx.verify(() -> {
            if (thread.equals(poisoned)) {
              Throwable failure = save.cause();
              assertNotNull(failure, "the refused save failed");
              assertInstanceOf(CheckpointStoreException.class, failure);
              assertTrue(failure.getMessage().contains("put of checkpoint 0001 of thread '" + poisoned + "'"),
                  failure.getMessage());
              assertNull(latest, "no checkpoint row of the refused save");
              assertTrue(chain.isEmpty(), "no blob of the refused save");
            } else {
              assertTrue(save.succeeded(), () -> "a save batched with the refused one: " + save.cause());
              assertEquals("0001", latest.checkpointId());
              assertEquals(1, chain.size());
            }
          });
          return null;
        })));
      }
      return Future.all(checks);
    })).eventually(store::close)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aBatchSizeOfOneCommitsEachSaveAlone(Vertx vertx, VertxTestContext ctx) {
    open(vertx, 1).compose(store -> together(vertx, store, () -> {
      List<Future<Void>> saves = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String thread = newThread();
        saves.add(store.put(record(thread, "0001", null, 0, List.of()), List.of()));
      }
      return saves;
    }).compose(Future::all).map(all -> stats(store)).eventually(store::close))
        .onComplete(ctx.succeeding(stats -> ctx.verify(() -> {
          assertEquals(50, stats.transactions());
          assertEquals(50, stats.saves());
          ctx.completeNow();
        })));
  }

  @Test
  void aBurstBeyondTheQueueBoundIsRefusedAtOnceWithAClearErrorAndTheRestIsStored(Vertx vertx, VertxTestContext ctx) {
    int bound = 5;
    int burst = 20;
    String thread = newThread();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= burst; i++) {
      ids.add(String.format("%04d", i));
    }
    open(vertx, 512, bound).compose(store -> together(vertx, store, () -> {
      List<Future<Void>> saves = new ArrayList<>();
      for (String id : ids) {
        saves.add(store.putWrites(thread, id, List.of(new WriteRecord(thread, id, "task", "node", 0, "a", id))));
      }
      return saves;
    }).compose(saves -> Future.join(saves).transform(joined -> {
      List<Future<?>> checks = new ArrayList<>();
      int[] refused = new int[1];
      for (int i = 0; i < burst; i++) {
        Future<Void> save = saves.get(i);
        String id = ids.get(i);
        if (save.failed()) {
          refused[0]++;
        }
        checks.add(store.writes(thread, id).map(writes -> {
          ctx.verify(() -> {
            if (save.failed()) {
              SaveQueueFullException full = assertInstanceOf(SaveQueueFullException.class, save.cause());
              assertEquals(io.graphloop.errors.FailureCode.OVERLOADED, full.code());
              assertEquals(thread, full.threadId());
              assertTrue(full.getMessage().contains("put of pending writes at checkpoint " + id + " of thread '"
                  + thread + "' was refused: " + bound + " saves already wait"), full.getMessage());
              assertTrue(full.getMessage().contains("maxQueuedSaves"), full.getMessage());
              assertTrue(writes.isEmpty(), "nothing of a refused save is stored");
            } else {
              assertEquals(List.of(id), writes.stream().map(WriteRecord::value).toList(), "an accepted save");
            }
          });
          return null;
        }));
      }
      return Future.all(checks).map(v -> refused[0]);
    })).compose(refused -> {
      ctx.verify(() -> assertTrue(refused >= burst - bound - 1 && refused <= burst - bound,
          "at most the bound (and one taken at once by an idle writer) accepted, the rest refused: " + refused));
      // the queue has drained: a save is accepted again
      return store.putWrites(thread, "9999", List.of(new WriteRecord(thread, "9999", "task", "node", 0, "a", 1)));
    }).eventually(store::close)).onComplete(ctx.succeedingThenComplete());
  }
}
