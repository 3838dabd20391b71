package io.graphloop.internal.bus;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class PendingRepliesTest {

  @Test
  void repliesCompleteTheirWaitAndUnansweredWaitsTimeOutByDeadline(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      PendingReplies<String> pending = new PendingReplies<>(vertx);
      List<Promise<String>> promises = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Promise<String> promise = Promise.promise();
        promises.add(promise);
        ids.add(pending.add(i % 2 == 0 ? 30 : 5_000, promise)); // two timeouts: two lists
      }
      pending.succeed(ids.get(0), "zero");
      pending.succeed(ids.get(3), "three");
      pending.fail(ids.get(5), new IllegalStateException("five failed"));
      pending.succeed(ids.get(0), "late"); // already answered: ignored
      pending.succeed(999, "foreign"); // unknown: ignored
      test.verify(() -> {
        assertEquals("zero", promises.get(0).future().result());
        assertEquals("three", promises.get(3).future().result());
        assertEquals("five failed", promises.get(5).future().cause().getMessage());
        assertEquals(3, pending.size());
      });
      // ids 2 and 4 (30 ms) time out; id 1 (5 s) is still pending when they do
      promises.get(4).future().onSuccess(never -> test.failNow("the 30 ms wait succeeded without a reply"))
          .onFailure(failure -> test.verify(() -> {
            assertTrue(promises.get(2).future().failed(), "the earlier deadline expired first");
            ReplyException timeout = (ReplyException) failure;
            assertEquals(ReplyFailure.TIMEOUT, timeout.failureType());
            assertEquals(1, pending.size());
            pending.failAll(new IllegalStateException("stopped"));
            assertEquals("stopped", promises.get(1).future().cause().getMessage());
            assertEquals(0, pending.size());
            test.completeNow();
          }));
    });
  }
}
