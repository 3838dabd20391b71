package io.graphloop.it;

import io.graphloop.checkpoint.Checkpoint;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.CheckpointStores;
import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.checkpoint.PostgresTestServer;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: a JVM killed with SIGKILL while its checkpoint store group-commits the saves of many runs, on SQLite and
 * on PostgreSQL. A child JVM ({@link GroupCommitCrashLoad}) runs {@value #THREADS} threads at once, each a chain of
 * ten nodes with durability {@code sync}, every node execution logged before its result exists; the test kills the
 * child once the threads are about a third of the way through and the store has committed batches of several saves
 * (its group-commit counters, printed by the child, show more saves than transactions), so batches are being
 * written when it dies. Then, in this JVM (a restart: the store is opened afresh):
 *
 * <ul>
 *   <li>nothing half-written is in the store: no blob, pending write or checkpoint whose checkpoint (or parent) is
 *       missing (a save's rows are in one transaction with its batch), and every checkpoint loads (its blob chains
 *       resolve);</li>
 *   <li>every thread's history is one chain of checkpoints whose trails are prefixes of the chain of nodes, each one
 *       node longer than its parent's at most, and its newest trail is a prefix of what the killed JVM ran, missing
 *       at most the one node in flight at the kill (under {@code sync} a node starts only after the checkpoint before
 *       it is durable);</li>
 *   <li>resuming every thread ({@code proceed}, or a new run for a thread with no checkpoint) finishes it with the
 *       whole chain, no node that was checkpointed before the kill runs again, and only the node in flight may run
 *       twice.</li>
 * </ul>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GroupCommitCrashIT {

  private static final int THREADS = 400;
  /** Kill once this many node executions are logged: about three of ten nodes per thread. */
  private static final int KILL_AFTER_LINES = THREADS * 3;
  private static final List<String> NODES = GroupCommitCrashLoad.NODES;
  private static final int RESUME_WAVE = 100;

  @TempDir
  Path dir;

  @Test
  void sqliteKilledMidBatchKeepsEveryThreadAPrefixAndResumes() throws Exception {
    JsonObject store = new JsonObject().put("type", "sqlite").put("dataDir", dir.resolve("data").toString());
    Path file = dir.resolve("data").resolve("checkpoints.db");
    crashAndResume(store, sql -> {
      try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
           Statement statement = connection.createStatement();
           ResultSet rs = statement.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Test
  void postgresKilledMidBatchKeepsEveryThreadAPrefixAndResumes() throws Exception {
    try (PostgresTestServer postgres = PostgresTestServer.startOrSkip()) {
      JsonObject store = postgres.storeOptions().toJson().put("type", "postgres");
      PgConnectOptions connect = postgres.storeOptions().toConnectOptions();
      crashAndResume(store, sql -> {
        Vertx vertx = Vertx.vertx();
        try {
          Pool pool = PgBuilder.pool().connectingTo(connect).using(vertx).build();
          return await(pool.query(sql).execute().map(rows -> rows.iterator().next().getLong(0))
              .eventually(pool::close));
        } finally {
          await(vertx.close());
        }
      });
    }
  }

  /** Counts with one SQL query ({@code SELECT COUNT(*) ...}) on the store's database. */
  private interface Counter {
    long count(String sql) throws Exception;
  }

  private void crashAndResume(JsonObject storeConfig, Counter counter) throws Exception {
    Path log = dir.resolve("executions.log");
    long[] stats = killMidLoad(storeConfig, log);
    System.out.println("[group-commit crash] killed after " + stats[0] + " transactions holding " + stats[1]
        + " saves (mean batch " + String.format("%.1f", (double) stats[1] / Math.max(1, stats[0])) + ")");
    assertTrue(stats[1] > stats[0], "the store was committing batches of several saves: " + stats[0]
        + " transactions, " + stats[1] + " saves");

    Map<String, List<String>> beforeKill = executions(log);
    int linesAtKill = beforeKill.values().stream().mapToInt(List::size).sum();
    beforeKill.forEach((thread, nodes) -> assertEquals(nodes.stream().distinct().toList(), nodes,
        "no node ran twice before the kill on " + thread));

    for (String orphan : List.of(
        "SELECT COUNT(*) FROM graphloop_checkpoint_blobs b WHERE NOT EXISTS (SELECT 1 FROM graphloop_checkpoints c "
            + "WHERE c.thread_id = b.thread_id AND c.checkpoint_id = b.version)",
        "SELECT COUNT(*) FROM graphloop_checkpoint_writes w WHERE NOT EXISTS (SELECT 1 FROM graphloop_checkpoints c "
            + "WHERE c.thread_id = w.thread_id AND c.checkpoint_id = w.checkpoint_id)",
        "SELECT COUNT(*) FROM graphloop_checkpoints p WHERE p.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
            + "graphloop_checkpoints c WHERE c.thread_id = p.thread_id AND c.checkpoint_id = p.parent_id)")) {
      assertEquals(0, counter.count(orphan), "nothing half-written: " + orphan);
    }

    Vertx vertx = Vertx.vertx();
    try (FileChannel logChannel = GroupCommitCrashLoad.openLog(log)) {
      CompiledGraph graph = GroupCommitCrashLoad.graph(logChannel);
      CheckpointStore store = await(CheckpointStores.open(vertx, storeConfig));
      Map<String, List<String>> durable = checkHistories(store, graph, beforeKill);
      long started = durable.values().stream().filter(t -> !t.isEmpty()).count();
      System.out.println("[group-commit crash] " + linesAtKill + " nodes ran before the kill; " + durable.size()
          + " threads have checkpoints, " + started + " with nodes durable, "
          + durable.values().stream().filter(t -> t.size() == NODES.size()).count() + " finished");

      GraphRuntime runtime = await(GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions(), store));
      GraphClient client = runtime.client();
      // resumed in waves of RESUME_WAVE threads: each resume reads a checkpoint and its blob chains (about five
      // queries), and a PostgreSQL store's pool refuses operations beyond its wait queue (maxWaitQueueSize, 1024)
      Map<String, Future<RunResult>> resumed = new LinkedHashMap<>();
      List<Future<RunResult>> wave = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        String thread = "t" + i;
        List<String> trail = durable.get(thread);
        RunOptions options = new RunOptions().setThreadId(thread).setDurability(io.graphloop.run.Durability.SYNC);
        Future<RunResult> run = null;
        if (trail == null) {
          run = client.run(Map.of("thread", thread, "trail", List.of()), options);
        } else if (trail.size() < NODES.size()) {
          run = client.proceed(options);
        }
        if (run != null) {
          resumed.put(thread, run);
          wave.add(run);
        }
        if (wave.size() == RESUME_WAVE || i == THREADS - 1) {
          await(Future.join(new ArrayList<>(wave)));
          wave.clear();
        }
      }
      for (Map.Entry<String, Future<RunResult>> run : resumed.entrySet()) {
        assertTrue(run.getValue().succeeded(), "resuming " + run.getKey() + " failed: " + run.getValue().cause());
        assertEquals(NODES, run.getValue().result().values().getList("trail"), "resumed " + run.getKey());
      }
      Checkpointer checkpointer = Checkpointer.forGraph(store, graph);
      Map<String, List<String>> all = executions(log);
      for (int i = 0; i < THREADS; i++) {
        String thread = "t" + i;
        assertEquals(NODES, await(checkpointer.load(thread)).state().getList("trail"), "final state of " + thread);
        List<String> checkpointed = durable.getOrDefault(thread, List.of());
        List<String> ran = all.getOrDefault(thread, List.of());
        for (int n = 0; n < NODES.size(); n++) {
          String node = NODES.get(n);
          long times = ran.stream().filter(node::equals).count();
          if (n < checkpointed.size()) {
            assertEquals(1, times, node + " of " + thread + " was checkpointed before the kill and ran again: " + ran);
          } else if (n == checkpointed.size()) {
            assertTrue(times == 1 || times == 2, "the node in flight at the kill ran once or twice: " + ran);
          } else {
            assertEquals(1, times, node + " of " + thread + " runs exactly once: " + ran);
          }
        }
      }
      await(runtime.undeploy());
      await(store.close());
    } finally {
      await(vertx.close());
    }
  }

  /**
   * Checks every thread's stored history and returns each thread's newest trail (threads without a checkpoint
   * absent).
   */
  private static Map<String, List<String>> checkHistories(CheckpointStore store, CompiledGraph graph,
      Map<String, List<String>> beforeKill) throws Exception {
    Checkpointer checkpointer = Checkpointer.forGraph(store, graph);
    Map<String, List<String>> durable = new HashMap<>();
    for (int i = 0; i < THREADS; i++) {
      String thread = "t" + i;
      List<CheckpointRecord> history = await(store.list(thread, Integer.MAX_VALUE, null));
      if (history.isEmpty()) {
        assertTrue(beforeKill.getOrDefault(thread, List.of()).isEmpty(), thread + " ran nodes without checkpoints");
        continue;
      }
      List<String> newer = null;
      for (int h = 0; h < history.size(); h++) {
        CheckpointRecord record = history.get(h);
        String parent = h + 1 < history.size() ? history.get(h + 1).checkpointId() : null;
        assertEquals(parent, record.parentId(), "one chain of checkpoints on " + thread);
        Checkpoint loaded = await(checkpointer.load(record));
        List<String> trail = trail(loaded);
        assertEquals(NODES.subList(0, trail.size()), trail, "a prefix of the chain at " + record.checkpointId());
        if (newer != null) {
          int grew = newer.size() - trail.size();
          assertTrue(grew == 0 || grew == 1, "one node per step on " + thread + ": " + trail + " then " + newer);
        }
        newer = trail;
      }
      List<String> latest = trail(await(checkpointer.load(thread)));
      List<String> ran = beforeKill.getOrDefault(thread, List.of());
      assertTrue(ran.size() >= latest.size() && ran.subList(0, latest.size()).equals(latest),
          thread + ": the durable trail " + latest + " is a prefix of what ran " + ran);
      assertTrue(ran.size() - latest.size() <= 1, thread + ": at most the node in flight ran without its "
          + "checkpoint, under sync: durable " + latest + ", ran " + ran);
      durable.put(thread, latest);
    }
    return durable;
  }

  private static List<String> trail(Checkpoint checkpoint) {
    List<Object> trail = checkpoint.state().getList("trail");
    return trail == null ? List.of() : trail.stream().map(String::valueOf).toList();
  }

  /** Starts the load, kills it with SIGKILL mid-load; returns its last group-commit counters (transactions, saves). */
  private long[] killMidLoad(JsonObject storeConfig, Path log) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        GroupCommitCrashLoad.class.getName(), storeConfig.encode(), String.valueOf(THREADS), log.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long[] stats = new long[2];
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.startsWith("STATS ")) {
            String[] parts = line.split(" ");
            synchronized (stats) {
              stats[0] = Long.parseLong(parts[1]);
              stats[1] = Long.parseLong(parts[2]);
            }
          }
        }
      } catch (Exception e) {
        // the child was killed
      }
    }, "group-commit-crash-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (lineCount(log) < KILL_AFTER_LINES) {
        assertTrue(child.isAlive(), "the load ended before it was killed (exit " + (child.isAlive() ? "" :
            child.exitValue()) + ")");
        assertTrue(System.nanoTime() < deadline, "the load logged " + lineCount(log) + " nodes in 120 s");
        Thread.sleep(5);
      }
      child.destroyForcibly();
      assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the killed child did not exit");
    } finally {
      child.destroyForcibly();
    }
    reader.join(5_000);
    synchronized (stats) {
      return stats.clone();
    }
  }

  private static long lineCount(Path log) throws Exception {
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }

  /** The log's node executions by thread, in order (a torn last line, if any, is left out). */
  private static Map<String, List<String>> executions(Path log) throws Exception {
    Map<String, List<String>> byThread = new HashMap<>();
    if (!Files.exists(log)) {
      return byThread;
    }
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      String[] parts = line.split(" ");
      if (parts.length == 2 && NODES.contains(parts[1])) {
        byThread.computeIfAbsent(parts[0], t -> new ArrayList<>()).add(parts[1]);
      }
    }
    return byThread;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
