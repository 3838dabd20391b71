package io.graphloop.client;

import io.graphloop.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.UUID;

/**
 * A client's cancel requests: published to every coordinator of the graph (in this JVM or on the cluster) with the
 * run's capability token and a one-off address for the confirmation, which only the run's coordinator sends, and only
 * for the right token; no confirmation within {@link GraphClient#CANCEL_WAIT_MS} counts as "not cancelled".
 *
 * <p>Stateless and thread-safe; each request's listener and timer are its own.
 */
final class RunCancels {

  private RunCancels() {
  }

  /** See {@link GraphClient#cancel(String, String)}. */
  static Future<Boolean> cancel(Vertx vertx, String graph, String runId, String token) {
    Objects.requireNonNull(runId, "runId");
    String replyTo = Addresses.cancel(graph) + ".ack." + UUID.randomUUID();
    Promise<Boolean> confirmed = Promise.promise();
    MessageConsumer<JsonObject> acks =
        vertx.eventBus().consumer(replyTo, ack -> confirmed.tryComplete(ack.body().getBoolean("cancelled", false)));
    long timer = vertx.setTimer(GraphClient.CANCEL_WAIT_MS, id -> confirmed.tryComplete(false));
    acks.completion()
        .onSuccess(ready -> vertx.eventBus().publish(Addresses.cancel(graph),
            new JsonObject().put("runId", runId).put("replyTo", replyTo).put("token", token)))
        .onFailure(confirmed::tryFail);
    return confirmed.future().eventually(() -> {
      vertx.cancelTimer(timer);
      return acks.unregister();
    });
  }
}
