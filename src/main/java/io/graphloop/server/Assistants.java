package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The assistants the server offers: one per graph, as LangGraph's server creates for each graph of
 * {@code langgraph.json}, with the id LangGraph would give it (the UUIDv5 of the graph's name) and the graph's name
 * as its name. A request may name an assistant by that id or by the graph's name.
 *
 * <p>Immutable after construction; thread-safe.
 */
final class Assistants {

  /** One assistant. */
  record Assistant(String assistantId, CompiledGraph graph, Instant createdAt) {

    String graphId() {
      return graph.name();
    }

    JsonObject toJson() {
      return new JsonObject().put("assistant_id", assistantId).put("graph_id", graphId())
          .put("config", new JsonObject()).put("context", new JsonObject())
          .put("created_at", createdAt.toString()).put("updated_at", createdAt.toString())
          .put("metadata", new JsonObject().put("created_by", "system")).put("version", 1)
          .put("name", graphId()).put("description", null);
    }
  }

  private final Map<String, Assistant> byId = new LinkedHashMap<>();
  private final Map<String, Assistant> byGraph = new LinkedHashMap<>();

  Assistants(Collection<CompiledGraph> graphs) {
    Instant now = Instant.now();
    for (CompiledGraph graph : graphs) {
      Assistant assistant = new Assistant(Ids.uuid5(Ids.NAMESPACE_GRAPH, graph.name()), graph, now);
      byId.put(assistant.assistantId(), assistant);
      byGraph.put(graph.name(), assistant);
    }
  }

  /** The assistant of id or graph name {@code idOrGraph}; 404 listing the graphs otherwise. */
  Assistant require(String idOrGraph) {
    Assistant assistant = byId.get(idOrGraph);
    if (assistant == null) {
      assistant = byGraph.get(idOrGraph);
    }
    if (assistant == null) {
      throw ApiException.notFound("Assistant '" + idOrGraph + "' (give a graph's name, one of " + byGraph.keySet()
          + ", or its assistant's id)");
    }
    return assistant;
  }

  /** The assistant of graph {@code graphId}, or {@code null}. */
  Assistant ofGraph(String graphId) {
    return byGraph.get(graphId);
  }

  List<Assistant> all() {
    return new ArrayList<>(byId.values());
  }
}
