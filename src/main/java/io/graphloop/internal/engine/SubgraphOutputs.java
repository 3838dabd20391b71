package io.graphloop.internal.engine;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.state.State;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default way state crosses a subgraph node, as LangGraph's shared keys.
 *
 * <ul>
 *   <li>In: the child receives the parent's values of the keys it has: all of them for a child that accepts any
 *       key, only its declared channels for a {@code strictChannels()} child.</li>
 *   <li>Out: the child's final value of every key the parent has becomes the node's write to that key, and goes
 *       through the parent's reducer like any node's write: an append channel appends the child's whole list again
 *       (LangGraph re-adds it under {@code operator.add}), and a last-value key written by another node of the same
 *       step is an {@code InvalidUpdateException}, as in LangGraph. The parent has a key when it declares its channel,
 *       or, for a parent that accepts any key, when the key is in the parent's state the node received. Keys only
 *       the child has do not leak into the parent.</li>
 * </ul>
 *
 * <p>Pure and stateless.
 */
public final class SubgraphOutputs {

  private SubgraphOutputs() {
  }

  /** The child's input from the parent's snapshot {@code parent}. */
  public static Map<String, Object> input(CompiledGraph childGraph, State parent) {
    if (!childGraph.isStrictChannels()) {
      return parent.asMap();
    }
    Map<String, Object> input = new LinkedHashMap<>();
    for (String key : parent.channels()) {
      if (childGraph.channels().containsKey(key)) {
        input.put(key, parent.get(key));
      }
    }
    return input;
  }

  /** The update to {@code parent} (of graph {@code parentGraph}) that the child's final state {@code child} makes. */
  public static Map<String, Object> output(CompiledGraph parentGraph, State parent, State child) {
    Map<String, Object> update = new LinkedHashMap<>();
    for (String key : child.channels()) {
      if (parentGraph.channels().containsKey(key) || !parentGraph.isStrictChannels() && parent.has(key)) {
        update.put(key, child.get(key));
      }
    }
    return update;
  }
}
