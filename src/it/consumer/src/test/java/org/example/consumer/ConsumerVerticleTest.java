package org.example.consumer;

import io.graphloop.cluster.GraphCatalog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The application deploys its verticle, which deploys the graph and runs it over the event bus. */
@ExtendWith(VertxExtension.class)
class ConsumerVerticleTest {

  @Test
  void theVerticleRunsTheGraphOverTheEventBus(Vertx vertx, VertxTestContext test) {
    JsonObject ask = new JsonObject().put("name", "Ada").put("thread", "t1");
    vertx.deployVerticle(new ConsumerVerticle())
        .compose(id -> vertx.eventBus().<JsonObject>request(ConsumerVerticle.ADDRESS, ask))
        .compose(first -> vertx.eventBus().<JsonObject>request(ConsumerVerticle.ADDRESS, ask)
            .map(second -> List.of(first.body(), second.body())))
        .onComplete(test.succeeding(replies -> test.verify(() -> {
          JsonObject first = replies.get(0);
          assertEquals(Set.of("hello Ada", "world"), Set.copyOf(first.getJsonArray("words").getList()));
          assertEquals(1, first.getInteger("count"));
          // the second run continues thread t1 (memory checkpointer): the append channel keeps the first words
          JsonObject second = replies.get(1);
          assertEquals(4, second.getJsonArray("words").size(), second.encode());
          assertEquals(2, second.getInteger("count"));
          test.completeNow();
        })));
  }

  @Test
  void theApplicationsGraphProviderIsTheOnlyOneOnTheClasspath() {
    // the library registers none: its demo graph "seed" does not clash with the application's "seed"
    GraphCatalog catalog = GraphCatalog.load();
    assertEquals(Set.of("seed"), catalog.names());
    assertEquals(GreetingGraph.NAME, catalog.graph("seed").name());
    assertEquals(new JsonArray().add("hello").add("world"), new JsonArray(catalog.graph("seed").nodes().stream()
        .map(node -> node.name()).sorted().toList()));
  }
}
