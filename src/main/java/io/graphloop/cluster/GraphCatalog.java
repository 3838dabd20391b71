package io.graphloop.cluster;

import io.graphloop.graph.CompiledGraph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every graph the {@link GraphProvider}s on the classpath name, by name: what {@code graphloop member --graphs ...}
 * and {@code graphloop run --graph ...} look graphs up in. An unknown name fails with the list of known ones; two
 * providers naming the same graph fail the catalog at once, naming both.
 *
 * <p>Immutable and thread-safe once loaded. {@link #load()} scans the classpath: call it from a plain thread.
 */
public final class GraphCatalog {

  private final SortedMap<String, GraphProvider> byName;

  private GraphCatalog(SortedMap<String, GraphProvider> byName) {
    this.byName = Collections.unmodifiableSortedMap(byName);
  }

  /** The graphs of every provider visible to this class's class loader. */
  public static GraphCatalog load() {
    return load(GraphCatalog.class.getClassLoader());
  }

  /** The graphs of every provider visible to {@code loader}. */
  public static GraphCatalog load(ClassLoader loader) {
    return load(loader, List.of());
  }

  /**
   * The graphs of {@code builtIn} (providers a program registers for itself, as the command line does with the
   * example graphs) and of every provider visible to this class's class loader.
   *
   * @throws IllegalArgumentException when two providers name the same graph
   */
  public static GraphCatalog load(List<? extends GraphProvider> builtIn) {
    return load(GraphCatalog.class.getClassLoader(), builtIn);
  }

  private static GraphCatalog load(ClassLoader loader, List<? extends GraphProvider> builtIn) {
    List<GraphProvider> providers = new ArrayList<>(builtIn);
    ServiceLoader.load(GraphProvider.class, loader).forEach(providers::add);
    return of(providers);
  }

  /**
   * The graphs of {@code providers}.
   *
   * @throws IllegalArgumentException when two providers name the same graph
   */
  public static GraphCatalog of(List<? extends GraphProvider> providers) {
    SortedMap<String, GraphProvider> byName = new TreeMap<>();
    for (GraphProvider provider : providers) {
      for (String name : provider.names()) {
        GraphProvider other = byName.putIfAbsent(name, provider);
        if (other != null && other != provider) {
          throw new IllegalArgumentException("Graph '" + name + "' is named by two graph providers, "
              + other.getClass().getName() + " and " + provider.getClass().getName() + "; rename one of them.");
        }
      }
    }
    return new GraphCatalog(byName);
  }

  /** The known graph names, sorted. */
  public SortedSet<String> names() {
    return new TreeSet<>(byName.keySet());
  }

  /** Whether a provider names {@code name}. */
  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /**
   * Builds graph {@code name}.
   *
   * @throws IllegalArgumentException when no provider names it (listing the known graphs), or when its provider
   *     returns a graph of another name
   */
  public CompiledGraph graph(String name) {
    GraphProvider provider = byName.get(name);
    if (provider == null) {
      throw new IllegalArgumentException("Unknown graph '" + name + "'. Known graphs: " + String.join(", ", names())
          + ". More come from GraphProvider implementations listed in META-INF/services/"
          + GraphProvider.class.getName() + " on the classpath.");
    }
    CompiledGraph graph = provider.graph(name);
    if (graph == null || !graph.name().equals(name)) {
      throw new IllegalStateException("Graph provider " + provider.getClass().getName() + " returned "
          + (graph == null ? "null" : "a graph named '" + graph.name() + "'") + " for graph '" + name + "'.");
    }
    return graph;
  }

  /** Builds each of {@code names}, in order; see {@link #graph(String)}. */
  public List<CompiledGraph> graphs(List<String> names) {
    List<CompiledGraph> graphs = new ArrayList<>();
    names.forEach(name -> graphs.add(graph(name)));
    return graphs;
  }
}
