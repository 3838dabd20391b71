package io.graphloop.bench;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.State;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * Where a burst's wall goes (issue 17), by phase: a graph of the seed's shape and timing ({@code start -> (llm, db)
 * -> END}, 100 ms {@link NodeContext#delay} waits) whose nodes stamp, per run, when {@code start} ran and when
 * {@code llm}'s wait began; the driver stamps when each run was handed to {@link GraphClient#invoke} and when its
 * outcome arrived. Prints, per origin (one loop, every loop, a plain thread), the percentiles of each stamp from the
 * burst's start, the timers' lateness and the GC during the burst. A diagnostic, not a harness row: the rows stay
 * the harness's {@code concurrency100000*}.
 *
 * <pre>java -Xms2g -Xmx2g -Xmn1g -XX:+UseG1GC -cp target/bench/graphloop-bench.jar io.graphloop.bench.BurstPhases
 *   [runs=100000] [origins=one,loops,thread] [rounds=3] [warmupMs=8000]</pre>
 *
 * <p>Thread rules: run from the main thread; stamps are written by the nodes' and drivers' loops into distinct slots.
 */
final class BurstPhases {

  private static final int CHUNK = 1_000;
  private static final long LATENCY_MS = 100;

  private final Vertx vertx = Vertx.vertx();
  private final int runs;
  private long[] sent;
  private long[] started;
  private long[] waited;
  private long[] finished;
  private long origin;
  private GraphClient client;
  private Context driver;
  private List<Context> loops;

  private BurstPhases(int runs) {
    this.runs = runs;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
      }
      opts.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    int runs = Integer.parseInt(opts.getOrDefault("runs", "100000"));
    List<String> origins = Arrays.asList(opts.getOrDefault("origins", "one,loops,thread").split(","));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
    long warmupMs = Long.parseLong(opts.getOrDefault("warmupMs", "8000"));
    BurstPhases probe = new BurstPhases(runs);
    try {
      probe.deploy();
      for (String origin : origins) {
        probe.burstsFor(origin, warmupMs);
      }
      for (int round = 0; round < rounds; round++) {
        for (String origin : origins) {
          probe.measured(origin, round);
        }
      }
    } finally {
      probe.vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  private void deploy() throws Exception {
    CompiledGraph graph = new StateGraph("phases")
        .addNode("start", state -> {
          started[state.getInteger("i")] = System.nanoTime();
          return Future.succeededFuture();
        })
        .addNode("llm", (state, ctx) -> {
          waited[state.getInteger("i")] = System.nanoTime();
          return ctx.delay(LATENCY_MS, Map.<String, Object>of("llm_result", "LLM answer"));
        })
        .addNode("db", (state, ctx) -> ctx.delay(LATENCY_MS, Map.<String, Object>of("db_result", "DB result")))
        .addEdge(START, "start").addEdge("start", "llm").addEdge("start", "db")
        .addEdge("llm", END).addEdge("db", END)
        .compile();
    GraphRuntimeOptions options = new GraphRuntimeOptions()
        .setMaxInFlightRuns(Math.max(GraphRuntimeOptions.DEFAULT_MAX_IN_FLIGHT_RUNS, runs))
        .setMaxRunBacklog(Math.max(GraphRuntimeOptions.DEFAULT_MAX_RUN_BACKLOG, 4 * runs));
    GraphRuntime.deploy(vertx, graph, options).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    client = GraphClient.create(vertx, graph.name(), 600_000, Math.max(GraphClient.DEFAULT_MAX_PENDING_RUNS, runs));
    driver = vertx.getOrCreateContext();
    io.vertx.core.internal.VertxInternal internal = (io.vertx.core.internal.VertxInternal) vertx;
    loops = new ArrayList<>();
    for (io.netty.util.concurrent.EventExecutor loop : internal.nettyEventLoopGroup()) {
      loops.add(internal.contextBuilder().withThreadingModel(io.vertx.core.ThreadingModel.EVENT_LOOP)
          .withEventLoop((io.netty.channel.EventLoop) loop).build());
    }
  }

  private void burstsFor(String origin, long warmupMs) throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    do {
      burst(origin, 1_000);
    } while (System.nanoTime() < end);
  }

  private void measured(String origin, int round) throws Exception {
    System.gc();
    long gcBefore = gcMillis();
    int gcsBefore = gcCount();
    long startedAt = System.currentTimeMillis();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long wall = burst(origin, runs);
    long cpu = os.getProcessCpuTime() - cpuBefore;
    long endedAt = System.currentTimeMillis();
    long gc = gcMillis() - gcBefore;
    int gcs = gcCount() - gcsBefore;
    long[] late = new long[runs];
    long[] startToWait = new long[runs];
    long[] waitToEnd = new long[runs];
    long[] sentToStart = new long[runs];
    for (int i = 0; i < runs; i++) {
      sentToStart[i] = started[i] - sent[i];
      startToWait[i] = waited[i] - started[i];
      waitToEnd[i] = finished[i] - waited[i];
      late[i] = waitToEnd[i] - TimeUnit.MILLISECONDS.toNanos(LATENCY_MS);
    }
    System.out.printf(Locale.ROOT, "%-6s round %d: wall %.3f s, process CPU %.2f us/run, GC %d ms in %d collections, "
        + "load %.2f, window %s %s%n", origin, round, wall / 1e9, cpu / 1e3 / runs, gc, gcs,
        os.getSystemLoadAverage(), java.time.Instant.ofEpochMilli(startedAt), java.time.Instant.ofEpochMilli(endedAt));
    line("  handed to invoke", relative(sent));
    line("  start node ran", relative(started));
    line("  llm wait began", relative(waited));
    line("  outcome heard", relative(finished));
    line("  sent -> start node", sentToStart);
    line("  start -> llm wait", startToWait);
    line("  llm wait -> outcome - 100 ms", late);
  }

  private long[] relative(long[] stamps) {
    long[] out = new long[runs];
    for (int i = 0; i < runs; i++) {
      out[i] = stamps[i] - origin;
    }
    return out;
  }

  private static void line(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    System.out.printf(Locale.ROOT, "%-32s min %7.1f  p10 %7.1f  p50 %7.1f  p90 %7.1f  p99 %7.1f  max %7.1f ms%n", what,
        sorted[0] / 1e6, sorted[n / 10] / 1e6, sorted[n / 2] / 1e6, sorted[n * 9 / 10] / 1e6,
        sorted[Math.min(n - 1, n * 99 / 100)] / 1e6, sorted[n - 1] / 1e6);
  }

  /** One burst of {@code count} runs from {@code origin}; returns its wall in nanoseconds. */
  private long burst(String from, int count) throws Exception {
    sent = new long[count];
    started = new long[count];
    waited = new long[count];
    finished = new long[count];
    CompletableFuture<Long> done = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(count);
    origin = System.nanoTime();
    switch (from) {
      case "one":
        driver.runOnContext(v -> send(driver, 0, count, left, done));
        break;
      case "loops": {
        int from0 = 0;
        for (int l = 0; l < loops.size(); l++) {
          Context loop = loops.get(l);
          int share = count / loops.size() + (l < count % loops.size() ? 1 : 0);
          int first = from0;
          loop.runOnContext(v -> send(loop, first, first + share, left, done));
          from0 += share;
        }
        break;
      }
      case "thread":
        for (int i = 0; i < count; i++) {
          invoke(i, left, done);
        }
        break;
      default:
        throw new IllegalArgumentException("origin one, loops or thread, not '" + from + "'");
    }
    return done.get(5, TimeUnit.MINUTES) - origin;
  }

  private void send(Context from, int next, int end, AtomicInteger left, CompletableFuture<Long> done) {
    int stop = Math.min(end, next + CHUNK);
    for (int i = next; i < stop; i++) {
      invoke(i, left, done);
    }
    if (stop < end) {
      from.runOnContext(v -> send(from, stop, end, left, done));
    }
  }

  private void invoke(int i, AtomicInteger left, CompletableFuture<Long> done) {
    sent[i] = System.nanoTime();
    client.invoke(Map.of("query", "q", "i", i)).onComplete(result -> {
      long now = System.nanoTime();
      finished[i] = now;
      if (result.failed() || !(result.result() instanceof State)) {
        done.completeExceptionally(result.failed() ? result.cause() : new IllegalStateException("no state"));
      } else if (left.decrementAndGet() == 0) {
        done.complete(now);
      }
    });
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static int gcCount() {
    int total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += (int) Math.max(0, gc.getCollectionCount());
    }
    return total;
  }
}
