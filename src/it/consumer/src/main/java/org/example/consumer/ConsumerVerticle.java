package org.example.consumer;

import io.graphloop.client.GraphClient;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The application's own verticle: it deploys the graph on its Vert.x (keeping threads in memory) and answers
 * {@value #ADDRESS} requests {@code {"name": ..., "thread": ...}} by running the graph over the event bus with a
 * {@link GraphClient} and replying with the final state. The graph's verticles are deployed from this verticle, so
 * Vert.x undeploys them with it.
 */
public final class ConsumerVerticle extends VerticleBase {

  public static final String ADDRESS = "consumer.greet";


  @Override
  public Future<?> start() {
    GraphRuntimeOptions options = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"));
    return GraphRuntime.deploy(vertx, GreetingGraph.build(), options).compose(deployed -> {
      GraphClient client = GraphClient.create(vertx, GreetingGraph.NAME);
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(ADDRESS, message -> {
        JsonObject body = message.body();
        RunOptions run = new RunOptions().setThreadId(body.getString("thread"));
        client.invoke(Map.of("name", body.getString("name")), run)
            .onSuccess(state -> message.reply(state.toJson()))
            .onFailure(failure -> message.fail(500, failure.toString()));
      });
      return consumer.completion();
    });
  }
}
