package io.graphloop.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Serves a {@link Store} on the event bus (default address {@value #DEFAULT_ADDRESS}), so nodes and apps on other
 * members reach one store through {@link EventBusStore}. Requests are JSON objects with an {@code op}
 * ({@code put}, {@code get}, {@code delete}, {@code search}, {@code listNamespaces}, {@code sweep}) and that
 * operation's fields; see {@link StoreWire}. A refused argument is answered with failure code 400 and the store's
 * message; anything else with 500.
 *
 * <p>Anyone on the bus can read and write every namespace here: bridge this address to no one you do not trust (see
 * the README's trust model).
 *
 * <p>Thread rules: handlers run on the verticle's event loop; the store never blocks it.
 */
public final class StoreVerticle extends VerticleBase {

  /** The default address. */
  public static final String DEFAULT_ADDRESS = "graphloop.store";

  private final Store store;
  private final String address;
  private MessageConsumer<JsonObject> consumer;

  public StoreVerticle(Store store) {
    this(store, DEFAULT_ADDRESS);
  }

  public StoreVerticle(Store store, String address) {
    this.store = store;
    this.address = address;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(address, this::handle);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<JsonObject> message) {
    Future<Object> answer;
    try {
      answer = answer(message.body());
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else {
        Throwable cause = done.cause();
        boolean refused = cause instanceof IllegalArgumentException || cause instanceof ClassCastException;
        message.reply(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, refused ? 400 : 500,
            String.valueOf(cause.getMessage())));
      }
    });
  }

  private Future<Object> answer(JsonObject request) {
    if (request == null) {
      throw new IllegalArgumentException("A store request is a JSON object with an 'op'");
    }
    String op = request.getString("op");
    if (op == null) {
      throw new IllegalArgumentException("A store request needs an 'op': put, get, delete, search, listNamespaces or "
          + "sweep");
    }
    switch (op) {
      case "put":
        JsonObject value = request.getJsonObject("value");
        return store.put(StoreWire.labels(request, "namespace"), request.getString("key"),
            value == null ? null : value.getMap(), request.getDouble("ttl")).map(v -> new JsonObject());
      case "get":
        return store.get(StoreWire.labels(request, "namespace"), request.getString("key"),
            request.getBoolean("refreshTtl")).map(item -> new JsonObject().put("item", StoreWire.item(item)));
      case "delete":
        return store.delete(StoreWire.labels(request, "namespace"), request.getString("key"))
            .map(v -> new JsonObject());
      case "search":
        return store.search(StoreWire.search(request)).map(items -> {
          JsonArray array = new JsonArray();
          items.forEach(item -> array.add(StoreWire.item(item)));
          return new JsonObject().put("items", array);
        });
      case "listNamespaces":
        return store.listNamespaces(StoreWire.namespaces(request)).map(namespaces -> {
          List<JsonArray> arrays = new ArrayList<>();
          namespaces.forEach(namespace -> arrays.add(new JsonArray(namespace)));
          return new JsonObject().put("namespaces", new JsonArray(arrays));
        });
      case "sweep":
        return store.sweep().map(count -> new JsonObject().put("deleted", count));
      default:
        throw new IllegalArgumentException("Unknown store op '" + op + "'; use put, get, delete, search, "
            + "listNamespaces or sweep");
    }
  }
}
