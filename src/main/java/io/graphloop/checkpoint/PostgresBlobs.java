package io.graphloop.checkpoint;

import java.util.Arrays;
import java.util.List;

/**
 * PostgreSQL's one row per save: a put's blobs (the channel values its checkpoint versions with its own id) go into
 * its checkpoint row, in the column {@value #COLUMN}, as one JSON text {@code {"<channel>": ["<kind>",
 * <prev_version or null>, "<value's JSON text as a JSON string>"], ...}}, so a put inserts one row (one heap and one
 * index record in the log) where it inserted one per blob besides (the durable-steps benchmark: about 4 of a save's
 * 5.7 WAL records were its two blob rows). The column is {@code text}, not {@code json}: nothing parses it on the
 * write; reads cast it to {@code json} and take a value with {@code ->>}, which gives back the text as it was written
 * (key order and all), as the {@code value} column did. A value is a string there, not JSON inline: PostgreSQL's JSON
 * operators unescape every string of the text they walk, and refuse the escape of the character 0 (text cannot hold
 * it), which a value may hold (a string with that character); inside a string that escape is written with its
 * backslash escaped, and read back as written.
 *
 * <p>{@value CheckpointSql#BLOBS} stays: it holds the blobs too large for the row ({@link #INLINE_CHARS}), those of
 * rows written before the column existed (their column is {@code NULL}) and those pruning keeps after deleting their
 * checkpoint's row ({@link #KEEP}). A blob is read from its
 * checkpoint's row first, then from that table ({@link #lookup}). Databases made before the column are migrated when
 * a store opens by adding it ({@link #ADD_COLUMN}: a catalog change, no row rewritten); their rows keep their blobs in
 * the table and read as before.
 *
 * <p>Constants and stateless functions; thread-safe. {@link #encode} runs on the caller's thread.
 */
final class PostgresBlobs {

  private PostgresBlobs() {
  }

  /** The checkpoint rows' column holding their blobs. */
  static final String COLUMN = "blobs";

  /** Whether the checkpoints table lacks the column (a database made before it). */
  static final String MISSING = "SELECT NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"
      + CheckpointSql.CHECKPOINTS + "'::regclass AND attname = '" + COLUMN + "' AND NOT attisdropped)";

  /** Adds the column to a table made before it. */
  static final String ADD_COLUMN = "ALTER TABLE " + CheckpointSql.CHECKPOINTS + " ADD COLUMN " + COLUMN + " TEXT";

  /**
   * Adds the column when the table lacks it (run inside the schema's transaction, under its advisory lock, after the
   * table exists). Checked first: an {@code ALTER TABLE} would take the table's exclusive lock on every open, waiting
   * for the other JVMs' transactions on it and making their next ones wait.
   */
  static io.vertx.core.Future<Void> addColumnIfMissing(io.vertx.sqlclient.SqlConnection connection) {
    return connection.query(MISSING).execute().compose(rows -> rows.iterator().next().getBoolean(0)
        ? connection.query(ADD_COLUMN).execute().<Void>mapEmpty() : io.vertx.core.Future.succeededFuture());
  }

  /** The checkpoint rows' columns as the batch statement writes them: {@link CheckpointSql#CHECKPOINT_COLUMNS} + blobs. */
  static final String ROW_COLUMNS = CheckpointSql.CHECKPOINT_COLUMNS + ", " + COLUMN;

  /** The width of a checkpoint row with its blobs. */
  static final int ROW_WIDTH = 12;

  /**
   * One blob's {@code kind, prev_version, value} as a subquery of at most one row, from its checkpoint's row, else
   * from {@value CheckpointSql#BLOBS}; {@code thread}, {@code channel} and {@code version} are SQL expressions. The
   * table is probed only when the row gave nothing ({@code UNION ALL} under {@code LIMIT 1} stops at the first row).
   */
  static String lookup(String thread, String channel, String version) {
    return lookup(thread, channel, version, null);
  }

  /**
   * {@link #lookup}, first from {@code head}'s row (a row alias whose {@code checkpoint_id} and {@value #COLUMN}
   * were read already) when {@code version} is its id: a run start's read takes the channels its head wrote from the
   * head's row without probing it again (4 buffers less per channel).
   */
  static String lookup(String thread, String channel, String version, String head) {
    String fromHead = head == null ? "" : "SELECT lk_h.j ->> 0 AS kind, (lk_h.j ->> 1) COLLATE \"C\" AS prev_version, "
        + "lk_h.j ->> 2 AS value FROM "
        + "(SELECT CASE WHEN " + head + ".checkpoint_id = " + version + " THEN " + head + "." + COLUMN + "::json -> "
        + channel + " END AS j) lk_h WHERE lk_h.j IS NOT NULL UNION ALL ";
    return "(" + fromHead + "SELECT lk_r.j ->> 0 AS kind, (lk_r.j ->> 1) COLLATE \"C\" AS prev_version, "
        + "lk_r.j ->> 2 AS value "
        + "FROM (SELECT lk_c." + COLUMN + "::json -> " + channel + " AS j FROM " + CheckpointSql.CHECKPOINTS
        + " lk_c WHERE lk_c.thread_id = " + thread + " AND lk_c.checkpoint_id = " + version + ") lk_r "
        + "WHERE lk_r.j IS NOT NULL UNION ALL SELECT lk_x.kind, lk_x.prev_version, lk_x.value FROM "
        + CheckpointSql.BLOBS + " lk_x WHERE lk_x.thread_id = " + thread + " AND lk_x.channel = " + channel
        + " AND lk_x.version = " + version + " LIMIT 1)";
  }

  /**
   * A channel's chain at a version, newest first, ending at its first full value: each link one {@link #lookup}.
   * Parameters: thread, channel, version.
   */
  static final String CHAIN = "WITH RECURSIVE chain (channel, version, kind, prev_version, value, depth) AS ("
      + "SELECT $2::text COLLATE \"C\", $3::text COLLATE \"C\", b.kind, b.prev_version, b.value, 0 "
      + "FROM " + lookup("$1", "$2::text", "$3::text") + " b "
      + "UNION ALL SELECT c.channel, c.prev_version, b.kind, b.prev_version, b.value, c.depth + 1 "
      + "FROM chain c CROSS JOIN LATERAL " + lookup("$1", "c.channel", "c.prev_version") + " b "
      + "WHERE c.kind = 'APPEND') "
      + "SELECT channel, version, kind, prev_version, value FROM chain ORDER BY depth";

  /**
   * Pruning, before a checkpoint's row is deleted: moves its blobs that kept checkpoints still read into
   * {@value CheckpointSql#BLOBS} (all but the doomed channels). Parameters: thread, checkpoint id, doomed channels
   * ({@code text[]}).
   */
  static final String KEEP = "INSERT INTO " + CheckpointSql.BLOBS + " (thread_id, channel, version, kind, "
      + "prev_version, value) SELECT c.thread_id, e.key, c.checkpoint_id, e.value ->> 0, e.value ->> 1, "
      + "e.value ->> 2 FROM " + CheckpointSql.CHECKPOINTS + " c CROSS JOIN LATERAL json_each(c." + COLUMN
      + "::json) e WHERE c.thread_id = $1 AND c.checkpoint_id = $2 AND e.key <> ALL($3::text[]) "
      + CheckpointSql.UPSERT_BLOB.substring(CheckpointSql.UPSERT_BLOB.indexOf("ON CONFLICT"));

  /**
   * The measure of {@link CheckpointStore#storedBytes}, with the blobs of the rows counted as the rows of the blobs
   * table they replace (thread, channel, version, kind, prev version, value). Parameter: thread (once).
   */
  static final String STORED_BYTES = "SELECT "
      + "(SELECT COALESCE(SUM(octet_length(thread_id) + octet_length(checkpoint_id) "
      + "+ COALESCE(octet_length(parent_id), 0) + octet_length(created_at) + octet_length(source) "
      + "+ octet_length(metadata) + octet_length(channel_versions) + octet_length(next_tasks) "
      + "+ octet_length(join_barriers) + octet_length(delta_depth)), 0) FROM " + CheckpointSql.CHECKPOINTS
      + " WHERE thread_id = $1) + "
      + "(SELECT COALESCE(SUM(octet_length(c.thread_id) + octet_length(e.key) + octet_length(c.checkpoint_id) "
      + "+ octet_length(e.value ->> 0) + COALESCE(octet_length(e.value ->> 1), 0) + octet_length(e.value ->> 2))"
      + ", 0) FROM " + CheckpointSql.CHECKPOINTS + " c CROSS JOIN LATERAL json_each(c." + COLUMN + "::json) e "
      + "WHERE c.thread_id = $1) + "
      + "(SELECT COALESCE(SUM(octet_length(thread_id) + octet_length(channel) + octet_length(version) "
      + "+ octet_length(kind) + COALESCE(octet_length(prev_version), 0) + octet_length(value)), 0) FROM "
      + CheckpointSql.BLOBS + " WHERE thread_id = $1) + "
      + "(SELECT COALESCE(SUM(octet_length(thread_id) + octet_length(checkpoint_id) + octet_length(task_id) "
      + "+ octet_length(node) + octet_length(channel) + octet_length(value)), 0) FROM " + CheckpointSql.WRITES_TABLE
      + " WHERE thread_id = $1) AS bytes";

  /**
   * How many characters of a put's blobs go into its row (its channel names and value texts, in channel order): a
   * blob that would take the row's blobs past it is written as a row of {@value CheckpointSql#BLOBS}, as before the
   * column. Reading a blob from a row parses the row's whole column ({@code ::json ->}), once per channel read there,
   * so the column is kept small: a large value (a long message list's full copy) costs one parse of itself where it
   * is read, not one per channel of its checkpoint, and the row stays under PostgreSQL's TOAST threshold (about 2 kB
   * a row, beside the row's other texts), so a row is never read out of line. 1,024 characters hold a typical step's
   * changed scalars and appended message.
   */
  static final int INLINE_CHARS = 1_024;

  /**
   * Encodes {@code save}'s rows for the PostgreSQL store, on the caller's thread: a put becomes one checkpoint row of
   * {@link #ROW_WIDTH} columns (its blobs that fit {@link #INLINE_CHARS} in the last, {@code null} when none does)
   * and blob rows for the others; pending writes keep their rows ({@link PendingSave#encode}).
   *
   * @return {@code save}
   * @throws RuntimeException when a value cannot be written as JSON
   */
  static PendingSave encode(PendingSave save) {
    save.encode();
    if (save.isPut()) {
      Object[] row = Arrays.copyOf(save.checkpointRow, ROW_WIDTH);
      List<Object[]> inline = save.blobRows;
      List<Object[]> apart = List.of();
      int chars = 0;
      for (int i = 0; i < save.blobRows.size(); i++) {
        Object[] blob = save.blobRows.get(i);
        chars += ((String) blob[1]).length() + ((String) blob[5]).length();
        if (chars > INLINE_CHARS) {
          // rare: split the rest into those that still fit and those that go apart
          inline = new java.util.ArrayList<>(save.blobRows.subList(0, i));
          apart = new java.util.ArrayList<>();
          chars -= ((String) blob[1]).length() + ((String) blob[5]).length();
          for (Object[] rest : save.blobRows.subList(i, save.blobRows.size())) {
            int size = ((String) rest[1]).length() + ((String) rest[5]).length();
            if (chars + size <= INLINE_CHARS) {
              inline.add(rest);
              chars += size;
            } else {
              apart.add(rest);
            }
          }
          break;
        }
      }
      row[ROW_WIDTH - 1] = text(inline);
      save.checkpointRow = row;
      save.blobRows = apart;
    }
    return save;
  }

  /**
   * The column's text of a put's blob rows ({@link CheckpointRows#blob}: thread, channel, version, kind, prev
   * version, value JSON), or {@code null} for none.
   */
  static String text(List<Object[]> blobRows) {
    if (blobRows.isEmpty()) {
      return null;
    }
    int size = 2;
    for (Object[] blob : blobRows) {
      size += ((String) blob[1]).length() + ((String) blob[5]).length() + 48;
    }
    StringBuilder out = new StringBuilder(size);
    out.append('{');
    for (int i = 0; i < blobRows.size(); i++) {
      Object[] blob = blobRows.get(i);
      if (i > 0) {
        out.append(',');
      }
      JsonText.string((String) blob[1], out);
      out.append(":[\"").append((String) blob[3]).append("\",");
      if (blob[4] == null) {
        out.append("null");
      } else {
        JsonText.string((String) blob[4], out);
      }
      out.append(',');
      JsonText.string((String) blob[5], out);
      out.append(']');
    }
    return out.append('}').toString();
  }
}
