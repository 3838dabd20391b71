package io.graphloop.internal.graph;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.FunctionCalls;
import io.graphloop.graph.NodeDefinition;

/**
 * Tells an entrypoint's graph (an {@code io.graphloop.func.Entrypoint} compiled to a graph) from others: its only
 * node besides START is a {@link FunctionCalls.Caller}. The runtime fuses such a graph's START step into its input
 * checkpoint and the server shows its state as LangGraph Server does; both ask here (internal, not API).
 *
 * <p>Stateless; thread-safe.
 */
public final class Entrypoints {

  private Entrypoints() {
  }

  /** The name of {@code graph}'s entrypoint node when it is an entrypoint's graph, else null. */
  public static String entrypoint(CompiledGraph graph) {
    NodeDefinition only = null;
    for (NodeDefinition node : graph.nodes()) {
      if (node.index() == graph.startIndex()) {
        continue;
      }
      if (only != null) {
        return null;
      }
      only = node;
    }
    return only != null && only.async() instanceof FunctionCalls.Caller ? only.name() : null;
  }
}
