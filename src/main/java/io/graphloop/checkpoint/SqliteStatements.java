package io.graphloop.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;

/**
 * The JDBC side of {@link SqliteCheckpointStore}'s one connection: its prepared statements, kept by SQL and bound
 * to parameters ({@code null}, {@code Integer}, {@code Long}, {@code byte[]} as is, else text), updates and queries
 * through them, and transactions (commit, or roll back and rethrow). What the statements mean is the store's.
 *
 * <p>Thread rules: the store's worker thread only (one thread, never concurrently), as the connection.
 */
final class SqliteStatements {

  /** Steps run in one transaction; {@code E} is what they may throw. */
  interface Steps<E extends Exception> {
    void run() throws E;
  }

  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  SqliteStatements(Connection connection) {
    this.connection = connection;
  }

  /** The statement of {@code sql} (prepared once), bound to {@code params}. */
  PreparedStatement statement(String sql, Object... params) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    for (int i = 0; i < params.length; i++) {
      Object param = params[i];
      if (param == null) {
        statement.setNull(i + 1, Types.VARCHAR);
      } else if (param instanceof Integer) {
        statement.setInt(i + 1, (Integer) param);
      } else if (param instanceof Long) {
        statement.setLong(i + 1, (Long) param);
      } else if (param instanceof byte[]) {
        statement.setBytes(i + 1, (byte[]) param); // bound as is: no transcoding on the worker
      } else {
        statement.setString(i + 1, (String) param);
      }
    }
    return statement;
  }

  void execute(String sql, Object... params) throws SQLException {
    statement(sql, params).executeUpdate();
  }

  /** The rows of {@code sql}; the caller closes the result set. */
  ResultSet query(String sql, Object... params) throws SQLException {
    return statement(sql, params).executeQuery();
  }

  /** Runs {@code steps} in one transaction: committed when they return, rolled back when they throw. */
  <E extends Exception> void inTransaction(Steps<E> steps) throws E, SQLException {
    inTransaction(connection, steps);
  }

  /**
   * Runs {@code steps} in one transaction on {@code connection}: committed when they return, rolled back when they
   * throw (a failed rollback is added to their exception as suppressed); auto-commit is on again afterwards.
   */
  static <E extends Exception> void inTransaction(Connection connection, Steps<E> steps) throws E, SQLException {
    connection.setAutoCommit(false);
    try {
      steps.run();
      connection.commit();
    } catch (Exception e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  /** Closes the prepared statements (not the connection, which the store closes). */
  void close() throws SQLException {
    for (PreparedStatement statement : statements.values()) {
      statement.close();
    }
    statements.clear();
  }
}
