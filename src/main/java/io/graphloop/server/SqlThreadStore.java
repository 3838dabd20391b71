package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What the SQL {@link ThreadStore}s share: the table ({@value #TABLE}), the statements (written with {@code ?}
 * placeholders; a dialect rewrites them), how rows map to {@link ThreadRecord}s, and search: owner, status and ids
 * filtered, ordered and paged in SQL; metadata and values filters (JSON containment) applied to rows read in pages in
 * the search's order, at most {@code maxScan} rows, past which the search fails with a clear message. Times are
 * stored as epoch microseconds.
 *
 * <p>Thread rules: as {@link ThreadStore}; the dialect runs the statements without blocking the caller.
 */
abstract class SqlThreadStore implements ThreadStore {

  static final String TABLE = "graphloop_server_threads";
  static final String COLUMNS = "thread_id, owner, graph_id, status, created_at, updated_at, metadata, "
      + "thread_values, interrupts";
  /** Rows read per page while filtering on metadata or values. */
  static final int SCAN_PAGE = 256;

  private static final String VALUES = "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT = "INSERT INTO " + TABLE + " (" + COLUMNS + ") " + VALUES
      + " ON CONFLICT (thread_id) DO NOTHING";
  private static final String UPSERT = "INSERT INTO " + TABLE + " (" + COLUMNS + ") " + VALUES
      + " ON CONFLICT (thread_id) DO UPDATE SET owner = excluded.owner, graph_id = excluded.graph_id, "
      + "status = excluded.status, updated_at = excluded.updated_at, metadata = excluded.metadata, "
      + "thread_values = excluded.thread_values, interrupts = excluded.interrupts";

  private final int maxScan;
  private final SqlRunRows runs = new SqlRunRows(this);

  SqlThreadStore(int maxScan) {
    this.maxScan = maxScan;
  }

  /** The schema, {@code bigint} being the dialect's 64-bit integer and {@code text} its (ordered) text type. */
  static List<String> schema(String bigint, String text) {
    List<String> schema = new ArrayList<>(List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " (thread_id " + text + " PRIMARY KEY, owner " + text
            + ", graph_id " + text + ", status " + text + " NOT NULL, created_at " + bigint + " NOT NULL, updated_at "
            + bigint + " NOT NULL, metadata TEXT NOT NULL, thread_values TEXT NOT NULL, interrupts TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS " + TABLE + "_created ON " + TABLE + " (created_at)",
        "CREATE INDEX IF NOT EXISTS " + TABLE + "_updated ON " + TABLE + " (updated_at)"));
    schema.addAll(SqlRunRows.schema(bigint, text));
    return schema;
  }

  /** The rows {@code sql} selects, each a list of its columns' values. */
  abstract Future<List<List<Object>>> query(String sql, List<Object> params);

  /** Runs {@code sql}; the number of rows it changed. */
  abstract Future<Integer> update(String sql, List<Object> params);

  @Override
  public Future<Boolean> insert(ThreadRecord thread) {
    return update(INSERT, row(thread)).map(changed -> changed > 0);
  }

  @Override
  public Future<Void> save(ThreadRecord thread) {
    return update(UPSERT, row(thread)).mapEmpty();
  }

  @Override
  public Future<ThreadRecord> get(String threadId) {
    return query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE thread_id = ?", List.of(threadId))
        .map(rows -> rows.isEmpty() ? null : record(rows.get(0)));
  }

  @Override
  public Future<Void> delete(String threadId) {
    return update("DELETE FROM " + TABLE + " WHERE thread_id = ?", List.of(threadId))
        .compose(deleted -> runs.deleteThread(threadId));
  }

  @Override
  public Future<Void> saveRun(StoredRun run) {
    return runs.save(run);
  }

  @Override
  public Future<StoredRun> getRun(String runId) {
    return runs.get(runId);
  }

  @Override
  public Future<List<StoredRun>> runsOf(String threadId, String status, int limit, int offset) {
    return runs.ofThread(threadId, status, limit, offset);
  }

  @Override
  public Future<List<StoredRun>> activeRunsOf(String threadId) {
    return runs.active(threadId);
  }

  @Override
  public Future<List<StoredRun>> activeRuns(int limit) {
    return runs.active(limit);
  }

  @Override
  public Future<Void> deleteRun(String runId) {
    return runs.delete(runId);
  }

  @Override
  public Future<List<ThreadRecord>> search(ThreadQuery query) {
    List<Object> params = new ArrayList<>();
    String where = where(query, params);
    String order = " ORDER BY " + column(query.sortBy()) + (query.ascending() ? " ASC" : " DESC") + ", thread_id"
        + (query.ascending() ? " ASC" : " DESC");
    String select = "SELECT " + COLUMNS + " FROM " + TABLE + where + order + " LIMIT ? OFFSET ?";
    if (!query.filtersJson()) {
      params.add(query.limit());
      params.add(query.offset());
      return query(select, params).map(SqlThreadStore::records);
    }
    return scan(select, params, query, 0, new ArrayList<>(), 0, false).map(found -> found.page);
  }

  @Override
  public Future<Integer> count(ThreadQuery query) {
    List<Object> params = new ArrayList<>();
    String where = where(query, params);
    if (!query.filtersJson()) {
      return query("SELECT COUNT(*) FROM " + TABLE + where, params)
          .map(rows -> ((Number) rows.get(0).get(0)).intValue());
    }
    String select = "SELECT " + COLUMNS + " FROM " + TABLE + where + " ORDER BY thread_id LIMIT ? OFFSET ?";
    return scan(select, params, query, 0, new ArrayList<>(), 0, true).map(found -> found.matched);
  }

  /** What a filtered scan found: the page (unless only counting) and how many rows matched in all. */
  private record Scan(List<ThreadRecord> page, int matched) {
  }

  /** Reads pages from row {@code from}, keeping matches, until the page is full (or, counting, the rows end). */
  private Future<Scan> scan(String select, List<Object> where, ThreadQuery query, int from, List<ThreadRecord> page,
                            int matched, boolean counting) {
    List<Object> params = new ArrayList<>(where);
    params.add(SCAN_PAGE);
    params.add(from);
    return query(select, params).compose(rows -> {
      int count = matched;
      for (List<Object> row : rows) {
        ThreadRecord thread = record(row);
        if (query.matches(thread)) {
          if (!counting && count >= query.offset()) {
            page.add(thread);
            if (page.size() == query.limit()) {
              return Future.succeededFuture(new Scan(page, count + 1));
            }
          }
          count++;
        }
      }
      int scanned = from + rows.size();
      if (rows.size() < SCAN_PAGE) {
        return Future.succeededFuture(new Scan(page, count));
      }
      if (scanned >= maxScan) {
        return Future.failedFuture(new ApiException(422, "The thread search read " + scanned + " threads filtering "
            + "on metadata or values without finishing (the server reads at most ServerOptions.maxThreads = "
            + maxScan + "); narrow it with 'status' or 'ids', or raise maxThreads."));
      }
      return scan(select, where, query, scanned, page, count, counting);
    });
  }

  /** The WHERE clause of owner, status and ids; adds its parameters to {@code params}. */
  private static String where(ThreadQuery query, List<Object> params) {
    StringBuilder where = new StringBuilder(" WHERE (owner IS NULL");
    if (query.user() != null) {
      where.append(" OR owner = ?");
      params.add(query.user());
    }
    where.append(')');
    if (query.status() != null) {
      where.append(" AND status = ?");
      params.add(query.status());
    }
    if (query.ids() != null && !query.ids().isEmpty()) {
      where.append(" AND thread_id IN (");
      for (int i = 0; i < query.ids().size(); i++) {
        where.append(i == 0 ? "?" : ", ?");
        params.add(query.ids().get(i));
      }
      where.append(')');
    }
    return where.toString();
  }

  private static String column(String sortBy) {
    switch (sortBy) {
      case "thread_id":
      case "status":
      case "updated_at":
        return sortBy;
      default:
        return "created_at";
    }
  }

  private static List<Object> row(ThreadRecord thread) {
    List<Object> row = new ArrayList<>(9);
    row.add(thread.threadId);
    row.add(thread.owner);
    row.add(thread.graphId);
    row.add(thread.status);
    row.add(micros(thread.createdAt));
    row.add(micros(thread.updatedAt));
    row.add(thread.metadata.encode());
    row.add(thread.values.encode());
    row.add(new JsonArray(new ArrayList<>(thread.interrupts)).encode());
    return row;
  }

  private static List<ThreadRecord> records(List<List<Object>> rows) {
    List<ThreadRecord> records = new ArrayList<>(rows.size());
    rows.forEach(row -> records.add(record(row)));
    return records;
  }

  /** The record of a row selected as {@link #COLUMNS}. */
  static ThreadRecord record(List<Object> row) {
    ThreadRecord thread = new ThreadRecord((String) row.get(0), (String) row.get(1), new JsonObject((String) row.get(6)),
        instant(((Number) row.get(4)).longValue()));
    thread.graphId = (String) row.get(2);
    thread.status = (String) row.get(3);
    thread.updatedAt = instant(((Number) row.get(5)).longValue());
    thread.values = new JsonObject((String) row.get(7));
    List<JsonObject> interrupts = new ArrayList<>();
    new JsonArray((String) row.get(8)).forEach(item -> interrupts.add((JsonObject) item));
    thread.interrupts = List.copyOf(interrupts);
    return thread;
  }

  static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
