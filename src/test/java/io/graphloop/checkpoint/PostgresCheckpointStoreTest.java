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
