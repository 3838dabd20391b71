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
 * The assistants the server offers. Each graph has a system assistant, as LangGraph's server creates one for each
 * graph of {@code langgraph.json}, with the id LangGraph gives it (the UUIDv5 of the graph's name) and the graph's
 * name as its name; more can be created over a graph, changed (each change is a new version, which becomes the
 * latest) and deleted. A request may name an assistant by its id or by its graph's name (the system assistant).
 * With auth on, a created assistant belongs to its creator (another user gets 404, as for threads) and the system
 * assistants, which every user shares, cannot be changed or deleted by users (403).
 *
 * <p>Thread rules: changed only on the server verticle's context (the assistants routes); {@link #require},
 * {@link #ofGraph}, {@link #graph}, {@link #graphs} and {@link #exists} may be called from any context (the HTTP loops
 * start stateless runs): the assistants by id are a synchronized map, the graphs are fixed at construction.
 * {@link Assistant} and {@link Version} are immutable.
 */
final class Assistants {

  /** One version of an assistant: what a run of it uses. */
  record Version(int version, String name, String description, JsonObject config, JsonObject context,
                 JsonObject metadata, Instant createdAt) {
  }

  /** An assistant with its current (latest) version. */
  record Assistant(String assistantId, CompiledGraph graph, Instant createdAt, Instant updatedAt, Version current,
                   String owner) {

    String graphId() {
      return graph.name();
    }

    JsonObject config() {
      return current.config();
    }

    JsonObject context() {
      return current.context();
    }

    JsonObject toJson() {
      return new JsonObject().put("assistant_id", assistantId).put("graph_id", graphId())
          .put("config", current.config().copy()).put("context", current.context().copy())
          .put("created_at", createdAt.toString()).put("updated_at", updatedAt.toString())
          .put("metadata", current.metadata().copy()).put("version", current.version())
          .put("name", current.name()).put("description", current.description());
    }

    JsonObject versionJson(Version version) {
      return new JsonObject().put("assistant_id", assistantId).put("graph_id", graphId())
          .put("config", version.config().copy()).put("context", version.context().copy())
          .put("metadata", version.metadata().copy()).put("version", version.version())
          .put("created_at", version.createdAt().toString()).put("name", version.name())
          .put("description", version.description());
    }
  }

  private final Map<String, CompiledGraph> graphs = new LinkedHashMap<>();
  private final Map<String, Assistant> byId = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, List<Version>> versions = new LinkedHashMap<>();
  private final Map<String, String> systemByGraph = new LinkedHashMap<>();
  private final int maxAssistants;

  Assistants(Collection<CompiledGraph> graphs) {
    this(graphs, 10_000);
  }

  /** {@code maxAssistants}: how many assistants (system ones included) the server keeps at most. */
  Assistants(Collection<CompiledGraph> graphs, int maxAssistants) {
    this.maxAssistants = maxAssistants;
    Instant now = Instant.now();
    for (CompiledGraph graph : graphs) {
      this.graphs.put(graph.name(), graph);
      String id = Ids.uuid5(Ids.NAMESPACE_GRAPH, graph.name());
      systemByGraph.put(graph.name(), id);
      put(id, graph, now, new Version(1, graph.name(), null, new JsonObject(), new JsonObject(),
          new JsonObject().put("created_by", "system"), now), null);
    }
  }

  private void put(String id, CompiledGraph graph, Instant createdAt, Version version, String owner) {
    versions.computeIfAbsent(id, key -> new ArrayList<>()).add(version);
    byId.put(id, new Assistant(id, graph, createdAt, version.createdAt(), version, owner));
  }

  /** The assistant of id or graph name {@code idOrGraph}, whoever asks; 404 listing the graphs otherwise. */
  Assistant require(String idOrGraph) {
    return require(idOrGraph, null, true);
  }

  /**
   * The assistant of id or graph name {@code idOrGraph} as {@code user} sees it: the system assistants and the
   * user's own ({@code user == null}: auth is off, every assistant); 404 listing the graphs otherwise, as for an
   * assistant that does not exist.
   */
  Assistant require(String idOrGraph, String user) {
    return require(idOrGraph, user, false);
  }

  private Assistant require(String idOrGraph, String user, boolean anyone) {
    Assistant assistant = byId.get(idOrGraph);
    if (assistant == null && systemByGraph.containsKey(idOrGraph)) {
      assistant = byId.get(systemByGraph.get(idOrGraph));
    }
    if (assistant == null || !anyone && !visible(assistant, user)) {
      throw ApiException.notFound("Assistant '" + idOrGraph + "' (give a graph's name, one of " + graphs.keySet()
          + ", or an assistant's id)");
    }
    return assistant;
  }

  /** Whether {@code user} may see {@code assistant}: a system one, or the user's own; everything when auth is off. */
  static boolean visible(Assistant assistant, String user) {
    return user == null || assistant.owner() == null || assistant.owner().equals(user);
  }

  /** The system assistant of graph {@code graphId}, or {@code null}. */
  Assistant ofGraph(String graphId) {
    String id = systemByGraph.get(graphId);
    return id == null ? null : byId.get(id);
  }

  /** The server's graphs. */
  java.util.List<CompiledGraph> graphs() {
    return java.util.List.copyOf(graphs.values());
  }

  /** The graph named {@code graphId}; 404 listing the graphs otherwise. */
  CompiledGraph graph(String graphId) {
    CompiledGraph graph = graphs.get(graphId);
    if (graph == null) {
      throw ApiException.notFound("Graph '" + graphId + "' (the server's graphs are " + graphs.keySet() + ")");
    }
    return graph;
  }

  boolean exists(String id) {
    return byId.containsKey(id);
  }

  /** Creates assistant {@code id} (version 1), owned by {@code owner} ({@code null}: auth is off). */
  Assistant create(String id, CompiledGraph graph, String name, String description, JsonObject config,
                   JsonObject context, JsonObject metadata, String owner) {
    if (byId.size() >= maxAssistants) {
      throw new ApiException(429, "The server holds its maximum of " + maxAssistants + " assistants; delete some.");
    }
    Instant now = Instant.now();
    put(id, graph, now, new Version(1, name == null ? "Untitled" : name, description, config, context, metadata,
        now), owner);
    return byId.get(id);
  }

  /** A new version of {@code assistant} (fields left {@code null} keep their current value), made the latest. */
  Assistant update(Assistant assistant, CompiledGraph graph, String name, String description, JsonObject config,
                   JsonObject context, JsonObject metadata) {
    Version current = assistant.current();
    List<Version> all = versions.get(assistant.assistantId());
    int next = all.stream().mapToInt(Version::version).max().orElse(0) + 1;
    JsonObject mergedMetadata = current.metadata().copy();
    if (metadata != null) {
      mergedMetadata.mergeIn(metadata);
    }
    Version version = new Version(next, name == null ? current.name() : name,
        description == null ? current.description() : description, config == null ? current.config() : config,
        context == null ? current.context() : context, mergedMetadata, Instant.now());
    all.add(version);
    Assistant updated = new Assistant(assistant.assistantId(), graph == null ? assistant.graph() : graph,
        assistant.createdAt(), version.createdAt(), version, assistant.owner());
    byId.put(updated.assistantId(), updated);
    return updated;
  }

  /** Makes version {@code number} of {@code assistant} its current one; 404 when it has no such version. */
  Assistant setLatest(Assistant assistant, int number) {
    for (Version version : versions.get(assistant.assistantId())) {
      if (version.version() == number) {
        Assistant latest = new Assistant(assistant.assistantId(), assistant.graph(), assistant.createdAt(),
            Instant.now(), version, assistant.owner());
        byId.put(latest.assistantId(), latest);
        return latest;
      }
    }
    throw ApiException.notFound("Version " + number + " of assistant '" + assistant.assistantId() + "' (it has "
        + versions.get(assistant.assistantId()).size() + " versions)");
  }

  /** The versions of {@code assistant}, newest first. */
  List<Version> versions(Assistant assistant) {
    List<Version> all = new ArrayList<>(versions.get(assistant.assistantId()));
    java.util.Collections.reverse(all);
    return all;
  }

  void delete(Assistant assistant) {
    byId.remove(assistant.assistantId());
    versions.remove(assistant.assistantId());
  }

  List<Assistant> all() {
    synchronized (byId) {
      return new ArrayList<>(byId.values());
    }
  }
}
