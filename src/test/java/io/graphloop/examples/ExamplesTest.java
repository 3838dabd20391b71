package io.graphloop.examples;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keeps the README's production-controls and streaming examples true. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ExamplesTest {

  @Test
  void productionControlsRetryTheFlakyNodeAndCancelKeepsTheLastState(Vertx vertx, VertxTestContext test) {
    ProductionControls.run(vertx).onComplete(test.succeeding(report -> test.verify(() -> {
      assertEquals("state={\"answer\":\"attempt 2 with model small\",\"rows\":3} retries=1 cancelled=true "
          + "lastState={first=done}", report);
      test.completeNow();
    })));
  }

  @Test
  void idleTimeoutsExampleFailsTheShortSendAndHeartbeatsThroughTheLongOne(Vertx vertx, VertxTestContext test) {
    IdleTimeouts.run(vertx).onComplete(test.succeeding(report -> test.verify(() -> {
      assertEquals("idle timeout of crawl: 50 ms (run 0 ms); crawled=crawl-2 crawl:<task>", report);
      test.completeNow();
    })));
  }

  @Test
  void streamingExampleShowsTokensThenTheUpdateThenTheEnd(Vertx vertx, VertxTestContext test) {
    StreamingExample.run(vertx).onComplete(test.succeeding(lines -> test.verify(() -> {
      assertEquals(List.of("1 custom model {token=Hello}", "2 custom model {token=,}", "3 custom model {token= world}",
          "4 updates model {model={reply=Hello, world}}", "5 end - {values={prompt=hi, reply=Hello, world}, status=success}"), lines);
      test.completeNow();
    })));
  }
}
