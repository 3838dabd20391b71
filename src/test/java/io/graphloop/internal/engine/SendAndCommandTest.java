package io.graphloop.internal.engine;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.graphloop.internal.engine.SuperstepDriver.NOOP;
import static io.graphloop.internal.engine.SuperstepDriver.NO_LIMIT;
import static io.graphloop.internal.engine.SuperstepDriver.graph;
import static io.graphloop.internal.engine.SuperstepDriver.labels;
import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Planning with Sends (push tasks, map-reduce) and Commands (update plus goto), on the pure superstep:
 * which tasks run, with which input, in which order, and how bad targets fail.
 */
class SendAndCommandTest {

  private static final String RUN = "run-9";
  private static Function<Task, Object> silent() {
    return task -> null;
  }

  /** split -> (router: one Send per part) -> work -> join -> END. */
  private static StateGraph mapReduce(String... extraNodes) {
    StateGraph g = graph("split", "work", "join");
    for (String node : extraNodes) {
      g.addNode(node, NOOP);
    }
    return g.channel("results", Channels.append())
        .addEdge(START, "split")
        .addConditionalEdges("split", state -> state.getList("parts").stream()
            .map(part -> new Send("work", Map.of("part", part))).toList())
        .addEdge("work", "join")
        .addEdge("join", END);
  }

  @Test
  void eachSendRunsItsNodeInTheNextStepWithItsOwnInputAsTheState() {
    SuperstepDriver run = new SuperstepDriver(RUN, mapReduce().compile(), Map.of("parts", List.of("x", "y", "z")));

    run.step(silent());

    assertEquals(List.of("work{part=x}", "work{part=y}", "work{part=z}"), labels(run.current));
    for (Task task : run.current.tasks()) {
      assertEquals(2, task.step());
      assertEquals(1, task.input().size(), "a push task sees its Send's input, not the state");
      assertFalse(task.input().has("parts"));
    }
  }

  @Test
  void pushTasksUpdatesMeetAtTheReducerInSendOrderAndTheirEdgeTargetRunsOnce() {
    SuperstepDriver run = new SuperstepDriver(RUN, mapReduce().compile(), Map.of("parts", List.of("c", "a", "b")));

    State end = run.runToEnd(task -> task.node().equals("work")
        ? Map.of("results", "done " + task.input().getString("part")) : null);

    assertEquals(List.of("done c", "done a", "done b"), end.getList("results"), "Send order, not alphabetical");
    assertEquals(List.of(List.of("split"), List.of("work{part=c}", "work{part=a}", "work{part=b}"), List.of("join")),
        run.trace, "work's edge to join schedules one pull task of join");
  }

  @Test
  void sendsToTheSameNodeWithEqualInputsAreNotDeduplicated() {
    SuperstepDriver run = new SuperstepDriver(RUN, mapReduce().compile(), Map.of("parts", List.of("same", "same")));

    run.step(silent());

    assertEquals(List.of("work{part=same}", "work{part=same}"), labels(run.current));
  }

  @Test
  void pushTaskIdsAreDeterministicAndDistinctFromThePullTask() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b")
        .addConditionalEdges("a", state -> List.of(new Send("b", Map.of("i", 1)), new Send("b", Map.of("i", 2))))
        .addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.step(silent());

    List<String> ids = new ArrayList<>();
    run.current.tasks().forEach(task -> ids.add(task.id(RUN)));
    assertEquals(List.of(RUN + ":2:b", RUN + ":2:b:push0", RUN + ":2:b:push1"), ids);
    assertEquals(List.of(Task.PULL, 0, 1), run.current.tasks().stream().map(Task::push).toList());
  }

  @Test
  void aNodeTriggeredByAnEdgeAndBySendsRunsItsPullTaskFirstWithTheFullState() {
    CompiledGraph g = graph("a", "b").channel("log", Channels.append())
        .addEdge(START, "a").addEdge("a", "b")
        .addConditionalEdges("a", state -> List.of(new Send("b", Map.of("who", "s1")), "b",
            new Send("b", Map.of("who", "s2"))))
        .addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of("topic", "t"));

    State end = run.runToEnd(task -> task.node().equals("b")
        ? Map.of("log", task.isPush() ? task.input().getString("who") : "pull saw " + task.input().getString("topic"))
        : null);

    assertEquals(List.of("b", "b{who=s1}", "b{who=s2}"), run.trace.get(1),
        "the edge and the router's name give one pull task; each Send its own push task");
    assertEquals(List.of("pull saw t", "s1", "s2"), end.getList("log"));
  }

  /** Whether q's own latest write is its pull task's: a router sees the step's state plus its node's writes. */
  private static boolean afterPullOfQ(State view) {
    List<Object> log = view.getList("log");
    return !log.isEmpty() && log.get(log.size() - 1).equals("q:pull");
  }

  @Test
  void writesFollowNodeDeclarationOrderThenPullThenPushInTheOrderTheSendsWereProduced() {
    // declared: first, p, q; step 0 runs p and q; p's router sends to q and to first, q's two routers too
    CompiledGraph g = graph("first", "p", "q").channel("log", Channels.append())
        .addEdge(START, "q").addEdge(START, "p")
        .addConditionalEdges("p", state -> List.of(new Send("q", Map.of("from", "p1")),
            new Send("first", Map.of("from", "p2"))))
        .addConditionalEdges("q", state -> afterPullOfQ(state) ? List.of(new Send("q", Map.of("from", "q1")),
            new Send("first", Map.of("from", "q2")), "first") : List.of())
        .addConditionalEdges("q", state -> afterPullOfQ(state) ? List.of(new Send("q", Map.of("from", "q3")))
            : List.of())
        .addEdge("first", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    State end = run.runToEnd(task -> Map.of("log", task.node() + ":" + (task.isPush() ? task.input().getString("from")
        : "pull")));

    // LangGraph applies every edge-triggered task's writes before any Send task's, the Sends in the order produced
    assertEquals(List.of("first", "q{from=p1}", "first{from=p2}", "q{from=q1}", "first{from=q2}", "q{from=q3}"),
        run.trace.get(1), "the pull task, then the Sends of p before q's (task order), q's in branch order");
    assertEquals(List.of("p:pull", "q:pull", "first:pull", "q:p1", "first:p2", "q:q1", "first:q2", "q:q3"),
        end.getList("log"));
  }

  @Test
  void routersAtStartMaySendAndTheirTasksRunInStepZero() {
    CompiledGraph g = graph("work").channel("out", Channels.append())
        .addConditionalEdges(START, state -> List.of(new Send("work", Map.of("n", 1)),
            new Send("work", Map.of("n", 2))))
        .addEdge("work", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    assertEquals(List.of("work{n=1}", "work{n=2}"), labels(run.current));
    assertEquals(1, run.current.tasks().get(0).step());
    State end = run.runToEnd(task -> Map.of("out", task.input().getInteger("n") * 10));
    assertEquals(List.of(10, 20), end.getList("out"));
  }

  @Test
  void sendsBypassThePathMap() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a")
        // the validator reads the path map as the router's edges, so it lists the Send's target too
        .addConditionalEdges("a", state -> List.of("done", new Send("b", Map.of())), Map.of("done", END, "b", "b"))
        .addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.step(silent());

    assertEquals(List.of("b{}"), labels(run.current));
  }

  @Test
  void aSendToEndFailsNamingTheKnownNodes() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a")
        .addConditionalEdges("a", state -> new Send(END, Map.of())).addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    GraphloopException e = assertThrows(GraphloopException.class, () -> run.step(silent()));

    assertEquals(FailureCode.NODE_FAILED, e.code());
    assertEquals("a", e.node());
    assertEquals(1, e.step());
    assertTrue(e.getMessage().contains("a Send to END") && e.getMessage().contains("known nodes are [a, b]"),
        e.getMessage());
  }

  @Test
  void aSendToAnUnknownNodeFailsNamingItAndTheKnownNodes() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a")
        .addConditionalEdges("a", state -> List.of(new Send("nope", Map.of()))).addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    GraphloopException e = assertThrows(GraphloopException.class, () -> run.step(silent()));

    assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("known nodes are [a, b]"), e.getMessage());
  }

  @Test
  void aSendWhoseInputIsNotJsonFailsWithAnInvalidUpdateNamingTheRoutingNode() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a")
        .addConditionalEdges("a", state -> new Send("b", Map.of("handle", new Object()))).addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    InvalidUpdateException e = assertThrows(InvalidUpdateException.class, () -> run.step(silent()));

    assertEquals(List.of("a"), e.writers());
    assertEquals("a", e.node());
    assertTrue(e.getMessage().contains("Send to 'b'") && e.getMessage().contains("JSON"), e.getMessage());
  }

  @Test
  void aSendsInputIsFrozenWhenItLeavesTheRouter() {
    List<Object> parts = new ArrayList<>(List.of("p1"));
    CompiledGraph g = graph("a", "b").addEdge(START, "a")
        .addConditionalEdges("a", state -> new Send("b", Map.of("parts", parts))).addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.step(silent());
    parts.add("p2");

    assertEquals(List.of("p1"), run.current.tasks().get(0).input().getList("parts"));
  }

  private static CompiledGraph commandGraph() {
    return graph("a", "b", "c").channel("log", Channels.append())
        .addNode("router", NOOP, new NodeOptions().setDestinations(List.of("a", "b", "c", END)))
        .addEdge(START, "router")
        .addEdge("a", END).addEdge("b", END).addEdge("c", END).compile();
  }

  @Test
  void aCommandAppliesItsUpdateAndGoesToItsTarget() {
    SuperstepDriver run = new SuperstepDriver(RUN, commandGraph(), Map.of());

    State end = run.runToEnd(task -> task.node().equals("router")
        ? Command.gotoNode("b").update(Map.of("log", "routed")) : Map.of("log", task.node()));

    assertEquals(List.of(List.of("router"), List.of("b")), run.trace);
    assertEquals(List.of("routed", "b"), end.getList("log"));
  }

  @Test
  void aCommandMayGoToSeveralNodesWhichRunInParallel() {
    SuperstepDriver run = new SuperstepDriver(RUN, commandGraph(), Map.of());

    run.runToEnd(task -> task.node().equals("router") ? Command.gotoNodes("c", "a") : null);

    assertEquals(List.of(List.of("router"), List.of("a", "c")), run.trace);
  }

  @Test
  void aCommandToEndEndsTheRunWhenNoEdgeLeadsOn() {
    SuperstepDriver run = new SuperstepDriver(RUN, commandGraph(), Map.of());

    State end = run.runToEnd(task -> Command.of(Map.of("log", "last"), END));

    assertEquals(List.of(List.of("router")), run.trace);
    assertEquals(List.of("last"), end.getList("log"));
  }

  @Test
  void aCommandsGotoAddsToTheStaticAndConditionalEdges() {
    CompiledGraph g = graph("a", "b", "c", "d").addEdge(START, "a").addEdge("a", "b")
        .addConditionalEdges("a", state -> "c")
        .addEdge("b", END).addEdge("c", END).addEdge("d", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.step(task -> Command.gotoNode("d"));

    assertEquals(List.of("b", "c", "d"), labels(run.current));
  }

  @Test
  void aCommandsGotoToANodeAlsoDueByAnEdgeRunsItOnce() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.step(task -> Command.gotoNodes("b", "b"));

    assertEquals(List.of("b"), labels(run.current));
  }

  @Test
  void aCommandsSendsRunAsPushTasksAfterItsGotoTargetsPullTask() {
    SuperstepDriver run = new SuperstepDriver(RUN, commandGraph(), Map.of());

    State end = run.runToEnd(task -> task.node().equals("router")
        ? Command.gotoNode("a").andSend(new Send("a", Map.of("k", 1)), new Send("c", Map.of("k", 2)))
        : Map.of("log", task.node() + (task.isPush() ? task.input().getInteger("k") : "")));

    assertEquals(List.of("a", "a{k=1}", "c{k=2}"), run.trace.get(1));
    assertEquals(List.of("a", "a1", "c2"), end.getList("log"));
  }

  @Test
  void aCommandsSendsComeBeforeTheSendsOfItsNodesRouters() {
    CompiledGraph g = graph("a", "b").channel("log", Channels.append()).addEdge(START, "a")
        .addConditionalEdges("a", state -> new Send("b", Map.of("from", "router")))
        .addEdge("b", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.step(task -> Command.send(new Send("b", Map.of("from", "command"))));

    assertEquals(List.of("b{from=command}", "b{from=router}"), labels(run.current));
  }

  @Test
  void aCommandToAnUnknownNodeFailsWithAnInvalidUpdateNamingTheNodeAndTheKnownNodes() {
    SuperstepDriver run = new SuperstepDriver(RUN, commandGraph(), Map.of());

    InvalidUpdateException e = assertThrows(InvalidUpdateException.class,
        () -> run.step(task -> Command.gotoNode("nowhere")));

    assertEquals(FailureCode.INVALID_UPDATE, e.code());
    assertEquals("router", e.node());
    assertEquals(1, e.step());
    assertEquals(RUN, e.runId());
    assertTrue(e.getMessage().contains("'nowhere'") && e.getMessage().contains("[a, b, c, router]")
        && e.getMessage().contains("(or END)"), e.getMessage());
  }

  @Test
  void aCommandToStartFails() {
    SuperstepDriver run = new SuperstepDriver(RUN, commandGraph(), Map.of());

    InvalidUpdateException e = assertThrows(InvalidUpdateException.class,
        () -> run.step(task -> Command.gotoNode(START)));

    assertTrue(e.getMessage().contains("goes to START"), e.getMessage());
  }

  @Test
  void aCommandsSendToEndOrAnUnknownNodeFailsNamingTheKnownNodes() {
    for (String target : List.of(END, "ghost")) {
      SuperstepDriver run = new SuperstepDriver(RUN, commandGraph(), Map.of());

      InvalidUpdateException e = assertThrows(InvalidUpdateException.class,
          () -> run.step(task -> Command.send(new Send(target, Map.of()))));

      assertEquals(List.of("router"), e.writers());
      assertTrue(e.getMessage().contains("known nodes are [a, b, c, router]"), e.getMessage());
    }
  }

  @Test
  void advanceIsPureTheSameInputsGiveTheSameNextStepAndChangeNothing() {
    CompiledGraph g = mapReduce().compile();
    RunState first = Superstep.begin(g, RUN, State.empty(), Map.of("parts", List.of("x", "y")));
    List<TaskResult> results = List.of(new TaskResult(first.tasks().get(0), Map.of("seen", true),
        List.of("join"), List.of(new Send("work", Map.of("part", "extra")))));

    RunState once = Superstep.advance(g, RUN, first, results);
    RunState twice = Superstep.advance(g, RUN, first, results);

    assertEquals(once, twice);
    assertNotSame(once, twice);
    assertEquals(List.of("join", "work{part=extra}", "work{part=x}", "work{part=y}"), labels(once),
        "the pull task first; then the Command's Send before the router's");
    assertEquals(1, first.step());
    assertFalse(first.state().has("seen"));
  }

  @Test
  void aCommandIsImmutableEachChangeReturnsANewCommand() {
    Command base = Command.gotoNode("a");
    Command updated = base.update(Map.of("k", 1));
    Command more = updated.andGoto("b").andSend(new Send("c", Map.of()));

    assertEquals(Map.of(), base.update());
    assertEquals(List.of("a"), updated.goTo());
    assertEquals(List.of("a", "b"), more.goTo());
    assertEquals(List.of(new Send("c", Map.of())), more.sends());
    assertEquals(Map.of("k", 1), more.update());
    assertThrows(UnsupportedOperationException.class, () -> more.goTo().add("x"));
    assertEquals(Command.of(Map.of("k", 1), List.of("a", "b", new Send("c", Map.of()))), more,
        "Command.of takes LangGraph's goto: names and Sends mixed");
  }

  @Test
  void aPushTasksInputIsItsOwnSnapshotWhileEveryPullTaskSharesTheStepsState() {
    CompiledGraph g = graph("a", "b", "c").addEdge(START, "a").addEdge("a", "b").addEdge("a", "c")
        .addConditionalEdges("a", state -> new Send("c", Map.of("own", true)))
        .addEdge("b", END).addEdge("c", END).compile();
    SuperstepDriver run = new SuperstepDriver(RUN, g, Map.of());

    run.step(silent());

    List<Task> tasks = run.current.tasks();
    assertEquals(List.of("b", "c", "c{own=true}"), labels(run.current));
    assertSame(run.current.state(), tasks.get(0).input());
    assertSame(run.current.state(), tasks.get(1).input());
    assertEquals(State.of(Map.of("own", true)), tasks.get(2).input());
  }
}
