package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/** Group commit on a SQLite file: saves given while the store's worker is held queue up into one batch. */
class SqliteGroupCommitTest extends GroupCommitContract {

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
        statement.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON " + CheckpointSql.BLOBS
            + " WHEN NEW.channel = 'poison' BEGIN SELECT RAISE(ABORT, 'channel poison refused'); END");
      }
      return null;
    });
  }
}
