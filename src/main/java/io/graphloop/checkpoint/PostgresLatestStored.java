package io.graphloop.checkpoint;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CheckpointStore#latestStored} on PostgreSQL in one statement, as SQLite reads it in one call: the thread's
 * newest checkpoint, the blob chain of each channel it versions and its pending writes, where the default read
 * ({@link StoredCheckpoint#read}) costs one statement for the checkpoint, then one per channel and one for the
 * writes, all on the store's pool. Every run's start makes this read: in the durable-steps benchmark (chain of 10,
 * two channels) the database's connections serving it used 17 us of CPU per durable step beside the writer's 27
 * (BENCHMARKS.md, issue 18); one statement is also one snapshot, so the parts cannot straddle a commit.
 *
 * <p>Each blob of a chain is one primary-key probe of its checkpoint's row, then of the blobs table when the row does
 * not hold it ({@link PostgresBlobs#lookup}: a {@code LATERAL} subquery with {@code LIMIT 1}, which the planner cannot
 * turn into a scan of all the thread's rows joined by hash, as it did for a plain join: a long-lived thread has
 * thousands). The statement's rows are the checkpoint (part 0), the chains' blobs (part 1, by channel, newest first: the
 * order of {@link CheckpointSql#CHAIN}) and the writes (part 2, by task id then index: {@link CheckpointSql#WRITES}),
 * in columns {@code c1 ...} of text, so the three shapes share one result.
 *
 * <p>Constants and a stateless reader; thread-safe.
 */
final class PostgresLatestStored {

  private PostgresLatestStored() {
  }

  private static final String CHECKPOINT_TEXT = "thread_id, checkpoint_id, parent_id, step::text, created_at, source, "
      + "metadata, channel_versions, next_tasks, join_barriers, delta_depth";

  /** Parameter: thread. */
  static final String SQL = "WITH RECURSIVE head AS (SELECT " + CheckpointSql.CHECKPOINT_COLUMNS + " FROM "
      + CheckpointSql.CHECKPOINTS + " WHERE thread_id = $1 ORDER BY checkpoint_id DESC LIMIT 1), "
      + "chain (channel, version, kind, prev_version, value, depth) AS ("
      + "SELECT v.channel COLLATE \"C\", v.version COLLATE \"C\", b.kind, b.prev_version, b.value, 0 FROM head h "
      + "CROSS JOIN LATERAL json_each_text(h.channel_versions::json) AS v(channel, version) CROSS JOIN LATERAL "
      + PostgresBlobs.lookup("$1", "v.channel COLLATE \"C\"", "v.version COLLATE \"C\"") + " b "
      + "UNION ALL SELECT c.channel, c.prev_version, b.kind, b.prev_version, b.value, c.depth + 1 FROM chain c "
      + "CROSS JOIN LATERAL " + PostgresBlobs.lookup("$1", "c.channel", "c.prev_version") + " b "
      + "WHERE c.kind = 'APPEND') "
      + "SELECT 0 AS part, NULL::text COLLATE \"C\" AS k1, 0 AS k2, " + CHECKPOINT_TEXT + " FROM head "
      + "UNION ALL SELECT 1, channel, depth, channel, version, kind, prev_version, value, NULL, NULL, NULL, NULL, NULL, "
      + "NULL FROM chain "
      + "UNION ALL SELECT 2, w.task_id, w.idx, w.thread_id, w.checkpoint_id, w.task_id, w.idx::text, w.node, w.channel, "
      + "w.value, NULL, NULL, NULL, NULL FROM " + CheckpointSql.WRITES_TABLE + " w JOIN head h ON w.thread_id = $1 "
      + "AND w.checkpoint_id = h.checkpoint_id "
      + "ORDER BY 1, 2, 3";

  private static final List<String> CHECKPOINT_NAMES = List.of("thread_id", "checkpoint_id", "parent_id", "step",
      "created_at", "source", "metadata", "channel_versions", "next_tasks", "join_barriers", "delta_depth");
  private static final List<String> BLOB_NAMES = List.of("channel", "version", "kind", "prev_version", "value");
  private static final List<String> WRITE_NAMES = List.of("thread_id", "checkpoint_id", "task_id", "idx", "node",
      "channel", "value");
  /** Where the text columns start: after part, k1, k2. */
  private static final int FIRST = 3;

  /**
   * The stored checkpoint of the statement's rows, or {@code null} when the thread has none.
   *
   * @throws Exception when a stored value cannot be read back
   */
  static StoredCheckpoint read(String threadId, RowSet<Row> rows) throws Exception {
    CheckpointRecord record = null;
    Map<String, List<BlobRecord>> byChannel = new LinkedHashMap<>();
    List<WriteRecord> writes = new ArrayList<>();
    for (Row row : rows) {
      int part = row.getInteger(0);
      if (part == 0) {
        record = CheckpointRows.checkpoint(columns(row, CHECKPOINT_NAMES));
      } else if (part == 1) {
        BlobRecord blob = CheckpointRows.blob(threadId, columns(row, BLOB_NAMES));
        byChannel.computeIfAbsent(blob.channel(), c -> new ArrayList<>()).add(blob);
      } else {
        writes.add(CheckpointRows.write(columns(row, WRITE_NAMES)));
      }
    }
    if (record == null) {
      return null;
    }
    Map<String, List<BlobRecord>> chains = new LinkedHashMap<>(Math.max(4, record.channelVersions().size() * 2));
    for (String channel : record.channelVersions().keySet()) {
      chains.put(channel, byChannel.getOrDefault(channel, List.of()));
    }
    return new StoredCheckpoint(record, chains, writes);
  }

  private static CheckpointRows.Columns columns(Row row, List<String> names) {
    return new CheckpointRows.Columns() {
      @Override
      public String text(String column) {
        return row.getString(FIRST + index(column));
      }

      @Override
      public int integer(String column) {
        return Integer.parseInt(row.getString(FIRST + index(column)));
      }

      private int index(String column) {
        int i = names.indexOf(column);
        if (i < 0) {
          throw new IllegalStateException("no column " + column + " in " + names);
        }
        return i;
      }
    };
  }
}
