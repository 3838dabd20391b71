package io.graphloop.examples;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keeps the README's functional API example true: the answer decides, and the draft task ran once. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class FunctionalWorkflowTest {

  @Test
  void theResumedEntrypointReusesItsTasksResults(Vertx vertx, VertxTestContext test) {
    int before = FunctionalWorkflow.DRAFTS.get();
    FunctionalWorkflow.run(vertx, "yes").onComplete(test.succeeding(output -> test.verify(() -> {
      assertEquals(Map.of("essay", "Graphloop runs LangGraph's functional API on the Vert.x event bus.", "words", 10,
          "approved", true), output);
      assertEquals(before + 1, FunctionalWorkflow.DRAFTS.get());
      test.completeNow();
    })));
  }
}
