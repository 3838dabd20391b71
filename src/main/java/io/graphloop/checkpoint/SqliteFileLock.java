package io.graphloop.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * One process at a time per SQLite checkpoint file: an exclusive operating-system lock on a file beside it
 * ({@code <file>.lock}, holding the owner's process id), taken when a store opens the file and released when the
 * last store of this JVM on it closes. The SQLite store keeps its threads' locks in its JVM, so two JVMs on one file
 * would each run the same thread at once (every node twice, the histories interleaved); the second JVM is refused
 * instead, naming the file and the process that has it. The operating system frees the lock when its process dies,
 * even by {@code kill -9}, so a crashed JVM's file opens again at once. Stores of one JVM share the file (and its
 * lock), as they share its worker thread.
 *
 * <p>Thread-safe; {@link #acquire} and {@link #release} do file I/O: call them on a worker thread.
 */
final class SqliteFileLock {

  /** The locks this JVM holds, by lock file, with how many open stores use each. Guarded by itself. */
  private static final Map<Path, SqliteFileLock> HELD = new HashMap<>();

  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;
  private int users; // guarded by HELD

  private SqliteFileLock(Path lockFile, FileChannel channel, FileLock lock) {
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code databaseFile} for this JVM (again, if a store of this JVM has it already).
   *
   * @throws IllegalStateException when another process has it, naming the file, that process and what to do
   */
  static SqliteFileLock acquire(Path databaseFile) throws IOException {
    Path lockFile = databaseFile.toAbsolutePath().normalize().resolveSibling(databaseFile.getFileName() + ".lock");
    synchronized (HELD) {
      SqliteFileLock held = HELD.get(lockFile);
      if (held == null) {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
        if (lock == null) {
          String owner = owner(channel);
          channel.close();
          throw new IllegalStateException("SQLite checkpoint file " + databaseFile.toAbsolutePath() + " is in use by "
              + "another process (" + owner + ", which holds " + lockFile + "). A SQLite store belongs to one JVM: "
              + "two would each run the same thread at once. Stop that process, give this one its own file (dataDir "
              + "or fileName), or share threads between JVMs with the PostgreSQL store.");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
            0);
        held = new SqliteFileLock(lockFile, channel, lock);
        HELD.put(lockFile, held);
      }
      held.users++;
      return held;
    }
  }

  /** Gives this store's use of the lock back; the last user of this JVM releases it. Idempotent per use. */
  void release() throws IOException {
    synchronized (HELD) {
      if (users == 0 || --users > 0) {
        return;
      }
      HELD.remove(lockFile);
      try {
        lock.release();
      } finally {
        channel.close();
      }
    }
  }

  private static String owner(FileChannel channel) {
    try {
      ByteBuffer text = ByteBuffer.allocate(64);
      channel.read(text, 0);
      String owner = new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).trim();
      return owner.isEmpty() ? "process id unknown" : owner;
    } catch (IOException e) {
      return "process id unreadable: " + e.getMessage();
    }
  }
}
