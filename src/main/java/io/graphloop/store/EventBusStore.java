package io.graphloop.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link Store} whose items live behind a {@link StoreVerticle} somewhere on the (clustered) event bus: hand it to
 * a worker member's {@code GraphRuntimeOptions.setStore} so its nodes share the coordinator member's store. Refusals
 * come back as {@link IllegalArgumentException}s with the store's message; a missing or silent store as the
 * event bus's failure after {@code timeoutMs}.
 *
 * <p>Thread rules: any thread; never blocks.
 */
public final class EventBusStore implements Store {

  /** The default request timeout. */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions delivery;

  public EventBusStore(Vertx vertx) {
    this(vertx, StoreVerticle.DEFAULT_ADDRESS, DEFAULT_TIMEOUT_MS);
  }

  public EventBusStore(Vertx vertx, String address, long timeoutMs) {
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("timeoutMs must be at least 1, got " + timeoutMs);
    }
    this.vertx = vertx;
    this.address = address;
    this.delivery = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  private Future<JsonObject> request(JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, delivery)
        .transform(reply -> {
          if (reply.succeeded()) {
            return Future.succeededFuture(reply.result().body());
          }
          Throwable cause = reply.cause();
          if (cause instanceof ReplyException && ((ReplyException) cause).failureCode() == 400) {
            return Future.failedFuture(new IllegalArgumentException(cause.getMessage()));
          }
          return Future.failedFuture(cause);
        });
  }

  @Override
  public Future<Void> put(List<String> namespace, String key, Map<String, ?> value, Double ttlMinutes) {
    JsonObject body = new JsonObject().put("op", "put").put("namespace", namespace == null ? null
        : new JsonArray(namespace)).put("key", key).put("ttl", ttlMinutes);
    if (value != null) {
      try {
        body.put("value", new JsonObject(StoreRules.frozenValue(value, "The value")));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
    }
    return request(body).mapEmpty();
  }

  @Override
  public Future<StoreItem> get(List<String> namespace, String key, Boolean refreshTtl) {
    return request(new JsonObject().put("op", "get").put("namespace", namespace == null ? null
        : new JsonArray(namespace)).put("key", key).put("refreshTtl", refreshTtl))
        .map(reply -> StoreWire.item(reply.getJsonObject("item")));
  }

  @Override
  public Future<Void> delete(List<String> namespace, String key) {
    return request(new JsonObject().put("op", "delete").put("namespace", namespace == null ? null
        : new JsonArray(namespace)).put("key", key)).mapEmpty();
  }

  @Override
  public Future<List<StoreItem>> search(SearchRequest request) {
    return request(StoreWire.search(request)).map(reply -> {
      List<StoreItem> items = new ArrayList<>();
      reply.getJsonArray("items").forEach(item -> items.add(StoreWire.item((JsonObject) item)));
      return items;
    });
  }

  @Override
  public Future<List<List<String>>> listNamespaces(NamespaceQuery query) {
    return request(StoreWire.namespaces(query)).map(reply -> {
      List<List<String>> namespaces = new ArrayList<>();
      for (Object namespace : reply.getJsonArray("namespaces")) {
        namespaces.add(StoreWire.labels(new JsonObject().put("n", namespace), "n"));
      }
      return namespaces;
    });
  }

  @Override
  public Future<Integer> sweep() {
    return request(new JsonObject().put("op", "sweep")).map(reply -> reply.getInteger("deleted"));
  }

  /** Nothing to release here: the store behind the verticle is closed by its owner. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
