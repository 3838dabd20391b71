package io.graphloop.checkpoint;

import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.checkpoint.Fixtures.iterate;
import static io.graphloop.checkpoint.Fixtures.newThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract, part three: keep-latest pruning ({@link CheckpointStore#pruneCheckpoints}). A thread saved as the
 * runtime saves it (an append channel stored as deltas, a channel written once and then carried by version, a
 * channel changed every step, pending writes) is pruned to its newest checkpoints; those load exactly as before,
 * although their blobs were introduced by checkpoints that are gone, and nothing else of the deleted ones is left.
 */
abstract class CheckpointPruningContract extends CheckpointerContract {

  /** Twelve checkpoints: topic written at step -1 only, count every step, messages appended every step. */
  private Future<List<Checkpoint>> twelve(Checkpointer checkpointer, String thread) {
    List<Checkpoint> saved = new ArrayList<>();
    return iterate(vertx, 12, (Checkpoint) null, (i, parent) -> {
      State state = parent == null ? State.of(Map.of("topic", "pruning")) : parent.state();
      state = append(set(state, "count", i), "messages", "m" + i);
      return save(checkpointer, thread, parent, state).onSuccess(saved::add);
    }).map(last -> saved);
  }

  @Test
  void pruningKeepsTheNewestCheckpointsWithExactlyTheirStates(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    List<Checkpoint> saved = new ArrayList<>();
    long[] bytesBefore = new long[1];
    twelve(checkpointer, thread).onSuccess(saved::addAll)
        .compose(all -> checkpointer.putWrites(thread, all.get(2).record().checkpointId(), "old-task", "a",
            Map.of("count", 99)))
        .compose(v -> checkpointer.putWrites(thread, saved.get(11).record().checkpointId(), "new-task", "a",
            Map.of("count", 100)))
        .compose(v -> store.storedBytes(thread)).onSuccess(bytes -> bytesBefore[0] = bytes)
        .compose(v -> store.pruneCheckpoints(thread, 3))
        .compose(deleted -> checkpointer.history(thread, 100, null).map(history -> {
          ctx.verify(() -> {
            assertEquals(9, (int) deleted, "twelve checkpoints, three kept");
            assertEquals(List.of(id(saved, 11), id(saved, 10), id(saved, 9)),
                history.stream().map(CheckpointRecord::checkpointId).toList());
            assertEquals(id(saved, 0), saved.get(11).record().versionOf("topic"),
                "the kept head reads topic from a blob of a deleted checkpoint");
          });
          return history;
        }))
        .compose(history -> Future.all(history.stream().map(checkpointer::load).toList()))
        .compose(loaded -> {
          ctx.verify(() -> {
            for (int i = 0; i < 3; i++) {
              Checkpoint kept = loaded.resultAt(i);
              assertEquals(saved.get(11 - i).state(), kept.state(), "state of kept step " + (11 - i));
            }
            assertEquals(12, ((Checkpoint) loaded.resultAt(0)).state().getList("messages").size());
          });
          return Future.all(store.writes(thread, id(saved, 11)), store.writes(thread, id(saved, 2)),
              store.chain(thread, "count", id(saved, 5)), store.get(thread, id(saved, 5)),
              store.storedBytes(thread));
        })
        .onComplete(ctx.succeeding(rest -> ctx.verify(() -> {
          assertEquals(1, rest.<List<WriteRecord>>resultAt(0).size(), "the kept head's pending write stays");
          assertEquals(List.of(), (Object) rest.resultAt(1), "a deleted checkpoint's pending writes are gone");
          assertEquals(List.of(), (Object) rest.resultAt(2), "a blob no kept checkpoint reads is gone");
          assertEquals(null, (Object) rest.resultAt(3), "a deleted checkpoint reads as nothing");
          assertTrue(rest.<Long>resultAt(4) < bytesBefore[0] / 2, "the thread shrank: " + rest.resultAt(4)
              + " bytes of " + bytesBefore[0]);
          ctx.completeNow();
        })));
  }

  @Test
  void aPrunedThreadGoesOnFromItsHead(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    List<Checkpoint> saved = new ArrayList<>();
    twelve(checkpointer, thread).onSuccess(saved::addAll)
        .compose(all -> store.pruneCheckpoints(thread, 1))
        .compose(deleted -> checkpointer.load(thread))
        .compose(head -> save(checkpointer, thread, head, append(head.state(), "messages", "after")))
        .compose(next -> checkpointer.load(thread).map(latest -> List.of(next, latest)))
        .compose(both -> store.pruneCheckpoints(thread, 1).map(deleted -> {
          ctx.verify(() -> assertEquals(1, (int) deleted, "the previous head"));
          return both;
        }))
        .compose(both -> checkpointer.load(thread).map(latest -> {
          List<Object> all = new ArrayList<>(both);
          all.add(latest);
          return all;
        }))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Checkpoint next = (Checkpoint) all.get(0);
          Checkpoint afterSecondPrune = (Checkpoint) all.get(2);
          assertEquals(next.state(), ((Checkpoint) all.get(1)).state());
          assertEquals(next.state(), afterSecondPrune.state(), "pruned twice, the head still loads whole");
          List<Object> messages = afterSecondPrune.state().getList("messages");
          assertEquals(13, messages.size());
          assertEquals("after", messages.get(12));
          assertEquals("pruning", afterSecondPrune.state().getString("topic"));
          ctx.completeNow();
        })));
  }

  @Test
  void sweepsFindTheThreadsOverTheLimitAndBadArgumentsAreRefused(VertxTestContext ctx) {
    String longThread = newThread();
    String shortThread = newThread();
    Checkpointer checkpointer = checkpointer();
    twelve(checkpointer, longThread)
        .compose(v -> save(checkpointer, shortThread, null, State.of(Map.of("count", 1))))
        .compose(v -> store.pruneCheckpoints(shortThread, 1))
        .compose(none -> {
          ctx.verify(() -> assertEquals(0, (int) none, "nothing to prune on a thread of one checkpoint"));
          return store.threadsWithMoreCheckpointsThan(5, 100_000);
        })
        .compose(over -> {
          ctx.verify(() -> {
            assertTrue(over.contains(longThread), "12 checkpoints > 5: " + over);
            assertFalse(over.contains(shortThread));
          });
          return store.threadsWithMoreCheckpointsThan(12, 100_000);
        })
        .compose(notOver -> {
          ctx.verify(() -> assertFalse(notOver.contains(longThread), "12 is not more than 12"));
          return CheckpointStoreContract.expectFailure(store.pruneCheckpoints(longThread, 0),
              IllegalArgumentException.class, "keepLatest must be at least 1");
        })
        .compose(v -> CheckpointStoreContract.expectFailure(store.threadsWithMoreCheckpointsThan(1, 0),
            IllegalArgumentException.class, "limit must be at least 1"))
        .compose(v -> store.threadsWithMoreCheckpointsThan(1, 1))
        .onComplete(ctx.succeeding(one -> ctx.verify(() -> {
          assertEquals(1, one.size(), "the limit holds");
          ctx.completeNow();
        })));
  }

  private static String id(List<Checkpoint> saved, int index) {
    return saved.get(index).record().checkpointId();
  }
}
