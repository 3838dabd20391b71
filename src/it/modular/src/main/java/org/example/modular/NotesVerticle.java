package org.example.modular;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.GraphCatalog;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Deploys the graph found through the GraphProvider service (so the {@code provides} of this module is what Graphloop's
 * {@code uses} finds) and answers {@value #ADDRESS} requests {@code {"topic": ..., "thread": ...}} by running it over
 * the event bus, replying with the final state.
 */
public final class NotesVerticle extends VerticleBase {

  public static final String ADDRESS = "modular.notes";

  @Override
  public Future<?> start() {
    GraphRuntimeOptions options = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"));
    return GraphRuntime.deploy(vertx, GraphCatalog.load().graph(NotesGraph.NAME), options).compose(deployed -> {
      GraphClient client = GraphClient.create(vertx, NotesGraph.NAME);
      return vertx.eventBus().<JsonObject>consumer(ADDRESS, message -> {
        JsonObject body = message.body();
        client.invoke(NotesGraph.TYPED.input(new Notes(body.getString("topic"), null, null)),
                new RunOptions().setThreadId(body.getString("thread")))
            .onSuccess(state -> message.reply(state.toJson()))
            .onFailure(failure -> message.fail(500, failure.toString()));
      }).completion();
    });
  }
}
