package io.graphloop.server;

import io.graphloop.graph.Branch;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.JoinEdge;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.graph.StateGraph;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A graph's drawing as {@code GET /assistants/{id}/graph} answers it, in the shape Python LangGraph's
 * {@code get_graph().to_json()} gives: {@code {"nodes": [{"id", "type", "data"}...], "edges": [{"source", "target",
 * "conditional"?, "data"?}...]}}, with {@code __start__} first and {@code __end__} last. Static edges and waiting
 * joins are plain edges; a conditional edge's targets are its path map's values (labelled with the key when it
 * differs), or every node and END when it has no path map (its router may return any). A node with no outgoing edge
 * of any kind gets an edge to END, as its run ends there (unless a Command routes it elsewhere).
 *
 * <p>Stateless.
 */
final class GraphJson {

  private GraphJson() {
  }

  static JsonObject of(CompiledGraph graph) {
    JsonArray nodes = new JsonArray().add(node(StateGraph.START));
    for (NodeDefinition node : graph.nodes()) {
      nodes.add(node(node.name()));
    }
    nodes.add(new JsonObject().put("id", StateGraph.END));
    JsonArray edges = new JsonArray();
    int start = graph.startIndex();
    Set<Integer> hasOut = new LinkedHashSet<>();
    for (int source = 0; source <= graph.nodes().size(); source++) {
      String from = source == start ? StateGraph.START : graph.node(source).name();
      for (int target : graph.edgeTargets(source)) {
        edges.add(edge(from, graph.node(target).name(), null, false));
        hasOut.add(source);
      }
      for (Branch branch : graph.branches(source)) {
        hasOut.add(source);
        if (branch.pathMap() != null) {
          for (Map.Entry<String, String> path : new java.util.TreeMap<>(branch.pathMap()).entrySet()) {
            edges.add(edge(from, path.getValue(), path.getKey().equals(path.getValue()) ? null : path.getKey(), true));
          }
        } else {
          for (NodeDefinition target : graph.nodes()) {
            edges.add(edge(from, target.name(), null, true));
          }
          edges.add(edge(from, StateGraph.END, null, true));
        }
      }
    }
    for (JoinEdge join : graph.joins()) {
      for (String source : new LinkedHashSet<>(join.sources())) {
        edges.add(edge(source, join.target(), null, false));
        hasOut.add(graph.indexOf(source));
      }
    }
    for (NodeDefinition node : graph.nodes()) {
      if (!hasOut.contains(node.index())) {
        edges.add(edge(node.name(), StateGraph.END, null, false));
      }
    }
    return new JsonObject().put("nodes", nodes).put("edges", edges);
  }

  private static JsonObject node(String name) {
    return new JsonObject().put("id", name).put("type", "runnable").put("data", new JsonObject()
        .put("id", new JsonArray().add("graphloop").add("node")).put("name", name));
  }

  private static JsonObject edge(String source, String target, String label, boolean conditional) {
    JsonObject edge = new JsonObject().put("source", source).put("target", target);
    if (label != null) {
      edge.put("data", label);
    }
    if (conditional) {
      edge.put("conditional", true);
    }
    return edge;
  }
}
