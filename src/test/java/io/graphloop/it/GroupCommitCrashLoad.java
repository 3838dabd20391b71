package io.graphloop.it;

import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.CheckpointStores;
import io.graphloop.checkpoint.GroupCommitStats;
import io.graphloop.checkpoint.PostgresCheckpointStore;
import io.graphloop.checkpoint.SqliteCheckpointStore;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The child JVM of {@link GroupCommitCrashIT}: many threads in flight at once, each a chain of {@link #NODES}
 * ({@code n1 .. n10}) with durability {@code sync}, on the checkpoint store its first argument configures, so the
 * store group-commits the saves of many runs in each transaction, until the test kills the JVM with SIGKILL.
 *
 * <pre>
 * java -cp TEST_CLASSPATH io.graphloop.it.GroupCommitCrashLoad STORE_JSON THREADS LOG_FILE
 * </pre>
 *
 * <p>Each node waits 1 to 8 ms on a Vert.x timer (by thread and node, so the threads drift apart), then appends
 * {@code "<thread> <node>"} to the execution log (a worker thread's {@code write}: the line is in the OS's page
 * cache, which a killed process does not lose, before the node's result exists), then appends its name to the
 * {@code trail} channel (an append channel: checkpoints store it as deltas). The input names the thread in the
 * {@code thread} channel, which the nodes read. Under {@code sync} a node runs only
 * after the checkpoint before it is durable. Threads are {@code t0 .. t<THREADS-1>}.
 *
 * <p>Prints {@code STARTED <threads>} once every run is sent, then {@code STATS <transactions> <saves>} (the
 * store's {@link GroupCommitStats}) every 50 ms, and {@code DONE} if every run finished (the test kills it first).
 */
public final class GroupCommitCrashLoad {

  /** The nodes of every thread's chain, in order. */
  static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10");

  private GroupCommitCrashLoad() {
  }

  /** The chain, logging each node's execution to {@code log} (kept open by the caller, opened for append). */
  static CompiledGraph graph(FileChannel log) {
    StateGraph graph = new StateGraph("crashload").channel("trail", Channels.append());
    for (String node : NODES) {
      graph.addNode(node, (state, ctx) -> ctx.vertx().timer(1 + Math.floorMod((state.getString("thread") + node)
              .hashCode(), 8))
          .compose(t -> ctx.vertx().executeBlocking(() -> {
            append(log, state.getString("thread") + " " + node + "\n");
            return Map.of("trail", node);
          }, false)));
    }
    graph.addEdge(START, NODES.get(0));
    for (int i = 0; i + 1 < NODES.size(); i++) {
      graph.addEdge(NODES.get(i), NODES.get(i + 1));
    }
    return graph.addEdge(NODES.get(NODES.size() - 1), END).compile();
  }

  /** Opens the execution log for appending (one {@code write} per line; lines never interleave). */
  static FileChannel openLog(Path log) throws IOException {
    return FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private static void append(FileChannel log, String line) {
    try {
      log.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The store's group-commit counters, for the stores that have them. */
  static GroupCommitStats stats(CheckpointStore store) {
    if (store instanceof SqliteCheckpointStore sqlite) {
      return sqlite.groupCommitStats();
    }
    if (store instanceof PostgresCheckpointStore postgres) {
      return postgres.groupCommitStats();
    }
    return new GroupCommitStats(0, 0);
  }

  public static void main(String[] args) throws Exception {
    JsonObject storeConfig = new JsonObject(args[0]);
    int threads = Integer.parseInt(args[1]);
    FileChannel log = openLog(Path.of(args[2]));
    Vertx vertx = Vertx.vertx();
    CheckpointStore store = CheckpointStores.open(vertx, storeConfig).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    GraphRuntime runtime = GraphRuntime.deploy(vertx, graph(log), new GraphRuntimeOptions(), store)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    GraphClient client = runtime.client();
    List<io.vertx.core.Future<?>> runs = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      runs.add(client.run(Map.of("thread", "t" + i, "trail", List.of()), new RunOptions().setThreadId("t" + i).setDurability(io.graphloop.run.Durability.SYNC)));
    }
    System.out.println("STARTED " + threads);
    System.out.flush();
    vertx.setPeriodic(50, id -> {
      GroupCommitStats stats = stats(store);
      System.out.println("STATS " + stats.transactions() + " " + stats.saves());
      System.out.flush();
    });
    io.vertx.core.Future.all(runs).toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
    System.out.println("DONE");
    System.out.flush();
    System.exit(0);
  }
}
