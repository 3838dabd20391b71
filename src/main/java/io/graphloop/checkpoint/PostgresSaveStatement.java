package io.graphloop.checkpoint;

import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one statement that writes a whole batch of a {@link PostgresBatchWriter}: the rows of each table go as one
 * array per column ({@code SELECT unnest($1::text[]), unnest($2::text[]), ...}), so a batch of any size is one
 * statement execution of 25 parameters, where a batch statement ({@code executeBatch}) costs a bind, an execution
 * and a result per row on the client and on the server. A put is one checkpoint row, its small blobs in the row's
 * {@code blobs} column ({@link PostgresBlobs}), a large one a row of the blobs table; the three inserts (checkpoints,
 * large blobs, pending writes) are one statement, the first two data-modifying {@code WITH} clauses; they run as one
 * unit (all or nothing) in the batch's transaction.
 *
 * <p>Each array is unnested in the select list ({@link #unnest}: PostgreSQL's {@code ProjectSet}, which hands each
 * row to the insert as it makes it and steps the arrays together, a row per index), not as one multi-argument
 * {@code FROM unnest(a, b, ...)}: that is a function scan, which first copies every row of the batch into a
 * tuplestore and reads them back. The rows are the same (the arrays of one table have one length). Measured by the
 * server process's CPU time around the statement (a 512-save batch on 10,000 threads of 30 checkpoints, PostgreSQL
 * 15): 41.0 -> 35.2 us per save (median of 30 batches each, alternated), BENCHMARKS.md, issue 18.
 *
 * <p>An {@code INSERT ... ON CONFLICT DO UPDATE} may not touch one row twice, where one statement per row could: so
 * when a batch holds two rows of one key (the same checkpoint put twice, or one task's write given twice), the rows
 * are first reduced to what those statements, run in order, would have left: the last checkpoint row of a key wins
 * (a put replaces, its blobs with it), the first write of a (task, index) wins unless its index is negative (a special
 * write, which replaces), as {@link CheckpointSql#INSERT_WRITE} does against the stored rows.
 *
 * <p>Stateless apart from the rows being collected; one instance per batch, used by one thread.
 */
final class PostgresSaveStatement {

  private static final String CHECKPOINT_TYPES = "$1::text[], $2::text[], $3::text[], $4::int[], $5::text[], "
      + "$6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[]";
  private static final String BLOB_TYPES = "$13::text[], $14::text[], $15::text[], $16::text[], $17::text[], "
      + "$18::text[]";
  private static final String WRITE_TYPES = "$19::text[], $20::text[], $21::text[], $22::int[], $23::text[], "
      + "$24::text[], $25::text[]";

  /**
   * The statement: 12 checkpoint columns (the last its small blobs), 6 columns of the blobs too large for the row
   * ({@link PostgresBlobs#INLINE_CHARS}), 7 write columns, each an array.
   */
  static final String SQL = statement(
      CheckpointSql.UPSERT_CHECKPOINT.substring(CheckpointSql.UPSERT_CHECKPOINT.indexOf(" ON CONFLICT")) + ", "
          + PostgresBlobs.COLUMN + " = excluded." + PostgresBlobs.COLUMN,
      CheckpointSql.UPSERT_BLOB.substring(CheckpointSql.UPSERT_BLOB.indexOf(" ON CONFLICT")));

  /**
   * {@link #SQL} with a plain insert of the checkpoint rows (no {@code ON CONFLICT}): what a batch is written
   * with first (its rows hold no key twice: {@link #params} keeps one row per key). An upsert is a speculative
   * insertion, which costs PostgreSQL a third WAL record per row (heap insert, index insert, confirm) and the
   * speculative-token dance on every row (BENCHMARKS.md, issue 18). A row whose key is already stored fails it with a
   * unique violation, and {@link PostgresBatchWriter} then writes the batch again, in a new transaction, with
   * {@link #SQL}: the outcome is the upsert's either way. Pending writes keep their {@code ON CONFLICT} (one task's
   * writes are given again on a retry; a special write replaces).
   */
  static final String INSERT_SQL = statement("", "");

  /** SQLSTATE {@code unique_violation}: a plain insert ({@link #INSERT_SQL}) met a stored key. */
  static final String UNIQUE_VIOLATION = "23505";

  private static String statement(String checkpointConflict, String blobConflict) {
    return "WITH checkpoints AS (INSERT INTO " + CheckpointSql.CHECKPOINTS + " (" + PostgresBlobs.ROW_COLUMNS
        + ") " + unnest(CHECKPOINT_TYPES) + checkpointConflict + "), "
        + "blobs AS (INSERT INTO " + CheckpointSql.BLOBS + " (thread_id, channel, version, kind, prev_version, "
        + "value) " + unnest(BLOB_TYPES) + blobConflict + ") "
        + "INSERT INTO " + CheckpointSql.WRITES_TABLE + " (thread_id, checkpoint_id, task_id, idx, node, channel, "
        + "value) " + unnest(WRITE_TYPES) + " "
        + CheckpointSql.INSERT_WRITE.substring(CheckpointSql.INSERT_WRITE.indexOf(" ON CONFLICT"));
  }

  /** {@code SELECT unnest(a), unnest(b), ...} of the typed parameters {@code types} ("$1::text[], $2::int[], ..."). */
  static String unnest(String types) {
    StringBuilder select = new StringBuilder("SELECT ");
    String[] parameters = types.split(", ");
    for (int i = 0; i < parameters.length; i++) {
      select.append(i == 0 ? "" : ", ").append("unnest(").append(parameters[i]).append(')');
    }
    return select.toString();
  }

  private static final int CHECKPOINT_WIDTH = PostgresBlobs.ROW_WIDTH;
  private static final int BLOB_WIDTH = 6;
  private static final int WRITE_WIDTH = 7;

  private final List<Object[]> checkpoints = new ArrayList<>();
  private final List<Object[]> blobs = new ArrayList<>();
  private final List<Object[]> writes = new ArrayList<>();
  private final Set<String> threads = new HashSet<>();
  /** Whether a thread gave more than one save: then rows may repeat a key. */
  private boolean repeated;

  /**
   * Adds a save's rows ({@link PostgresBlobs#encode}: a put's checkpoint row holds its small blobs, {@code blobRows}
   * the others; the row is left out when {@code checkpointRow} is null).
   */
  void add(String threadId, Object[] checkpointRow, List<Object[]> blobRows, List<Object[]> writeRows) {
    repeated |= !threads.add(threadId) || writeRows.size() > 1;
    if (checkpointRow != null) {
      checkpoints.add(checkpointRow);
    }
    blobs.addAll(blobRows);
    writes.addAll(writeRows);
  }

  /** Whether there is nothing to write. */
  boolean isEmpty() {
    return checkpoints.isEmpty() && blobs.isEmpty() && writes.isEmpty();
  }

  /** The statement's 25 parameters: one array per column. */
  Tuple params() {
    List<Object[]> c = checkpoints;
    List<Object[]> b = blobs;
    List<Object[]> w = writes;
    if (repeated) {
      c = lastOfEachKey(checkpoints, 2);
      b = lastOfEachKey(blobs, 3);
      w = writesAsStored(writes);
    }
    Object[] params = new Object[CHECKPOINT_WIDTH + BLOB_WIDTH + WRITE_WIDTH];
    columns(c, CHECKPOINT_WIDTH, 3, params, 0);
    columns(b, BLOB_WIDTH, -1, params, CHECKPOINT_WIDTH);
    columns(w, WRITE_WIDTH, 3, params, CHECKPOINT_WIDTH + BLOB_WIDTH);
    return Tuple.wrap(params);
  }

  /** Transposes rows into one array per column; column {@code intColumn} is an {@code Integer[]}, others text. */
  private static void columns(List<Object[]> rows, int width, int intColumn, Object[] params, int at) {
    int n = rows.size();
    for (int column = 0; column < width; column++) {
      Object[] values = column == intColumn ? new Integer[n] : new String[n];
      for (int i = 0; i < n; i++) {
        values[i] = rows.get(i)[column];
      }
      params[at + column] = values;
    }
  }

  /** The rows with the last of each key (its first {@code keyColumns} columns), in order of first appearance. */
  private static List<Object[]> lastOfEachKey(List<Object[]> rows, int keyColumns) {
    Map<List<Object>, Object[]> byKey = new LinkedHashMap<>();
    for (Object[] row : rows) {
      byKey.put(List.of(java.util.Arrays.copyOf(row, keyColumns)), row);
    }
    return new ArrayList<>(byKey.values());
  }

  /**
   * The write rows one statement per row would have left: per (thread, checkpoint, task, index) the first, or the
   * last when the index is negative (a special write replaces).
   */
  private static List<Object[]> writesAsStored(List<Object[]> rows) {
    Map<List<Object>, Object[]> byKey = new HashMap<>();
    List<List<Object>> order = new ArrayList<>();
    for (Object[] row : rows) {
      List<Object> key = List.of(row[0], row[1], row[2], row[3]);
      Object[] before = byKey.get(key);
      if (before == null) {
        order.add(key);
        byKey.put(key, row);
      } else if ((Integer) row[3] < 0) {
        byKey.put(key, row);
      }
    }
    List<Object[]> kept = new ArrayList<>(order.size());
    order.forEach(key -> kept.add(byKey.get(key)));
    return kept;
  }
}
