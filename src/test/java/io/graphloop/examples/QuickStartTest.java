package io.graphloop.examples;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keeps the README's example true: the quick start produces the state the README shows. */
@ExtendWith(VertxExtension.class)
class QuickStartTest {

  @Test
  void quickStartProducesTheReadmeState(Vertx vertx, VertxTestContext test) {
    QuickStart.run(vertx).onComplete(test.succeeding(state -> test.verify(() -> {
      // "notes" first: an append channel holds its default [] from the start, as LangGraph's channels do
      assertEquals("{\"notes\":[\"web: event loops\",\"archive: EVENT LOOPS\"],\"topic\":\"event loops\","
          + "\"draft\":\"Draft 2 from 2 notes\",\"revision\":2}", state.toString());
      assertEquals(List.of("web: event loops", "archive: EVENT LOOPS"), state.getList("notes"),
          "search is declared before archive, so its note comes first although archive finishes first");
      test.completeNow();
    })));
  }
}
