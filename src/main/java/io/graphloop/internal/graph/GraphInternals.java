package io.graphloop.internal.graph;

import io.graphloop.graph.Branch;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.graph.NodeOptions;

/**
 * The engine's access to a compiled graph's own arrays and node options, without the copies that
 * {@link CompiledGraph}'s public methods hand to outside callers (internal, not API). Superstep planning reads
 * these on every step of every run, so it must not allocate; callers here must not modify what they get.
 *
 * <p>{@link CompiledGraph} installs the one {@link Accessor} when its class initializes (the pattern of the JDK's
 * {@code SharedSecrets}); {@link #get()} makes sure that has happened. Thread-safe: the accessor is stateless and
 * published through class initialization.
 */
public final class GraphInternals {

  /** Reads a compiled graph's shared internals; implemented inside {@code io.graphloop.graph}. */
  public interface Accessor {
    /** The static edge targets of node (or START) {@code source}, ascending, END excluded. Do not modify. */
    int[] edgeTargets(CompiledGraph graph, int source);

    /** The conditional edges leaving node (or START) {@code source}, in declaration order. Do not modify. */
    Branch[] branches(CompiledGraph graph, int source);

    /** The distinct source nodes of join {@code join}. Do not modify. */
    int[] joinSources(CompiledGraph graph, int join);

    /** The joins that node {@code source} is a source of. Do not modify. */
    int[] joinsOf(CompiledGraph graph, int source);

    /** The node's own options, shared by every run. Do not modify. */
    NodeOptions options(NodeDefinition node);

    /** The name of node {@code node} (read per step from an array, not from the node's definition). */
    String nodeName(CompiledGraph graph, int node);

    /** The most attempts of node {@code node} under its retry policy (1 without one). */
    int maxAttempts(CompiledGraph graph, int node);

    /**
     * The only static edge target of node (or START) {@code source}, {@link #NO_EDGE} when it has none, or
     * {@link #SEVERAL_EDGES} (then read {@link #edgeTargets}): one read in an array shared by every node rather than
     * an array per node, which is a cache miss per step on large graphs.
     */
    int onlyEdgeTarget(CompiledGraph graph, int source);

    /** Whether node {@code node} runs a subgraph. */
    boolean isSubgraph(CompiledGraph graph, int node);

    /**
     * The node that runs node {@code node}'s error handler (its own, else the graph's default), or -1: none, or
     * {@code node} is an error handler itself.
     */
    int errorHandler(CompiledGraph graph, int node);

    /** The channels node {@code node} reads ({@code NodeOptions.setInputKeys}), or null: the whole state. */
    String[] inputKeys(CompiledGraph graph, int node);
  }

  /** {@link Accessor#onlyEdgeTarget}: no static edge target. */
  public static final int NO_EDGE = -1;
  /** {@link Accessor#onlyEdgeTarget}: several static edge targets. */
  public static final int SEVERAL_EDGES = -2;

  private static volatile Accessor accessor;

  private GraphInternals() {
  }

  /**
   * Installs the accessor; called once, by {@link CompiledGraph}'s class initializer.
   *
   * @throws IllegalStateException when one is installed already
   */
  public static synchronized void install(Accessor installed) {
    if (accessor != null) {
      throw new IllegalStateException("GraphInternals' accessor is installed already (by CompiledGraph)");
    }
    accessor = installed;
  }

  /** The accessor, initializing {@link CompiledGraph} first if needed. */
  public static Accessor get() {
    Accessor current = accessor;
    if (current == null) {
      try {
        Class.forName(CompiledGraph.class.getName(), true, CompiledGraph.class.getClassLoader());
      } catch (ClassNotFoundException impossible) {
        throw new IllegalStateException(impossible);
      }
      current = accessor;
    }
    return current;
  }
}
