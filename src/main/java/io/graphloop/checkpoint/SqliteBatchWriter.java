package io.graphloop.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Commits a batch of saves of a {@link SqliteCheckpointStore} in one transaction: each save in its own
 * savepoint, so a save that fails (a bad row, a fenced parent) is rolled back alone and fails alone while the
 * others commit; when the commit itself fails, every save of the batch fails with that error and nothing of
 * the batch is visible. A batch of one save is one plain transaction, as before group commit.
 *
 * <p>Thread rules: used only on the store's single worker thread (it uses the store's connection).
 */
final class SqliteBatchWriter {

  /** Prepares (once) and binds a statement of the store's connection. */
  interface Statements {
    PreparedStatement bind(String sql, Object... params) throws SQLException;
  }

  private final AbstractCheckpointStore store;
  private final Connection connection;
  private final Statements statements;
  private volatile long transactions;
  private volatile long committedSaves;

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
    boolean alone = batch.size() == 1;
    Map<PendingSave, Throwable> failed = new HashMap<>();
    try {
      connection.setAutoCommit(false);
      try (Statement plain = connection.createStatement()) {
        for (PendingSave save : batch) {
          if (alone) {
            write(save);
            continue;
          }
          plain.execute("SAVEPOINT graphloop_save");
          try {
            write(save);
          } catch (Exception e) {
            plain.execute("ROLLBACK TO graphloop_save");
            failed.put(save, failure(save, e));
          }
          plain.execute("RELEASE graphloop_save");
        }
      }
      connection.commit();
      transactions++;
      committedSaves += batch.size() - failed.size();
    } catch (Exception e) {
      rollback(e);
      for (PendingSave save : batch) {
        save.fail(alone ? failure(save, e) : store.failure(save.operation, save.threadId, new SQLException(
            "the transaction of the " + batch.size() + " saves it was batched with failed: " + e.getMessage(), e)));
      }
      return;
    } finally {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        // the next batch's setAutoCommit(false) reports a broken connection
      }
    }
    for (PendingSave save : batch) {
      Throwable failure = failed.get(save);
      if (failure == null) {
        save.succeed();
      } else {
        save.fail(failure);
      }
    }
  }

  /** What was committed so far (read from any thread; written on the worker only). */
  GroupCommitStats stats() {
    return new GroupCommitStats(transactions, committedSaves);
  }

  /** A refusal by fencing as it is; anything else as a store failure naming the save. */
  private Throwable failure(PendingSave save, Exception e) {
    return e instanceof ThreadTakenOverException ? e : store.failure(save.operation, save.threadId, e);
  }

  private void write(PendingSave save) throws Exception {
    if (save.isPut()) {
      String head;
      try (java.sql.ResultSet rs = statements.bind(CheckpointSql.HEAD, save.threadId).executeQuery()) {
        head = rs.next() ? rs.getString(1) : null;
      }
      if (!ThreadTakenOverException.allows(save.checkpoint, save.expectedHead, head)) {
        throw new ThreadTakenOverException(store.describe(), save.checkpoint, save.expectedHead, head);
      }
      statements.bind(CheckpointSql.UPSERT_CHECKPOINT, CheckpointRows.checkpoint(save.checkpoint)).executeUpdate();
      List<Object[]> rows = new ArrayList<>(save.blobs.size());
      for (BlobRecord blob : save.blobs) {
        rows.add(CheckpointRows.blob(blob));
      }
      batch(CheckpointSql.UPSERT_BLOB, rows);
    } else {
      List<Object[]> rows = new ArrayList<>(save.writes.size());
      for (WriteRecord write : save.writes) {
        rows.add(CheckpointRows.write(write));
      }
      batch(CheckpointSql.INSERT_WRITE, rows);
    }
  }

  private void batch(String sql, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    PreparedStatement statement = statements.bind(sql, rows.get(0));
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
}
