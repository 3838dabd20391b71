package io.graphloop.cluster;

import io.graphloop.graph.CompiledGraph;

import java.util.Set;

/**
 * Names the graphs a Graphloop process can deploy, so that the members of a cluster (started from the command
 * line: {@code graphloop member --graphs seed,chain}) agree on each graph by name. Every member that coordinates or
 * hosts nodes of a graph must build the same graph (same nodes, edges and node options) from the same provider.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.graphloop.cluster.GraphProvider} of your jar, put the jar on the classpath, and its
 * graphs are available to the {@code member} and {@code run} commands (see {@link GraphCatalog}). The library
 * registers no provider of its own: the command line adds the example graphs ({@code io.graphloop.examples.ExampleGraphs})
 * for itself, so an application's graph may take any name.
 *
 * <p>Thread rules: implementations must be thread-safe (the catalog may call them from any plain thread) and need a
 * public no-argument constructor. {@link #graph} may compile a new graph on each call; it is called once per
 * deployment.
 */
public interface GraphProvider {

  /** The names of the graphs this provider builds; each must equal the name of the graph {@link #graph} returns. */
  Set<String> names();

  /**
   * The graph named {@code name}, one of {@link #names()}.
   *
   * @throws IllegalArgumentException when {@code name} is not one of {@link #names()}
   */
  CompiledGraph graph(String name);
}
