package io.graphloop.checkpoint;

import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.checkpoint.Fixtures.newThread;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The checkpoint store contract for the PostgreSQL store, against a real server: a throwaway cluster started
 * for this class on 127.0.0.1 ({@link PostgresTestServer}; skipped without the binaries unless
 * {@code GRAPHLOOP_REQUIRE_POSTGRES=1}). Plus what only a shared server shows: two stores (as two JVMs) see one
 * another's checkpoints, and open at the same time without racing on the schema.
 */
class PostgresCheckpointStoreTest extends ThreadTtlContract {

  @RegisterExtension
  static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();

  @Override
  protected Future<? extends CheckpointStore> openStore(Vertx vertx) {
    return PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions());
  }

  @Test
  void twoStoresOnOneDatabaseShareTheirCheckpoints(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    List<Future<PostgresCheckpointStore>> opening = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      opening.add(PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions().setPoolSize(1)));
    }
    Future.all(opening)
        .compose(opened -> {
          CheckpointStore first = opened.resultAt(0);
          CheckpointStore other = opened.resultAt(3);
          return new Checkpointer(first, CHANNELS).save(thread, null, append(State.of(Map.of("q", 1)), "messages",
                  "from the first JVM"), -1, CheckpointSource.INPUT, null, null, null)
              .compose(saved -> new Checkpointer(other, CHANNELS).load(thread)
                  .compose(loaded -> new Checkpointer(other, CHANNELS).save(thread, loaded,
                      append(loaded.state(), "messages", "from the other"), 0, CheckpointSource.LOOP, null, null, null))
                  .compose(v -> new Checkpointer(first, CHANNELS).load(thread)))
              .map(latest -> {
                assertEquals(List.of("from the first JVM", "from the other"), latest.state().getList("messages"));
                return latest;
              })
              .eventually(() -> Future.all(opening.stream().map(f -> f.result().close()).toList()));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A run's start reads its thread's newest checkpoint with every channel's chain and its writes in one statement
   * ({@link PostgresLatestStored}): on a pool of one connection and a wait queue of one, a checkpoint of four channels
   * (one an append delta on a full blob) with pending writes reads whole. The read it replaces made one statement
   * for the checkpoint, then five at once (a chain per channel, the writes), which that queue refused
   * ({@link PoolBusyException}).
   */
  @Test
  void latestStoredIsOneStatement(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    String first = CheckpointIds.next();
    String second = CheckpointIds.next();
    Map<String, String> versions = new java.util.LinkedHashMap<>();
    versions.put("z", second);
    versions.put("a", first);
    versions.put("m", first);
    versions.put("b", first);
    PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions().setPoolSize(1).setMaxWaitQueueSize(1))
        .compose(store -> store.put(Fixtures.record(thread, first, null, 0, List.of("z", "a", "m", "b")), List.of(
                BlobRecord.full(thread, "z", first, List.of(1)), BlobRecord.full(thread, "a", first, "a"),
                BlobRecord.full(thread, "m", first, Map.of("k", 2)), BlobRecord.full(thread, "b", first, 3)))
            .compose(x -> store.put(Fixtures.record(thread, second, first, 1, versions, Map.of("z", 1)),
                List.of(BlobRecord.append(thread, "z", second, first, List.of(2)))))
            .compose(x -> store.putWrites(thread, second, List.of(
                new WriteRecord(thread, second, "t2", "node", 0, "a", "w2"),
                new WriteRecord(thread, second, "t1", "node", 1, "m", "w1b"),
                new WriteRecord(thread, second, "t1", "node", 0, "m", "w1a"))))
            .compose(x -> store.latestStored(thread))
            .compose(stored -> store.latestStored(newThread()).map(none -> {
              ctx.verify(() -> {
                org.junit.jupiter.api.Assertions.assertNull(none, "a thread without checkpoints");
                assertEquals(second, stored.record().checkpointId());
                assertEquals(List.of("z", "a", "m", "b"), List.copyOf(stored.chains().keySet()),
                    "the record's channel order");
                assertEquals(List.of(List.of(2), List.of(1)), stored.chains().get("z").stream()
                    .map(BlobRecord::value).toList(), "the delta, then its full blob");
                assertEquals(Map.of("k", 2), stored.chains().get("m").get(0).value());
                assertEquals(List.of("t1/0", "t1/1", "t2/0"), stored.writes().stream()
                    .map(w -> w.taskId() + "/" + w.index()).toList(), "by task, then index");
              });
              return null;
            }))
            .eventually(store::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Mass resumes: many reads at once on a small pool. Those beyond the pool's wait queue are refused at once with
   * {@link PoolBusyException} (OVERLOADED) naming the option; with the queue raised, the same burst all succeeds.
   */
  @Test
  void aFullPoolWaitQueueRefusesWithAnErrorNamingTheOption(Vertx vertx, VertxTestContext ctx) {
    int burst = 50;
    Future<List<Throwable>> small = PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions().setPoolSize(1)
        .setMaxWaitQueueSize(2)).compose(store -> readAtOnce(store, burst).eventually(store::close));
    small.compose(failures -> {
      ctx.verify(() -> {
        org.junit.jupiter.api.Assertions.assertTrue(failures.size() >= burst - 3 && failures.size() < burst,
            "at most 1 running and 2 waiting succeed, the rest are refused: " + failures.size() + " refused");
        for (Throwable failure : failures) {
          PoolBusyException busy = org.junit.jupiter.api.Assertions.assertInstanceOf(PoolBusyException.class, failure);
          assertEquals(io.graphloop.errors.FailureCode.OVERLOADED, busy.code());
          assertEquals(2, busy.maxWaitQueueSize());
          org.junit.jupiter.api.Assertions.assertTrue(busy.getMessage().contains("read of the latest checkpoint of "
              + "thread") && busy.getMessage().contains("2 operations already wait for one of the pool's 1 "
              + "connections (the store option maxWaitQueueSize, default 1024)"), busy.getMessage());
        }
      });
      return PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions().setPoolSize(1).setMaxWaitQueueSize(burst))
          .compose(store -> readAtOnce(store, burst).eventually(store::close));
    }).onComplete(ctx.succeeding(failures -> ctx.verify(() -> {
      assertEquals(List.of(), failures, "a wait queue as big as the burst refuses nothing");
      ctx.completeNow();
    })));
  }

  /** Reads {@code count} threads' latest checkpoints at once; the failures. */
  private static Future<List<Throwable>> readAtOnce(CheckpointStore store, int count) {
    List<Future<CheckpointRecord>> reads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      reads.add(store.latest(newThread()));
    }
    return Future.join(reads).transform(done -> {
      List<Throwable> failures = new ArrayList<>();
      reads.stream().filter(Future::failed).forEach(read -> failures.add(read.cause()));
      return Future.succeededFuture(failures);
    });
  }

  @Test
  void openingFailsNamingTheServerWhenNothingListens(Vertx vertx, VertxTestContext ctx) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    expectFailure(PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions().setPort(closedPort)),
        CheckpointStoreException.class, "PostgreSQL checkpoint store postgres@127.0.0.1:" + closedPort
            + "/graphloop_test: open failed")
        .onComplete(ctx.succeedingThenComplete());
  }
}
