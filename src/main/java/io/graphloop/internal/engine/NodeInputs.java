package io.graphloop.internal.engine;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.internal.graph.GraphInternals;
import io.graphloop.state.State;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input of a pull task (planned by an edge, a router, a Command or a join): the step's state, or for a node with
 * input keys ({@code NodeOptions.setInputKeys}, LangGraph's per-node input schema) only those of its channels that
 * have a value, as LangGraph's {@code _proc_input} reads a node's channels. A push task's input (a Send's argument)
 * is never filtered, as in LangGraph.
 *
 * <p>Stateless; safe from any thread.
 */
public final class NodeInputs {

  private static final GraphInternals.Accessor GRAPH = GraphInternals.get();

  private NodeInputs() {
  }

  /** Node {@code node}'s input when {@code state} is the step's state ({@code state} itself without input keys). */
  public static State pull(CompiledGraph graph, int node, State state) {
    String[] keys = node < 0 ? null : GRAPH.inputKeys(graph, node);
    if (keys == null) {
      return state;
    }
    Map<String, Object> read = new LinkedHashMap<>(keys.length * 2);
    for (String key : keys) {
      if (state.has(key)) {
        read.put(key, state.get(key));
      }
    }
    return State.of(read);
  }
}
