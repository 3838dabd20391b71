package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.Codecs;
import io.graphloop.run.RunOptions;
import io.graphloop.protocol.RunRequest;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.protocol.StreamSpec;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream never waits forever (issue 11, item 3): it fails with TIMEOUT when its coordinator goes silent for the
 * client's idle timeout, and when no end comes by the run's deadline (plus the grace period).
 * The silent and endless coordinators are stand-ins on the run address that acknowledge a stream as a real one does.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StreamTimeoutsTest {

  /** Acknowledges stream requests as a coordinator does; {@code each} then sends (or not) events to the stream. */
  private static void standIn(Vertx vertx, String graph, java.util.function.BiConsumer<String, String> each) {
    Codecs.register(vertx);
    vertx.eventBus().<Object>consumer(Addresses.run(graph), message -> {
      RunRequest request = (RunRequest) message.body();
      message.reply(new JsonObject().put("runId", "r1").put("status", "streaming").put("control", "nowhere"));
      each.accept("r1", request.stream().to());
    });
  }

  private static void expectTimeout(RunEventStream stream, VertxTestContext ctx, String mention) {
    stream.handler(event -> { });
    stream.endHandler(end -> { });
    stream.exceptionHandler(failure -> ctx.verify(() -> {
      GraphloopException e = assertInstanceOf(GraphloopException.class, failure);
      assertEquals(FailureCode.TIMEOUT, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains(mention), e.getMessage());
      ctx.completeNow();
    }));
  }

  @Test
  void aStreamWhoseCoordinatorGoesSilentFailsAfterTheIdleTimeout(Vertx vertx, VertxTestContext ctx) {
    standIn(vertx, "silent", (runId, to) -> { });
    vertx.runOnContext(v -> expectTimeout(GraphClient.create(vertx, "silent").withStreamIdleTimeoutMs(300)
        .stream(Map.of(), new RunOptions(), StreamMode.VALUES), ctx, "idle timeout 300 ms"));
  }

  @Test
  void aStreamThatNeverEndsFailsAtTheRunsDeadlinePlusTheGrace(Vertx vertx, VertxTestContext ctx) {
    standIn(vertx, "endless", (runId, to) -> {
      AtomicInteger seq = new AtomicInteger();
      vertx.setPeriodic(50, id -> vertx.eventBus().send(to, new StreamEvent(runId, seq.incrementAndGet(), io.graphloop.run.StreamEventType.VALUES,
          -1, null, "", Map.of("tick", seq.get()))));
    });
    vertx.runOnContext(v -> expectTimeout(GraphClient.create(vertx, "endless").withStreamIdleTimeoutMs(1_000)
            .stream(Map.of(), new RunOptions().setTimeoutMs(100), StreamMode.VALUES), ctx,
        "no end within " + (100 + GraphClient.REPLY_GRACE_MS) + " ms"));
  }

  @Test
  void aStreamOpenedOffAnEventLoopStillTimesOut(Vertx vertx, VertxTestContext ctx) {
    standIn(vertx, "silentOffLoop", (runId, to) -> { });
    // from a plain thread of its own (the JUnit thread may hold a context of another test's Vert.x): the stream's
    // timeouts are then Vert.x timers of its new context, not a loop's watches
    Thread plain = new Thread(() -> expectTimeout(GraphClient.create(vertx, "silentOffLoop")
        .withStreamIdleTimeoutMs(300).stream(Map.of(), new RunOptions(), StreamMode.VALUES), ctx, "idle timeout 300 ms"),
        "plain-caller");
    plain.start();
  }

  @Test
  void aStreamOnAnEventLoopIsTimedByTheLoopsWatchesAndLeavesNoneWhenItEnds(Vertx vertx, VertxTestContext ctx) {
    standIn(vertx, "ending", (runId, to) -> vertx.setTimer(50, id -> vertx.eventBus().send(to,
        new StreamEvent(runId, 1, io.graphloop.run.StreamEventType.END, -1, null, "", Map.of("values", Map.of())))));
    vertx.runOnContext(v -> {
      ClientChannel channel = ClientChannel.onThisLoop(vertx);
      int before = channel.watches();
      RunEventStream stream = GraphClient.create(vertx, "ending").stream(Map.of(), new RunOptions(), StreamMode.VALUES);
      ctx.verify(() -> assertEquals(before + 2, channel.watches(), "its deadline and its idle check"));
      stream.handler(event -> { });
      stream.exceptionHandler(ctx::failNow);
      stream.endHandler(end -> ctx.verify(() -> {
        assertEquals(before, channel.watches(), "an ended stream leaves no watch behind");
        ctx.completeNow();
      }));
    });
  }
}
