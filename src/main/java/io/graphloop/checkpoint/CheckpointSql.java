package io.graphloop.checkpoint;

import java.util.List;

/**
 * The schema and statements of the SQL stores, written once for SQLite and PostgreSQL (both understand
 * {@code ON CONFLICT} upserts, recursive CTEs and {@code octet_length}). Statements use {@code ?} parameters;
 * {@link #numbered} turns them into PostgreSQL's {@code $1, $2, ...}. Tables are prefixed {@code graphloop_} so
 * they can share a database with LangGraph's own.
 *
 * <p>Key columns sort bytewise (PostgreSQL: {@code COLLATE "C"}, SQLite's default), so ordering by checkpoint
 * id is ordering by time whatever the database's locale.
 *
 * <p>Constants only; thread-safe.
 */
final class CheckpointSql {

  private CheckpointSql() {
  }

  static final String CHECKPOINTS = "graphloop_checkpoints";
  static final String BLOBS = "graphloop_checkpoint_blobs";
  static final String WRITES_TABLE = "graphloop_checkpoint_writes";
  /** Threads' own TTLs ({@link CheckpointStore#setThreadTtl}). */
  static final String THREAD_TTL = "graphloop_thread_ttl";
  /** The node cache's table ({@link SqlNodeCache}). */
  static final String NODE_CACHE = "graphloop_node_cache";

  /** Parameters: namespace, key. */
  static final String CACHE_GET = "SELECT value, expires_at FROM " + NODE_CACHE
      + " WHERE namespace = ? AND cache_key = ?";

  /** Parameters: namespace, key, value, expires at (ms; null: never). The newest entry has the greatest seq. */
  static final String CACHE_SET = "INSERT INTO " + NODE_CACHE + " (namespace, cache_key, value, expires_at, seq) "
      + "VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM " + NODE_CACHE + ")) "
      + "ON CONFLICT (namespace, cache_key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, "
      + "seq = excluded.seq";

  /** Parameters: now (ms). */
  static final String CACHE_EXPIRE = "DELETE FROM " + NODE_CACHE + " WHERE expires_at IS NOT NULL AND expires_at <= ?";

  /** Parameters: the most entries to keep. Removes the least recently stored beyond it. */
  static final String CACHE_EVICT = "DELETE FROM " + NODE_CACHE + " WHERE seq <= (SELECT seq FROM " + NODE_CACHE
      + " ORDER BY seq DESC LIMIT 1 OFFSET ?)";

  /** Parameters: namespace, key. */
  static final String CACHE_DELETE = "DELETE FROM " + NODE_CACHE + " WHERE namespace = ? AND cache_key = ?";

  /** Parameters: namespace. */
  static final String CACHE_CLEAR = "DELETE FROM " + NODE_CACHE + " WHERE namespace = ?";

  static final String CACHE_CLEAR_ALL = "DELETE FROM " + NODE_CACHE;

  static final String CACHE_SIZE = "SELECT COUNT(*) FROM " + NODE_CACHE;

  /** The schema; {@code %1$s} is the type of key columns. */
  private static final List<String> SCHEMA = List.of(
      "CREATE TABLE IF NOT EXISTS " + CHECKPOINTS + " (thread_id %1$s NOT NULL, checkpoint_id %1$s NOT NULL, "
          + "parent_id %1$s, step INTEGER NOT NULL, created_at TEXT NOT NULL, source TEXT NOT NULL, "
          + "metadata TEXT NOT NULL, channel_versions TEXT NOT NULL, next_tasks TEXT NOT NULL, "
          + "join_barriers TEXT NOT NULL, delta_depth TEXT NOT NULL, PRIMARY KEY (thread_id, checkpoint_id))",
      "CREATE TABLE IF NOT EXISTS " + BLOBS + " (thread_id %1$s NOT NULL, channel %1$s NOT NULL, "
          + "version %1$s NOT NULL, kind TEXT NOT NULL, prev_version %1$s, value TEXT NOT NULL, "
          + "PRIMARY KEY (%2$s))",
      "CREATE TABLE IF NOT EXISTS " + WRITES_TABLE + " (thread_id %1$s NOT NULL, checkpoint_id %1$s NOT NULL, "
          + "task_id %1$s NOT NULL, idx INTEGER NOT NULL, node TEXT NOT NULL, channel TEXT NOT NULL, "
          + "value TEXT NOT NULL, PRIMARY KEY (thread_id, checkpoint_id, task_id, idx))",
      "CREATE TABLE IF NOT EXISTS " + NODE_CACHE + " (namespace %1$s NOT NULL, cache_key %1$s NOT NULL, "
          + "value TEXT NOT NULL, expires_at BIGINT, seq BIGINT NOT NULL, PRIMARY KEY (namespace, cache_key))",
      "CREATE INDEX IF NOT EXISTS " + NODE_CACHE + "_seq ON " + NODE_CACHE + " (seq)",
      "CREATE INDEX IF NOT EXISTS " + NODE_CACHE + "_expires ON " + NODE_CACHE + " (expires_at)",
      "CREATE TABLE IF NOT EXISTS " + THREAD_TTL + " (thread_id %1$s PRIMARY KEY, strategy TEXT NOT NULL, "
          + "ttl_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL)",
      "CREATE INDEX IF NOT EXISTS " + THREAD_TTL + "_expires ON " + THREAD_TTL + " (expires_ms)");

  /** The blobs' primary key as LangGraph's savers order it: a channel's versions side by side. */
  static final String BLOB_KEY_BY_CHANNEL = "thread_id, channel, version";

  /**
   * The blobs' primary key with the blobs one checkpoint wrote side by side (SQLite's new files): a save's blob rows go
   * into one leaf page of the key's index instead of one page per channel, so a group commit of saves from thousands
   * of threads dirties (and logs) about one index page per save fewer per extra channel. The same equality lookups
   * and the same {@code ON CONFLICT (thread_id, channel, version)} work on both orders.
   */
  static final String BLOB_KEY_BY_VERSION = "thread_id, version, channel";

  /** The schema statements with {@code keyType} for key columns. */
  static List<String> schema(String keyType) {
    return schema(keyType, BLOB_KEY_BY_CHANNEL);
  }

  /**
   * The schema statements with {@code keyType} for key columns and {@code blobKey} ({@link #BLOB_KEY_BY_CHANNEL} or
   * {@link #BLOB_KEY_BY_VERSION}) as the blobs' primary key (a table that exists keeps the key it was made with).
   */
  static List<String> schema(String keyType, String blobKey) {
    return SCHEMA.stream().map(s -> String.format(s, keyType, blobKey)).toList();
  }

  static final String CHECKPOINT_COLUMNS = "thread_id, checkpoint_id, parent_id, step, created_at, source, "
      + "metadata, channel_versions, next_tasks, join_barriers, delta_depth";

  static final String UPSERT_CHECKPOINT = "INSERT INTO " + CHECKPOINTS + " (" + CHECKPOINT_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (thread_id, checkpoint_id) DO UPDATE SET "
      + "parent_id = excluded.parent_id, step = excluded.step, created_at = excluded.created_at, "
      + "source = excluded.source, metadata = excluded.metadata, channel_versions = excluded.channel_versions, "
      + "next_tasks = excluded.next_tasks, join_barriers = excluded.join_barriers, "
      + "delta_depth = excluded.delta_depth";

  static final String UPSERT_BLOB = "INSERT INTO " + BLOBS
      + " (thread_id, channel, version, kind, prev_version, value) VALUES (?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (thread_id, channel, version) DO UPDATE SET kind = excluded.kind, "
      + "prev_version = excluded.prev_version, value = excluded.value";

  static final String INSERT_WRITE = "INSERT INTO " + WRITES_TABLE
      + " (thread_id, checkpoint_id, task_id, idx, node, channel, value) VALUES (?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (thread_id, checkpoint_id, task_id, idx) DO UPDATE SET node = excluded.node, "
      + "channel = excluded.channel, value = excluded.value WHERE excluded.idx < 0";

  static final String LATEST = "SELECT " + CHECKPOINT_COLUMNS + " FROM " + CHECKPOINTS
      + " WHERE thread_id = ? ORDER BY checkpoint_id DESC LIMIT 1";

  /** Threads whose newest checkpoint id is below a floor. Parameters: floor id, limit. */
  static final String IDLE_THREADS = "SELECT thread_id FROM " + CHECKPOINTS + " WHERE thread_id NOT IN "
      + "(SELECT thread_id FROM " + THREAD_TTL + ") GROUP BY thread_id HAVING MAX(checkpoint_id) < ? LIMIT ?";

  /** Parameters: thread, strategy, TTL (ms), deadline (ms). */
  static final String SET_TTL = "INSERT INTO " + THREAD_TTL + " (thread_id, strategy, ttl_ms, expires_ms) "
      + "VALUES (?, ?, ?, ?) ON CONFLICT (thread_id) DO UPDATE SET strategy = excluded.strategy, "
      + "ttl_ms = excluded.ttl_ms, expires_ms = excluded.expires_ms";

  /** Parameter: thread. */
  static final String DELETE_TTL = "DELETE FROM " + THREAD_TTL + " WHERE thread_id = ?";

  /** Parameter: thread. */
  static final String GET_TTL = "SELECT thread_id, strategy, ttl_ms, expires_ms FROM " + THREAD_TTL
      + " WHERE thread_id = ?";

  /** TTL rows due, with each thread's head, earliest deadline first. Parameters: now (ms), limit. */
  static final String TTL_CANDIDATES = "SELECT t.thread_id, t.strategy, t.ttl_ms, t.expires_ms, "
      + "(SELECT c.checkpoint_id FROM " + CHECKPOINTS + " c WHERE c.thread_id = t.thread_id "
      + "ORDER BY c.checkpoint_id DESC LIMIT 1) FROM " + THREAD_TTL + " t WHERE t.expires_ms <= ? "
      + "ORDER BY t.expires_ms LIMIT ?";

  /** Parameters: deadline (ms), thread. */
  static final String MOVE_TTL = "UPDATE " + THREAD_TTL + " SET expires_ms = ? WHERE thread_id = ?";

  /** The thread's head: its newest checkpoint id (NULL when it has none). Parameter: thread. */
  static final String HEAD = "SELECT MAX(checkpoint_id) FROM " + CHECKPOINTS + " WHERE thread_id = ?";

  static final String GET = "SELECT " + CHECKPOINT_COLUMNS + " FROM " + CHECKPOINTS
      + " WHERE thread_id = ? AND checkpoint_id = ?";

  /** Parameters: thread, limit. */
  static final String LIST = "SELECT " + CHECKPOINT_COLUMNS + " FROM " + CHECKPOINTS
      + " WHERE thread_id = ? ORDER BY checkpoint_id DESC LIMIT ?";

  /** Parameters: thread, before, limit. */
  static final String LIST_BEFORE = "SELECT " + CHECKPOINT_COLUMNS + " FROM " + CHECKPOINTS
      + " WHERE thread_id = ? AND checkpoint_id < ? ORDER BY checkpoint_id DESC LIMIT ?";

  /** Parameters: thread, parent id, parent id. Oldest first; a child's id is greater than its parent's. */
  static final String CHILDREN = "SELECT " + CHECKPOINT_COLUMNS + " FROM " + CHECKPOINTS
      + " WHERE thread_id = ? AND checkpoint_id > ? AND parent_id = ? ORDER BY checkpoint_id";

  /** Parameters: thread, channel, version, thread. Newest first; stops after the first FULL blob. */
  static final String CHAIN = "WITH RECURSIVE chain (channel, version, kind, prev_version, value, depth) AS ("
      + "SELECT channel, version, kind, prev_version, value, 0 FROM " + BLOBS
      + " WHERE thread_id = ? AND channel = ? AND version = ? "
      + "UNION ALL SELECT b.channel, b.version, b.kind, b.prev_version, b.value, c.depth + 1 FROM " + BLOBS
      + " b JOIN chain c ON b.thread_id = ? AND b.channel = c.channel AND b.version = c.prev_version "
      + "WHERE c.kind = 'APPEND') "
      + "SELECT channel, version, kind, prev_version, value FROM chain ORDER BY depth";

  static final String WRITES = "SELECT thread_id, checkpoint_id, task_id, idx, node, channel, value FROM "
      + WRITES_TABLE + " WHERE thread_id = ? AND checkpoint_id = ? ORDER BY task_id, idx";

  static final List<String> DELETE_THREAD = List.of(
      DELETE_TTL,
      "DELETE FROM " + WRITES_TABLE + " WHERE thread_id = ?",
      "DELETE FROM " + BLOBS + " WHERE thread_id = ?",
      "DELETE FROM " + CHECKPOINTS + " WHERE thread_id = ?");

  /** Parameters: thread, checkpoint id. One checkpoint's writes, the blobs it introduced, and its row. */
  static final List<String> DELETE_CHECKPOINT = List.of(
      "DELETE FROM " + WRITES_TABLE + " WHERE thread_id = ? AND checkpoint_id = ?",
      "DELETE FROM " + BLOBS + " WHERE thread_id = ? AND version = ?",
      "DELETE FROM " + CHECKPOINTS + " WHERE thread_id = ? AND checkpoint_id = ?");

  /** Threads with more checkpoints than a count. Parameters: count, limit. */
  static final String THREADS_OVER = "SELECT thread_id FROM " + CHECKPOINTS + " GROUP BY thread_id "
      + "HAVING COUNT(*) > ? LIMIT ?";

  /** Pruning: one checkpoint's pending writes, then its row. Parameters: thread, checkpoint id. */
  static final List<String> DELETE_CHECKPOINT_KEEPING_BLOBS = List.of(DELETE_CHECKPOINT.get(0),
      DELETE_CHECKPOINT.get(2));

  /** Pruning: one blob. Parameters: thread, channel, version. */
  static final String DELETE_BLOB = "DELETE FROM " + BLOBS + " WHERE thread_id = ? AND channel = ? AND version = ?";

  /** Parameters: thread, thread, thread. The measure of {@link CheckpointStore#storedBytes}. */
  static final String STORED_BYTES = "SELECT "
      + "(SELECT COALESCE(SUM(octet_length(thread_id) + octet_length(checkpoint_id) "
      + "+ COALESCE(octet_length(parent_id), 0) + octet_length(created_at) + octet_length(source) "
      + "+ octet_length(metadata) + octet_length(channel_versions) + octet_length(next_tasks) "
      + "+ octet_length(join_barriers) + octet_length(delta_depth)), 0) FROM " + CHECKPOINTS
      + " WHERE thread_id = ?) + "
      + "(SELECT COALESCE(SUM(octet_length(thread_id) + octet_length(channel) + octet_length(version) "
      + "+ octet_length(kind) + COALESCE(octet_length(prev_version), 0) + octet_length(value)), 0) FROM " + BLOBS
      + " WHERE thread_id = ?) + "
      + "(SELECT COALESCE(SUM(octet_length(thread_id) + octet_length(checkpoint_id) + octet_length(task_id) "
      + "+ octet_length(node) + octet_length(channel) + octet_length(value)), 0) FROM " + WRITES_TABLE
      + " WHERE thread_id = ?) AS bytes";

  /** {@code sql} with its {@code ?} parameters numbered {@code $1, $2, ...} (PostgreSQL). */
  static String numbered(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 16);
    int n = 0;
    boolean quoted = false;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      }
      if (c == '?' && !quoted) {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
