package io.graphloop.internal.sqlite;

import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Opens the SQLite files of the checkpoint store, the long-term store and the server's thread records the same way:
 * the file's directory created, write-ahead logging, the given {@code synchronous} mode and busy timeout, and the
 * schema's statements run (the connection closed again when one fails).
 *
 * <p>Thread rules: blocking (file and JDBC I/O): call from a worker, never from an event loop. Needs sqlite-jdbc;
 * callers check that it is present first ({@code MissingDependencyException.require}).
 */
public final class SqliteFiles {

  private SqliteFiles() {
  }

  /**
   * A connection to {@code file} (made, with its directory, when missing) with the schema {@code ddl} applied.
   *
   * @param synchronous a {@link SQLiteConfig.SynchronousMode} name, e.g. {@code FULL}
   */
  public static Connection connect(Path file, String synchronous, int busyTimeoutMs, List<String> ddl)
      throws Exception {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous));
    config.setBusyTimeout(busyTimeoutMs);
    Connection connection = config.createConnection("jdbc:sqlite:" + file);
    try (Statement statement = connection.createStatement()) {
      for (String statementText : ddl) {
        statement.execute(statementText);
      }
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }
}
