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
 * heads of the batch's fenced threads are read once for the whole batch (one statement), fencing is decided in
 * memory save by save (in order, so a put sees the puts before it in the batch), and the rows, encoded beforehand on
 * the callers' threads ({@link PendingSave#encode}), are written with one prepared batch statement per table. Per
 * save that is one statement execution per row (checkpoint, blob, pending write), with no savepoint or head read of
 * its own; per batch, one head read and one commit (one fsync of the log under {@code synchronous=FULL}).
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

  private final AbstractCheckpointStore store;
  private final Connection connection;
  private final Statements statements;
  private volatile long transactions;
  private volatile long committedSaves;
  private volatile long executions;

  SqliteBatchWriter(AbstractCheckpointStore store, Connection connection, Statements statements) {
    this.store = store;
    this.connection = connection;
    this.statements = statements;
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
      try {
        refused = write(batch);
      } catch (Exception e) {
        // a row was refused: nothing of the batch stays, each save is retried alone below
        connection.rollback();
      }
      if (refused != null) {
        connection.commit();
      }
    } catch (Exception e) {
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
        if (head == null || id.compareTo(head) > 0) {
          heads.put(save.threadId, id);
        }
        checkpoints.add(save.checkpointRow);
      }
      blobs.addAll(save.blobRows);
      writes.addAll(save.writeRows);
    }
    batch(CheckpointSql.UPSERT_CHECKPOINT, checkpoints);
    batch(CheckpointSql.UPSERT_BLOB, blobs);
    batch(CheckpointSql.INSERT_WRITE, writes);
    return refused;
  }

  /** The heads of the threads of the batch's fenced puts, read with one statement (threads without one: absent). */
  private Map<String, String> heads(List<PendingSave> batch) throws SQLException {
    Set<String> threads = new LinkedHashSet<>();
    for (PendingSave save : batch) {
      if (save.isFenced()) {
        threads.add(save.threadId);
      }
    }
    Map<String, String> heads = new HashMap<>();
    if (threads.isEmpty()) {
      return heads;
    }
    executions++;
    try (ResultSet rs = statements.bind(HEADS, new io.vertx.core.json.JsonArray(new ArrayList<>(threads)).encode())
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

  /** One save in a transaction of its own: stored, or failed with nothing of it visible. */
  private void commitAlone(PendingSave save) {
    try {
      connection.setAutoCommit(false);
      if (save.isFenced()) {
        String head;
        executions++;
        try (ResultSet rs = statements.bind(CheckpointSql.HEAD, save.threadId).executeQuery()) {
          head = rs.next() ? rs.getString(1) : null;
        }
        if (!ThreadTakenOverException.allows(save.checkpoint, save.expectedHead, head)) {
          throw new ThreadTakenOverException(store.describe(), save.checkpoint, save.expectedHead, head);
        }
      }
      if (save.isPut()) {
        batch(CheckpointSql.UPSERT_CHECKPOINT, List.<Object[]>of(save.checkpointRow));
      }
      batch(CheckpointSql.UPSERT_BLOB, save.blobRows);
      batch(CheckpointSql.INSERT_WRITE, save.writeRows);
      connection.commit();
      transactions++;
      committedSaves++;
      save.succeed();
    } catch (Exception e) {
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
