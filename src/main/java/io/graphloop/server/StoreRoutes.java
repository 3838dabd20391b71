package io.graphloop.server;

import io.graphloop.store.NamespaceQuery;
import io.graphloop.store.SearchRequest;
import io.graphloop.store.Store;
import io.graphloop.store.StoreItem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import java.util.Set;

/**
 * LangGraph Server's {@code /store/*} endpoints over a {@link Store}: {@code PUT /store/items}, {@code GET
 * /store/items?namespace=a.b&key=k[&refresh_ttl=]} ({@code null} when there is no such item, as the reference
 * server), {@code DELETE /store/items} (JSON body), {@code POST /store/items/search} ({@code {"items": [...]}}),
 * {@code POST /store/namespaces} ({@code {"namespaces": [[...]]}}).
 *
 * <p>Owners: with authentication on, each user has a store of their own: every namespace a user names is kept
 * under a hidden first label derived from the user ({@value #OWNER_LABEL_PREFIX} and a hash), which the routes add
 * on the way in and take off on the way out, so another user's items are never seen (LangGraph leaves this to
 * custom auth handlers; Graphloop's rule for threads, "belongs to its creator", applied to the store). Nodes reach
 * the store without that label ({@code NodeContext.store()}).
 *
 * <p>Thread rules: handlers run on the request's event loop; the store never blocks it.
 */
final class StoreRoutes {

  static final String OWNER_LABEL_PREFIX = "user~";
  private static final Set<String> PUT_FIELDS = Set.of("namespace", "key", "value", "index", "ttl");
  private static final Set<String> SEARCH_FIELDS = Set.of("namespace_prefix", "filter", "limit", "offset", "query",
      "refresh_ttl");
  private static final Set<String> NAMESPACE_FIELDS = Set.of("prefix", "suffix", "max_depth", "limit", "offset");

  private final Store store;

  StoreRoutes(Store store) {
    this.store = store;
  }

  void mount(Router router) {
    router.put("/store/items").handler(ctx -> handle(ctx, this::put));
    router.get("/store/items").handler(ctx -> handle(ctx, this::get));
    router.delete("/store/items").handler(ctx -> handle(ctx, this::delete));
    router.post("/store/items/search").handler(ctx -> handle(ctx, this::search));
    router.post("/store/namespaces").handler(ctx -> handle(ctx, this::namespaces));
  }

  /** Runs a route; a store's refusal of its arguments (thrown at once or failed later) is a 422 with its message. */
  private static void handle(RoutingContext ctx, java.util.function.Function<RoutingContext, Future<Object>> route) {
    Future<Object> result;
    try {
      result = route.apply(ctx);
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    } catch (IllegalArgumentException e) {
      ctx.fail(new ApiException(422, e.getMessage()));
      return;
    }
    answer(ctx, result);
  }

  private static void answer(RoutingContext ctx, Future<Object> result) {
    result.onComplete(done -> {
      if (done.failed()) {
        Throwable cause = done.cause();
        ctx.fail(cause instanceof IllegalArgumentException ? new ApiException(422, cause.getMessage()) : cause);
      } else if (done.result() == NO_CONTENT) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.response().putHeader("content-type", "application/json")
            .end(done.result() == null ? "null" : ((JsonObject) done.result()).encode());
      }
    });
  }

  private static final Object NO_CONTENT = new Object();

  private Future<Object> put(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, PUT_FIELDS, "a store put");
    List<String> namespace = namespace(body, "namespace", true);
    if (namespace.get(0).equals("langgraph")) {
      throw ApiException.invalid("The root label of a namespace cannot be \"langgraph\" (reserved); got " + namespace);
    }
    String key = required(Bodies.string(body, "key"), "key");
    JsonObject value = Bodies.object(body, "value");
    if (value == null) {
      throw ApiException.invalid("Field 'value' is required: the item's JSON object (delete with DELETE /store/items).");
    }
    Object ttl = body.getValue("ttl");
    if (ttl != null && !(ttl instanceof Number)) {
      throw Bodies.wrong("ttl", "a number of minutes", ttl);
    }
    return store.put(scoped(ctx, namespace), key, value.getMap(), ttl == null ? null : ((Number) ttl).doubleValue())
        .map(v -> NO_CONTENT);
  }

  private Future<Object> get(RoutingContext ctx) {
    String joined = ctx.request().getParam("namespace");
    String key = required(ctx.request().getParam("key"), "key");
    if (joined == null || joined.isEmpty()) {
      throw new ApiException(400, "Query parameter 'namespace' is required: the namespace's labels joined by '.', "
          + "e.g. namespace=users.alice");
    }
    String refresh = ctx.request().getParam("refresh_ttl");
    List<String> namespace = List.of(joined.split("\\.", -1));
    return store.get(scoped(ctx, namespace), key, refresh == null ? null : Bodies.boolParam(refresh, "refresh_ttl",
            false))
        .map(item -> item == null ? null : json(ctx, item));
  }

  private Future<Object> delete(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, Set.of("namespace", "key"), "a store delete");
    List<String> namespace = namespace(body, "namespace", true);
    return store.delete(scoped(ctx, namespace), required(Bodies.string(body, "key"), "key")).map(v -> NO_CONTENT);
  }

  private Future<Object> search(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, SEARCH_FIELDS, "a store search");
    if (body.getValue("query") != null) {
      throw ApiException.invalid("Semantic search ('query') needs a vector index, which Graphloop's store does not "
          + "have; search by namespace_prefix and filter instead.");
    }
    List<String> prefix = namespace(body, "namespace_prefix", false);
    JsonObject filter = Bodies.object(body, "filter");
    SearchRequest request = new SearchRequest(scoped(ctx, prefix), filter == null ? null : filter.getMap(),
        Bodies.integer(body, "limit", SearchRequest.DEFAULT_LIMIT, 1, Integer.MAX_VALUE),
        Bodies.integer(body, "offset", 0, 0, Integer.MAX_VALUE), Bodies.bool(body, "refresh_ttl"));
    return store.search(request).map(items -> {
      JsonArray array = new JsonArray();
      items.forEach(item -> array.add(json(ctx, item)));
      return new JsonObject().put("items", array);
    });
  }

  private Future<Object> namespaces(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    Bodies.onlyKnown(body, NAMESPACE_FIELDS, "a namespace listing");
    List<String> prefix = namespace(body, "prefix", false);
    List<String> suffix = namespace(body, "suffix", false);
    Object depth = body.getValue("max_depth");
    Integer maxDepth = depth == null ? null : Bodies.integer(body, "max_depth", 0, 1, Integer.MAX_VALUE);
    String owner = ownerLabel(ctx);
    NamespaceQuery query = new NamespaceQuery(scoped(ctx, prefix), suffix,
        maxDepth == null || owner == null ? maxDepth : Integer.valueOf(maxDepth + 1),
        Bodies.integer(body, "limit", NamespaceQuery.DEFAULT_LIMIT, 1, Integer.MAX_VALUE),
        Bodies.integer(body, "offset", 0, 0, Integer.MAX_VALUE));
    return store.listNamespaces(query).map(namespaces -> {
      JsonArray array = new JsonArray();
      namespaces.forEach(namespace -> array.add(new JsonArray(unscoped(owner, namespace))));
      return new JsonObject().put("namespaces", array);
    });
  }

  private static JsonObject json(RoutingContext ctx, StoreItem item) {
    JsonObject json = item.toJson();
    return json.put("namespace", new JsonArray(unscoped(ownerLabel(ctx), item.namespace())));
  }

  private static List<String> namespace(JsonObject body, String field, boolean required) {
    List<String> labels = Bodies.strings(body, field);
    if (body.getValue(field) instanceof String) {
      throw Bodies.wrong(field, "an array of strings", body.getValue(field));
    }
    if (labels == null || labels.isEmpty()) {
      if (required) {
        throw new ApiException(400, "Field '" + field + "' is required: the namespace as an array of labels, e.g. "
            + "[\"users\", \"alice\"]");
      }
      return List.of();
    }
    return labels;
  }

  private static String required(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw ApiException.invalid("Field '" + field + "' is required and must be a non-empty string.");
    }
    return value;
  }

  /** The hidden first label of the calling user's namespaces, or {@code null} when auth is off. */
  static String ownerLabel(RoutingContext ctx) {
    String user = Auth.user(ctx);
    if (user == null) {
      return null;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
      return OWNER_LABEL_PREFIX + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static List<String> scoped(RoutingContext ctx, List<String> namespace) {
    String owner = ownerLabel(ctx);
    if (owner == null) {
      return namespace;
    }
    List<String> scoped = new ArrayList<>(namespace.size() + 1);
    scoped.add(owner);
    scoped.addAll(namespace);
    return scoped;
  }

  private static List<String> unscoped(String owner, List<String> namespace) {
    return owner == null || namespace.isEmpty() || !namespace.get(0).equals(owner) ? namespace
        : namespace.subList(1, namespace.size());
  }

}
