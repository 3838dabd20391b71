package io.graphloop.runtime;

import io.graphloop.client.RunEventStream;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
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
import java.util.concurrent.atomic.AtomicLong;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ctx.emit} is bounded at the source ({@link EmitWindow}, {@code maxPendingEmits}): an async node that emits
 * far more events in one go than the window holds gets at most the window onto the bus, the rest dropped and
 * counted (before, all of them were queued: a million exhausted a 256 MB heap); a blocking node waits for the
 * coordinator instead, and loses nothing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class EmitBoundTest {

  private static final int WINDOW = 100;

  @Test
  void anAsyncNodeEmittingInOneGoPutsAtMostTheWindowOnTheBus(Vertx vertx, VertxTestContext ctx) {
    int emitted = 200_000;
    StateGraph graph = new StateGraph("emit-async")
        .addNode("chatty", (state, c) -> {
          for (int i = 0; i < emitted; i++) {
            c.emit(Map.of("i", i));
          }
          return Future.succeededFuture(Map.of("done", true));
        })
        .addEdge(START, "chatty").addEdge("chatty", END);
    AtomicLong onTheBus = new AtomicLong();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().startsWith("graphloop.emit-async.control")
          && delivery.message().body() instanceof io.vertx.core.json.JsonObject
          && ((io.vertx.core.json.JsonObject) delivery.message().body()).containsKey("custom")) {
        onTheBus.incrementAndGet(); // (not the barrier request the node sends behind its events before its result)
      }
      delivery.next();
    });
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions().setMaxPendingEmits(WINDOW)
        .setMaxBufferedEvents(1_000_000)).onComplete(ctx.succeeding(runtime -> vertx.runOnContext(v -> {
          List<StreamEvent> custom = new ArrayList<>();
          RunEventStream stream = runtime.client().stream(Map.of(), new RunOptions(), StreamMode.CUSTOM);
          stream.handler(event -> {
            if (event.event().wireName().equals("custom")) {
              custom.add(event);
            }
          });
          stream.exceptionHandler(ctx::failNow);
          stream.endHandler(end -> ctx.verify(() -> {
            long dropped = runtime.metrics().node("chatty").customEventsDropped();
            assertTrue(onTheBus.get() <= WINDOW, "at most the window went onto the bus: " + onTheBus.get());
            assertEquals(emitted, custom.size() + dropped, "every event was delivered or counted as dropped");
            assertTrue(custom.size() >= WINDOW / 2, "the window's events arrived: " + custom.size());
            assertEquals(Map.of("i", 0), custom.get(0).data(), "the first events go through, later ones drop");
            System.out.printf("EmitBoundTest: %,d emitted in one go, %,d delivered, %,d dropped at the node%n",
                emitted, custom.size(), dropped);
            ctx.completeNow();
          }));
        })));
  }

  @Test
  void aBlockingNodeWaitsForTheCoordinatorAndLosesNothing(Vertx vertx, VertxTestContext ctx) {
    int emitted = 5_000;
    StateGraph graph = new StateGraph("emit-blocking")
        .addBlockingNode("chatty", (state, c) -> {
          for (int i = 0; i < emitted; i++) {
            c.emit(Map.of("i", i));
          }
          return Map.of("done", true);
        })
        .addEdge(START, "chatty").addEdge("chatty", END);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions().setMaxPendingEmits(8)
        .setMaxBufferedEvents(100_000)).onComplete(ctx.succeeding(runtime -> vertx.runOnContext(v -> {
          List<Object> received = new ArrayList<>();
          RunEventStream stream = runtime.client().stream(Map.of(), new RunOptions(), StreamMode.CUSTOM);
          stream.handler(event -> {
            if (event.event().wireName().equals("custom")) {
              received.add(event.data().get("i"));
            }
          });
          stream.exceptionHandler(ctx::failNow);
          stream.endHandler(end -> ctx.verify(() -> {
            assertEquals(0, runtime.metrics().node("chatty").customEventsDropped());
            assertEquals(emitted, received.size());
            for (int i = 0; i < emitted; i++) {
              assertEquals(i, received.get(i), "in order");
            }
            ctx.completeNow();
          }));
        })));
  }
}
