package io.graphloop.runtime;

import io.graphloop.graph.StateGraph;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run request without an input and without a thread fails as LangGraph 1.2.12's {@code invoke(None)} does
 * ({@code EmptyInputError: Received no input for __start__}); an empty map is an input.
 */
@ExtendWith(VertxExtension.class)
class EmptyInputTest {

  @Test
  void aNullInputWithoutAThreadIsRefusedAsLangGraphsEmptyInputError(Vertx vertx, VertxTestContext test) {
    StateGraph graph = new StateGraph("empty-input")
        .addNode("a", state -> Future.succeededFuture(Map.of("x", 1)))
        .addEdge(START, "a").addEdge("a", END);
    GraphRuntime.deploy(vertx, graph.compile())
        .compose(runtime -> vertx.eventBus().request("graphloop.empty-input.run", new JsonObject()
            .put("options", new JsonObject())))
        .onComplete(test.failing(failure -> test.verify(() -> {
          ReplyException reply = assertInstanceOf(ReplyException.class, failure);
          assertEquals(400, reply.failureCode());
          assertTrue(reply.getMessage().contains("EmptyInputError"), reply.getMessage());
          test.completeNow();
        })));
  }
}
