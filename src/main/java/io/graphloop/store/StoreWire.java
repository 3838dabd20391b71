package io.graphloop.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of store requests and items on the event bus ({@link StoreVerticle}, {@link EventBusStore}): an item is
 * its LangGraph shape plus {@code expires_at} and {@code ttl_minutes}; a search is {@code namespacePrefix},
 * {@code filter}, {@code limit}, {@code offset}, {@code refreshTtl}; a listing {@code prefix}, {@code suffix},
 * {@code maxDepth}, {@code limit}, {@code offset}.
 *
 * <p>Stateless; thread-safe.
 */
final class StoreWire {

  private StoreWire() {
  }

  static List<String> labels(JsonObject json, String field) {
    JsonArray array = json.getJsonArray(field);
    if (array == null) {
      return null;
    }
    List<String> labels = new ArrayList<>(array.size());
    for (Object label : array) {
      if (!(label instanceof String)) {
        throw new IllegalArgumentException("'" + field + "' must be an array of strings; got " + array);
      }
      labels.add((String) label);
    }
    return labels;
  }

  static JsonObject item(StoreItem item) {
    if (item == null) {
      return null;
    }
    return item.toJson().put("expires_at", item.expiresAt() == null ? null : item.expiresAt().toString())
        .put("ttl_minutes", item.ttlMinutes());
  }

  static StoreItem item(JsonObject json) {
    if (json == null) {
      return null;
    }
    String expires = json.getString("expires_at");
    return new StoreItem(labels(json, "namespace"), json.getString("key"), StoreRules.frozenValue(
        json.getJsonObject("value").getMap(), "a stored value"), Instant.parse(json.getString("created_at")),
        Instant.parse(json.getString("updated_at")), expires == null ? null : Instant.parse(expires),
        json.getDouble("ttl_minutes"));
  }

  static JsonObject search(SearchRequest request) {
    return new JsonObject().put("op", "search").put("namespacePrefix", new JsonArray(request.namespacePrefix()))
        .put("filter", new JsonObject(request.filter())).put("limit", request.limit()).put("offset", request.offset())
        .put("refreshTtl", request.refreshTtl());
  }

  static SearchRequest search(JsonObject json) {
    JsonObject filter = json.getJsonObject("filter");
    return new SearchRequest(labels(json, "namespacePrefix"), filter == null ? null : filter.getMap(),
        json.getInteger("limit", SearchRequest.DEFAULT_LIMIT), json.getInteger("offset", 0),
        json.getBoolean("refreshTtl"));
  }

  static JsonObject namespaces(NamespaceQuery query) {
    return new JsonObject().put("op", "listNamespaces").put("prefix", new JsonArray(query.prefix()))
        .put("suffix", new JsonArray(query.suffix())).put("maxDepth", query.maxDepth()).put("limit", query.limit())
        .put("offset", query.offset());
  }

  static NamespaceQuery namespaces(JsonObject json) {
    return new NamespaceQuery(labels(json, "prefix"), labels(json, "suffix"), json.getInteger("maxDepth"),
        json.getInteger("limit", NamespaceQuery.DEFAULT_LIMIT), json.getInteger("offset", 0));
  }
}
