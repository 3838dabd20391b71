package io.graphloop.internal.engine;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphRecursionException;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static io.graphloop.internal.engine.SuperstepDriver.NOOP;
import static io.graphloop.internal.engine.SuperstepDriver.NO_LIMIT;
import static io.graphloop.internal.engine.SuperstepDriver.graph;
import static io.graphloop.internal.engine.SuperstepDriver.labels;
import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuperstepTest {

  private static final String RUN = "run-7";
  private static Function<Task, Object> silent() {
    return task -> null;
  }

  @Test
  void fanOutRunsBothBranchesInStepZeroAndTheirTargetOnceInStepOne() {
    CompiledGraph g = graph("a", "b", "c").addEdge(START, "a").addEdge(START, "b")
        .addEdge("a", "c").addEdge("b", "c").addEdge("c", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    assertEquals(1, run.current.step());
    assertEquals(List.of("a", "b"), labels(run.current));
    run.runToEnd(silent());

    assertEquals(List.of(List.of("a", "b"), List.of("c")), run.trace);
  }

  @Test
  void branchesOfDifferentLengthReachAPlainEdgeTargetTwice() {
    CompiledGraph g = graph("a", "b", "a2", "c").addEdge(START, "a").addEdge(START, "b")
        .addEdge("a", "a2").addEdge("a2", "c").addEdge("b", "c").addEdge("c", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.runToEnd(silent());

    assertEquals(List.of(List.of("a", "b"), List.of("a2", "c"), List.of("c")), run.trace);
  }

  @Test
  void joinRunsOnceAfterBothBranches() {
    CompiledGraph g = graph("a", "b", "a2", "c").addEdge(START, "a").addEdge(START, "b")
        .addEdge("a", "a2").addEdge(List.of("a2", "b"), "c").addEdge("c", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.step(silent());
    assertEquals(List.of("a2"), labels(run.current), "b finished, but c waits for a2");
    assertEquals(Map.of("[a2, b] -> c", List.of("b")), run.current.joins().describe(g));
    run.runToEnd(silent());

    assertEquals(List.of(List.of("a", "b"), List.of("a2"), List.of("c")), run.trace);
  }

  @Test
  void joinResetsAfterFiringAndFiresAgainOnlyWhenBothSourcesFinishAgain() {
    CompiledGraph g = graph("a", "b", "a2", "c").channel("rounds", Channels.reducer(
            (x, y) -> ((Number) x).intValue() + ((Number) y).intValue(), 0))
        .addEdge(START, "a").addEdge(START, "b").addEdge("a", "a2").addEdge(List.of("a2", "b"), "c")
        .addConditionalEdges("c", state -> state.getInteger("rounds") < 2 ? List.of("a", "b") : END)
        .compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());
    Function<Task, Object> nodes = task -> task.node().equals("c") ? Map.of("rounds", 1) : null;

    for (int i = 0; i < 3; i++) {
      run.step(nodes);
    }
    assertEquals(Map.of("[a2, b] -> c", List.of()), run.current.joins().describe(g), "firing clears the join");
    run.step(nodes);
    assertEquals(List.of("a2"), labels(run.current), "only b has finished since c ran");
    State end = run.runToEnd(nodes);

    assertEquals(List.of(List.of("a", "b"), List.of("a2"), List.of("c"),
        List.of("a", "b"), List.of("a2"), List.of("c")), run.trace);
    assertEquals(2, end.getInteger("rounds"));
  }

  @Test
  void tasksAreInNodeDeclarationOrderAndShareOneSnapshot() {
    CompiledGraph g = graph("zed", "mid", "alpha")
        .addEdge(START, "alpha").addEdge(START, "zed").addEdge(START, "mid")
        .addEdge("alpha", END).addEdge("mid", END).addEdge("zed", END).compile();

    RunState first = Superstep.begin(g, RUN, State.empty(), Map.of("q", "hi"));

    assertEquals(List.of("zed", "mid", "alpha"), labels(first));
    for (int i = 0; i < first.tasks().size(); i++) {
      Task task = first.tasks().get(i);
      assertEquals(i, task.nodeIndex());
      assertEquals(1, task.step());
      assertSame(first.state(), task.input());
    }
    assertEquals("hi", first.state().getString("q"));
    assertEquals(RUN + ":1:mid", first.tasks().get(1).id(RUN));
  }

  @Test
  void writesAreAppliedInDeclarationOrderNotEdgeOrder() {
    CompiledGraph g = graph("second", "first").channel("log", Channels.append())
        .addEdge(START, "first").addEdge(START, "second").addEdge("first", END).addEdge("second", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of("log", "input"));

    assertEquals(List.of("second", "first"), labels(run.current));
    State end = run.runToEnd(task -> Map.of("log", List.of(task.node() + "-1", task.node() + "-2")));

    assertEquals(List.of("input", "second-1", "second-2", "first-1", "first-2"), end.getList("log"));
  }

  @Test
  void theSameStepGivesTheSameStateWhateverOrderTheRepliesArrivedIn() {
    CompiledGraph g = graph("a", "b", "c").channel("log", Channels.append())
        .addEdge(START, "a").addEdge(START, "b").addEdge(START, "c")
        .addEdge("a", END).addEdge("b", END).addEdge("c", END).compile();
    RunState first = Superstep.begin(g, RUN, State.empty(), Map.of());
    // replies arrive as c, a, b; the coordinator files each under its task before advancing
    TaskResult[] byTask = new TaskResult[first.tasks().size()];
    for (String arrived : List.of("c", "a", "b")) {
      Task task = first.tasks().stream().filter(t -> t.node().equals(arrived)).findFirst().orElseThrow();
      byTask[first.tasks().indexOf(task)] = new TaskResult(task, NodeOutputs.toUpdate(Map.of("log", arrived), arrived));
    }

    RunState next = Superstep.advance(g, RUN, first, List.of(byTask));

    assertEquals(List.of("a", "b", "c"), next.state().getList("log"));
    assertTrue(next.isDone());
  }

  @Test
  void twoNodesWritingOneLastValueChannelInOneStepFail() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge(START, "b")
        .addEdge("a", END).addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of("answer", "none yet"));

    InvalidUpdateException e = assertThrows(InvalidUpdateException.class,
        () -> run.step(task -> Map.of("answer", "from " + task.node())));

    assertEquals("g", e.graph());
    assertEquals(RUN, e.runId());
    assertEquals(1, e.step());
    assertEquals("answer", e.channel());
    assertEquals(List.of("a", "b"), e.writers());
    assertTrue(e.getMessage().contains("reducer"), e.getMessage());
  }

  @Test
  void oneWriterPerStepReplacesALastValueChannel() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile();

    State end = new SuperstepDriver(RUN, g, Map.of("answer", "input")).runToEnd(task -> Map.of("answer", task.node()));

    assertEquals("b", end.getString("answer"));
  }

  @Test
  void aRouterReturningANodeNameSchedulesIt() {
    CompiledGraph g = graph("a", "b", "c").addEdge(START, "a")
        .addConditionalEdges("a", state -> state.getString("go"))
        .addEdge("b", END).addEdge("c", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of("go", "c"));

    run.runToEnd(silent());

    assertEquals(List.of(List.of("a"), List.of("c")), run.trace);
  }

  @Test
  void aRouterReturningSeveralNamesRunsThemInParallelInDeclarationOrder() {
    CompiledGraph g = graph("a", "b", "c", "d").addEdge(START, "a")
        .addConditionalEdges("a", state -> List.of("d", "b", END))
        .addEdge("b", END).addEdge("c", END).addEdge("d", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.runToEnd(silent());

    assertEquals(List.of(List.of("a"), List.of("b", "d")), run.trace);
  }

  @Test
  void aRouterReturningEndFinishesTheRunWithTheStepsWrites() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a")
        .addConditionalEdges("a", state -> END).addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    RunState after = run.step(task -> Map.of("done", true));

    assertTrue(after.isDone());
    assertEquals(2, after.step());
    assertEquals(Boolean.TRUE, after.state().getBoolean("done"));
  }

  @Test
  void aRouterWithAPathMapReturnsItsKeys() {
    CompiledGraph g = graph("a", "yes", "no").addEdge(START, "a")
        .addConditionalEdges("a", state -> state.getBoolean("ok") ? "approve" : "reject",
            Map.of("approve", "yes", "reject", "no", "stop", END))
        .addEdge("yes", END).addEdge("no", END).compile();

    SuperstepDriver approved = new SuperstepDriver(RUN, g, Map.of("ok", true));
    approved.runToEnd(silent());
    SuperstepDriver rejected = new SuperstepDriver(RUN, g, Map.of("ok", false));
    rejected.runToEnd(silent());

    assertEquals(List.of(List.of("a"), List.of("yes")), approved.trace);
    assertEquals(List.of(List.of("a"), List.of("no")), rejected.trace);
  }

  @Test
  void aRouterSeesTheSnapshotPlusOnlyItsOwnNodesWrites() {
    AtomicReference<State> seen = new AtomicReference<>();
    CompiledGraph g = graph("a", "b", "c").channel("log", Channels.append())
        .addEdge(START, "a").addEdge(START, "b")
        .addConditionalEdges("a", state -> {
          seen.set(state);
          return "c";
        })
        .addEdge("b", END).addEdge("c", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of("question", "why", "log", "input"));

    RunState after = run.step(task -> task.node().equals("a")
        ? Map.of("fromA", 1, "log", "a wrote")
        : Map.of("fromB", 2, "log", "b wrote"));

    State view = seen.get();
    assertEquals("why", view.getString("question"));
    assertEquals(1, view.getInteger("fromA"));
    assertFalse(view.has("fromB"), "a sibling's writes of the same step are not visible to the router");
    assertEquals(List.of("input", "a wrote"), view.getList("log"));
    assertEquals(List.of("input", "a wrote", "b wrote"), after.state().getList("log"));
    assertEquals(2, after.state().getInteger("fromB"));
    assertEquals(List.of("c"), labels(after));
  }

  @Test
  void aRouterReturningAnUnknownNameFailsListingTheKnownNodes() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a")
        .addConditionalEdges("a", state -> "bee").addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    GraphloopException e = assertThrows(GraphloopException.class, () -> run.step(silent()));

    assertEquals(FailureCode.NODE_FAILED, e.code());
    assertEquals("a", e.node());
    assertEquals(1, e.step());
    assertEquals("g", e.graph());
    assertEquals(RUN, e.runId());
    assertTrue(e.getMessage().contains("'bee'"), e.getMessage());
    assertTrue(e.getMessage().contains("known nodes are [a, b]"), e.getMessage());
  }

  @Test
  void aRouterReturningStartFails() {
    CompiledGraph g = graph("a").addEdge(START, "a").addConditionalEdges("a", state -> START).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    GraphloopException e = assertThrows(GraphloopException.class, () -> run.step(silent()));

    assertTrue(e.getMessage().contains("not a node of the graph"), e.getMessage());
  }

  @Test
  void aRouterReturningAnUnmappedKeyFailsListingTheKeys() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a")
        .addConditionalEdges("a", state -> "maybe", Map.of("yes", "b", "no", END)).addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    GraphloopException e = assertThrows(GraphloopException.class, () -> run.step(silent()));

    assertTrue(e.getMessage().contains("'maybe'"), e.getMessage());
    assertTrue(e.getMessage().contains("[no, yes]"), e.getMessage());
  }

  @Test
  void aRouterReturningSomethingOtherThanNamesFails() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addConditionalEdges("a", state -> 42)
        .addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    GraphloopException e = assertThrows(GraphloopException.class, () -> run.step(silent()));

    assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
    assertTrue(e.getMessage().contains("a router returns a node name"), e.getMessage());
  }

  @Test
  void aThrowingRouterFailsTheRunAtItsSourceNode() {
    IllegalStateException boom = new IllegalStateException("router broke");
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b")
        .addConditionalEdges("b", state -> {
          throw boom;
        }).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());
    run.step(silent());

    GraphloopException e = assertThrows(GraphloopException.class, () -> run.step(silent()));

    assertEquals(FailureCode.NODE_FAILED, e.code());
    assertEquals("b", e.node());
    assertEquals(2, e.step());
    assertEquals(RUN, e.runId());
    assertSame(boom, e.getCause());
    assertTrue(e.getMessage().contains("router broke"), e.getMessage());
  }

  @Test
  void conditionalEdgesFromStartRouteOnTheInput() {
    CompiledGraph g = graph("small", "large")
        .addConditionalEdges(START, state -> state.getInteger("size") > 10 ? "large" : "small")
        .addEdge("small", END).addEdge("large", END).compile();

    assertEquals(List.of("large"), labels(Superstep.begin(g, RUN, State.empty(), Map.of("size", 11))));
    assertEquals(List.of("small"), labels(Superstep.begin(g, RUN, State.empty(), Map.of("size", 3))));
  }

  @Test
  void theInputGoesThroughTheReducers() {
    CompiledGraph g = graph("a").channel("messages", Channels.append()).addEdge(START, "a").addEdge("a", END)
        .compile();
    State previous = State.of(Map.of("messages", List.of("old"), "topic", "before"));

    RunState first = Superstep.begin(g, RUN, previous, Map.of("messages", List.of("new"), "topic", "after"));

    assertEquals(List.of("old", "new"), first.state().getList("messages"));
    assertEquals("after", first.state().getString("topic"));
    assertEquals(List.of("old"), previous.getList("messages"), "the previous state is unchanged");
  }

  @Test
  void aReducerFailureInAStepNamesGraphRunStepAndNode() {
    CompiledGraph g = graph("a", "b").channel("total", Channels.reducer((x, y) -> {
      throw new ArithmeticException("overflow");
    }, 0)).addEdge(START, "a").addEdge(START, "b").addEdge("a", END).addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    GraphloopException e = assertThrows(GraphloopException.class,
        () -> run.step(task -> task.node().equals("b") ? Map.of("total", 1) : null));

    assertEquals(FailureCode.INVALID_UPDATE, e.code());
    assertEquals("g", e.graph());
    assertEquals(RUN, e.runId());
    assertEquals(1, e.step());
    assertEquals("b", e.node());
    assertTrue(e.getMessage().contains("'total'"), e.getMessage());
  }

  @Test
  void aLoopThatNeverExitsHitsTheRecursionLimit() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b")
        .addConditionalEdges("b", state -> "again", Map.of("again", "a", "stop", END)).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, State.empty(), Map.of(), 5);

    GraphRecursionException e = assertThrows(GraphRecursionException.class, () -> run.runToEnd(silent()));

    assertEquals(5, e.limit());
    // LangGraph 1.x: stop = step + limit + 1, checked before each step: START's step 0 and node steps 1..5 run,
    // reaching step 6 fails (LangGraph 1.2.12 runs this loop the same way)
    assertEquals(6, e.step());
    assertEquals(5, run.trace.size(), "node steps 1 to 5 ran, as LangGraph's loop does with a limit of 5");
    assertEquals(FailureCode.RECURSION_LIMIT, e.code());
    assertEquals("g", e.graph());
    assertEquals(RUN, e.runId());
    assertTrue(e.getMessage().contains("Recursion limit of 5"), e.getMessage());
    assertTrue(e.getMessage().contains("setRecursionLimit"), e.getMessage());
  }

  @Test
  void aChainOfNNodesNeedsARecursionLimitOfNPlusOneAndFailsAfterItsLastStepWithN() {
    // LangGraph 1.2.12: START -> a -> END fails at recursion_limit=1 and completes at 2 (START's task is a step)
    String[] nodes = {"n1", "n2", "n3", "n4"};
    StateGraph builder = graph(nodes).addEdge(START, "n1").addEdge("n4", END);
    for (int i = 0; i + 1 < nodes.length; i++) {
      builder.addEdge(nodes[i], nodes[i + 1]);
    }
    CompiledGraph g = builder.compile();

    SuperstepDriver enough = new SuperstepDriver(RUN, g, State.empty(), Map.of(), nodes.length + 1);
    enough.runToEnd(silent());
    assertEquals(nodes.length, enough.trace.size());

    SuperstepDriver tooFew = new SuperstepDriver(RUN, g, State.empty(), Map.of(), nodes.length);
    GraphRecursionException e = assertThrows(GraphRecursionException.class, () -> tooFew.runToEnd(silent()));
    assertEquals(nodes.length, e.limit());
    assertEquals(nodes.length, tooFew.trace.size(), "as in LangGraph, every node ran; reaching the step after the "
        + "budget fails the run even though nothing is due there");
  }

  /**
   * As LangGraph 1.2.12 with a TypedDict state: a node's write to a key outside the schema is dropped without an error
   * ({@code src/test/resources/langgraph/outside_schema.py}; the runtime side is {@code OutsideSchemaTest}).
   */
  @Test
  void aStrictGraphDropsAWriteToAnUndeclaredChannel() {
    CompiledGraph g = graph("a").channel("messages", Channels.append()).channel("answer", Channels.lastValue())
        .strictChannels().addEdge(START, "a").addEdge("a", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of("answer", "ok"));

    RunState next = run.step(task -> Map.of("anwser", "typo", "messages", List.of("m")));

    assertEquals(State.of(Map.of("answer", "ok", "messages", List.of("m"))), next.state());
  }

  @Test
  void aStrictGraphDropsUndeclaredChannelsWrittenBySeveralNodesAndFromTheInput() {
    CompiledGraph g = graph("a", "b").channel("answer", Channels.lastValue()).strictChannels()
        .addEdge(START, "a").addEdge(START, "b").addEdge("a", END).addEdge("b", END).compile();

    // LangGraph's __start__ writes only its input schema's keys (InputSchemaTest)
    RunState begun = Superstep.begin(g, RUN, State.empty(), Map.of("question", "?", "answer", "!"));
    assertEquals(State.of(Map.of("answer", "!")), begun.state());
    assertEquals(List.of("a", "b"), begun.tasks().stream().map(Task::node).toList());

    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());
    RunState next = run.step(task -> Map.of("scratch", task.node()));
    assertEquals(State.empty(), next.state());
  }

  @Test
  void aLenientGraphTreatsUndeclaredChannelsAsLastValue() {
    CompiledGraph g = graph("a").addEdge(START, "a").addEdge("a", END).compile();

    State end = new SuperstepDriver(RUN, g, Map.of("x", 1)).runToEnd(task -> Map.of("x", 2, "y", 3));

    assertEquals(State.of(Map.of("x", 2, "y", 3)), end);
  }

  @Test
  void aStepWithoutWritesKeepsTheStateAndANodeDueForSeveralReasonsRunsOnce() {
    CompiledGraph g = graph("a", "b", "c").addEdge(START, "a").addEdge(START, "b")
        .addEdge("a", "c").addConditionalEdges("b", state -> List.of("c", "c")).addEdge(List.of("a", "b"), "c")
        .addEdge("c", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of("k", "v"));
    State before = run.current.state();

    RunState after = run.step(silent());

    assertEquals(List.of("c"), labels(after));
    assertSame(before, after.state());
  }
}
