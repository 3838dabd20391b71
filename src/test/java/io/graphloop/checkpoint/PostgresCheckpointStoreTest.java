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
class PostgresCheckpointStoreTest extends CheckpointPruningContract {

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
