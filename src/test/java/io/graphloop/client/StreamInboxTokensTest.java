package io.graphloop.client;

import io.graphloop.internal.bus.LoopAffinity;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A token (a {@code messages} event) that a coordinator in this JVM hands to a stream's inbox on the stream's own
 * thread reaches the stream's handler at once, on the stream's context, not in a task queued behind the loop's work;
 * any other event, a token behind a queued event, and a token from another thread are queued, in order.
 * ({@link RunEventStream}'s inbox, driven directly as a coordinator's {@code RunEvents} drives it.)
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StreamInboxTokensTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static StreamEvent event(long seq, StreamEventType type) {
    return new StreamEvent("r", seq, type, 1, "agent", "", Map.of("seq", seq));
  }

  @Test
  void aTokenOnTheStreamsThreadIsDeliveredAtOnceOthersInOrderAfterQueuedOnes(VertxTestContext ctx) {
    Context streamContext = vertx.getOrCreateContext();
    Context otherContextSameLoop = ((io.vertx.core.internal.VertxInternal) vertx).contextBuilder()
        .withThreadingModel(io.vertx.core.ThreadingModel.EVENT_LOOP)
        .withEventLoop(((io.vertx.core.internal.ContextInternal) streamContext).nettyEventLoop()).build();
    streamContext.runOnContext(v -> {
      List<Long> seen = new CopyOnWriteArrayList<>();
      List<Context> on = new CopyOnWriteArrayList<>();
      String address = "test.inbox." + java.util.UUID.randomUUID();
      RunEventStream stream = new RunEventStream(vertx, address, 64, 30_000, 30_000);
      stream.handler(event -> {
        seen.add(event.seq());
        on.add(Vertx.currentContext());
      });
      LoopAffinity.LocalTarget inbox = LoopAffinity.of(vertx).inbox(address);
      otherContextSameLoop.runOnContext(w -> { // a coordinator's context on the stream's loop
        inbox.deliver(event(1, StreamEventType.MESSAGES));
        ctx.verify(() -> {
          assertEquals(List.of(1L), seen, "the token is delivered before the coordinator's task returns");
          assertSame(streamContext, on.get(0), "on the stream's context");
        });
        inbox.deliver(event(2, StreamEventType.VALUES)); // queued: not a token
        inbox.deliver(event(3, StreamEventType.MESSAGES)); // queued: behind event 2
        ctx.verify(() -> assertEquals(List.of(1L), seen, "events 2 and 3 wait for their tasks"));
        streamContext.runOnContext(x -> ctx.verify(() -> { // after the queued deliveries
          assertEquals(List.of(1L, 2L, 3L), seen);
          vertx.executeBlocking(() -> { // another thread: queued, as the bus would deliver it
            inbox.deliver(event(4, StreamEventType.MESSAGES));
            return null;
          }).onComplete(ctx.succeeding(y -> streamContext.runOnContext(z -> vertx.setTimer(20, t -> ctx.verify(() -> {
            assertEquals(List.of(1L, 2L, 3L, 4L), seen);
            on.forEach(c -> assertSame(streamContext, c));
            inbox.deliver(event(5, StreamEventType.MESSAGES)); // nothing queued any more: at once again
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seen);
            stream.close();
            ctx.completeNow();
          })))));
        }));
      });
    });
  }
}
