package io.graphloop.graph;

import io.graphloop.state.State;

/**
 * Computes the cache key of a node's input (LangGraph's {@code CachePolicy.key_func}): tasks whose inputs give
 * equal keys share one cache entry. Return a {@code String}, a {@code byte[]}, or any JSON-compatible value (maps,
 * lists, numbers, ...; encoded as JSON with sorted object keys). Returning {@code null} or throwing fails the run
 * with an error naming the node.
 *
 * <p>Thread rules: called on the coordinator's event loop, once per task of the node; it must be quick and must
 * not block.
 */
@FunctionalInterface
public interface CacheKeyFunction {

  /** The key of {@code input}: the node's input, as the node receives it (for a Send, {@code input.arg()}). */
  Object key(State input) throws Exception;
}
