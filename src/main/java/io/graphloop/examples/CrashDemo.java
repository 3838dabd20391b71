package io.graphloop.examples;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.ThreadState;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * A durable run to kill and resume ({@code ThreadCrashIT}, and {@code CoordinatorFailoverIT} on a cluster): eight
 * sequential nodes {@code s1 .. s8}, each waiting {@value #STEP_MS} ms (or the state's {@code delayMs}, at most
 * 10 s) on a Vert.x timer, then appending {@code "<node> <step> <runId>"} and a newline to an execution log (on a
 * worker thread, fsync'd, so the line is on disk before the node's result exists), then appending its name to the
 * {@code trail} channel. Here the thread is kept in SQLite with durability {@code sync}.
 *
 * <p>The same graph is the built-in {@code crash} graph of {@code member --graphs crash} ({@link ExampleGraphs}),
 * whose nodes log to the file named by the environment variable {@value #LOG_ENV} of the member hosting them (no log
 * without it). If the member's environment also names a gate file ({@value #GATE_ENV}), each node, once it has logged,
 * waits while that file exists (checked every {@value #GATE_POLL_MS} ms on a Vert.x timer): a test holds a run at a
 * known node until the rest of its cluster is up. A gate still there after {@value #GATE_MAX_MS} ms fails the node,
 * naming the file.
 *
 * <pre>
 * java -cp target/graphloop.jar io.graphloop.examples.CrashDemo DATA_DIR THREAD_ID run|resume LOG_FILE
 * </pre>
 *
 * <p>{@code run} starts the thread and prints {@code FINAL <state JSON>}; {@code resume} prints
 * {@code BEFORE <thread state JSON>} (where the thread stands), continues it ({@code proceed}) and prints
 * {@code FINAL <state JSON>}. Exit status 0, or 1 with the failure on stderr.
 */
public final class CrashDemo {

  /** How long each node waits before it logs. */
  public static final long STEP_MS = 250;
  /** The environment variable naming the execution log of the built-in {@code crash} graph's nodes. */
  public static final String LOG_ENV = "GRAPHLOOP_CRASH_LOG";
  /** The environment variable naming a file whose existence holds each node after it logged (see above). */
  public static final String GATE_ENV = "GRAPHLOOP_CRASH_GATE";
  static final long GATE_POLL_MS = 20;
  static final long GATE_MAX_MS = 120_000;
  /** The nodes, in order. */
  public static final List<String> NODES = List.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");

  private CrashDemo() {
  }

  /** The graph, logging every execution to {@code log} ({@code null}: no log). */
  public static CompiledGraph graph(Path log) {
    return graph(log, null);
  }

  /** The graph, logging to {@code log} and holding each node after it logged while {@code gate} exists (null: not). */
  public static CompiledGraph graph(Path log, Path gate) {
    return graph(log, gate, GATE_MAX_MS);
  }

  static CompiledGraph graph(Path log, Path gate, long gateMaxMs) {
    StateGraph graph = new StateGraph("crash").channel("trail", Channels.append());
    for (String node : NODES) {
      graph.addNode(node, (state, ctx) -> ctx.vertx().timer(delayMs(state.getLong("delayMs")))
          .compose(t -> ctx.vertx().executeBlocking(() -> {
            if (log != null) {
              append(log, node + " " + ctx.step() + " " + ctx.runId() + "\n");
            }
            return Map.of("trail", node);
          }, false))
          .compose(update -> gate == null ? Future.succeededFuture(update)
              : whileExists(ctx.vertx(), gate.toString(), gateMaxMs, System.nanoTime() + gateMaxMs * 1_000_000)
                  .map(open -> update)));
    }
    graph.addEdge(START, NODES.get(0));
    for (int i = 0; i + 1 < NODES.size(); i++) {
      graph.addEdge(NODES.get(i), NODES.get(i + 1));
    }
    return graph.addEdge(NODES.get(NODES.size() - 1), END).compile();
  }

  /** The built-in {@code crash} graph: logging to {@value #LOG_ENV}'s file, gated by {@value #GATE_ENV}'s. */
  static CompiledGraph fromEnvironment() {
    String log = System.getenv(LOG_ENV);
    String gate = System.getenv(GATE_ENV);
    return graph(log == null || log.isBlank() ? null : Path.of(log),
        gate == null || gate.isBlank() ? null : Path.of(gate));
  }

  /** Completes once {@code path} does not exist, polling on timers; fails if it still exists at {@code deadline}. */
  private static Future<Void> whileExists(Vertx vertx, String path, long maxMs, long deadline) {
    return vertx.fileSystem().exists(path).compose(exists -> {
      if (!exists) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(new IllegalStateException("The gate file " + path + " (" + GATE_ENV
            + ") still exists after " + maxMs + " ms: remove it to let the crash graph's nodes go on."));
      }
      return vertx.timer(GATE_POLL_MS).compose(t -> whileExists(vertx, path, maxMs, deadline));
    });
  }


  private static long delayMs(Long delay) {
    return delay == null ? STEP_MS : Math.max(1, Math.min(10_000, delay));
  }

  /** Appends {@code line} to {@code log} and forces it to disk. */
  static void append(Path log, String line) throws IOException {
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4 || !List.of("run", "resume").contains(args[2])) {
      System.err.println("usage: CrashDemo DATA_DIR THREAD_ID run|resume LOG_FILE");
      System.exit(2);
    }
    Path log = Path.of(args[3]);
    Vertx vertx = Vertx.vertx();
    int status = 0;
    try {
      GraphRuntime runtime = await(GraphRuntime.deploy(vertx, graph(log), new GraphRuntimeOptions()
          .setCheckpointer(new JsonObject().put("type", "sqlite").put("dataDir", args[0]))));
      GraphClient client = runtime.client();
      RunOptions thread = new RunOptions().setThreadId(args[1]).setDurability(Durability.SYNC);
      RunResult result;
      if (args[2].equals("run")) {
        result = await(client.run(Map.of("trail", List.of()), thread));
      } else {
        ThreadState before = await(client.getState(args[1]));
        print("BEFORE " + before.toJson().encode());
        result = await(client.proceed(thread));
      }
      print("FINAL " + result.values().toJson().encode());
      await(runtime.undeploy());
    } catch (Exception e) {
      System.err.println("CrashDemo failed: " + e);
      status = 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.exit(status);
  }

  private static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
