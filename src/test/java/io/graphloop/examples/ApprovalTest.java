package io.graphloop.examples;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keeps the README's human-in-the-loop example true: the question reaches the person, the answer decides. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ApprovalTest {

  @Test
  void aYesPublishesTheDraftTheQuestionShowed(Vertx vertx, VertxTestContext test) {
    List<Map<String, Object>> asked = new ArrayList<>();
    Approval.run(vertx, question -> {
      asked.add(question);
      return vertx.timer(50).map(t -> "yes");                     // a person takes their time
    }).onComplete(test.succeeding(state -> test.verify(() -> {
      assertEquals("Publish this announcement? (yes/no)", asked.get(0).get("question"));
      assertEquals(state.getString("draft"), asked.get(0).get("draft"));
      assertEquals("published", state.getString("outcome"));
      assertEquals(true, state.getBoolean("approved"));
      test.completeNow();
    })));
  }

  @Test
  void aNoDiscardsIt(Vertx vertx, VertxTestContext test) {
    Approval.run(vertx, "no").onComplete(test.succeeding(state -> test.verify(() -> {
      assertEquals("discarded", state.getString("outcome"));
      test.completeNow();
    })));
  }

  @Test
  void anUnansweredQuestionLeavesTheThreadWaiting(Vertx vertx, VertxTestContext test) {
    Approval.run(vertx, question -> Future.failedFuture(new IllegalStateException("nobody answered")))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertEquals("nobody answered", failure.getMessage());
          test.completeNow();
        })));
  }
}
