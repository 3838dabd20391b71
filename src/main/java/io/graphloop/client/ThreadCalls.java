package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.Failures;
import io.graphloop.protocol.ThreadRequest;
import io.graphloop.protocol.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
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
  static Future<Object> send(Vertx vertx, String graph, Supplier<ThreadRequest> request, long timeoutMs) {
    ThreadRequest body;
    try {
      body = request.get();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, "Bad thread request for graph '"
          + graph + "': " + e.getMessage()));
    }
    String address = Addresses.threads(graph);
    return vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
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
    GraphloopException carried = Failures.carried(cause);
    if (carried != null) {
      return carried;
    }
    if (cause instanceof ReplyException) {
      ReplyException reply = (ReplyException) cause;
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return new GraphloopException(FailureCode.UNKNOWN_TARGET, "No coordinator for graph '" + graph
              + "' (address " + address + "): deploy it with GraphRuntime.deploy, or on a cluster start a "
              + "coordinator member for it.", graph, null, null, null, null);
        case TIMEOUT:
          return new GraphloopException(FailureCode.TIMEOUT, "Graph '" + graph + "' did not answer a thread request "
              + "within " + timeoutMs + " ms.", graph, null, null, null, null);
        default:
          return new GraphloopException(FailureCode.of(reply.failureCode()), reply.getMessage(), graph, null, null,
              null, null);
      }
    }
    return new GraphloopException(FailureCode.INTERNAL, "Thread request to graph '" + graph + "' failed: " + cause,
        graph, null, null, null, cause);
  }
}
