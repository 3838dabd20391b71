package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs on threads: memory across runs, interrupts and resume, pending writes, one run per thread. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ThreadRunsTest {

  private static final GraphRuntimeOptions MEMORY = new GraphRuntimeOptions()
      .setCheckpointer(new JsonObject().put("type", "memory"));

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async", "exit"})
  void runsOnAThreadStartFromItsLatestState(String durability, Vertx vertx, VertxTestContext test) {
    CompiledGraph graph = new StateGraph("chat-" + durability)
        .channel("messages", Channels.append())
        .addNode("reply", state -> Future.succeededFuture(Map.of("messages", "reply " + state.getList("messages").size())))
        .addEdge(START, "reply").addEdge("reply", END).compile();
    RunOptions thread = new RunOptions().setThreadId("t1").setDurability(Durability.of(durability));
    GraphRuntime.deploy(vertx, graph, MEMORY).compose(runtime ->
            runtime.client().invoke(Map.of("messages", "hi"), thread)
                .compose(first -> runtime.client().run(Map.of("messages", "again"), thread)))
        .onComplete(test.succeeding(second -> test.verify(() -> {
          assertEquals(List.of("hi", "reply 1", "again", "reply 3"), second.values().getList("messages"));
          assertEquals("t1", second.threadId());
          assertTrue(second.checkpointId() != null);
          test.completeNow();
        })));
  }

  @Test
  void stepsGoOnAcrossAThreadsRunsAndEachRunGetsTheWholeRecursionLimit(Vertx vertx, VertxTestContext test) {
    // a loop of 3 steps per run; the limit allows 4 steps per run: with a limit counted from the thread's first step,
    // the third run would fail
    CompiledGraph graph = new StateGraph("counter")
        .addNode("tick", state -> Future.succeededFuture(Map.of("n", state.getInteger("n") + 1)))
        .addEdge(START, "tick")
        .addConditionalEdges("tick", state -> state.getInteger("n") % 3 == 0 ? END : "tick")
        .compile();
    RunOptions thread = new RunOptions().setThreadId("loop-1").setRecursionLimit(4).setDurability(Durability.SYNC);
    GraphRuntime.deploy(vertx, graph, MEMORY).compose(runtime ->
            runtime.client().run(Map.of("n", 0), thread)
                .compose(first -> runtime.client().run(Map.of(), thread))
                .compose(second -> runtime.client().run(Map.of(), thread))
                .compose(third -> runtime.client().getStateHistory("loop-1", 100, null)
                    .map(history -> Map.entry(third, history))))
        .onComplete(test.succeeding(done -> test.verify(() -> {
          assertEquals(9, done.getKey().values().getInteger("n"));
          List<Integer> steps = new java.util.ArrayList<>();
          done.getValue().forEach(checkpoint -> steps.add(checkpoint.step()));
          // newest first: each run's input is the step after the last one of the run before (LangGraph's numbering)
          assertEquals(List.of(13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1), steps);
          test.completeNow();
        })));
  }

  @Test
  void anInterruptStopsTheRunAndCommandResumeAnswersItWithoutRerunningFinishedSiblings(Vertx vertx,
                                                                                        VertxTestContext test) {
    AtomicInteger draftRuns = new AtomicInteger();
    AtomicInteger approvals = new AtomicInteger();
    CompiledGraph graph = new StateGraph("approval")
        .addNode("draft", state -> {
          draftRuns.incrementAndGet();
          return Future.succeededFuture(Map.of("draft", "text v1"));
        })
        .addNode("approve", (state, ctx) -> {
          approvals.incrementAndGet();
          Object answer = ctx.interrupt(Map.of("question", "Publish?"));
          return Future.succeededFuture(Map.of("decision", answer));
        })
        .addNode("publish", state -> Future.succeededFuture(Map.of("published", state.getString("draft") + " -> "
            + state.getString("decision"))))
        .addEdge(START, "draft").addEdge(START, "approve")
        .addEdge(List.of("draft", "approve"), "publish").addEdge("publish", END).compile();
    RunOptions thread = new RunOptions().setThreadId("review-1");
    GraphRuntime.deploy(vertx, graph, MEMORY).compose(runtime -> runtime.client().run(Map.of(), thread)
            .compose(first -> {
              test.verify(() -> {
                assertEquals(RunStatus.INTERRUPTED, first.status());
                assertEquals(1, first.interrupts().size());
                assertEquals("approve", first.interrupts().get(0).get("node"));
                assertEquals(Map.of("question", "Publish?"), first.interrupts().get(0).get("value"));
              });
              return runtime.client().run(Command.resume("yes"), thread);
            }))
        .onComplete(test.succeeding(resumed -> test.verify(() -> {
          assertEquals(RunStatus.SUCCESS, resumed.status());
          assertEquals("text v1 -> yes", resumed.values().getString("published"));
          assertEquals(1, draftRuns.get(), "draft completed before the interrupt and is not run again");
          assertEquals(2, approvals.get(), "the interrupted node runs again from its start");
          test.completeNow();
        })));
  }

  @Test
  void aResumedThreadRerunsOnlyTheNodeThatFailed(Vertx vertx, VertxTestContext test) {
    AtomicInteger okRuns = new AtomicInteger();
    AtomicInteger flakyRuns = new AtomicInteger();
    CompiledGraph graph = new StateGraph("resume")
        .addNode("ok", state -> {
          okRuns.incrementAndGet();
          return Future.succeededFuture(Map.of("ok", true));
        })
        .addNode("flaky", state -> flakyRuns.incrementAndGet() == 1
            ? Future.failedFuture(new IllegalStateException("down")) : Future.succeededFuture(Map.of("flaky", true)))
        .addEdge(START, "ok").addEdge(START, "flaky").addEdge("ok", END).addEdge("flaky", END).compile();
    RunOptions thread = new RunOptions().setThreadId("t-fail").setDurability(Durability.SYNC);
    GraphRuntime.deploy(vertx, graph, MEMORY).compose(runtime -> runtime.client().invoke(Map.of("x", 1), thread)
            .transform(failed -> {
              test.verify(() -> assertInstanceOf(NodeFailedException.class, failed.cause()));
              return runtime.client().proceed(thread).map(RunResult::values);
            }))
        .onComplete(test.succeeding(state -> test.verify(() -> {
          assertEquals(true, state.getBoolean("ok"));
          assertEquals(true, state.getBoolean("flaky"));
          assertEquals(1, okRuns.get(), "the successful write of the failed step was stored and reused");
          assertEquals(2, flakyRuns.get());
          test.completeNow();
        })));
  }

  @Test
  void aSecondRunOnABusyThreadIsRejectedAndABreakpointInterruptsBeforeItsNode(Vertx vertx, VertxTestContext test) {
    CompiledGraph graph = new StateGraph("busy")
        .addNode("slow", (state, ctx) -> ctx.vertx().timer(300).map(t -> Map.of("slow", true)))
        .addNode("after", state -> Future.succeededFuture(Map.of("after", true)))
        .addEdge(START, "slow").addEdge("slow", "after").addEdge("after", END).compile();
    GraphRuntime.deploy(vertx, graph, MEMORY).onComplete(test.succeeding(runtime -> {
      RunOptions thread = new RunOptions().setThreadId("t-busy").setInterruptBefore(List.of("after"));
      Future<RunResult> first = runtime.client().run(Map.of(), thread);
      vertx.setTimer(50, t -> runtime.client().run(Map.of(), thread).onComplete(second -> test.verify(() -> {
        GraphloopException busy = assertInstanceOf(GraphloopException.class, second.cause());
        assertEquals(FailureCode.THREAD_BUSY, busy.code());
        assertTrue(busy.getMessage().contains("t-busy"), busy.getMessage());
        first.onComplete(test.succeeding(done -> test.verify(() -> {
          assertEquals(RunStatus.INTERRUPTED, done.status());
          assertEquals(Map.of("node", "after", "when", "before"), done.interrupts().get(0));
          assertTrue(!done.values().has("after"));
          runtime.client().proceed(new RunOptions().setThreadId("t-busy")).map(RunResult::values)
              .onComplete(test.succeeding(resumed -> test.verify(() -> {
                assertEquals(true, resumed.getBoolean("after"), "resuming goes past the breakpoint");
                test.completeNow();
              })));
        })));
      })));
    }));
  }
}
