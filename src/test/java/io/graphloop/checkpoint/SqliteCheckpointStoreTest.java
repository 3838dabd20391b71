package io.graphloop.checkpoint;

import io.graphloop.state.State;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.graphloop.checkpoint.Fixtures.newThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checkpoint store contract for the SQLite store (a new file in a temporary directory per test), and the
 * file's own behaviour: where it goes, that it survives a reopening, that a bad directory is reported. */
class SqliteCheckpointStoreTest extends ThreadTtlContract {

  @TempDir
  Path dir;

  SqliteStoreOptions options() {
    return new SqliteStoreOptions().setDataDir(dir.resolve("nested/data").toString()).setFileName("test.db");
  }

  @Override
  protected Future<? extends CheckpointStore> openStore(Vertx vertx) {
    return SqliteCheckpointStore.open(vertx, options());
  }

  @Override
  Future<String> extraGrowthFigures() {
    return ((SqliteCheckpointStore) store).fileBytes().map(bytes -> String.format(
        "; the SQLite file (pages, indexes, free space included) is %,d bytes", bytes));
  }

  @Test
  void theFileIsCreatedInTheDataDirectoryInWalMode(VertxTestContext ctx) {
    Path file = dir.resolve("nested/data/test.db");
    ctx.verify(() -> {
      assertEquals(file.toAbsolutePath(), ((SqliteCheckpointStore) store).file());
      assertTrue(Files.isRegularFile(file));
    });
    String thread = newThread();
    new Checkpointer(store, CHANNELS).save(thread, null, State.of(Map.of("a", 1)), -1, CheckpointSource.INPUT, null,
            null, null)
        .onComplete(ctx.succeeding(saved -> ctx.verify(() -> {
          assertTrue(Files.exists(dir.resolve("nested/data/test.db-wal")), "a write-ahead log beside the file");
          ctx.completeNow();
        })));
  }

  /**
   * A run's start (the {@link Checkpointer} loading the thread's newest checkpoint with its state and pending writes)
   * is one task of the store's one worker thread, whatever the number of channels, where it was one task per read
   * (the latest record, one chain per channel, the writes: 5 here), each queued behind the saves.
   */
  @Test
  void loadingTheLatestCheckpointIsOneWorkerTask(VertxTestContext ctx) {
    String thread = newThread();
    SqliteCheckpointStore sqlite = (SqliteCheckpointStore) store;
    Checkpointer checkpointer = new Checkpointer(store, CHANNELS);
    checkpointer.save(thread, null, State.of(Map.of("a", 1, "b", 2, "c", 3)), -1, CheckpointSource.INPUT, null, null,
            null)
        .compose(saved -> {
          long before = sqlite.workerTasks();
          return checkpointer.load(thread).map(loaded -> {
            ctx.verify(() -> {
              assertEquals(Map.of("a", 1, "b", 2, "c", 3), loaded.state().asMap());
              assertEquals(1, sqlite.workerTasks() - before, "one worker task for the whole load");
            });
            return null;
          });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The store's options set its connection's log length and page cache (the defaults, then other values). */
  @Test
  void theConnectionGetsTheLogLengthAndCacheSizeOfItsOptions(VertxTestContext ctx) {
    SqliteCheckpointStore sqlite = (SqliteCheckpointStore) store;
    sqlite.pragma("wal_autocheckpoint").compose(pages -> sqlite.pragma("cache_size").map(cache -> List.of(pages, cache)))
        .compose(defaults -> {
          ctx.verify(() -> assertEquals(List.of(100_000L, -65_536L), defaults));
          return SqliteCheckpointStore.open(vertx, new SqliteStoreOptions().setDataDir(dir.resolve("other").toString())
              .setWalAutocheckpointPages(300).setCacheSizeKiB(4_096));
        })
        .compose(other -> other.pragma("wal_autocheckpoint").compose(pages -> other.pragma("cache_size")
            .map(cache -> List.of(pages, cache))).eventually(other::close))
        .onComplete(ctx.succeeding(tuned -> ctx.verify(() -> {
          assertEquals(List.of(300L, -4_096L), tuned);
          ctx.completeNow();
        })));
  }

  @Test
  void jdbcRunsOnTheStoresWorkerAndResultsComeBackToTheCallersEventLoop(VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      Context caller = Vertx.currentContext();
      SqliteCheckpointStore sqlite = (SqliteCheckpointStore) store;
      sqlite.jdbcThreadName()
          .compose(name -> sqlite.latest(newThread()).map(none -> name))
          .onComplete(ctx.succeeding(name -> ctx.verify(() -> {
            assertTrue(name.startsWith("graphloop-sqlite-"), "JDBC ran on " + name);
            assertSame(caller, Vertx.currentContext(), "the result is delivered on the calling context");
            assertTrue(Context.isOnEventLoopThread());
            ctx.completeNow();
          })));
    });
  }

  /**
   * A new file keeps the blobs one checkpoint wrote side by side (primary key thread, version, channel: one index page
   * per save instead of one per channel); a file made with the earlier key (thread, channel, version) keeps it and
   * works the same (the same statements serve both).
   */
  @Test
  void newFilesKeyBlobsByVersionAndOlderFilesKeepTheirKey(VertxTestContext ctx) throws Exception {
    Path old = dir.resolve("old/old.db");
    Files.createDirectories(old.getParent());
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old);
         java.sql.Statement statement = connection.createStatement()) {
      for (String ddl : CheckpointSql.schema("TEXT", CheckpointSql.BLOB_KEY_BY_CHANNEL)) {
        statement.execute(ddl);
      }
    }
    String thread = newThread();
    vertx.executeBlocking(() -> blobKey(dir.resolve("nested/data/test.db")))
        .compose(key -> {
          ctx.verify(() -> assertEquals("thread_id, version, channel", key, "a new file's blob key"));
          return SqliteCheckpointStore.open(vertx, new SqliteStoreOptions().setDataDir(old.getParent().toString())
              .setFileName("old.db"));
        })
        .compose(older -> {
          Checkpointer checkpointer = new Checkpointer(older, CHANNELS);
          return checkpointer.save(thread, null, append(State.of(Map.of("q", "x")), "messages", "m1"), -1,
                  CheckpointSource.INPUT, null, null, null)
              .compose(c1 -> checkpointer.save(thread, c1, append(c1.state(), "messages", "m2"), 0,
                  CheckpointSource.LOOP, null, null, null))
              .compose(c2 -> checkpointer.load(thread).map(loaded -> {
                ctx.verify(() -> assertEquals(List.of("m1", "m2"), loaded.state().getList("messages")));
                return loaded;
              }))
              .compose(loaded -> older.pruneCheckpoints(thread, 1))
              .compose(pruned -> checkpointer.load(thread))
              .map(loaded -> {
                ctx.verify(() -> assertEquals(List.of("m1", "m2"), loaded.state().getList("messages")));
                return loaded;
              })
              .eventually(older::close);
        })
        .compose(v -> vertx.executeBlocking(() -> blobKey(old)))
        .onComplete(ctx.succeeding(key -> ctx.verify(() -> {
          assertEquals("thread_id, channel, version", key, "an older file keeps its key");
          ctx.completeNow();
        })));
  }

  /** The primary key of the blobs table of {@code file}, as its columns in order. */
  private static String blobKey(Path file) throws Exception {
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
         java.sql.Statement statement = connection.createStatement();
         java.sql.ResultSet rs = statement.executeQuery("SELECT name FROM pragma_index_info((SELECT name FROM "
             + "sqlite_master WHERE type = 'index' AND tbl_name = '" + CheckpointSql.BLOBS + "' AND name LIKE "
             + "'sqlite_autoindex%')) ORDER BY seqno")) {
      List<String> columns = new java.util.ArrayList<>();
      while (rs.next()) {
        columns.add(rs.getString(1));
      }
      return String.join(", ", columns);
    }
  }

  @Test
  void checkpointsSurviveClosingAndReopeningTheFile(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = new Checkpointer(store, CHANNELS);
    checkpointer.save(thread, null, append(State.of(Map.of("q", "x")), "messages", "m1"), -1,
            CheckpointSource.INPUT, null, null, null)
        .compose(c1 -> checkpointer.save(thread, c1, append(c1.state(), "messages", "m2"), 0, CheckpointSource.LOOP,
            null, null, null))
        .compose(c2 -> store.close()
            .compose(v -> SqliteCheckpointStore.open(vertx, options()))
            .compose(reopened -> {
              store = reopened;
              return new Checkpointer(reopened, CHANNELS).load(thread);
            })
            .map(loaded -> {
              assertEquals(c2.record(), loaded.record());
              assertEquals(List.of("m1", "m2"), loaded.state().getList("messages"));
              return loaded;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void openingFailsNamingTheFileWhenTheDirectoryCannotBeMade(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    SqliteStoreOptions options = new SqliteStoreOptions().setDataDir(notADirectory.toString());
    expectFailure(SqliteCheckpointStore.open(vertx, options), CheckpointStoreException.class,
        "SQLite checkpoint store " + notADirectory.resolve("checkpoints.db") + ": open failed")
        .onComplete(ctx.succeedingThenComplete());
  }
}
