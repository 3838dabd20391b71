package io.graphloop.runtime;

import io.graphloop.protocol.Codecs;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idle timeout of a stream drops a consumer that stopped granting credits, not one that is slow but alive:
 * every grant restarts the idle clock, even when the buffer never empties in between.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class RunEventsIdleTimeoutTest {

  private static final long IDLE_MS = 300;

  @Test
  void aSlowConsumerThatKeepsGrantingIsNotDroppedAsIdle(Vertx vertx, VertxTestContext ctx) {
    Codecs.register(vertx);
    List<Long> received = new ArrayList<>();
    AtomicBoolean closed = new AtomicBoolean();
    vertx.eventBus().<StreamEvent>localConsumer("test.idle.slow", message -> received.add(message.body().seq()))
        .completion()
        .onComplete(ctx.succeeding(ready -> vertx.runOnContext(v -> {
          RunEvents events = new RunEvents(vertx, "slow-run", "test.idle.slow", Set.of(StreamMode.CUSTOM), 0, 100,
              IDLE_MS, () -> closed.set(true));
          for (int i = 0; i < 20; i++) {
            events.custom("n", 0, Map.of("i", i));
          }
          // one credit every 30 ms: 20 events take about 600 ms, twice the idle timeout, with no pause of 300 ms
          vertx.setPeriodic(30, id -> {
            events.grant(1);
            if (received.size() == 20 || closed.get()) {
              vertx.cancelTimer(id);
              vertx.setTimer(50, t -> ctx.verify(() -> {
                assertFalse(closed.get(), "the stream was dropped as idle after " + received.size() + " events");
                assertEquals(20, received.size());
                assertEquals(1L, received.get(0));
                assertEquals(20L, received.get(19));
                ctx.completeNow();
              }));
            }
          });
        })));
  }

  @Test
  void aConsumerThatStopsGrantingIsDroppedAfterTheIdleTimeout(Vertx vertx, VertxTestContext ctx) {
    Codecs.register(vertx);
    List<Long> received = new ArrayList<>();
    vertx.eventBus().<StreamEvent>localConsumer("test.idle.gone", message -> received.add(message.body().seq()))
        .completion()
        .onComplete(ctx.succeeding(ready -> vertx.runOnContext(v -> {
          long started = System.nanoTime();
          RunEvents[] events = new RunEvents[1];
          events[0] = new RunEvents(vertx, "gone-run", "test.idle.gone", Set.of(StreamMode.CUSTOM), 2, 100, IDLE_MS,
              () -> ctx.verify(() -> {
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;
                assertTrue(elapsedMs >= IDLE_MS - 5, "dropped after the idle timeout, not before: " + elapsedMs);
                assertEquals(List.of(1L, 2L), received.subList(0, Math.min(2, received.size())));
                events[0].grant(5);
                vertx.setTimer(50, t -> ctx.verify(() -> {
                  assertEquals(2, received.size(), "nothing is sent once the stream is dropped");
                  ctx.completeNow();
                }));
              }));
          for (int i = 0; i < 5; i++) {
            events[0].custom("n", 0, Map.of("i", i));
          }
        })));
  }
}
