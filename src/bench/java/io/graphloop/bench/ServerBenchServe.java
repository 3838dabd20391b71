package io.graphloop.bench;

import io.graphloop.cluster.GraphCatalog;
import io.graphloop.cluster.GraphProvider;
import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.server.ServeCommand;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The server benchmark's server: {@code serve} (the CLI's {@link ServeCommand}, unchanged) over two graphs, in a JVM
 * of its own so that its RSS and threads are measured alone: {@code seed-0ms} (the seed graph, no latency: the
 * server's and runtime's own cost per run) and {@code seed-100ms} (the seed graph with 100 ms per node).
 *
 * <p>Load-independent figures for {@link ServerBench}: a daemon thread reads commands on standard input and answers
 * each with one line {@code bench-stats {json}} on standard output: {@code stats} gives the bytes allocated so far by
 * every live thread ({@code ThreadMXBean.getThreadAllocatedBytes}), the GC collections and time, and the heap in use;
 * {@code gc} first runs a full collection, so its heap in use is what is retained.
 *
 * <p>Runs on the child's main thread until stopped; the stats thread only reads JVM counters.
 */
public final class ServerBenchServe {

  static final String FAST = "seed-0ms";
  static final String SLOW = "seed-100ms";
  /** The prefix of a stats answer on standard output. */
  static final String STATS = "bench-stats ";

  private ServerBenchServe() {
  }

  public static void main(String[] args) {
    GraphProvider graphs = new GraphProvider() {
      @Override
      public Set<String> names() {
        return Set.of(FAST, SLOW);
      }

      @Override
      public CompiledGraph graph(String name) {
        return SeedGraph.build(name, FAST.equals(name) ? 0 : 100);
      }
    };
    Thread stats = new Thread(ServerBenchServe::answerStats, "bench-stats");
    stats.setDaemon(true);
    stats.start();
    System.exit(ServeCommand.run(args, GraphCatalog.of(List.of(graphs)), System.out, System.err));
  }

  /** Answers {@code stats} and {@code gc} on standard input, one line each; also the trivial responder's. */
  static void answerStats() {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("gc")) {
          System.gc();
        }
        System.out.println(STATS + stats().encode());
        System.out.flush();
      }
    } catch (IOException e) {
      // the bench went away: nothing more to answer
    }
  }

  private static JsonObject stats() {
    long allocated = 0;
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (threads instanceof com.sun.management.ThreadMXBean sun) {
      for (long bytes : sun.getThreadAllocatedBytes(threads.getAllThreadIds())) {
        allocated += Math.max(0, bytes);
      }
    }
    long collections = 0;
    long gcMs = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collections += Math.max(0, gc.getCollectionCount());
      gcMs += Math.max(0, gc.getCollectionTime());
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new JsonObject().put("allocated", allocated).put("collections", collections).put("gcMs", gcMs)
        .put("heapUsed", heap.getUsed()).put("heapCommitted", heap.getCommitted());
  }
}
