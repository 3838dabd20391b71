package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SQLite store's layout ({@link SqliteLayout}): a save is one checkpoint row, and a file written with the earlier
 * layout (checkpoint texts in columns, blobs and their keys in rows of their own) is migrated when the store opens,
 * with every read giving what the memory store gives for the same puts.
 */
@ExtendWith(VertxExtension.class)
class SqliteLayoutTest {

  @TempDir
  Path dir;

  private final String thread = Fixtures.newThread();

  /**
   * c0 writes {@code old}, c1 writes {@code messages} (full) and {@code topic}, c2 and c3 append to {@code messages};
   * then c0 is pruned, so the blob of {@code old} outlives its checkpoint row (kept because c1..c3 read it).
   */
  private List<Object[]> puts() {
    List<Object[]> puts = new ArrayList<>();
    puts.add(new Object[] {Fixtures.record(thread, "0000", null, -1, List.of("old")),
        List.of(BlobRecord.full(thread, "old", "0000", Map.of("kept", true)))});
    puts.add(new Object[] {Fixtures.record(thread, "0001", "0000", 0,
        Map.of("old", "0000", "messages", "0001", "topic", "0001"), Map.of("messages", 0)),
        List.of(BlobRecord.full(thread, "messages", "0001", List.of("m1")), BlobRecord.full(thread, "topic", "0001",
            "naïve"))});
    String parent = "0001";
    for (String id : List.of("0002", "0003")) {
      puts.add(new Object[] {Fixtures.record(thread, id, parent, Integer.parseInt(id),
          Map.of("old", "0000", "messages", id, "topic", "0001"), Map.of("messages", Integer.parseInt(id) - 1)),
          List.of(BlobRecord.append(thread, "messages", id, parent, List.of("m" + id)))});
      parent = id;
    }
    return puts;
  }

  private List<WriteRecord> writes() {
    return List.of(new WriteRecord(thread, "0003", "task", "node", 0, "messages", "pending"));
  }

  /** The earlier layout's file, written with its own statements (the blobs keyed by channel: the oldest files). */
  private Path earlierFile() throws Exception {
    Path file = dir.resolve("earlier/store.db");
    Files.createDirectories(file.getParent());
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement statement = connection.createStatement()) {
      for (String ddl : CheckpointSql.schema("TEXT", CheckpointSql.BLOB_KEY_BY_CHANNEL)) {
        statement.execute(ddl);
      }
      for (Object[] put : puts()) {
        insert(connection, CheckpointSql.UPSERT_CHECKPOINT, CheckpointRows.checkpoint((CheckpointRecord) put[0]));
        for (Object blob : (List<?>) put[1]) {
          insert(connection, CheckpointSql.UPSERT_BLOB, CheckpointRows.blob((BlobRecord) blob));
        }
      }
      for (WriteRecord write : writes()) {
        insert(connection, CheckpointSql.INSERT_WRITE, CheckpointRows.write(write));
      }
      // the prune of c0: its row goes, its blob stays (the kept checkpoints read it)
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + CheckpointSql.CHECKPOINTS
          + " WHERE thread_id = ? AND checkpoint_id = '0000'")) {
        delete.setString(1, thread);
        delete.executeUpdate();
      }
    }
    return file;
  }

  private static void insert(Connection connection, String sql, Object[] row) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < row.length; i++) {
        statement.setObject(i + 1, row[i]);
      }
      statement.executeUpdate();
    }
  }

  /** The same puts, writes and prune on the memory store: the reads every store must give. */
  private Future<MemoryCheckpointStore> expected() {
    MemoryCheckpointStore memory = new MemoryCheckpointStore();
    Future<Void> done = Future.succeededFuture();
    for (Object[] put : puts()) {
      @SuppressWarnings("unchecked")
      List<BlobRecord> blobs = (List<BlobRecord>) put[1];
      done = done.compose(v -> memory.put((CheckpointRecord) put[0], blobs));
    }
    return done.compose(v -> memory.putWrites(thread, "0003", writes()))
        .compose(v -> memory.pruneCheckpoints(thread, 3))
        .map(pruned -> memory);
  }

  /** Everything a reader sees of the thread, from {@code store}. */
  private Future<List<Object>> view(CheckpointStore store) {
    List<Future<?>> reads = List.of(store.list(thread, 10, null), store.latestStored(thread),
        store.chain(thread, "messages", "0003"), store.chain(thread, "old", "0000"), store.get(thread, "0002"),
        store.children(thread, "0001"), store.writes(thread, "0003"), store.storedBytes(thread));
    return Future.all(reads).map(all -> {
      List<Object> view = new ArrayList<>();
      for (int i = 0; i < reads.size(); i++) {
        view.add(all.resultAt(i));
      }
      return view;
    });
  }

  @Test
  void aFileOfTheEarlierLayoutIsMigratedOnOpenAndReadsTheSame(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = earlierFile();
    SqliteStoreOptions options = new SqliteStoreOptions().setDataDir(file.getParent().toString())
        .setFileName("store.db");
    expected().compose(memory -> view(memory).compose(want -> SqliteCheckpointStore.open(vertx, options)
        .compose(sqlite -> view(sqlite).map(got -> {
          ctx.verify(() -> {
            assertEquals(want.get(0), got.get(0), "list");
            assertEquals(want.get(1), got.get(1), "latest with its chains and writes");
            assertEquals(want.get(2), got.get(2), "an append chain across rows");
            assertEquals(want.get(3), got.get(3), "a blob whose checkpoint row was pruned");
            assertEquals(want.subList(4, 7), got.subList(4, 7), "get, children, writes");
            assertEquals(want.get(7), got.get(7), "stored bytes, the same measure");
          });
          return got;
        }).eventually(sqlite::close))
        .compose(v -> vertx.executeBlocking(() -> layout(file)))
        .map(layout -> {
          ctx.verify(() -> assertEquals(List.of("thread_id, checkpoint_id, parent_id, record", "1 blob kept apart",
              "tables [graphloop_checkpoint_blobs, graphloop_checkpoint_writes, graphloop_checkpoints, "
                  + "graphloop_node_cache, graphloop_thread_ttl]"), layout));
          return layout;
        })
        // opened again: nothing left to migrate, the same reads
        .compose(v -> SqliteCheckpointStore.open(vertx, options))
        .compose(again -> view(again).map(got -> {
          ctx.verify(() -> assertEquals(want, got, "after a second open"));
          return got;
        }).eventually(again::close))))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** A new file's layout, and the reads of the same puts, pruned with the store's own pruning. */
  @Test
  void aNewFileHasOneRowPerSaveAndReadsAsTheMemoryStore(Vertx vertx, VertxTestContext ctx) {
    SqliteStoreOptions options = new SqliteStoreOptions().setDataDir(dir.resolve("new").toString())
        .setFileName("store.db");
    expected().compose(memory -> view(memory).compose(want -> SqliteCheckpointStore.open(vertx, options)
        .compose(sqlite -> {
          Future<Void> done = Future.succeededFuture();
          for (Object[] put : puts()) {
            @SuppressWarnings("unchecked")
            List<BlobRecord> blobs = (List<BlobRecord>) put[1];
            done = done.compose(v -> sqlite.put((CheckpointRecord) put[0], blobs));
          }
          return done.compose(v -> sqlite.putWrites(thread, "0003", writes()))
              .compose(v -> sqlite.pruneCheckpoints(thread, 3))
              .compose(pruned -> view(sqlite))
              .map(got -> {
                ctx.verify(() -> assertEquals(want, got));
                return got;
              })
              .eventually(sqlite::close);
        })
        .compose(v -> vertx.executeBlocking(() -> layout(dir.resolve("new/store.db"))))
        .map(layout -> {
          ctx.verify(() -> assertEquals(List.of("thread_id, checkpoint_id, parent_id, record",
              "1 blob kept apart"), layout.subList(0, 2), "the pruned c0's blob moved out of its row"));
          return layout;
        })))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The checkpoints table's columns, the rows of the blobs table, the tables. */
  private static List<String> layout(Path file) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement statement = connection.createStatement()) {
      List<String> layout = new ArrayList<>();
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery("SELECT name FROM pragma_table_info('" + CheckpointSql.CHECKPOINTS
          + "') ORDER BY cid")) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      layout.add(String.join(", ", columns));
      try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + CheckpointSql.BLOBS)) {
        rs.next();
        layout.add(rs.getLong(1) + " blob kept apart");
      }
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      layout.add("tables " + tables);
      return layout;
    }
  }
}
