package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The run records of the SQL {@link ThreadStore}s (table {@value #TABLE}): one row per run on a thread, saved when
 * the run starts and again when its status changes, deleted with the run (run delete, rollback) or its thread.
 * Statements use {@code ?} placeholders, which the store's dialect rewrites; times are epoch microseconds.
 *
 * <p>Thread rules: as {@link ThreadStore}; the store runs the statements without blocking the caller.
 */
final class SqlRunRows {

  static final String TABLE = "graphloop_server_runs";
  private static final String COLUMNS = "run_id, thread_id, owner, assistant_id, graph_id, status, created_at, "
      + "updated_at, metadata, kwargs, multitask_strategy, outcome, origin, secret";
  private static final String UPSERT = "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      + "?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, updated_at = "
      + "excluded.updated_at, outcome = excluded.outcome";
  private static final String ACTIVE = "('" + RunRecord.PENDING + "', '" + RunRecord.RUNNING + "')";

  private final SqlThreadStore sql;

  SqlRunRows(SqlThreadStore sql) {
    this.sql = sql;
  }

  /** The table and its index, {@code bigint} and {@code text} being the dialect's types. */
  static List<String> schema(String bigint, String text) {
    return List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " (run_id " + text + " PRIMARY KEY, thread_id " + text
            + " NOT NULL, owner " + text + ", assistant_id " + text + " NOT NULL, graph_id " + text + " NOT NULL, "
            + "status " + text + " NOT NULL, created_at " + bigint + " NOT NULL, updated_at " + bigint + " NOT NULL, "
            + "metadata TEXT NOT NULL, kwargs TEXT NOT NULL, multitask_strategy " + text + ", outcome TEXT, origin "
            + text + " NOT NULL, secret " + text + " NOT NULL)",
        "CREATE INDEX IF NOT EXISTS " + TABLE + "_thread ON " + TABLE + " (thread_id, created_at)");
  }

  Future<Void> save(StoredRun run) {
    List<Object> row = new ArrayList<>(14);
    row.add(run.runId());
    row.add(run.threadId());
    row.add(run.owner());
    row.add(run.assistantId());
    row.add(run.graphId());
    row.add(run.status());
    row.add(SqlThreadStore.micros(run.createdAt()));
    row.add(SqlThreadStore.micros(run.updatedAt()));
    row.add(run.metadata().encode());
    row.add(run.kwargs().encode());
    row.add(run.multitaskStrategy());
    row.add(run.outcomeJson());
    row.add(run.origin());
    row.add(run.secret());
    return sql.update(UPSERT, row).mapEmpty();
  }

  Future<StoredRun> get(String runId) {
    return sql.query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE run_id = ?", List.of(runId))
        .map(rows -> rows.isEmpty() ? null : run(rows.get(0)));
  }

  /** The runs of {@code threadId} (with {@code status} when not null), newest first, paged. */
  Future<List<StoredRun>> ofThread(String threadId, String status, int limit, int offset) {
    List<Object> params = new ArrayList<>(List.of(threadId));
    String where = " WHERE thread_id = ?";
    if (status != null) {
      where += " AND status = ?";
      params.add(status);
    }
    params.add(limit);
    params.add(offset);
    return sql.query("SELECT " + COLUMNS + " FROM " + TABLE + where + " ORDER BY created_at DESC, run_id DESC "
        + "LIMIT ? OFFSET ?", params).map(SqlRunRows::runs);
  }

  /** The runs of {@code threadId} not yet ended, oldest first. */
  Future<List<StoredRun>> active(String threadId) {
    return sql.query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE thread_id = ? AND status IN " + ACTIVE
        + " ORDER BY created_at, run_id", List.of(threadId)).map(SqlRunRows::runs);
  }

  /** At most {@code limit} runs not yet ended, on any thread, oldest first. */
  Future<List<StoredRun>> active(int limit) {
    return sql.query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE status IN " + ACTIVE
        + " ORDER BY created_at, run_id LIMIT ?", List.of(limit)).map(SqlRunRows::runs);
  }

  Future<Void> delete(String runId) {
    return sql.update("DELETE FROM " + TABLE + " WHERE run_id = ?", List.of(runId)).mapEmpty();
  }

  Future<Void> deleteThread(String threadId) {
    return sql.update("DELETE FROM " + TABLE + " WHERE thread_id = ?", List.of(threadId)).mapEmpty();
  }

  private static List<StoredRun> runs(List<List<Object>> rows) {
    List<StoredRun> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(run(row)));
    return list;
  }

  private static StoredRun run(List<Object> row) {
    JsonObject outcome = StoredRun.parseOutcome((String) row.get(11));
    return new StoredRun((String) row.get(0), (String) row.get(1), (String) row.get(2), (String) row.get(3),
        (String) row.get(4), (String) row.get(5), SqlThreadStore.instant(((Number) row.get(6)).longValue()),
        SqlThreadStore.instant(((Number) row.get(7)).longValue()), new JsonObject((String) row.get(8)),
        new JsonObject((String) row.get(9)), (String) row.get(10), outcome.getJsonObject("values"),
        outcome.getJsonObject("error"), StoredRun.interruptsOf(outcome), (String) row.get(12), (String) row.get(13));
  }
}
