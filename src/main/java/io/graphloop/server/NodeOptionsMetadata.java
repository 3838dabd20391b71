package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.graph.NodeKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Adds each drawn node's Graphloop options to the graph JSON that {@code GET /assistants/{id}/graph} answers, under
 * the node's {@code metadata.graphloop}: {@code kind} (async, blocking, virtual_thread, subgraph), {@code timeoutMs},
 * {@code retry} (the retry policy), {@code maxConcurrency}/{@code maxQueued} (the node's bulkhead), the worker pool,
 * {@code destinations}, {@code defer} and {@code cachePolicy} when set (the fields of {@code NodeOptions.toJson()}).
 *
 * <p>The rest of the JSON stays LangGraph's {@code get_graph().to_json()} shape: a node's {@code metadata} is a free
 * map in LangGraph (it holds {@code add_node(metadata=...)} and {@code __interrupt}), which LangGraph's SDKs pass
 * through and LangGraph Studio shows as is, so clients that do not know {@code graphloop} ignore it. START and END
 * have no options and get none. With xray a subgraph's inner node ({@code "parent:child"}) gets the inner graph's
 * options for that node.
 *
 * <p>Stateless; called on the request's event loop (it walks the compiled graph, which is immutable).
 */
final class NodeOptionsMetadata {

  /** The key under a node's {@code metadata}. */
  static final String KEY = "graphloop";

  private NodeOptionsMetadata() {
  }

  /** {@code drawing} (a graph's drawing JSON, changed in place and returned) with every node's options added. */
  static JsonObject addTo(CompiledGraph graph, JsonObject drawing) {
    JsonArray nodes = drawing.getJsonArray("nodes");
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject node = nodes.getJsonObject(i);
      NodeDefinition definition = find(graph, node.getString("id"));
      if (definition == null) {
        continue;
      }
      JsonObject metadata = node.getJsonObject("metadata");
      if (metadata == null) {
        metadata = new JsonObject();
        node.put("metadata", metadata);
      }
      JsonObject options = definition.options().toJson();
      JsonObject described = new JsonObject().put("kind", definition.kind().name().toLowerCase(java.util.Locale.ROOT));
      described.mergeIn(options);
      if (definition.kind() == NodeKind.SUBGRAPH) {
        described.put("subgraph", definition.subgraph().graph().name());
      }
      metadata.put(KEY, described);
    }
    return drawing;
  }

  /** The node a drawn id names: {@code "a"} in {@code graph}, {@code "a:b"} node b of a's subgraph, and so on. */
  private static NodeDefinition find(CompiledGraph graph, String id) {
    if (id == null) {
      return null;
    }
    String[] path = id.split(":", -1);
    CompiledGraph level = graph;
    NodeDefinition found = null;
    for (String name : path) {
      if (level == null) {
        return null;
      }
      found = level.node(name);        // START and END are no declared nodes: null
      if (found == null) {
        return null;
      }
      level = found.subgraph() == null ? null : found.subgraph().graph();
    }
    return found;
  }
}
