package io.graphloop.bench;

import io.graphloop.checkpoint.BlobRecord;
import io.graphloop.checkpoint.CheckpointIds;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointSource;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.SqliteCheckpointStore;
import io.graphloop.checkpoint.SqliteStoreOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SQLite store's cost per save, in measures that do not depend on the machine's load: CPU time per save of the
 * store's worker thread, of the event loops and of the whole process (every thread's CPU, summed), and bytes
 * allocated per save, with {@code threads} chains of saves in flight at once (each thread saves its next checkpoint,
 * parent = the previous one, when its last save completed, from its event loop), as the durable-steps workload's
 * coordinators do, without the engine. Works against any build of the store (only public API), so two builds can be
 * run back to back:
 *
 * <pre>
 * java -cp target/bench/graphloop-bench.jar io.graphloop.bench.SqliteSaveProbe [threads] [saves] [synchronous] [postgres|sqlite|memory] [channels]
 * </pre>
 *
 * System properties {@code probe.walAutocheckpointPages} and {@code probe.cacheSizeKiB} set those store options;
 * {@code graphloop.bench.durable.pgSettings} (as for the durable-steps row, {@link BenchPostgres}) starts the
 * PostgreSQL server with those settings (unset: PostgreSQL's defaults).
 * {@code channels} (default 1) is the number of channels each save writes a blob for (the durable-steps graph writes 2:
 * {@code count} and {@code t}). Besides CPU and allocation, it prints the process's write system calls and bytes
 * written per save ({@code /proc/self/io}: {@code syscw}, {@code wchar}), which count the pages SQLite's log gets.
 *
 * With {@code memory} as fourth argument, the same load runs on a {@link io.graphloop.checkpoint
 * .MemoryCheckpointStore} (no disk, no worker): its event-loop CPU and allocation per save, subtracted from the SQLite
 * store's, are what the SQLite store costs its callers (encoding the record, the hand-off to the writer, the
 * completions back to the callers' loops). With {@code postgres} as fourth argument, the same load runs on a {@link io.graphloop.checkpoint
 * .PostgresCheckpointStore} of a throwaway local server (fsync on; the third argument is then ignored), and the
 * server processes' CPU per save is printed as well (the JVM's "worker" column is then empty: the PostgreSQL store
 * has no worker thread).
 *
 * Defaults: 2,000 threads, 200,000 measured saves (after 100,000 of warm-up), {@code synchronous=FULL}.
 */
public final class SqliteSaveProbe {

  private SqliteSaveProbe() {
  }

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    long saves = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
    String synchronous = args.length > 2 ? args[2] : "FULL";
    boolean postgres = args.length > 3 && args[3].equals("postgres");
    boolean memory = args.length > 3 && args[3].equals("memory");
    int channels = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    Path dir = Files.createTempDirectory("sqlite-save-probe");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    io.graphloop.support.ThrowawayPostgres server = null;
    CheckpointStore store;
    if (memory) {
      store = new io.graphloop.checkpoint.MemoryCheckpointStore();
    } else if (postgres) {
      // PostgreSQL's defaults, or with -Dgraphloop.bench.durable.pgSettings=... those settings (as the bench's row)
      String settings = System.getProperty(BenchPostgres.SETTINGS_PROPERTY);
      server = io.graphloop.support.ThrowawayPostgres.start(io.graphloop.support.ThrowawayPostgres.findBinaries(),
          "graphloop_probe", true, settings == null ? Map.of() : BenchPostgres.parse(settings));
      store = io.graphloop.checkpoint.PostgresCheckpointStore.open(vertx, new io.graphloop.checkpoint
              .PostgresStoreOptions().setHost("127.0.0.1").setPort(server.port()).setDatabase(server.database())
              .setUser(io.graphloop.support.ThrowawayPostgres.SUPERUSER))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } else {
      store = SqliteCheckpointStore.open(vertx, new SqliteStoreOptions().setDataDir(dir.toString())
          .setFileName("probe.db").setSynchronous(synchronous)
          .setWalAutocheckpointPages(Integer.getInteger("probe.walAutocheckpointPages",
              SqliteStoreOptions.DEFAULT_WAL_AUTOCHECKPOINT_PAGES))
          .setCacheSizeKiB(Integer.getInteger("probe.cacheSizeKiB", SqliteStoreOptions.DEFAULT_CACHE_SIZE_KIB))).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    }
    AtomicLong done = new AtomicLong();
    long warmUp = saves / 2;
    CountDownLatch warm = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    long total = warmUp + saves;
    for (int loop = 0; loop < 2; loop++) {
      Context context = vertx.getOrCreateContext(); // a new event-loop context each time, round robin over the loops
      int first = loop;
      context.runOnContext(v -> {
        for (int t = first; t < threads; t += 2) {
          chain(store, "probe-" + t, null, channels, done, warmUp, total, warm, finished);
        }
      });
    }
    if (!warm.await(600, TimeUnit.SECONDS)) {
      throw new IllegalStateException("warm-up did not finish");
    }
    Map<Long, long[]> before = snapshot();
    long[] ioBefore = io();
    long serverBefore = server == null ? -1 : server.serverCpuNanos();
    long startNanos = System.nanoTime();
    if (!finished.await(600, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the measured saves did not finish");
    }
    long wallNanos = System.nanoTime() - startNanos;
    Map<Long, long[]> after = snapshot();
    long[] ioAfter = io();
    long serverAfter = server == null ? -1 : server.serverCpuNanos();
    long[] worker = new long[2];
    long[] loops = new long[2];
    long[] all = new long[2];
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (Map.Entry<Long, long[]> e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      long cpu = e.getValue()[0] - b[0];
      long alloc = e.getValue()[1] - b[1];
      var info = mx.getThreadInfo(e.getKey());
      String name = info == null ? "" : info.getThreadName();
      long[] group = name.startsWith("graphloop-sqlite-") ? worker : name.startsWith("vert.x-eventloop") ? loops
          : null;
      if (group != null) {
        group[0] += cpu;
        group[1] += alloc;
      }
      all[0] += cpu;
      all[1] += alloc;
    }
    var stats = store.groupCommitStats();
    System.out.printf("[sqlite-save-probe] %,d threads, %,d saves, synchronous=%s: %,.0f saves/s wall (load-dependent)"
            + "; CPU us/save: worker %.2f, event loops %.2f, process %.2f; allocated B/save: worker %,.0f, "
            + "event loops %,.0f, process %,.0f; %s%n", threads, saves, synchronous, saves * 1e9 / wallNanos,
        worker[0] / 1e3 / saves, loops[0] / 1e3 / saves, all[0] / 1e3 / saves, (double) worker[1] / saves,
        (double) loops[1] / saves, (double) all[1] / saves, stats);
    System.out.printf("[sqlite-save-probe] %d channel(s) per save: write system calls per save %.2f, bytes written "
            + "per save %,.0f, read system calls per save %.2f, bytes read per save %,.0f (/proc/self/io syscw, wchar, "
            + "syscr, rchar)%n", channels, (ioAfter[0] - ioBefore[0]) / (double) saves,
        (ioAfter[1] - ioBefore[1]) / (double) saves, (ioAfter[2] - ioBefore[2]) / (double) saves,
        (ioAfter[3] - ioBefore[3]) / (double) saves);
    if (server != null) {
      System.out.printf("[save-probe] PostgreSQL server processes: CPU us/save %.2f (%s)%n",
          (serverAfter - serverBefore) / 1e3 / saves, server.version());
    }
    store.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    if (server != null) {
      server.close();
    }
  }

  private static void chain(CheckpointStore store, String thread, String parent, int channels, AtomicLong done,
                            long warmUp, long total, CountDownLatch warm, CountDownLatch finished) {
    String id = CheckpointIds.next();
    Map<String, String> versions = new HashMap<>();
    List<BlobRecord> blobs = new java.util.ArrayList<>();
    for (int c = 0; c < channels; c++) {
      String channel = c == 0 ? "x" : "x" + c;
      versions.put(channel, id);
      blobs.add(BlobRecord.full(thread, channel, id, c == 0 ? Map.of("n", 1, "s", "text") : (Object) 12345L));
    }
    CheckpointRecord record = new CheckpointRecord(thread, id, parent, parent == null ? -1 : 1, Instant.now(),
        parent == null ? CheckpointSource.INPUT : CheckpointSource.LOOP, Map.of("step", 1), versions,
        List.of(), Map.of(), Map.of());
    Future<Void> saved = store.put(record, blobs);
    if (saved.isComplete()) {
      // the memory store answers at once: the next save goes in a task of its own, not on this stack
      Context context = Vertx.currentContext();
      context.runOnContext(v -> next(saved, store, thread, id, parent, channels, done, warmUp, total, warm, finished));
    } else {
      saved.onComplete(result -> next(saved, store, thread, id, parent, channels, done, warmUp, total, warm,
          finished));
    }
  }

  private static void next(Future<Void> result, CheckpointStore store, String thread, String id, String parent,
                           int channels, AtomicLong done, long warmUp, long total, CountDownLatch warm,
                           CountDownLatch finished) {
    if (result.failed()) {
      System.err.println("save failed: " + result.cause());
    }
    long n = done.incrementAndGet();
    if (n == warmUp) {
      warm.countDown();
    }
    if (n == total) {
      finished.countDown();
    }
    if (n < total) {
      chain(store, thread, result.succeeded() ? id : parent, channels, done, warmUp, total, warm, finished);
    }
  }

  /** The process's write system calls and bytes given to them ({@code /proc/self/io}); zeros where it is absent. */
  private static long[] io() {
    long[] io = new long[4];
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("syscw:")) {
          io[0] = Long.parseLong(line.substring(6).trim());
        } else if (line.startsWith("wchar:")) {
          io[1] = Long.parseLong(line.substring(6).trim());
        } else if (line.startsWith("syscr:")) {
          io[2] = Long.parseLong(line.substring(6).trim());
        } else if (line.startsWith("rchar:")) {
          io[3] = Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return io;
  }

  /** Every live thread's CPU time and allocated bytes, by thread id. */
  private static Map<Long, long[]> snapshot() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<Long, long[]> all = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      all.put(id, new long[] {mx.getThreadCpuTime(id), mx.getThreadAllocatedBytes(id)});
    }
    return all;
  }
}
