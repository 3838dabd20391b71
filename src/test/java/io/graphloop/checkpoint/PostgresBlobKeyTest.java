package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.checkpoint.Fixtures.newThread;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The blobs table's primary key on PostgreSQL: a new database keys blobs by {@code (thread_id, version, channel)}
 * (a save's blobs side by side in one leaf page of the key's index), a database made before keeps
 * {@code (thread_id, channel, version)}, and the store reads and writes both the same way (every blob statement
 * probes all three columns; {@code ON CONFLICT (thread_id, channel, version)} infers either key).
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class PostgresBlobKeyTest {

  @RegisterExtension
  static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();

  /** The key's columns in index order. */
  private static final String KEY = "SELECT a.attname FROM pg_index i JOIN LATERAL unnest(i.indkey) WITH ORDINALITY "
      + "k(attnum, n) ON true JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
      + "WHERE i.indrelid = '" + CheckpointSql.BLOBS + "'::regclass AND i.indisprimary ORDER BY k.n";

  @Test
  void aNewDatabaseKeysBlobsByVersionFirst(Vertx vertx, VertxTestContext ctx) {
    database(vertx, "blobkey_new", null)
        .compose(options -> PostgresCheckpointStore.open(vertx, options)
            .compose(store -> key(vertx, options).eventually(store::close)))
        .onComplete(ctx.succeeding(key -> ctx.verify(() -> {
          assertEquals(List.of("thread_id", "version", "channel"), key);
          ctx.completeNow();
        })));
  }

  /**
   * A database whose blobs table was made with the earlier key opens, keeps that key, and gives what a new database
   * gives for the same saves: reads of every kind, a put again (the upsert path), pending writes, pruning and deletes.
   */
  @Test
  void aDatabaseKeyedByChannelKeepsItsKeyAndReadsAsANewOne(Vertx vertx, VertxTestContext ctx) {
    String thread = newThread();
    List<String> ids = Fixtures.ids(3);
    database(vertx, "blobkey_old", CheckpointSql.BLOB_KEY_BY_CHANNEL)
        .compose(old -> database(vertx, "blobkey_fresh", null).compose(fresh -> script(vertx, old, thread, ids)
            .compose(before -> script(vertx, fresh, thread, ids).compose(now -> key(vertx, old).map(key -> {
              ctx.verify(() -> {
                assertEquals(List.of("thread_id", "channel", "version"), key, "the earlier database keeps its key");
                assertEquals(now, before, "the same reads from both keys");
              });
              return null;
            })))))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Saves and reads on a store of {@code options}; what it read, as text. */
  private static Future<List<String>> script(Vertx vertx, PostgresStoreOptions options, String thread,
      List<String> ids) {
    List<String> seen = new ArrayList<>();
    return PostgresCheckpointStore.open(vertx, options).compose(store -> store.put(
            Fixtures.record(thread, ids.get(0), null, 0, List.of("a", "m")),
            List.of(BlobRecord.full(thread, "a", ids.get(0), List.of(1)), BlobRecord.full(thread, "m", ids.get(0), "m0")))
        .compose(x -> store.put(Fixtures.record(thread, ids.get(1), ids.get(0), 1,
                Map.of("a", ids.get(1), "m", ids.get(0)), Map.of("a", 1)),
            List.of(BlobRecord.append(thread, "a", ids.get(1), ids.get(0), List.of(2)))))
        // the same checkpoint again: its batch's plain insert meets the stored key and is written with upserts
        .compose(x -> store.put(Fixtures.record(thread, ids.get(2), ids.get(1), 2,
            Map.of("a", ids.get(2), "m", ids.get(2)), Map.of("a", 2)), List.of(
                BlobRecord.append(thread, "a", ids.get(2), ids.get(1), List.of(3)),
                BlobRecord.full(thread, "m", ids.get(2), "m-old"))))
        .compose(x -> store.put(Fixtures.record(thread, ids.get(2), ids.get(1), 2,
            Map.of("a", ids.get(2), "m", ids.get(2)), Map.of("a", 2)), List.of(
                BlobRecord.append(thread, "a", ids.get(2), ids.get(1), List.of(3)),
                BlobRecord.full(thread, "m", ids.get(2), "m2")), ids.get(2)))
        .compose(x -> store.putWrites(thread, ids.get(2), List.of(
            new WriteRecord(thread, ids.get(2), "t1", "node", 0, "m", "w"))))
        .compose(x -> store.latestStored(thread)).map(stored -> seen.add(stored.record().checkpointId() + " "
            + stored.chains().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().stream()
                .map(b -> b.version() + ":" + b.value()).toList()).sorted().toList() + " " + stored.writes().size()))
        .compose(x -> store.chain(thread, "a", ids.get(2))).map(chain -> seen.add(chain.stream()
            .map(b -> b.kind() + ":" + b.value()).toList().toString()))
        .compose(x -> store.storedBytes(thread)).map(bytes -> seen.add("bytes " + bytes))
        .compose(x -> store.pruneCheckpoints(thread, 1)).map(pruned -> seen.add("pruned " + pruned))
        .compose(x -> store.chain(thread, "a", ids.get(2))).map(chain -> seen.add("after pruning " + chain.stream()
            .map(b -> b.kind() + ":" + b.value()).toList()))
        .compose(x -> store.storedBytes(thread)).map(bytes -> seen.add("bytes " + bytes))
        .compose(x -> store.deleteThread(thread))
        .compose(x -> store.storedBytes(thread)).map(bytes -> seen.add("deleted, bytes " + bytes))
        .<List<String>>map(x -> seen)
        .eventually(store::close));
  }

  /** A new database on the test server, its blobs table made with {@code blobKey} first unless null. */
  private static Future<PostgresStoreOptions> database(Vertx vertx, String name, String blobKey) {
    PostgresStoreOptions options = POSTGRES.storeOptions().setDatabase(name);
    Pool admin = PgBuilder.pool().connectingTo(POSTGRES.storeOptions().toConnectOptions()).using(vertx).build();
    Future<?> made = admin.query("DROP DATABASE IF EXISTS " + name).execute()
        .compose(r -> admin.query("CREATE DATABASE " + name).execute());
    if (blobKey != null) {
      made = made.compose(r -> {
        Pool db = PgBuilder.pool().connectingTo(options.toConnectOptions()).using(vertx).build();
        Future<?> ddl = Future.succeededFuture();
        for (String statement : CheckpointSql.schema("TEXT COLLATE \"C\"", blobKey)) {
          ddl = ddl.compose(x -> db.query(statement).execute());
        }
        return ddl.eventually(db::close);
      });
    }
    return made.map(r -> options).eventually(admin::close);
  }

  private static Future<List<String>> key(Vertx vertx, PostgresStoreOptions options) {
    Pool db = PgBuilder.pool().connectingTo(options.toConnectOptions()).using(vertx).build();
    return db.preparedQuery(KEY).execute(Tuple.tuple()).map(rows -> {
      List<String> columns = new ArrayList<>();
      for (Row row : rows) {
        columns.add(row.getString(0));
      }
      return columns;
    }).eventually(db::close);
  }
}
