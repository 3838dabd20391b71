package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.GraphSchemas;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The assistants endpoints of LangGraph Server ({@link Assistants}): create, search, count, get, update (a new
 * version), delete, graph, schemas, subgraphs, versions and latest.
 *
 * <p>Thread rules: handlers run on the server verticle's context, which {@link Assistants} is confined to.
 */
final class AssistantRoutes {

  private static final Set<String> SEARCH_FIELDS = Set.of("metadata", "graph_id", "name", "limit", "offset",
      "sort_by", "sort_order", "select");
  private static final Set<String> CREATE_FIELDS = Set.of("assistant_id", "graph_id", "config", "context",
      "metadata", "if_exists", "name", "description");
  private static final Set<String> UPDATE_FIELDS = Set.of("graph_id", "config", "context", "metadata", "name",
      "description");

  private final Assistants assistants;

  AssistantRoutes(Assistants assistants) {
    this.assistants = assistants;
  }

  void mount(Router router) {
    router.post("/assistants/search").handler(ctx -> {
      JsonObject body = Bodies.object(ctx);
      List<JsonObject> found = matches(body, Auth.user(ctx));
      int limit = Bodies.integer(body, "limit", 10, 1, 10_000);
      int offset = Bodies.integer(body, "offset", 0, 0, Integer.MAX_VALUE);
      JsonArray page = new JsonArray();
      found.stream().skip(offset).limit(limit).forEach(page::add);
      PageHeaders.set(ctx, found.size(), offset, page.size());
      ctx.json(page);
    });
    router.post("/assistants/count").handler(ctx -> ctx.json(matches(Bodies.object(ctx), Auth.user(ctx)).size()));
    router.post("/assistants").handler(ctx -> ctx.json(create(Bodies.object(ctx), Auth.user(ctx)).toJson()));
    router.get("/assistants/:assistant_id").handler(ctx -> ctx.json(assistant(ctx).toJson()));
    router.patch("/assistants/:assistant_id").handler(ctx -> ctx.json(update(changeable(ctx), Bodies.object(ctx))
        .toJson()));
    router.delete("/assistants/:assistant_id").handler(ctx -> {
      assistants.delete(changeable(ctx));
      ctx.response().setStatusCode(204).end();
    });
    router.get("/assistants/:assistant_id/graph").handler(ctx -> {
      Assistants.Assistant assistant = assistant(ctx);
      String xray = ctx.request().getParam("xray");
      if (xray != null && !xray.matches("true|false|\\d{1,3}")) {
        throw ApiException.invalid("Parameter 'xray' must be true, false or a depth (a whole number), was '" + xray
            + "'.");
      }
      // LangGraph's get_graph(xray).to_json(): xray=true expands every level of subgraphs, a number that many
      int depth = xray == null || xray.equals("false") ? 0 : xray.equals("true") ? -1 : Integer.parseInt(xray);
      // plus each node's Graphloop options under metadata.graphloop, which LangGraph's clients pass through
      ctx.json(NodeOptionsMetadata.addTo(assistant.graph(), assistant.graph().drawing(depth).toJson()));
    });
    router.get("/assistants/:assistant_id/schemas").handler(ctx -> ctx.json(schemas(assistant(ctx))));
    router.get("/assistants/:assistant_id/subgraphs").handler(ctx -> {
      assistant(ctx);
      ctx.json(new JsonObject());
    });
    router.get("/assistants/:assistant_id/subgraphs/:namespace").handler(ctx -> {
      assistant(ctx);
      ctx.json(new JsonObject());
    });
    router.post("/assistants/:assistant_id/versions").handler(ctx -> ctx.json(versions(assistant(ctx),
        Bodies.object(ctx))));
    router.post("/assistants/:assistant_id/latest").handler(ctx -> {
      Assistants.Assistant assistant = changeable(ctx);
      JsonObject body = Bodies.object(ctx);
      Bodies.onlyKnown(body, Set.of("version"), "a set-latest request");
      if (body.getValue("version") == null) {
        throw ApiException.invalid("Field 'version' is required: the version number to make the latest.");
      }
      ctx.json(assistants.setLatest(assistant, Bodies.integer(body, "version", 1, 1, Integer.MAX_VALUE)).toJson());
    });
  }

  private Assistants.Assistant create(JsonObject body, String user) {
    Bodies.onlyKnown(body, CREATE_FIELDS, "an assistant");
    String graphId = Bodies.string(body, "graph_id");
    if (graphId == null) {
      throw ApiException.invalid("Field 'graph_id' is required: the name of one of the server's graphs.");
    }
    CompiledGraph graph = assistants.graph(graphId);
    String id = Bodies.string(body, "assistant_id");
    if (id != null && !Ids.isUuid(id)) {
      throw Bodies.wrong("assistant_id", "a UUID", id);
    }
    String ifExists = Bodies.oneOf(body, "if_exists", "raise", List.of("raise", "do_nothing"));
    JsonObject config = config(body);
    JsonObject context = orEmpty(Bodies.object(body, "context"));
    JsonObject metadata = orEmpty(Bodies.object(body, "metadata"));
    String name = Bodies.string(body, "name");
    String description = Bodies.string(body, "description");
    if (id != null && assistants.exists(id)) {
      if ("do_nothing".equals(ifExists) && Assistants.visible(assistants.require(id), user)) {
        return assistants.require(id);
      }
      throw new ApiException(409, "Assistant '" + id + "' already exists; send if_exists \"do_nothing\" to get it "
          + "back instead.");
    }
    return assistants.create(id == null ? Ids.uuid4() : id, graph, name, description, config, context, metadata,
        user);
  }

  private Assistants.Assistant update(Assistants.Assistant assistant, JsonObject body) {
    Bodies.onlyKnown(body, UPDATE_FIELDS, "an assistant update");
    String graphId = Bodies.string(body, "graph_id");
    CompiledGraph graph = graphId == null ? null : assistants.graph(graphId);
    JsonObject config = body.getValue("config") == null ? null : config(body);
    return assistants.update(assistant, graph, Bodies.string(body, "name"), Bodies.string(body, "description"),
        config, Bodies.object(body, "context"), Bodies.object(body, "metadata"));
  }

  private JsonArray versions(Assistants.Assistant assistant, JsonObject body) {
    Bodies.onlyKnown(body, Set.of("metadata", "limit", "offset"), "a versions request");
    JsonObject metadata = Bodies.object(body, "metadata");
    int limit = Bodies.integer(body, "limit", 10, 1, 10_000);
    int offset = Bodies.integer(body, "offset", 0, 0, Integer.MAX_VALUE);
    JsonArray page = new JsonArray();
    assistants.versions(assistant).stream()
        .filter(version -> matches(version.metadata(), metadata))
        .skip(offset).limit(limit).forEach(version -> page.add(assistant.versionJson(version)));
    return page;
  }

  /** An assistant's {@code config}: a JSON object whose {@code configurable}, if any, is an object. */
  private static JsonObject config(JsonObject body) {
    JsonObject config = orEmpty(Bodies.object(body, "config"));
    Object configurable = config.getValue("configurable");
    if (configurable != null && !(configurable instanceof JsonObject)) {
      throw Bodies.wrong("config.configurable", "a JSON object", configurable);
    }
    return config;
  }

  private static JsonObject orEmpty(JsonObject object) {
    return object == null ? new JsonObject() : object;
  }

  private static boolean matches(JsonObject metadata, JsonObject wanted) {
    return wanted == null || wanted.stream().allMatch(entry ->
        java.util.Objects.equals(metadata.getValue(entry.getKey()), entry.getValue()));
  }

  private Assistants.Assistant assistant(RoutingContext ctx) {
    return assistants.require(ctx.pathParam("assistant_id"), Auth.user(ctx));
  }

  /** The assistant the request may change: the caller's own, or with auth off any; a system one with auth on: 403. */
  private Assistants.Assistant changeable(RoutingContext ctx) {
    Assistants.Assistant assistant = assistant(ctx);
    if (Auth.user(ctx) != null && assistant.owner() == null) {
      throw new ApiException(403, "Assistant '" + assistant.assistantId() + "' is the system assistant of graph '"
          + assistant.graphId() + "', shared by every user: it cannot be changed or deleted; create your own "
          + "assistant over the graph (POST /assistants) instead.");
    }
    return assistant;
  }

  /** The assistants a search body matches, in its order (the page is the caller's). */
  private List<JsonObject> matches(JsonObject body, String user) {
    Bodies.onlyKnown(body, SEARCH_FIELDS, "an assistant search");
    JsonObject metadata = Bodies.object(body, "metadata");
    String graphId = Bodies.string(body, "graph_id");
    String name = Bodies.string(body, "name");
    String sortBy = Bodies.oneOf(body, "sort_by", null, List.of("assistant_id", "graph_id", "name", "created_at",
        "updated_at"));
    String sortOrder = Bodies.oneOf(body, "sort_order", "asc", List.of("asc", "desc"));
    List<JsonObject> found = new ArrayList<>();
    for (Assistants.Assistant assistant : assistants.all()) {
      JsonObject json = assistant.toJson();
      if (Assistants.visible(assistant, user) && (graphId == null || graphId.equals(assistant.graphId()))
          && (name == null || String.valueOf(json.getString("name")).contains(name))
          && matches(json.getJsonObject("metadata"), metadata)) {
        found.add(json);
      }
    }
    if (sortBy != null) {
      java.util.Comparator<JsonObject> order = java.util.Comparator.comparing(json ->
          String.valueOf(json.getValue(sortBy)));
      found.sort("desc".equals(sortOrder) ? order.reversed() : order);
    }
    return found;
  }

  /** LangGraph's GraphSchema: the graph's input, output, state and config JSON Schemas ({@link GraphSchemas}). */
  private static JsonObject schemas(Assistants.Assistant assistant) {
    CompiledGraph graph = assistant.graph();
    return new JsonObject().put("graph_id", graph.name()).put("input_schema", GraphSchemas.input(graph))
        .put("output_schema", GraphSchemas.output(graph)).put("state_schema", GraphSchemas.state(graph))
        .put("config_schema", GraphSchemas.config(graph)).put("context_schema", null);
  }
}
