package io.graphloop.checkpoint;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Choosing a store by configuration. */
@ExtendWith(VertxExtension.class)
class CheckpointStoresTest {

  @TempDir
  Path dir;

  @Test
  void theConfigurationsTypeChoosesTheStoreAndSqliteIsTheDefault(Vertx vertx, VertxTestContext ctx) {
    CheckpointStores.open(vertx, new JsonObject().put("type", "memory"))
        .compose(memory -> {
          assertInstanceOf(MemoryCheckpointStore.class, memory);
          return memory.close();
        })
        .compose(v -> CheckpointStores.open(vertx, new JsonObject().put("dataDir", dir.toString())))
        .compose(sqlite -> {
          assertInstanceOf(SqliteCheckpointStore.class, sqlite);
          assertEquals(dir.resolve("checkpoints.db"), ((SqliteCheckpointStore) sqlite).file());
          return sqlite.close();
        })
        .compose(v -> CheckpointStoreContract.expectFailure(
            CheckpointStores.open(vertx, new JsonObject().put("type", "redis")), IllegalArgumentException.class,
            "Field 'type' of checkpoint store options must be memory, sqlite or postgres, was \"redis\""))
        .compose(v -> CheckpointStoreContract.expectFailure(
            CheckpointStores.open(vertx, new JsonObject().put("type", "postgres").put("port", -1)),
            IllegalArgumentException.class, "port must be between 1 and 65535"))
        .onComplete(ctx.succeedingThenComplete());
  }
}
