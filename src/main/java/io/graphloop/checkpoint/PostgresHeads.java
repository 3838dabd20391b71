package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fencing on PostgreSQL: the table {@code graphloop_heads} holds each thread's head (its newest checkpoint id, one
 * row per thread that has checkpoints), and a batch of {@link PostgresBatchWriter} moves the heads of its threads by
 * compare-and-set, {@code UPDATE graphloop_heads SET head = new WHERE thread_id = t AND head = expected}, one
 * statement for the whole batch ({@link #CAS}). PostgreSQL runs that comparison on the newest committed version of
 * the row under its row lock (a concurrent batch's update is waited for, then the comparison is made again on what
 * it committed), and the lock is held to the batch's commit: no advisory lock and no probe of the checkpoints table.
 *
 * <p>How a batch decides: it <em>assumes</em> each thread's head (the head its first put expects, or the head read
 * after an earlier attempt missed: {@link #assumed}), applies the fencing rule to its puts in order against the
 * assumed heads ({@link #decide}: refusals and each thread's new head), then sends the compare-and-set of every
 * thread from the assumed to the new head and the batch's rows in one pipeline. When a thread's compare-and-set
 * missed (its head was not the one assumed: a takeover, a fork, a deleted thread), the transaction is rolled back
 * ({@link HeadsMoved}), the heads of those threads are read ({@link #READ}) and the batch decided again; it never
 * accepts a put whose parent was not the head under the row's lock. A thread's first checkpoint inserts its row
 * ({@code ON CONFLICT DO NOTHING}: a concurrent first insert is a miss too). A thread whose puts are all refused
 * against a head it read as absent needs no row (refusing is safe without a lock).
 *
 * <p>Deletes keep the table true in their own transaction: {@link #LOCK} first (so a batch of that thread waits),
 * and {@link #SYNC} after (the head becomes the newest checkpoint left, or the row goes).
 *
 * <p>Existing databases (made before the table existed) are migrated when a store opens: the table is created and
 * filled with each thread's newest checkpoint id, under the schema's advisory lock ({@link #MIGRATE}).
 *
 * <p>Stateless statements and pure functions; thread-safe. A {@link Decision} is used by one thread.
 */
final class PostgresHeads {

  private PostgresHeads() {
  }

  static final String TABLE = "graphloop_heads";

  /**
   * The table. Fill factor 50: every save updates its thread's row, and an update that finds room in the row's page
   * is a heap-only tuple (no index entry, pruned in the page), which needs free space in each page.
   */
  static final String CREATE = "CREATE TABLE " + TABLE + " (thread_id TEXT COLLATE \"C\" PRIMARY KEY, "
      + "head TEXT COLLATE \"C\" NOT NULL) WITH (fillfactor = 50)";

  /** Whether the table is missing (a new database, or one made before heads were kept). */
  static final String MISSING = "SELECT to_regclass('" + TABLE + "') IS NULL";

  /** Fills a new table with each thread's newest checkpoint (a no-op on a new database). */
  static final String MIGRATE = "INSERT INTO " + TABLE + " (thread_id, head) SELECT thread_id, MAX(checkpoint_id) "
      + "FROM " + CheckpointSql.CHECKPOINTS + " GROUP BY thread_id";

  /**
   * The compare-and-set of a batch. Parameters: threads, assumed heads (null: the thread has no row), new heads.
   * Returns the threads whose row was moved (or inserted); a thread left out missed.
   */
  static final String CAS = "WITH x AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS x(thread_id, "
      + "expected, head)), moved AS (UPDATE " + TABLE + " h SET head = x.head FROM x WHERE x.expected IS NOT NULL "
      + "AND h.thread_id = x.thread_id AND h.head = x.expected RETURNING h.thread_id), inserted AS (INSERT INTO "
      + TABLE + " (thread_id, head) SELECT thread_id, head FROM x WHERE expected IS NULL ON CONFLICT (thread_id) "
      + "DO NOTHING RETURNING thread_id) SELECT thread_id FROM moved UNION ALL SELECT thread_id FROM inserted";

  /** The heads of threads (null: no row). Parameter: threads. */
  static final String READ = "SELECT t.id, h.head FROM unnest($1::text[]) AS t(id) LEFT JOIN " + TABLE
      + " h ON h.thread_id = t.id";

  /** Locks a thread's row for a delete's transaction. Parameter: thread. */
  static final String LOCK = "SELECT head FROM " + TABLE + " WHERE thread_id = $1 FOR UPDATE";

  /** After a delete: the head is the newest checkpoint left, or the row goes. Parameter: thread. */
  static final String SYNC = "WITH m AS (SELECT MAX(checkpoint_id) AS head FROM " + CheckpointSql.CHECKPOINTS
      + " WHERE thread_id = $1), gone AS (DELETE FROM " + TABLE + " WHERE thread_id = $1 AND (SELECT head FROM m) "
      + "IS NULL) UPDATE " + TABLE + " SET head = (SELECT head FROM m) WHERE thread_id = $1 AND (SELECT head FROM m) "
      + "IS NOT NULL";

  /** Deletes a thread's row. Parameter: thread. */
  static final String DELETE = "DELETE FROM " + TABLE + " WHERE thread_id = $1";

  /**
   * The group-commit writer's connection options: {@code options} with hash and merge joins off for its sessions
   * (startup parameters). Every statement of the writer probes a batch's keys, and the compare-and-set joins the
   * batch's few hundred threads to the heads table: planned with the defaults, PostgreSQL hashed the batch and scanned
   * the whole table each time (pg_stat_user_tables in the durable-steps benchmark: 472 sequential scans reading 2.4 M
   * rows for 472 batches of 10,000 threads' heads), a cost that grows with the number of threads; nested loops over
   * the primary key probe one row per thread whatever the table's size.
   */
  static io.vertx.pgclient.PgConnectOptions writerOptions(io.vertx.pgclient.PgConnectOptions options) {
    return options.addProperty("enable_hashjoin", "off").addProperty("enable_mergejoin", "off");
  }

  /** A batch's compare-and-set missed for {@code threads}: its transaction is rolled back and decided again. */
  static final class HeadsMoved extends RuntimeException {
    final Set<String> threads;

    HeadsMoved(Set<String> threads) {
      super("the heads of " + threads.size() + " threads moved", null, false, false);
      this.threads = threads;
    }
  }

  /**
   * Creates the table when it is missing and fills it from the checkpoints (run inside the schema's transaction,
   * under its advisory lock, after the checkpoints table exists).
   */
  static Future<Void> createOrMigrate(SqlConnection connection) {
    return connection.query(MISSING).execute().compose(rows -> {
      if (!rows.iterator().next().getBoolean(0)) {
        return Future.succeededFuture();
      }
      return connection.query(CREATE).execute().compose(r -> connection.query(MIGRATE).execute()).mapEmpty();
    });
  }

  /** Reads the heads of {@code threads} (a thread without a row maps to {@code null}). */
  static Future<Map<String, String>> read(SqlClient client, Set<String> threads) {
    return client.preparedQuery(READ).execute(Tuple.of(threads.toArray(new String[0]))).map(rows -> {
      Map<String, String> heads = new HashMap<>();
      for (Row row : rows) {
        heads.put(row.getString(0), row.getString(1));
      }
      return heads;
    });
  }

  /**
   * The head assumed for each thread with a put in {@code batch}: the one {@code known} gives (read after a miss;
   * {@code null} value: no row), else the head the thread's first put expects.
   */
  static Map<String, String> assumed(List<PendingSave> batch, Map<String, String> known) {
    Map<String, String> heads = new LinkedHashMap<>();
    for (PendingSave save : batch) {
      if (save.isPut() && !heads.containsKey(save.threadId)) {
        heads.put(save.threadId, known.containsKey(save.threadId) ? known.get(save.threadId) : save.expectedHead);
      }
    }
    return heads;
  }

  /** What a batch does, given the heads it assumes: which puts it refuses, and the compare-and-set to send. */
  static final class Decision {
    /** The refused puts with the head they met. */
    final Map<PendingSave, String> refused = new HashMap<>();
    /** The saves to write, in order. */
    final List<PendingSave> accepted = new ArrayList<>();
    private final List<String> threads = new ArrayList<>();
    private final List<String> expected = new ArrayList<>();
    private final List<String> heads = new ArrayList<>();

    /** Whether there is a compare-and-set to send. */
    boolean hasCas() {
      return !threads.isEmpty();
    }

    /** The compare-and-set's parameters. */
    Tuple casParams() {
      return Tuple.of(threads.toArray(new String[0]), expected.toArray(new String[0]), heads.toArray(new String[0]));
    }

    /** The threads of the compare-and-set that {@code moved} (its result) leaves out, or an empty set. */
    Set<String> missed(RowSet<Row> moved) {
      if (moved.size() == threads.size()) {
        return Set.of();
      }
      Set<String> missed = new HashSet<>(threads);
      for (Row row : moved) {
        missed.remove(row.getString(0));
      }
      return missed;
    }
  }

  /**
   * Applies the fencing rule ({@link ThreadTakenOverException#allows}) to the batch's puts in order against the
   * assumed heads, each accepted put moving its thread's head to the greater of the two ids (a fork may be older).
   * Every thread whose head would be non-null afterwards gets a compare-and-set from its assumed head (a thread
   * whose head does not change is compared and locked too: its refusals and retried puts rest on it). The
   * compare-and-set lists the threads sorted (the order its rows are locked in), as the advisory locks before it did.
   */
  static Decision decide(List<PendingSave> batch, Map<String, String> assumed) {
    Decision decision = new Decision();
    Map<String, String> heads = new HashMap<>(assumed);
    for (PendingSave save : batch) {
      if (save.isPut()) {
        String head = heads.get(save.threadId);
        if (!ThreadTakenOverException.allows(save.checkpoint, save.expectedHead, head)) {
          decision.refused.put(save, head);
          continue;
        }
        String id = save.checkpoint.checkpointId();
        if (head == null || id.compareTo(head) > 0) {
          heads.put(save.threadId, id);
        }
      }
      decision.accepted.add(save);
    }
    // in the threads' sorted order: two writers' batches (two JVMs during a takeover) lock their common rows in one
    // order, so they wait for each other instead of deadlocking (PostgreSQL would abort one after deadlock_timeout)
    new java.util.TreeMap<>(assumed).forEach((thread, before) -> {
      String after = heads.get(thread);
      if (after != null) {
        decision.threads.add(thread);
        decision.expected.add(before);
        decision.heads.add(after);
      }
    });
    return decision;
  }
}
