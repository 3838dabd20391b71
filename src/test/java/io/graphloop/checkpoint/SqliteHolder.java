package io.graphloop.checkpoint;

import io.graphloop.state.State;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM for {@link SqliteTwoProcessesTest}: opens the SQLite store at {@code args[0]} (data dir) and
 * {@code args[1]} (file name), saves a checkpoint on thread {@code "held"}, prints {@code open <pid>} and holds the
 * file until its standard input ends (or it is killed), then closes the store and exits. Exits 3 when it cannot open.
 */
public final class SqliteHolder {

  private SqliteHolder() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      SqliteCheckpointStore store = SqliteCheckpointStore.open(vertx, new SqliteStoreOptions().setDataDir(args[0])
          .setFileName(args[1])).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      new Checkpointer(store, Map.of()).save("held", null, State.of(Map.of("by", "holder")), -1,
          CheckpointSource.INPUT, null, null, null).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      System.out.println("open " + ProcessHandle.current().pid());
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the file until the parent closes our input
      }
      store.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.out.println("failed " + e.getMessage());
      System.out.flush();
      System.exit(3);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
