package io.graphloop.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQLite store's table layout (one row per save) and the migration of files written with the earlier layout.
 *
 * <p>A checkpoint row is {@code (thread_id, checkpoint_id, parent_id, record)}: the key, the parent (for
 * {@link CheckpointStore#children}) and a {@link SqliteRecord} holding everything else, including the blobs the
 * checkpoint introduced. {@value CheckpointSql#BLOBS} keeps only the blobs whose checkpoint row is gone while later
 * checkpoints still read them (pruning moves them there) and those of files migrated without their row; a blob is read
 * from its checkpoint's record first, then from that table. Pending writes, TTLs and the node cache keep their tables.
 *
 * <p>Migration: a file whose {@value CheckpointSql#CHECKPOINTS} still has the earlier columns (checkpoint texts in
 * columns of their own, blobs in rows of their own) is rewritten when the store opens, in one transaction (a crash
 * meanwhile leaves the earlier layout untouched, and the next open migrates again): each checkpoint row becomes a row
 * of this layout holding its blobs, copied text for text (no value is decoded), and the blobs moved into rows leave
 * the blobs table. It is one-way: an earlier Graphloop cannot read the file afterwards.
 *
 * <p>Constants and static methods; the methods block (JDBC): call them on the store's worker only.
 */
final class SqliteLayout {

  private SqliteLayout() {
  }

  /** The checkpoints table of this layout. */
  private static final String CHECKPOINTS_DDL = "CREATE TABLE IF NOT EXISTS " + CheckpointSql.CHECKPOINTS
      + " (thread_id TEXT NOT NULL, checkpoint_id TEXT NOT NULL, parent_id TEXT, record BLOB NOT NULL, "
      + "PRIMARY KEY (thread_id, checkpoint_id))";

  /** The schema of a new file: this checkpoints table, then the shared tables (blobs keyed by version first). */
  static List<String> schema() {
    List<String> schema = new ArrayList<>();
    schema.add(CHECKPOINTS_DDL);
    for (String ddl : CheckpointSql.schema("TEXT", CheckpointSql.BLOB_KEY_BY_VERSION)) {
      if (!ddl.contains("TABLE IF NOT EXISTS " + CheckpointSql.CHECKPOINTS + " ")) {
        schema.add(ddl);
      }
    }
    return schema;
  }

  static final String ROW_COLUMNS = "thread_id, checkpoint_id, parent_id, record";

  /** Parameters: thread, checkpoint id, parent id, record. */
  static final String UPSERT = "INSERT INTO " + CheckpointSql.CHECKPOINTS + " (" + ROW_COLUMNS
      + ") VALUES (?, ?, ?, ?) ON CONFLICT (thread_id, checkpoint_id) DO UPDATE SET parent_id = excluded.parent_id, "
      + "record = excluded.record";

  /** Parameter: thread. */
  static final String LATEST = "SELECT " + ROW_COLUMNS + " FROM " + CheckpointSql.CHECKPOINTS
      + " WHERE thread_id = ? ORDER BY checkpoint_id DESC LIMIT 1";

  /** Parameters: thread, checkpoint id. */
  static final String GET = "SELECT " + ROW_COLUMNS + " FROM " + CheckpointSql.CHECKPOINTS
      + " WHERE thread_id = ? AND checkpoint_id = ?";

  /** Parameters: thread, checkpoint id. */
  static final String RECORD = "SELECT record FROM " + CheckpointSql.CHECKPOINTS
      + " WHERE thread_id = ? AND checkpoint_id = ?";

  /** Parameters: thread, limit. */
  static final String LIST = "SELECT " + ROW_COLUMNS + " FROM " + CheckpointSql.CHECKPOINTS
      + " WHERE thread_id = ? ORDER BY checkpoint_id DESC LIMIT ?";

  /** Parameters: thread, before, limit. */
  static final String LIST_BEFORE = "SELECT " + ROW_COLUMNS + " FROM " + CheckpointSql.CHECKPOINTS
      + " WHERE thread_id = ? AND checkpoint_id < ? ORDER BY checkpoint_id DESC LIMIT ?";

  /** Parameters: thread, parent id, parent id. Oldest first. */
  static final String CHILDREN = "SELECT " + ROW_COLUMNS + " FROM " + CheckpointSql.CHECKPOINTS
      + " WHERE thread_id = ? AND checkpoint_id > ? AND parent_id = ? ORDER BY checkpoint_id";

  /** A blob kept apart from its checkpoint's row. Parameters: thread, channel, version. */
  static final String BLOB = "SELECT kind, prev_version, value FROM " + CheckpointSql.BLOBS
      + " WHERE thread_id = ? AND channel = ? AND version = ?";

  /** Pruning keeps a blob of a deleted row. Parameters: thread, channel, version, kind, prev version, value. */
  static final String KEEP_BLOB = "INSERT OR REPLACE INTO " + CheckpointSql.BLOBS
      + " (thread_id, channel, version, kind, prev_version, value) VALUES (?, ?, ?, ?, ?, ?)";

  /** Parameter: thread. The rows whose records {@link SqliteRecord#textBytes} measures. */
  static final String THREAD_ROWS = "SELECT " + ROW_COLUMNS + " FROM " + CheckpointSql.CHECKPOINTS
      + " WHERE thread_id = ?";

  /** Parameters: thread, thread. The stored bytes of the blobs kept apart and of the pending writes. */
  static final String OTHER_BYTES = "SELECT "
      + "(SELECT COALESCE(SUM(octet_length(thread_id) + octet_length(channel) + octet_length(version) "
      + "+ octet_length(kind) + COALESCE(octet_length(prev_version), 0) + octet_length(value)), 0) FROM "
      + CheckpointSql.BLOBS + " WHERE thread_id = ?) + "
      + "(SELECT COALESCE(SUM(octet_length(thread_id) + octet_length(checkpoint_id) + octet_length(task_id) "
      + "+ octet_length(node) + octet_length(channel) + octet_length(value)), 0) FROM " + CheckpointSql.WRITES_TABLE
      + " WHERE thread_id = ?) AS bytes";

  /** Whether the file's checkpoints table has the earlier layout (a {@code metadata} column). */
  static boolean isEarlierLayout(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery("SELECT 1 FROM pragma_table_info('" + CheckpointSql.CHECKPOINTS
             + "') WHERE name = 'metadata'")) {
      return rs.next();
    }
  }

  /**
   * Migrates a file of the earlier layout, in one transaction; does nothing on a file of this layout.
   *
   * @return the number of checkpoint rows migrated (-1: the file had this layout already)
   */
  static long migrate(Connection connection) throws SQLException {
    if (!isEarlierLayout(connection)) {
      return -1;
    }
    String earlier = CheckpointSql.CHECKPOINTS + "_earlier";
    String byVersion = CheckpointSql.BLOBS + "_by_version";
    long[] rows = {0};
    SqliteStatements.inTransaction(connection, () -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("ALTER TABLE " + CheckpointSql.CHECKPOINTS + " RENAME TO " + earlier);
        statement.execute(CHECKPOINTS_DDL);
        // the earlier blob key may be (thread, channel, version): index the lookup by checkpoint for the copy
        statement.execute("CREATE INDEX " + byVersion + " ON " + CheckpointSql.BLOBS + " (thread_id, version)");
        try (PreparedStatement blobs = connection.prepareStatement("SELECT channel, kind, prev_version, value FROM "
                 + CheckpointSql.BLOBS + " WHERE thread_id = ? AND version = ? ORDER BY channel");
             PreparedStatement insert = connection.prepareStatement(UPSERT);
             ResultSet rs = statement.executeQuery("SELECT thread_id, checkpoint_id, parent_id, step, created_at, "
                 + "source, metadata, channel_versions, next_tasks, join_barriers, delta_depth FROM " + earlier)) {
          while (rs.next()) {
            String thread = rs.getString(1);
            String id = rs.getString(2);
            String[] texts = new String[7];
            for (int i = 0; i < 7; i++) {
              texts[i] = rs.getString(5 + i);
            }
            List<String[]> blobTexts = new ArrayList<>();
            blobs.setString(1, thread);
            blobs.setString(2, id);
            try (ResultSet b = blobs.executeQuery()) {
              while (b.next()) {
                blobTexts.add(new String[] {b.getString(1), b.getString(2), b.getString(3), b.getString(4)});
              }
            }
            insert.setString(1, thread);
            insert.setString(2, id);
            insert.setString(3, rs.getString(3));
            insert.setBytes(4, SqliteRecord.encode(rs.getInt(4), texts, blobTexts));
            insert.executeUpdate();
            rows[0]++;
          }
        }
        statement.execute("DELETE FROM " + CheckpointSql.BLOBS + " WHERE EXISTS (SELECT 1 FROM "
            + CheckpointSql.CHECKPOINTS + " c WHERE c.thread_id = " + CheckpointSql.BLOBS + ".thread_id AND "
            + "c.checkpoint_id = " + CheckpointSql.BLOBS + ".version)");
        statement.execute("DROP INDEX " + byVersion);
        statement.execute("DROP TABLE " + earlier);
      }
    });
    return rows[0];
  }
}
