package io.graphloop.bench;

import io.graphloop.cluster.GraphCatalog;
import io.graphloop.cluster.GraphProvider;
import io.graphloop.examples.SeedGraph;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.server.ServeCommand;

import java.util.List;
import java.util.Set;

/**
 * The server benchmark's server: {@code serve} (the CLI's {@link ServeCommand}, unchanged) over two graphs, in a JVM
 * of its own so that its RSS and threads are measured alone: {@code seed-0ms} (the seed graph, no latency: the
 * server's and runtime's own cost per run) and {@code seed-100ms} (the seed graph with 100 ms per node).
 *
 * <p>Runs on the child's main thread until stopped.
 */
public final class ServerBenchServe {

  static final String FAST = "seed-0ms";
  static final String SLOW = "seed-100ms";

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
    System.exit(ServeCommand.run(args, GraphCatalog.of(List.of(graphs)), System.out, System.err));
  }
}
