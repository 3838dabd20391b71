package io.graphloop.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One item of a long-term {@link Store}: a JSON object value under a namespace (a path of labels) and a key, as
 * LangGraph's {@code Item}. {@link #toJson()} is LangGraph's wire shape ({@code namespace}, {@code key},
 * {@code value}, {@code created_at}, {@code updated_at}), the one its SDKs read from {@code /store/items}.
 *
 * <p>Immutable (the value is a frozen JSON-compatible map); safe to share between threads.
 *
 * @param namespace  the item's namespace, e.g. {@code ["users", "alice", "memories"]}
 * @param key        the item's key within the namespace
 * @param value      the item's value (a JSON object)
 * @param createdAt  when the item was first put
 * @param updatedAt  when it was last put (or its TTL refreshed)
 * @param expiresAt  when it expires, {@code null} when it does not
 * @param ttlMinutes its time to live in minutes (refreshed on read when asked), {@code null} when none
 */
public record StoreItem(List<String> namespace, String key, Map<String, Object> value, Instant createdAt,
                        Instant updatedAt, Instant expiresAt, Double ttlMinutes) {

  public StoreItem {
    namespace = List.copyOf(Objects.requireNonNull(namespace, "namespace"));
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Whether the item has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  /** LangGraph's JSON shape of an item (search results add {@code "score": null}: no vector index here). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("namespace", new JsonArray(namespace))
        .put("key", key)
        .put("value", new JsonObject(value))
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
