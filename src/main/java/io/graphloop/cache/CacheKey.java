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

  /**
   * The namespace of the results of task {@code task} of the functional API in graph {@code graph} (an entrypoint's):
   * {@code __pregel_ns_writes|graph|task:<task>}, apart from any node's.
   */
  public static String taskNamespace(String graph, String task) {
    return writesNamespace(graph, "task:" + task);
  }

  /**
   * The key of a cache key value: SHA-256 (hex) of a string's UTF-8, of a byte array, or of any other value's JSON
   * with sorted object keys.
   *
   * @throws IllegalArgumentException when {@code value} is null or cannot be encoded as JSON
   */
  public static String digestOf(Object value) {
    if (value == null) {
      throw new IllegalArgumentException("a cache key cannot be null; use a String, a byte[] or a JSON-compatible "
          + "value");
    }
    byte[] bytes;
    if (value instanceof String) {
      bytes = ((String) value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } else if (value instanceof byte[]) {
      bytes = (byte[]) value;
    } else {
      try {
        bytes = CanonicalJson.MAPPER.writeValueAsBytes(value);
      } catch (Exception e) {
        throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot be encoded as JSON for a "
            + "cache key (" + e.getMessage() + "); use a String, a byte[] or a JSON-compatible value", e);
      }
    }
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Jackson's mapper for state values, writing map entries sorted by key (loaded on first use). */
  private static final class CanonicalJson {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = io.graphloop.state.StateJson.mapper().copy()
        .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  }
}
