package io.graphloop.checkpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The row form of the records, shared by the SQL stores and by the memory store's byte count: which text and
 * integer each column holds, in the column order of {@link CheckpointSql}'s statements, and the way back from a
 * row (JDBC or Vert.x, behind {@link Columns}) to a record. JSON columns hold {@link CheckpointJson} text.
 *
 * <p>Stateless and thread-safe.
 */
final class CheckpointRows {

  private CheckpointRows() {
  }

  /** Reads one row's columns by name. */
  interface Columns {
    String text(String column) throws Exception;

    int integer(String column) throws Exception;
  }

  /**
   * The parameters of {@link CheckpointSql#UPSERT_CHECKPOINT}. The descriptions in error messages are made only when
   * a value cannot be written (this runs once per save: no string is built for nothing).
   */
  static Object[] checkpoint(CheckpointRecord r) {
    return new Object[] {r.threadId(), r.checkpointId(), r.parentId(), r.step(), InstantText.format(r.createdAt()),
        r.source().json(), CheckpointJson.encode(r.metadata(), () -> "the metadata of " + where(r)),
        CheckpointJson.encode(r.channelVersions(), () -> "the channel versions of " + where(r)),
        CheckpointJson.encode(r.nextTasks(), () -> "the next tasks of " + where(r)),
        CheckpointJson.encode(joinsColumn(r), () -> "the joins of " + where(r)),
        CheckpointJson.encode(r.deltaDepth(), () -> "the delta depths of " + where(r))};
  }

  /**
   * The key under which the {@code join_barriers} column also holds a record's {@link CheckpointRecord#taskResults()}
   * (so a save stays one row with the same statement; a row written before it has no such key and reads as no task
   * results; an older reader ignores the key, as it ignores any join it does not know).
   */
  static final String TASK_RESULTS_KEY = "__results__";

  /** What the {@code join_barriers} column holds: the joins, and the task results under {@link #TASK_RESULTS_KEY}. */
  static Map<String, Object> joinsColumn(CheckpointRecord r) {
    if (r.taskResults().isEmpty()) {
      return r.joins();
    }
    Map<String, Object> column = new java.util.LinkedHashMap<>(r.joins());
    column.put(TASK_RESULTS_KEY, r.taskResults());
    return column;
  }

  private static String where(CheckpointRecord r) {
    return "checkpoint " + r.checkpointId() + " of thread '" + r.threadId() + "'";
  }

  /** The parameters of {@link CheckpointSql#UPSERT_BLOB}. */
  static Object[] blob(BlobRecord b) {
    return new Object[] {b.threadId(), b.channel(), b.version(), b.kind().name(), b.prevVersion(),
        CheckpointJson.encode(b.value(), () -> "channel '" + b.channel() + "' at version " + b.version())};
  }

  /** The parameters of {@link CheckpointSql#INSERT_WRITE}. */
  static Object[] write(WriteRecord w) {
    return new Object[] {w.threadId(), w.checkpointId(), w.taskId(), w.index(), w.node(), w.channel(),
        CheckpointJson.encode(w.value(), () -> "the write " + w.index() + " of task '" + w.taskId() + "'")};
  }

  /** The UTF-8 bytes of a row's text columns (see {@link CheckpointStore#storedBytes}). */
  static long textBytes(Object[] row) {
    long bytes = 0;
    for (Object column : row) {
      if (column instanceof String) {
        bytes += CheckpointJson.utf8Bytes((String) column);
      }
    }
    return bytes;
  }

  /** A checkpoint from a row of {@link CheckpointSql#CHECKPOINT_COLUMNS}. */
  @SuppressWarnings("unchecked")
  static CheckpointRecord checkpoint(Columns row) throws Exception {
    String threadId = row.text("thread_id");
    String id = row.text("checkpoint_id");
    String where = "checkpoint " + id + " of thread '" + threadId + "'";
    Map<String, Object> joins = CheckpointJson.decodeMap(row.text("join_barriers"), "the joins of " + where);
    List<Object> taskResults = null;
    if (joins.containsKey(TASK_RESULTS_KEY)) {
      Object results = joins.get(TASK_RESULTS_KEY);
      if (!(results instanceof List)) {
        throw new IllegalArgumentException("The stored task results of " + where + " are not a JSON array");
      }
      taskResults = (List<Object>) results;
      joins = new java.util.LinkedHashMap<>(joins);
      joins.remove(TASK_RESULTS_KEY);
    }
    return new CheckpointRecord(threadId, id, row.text("parent_id"), row.integer("step"),
        Instant.parse(row.text("created_at")), CheckpointSource.of(row.text("source")),
        CheckpointJson.decodeMap(row.text("metadata"), "the metadata of " + where),
        (Map<String, String>) (Map<String, ?>) CheckpointJson.decodeMap(row.text("channel_versions"),
            "the channel versions of " + where),
        (List<Map<String, Object>>) (List<?>) CheckpointJson.list(
            CheckpointJson.decode(row.text("next_tasks"), "the next tasks of " + where), "the next tasks of " + where),
        joins,
        (Map<String, Integer>) (Map<String, ?>) CheckpointJson.decodeMap(row.text("delta_depth"),
            "the delta depths of " + where), taskResults);
  }

  /** A blob from a row of {@link CheckpointSql#CHAIN}. */
  static BlobRecord blob(String threadId, Columns row) throws Exception {
    String channel = row.text("channel");
    String version = row.text("version");
    return new BlobRecord(threadId, channel, version, BlobRecord.Kind.valueOf(row.text("kind")),
        row.text("prev_version"), CheckpointJson.decode(row.text("value"),
        "channel '" + channel + "' at version " + version + " of thread '" + threadId + "'"));
  }

  /** A write from a row of {@link CheckpointSql#WRITES}. */
  static WriteRecord write(Columns row) throws Exception {
    String taskId = row.text("task_id");
    return new WriteRecord(row.text("thread_id"), row.text("checkpoint_id"), taskId, row.text("node"),
        row.integer("idx"), row.text("channel"), CheckpointJson.decode(row.text("value"),
        "a pending write of task '" + taskId + "'"));
  }
}
