package io.graphloop.bridge;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A bridge client speaking the SockJS event-bus bridge's JSON frames over the raw WebSocket transport
 * ({@code <prefix>/websocket}), as a browser's {@code vertx-eventbus.js} or any language's client does:
 * {@code send}, {@code publish}, {@code register} go out; {@code rec} (a message or a reply) and {@code err} come in.
 *
 * <p>Thread rules: its frames are handled on the client Vert.x's event loop; {@link #next} may be called from any
 * thread (waiters and frames are guarded by this object).
 */
final class BridgeClient {

  private final Vertx vertx;
  /** Held for the socket's life: Vert.x closes a client that is no longer reachable (and its connections). */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<JsonObject> frames = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(Predicate<JsonObject> test, Promise<JsonObject> promise) {
  }

  private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    socket.handler(data -> onFrame(new JsonObject(data))); // text or binary frames, as the bridge writes them
    // the bridge closes a socket that sent no ping for its pingTimeout (10 s by default), as vertx-eventbus.js pings
    long pings = vertx.setPeriodic(5_000, id -> socket.writeTextMessage("{\"type\":\"ping\"}"));
    socket.closeHandler(closed -> vertx.cancelTimer(pings));
  }

  /** Connects to the bridge at {@code 127.0.0.1:port<path>} as {@code user}. */
  static Future<BridgeClient> connect(Vertx vertx, int port, String path, String user) {
    WebSocketClient client = vertx.createWebSocketClient();
    return client.connect(port, "127.0.0.1", path + "/websocket?user=" + user)
        .map(socket -> new BridgeClient(vertx, client, socket));
  }

  private synchronized void onFrame(JsonObject frame) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.test.test(frame)) {
        it.remove();
        waiter.promise.tryComplete(frame);
        return;
      }
    }
    frames.add(frame);
  }

  /** The first frame (already received or to come) that {@code test} accepts; fails after {@code timeoutMs}. */
  synchronized Future<JsonObject> next(Predicate<JsonObject> test, long timeoutMs) {
    for (Iterator<JsonObject> it = frames.iterator(); it.hasNext(); ) {
      JsonObject frame = it.next();
      if (test.test(frame)) {
        it.remove();
        return Future.succeededFuture(frame);
      }
    }
    Promise<JsonObject> promise = Promise.promise();
    Waiter waiter = new Waiter(test, promise);
    waiters.add(waiter);
    vertx.setTimer(timeoutMs, id -> {
      synchronized (this) {
        waiters.remove(waiter);
      }
      promise.tryFail("no matching frame within " + timeoutMs + " ms; unclaimed frames: " + unclaimed());
    });
    return promise.future();
  }

  /** The frames nobody waited for yet. */
  synchronized List<JsonObject> unclaimed() {
    return new ArrayList<>(frames);
  }

  /** Sends a {@code send} frame; the reply (a {@code rec} or {@code err} frame for its reply address) is returned. */
  Future<JsonObject> request(String address, JsonObject body, JsonObject headers) {
    String replyAddress = UUID.randomUUID().toString(); // 36 characters: the bridge refuses longer ones
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress);
    if (headers != null) {
      frame.put("headers", headers);
    }
    Future<JsonObject> reply = next(f -> replyAddress.equals(f.getString("address")), 30_000);
    return socket.writeTextMessage(frame.encode()).compose(written -> reply);
  }

  /** Writes one frame ({@code type}, {@code address}, {@code body}) without a reply address. */
  Future<Void> write(String type, String address, JsonObject body) {
    JsonObject frame = new JsonObject().put("type", type).put("address", address);
    if (body != null) {
      frame.put("body", body);
    }
    return socket.writeTextMessage(frame.encode());
  }

  /** Writes a frame, then returns the next {@code err} frame without an address (the bridge's refusal of it). */
  Future<JsonObject> refused(String type, String address, JsonObject body) {
    Future<JsonObject> error = next(f -> "err".equals(f.getString("type")) && f.getString("address") == null,
        10_000);
    return write(type, address, body).compose(written -> error);
  }

  Future<Void> close() {
    return socket.close().eventually(() -> client.close());
  }
}
