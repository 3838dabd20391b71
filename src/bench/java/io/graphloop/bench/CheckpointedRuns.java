package io.graphloop.bench;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.support.ThrowawayPostgres;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Graphloop's chain on a thread with a checkpoint store: each run on a thread of its own (so it saves its input
 * checkpoint and one checkpoint per step, 101 for chain 100), one run after another from one event-loop context,
 * in a durability mode given per batch. Only the runs are timed: after each run its thread is deleted, untimed, so
 * the store stays small however long the measurement.
 *
 * <p>A shape with a latency gets blocking nodes that each sleep that long. Stores: {@code memory}, {@code sqlite}
 * (a temporary directory, SQLite's defaults as shipped: WAL, {@code synchronous=FULL}), {@code postgres} (a
 * throwaway local server with PostgreSQL's durable defaults, see {@link ThrowawayPostgres}).
 *
 * <p>Used from the child's main thread; the run loop is confined to its driver context.
 */
final class CheckpointedRuns implements AutoCloseable {

  private final Vertx vertx;
  private final GraphRuntime runtime;
  private final GraphClient client;
  private final Context driver;
  private final int steps;
  private final Path sqliteDir;
  private final ThrowawayPostgres postgres;
  private final String storeDescription;
  private long threads;

  private CheckpointedRuns(Vertx vertx, GraphRuntime runtime, int steps, Path sqliteDir, ThrowawayPostgres postgres,
                           String storeDescription) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.client = GraphClient.create(vertx, runtime.graph().name(), 600_000);
    this.driver = vertx.getOrCreateContext();
    this.steps = steps;
    this.sqliteDir = sqliteDir;
    this.postgres = postgres;
    this.storeDescription = storeDescription;
  }

  /**
   * Deploys the chain of {@code shape} with a {@code store} checkpointer.
   *
   * @throws SystemAdapter.UnsupportedShapeException "not available: ..." when the store cannot be had here
   */
  static CheckpointedRuns open(String store, GraphShape shape) throws Exception {
    Path sqliteDir = null;
    ThrowawayPostgres postgres = null;
    JsonObject config;
    String description;
    switch (store) {
      case "memory":
        config = new JsonObject().put("type", "memory");
        description = "MemoryCheckpointStore";
        break;
      case "sqlite":
        sqliteDir = Files.createTempDirectory("graphloop-bench-sqlite-");
        config = new JsonObject().put("type", "sqlite").put("dataDir", sqliteDir.toString());
        description = "SqliteCheckpointStore (WAL, synchronous=FULL) in " + sqliteDir;
        break;
      case "postgres":
        Path bin = ThrowawayPostgres.findBinaries();
        if (bin == null) {
          throw new SystemAdapter.UnsupportedShapeException("not available: no PostgreSQL server binaries (initdb, "
              + "pg_ctl) in $GRAPHLOOP_PG_BIN, /usr/lib/postgresql/*/bin or on the PATH", null);
        }
        postgres = ThrowawayPostgres.start(bin, "graphloop_bench", true);
        config = new JsonObject().put("type", "postgres").put("host", "127.0.0.1").put("port", postgres.port())
            .put("database", postgres.database()).put("user", ThrowawayPostgres.SUPERUSER);
        description = "PostgresCheckpointStore on a local " + postgres.version() + " (fsync on, TCP 127.0.0.1)";
        break;
      default:
        throw new IllegalArgumentException("unknown store " + store);
    }
    Vertx vertx = Vertx.vertx();
    try {
      CompiledGraph graph = shape.latencyMs() > 0 ? latencyChain(shape) : GraphloopAdapter.build(shape);
      GraphRuntime runtime = GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setCheckpointer(config))
          .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      return new CheckpointedRuns(vertx, runtime, shape.size(), sqliteDir, postgres, description);
    } catch (Exception e) {
      vertx.close();
      if (postgres != null) {
        postgres.close();
      }
      throw e;
    }
  }

  /**
   * A chain of blocking nodes that each sleep {@code latencyMs} on a worker thread (standing in for a model or
   * service call). Not a Vert.x timer: the JDK selector waits in whole milliseconds, so an event loop woken in the
   * middle of a 1 ms timer (e.g. by a finished checkpoint save) fires it up to 1 ms late, which would hide exactly
   * the overlap this measures.
   */
  private static CompiledGraph latencyChain(GraphShape shape) {
    StateGraph graph = new StateGraph(shape.name());
    for (int i = 0; i < shape.size(); i++) {
      graph.addBlockingNode("n" + i, (state, ctx) -> {
        Thread.sleep(shape.latencyMs());
        return Map.of("count", state.getInteger("count") + 1);
      });
      graph.addEdge(i == 0 ? StateGraph.START : "n" + (i - 1), "n" + i);
    }
    return graph.addEdge("n" + (shape.size() - 1), StateGraph.END).compile();
  }

  /** What the store is, for the report. */
  String storeDescription() {
    return storeDescription;
  }

  /** Runs one run after another for about {@code durationMs} (at least one) with {@code durability}. */
  Batch sequential(String durability, long durationMs) throws Exception {
    CompletableFuture<Batch> done = new CompletableFuture<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
    driver.runOnContext(v -> new Loop(durability, deadline, done).next());
    return done.get(15, TimeUnit.MINUTES);
  }

  /** The run loop of one batch, on the driver context. */
  private final class Loop {
    private final String durability;
    private final long deadline;
    private final CompletableFuture<Batch> done;
    private long runs;
    private long failures;
    private long timedNanos;
    private String firstError;

    Loop(String durability, long deadline, CompletableFuture<Batch> done) {
      this.durability = durability;
      this.deadline = deadline;
      this.done = done;
    }

    void next() {
      if (runs > 0 && System.nanoTime() >= deadline) {
        done.complete(new Batch(runs, failures, timedNanos, firstError));
        return;
      }
      String thread = "bench-" + threads++;
      long started = System.nanoTime();
      client.run(Map.of("count", 0), new RunOptions().setThreadId(thread).setDurability(Durability.of(durability)))
          .onComplete(result -> {
            timedNanos += System.nanoTime() - started;
            runs++;
            String problem = check(result);
            if (problem != null) {
              failures++;
              firstError = firstError == null ? problem : firstError;
            }
            runtime.checkpointer().deleteThread(thread).onComplete(deleted -> {
              if (deleted.failed() && firstError == null) {
                firstError = "deleting thread " + thread + ": " + deleted.cause();
              }
              next();
            });
          });
    }

    private String check(AsyncResult<RunResult> result) {
      if (result.failed()) {
        return String.valueOf(result.cause());
      }
      Integer count = result.result().values().getInteger("count");
      return count != null && count == steps && result.result().checkpointId() != null ? null
          : "wrong final state " + result.result().values() + " (checkpoint " + result.result().checkpointId() + ")";
    }
  }

  @Override
  public void close() {
    try {
      runtime.undeploy().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      System.err.println("closing the checkpointed runtime: " + e);
    }
    if (postgres != null) {
      postgres.close();
    }
    if (sqliteDir != null) {
      try (Stream<Path> files = Files.walk(sqliteDir)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (Exception e) {
        System.err.println("could not remove " + sqliteDir + ": " + e);
      }
    }
  }
}
