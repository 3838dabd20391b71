package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.ThreadRequest;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * How {@link GraphClient} sends {@link ThreadRequest}s to {@code graphloop.<graph>.threads} and reads the answers:
 * a bad request fails at once (400), an explicit send timeout, and failures as {@link GraphloopException}s (no
 * coordinator: 404; no answer in time: 504).
 *
 * <p>Stateless; safe from any thread.
 */
final class ThreadCalls {

  private ThreadCalls() {
  }

  /** Sends the request {@code request} builds; the future holds the reply's body. */
  static Future<Object> send(Vertx vertx, String graph, Supplier<ThreadRequest> request, long timeoutMs,
                             String owner) {
    ThreadRequest body;
    try {
      body = request.get();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, "Bad thread request for graph '"
          + graph + "': " + e.getMessage()));
    }
    String address = Addresses.threads(graph);
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(timeoutMs);
    if (owner != null) {
      delivery.addHeader(io.graphloop.internal.bus.Owners.HEADER, owner);
    }
    return vertx.eventBus().request(address, body, delivery)
        .transform(reply -> reply.succeeded() ? Future.succeededFuture(reply.result().body())
            : Future.failedFuture(failure(reply.cause(), graph, address, timeoutMs)));
  }

  /** The states of a history reply {@code {"threadId", "states": [...]}}. */
  static List<ThreadState> states(Object body) {
    List<ThreadState> states = new ArrayList<>();
    ((JsonObject) body).getJsonArray("states").forEach(state -> states.add(ThreadState.fromJson((JsonObject) state)));
    return states;
  }

  private static GraphloopException failure(Throwable cause, String graph, String address, long timeoutMs) {
    return io.graphloop.internal.bus.ReplyFailures.ofCoordinatorRequest(cause, graph, address, timeoutMs, "the thread request was not answered.");
  }
}
