package io.graphloop.checkpoint;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQLite store's reads and its pruning's row work in the one-row-per-save layout ({@link SqliteLayout}):
 * checkpoints decoded from their rows' records, channel chains walked record by record (a blob from its checkpoint's
 * record, else from the blobs kept apart), the stored-bytes measure, and the moving of a pruned row's still-read blobs
 * into the blobs table. Every read is bounded: by the caller's limit (lists), by one thread (stored bytes, streamed
 * row by row), or by the chain's length (a chain read stops at its first full value, and refuses a cycle).
 *
 * <p>Thread rules: used only on the store's single worker thread (it binds the store's prepared statements).
 */
final class SqliteReads {

  private final SqliteBatchWriter.Statements statements;

  SqliteReads(SqliteBatchWriter.Statements statements) {
    this.statements = statements;
  }

  /** The checkpoints of a query selecting {@link SqliteLayout#ROW_COLUMNS}. */
  List<CheckpointRecord> checkpoints(String sql, Object... params) throws Exception {
    List<CheckpointRecord> records = new ArrayList<>();
    try (ResultSet rs = statements.bind(sql, params).executeQuery()) {
      while (rs.next()) {
        records.add(SqliteRecord.checkpoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
      }
    }
    return records;
  }

  /**
   * The rows of a run's start, as read: the thread's newest checkpoint row, the texts of each of its channels' chains
   * and its pending writes; {@code null} when the thread has no checkpoint. Nothing is parsed as JSON here but the
   * channel versions (the walk needs them): {@link Start#decode()} parses the rest on the caller's thread, so the
   * store's one thread spends on a start only its primary-key reads. The blobs the newest checkpoint introduced come
   * from the row already read.
   */
  Start latestStored(String threadId, Writes writes) throws Exception {
    String checkpointId;
    String parentId;
    byte[] bytes;
    try (ResultSet rs = statements.bind(SqliteLayout.LATEST, threadId).executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      checkpointId = rs.getString(2);
      parentId = rs.getString(3);
      bytes = rs.getBytes(4);
    }
    Map<String, Object> versions = CheckpointJson.decodeMap(SqliteRecord.channelVersionsText(threadId, checkpointId,
        bytes), "the channel versions of checkpoint " + checkpointId + " of thread '" + threadId + "'");
    Map<String, byte[]> records = new HashMap<>();
    records.put(checkpointId, bytes);
    Map<String, List<Link>> chains = new LinkedHashMap<>();
    for (Map.Entry<String, Object> channel : versions.entrySet()) {
      chains.put(channel.getKey(), links(threadId, channel.getKey(), String.valueOf(channel.getValue()), records));
    }
    return new Start(threadId, checkpointId, parentId, bytes, chains, writes.of(threadId, checkpointId));
  }

  /** Reads a checkpoint's pending writes. */
  interface Writes {
    List<WriteRecord> of(String threadId, String checkpointId) throws Exception;
  }

  /** One blob of a chain as stored: its version and texts (kind, prev_version, value). */
  record Link(String version, String[] texts) {
  }

  /** A run start's rows as read by {@link #latestStored}; {@link #decode()} makes the records (any thread). */
  record Start(String threadId, String checkpointId, String parentId, byte[] record, Map<String, List<Link>> chains,
               List<WriteRecord> writes) {

    StoredCheckpoint decode() throws Exception {
      CheckpointRecord checkpoint = SqliteRecord.checkpoint(threadId, checkpointId, parentId, record);
      Map<String, List<BlobRecord>> decoded = new LinkedHashMap<>();
      for (String channel : checkpoint.channelVersions().keySet()) {
        List<Link> links = chains.getOrDefault(channel, List.of());
        List<BlobRecord> chain = new ArrayList<>(links.size());
        for (Link link : links) {
          chain.add(SqliteRecord.blob(threadId, channel, link.version(), link.texts()));
        }
        decoded.put(channel, chain);
      }
      return new StoredCheckpoint(checkpoint, decoded, writes);
    }
  }

  /**
   * The chain of {@code channel} at {@code version}, newest first, ending at its first full value (as
   * {@link CheckpointStore#chain}); empty when that blob is not stored.
   *
   * @param records records already read in this call, by checkpoint id (added to as the walk reads more)
   */
  List<BlobRecord> chain(String threadId, String channel, String version, Map<String, byte[]> records)
      throws Exception {
    List<BlobRecord> chain = new ArrayList<>();
    for (Link link : links(threadId, channel, version, records)) {
      chain.add(SqliteRecord.blob(threadId, channel, link.version(), link.texts()));
    }
    return chain;
  }

  /** {@link #chain}'s blobs as stored texts (no JSON parsed). */
  private List<Link> links(String threadId, String channel, String version, Map<String, byte[]> records)
      throws Exception {
    List<Link> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String at = version;
    while (at != null) {
      if (!seen.add(at)) {
        throw new IllegalStateException("The chain of channel '" + channel + "' of thread '" + threadId
            + "' from version " + version + " loops back to version " + at + ": the file is damaged");
      }
      String[] texts = blobTexts(threadId, channel, at, records);
      if (texts == null) {
        break;
      }
      chain.add(new Link(at, texts));
      at = BlobRecord.Kind.APPEND.name().equals(texts[0]) ? texts[1] : null;
    }
    return chain;
  }

  /**
   * One blob's texts (kind, prev_version, value): from its checkpoint's record, else from the blobs kept apart;
   * {@code null} when neither has it.
   */
  private String[] blobTexts(String threadId, String channel, String version, Map<String, byte[]> records)
      throws Exception {
    byte[] record = records.get(version);
    if (record == null && !records.containsKey(version)) {
      try (ResultSet rs = statements.bind(SqliteLayout.RECORD, threadId, version).executeQuery()) {
        record = rs.next() ? rs.getBytes(1) : null;
      }
      records.put(version, record);
    }
    if (record != null) {
      String[] texts = SqliteRecord.blobTexts(threadId, version, record, channel);
      if (texts != null) {
        return texts;
      }
    }
    try (ResultSet rs = statements.bind(SqliteLayout.BLOB, threadId, channel, version).executeQuery()) {
      return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
    }
  }

  /** {@link CheckpointStore#storedBytes}: the thread's rows streamed one by one, then the other tables in SQL. */
  long storedBytes(String threadId) throws Exception {
    long bytes = 0;
    try (ResultSet rs = statements.bind(SqliteLayout.THREAD_ROWS, threadId).executeQuery()) {
      while (rs.next()) {
        bytes += SqliteRecord.textBytes(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4));
      }
    }
    try (ResultSet rs = statements.bind(SqliteLayout.OTHER_BYTES, threadId, threadId).executeQuery()) {
      return bytes + (rs.next() ? rs.getLong(1) : 0L);
    }
  }

  /**
   * Before a pruned checkpoint's row is deleted: copies the blobs of its record that are not in {@code doomed} (blobs
   * of kept checkpoints' chains) into the blobs table, where later chain reads find them.
   *
   * @return how many blobs were kept apart
   */
  int keepBlobs(String threadId, String checkpointId, Set<CheckpointPruning.BlobKey> doomed) throws Exception {
    byte[] record;
    try (ResultSet rs = statements.bind(SqliteLayout.RECORD, threadId, checkpointId).executeQuery()) {
      record = rs.next() ? rs.getBytes(1) : null;
    }
    if (record == null) {
      return 0;
    }
    int kept = 0;
    for (String[] blob : SqliteRecord.blobTexts(threadId, checkpointId, record)) {
      if (doomed.contains(new CheckpointPruning.BlobKey(blob[0], checkpointId))) {
        continue;
      }
      // the texts as stored (no value decoded and encoded again): channel, kind, prev_version, value
      statements.bind(SqliteLayout.KEEP_BLOB, threadId, blob[0], checkpointId, blob[1], blob[2], blob[3])
          .executeUpdate();
      kept++;
    }
    return kept;
  }
}
