package io.graphloop.cache;

import java.util.Objects;

/**
 * Where one cached entry lives in a {@link NodeCache}: a namespace (for node writes, one per graph and node, see
 * {@link #writesNamespace}) and a key within it (a hash of the task's input or of what the node's key function
 * returned). LangGraph's {@code FullKey}.
 *
 * <p>Immutable.
 *
 * @param namespace the namespace; {@link NodeCache#clear} removes whole namespaces
 * @param key       the key within the namespace
 */
public record CacheKey(String namespace, String key) {

  /** The prefix of the namespaces of node writes (LangGraph's {@code CACHE_NS_WRITES}). */
  public static final String WRITES = "__pregel_ns_writes";

  public CacheKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
  }

  /**
   * The namespace of the writes of node {@code node} of graph {@code graph}: {@code __pregel_ns_writes|graph|node}
   * (LangGraph uses the node's function identifier where Graphloop uses the graph's name: two graphs that share a
   * store keep their caches apart, and every member of a cluster computes the same namespace).
   */
  public static String writesNamespace(String graph, String node) {
    return WRITES + "|" + graph + "|" + node;
  }
}
