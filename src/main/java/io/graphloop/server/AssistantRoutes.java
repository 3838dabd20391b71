package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The assistants endpoints of LangGraph Server over the server's graphs (one assistant each, see
 * {@link Assistants}): search, count, get, graph, schemas, subgraphs, versions and latest. Creating, changing or
 * deleting assistants is answered 501: the assistants are the deployed graphs.
 *
 * <p>Thread rules: handlers run on the server verticle's context; they only read immutable data.
 */
final class AssistantRoutes {

  private static final Set<String> SEARCH_FIELDS = Set.of("metadata", "graph_id", "name", "limit", "offset",
      "sort_by", "sort_order", "select");

  private final Assistants assistants;

  AssistantRoutes(Assistants assistants) {
    this.assistants = assistants;
  }

  void mount(Router router) {
    router.post("/assistants/search").handler(ctx -> ctx.json(search(Bodies.object(ctx))));
    router.post("/assistants/count").handler(ctx -> ctx.json(search(Bodies.object(ctx).put("limit", 10_000)).size()));
    router.post("/assistants").handler(this::readOnly);
    router.get("/assistants/:assistant_id").handler(ctx -> ctx.json(assistant(ctx).toJson()));
    router.patch("/assistants/:assistant_id").handler(this::readOnly);
    router.delete("/assistants/:assistant_id").handler(this::readOnly);
    router.get("/assistants/:assistant_id/graph").handler(ctx -> {
      Assistants.Assistant assistant = assistant(ctx);
      String xray = ctx.request().getParam("xray");
      if (xray != null && !xray.matches("true|false|\\d{1,3}")) {
        throw ApiException.invalid("Parameter 'xray' must be true, false or a depth (a whole number), was '" + xray
            + "'.");
      }
      // LangGraph's get_graph(xray).to_json(): xray=true expands every level of subgraphs, a number that many
      int depth = xray == null || xray.equals("false") ? 0 : xray.equals("true") ? -1 : Integer.parseInt(xray);
      ctx.json(assistant.graph().drawing(depth).toJson());
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
    router.post("/assistants/:assistant_id/versions").handler(ctx -> ctx.json(new JsonArray().add(assistant(ctx)
        .toJson())));
    router.post("/assistants/:assistant_id/latest").handler(ctx -> {
      Assistants.Assistant assistant = assistant(ctx);
      JsonObject body = Bodies.object(ctx);
      int version = Bodies.integer(body, "version", 1, 1, Integer.MAX_VALUE);
      if (version != 1) {
        throw ApiException.notFound("Version " + version + " of assistant '" + assistant.assistantId() + "' (it has "
            + "only version 1)");
      }
      ctx.json(assistant.toJson());
    });
  }

  private Assistants.Assistant assistant(RoutingContext ctx) {
    return assistants.require(ctx.pathParam("assistant_id"));
  }

  private void readOnly(RoutingContext ctx) {
    if (ctx.pathParam("assistant_id") != null) {
      assistant(ctx);
    }
    throw new ApiException(501, "Assistants are the server's graphs, one each (graph name = assistant name); "
        + "creating, changing or deleting assistants is not supported yet. Pass run settings in each run's "
        + "'config' and 'context' instead.");
  }

  private JsonArray search(JsonObject body) {
    Bodies.onlyKnown(body, SEARCH_FIELDS, "an assistant search");
    JsonObject metadata = Bodies.object(body, "metadata");
    String graphId = Bodies.string(body, "graph_id");
    String name = Bodies.string(body, "name");
    int limit = Bodies.integer(body, "limit", 10, 1, 10_000);
    int offset = Bodies.integer(body, "offset", 0, 0, Integer.MAX_VALUE);
    Bodies.oneOf(body, "sort_by", null, List.of("assistant_id", "graph_id", "name", "created_at", "updated_at"));
    Bodies.oneOf(body, "sort_order", null, List.of("asc", "desc"));
    List<JsonObject> found = new ArrayList<>();
    for (Assistants.Assistant assistant : assistants.all()) {
      JsonObject json = assistant.toJson();
      boolean metadataMatches = metadata == null || metadata.stream().allMatch(entry ->
          java.util.Objects.equals(json.getJsonObject("metadata").getValue(entry.getKey()), entry.getValue()));
      if ((graphId == null || graphId.equals(assistant.graphId()))
          && (name == null || assistant.graphId().contains(name)) && metadataMatches) {
        found.add(json);
      }
    }
    JsonArray page = new JsonArray();
    found.stream().skip(offset).limit(limit).forEach(page::add);
    return page;
  }

  /** LangGraph's GraphSchema: the state's channels as an object schema (any JSON value per channel). */
  private static JsonObject schemas(Assistants.Assistant assistant) {
    CompiledGraph graph = assistant.graph();
    JsonObject properties = new JsonObject();
    graph.channels().keySet().forEach(channel -> properties.put(channel, new JsonObject()));
    JsonObject state = new JsonObject().put("title", graph.name()).put("type", "object")
        .put("properties", properties);
    return new JsonObject().put("graph_id", graph.name()).put("input_schema", state).put("output_schema", state)
        .put("state_schema", state).put("config_schema", new JsonObject().put("title", "Configurable")
            .put("type", "object").put("properties", new JsonObject()))
        .put("context_schema", null);
  }
}
