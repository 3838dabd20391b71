package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.checkpoint.Fixtures.newThread;
import static io.graphloop.checkpoint.Fixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run starts' reads grouped into shared statements ({@link PostgresHeadReads}): with one connection, reads made while
 * one runs share the next statement, and each gets what the memory store gives for its thread: its newest
 * checkpoint, a chain crossing two checkpoints, its pending writes; a thread read twice in one statement, a thread
 * without checkpoints ({@code null}). On a throwaway server.
 */
@ExtendWith(VertxExtension.class)
class PostgresHeadReadsTest {

  @RegisterExtension
  static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();

  private static final int THREADS = 40;

  @Test
  void readsMadeWhileOneRunsShareAStatementAndEachGetsItsThread(Vertx vertx, VertxTestContext ctx) {
    MemoryCheckpointStore memory = new MemoryCheckpointStore();
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      threads.add(newThread());
    }
    PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions().setPoolSize(1).setMaxReadBatchSize(16))
        .compose(store -> {
          Future<?> written = Future.succeededFuture();
          for (String thread : threads) {
            written = written.compose(v -> Future.all(save(store, thread), save(memory, thread)));
          }
          return written.compose(v -> {
            long before = store.headReadStatements();
            List<String> asked = new ArrayList<>(threads);
            asked.add(threads.get(3));
            asked.add(newThread());
            List<Future<StoredCheckpoint>> reads = new ArrayList<>();
            List<Future<StoredCheckpoint>> expected = new ArrayList<>();
            for (String thread : asked) {
              reads.add(store.latestStored(thread));
              expected.add(memory.latestStored(thread));
            }
            return Future.all(Future.all(reads), Future.all(expected)).map(all -> {
              ctx.verify(() -> {
                for (int i = 0; i < asked.size(); i++) {
                  StoredCheckpoint got = reads.get(i).result();
                  StoredCheckpoint want = expected.get(i).result();
                  if (want == null) {
                    assertNull(got, "a thread without checkpoints");
                    continue;
                  }
                  assertEquals(want.record(), got.record(), asked.get(i));
                  assertEquals(want.chains(), got.chains(), asked.get(i));
                  assertEquals(want.writes(), got.writes(), asked.get(i));
                }
                long statements = store.headReadStatements() - before;
                // the first read alone, then those that queued behind it in batches of at most 16: 4 statements when
                // all 41 queued before the first returned (issuing them takes microseconds, a statement milliseconds)
                assertTrue(statements <= asked.size() / 4, statements + " statements for " + asked.size() + " reads");
              });
              return null;
            });
          }).eventually(store::close);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Two checkpoints: m a full value then a delta on it, n a full value; a pending write on the second. */
  private static Future<Void> save(CheckpointStore store, String thread) {
    CheckpointRecord first = record(thread, "0001", null, 0, List.of("m", "n"));
    CheckpointRecord second = record(thread, "0002", "0001", 1, Map.of("m", "0002", "n", "0001"), Map.of("m", 1));
    return store.put(first, List.of(BlobRecord.full(thread, "m", "0001", List.of("a")),
            BlobRecord.full(thread, "n", "0001", thread)))
        .compose(v -> store.put(second, List.of(BlobRecord.append(thread, "m", "0002", "0001", List.of("b")))))
        .compose(v -> store.putWrites(thread, "0002", List.of(new WriteRecord(thread, "0002", "task", "node", 0,
            "m", "w"))));
  }
}
