package io.graphloop.checkpoint;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real JVMs on one SQLite checkpoint file: while a second JVM ({@link SqliteHolder}) has the file open, this one
 * is refused with an error naming the file and that process (before, both opened it and each ran the same thread at
 * once, since the store's thread locks live in its JVM); a store of the same JVM still shares it; once the other JVM
 * ends, even by {@code kill -9}, the file opens here at once and holds what it saved. Waits are bounded.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SqliteTwoProcessesTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private Process holder;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (holder != null) {
      holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private SqliteStoreOptions options() {
    return new SqliteStoreOptions().setDataDir(dir.toString()).setFileName("shared.db");
  }

  private <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aSecondProcessIsRefusedUntilTheFirstEndsEvenByKill9() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    holder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        SqliteHolder.class.getName(), dir.toString(), "shared.db")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    String ready = out.readLine();
    assertEquals("open " + holder.pid(), ready, "the other JVM opened the file");

    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> await(SqliteCheckpointStore.open(vertx, options())));
    assertInstanceOf(CheckpointStoreException.class, refused.getCause());
    String message = refused.getCause().getMessage();
    assertTrue(message.contains("shared.db is in use by another process (pid " + holder.pid() + ","), message);
    assertTrue(message.contains("PostgreSQL store"), "says what to do instead: " + message);

    holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: the OS frees the lock with the process
    holder = null;
    SqliteCheckpointStore mine = await(SqliteCheckpointStore.open(vertx, options()));
    SqliteCheckpointStore alsoMine = await(SqliteCheckpointStore.open(vertx, options())); // same JVM: shared
    assertEquals("holder", await(new Checkpointer(mine, Map.of()).load("held")).state().getString("by"));
    await(alsoMine.close());
    await(mine.close());
  }

  @Test
  void aFileClosedInThisJvmOpensInAnother() throws Exception {
    await(await(SqliteCheckpointStore.open(vertx, options())).close());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    holder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        SqliteHolder.class.getName(), dir.toString(), "shared.db")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("open " + holder.pid(), out.readLine(), "the lock was released on close");
    holder.getOutputStream().close();
    assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, holder.exitValue());
    holder = null;
  }
}
