package io.graphloop.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Commits a batch of saves of a {@link SqliteCheckpointStore} in one transaction, at a small cost per save: the
 * heads of the batch's fenced threads come from memory when this writer knows them ({@link SqliteHeads}: it wrote or
 * read them, and no other connection has committed since, checked once per transaction with
 * {@code PRAGMA data_version}), and the others are read once for the whole batch (one statement); fencing is decided
 * in memory save by save (in order, so a put sees the puts before it in the batch), and the rows, encoded beforehand
 * on the callers' threads ({@link SqliteRecord#encode(PendingSave)}), are written with one prepared batch statement per
 * table. Per save that is one statement execution per row (a put is one row: its checkpoint with its blobs; a pending
 * write one row each), with no savepoint or head read of
 * its own; per batch, the data-version check, a head read only for threads whose head is not known, and one commit
 * (one fsync of the log under {@code synchronous=FULL}). The data-version check is the transaction's first statement,
 * so it fixes the transaction's snapshot (WAL mode): when another connection commits after it, SQLite refuses this
 * transaction's first write ({@code SQLITE_BUSY_SNAPSHOT}), and the batch's saves are committed alone, each reading
 * its head again, as for any failed statement below; so fencing never decides on a head older than what it writes on.
 *
 * <p>Failure: a put whose parent is not its thread's head at its turn is refused alone
 * ({@link ThreadTakenOverException}) and writes nothing, the rest of the batch commits. When a statement fails (a
 * row the database refuses), the whole transaction is rolled back and each save of the batch is then committed
 * alone, in order, in a transaction of its own, so the bad save fails alone with its own error, the others are
 * stored, and nothing of the bad one is visible. When the commit itself fails, every save of the batch fails with
 * that error and nothing of the batch is visible. A batch of one save is one plain transaction.
 *
 * <p>Thread rules: used only on the store's single worker thread (it uses the store's connection); {@link #stats()}
 * may be read from any thread.
 */
final class SqliteBatchWriter {

  /** Prepares (once) and binds a statement of the store's connection. */
  interface Statements {
    PreparedStatement bind(String sql, Object... params) throws SQLException;
  }

  /**
   * The heads of the threads in a JSON array (parameter 1): one row per thread, its id and its newest checkpoint id
   * (NULL when it has none), each found by one descent of the primary key's index whatever the thread's history.
   */
  static final String HEADS = "SELECT t.value, (SELECT c.checkpoint_id FROM " + CheckpointSql.CHECKPOINTS
      + " c WHERE c.thread_id = t.value ORDER BY c.checkpoint_id DESC LIMIT 1) FROM json_each(?) AS t";

  /** Whether another connection has committed since this one last looked (it changes only then). */
  static final String DATA_VERSION = "PRAGMA data_version";

  private final AbstractCheckpointStore store;
  private final Connection connection;
  private final Statements statements;
  /** The heads this writer knows. */
  private final SqliteHeads known;
  /** The heads a batch's transaction sets (learned once it commits), and the threads whose head it leaves unknown. */
  private final Map<String, String> batchHeads = new HashMap<>();
  private final Set<String> batchUnknown = new java.util.HashSet<>();
  private volatile long transactions;
  private volatile long committedSaves;
  private volatile long executions;
  /** Head reads (statements reading heads from the database), for tests. */
  private volatile long headReads;

  SqliteBatchWriter(AbstractCheckpointStore store, Connection connection, Statements statements, int maxKnownHeads) {
    this.store = store;
    this.connection = connection;
    this.statements = statements;
    this.known = new SqliteHeads(maxKnownHeads);
  }

  /** Forgets the head of {@code threadId}: the store changed its checkpoints outside a save (delete, prune). */
  void forgetHead(String threadId) {
    known.forget(threadId);
  }

  /** Forgets every known head. */
  void forgetHeads() {
    known.forgetAll();
  }

  /** For tests: how many statements read heads from the database so far. */
  long headReads() {
    return headReads;
  }

  /** For tests: how many thread heads are known. */
  int knownHeads() {
    return known.size();
  }

  /** Commits {@code batch} and completes each of its saves; never throws. */
  void commit(List<PendingSave> batch) {
    if (batch.isEmpty()) {
      return;
    }
    if (batch.size() == 1) {
      commitAlone(batch.get(0));
      return;
    }
    Map<PendingSave, Throwable> refused = null;
    try {
      connection.setAutoCommit(false);
      checkDataVersion();
      try {
        refused = write(batch);
      } catch (Exception e) {
        // a row was refused: nothing of the batch stays, each save is retried alone below
        known.forgetAll();
        connection.rollback();
      }
      if (refused != null) {
        connection.commit();
        learnBatchHeads();
      }
    } catch (Exception e) {
      known.forgetAll();
      rollback(e);
      for (PendingSave save : batch) {
        save.fail(store.failure(save.operation(), save.threadId, new SQLException("the transaction of the "
            + batch.size() + " saves it was batched with failed: " + e.getMessage(), e)));
      }
      return;
    } finally {
      autoCommit();
    }
    if (refused == null) {
      for (PendingSave save : batch) {
        commitAlone(save);
      }
      return;
    }
    transactions++;
    committedSaves += batch.size() - refused.size();
    for (PendingSave save : batch) {
      Throwable failure = refused.get(save);
      if (failure == null) {
        save.succeed();
      } else {
        save.fail(failure);
      }
    }
  }

  /** What was committed so far (read from any thread; written on the worker only). */
  GroupCommitStats stats() {
    return new GroupCommitStats(transactions, committedSaves, executions);
  }

  /**
   * Writes the batch's saves that fencing allows, in the open transaction.
   *
   * @return the saves refused by fencing, with their failure
   */
  private Map<PendingSave, Throwable> write(List<PendingSave> batch) throws Exception {
    Map<String, String> heads = heads(batch);
    batchUnknown.clear();
    Map<PendingSave, Throwable> refused = new HashMap<>();
    List<Object[]> checkpoints = new ArrayList<>();
    List<Object[]> blobs = new ArrayList<>();
    List<Object[]> writes = new ArrayList<>();
    for (PendingSave save : batch) {
      if (save.isPut()) {
        String head = heads.get(save.threadId);
        if (!ThreadTakenOverException.allows(save.checkpoint, save.expectedHead, head)) {
          refused.put(save, new ThreadTakenOverException(store.describe(), save.checkpoint, save.expectedHead, head));
          continue;
        }
        String id = save.checkpoint.checkpointId();
        if (!heads.containsKey(save.threadId)) {
          batchUnknown.add(save.threadId); // a fork of a thread whose head was neither known nor read
        } else if (head == null || id.compareTo(head) > 0) {
          heads.put(save.threadId, id);
        }
        checkpoints.add(save.checkpointRow);
      }
      blobs.addAll(save.blobRows);
      writes.addAll(save.writeRows);
    }
    batch(SqliteLayout.UPSERT, checkpoints);
    batch(CheckpointSql.UPSERT_BLOB, blobs);
    batch(CheckpointSql.INSERT_WRITE, writes);
    return refused;
  }

  /**
   * The heads of the threads of the batch's fenced puts (a thread without a checkpoint: present with {@code null}):
   * the known ones from memory, the others read with one statement. The map is {@link #batchHeads}, learned once
   * the batch commits.
   */
  private Map<String, String> heads(List<PendingSave> batch) throws SQLException {
    Map<String, String> heads = batchHeads;
    heads.clear();
    Set<String> unknown = null;
    for (PendingSave save : batch) {
      if (!save.isFenced() || heads.containsKey(save.threadId)) {
        continue;
      }
      if (known.knows(save.threadId)) {
        heads.put(save.threadId, known.head(save.threadId));
      } else {
        if (unknown == null) {
          unknown = new LinkedHashSet<>();
        }
        unknown.add(save.threadId);
      }
    }
    if (unknown == null) {
      return heads;
    }
    for (String thread : unknown) {
      heads.put(thread, null);
    }
    executions++;
    headReads++;
    try (ResultSet rs = statements.bind(HEADS, new io.vertx.core.json.JsonArray(new ArrayList<>(unknown)).encode())
        .executeQuery()) {
      while (rs.next()) {
        String head = rs.getString(2);
        if (head != null) {
          heads.put(rs.getString(1), head);
        }
      }
    }
    return heads;
  }

  /** After a batch committed: its threads' heads are known, its unknown forks' threads stay unknown. */
  private void learnBatchHeads() {
    for (Map.Entry<String, String> head : batchHeads.entrySet()) {
      known.learn(head.getKey(), head.getValue());
    }
    for (String thread : batchUnknown) {
      known.forget(thread);
    }
    batchHeads.clear();
    batchUnknown.clear();
  }

  /** At the start of a transaction (write lock held): forgets the known heads if another connection committed. */
  private void checkDataVersion() throws SQLException {
    executions++;
    try (ResultSet rs = statements.bind(DATA_VERSION).executeQuery()) {
      known.checkDataVersion(rs.next() ? rs.getLong(1) : -1);
    }
  }

  /** One save in a transaction of its own: stored, or failed with nothing of it visible. */
  private void commitAlone(PendingSave save) {
    try {
      connection.setAutoCommit(false);
      checkDataVersion();
      boolean headKnown = known.knows(save.threadId);
      String head = headKnown ? known.head(save.threadId) : null;
      if (save.isFenced()) {
        if (!headKnown) {
          executions++;
          headReads++;
          try (ResultSet rs = statements.bind(CheckpointSql.HEAD, save.threadId).executeQuery()) {
            head = rs.next() ? rs.getString(1) : null;
          }
          headKnown = true;
        }
        if (!ThreadTakenOverException.allows(save.checkpoint, save.expectedHead, head)) {
          throw new ThreadTakenOverException(store.describe(), save.checkpoint, save.expectedHead, head);
        }
      }
      if (save.isPut()) {
        batch(SqliteLayout.UPSERT, List.<Object[]>of(save.checkpointRow));
      }
      batch(CheckpointSql.UPSERT_BLOB, save.blobRows);
      batch(CheckpointSql.INSERT_WRITE, save.writeRows);
      connection.commit();
      transactions++;
      committedSaves++;
      if (save.isPut() && headKnown) {
        String id = save.checkpoint.checkpointId();
        known.learn(save.threadId, head == null || id.compareTo(head) > 0 ? id : head);
      }
      save.succeed();
    } catch (Exception e) {
      known.forgetAll();
      rollback(e);
      save.fail(e instanceof ThreadTakenOverException ? e : store.failure(save.operation(), save.threadId, e));
    } finally {
      autoCommit();
    }
  }

  /** Executes {@code sql} once per row, as one batch of the prepared statement. */
  private void batch(String sql, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    executions += rows.size();
    PreparedStatement statement = statements.bind(sql, rows.get(0));
    if (rows.size() == 1) {
      statement.executeUpdate();
      return;
    }
    try {
      statement.addBatch();
      for (int i = 1; i < rows.size(); i++) {
        statements.bind(sql, rows.get(i)).addBatch();
      }
      statement.executeBatch();
    } catch (SQLException | RuntimeException e) {
      statement.clearBatch();
      throw e;
    }
  }

  private void rollback(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private void autoCommit() {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      // the next transaction's setAutoCommit(false) reports a broken connection
    }
  }
}
