package io.graphloop.bench;

import io.graphloop.checkpoint.BlobRecord;
import io.graphloop.checkpoint.CheckpointIds;
import io.graphloop.checkpoint.CheckpointRecord;
import io.graphloop.checkpoint.CheckpointSource;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.PostgresCheckpointStore;
import io.graphloop.checkpoint.PostgresStoreOptions;
import io.graphloop.support.ThrowawayPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The PostgreSQL store's read paths under a read-heavy load, in measures that do not depend much on the machine's load:
 * the database server's CPU per read and the JVM's, besides reads per second (load-dependent). A throwaway server
 * (fsync on) gets {@code threads} threads of {@code checkpoints} checkpoints each, two channels per checkpoint as the
 * durable-steps graph has ({@code count}, a full value; {@code messages}, an append delta on a full value every
 * fifth checkpoint, so its chains are 1-5 links long); then each read kind runs {@code reads} times on random threads,
 * {@code concurrency} at once: the latest checkpoint with its chains and writes ({@code latestStored}, a run's start),
 * a checkpoint by id, a history page ({@code list}, 10), and the {@code messages} chain at the newest version. Only
 * public API, so two builds can be run back to back:
 *
 * <pre>
 * java -cp target/bench/graphloop-bench.jar io.graphloop.bench.PostgresReadProbe [threads] [checkpoints] [reads] [concurrency]
 * </pre>
 *
 * Defaults: 2,000 threads, 20 checkpoints, 40,000 reads of each kind (after 10,000 of warm-up), 64 at once.
 */
public final class PostgresReadProbe {

  private PostgresReadProbe() {
  }

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int checkpoints = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int reads = args.length > 2 ? Integer.parseInt(args[2]) : 40_000;
    int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ThrowawayPostgres server = ThrowawayPostgres.start(ThrowawayPostgres.findBinaries(), "graphloop_probe", true);
    try {
      CheckpointStore store = PostgresCheckpointStore.open(vertx, new PostgresStoreOptions().setHost("127.0.0.1")
              .setPort(server.port()).setDatabase(server.database()).setUser(ThrowawayPostgres.SUPERUSER)
              .setMaxWaitQueueSize(100_000))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      List<List<String>> ids = fill(vertx, store, threads, checkpoints);
      System.out.printf("[read-probe] %,d threads x %,d checkpoints written (2 channels each); %s%n", threads,
          checkpoints, server.version());
      measure(vertx, server, "latestStored", reads, concurrency, threads, t -> store.latestStored(thread(t)));
      measure(vertx, server, "get by id", reads, concurrency, threads,
          t -> store.get(thread(t), ids.get(t).get(ThreadLocalRandom.current().nextInt(checkpoints))));
      measure(vertx, server, "list 10", reads, concurrency, threads, t -> store.list(thread(t), 10, null));
      measure(vertx, server, "chain of messages", reads, concurrency, threads,
          t -> store.chain(thread(t), "messages", ids.get(t).get(checkpoints - 1)));
      store.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      server.close();
    }
  }

  private static String thread(int t) {
    return "read-probe-" + t;
  }

  /** Writes every thread's checkpoints (the threads in parallel, each thread's in order); their ids by thread. */
  private static List<List<String>> fill(Vertx vertx, CheckpointStore store, int threads, int checkpoints)
      throws Exception {
    List<List<String>> ids = new ArrayList<>();
    List<CompletableFuture<Void>> written = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<String> mine = new ArrayList<>();
      ids.add(mine);
      CompletableFuture<Void> done = new CompletableFuture<>();
      written.add(done);
      String thread = thread(t);
      vertx.runOnContext(v -> write(store, thread, mine, checkpoints, null, null).onComplete(r -> {
        if (r.succeeded()) {
          done.complete(null);
        } else {
          done.completeExceptionally(r.cause());
        }
      }));
    }
    CompletableFuture.allOf(written.toArray(new CompletableFuture[0])).get(20, TimeUnit.MINUTES);
    return ids;
  }

  private static Future<Void> write(CheckpointStore store, String thread, List<String> ids, int left, String parent,
      String messages) {
    if (left == 0) {
      return Future.succeededFuture();
    }
    String id = CheckpointIds.next();
    int step = ids.size();
    boolean full = step % 5 == 0;
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("count", id);
    versions.put("messages", id);
    List<BlobRecord> blobs = List.of(BlobRecord.full(thread, "count", id, step),
        full ? BlobRecord.full(thread, "messages", id, List.of(Map.of("role", "user", "content", "m" + step)))
            : BlobRecord.append(thread, "messages", id, messages, List.of(Map.of("role", "ai", "content",
                "m" + step))));
    CheckpointRecord record = new CheckpointRecord(thread, id, parent, step - 1, Instant.now(),
        parent == null ? CheckpointSource.INPUT : CheckpointSource.LOOP, Map.of("step", step - 1), versions,
        List.of(), Map.of(), Map.of("messages", step % 5));
    ids.add(id);
    return store.put(record, blobs).compose(v -> write(store, thread, ids, left - 1, id, id));
  }

  /** Runs {@code reads} warm-up reads, then {@code reads} measured, {@code concurrency} at once; prints the costs. */
  private static void measure(Vertx vertx, ThrowawayPostgres server, String what, int reads, int concurrency,
      int threads, Function<Integer, Future<?>> read) throws Exception {
    run(vertx, reads / 4, concurrency, threads, read);
    long serverBefore = server.serverCpuNanos();
    long jvmBefore = processCpuNanos();
    long began = System.nanoTime();
    long failed = run(vertx, reads, concurrency, threads, read);
    long wall = System.nanoTime() - began;
    long jvm = processCpuNanos() - jvmBefore;
    long serverCpu = server.serverCpuNanos() - serverBefore;
    System.out.printf("[read-probe] %-18s %,9.0f reads/s (load-dependent); server CPU us/read %6.1f; JVM CPU us/read "
        + "%6.1f; failed %d%n", what, reads * 1e9 / wall, serverCpu / 1e3 / reads, jvm / 1e3 / reads, failed);
  }

  /** {@code reads} reads, at most {@code concurrency} in flight; the number that failed. */
  private static long run(Vertx vertx, int reads, int concurrency, int threads, Function<Integer, Future<?>> read)
      throws Exception {
    AtomicLong started = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<CompletableFuture<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      CompletableFuture<Void> lane = new CompletableFuture<>();
      lanes.add(lane);
      vertx.runOnContext(v -> next(read, threads, reads, started, failed, lane));
    }
    CompletableFuture.allOf(lanes.toArray(new CompletableFuture[0])).get(10, TimeUnit.MINUTES);
    return failed.get();
  }

  private static void next(Function<Integer, Future<?>> read, int threads, int reads, AtomicLong started,
      AtomicLong failed, CompletableFuture<Void> lane) {
    if (started.incrementAndGet() > reads) {
      lane.complete(null);
      return;
    }
    read.apply(ThreadLocalRandom.current().nextInt(threads)).onComplete(r -> {
      if (r.failed()) {
        if (failed.incrementAndGet() == 1) {
          System.err.println("[read-probe] a read failed: " + r.cause());
        }
      }
      next(read, threads, reads, started, failed, lane);
    });
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
