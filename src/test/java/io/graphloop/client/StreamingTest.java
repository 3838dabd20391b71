package io.graphloop.client;

import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
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
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaming through GraphClient.stream: modes as LangGraph's, sequence numbers, backpressure, ends. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StreamingTest {

  /** START -> a -> (b, c) -> END; b emits three custom events. */
  private static CompiledGraph graph(String name) {
    return new StateGraph(name)
        .channel("log", Channels.append())
        .addNode("a", state -> Future.succeededFuture(Map.of("log", "a")))
        .addNode("b", (state, ctx) -> {
          for (int i = 1; i <= 3; i++) {
            ctx.emit(Map.of("token", i));
          }
          return Future.succeededFuture(Map.of("log", "b"));
        })
        .addNode("c", state -> Future.succeededFuture(Map.of("log", "c")))
        .addEdge(START, "a").addEdge("a", "b").addEdge("a", "c").addEdge("b", END).addEdge("c", END)
        .compile();
  }

  @Test
  void valuesUpdatesAndCustomEventsArriveInOrderWithContiguousSequenceNumbers(Vertx vertx, VertxTestContext test) {
    GraphRuntime.deploy(vertx, graph("s1")).onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
      List<StreamEvent> events = new ArrayList<>();
      RunEventStream stream = runtime.client().stream(Map.of("log", List.of()), new RunOptions(), StreamMode.VALUES,
          StreamMode.UPDATES, StreamMode.CUSTOM);
      stream.handler(events::add);
      stream.exceptionHandler(test::failNow);
      stream.endHandler(end -> test.verify(() -> {
        for (int i = 0; i < events.size(); i++) {
          assertEquals(i + 1, events.get(i).seq(), "sequence numbers increase by one from 1");
          assertEquals(stream.runId().result(), events.get(i).runId());
        }
        StreamEvent last = events.get(events.size() - 1);
        assertEquals(StreamEvent.END, last.event());
        assertEquals(List.of("a", "b", "c"), ((Map<?, ?>) last.data().get("values")).get("log"));
        List<String> kinds = events.stream().map(e -> e.event().wireName()).toList();
        assertEquals("values", kinds.get(0), "values first shows the state after the input");
        assertEquals(3, kinds.stream().filter("custom"::equals).count());
        assertEquals(3, kinds.stream().filter("updates"::equals).count(), "one update per task");
        assertEquals(3, kinds.stream().filter("values"::equals).count(), "input, after step 0, after step 1");
        StreamEvent firstCustom = events.stream().filter(e -> e.event().wireName().equals("custom")).findFirst().orElseThrow();
        assertEquals("b", firstCustom.node());
        assertEquals(2, firstCustom.step());
        assertEquals(Map.of("token", 1), firstCustom.data());
        StreamEvent updateOfA = events.stream().filter(e -> e.event().wireName().equals("updates")).findFirst().orElseThrow();
        assertEquals(Map.of("a", Map.of("log", "a")), updateOfA.data());
        assertTrue(kinds.indexOf("custom") < kinds.lastIndexOf("values"),
            "b's custom events come before the values of the step b ran in");
        test.completeNow();
      }));
    })));
  }

  @Test
  void tasksModeReportsStartAndEndOfEveryTaskWithErrors(Vertx vertx, VertxTestContext test) {
    CompiledGraph failing = new StateGraph("s2")
        .addNode("ok", state -> Future.succeededFuture(Map.of("x", 1)))
        .addNode("bad", state -> Future.failedFuture(new IllegalStateException("model said no")))
        .addEdge(START, "ok").addEdge("ok", "bad").addEdge("bad", END).compile();
    GraphRuntime.deploy(vertx, failing).onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
      List<StreamEvent> events = new ArrayList<>();
      RunEventStream stream = runtime.client().stream(Map.of(), new RunOptions(), StreamMode.TASKS);
      stream.handler(events::add);
      stream.exceptionHandler(failure -> test.verify(() -> {
        assertInstanceOf(NodeFailedException.class, failure);
        assertEquals("bad", ((NodeFailedException) failure).node());
        assertEquals(4, events.size(), "start and end of ok, then of bad: " + events);
        assertTrue(events.get(0).data().containsKey("input"));
        assertEquals(Map.of("x", 1), events.get(1).data().get("result"));
        assertTrue(events.get(1).data().get("durationMs") instanceof Number);
        Map<?, ?> error = (Map<?, ?>) events.get(3).data().get("error");
        // LangGraph's shape for a failed task's result event: the node's own exception, class and message
        assertEquals(Map.of("error", "IllegalStateException", "message", "model said no"), error);
        test.completeNow();
      }));
    })));
  }

  @Test
  void aPausedConsumerHoldsTheRunBetweenStepsAndLosesNothing(Vertx vertx, VertxTestContext test) {
    int steps = 400;
    AtomicInteger executed = new AtomicInteger();
    CompiledGraph loop = new StateGraph("s3")
        .addNode("tick", state -> {
          executed.incrementAndGet();
          return Future.succeededFuture(Map.of("n", state.getInteger("n") + 1));
        })
        .addEdge(START, "tick")
        .addConditionalEdges("tick", state -> state.getInteger("n") < steps ? "tick" : END)
        .compile();
    GraphRuntimeOptions options = new GraphRuntimeOptions().setMaxBufferedEvents(20);
    GraphRuntime.deploy(vertx, loop, options).onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
      List<StreamEvent> events = new ArrayList<>();
      RunEventStream stream = runtime.client().stream(Map.of("n", 0), new RunOptions(), StreamMode.VALUES);
      stream.pause();
      stream.handler(events::add);
      vertx.setTimer(300, t -> test.verify(() -> {
        int whilePaused = executed.get();
        assertTrue(whilePaused < steps, "a paused consumer must hold the run back, but it ran " + whilePaused);
        assertTrue(whilePaused <= 256 + 20 + 2, "the run went at most window + buffer steps ahead: " + whilePaused);
        stream.endHandler(end -> test.verify(() -> {
          assertEquals(steps, executed.get());
          assertEquals(steps + 2, events.size(), "input values, one per step, end");
          for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).seq(), "no event lost or reordered");
          }
          test.completeNow();
        }));
        stream.resume();
      }));
    })));
  }

  @Test
  void aConsumerThatGoesAwayEndsNothingElse(Vertx vertx, VertxTestContext test) {
    GraphRuntime.deploy(vertx, graph("s4")).onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
      RunEventStream stream = runtime.client().stream(Map.of(), new RunOptions(), StreamMode.VALUES);
      stream.handler(event -> { });
      stream.runId().compose(id -> stream.close())
          .compose(closed -> runtime.client().invoke(Map.of("log", List.of("x"))))
          .onComplete(test.succeeding(state -> test.verify(() -> {
            assertEquals(List.of("x", "a", "b", "c"), state.getList("log"));
            test.completeNow();
          })));
    })));
  }

  @Test
  void batchReturnsResultsInInputOrderWithBoundedParallelism(Vertx vertx, VertxTestContext test) {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CompiledGraph slow = new StateGraph("s5")
        .addNode("echo", (state, ctx) -> {
          peak.accumulateAndGet(running.incrementAndGet(), Math::max);
          return ctx.vertx().timer(5 + (state.getInteger("i") % 3) * 5).map(t -> {
            running.decrementAndGet();
            return Map.of("out", state.getInteger("i") * 10);
          });
        })
        .addEdge(START, "echo").addEdge("echo", END).compile();
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      inputs.add(Map.of("i", i));
    }
    GraphRuntime.deploy(vertx, slow)
        .compose(runtime -> runtime.client().batch(inputs, new RunOptions(), 4))
        .onComplete(test.succeeding(states -> test.verify(() -> {
          assertEquals(30, states.size());
          for (int i = 0; i < 30; i++) {
            assertEquals(i * 10, states.get(i).getInteger("out"));
          }
          assertTrue(peak.get() <= 4, "at most 4 runs at once, saw " + peak.get());
          test.completeNow();
        })));
  }
}
