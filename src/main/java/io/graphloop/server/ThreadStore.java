package io.graphloop.server;

import io.graphloop.checkpoint.CheckpointStores;
import io.graphloop.checkpoint.PostgresStoreOptions;
import io.graphloop.checkpoint.SqliteStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;

/**
 * Where servers that share a durable checkpoint store keep their thread records ({@link ThreadRecord}: id, owner,
 * graph, metadata, status, times, values, interrupts), so every server on that store lists, reads, updates and deletes
 * the same threads: a table in the PostgreSQL database of a {@code postgres} checkpointer, or a SQLite file beside the
 * checkpoint file of a {@code sqlite} one (threads then outlive a restart); and the records of the runs on those
 * threads ({@link StoredRun}), so any of those servers serves any run. A {@code memory} checkpointer has no
 * shared records: each server keeps its own ({@link Registry}).
 *
 * <p>Thread rules: every method may be called from any thread and never blocks the caller.
 */
interface ThreadStore {

  /** Stores {@code thread} if no thread of its id is stored; whether it was stored. */
  Future<Boolean> insert(ThreadRecord thread);

  /** Stores {@code thread}, replacing the stored one of its id (its creation time is kept). */
  Future<Void> save(ThreadRecord thread);

  /** The stored thread, whoever owns it, or {@code null}. */
  Future<ThreadRecord> get(String threadId);

  /** Deletes the thread's record and the records of its runs. */
  Future<Void> delete(String threadId);

  /** Stores {@code run} (a run on a thread), or its new status and outcome when it is stored already. */
  Future<Void> saveRun(StoredRun run);

  /** The stored run, whoever owns it, or {@code null}. */
  Future<StoredRun> getRun(String runId);

  /** The stored runs of {@code threadId}, with {@code status} when not {@code null}, newest first, paged. */
  Future<List<StoredRun>> runsOf(String threadId, String status, int limit, int offset);

  /** The stored runs of {@code threadId} not yet ended (pending or running), oldest first. */
  Future<List<StoredRun>> activeRunsOf(String threadId);

  /** At most {@code limit} stored runs not yet ended, on any thread, oldest first. */
  Future<List<StoredRun>> activeRuns(int limit);

  Future<Void> deleteRun(String runId);

  /** The page of threads {@code query} asks for. */
  Future<List<ThreadRecord>> search(ThreadQuery query);

  /** How many threads match {@code query} (its page ignored). */
  Future<Integer> count(ThreadQuery query);

  Future<Void> close();

  /**
   * The thread store on the database of checkpoint-store configuration {@code checkpointer} (as
   * {@link CheckpointStores} reads it), or {@code null} for a {@code memory} one (or none).
   *
   * @param maxScan at most this many rows read by a search or count that filters on metadata or values
   */
  static Future<ThreadStore> open(Vertx vertx, JsonObject checkpointer, int maxScan) {
    if (checkpointer == null) {
      return Future.succeededFuture();
    }
    String type;
    try {
      type = CheckpointStores.check(checkpointer);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    JsonObject options = checkpointer.copy();
    options.remove("type");
    switch (type) {
      case "postgres":
        return PostgresThreadStore.open(vertx, new PostgresStoreOptions(options), maxScan).map(s -> s);
      case "sqlite":
        SqliteStoreOptions sqlite = new SqliteStoreOptions(options);
        String name = sqlite.getFileName().endsWith(".db")
            ? sqlite.getFileName().substring(0, sqlite.getFileName().length() - 3) : sqlite.getFileName();
        return SqliteThreadStore.open(vertx, Path.of(sqlite.getDataDir(), name + "-threads.db"), maxScan)
            .map(s -> s);
      default:
        return Future.succeededFuture();
    }
  }
}
