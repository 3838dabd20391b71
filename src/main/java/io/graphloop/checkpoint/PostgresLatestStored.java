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
 * thousands); a channel the head itself wrote is taken from the head's row, already read. The statement's rows are,
 * per thread, the checkpoint (part 0), the chains' blobs (part 1, by channel, newest first: the order of
 * {@link CheckpointSql#CHAIN}) and the writes (part 2, by task id then index: {@link CheckpointSql#WRITES}), in text
 * columns after the thread, part and keys, so the three shapes share one result.
 *
 * <p>One statement reads any number of threads ({@link PostgresHeadReads} gives it the run starts that queued while
 * the reads before them ran), so the statement's fixed cost (a round trip, a bind, the executor's start) is shared.
 *
 * <p>Constants and a stateless reader; thread-safe.
 */
final class PostgresLatestStored {

  private PostgresLatestStored() {
  }

  private static final String CHECKPOINT_TEXT = "thread_id, checkpoint_id, parent_id, step::text, created_at, source, "
      + "metadata, channel_versions, next_tasks, join_barriers, delta_depth";

  /**
   * Parameter: the threads ({@code text[]}, each once). Each thread's head is one probe of the checkpoints' key
   * ({@code LATERAL ... LIMIT 1}), its pending writes one probe of theirs ({@code OFFSET 0} keeps that subquery a
   * parameterized probe, not a join the planner may hash over the whole table). The rows come ordered by thread, then
   * part, then key.
   */
  static final String SQL = "WITH RECURSIVE t AS (SELECT unnest($1::text[]) COLLATE \"C\" AS tid), "
      + "head AS (SELECT h.* FROM t CROSS JOIN LATERAL (SELECT " + CheckpointSql.CHECKPOINT_COLUMNS + ", "
      + PostgresBlobs.COLUMN + " FROM "
      + CheckpointSql.CHECKPOINTS + " c WHERE c.thread_id = t.tid ORDER BY c.checkpoint_id DESC LIMIT 1) h), "
      + "chain (thread_id, channel, version, kind, prev_version, value, depth) AS ("
      + "SELECT h.thread_id, v.channel COLLATE \"C\", v.version COLLATE \"C\", b.kind, b.prev_version, b.value, 0 "
      + "FROM head h CROSS JOIN LATERAL json_each_text(h.channel_versions::json) AS v(channel, version) CROSS JOIN "
      + "LATERAL " + PostgresBlobs.lookup("h.thread_id", "v.channel COLLATE \"C\"", "v.version COLLATE \"C\"", "h")
      + " b "
      + "UNION ALL SELECT c.thread_id, c.channel, c.prev_version, b.kind, b.prev_version, b.value, c.depth + 1 "
      + "FROM chain c CROSS JOIN LATERAL " + PostgresBlobs.lookup("c.thread_id", "c.channel", "c.prev_version")
      + " b WHERE c.kind = 'APPEND') "
      + "SELECT thread_id AS tid, 0 AS part, NULL::text COLLATE \"C\" AS k1, 0 AS k2, " + CHECKPOINT_TEXT
      + " FROM head "
      + "UNION ALL SELECT thread_id, 1, channel, depth, channel, version, kind, prev_version, value, NULL, NULL, NULL, "
      + "NULL, NULL, NULL FROM chain "
      + "UNION ALL SELECT w.thread_id, 2, w.task_id, w.idx, w.thread_id, w.checkpoint_id, w.task_id, w.idx::text, "
      + "w.node, w.channel, w.value, NULL, NULL, NULL, NULL FROM head h CROSS JOIN LATERAL (SELECT * FROM "
      + CheckpointSql.WRITES_TABLE + " x WHERE x.thread_id = h.thread_id AND x.checkpoint_id = h.checkpoint_id "
      + "OFFSET 0) w "
      + "ORDER BY 1, 2, 3, 4";

  private static final List<String> CHECKPOINT_NAMES = List.of("thread_id", "checkpoint_id", "parent_id", "step",
      "created_at", "source", "metadata", "channel_versions", "next_tasks", "join_barriers", "delta_depth");
  private static final List<String> BLOB_NAMES = List.of("channel", "version", "kind", "prev_version", "value");
  private static final List<String> WRITE_NAMES = List.of("thread_id", "checkpoint_id", "task_id", "idx", "node",
      "channel", "value");
  /** Where the text columns start: after tid, part, k1, k2. */
  private static final int FIRST = 4;

  /**
   * Reads the statement's rows into {@code found}, one entry per thread that has a checkpoint; a thread whose rows
   * cannot be read back maps to the exception (it fails that thread's read alone).
   */
  static void read(RowSet<Row> rows, Map<String, Object> found) {
    String thread = null;
    List<Row> ofThread = new ArrayList<>();
    for (Row row : rows) {
      String tid = row.getString(0);
      if (thread != null && !thread.equals(tid)) {
        found.put(thread, readOne(thread, ofThread));
        ofThread.clear();
      }
      thread = tid;
      ofThread.add(row);
    }
    if (thread != null) {
      found.put(thread, readOne(thread, ofThread));
    }
  }

  /** The stored checkpoint of one thread's rows, or the exception that reading them threw. */
  private static Object readOne(String threadId, List<Row> rows) {
    try {
      return read(threadId, rows);
    } catch (Exception e) {
      return e;
    }
  }

  /**
   * The stored checkpoint of one thread's rows, or {@code null} when the thread has none.
   *
   * @throws Exception when a stored value cannot be read back
   */
  static StoredCheckpoint read(String threadId, Iterable<Row> rows) throws Exception {
    CheckpointRecord record = null;
    Map<String, List<BlobRecord>> byChannel = new LinkedHashMap<>();
    List<WriteRecord> writes = new ArrayList<>();
    for (Row row : rows) {
      int part = row.getInteger(1);
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
