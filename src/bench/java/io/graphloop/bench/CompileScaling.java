package io.graphloop.bench;

import io.graphloop.graph.CompiledGraph;
import io.vertx.core.Future;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.state.AgentState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/**
 * Issue 17's compile-time scaling: how long {@code compile()} of a chain of N nodes takes in Graphloop and in
 * LangGraph4j, for N = 10 ... 100,000 (the harness's chain rows give the per-step cost at the same sizes). Only
 * {@code compile()} is timed: the graph is built (nodes and edges added) before the clock starts, a fresh graph for
 * each of the {@code --rounds} measurements, after a warm-up of 20 compiles of a 1,000-node chain. LangGraph4j sizes
 * after one whose compile exceeded {@code --lg4j-cap-s} are not measured (its compile is not linear; see the report).
 *
 * <pre>java -cp target/bench/graphloop-bench.jar io.graphloop.bench.CompileScaling [--rounds 5] [--lg4j-cap-s 10]</pre>
 *
 * <p>Single-threaded: runs on the main thread; no Vert.x instance is started (compiling deploys nothing).
 */
public final class CompileScaling {

  private static final int[] SIZES = {10, 100, 1_000, 10_000, 100_000};

  private CompileScaling() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    double lg4jCapSeconds = 10;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--lg4j-cap-s" -> lg4jCapSeconds = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException("Unknown option " + args[i]
            + "; the options are --rounds N, --lg4j-cap-s SECONDS");
      }
    }
    for (int i = 0; i < 20; i++) {
      graphloopChain(1_000).compile();
      lg4jChain(1_000).compile(CompileConfig.builder().recursionLimit(2_010).build());
    }
    System.out.println("| chain N | Graphloop compile (ms, median of " + rounds + ", min-max) | per node (us) "
        + "| LangGraph4j compile (ms) | per node (us) |");
    System.out.println("|---:|---:|---:|---:|---:|");
    boolean lg4jCapped = false;
    for (int n : SIZES) {
      List<Double> graphloop = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        io.graphloop.graph.StateGraph graph = graphloopChain(n);
        long start = System.nanoTime();
        CompiledGraph compiled = graph.compile();
        graphloop.add((System.nanoTime() - start) / 1e6);
        if (compiled.nodes().size() != n) {
          throw new IllegalStateException("compiled " + compiled.nodes().size() + " nodes, not " + n);
        }
      }
      String lg4jCell = "not measured (a smaller chain took over " + lg4jCapSeconds + " s)";
      String lg4jPerNode = "";
      if (!lg4jCapped) {
        List<Double> lg4j = new ArrayList<>();
        for (int r = 0; r < rounds && !lg4jCapped; r++) {
          org.bsc.langgraph4j.StateGraph<AgentState> graph = lg4jChain(n);
          long start = System.nanoTime();
          graph.compile(CompileConfig.builder().recursionLimit(2 * n + 10).build());
          double ms = (System.nanoTime() - start) / 1e6;
          lg4j.add(ms);
          lg4jCapped = ms > lg4jCapSeconds * 1e3;
        }
        lg4jCell = cell(lg4j) + (lg4jCapped ? " (over the cap: larger sizes not measured)" : "");
        lg4jPerNode = String.format(Locale.ROOT, "%.2f", Stats.median(lg4j) * 1e3 / n);
      }
      System.out.println(String.format(Locale.ROOT, "| %,d | %s | %.2f | %s | %s |", n, cell(graphloop),
          Stats.median(graphloop) * 1e3 / n, lg4jCell, lg4jPerNode));
    }
  }

  private static String cell(List<Double> millis) {
    return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", Stats.median(millis),
        millis.stream().mapToDouble(Double::doubleValue).min().orElse(0),
        millis.stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }

  /** The harness's chain ({@code GraphloopAdapter.build}), not yet compiled. */
  static io.graphloop.graph.StateGraph graphloopChain(int nodes) {
    io.graphloop.graph.StateGraph graph = new io.graphloop.graph.StateGraph("chain-" + nodes);
    for (int i = 0; i < nodes; i++) {
      graph.addNode("n" + i, state -> Future.succeededFuture(Map.of("count", state.getInteger("count") + 1)));
      graph.addEdge(i == 0 ? io.graphloop.graph.StateGraph.START : "n" + (i - 1), "n" + i);
    }
    return graph.addEdge("n" + (nodes - 1), io.graphloop.graph.StateGraph.END);
  }

  /** The harness's chain for LangGraph4j ({@code LangGraph4jAdapter}), not yet compiled. */
  static org.bsc.langgraph4j.StateGraph<AgentState> lg4jChain(int nodes) throws Exception {
    org.bsc.langgraph4j.StateGraph<AgentState> chain = new org.bsc.langgraph4j.StateGraph<>(AgentState::new);
    for (int i = 0; i < nodes; i++) {
      chain.addNode("n" + i, node_async(state -> Map.of("count", state.<Integer>value("count").orElse(0) + 1)));
      chain.addEdge(i == 0 ? org.bsc.langgraph4j.StateGraph.START : "n" + (i - 1), "n" + i);
    }
    return chain.addEdge("n" + (nodes - 1), org.bsc.langgraph4j.StateGraph.END);
  }
}
