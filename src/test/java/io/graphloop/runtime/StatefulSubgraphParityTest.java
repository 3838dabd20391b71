package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subgraph persistence as LangGraph 1.2.12's {@code compile(checkpointer=True | None | False)} of a subgraph
 * ({@link Subgraph#stateful()}, the default {@link Subgraph.Persistence#PER_INVOCATION},
 * {@link Subgraph#withoutCheckpoints()}), and time travel of a parent with stateful subgraphs (LangGraph's
 * {@code ReplayState}): the tests of {@code libs/langgraph/tests/test_time_travel.py} named on each method, written as
 * src/test/resources/langgraph/stateful_subgraphs.py runs them; the expected values are that script's output.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class StatefulSubgraphParityTest {

  private final List<List<Object>> seen = Collections.synchronizedList(new ArrayList<>());
  private final RunOptions thread = new RunOptions().setThreadId("t");

  private static RunOptions at(String checkpointId) {
    return new RunOptions().setThreadId("t").setCheckpointId(checkpointId);
  }

  /** A child node that records the state it saw ({@code key}'s list) and appends {@code written} to {@code key}. */
  private AsyncNode step(String name, String key, String written) {
    return (state, ctx) -> {
      seen.add(List.of(name, state.has(key) ? state.getList(key) : List.of()));
      return Future.succeededFuture(Map.of(key, written));
    };
  }

  /** A child node that records the state it saw and asks {@code question}, appending {@code prefix:answer}. */
  private AsyncNode asker(String name, String question, String prefix) {
    return (state, ctx) -> {
      seen.add(List.of(name, state.has("value") ? state.getList("value") : List.of()));
      return Future.succeededFuture(Map.of("value", prefix + ":" + ctx.interrupt(question)));
    };
  }

  private static AsyncNode writes(String key, String value) {
    return (state, ctx) -> Future.succeededFuture(Map.of(key, value));
  }

  private static List<Object> seen(String name, List<String> value) {
    return List.of(name, value);
  }

  private List<List<Object>> taken() {
    List<List<Object>> copy = new ArrayList<>(seen);
    seen.clear();
    return copy;
  }

  /** parent_node -> sub_node, the child step_a -> step_b each asking (LangGraph's two_asks of the script). */
  private GraphClient twoAsks(Vertx vertx, String name, Subgraph.Persistence persistence) {
    CompiledGraph sub = new StateGraph(name + "-sub").strictChannels().channel("value", Channels.append())
        .addNode("step_a", asker("step_a", "question_a", "a")).addNode("step_b", asker("step_b", "question_b", "b"))
        .addEdge(START, "step_a").addEdge("step_a", "step_b").addEdge("step_b", END).compile();
    CompiledGraph parent = new StateGraph(name).strictChannels().channel("results", Channels.append())
        .addNode("parent_node", writes("results", "p"))
        .addSubgraph("sub_node", Subgraph.of(sub).persistence(persistence))
        .addEdge(START, "parent_node").addEdge("parent_node", "sub_node").addEdge("sub_node", END).compile();
    return result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
  }

  /** The chain START -> parentNodes... -> sub_node -> END, the child's one step appending "s". */
  private GraphClient oneStep(Vertx vertx, String name, Subgraph.Persistence persistence, String... parentNodes) {
    CompiledGraph sub = new StateGraph(name + "-sub").strictChannels().channel("value", Channels.append())
        .addNode("sub_step", step("sub_step", "value", "s")).addEdge(START, "sub_step").addEdge("sub_step", END)
        .compile();
    StateGraph parent = new StateGraph(name).strictChannels().channel("results", Channels.append());
    String previous = START;
    for (String node : parentNodes) {
      parent.addNode(node, writes("results", node)).addEdge(previous, node);
      previous = node;
    }
    parent.addSubgraph("sub_node", Subgraph.of(sub).persistence(persistence)).addEdge(previous, "sub_node")
        .addEdge("sub_node", END);
    return result(GraphRuntime.deploy(vertx, parent.compile(), MEMORY)).client();
  }

  private static List<Object> shown(RunResult result) {
    return List.of(result.values().getList("results"), result.interrupts().stream().map(i -> i.get("value")).toList());
  }

  /** The newest (first == true) or oldest checkpoint of the history with exactly {@code node} due. */
  private static ThreadState due(GraphClient client, String node, boolean newest) {
    List<ThreadState> matching = result(client.getStateHistory("t", 0, null)).stream()
        .filter(s -> s.next().equals(List.of(node))).toList();
    return newest ? matching.get(0) : matching.get(matching.size() - 1);
  }

  private static List<List<Object>> nexts(GraphClient client) {
    List<List<Object>> lines = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory("t", 0, null))) {
      lines.add(List.of(state.source().wireName(), state.next()));
    }
    return lines;
  }

  /** Runs the six runs of two invocations, each answered twice. */
  private List<List<Object>> twoInvocations(GraphClient client) {
    List<List<Object>> runs = new ArrayList<>();
    runs.add(shown(result(client.run(Map.of("results", List.of()), thread))));
    runs.add(shown(result(client.run(Command.resume("a1"), thread))));
    runs.add(shown(result(client.run(Command.resume("b1"), thread))));
    runs.add(shown(result(client.run(Map.of("results", List.of()), thread))));
    runs.add(shown(result(client.run(Command.resume("a2"), thread))));
    runs.add(shown(result(client.run(Command.resume("b2"), thread))));
    return runs;
  }

  /** The parent's next and, per task with a child state, (task, child's next, child's values, namespace's node). */
  private static List<Object> state(GraphClient client) {
    ThreadState state = result(client.getState("t", null, true));
    List<Object> out = new ArrayList<>(List.of(state.next()));
    for (int i = 0; i < state.tasks().size(); i++) {
      ThreadState child = state.subgraphState(i);
      out.add(child == null ? Arrays.asList(state.tasks().get(i).get("node"), null)
          : List.of(state.tasks().get(i).get("node"), child.next(), child.values().asMap(),
              String.valueOf(child.metadata().get("checkpointNs")).split(":")[0]));
    }
    return out;
  }

  /** test_stateful_subgraph_retains_state_on_parent_replay (checkpointer=True), then a resume of the replay. */
  @Test
  void aStatefulSubgraphKeepsItsStateAcrossInvocationsAndAReplayLoadsItAsItWasThen(Vertx vertx) {
    GraphClient client = twoAsks(vertx, "sp-stateful", Subgraph.Persistence.STATEFUL);
    assertEquals(List.of(List.of(List.of("p"), List.of("question_a")), List.of(List.of("p"), List.of("question_b")),
        List.of(List.of("p"), List.of()), List.of(List.of("p", "p"), List.of("question_a")),
        List.of(List.of("p", "p"), List.of("question_b")), List.of(List.of("p", "p"), List.of())),
        twoInvocations(client));
    assertEquals(List.of(seen("step_a", List.of()), seen("step_a", List.of()), seen("step_b", List.of("a:a1")),
        seen("step_b", List.of("a:a1")), seen("step_a", List.of("a:a1", "b:b1")),
        seen("step_a", List.of("a:a1", "b:b1")), seen("step_b", List.of("a:a1", "b:b1", "a:a2")),
        seen("step_b", List.of("a:a1", "b:b1", "a:a2"))), taken());
    RunResult replay = result(client.proceed(at(due(client, "sub_node", true).checkpointId())));
    assertEquals(List.of(List.of("p", "p"), List.of("question_a")), shown(replay));
    assertEquals(List.of(seen("step_a", List.of("a:a1", "b:b1"))), taken());
    assertEquals(List.of(List.of("sub_node"), List.of("sub_node", List.of("step_a"),
        Map.of("value", List.of("a:a1", "b:b1")), "sub_node")), state(client));
    assertEquals(List.of(List.of("p", "p"), List.of("question_b")),
        shown(result(client.run(Command.resume("a3"), thread))));
    assertEquals(List.of(seen("step_a", List.of("a:a1", "b:b1")), seen("step_b", List.of("a:a1", "b:b1", "a:a3"))),
        taken());
  }

  /** test_stateless_subgraph_starts_fresh_on_parent_replay (checkpointer=None: per invocation). */
  @Test
  void aPerInvocationSubgraphStartsAfreshEachInvocationAndOnAReplay(Vertx vertx) {
    GraphClient client = twoAsks(vertx, "sp-per-invocation", Subgraph.Persistence.PER_INVOCATION);
    twoInvocations(client);
    assertEquals(List.of(seen("step_a", List.of()), seen("step_a", List.of()), seen("step_b", List.of("a:a1")),
        seen("step_b", List.of("a:a1")), seen("step_a", List.of()), seen("step_a", List.of()),
        seen("step_b", List.of("a:a2")), seen("step_b", List.of("a:a2"))), taken());
    RunResult replay = result(client.proceed(at(due(client, "sub_node", true).checkpointId())));
    assertEquals(List.of(List.of("p", "p"), List.of("question_a")), shown(replay));
    assertEquals(List.of(seen("step_a", List.of())), taken());
    assertEquals(List.of(List.of("sub_node"), List.of("sub_node", List.of("step_a"), Map.of("value", List.of()),
        "sub_node")), state(client));
    assertEquals(List.of(List.of("p", "p"), List.of("question_b")),
        shown(result(client.run(Command.resume("a3"), thread))));
    assertEquals(List.of(seen("step_a", List.of()), seen("step_b", List.of("a:a3"))), taken());
  }

  /**
   * checkpointer=False: no checkpoints, so the child starts anew each invocation and getState shows no child state.
   * Decided (see LANGGRAPH-DIFFERENCES.md): an interrupt inside it fails the node with an error saying so, where
   * LangGraph re-runs the child from its start on every resume and answers its first interrupt again.
   */
  @Test
  void aSubgraphWithoutCheckpointsStartsAfreshAndCannotStopTheParent(Vertx vertx) {
    GraphClient client = oneStep(vertx, "sp-none", Subgraph.Persistence.NONE, "parent_node");
    result(client.run(Map.of("results", List.of()), thread));
    result(client.run(Map.of("results", List.of()), thread));
    assertEquals(List.of(seen("sub_step", List.of()), seen("sub_step", List.of())), taken());
    GraphClient asking = twoAsks(vertx, "sp-none-asks", Subgraph.Persistence.NONE);
    Throwable failure = Await.failure(asking.run(Map.of("results", List.of()), thread));
    assertInstanceOf(NodeFailedException.class, failure);
    assertTrue(failure.getCause().getMessage().contains("keeps no checkpoints"), failure.getCause().getMessage());
  }

  /** The same graph with checkpointer=None across invocations: each starts empty. */
  @Test
  void aPerInvocationSubgraphSeesNoEarlierInvocation(Vertx vertx) {
    GraphClient client = oneStep(vertx, "sp-none-loop", Subgraph.Persistence.PER_INVOCATION, "parent_node");
    result(client.run(Map.of("results", List.of()), thread));
    result(client.run(Map.of("results", List.of()), thread));
    assertEquals(List.of(seen("sub_step", List.of()), seen("sub_step", List.of())), taken());
  }

  /** test_stateful_subgraph_retains_state_on_parent_fork. */
  @Test
  void aForkOfTheParentLoadsTheStatefulSubgraphsStateAsItWasThen(Vertx vertx) {
    GraphClient client = twoAsks(vertx, "sp-fork", Subgraph.Persistence.STATEFUL);
    twoInvocations(client);
    seen.clear();
    ThreadState fork = result(client.updateState("t", due(client, "sub_node", true).checkpointId(),
        Map.of("results", List.of("forked")), null));
    RunResult forked = result(client.proceed(at(fork.checkpointId())));
    assertEquals(List.of(List.of("p", "p", "forked"), List.of("question_a")), shown(forked));
    assertEquals(List.of(seen("step_a", List.of("a:a1", "b:b1"))), taken());
  }

  /** test_stateful_subgraph_loads_state_across_ticks. */
  @Test
  void aReplayBeforeOtherNodesStillLoadsTheSubgraphsStateOfThen(Vertx vertx) {
    GraphClient client = oneStep(vertx, "sp-ticks", Subgraph.Persistence.STATEFUL, "node_a", "node_b");
    assertEquals(List.of("node_a", "node_b"),
        result(client.run(Map.of("results", List.of()), thread)).values().getList("results"));
    assertEquals(List.of("node_a", "node_b", "node_a", "node_b"),
        result(client.run(Map.of("results", List.of()), thread)).values().getList("results"));
    assertEquals(List.of(seen("sub_step", List.of()), seen("sub_step", List.of("s"))), taken());
    assertEquals(List.of("node_a", "node_b", "node_a", "node_b"),
        result(client.proceed(at(due(client, "node_a", true).checkpointId()))).values().getList("results"));
    assertEquals(List.of(seen("sub_step", List.of("s"))), taken());
  }

  /** test_stateful_subgraph_loads_latest_after_replay. */
  @Test
  void theInvocationAfterAReplayLoadsTheStateTheReplayMade(Vertx vertx) {
    GraphClient client = oneStep(vertx, "sp-latest", Subgraph.Persistence.STATEFUL, "parent_node");
    result(client.run(Map.of("results", List.of()), thread));
    result(client.run(Map.of("results", List.of()), thread));
    assertEquals(List.of(seen("sub_step", List.of()), seen("sub_step", List.of("s"))), taken());
    assertEquals(List.of("parent_node", "parent_node"),
        result(client.proceed(at(due(client, "parent_node", true).checkpointId()))).values().getList("results"));
    assertEquals(List.of("parent_node", "parent_node", "parent_node"),
        result(client.run(Map.of("results", List.of()), thread)).values().getList("results"));
    assertEquals(List.of(seen("sub_step", List.of("s")), seen("sub_step", List.of("s", "s"))), taken());
  }

  /** test_replay_from_first_invocation_checkpoint: before its first invocation the child's state is empty. */
  @Test
  void aReplayOfTheFirstInvocationStartsTheStatefulSubgraphEmpty(Vertx vertx) {
    GraphClient client = oneStep(vertx, "sp-first", Subgraph.Persistence.STATEFUL, "parent_node");
    result(client.run(Map.of("results", List.of()), thread));
    result(client.run(Map.of("results", List.of()), thread));
    seen.clear();
    assertEquals(List.of("parent_node"),
        result(client.proceed(at(due(client, "sub_node", false).checkpointId()))).values().getList("results"));
    assertEquals(List.of(seen("sub_step", List.of())), taken());
  }

  /** test_parallel_subgraph_nodes_load_correct_state_on_replay. */
  @Test
  void parallelStatefulSubgraphsEachLoadTheirOwnState(Vertx vertx) {
    CompiledGraph subA = new StateGraph("sp-par-a").strictChannels().channel("a_trail", Channels.append())
        .addNode("sub_a_step", step("sub_a", "a_trail", "a")).addEdge(START, "sub_a_step")
        .addEdge("sub_a_step", END).compile();
    CompiledGraph subB = new StateGraph("sp-par-b").strictChannels().channel("b_trail", Channels.append())
        .addNode("sub_b_step", step("sub_b", "b_trail", "b")).addEdge(START, "sub_b_step")
        .addEdge("sub_b_step", END).compile();
    CompiledGraph parent = new StateGraph("sp-par").strictChannels().channel("results", Channels.append())
        .addNode("parent_step", writes("results", "p")).addSubgraph("sub_a_node", Subgraph.of(subA).stateful())
        .addSubgraph("sub_b_node", Subgraph.of(subB).stateful()).addEdge(START, "parent_step")
        .addEdge("parent_step", "sub_a_node").addEdge("parent_step", "sub_b_node").addEdge("sub_a_node", END)
        .addEdge("sub_b_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    result(client.run(Map.of("results", List.of()), thread));
    result(client.run(Map.of("results", List.of()), thread));
    assertEquals(List.of(seen("sub_a", List.of()), seen("sub_a", List.of("a")), seen("sub_b", List.of()),
        seen("sub_b", List.of("b"))), sorted(taken()));
    assertEquals(List.of("p", "p"),
        result(client.proceed(at(due(client, "parent_step", true).checkpointId()))).values().getList("results"));
    assertEquals(List.of(seen("sub_a", List.of("a")), seen("sub_b", List.of("b"))), sorted(taken()));
    assertEquals(List.of("p", "p", "p"),
        result(client.run(Map.of("results", List.of()), thread)).values().getList("results"));
    assertEquals(List.of(seen("sub_a", List.of("a", "a")), seen("sub_b", List.of("b", "b"))), sorted(taken()));
  }

  /** By name, stable (Python's sort of the script). */
  private static List<List<Object>> sorted(List<List<Object>> lines) {
    List<List<Object>> copy = new ArrayList<>(lines);
    copy.sort(Comparator.comparing(line -> (String) line.get(0)));
    return copy;
  }

  /** test_subgraph_called_in_loop_loads_state_on_replay. */
  @Test
  void aStatefulSubgraphCalledInALoopLoadsTheRightStateOnAReplay(Vertx vertx) {
    CompiledGraph sub = new StateGraph("sp-loop-sub").strictChannels().channel("sub_trail", Channels.append())
        .addNode("sub_step", step("sub_step", "sub_trail", "s")).addEdge(START, "sub_step")
        .addEdge("sub_step", END).compile();
    CompiledGraph parent = new StateGraph("sp-loop").strictChannels().channel("counter", Channels.lastValue())
        .channel("results", Channels.append())
        .addNode("inc", (state, ctx) -> Future.succeededFuture(Map.of("counter", state.getInteger("counter") + 1,
            "results", "inc:" + state.getInteger("counter"))))
        .addSubgraph("sub_node", Subgraph.of(sub).stateful()).addEdge(START, "inc").addEdge("inc", "sub_node")
        .addConditionalEdges("sub_node", state -> state.getInteger("counter") < 2 ? "inc" : END, List.of("inc", END))
        .compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    Map<String, Object> input = Map.of("counter", 0, "results", List.of());
    assertEquals(Map.of("counter", 2, "results", List.of("inc:0", "inc:1")),
        result(client.run(input, thread)).values().asMap());
    assertEquals(Map.of("counter", 2, "results", List.of("inc:0", "inc:1", "inc:0", "inc:1")),
        result(client.run(input, thread)).values().asMap());
    assertEquals(List.of(seen("sub_step", List.of()), seen("sub_step", List.of("s")),
        seen("sub_step", List.of("s", "s")), seen("sub_step", List.of("s", "s", "s"))), taken());
    List<ThreadState> history = result(client.getStateHistory("t", 0, null));
    ThreadState start2nd = history.stream().filter(s -> s.next().equals(List.of("inc"))
        && Integer.valueOf(0).equals(s.values().get("counter"))).findFirst().orElseThrow();
    ThreadState mid2nd = history.stream().filter(s -> s.next().equals(List.of("inc"))
        && Integer.valueOf(1).equals(s.values().get("counter"))).findFirst().orElseThrow();
    assertEquals(Map.of("counter", 2, "results", List.of("inc:0", "inc:1", "inc:0", "inc:1")),
        result(client.proceed(at(start2nd.checkpointId()))).values().asMap());
    assertEquals(List.of(seen("sub_step", List.of("s", "s")), seen("sub_step", List.of("s", "s", "s"))), taken());
    assertEquals(Map.of("counter", 2, "results", List.of("inc:0", "inc:1", "inc:0", "inc:1")),
        result(client.proceed(at(mid2nd.checkpointId()))).values().asMap());
    assertEquals(List.of(seen("sub_step", List.of("s", "s", "s"))), taken());
  }

  /** test_subgraph_replay_loads_accumulated_state_then_resume: the histories' sources and next. */
  @Test
  void aReplayedStatefulSubgraphAsksAgainAndAResumeCompletesTheFork(Vertx vertx) {
    CompiledGraph sub = new StateGraph("sp-acc-sub").strictChannels().channel("value", Channels.append())
        .addNode("step_a", asker("step_a", "question_a", "a")).addEdge(START, "step_a").addEdge("step_a", END)
        .compile();
    CompiledGraph parent = new StateGraph("sp-acc").strictChannels().channel("results", Channels.append())
        .addNode("parent_node", writes("results", "p")).addSubgraph("sub_node", Subgraph.of(sub).stateful())
        .addEdge(START, "parent_node").addEdge("parent_node", "sub_node").addEdge("sub_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    result(client.run(Map.of("results", List.of()), thread));
    result(client.run(Command.resume("a1"), thread));
    result(client.run(Map.of("results", List.of()), thread));
    result(client.run(Command.resume("a2"), thread));
    assertEquals(List.of(seen("step_a", List.of()), seen("step_a", List.of()), seen("step_a", List.of("a:a1")),
        seen("step_a", List.of("a:a1"))), taken());
    List<List<Object>> original = List.of(List.of("loop", List.of()), List.of("loop", List.of("sub_node")),
        List.of("loop", List.of("parent_node")), List.of("input", List.of("__start__")),
        List.of("loop", List.of()), List.of("loop", List.of("sub_node")), List.of("loop", List.of("parent_node")),
        List.of("input", List.of("__start__")));
    assertEquals(original, nexts(client));
    RunResult replay = result(client.proceed(at(due(client, "sub_node", true).checkpointId())));
    assertEquals(List.of(List.of("p", "p"), List.of("question_a")), shown(replay));
    assertEquals(List.of(seen("step_a", List.of("a:a1"))), taken());
    List<List<Object>> forked = new ArrayList<>(original);
    forked.add(0, List.of("fork", List.of("sub_node")));
    assertEquals(forked, nexts(client));
    RunResult resumed = result(client.run(Command.resume("a3"), thread));
    assertEquals(List.of(List.of("p", "p"), List.of()), shown(resumed));
    assertEquals(List.of(seen("step_a", List.of("a:a1"))), taken());
    List<List<Object>> done = new ArrayList<>(forked);
    done.add(0, List.of("loop", List.of()));
    assertEquals(done, nexts(client));
    assertEquals(List.of(), result(client.getState("t", null, true)).next());
  }

  /** A stateful child's state at an interrupt: namespace "sub_node" (no task id), its values of every invocation. */
  @Test
  void aStatefulSubgraphsStateShowsItsNamespaceWithoutTaskIds(Vertx vertx) {
    GraphClient client = twoAsks(vertx, "sp-ns", Subgraph.Persistence.STATEFUL);
    result(client.run(Map.of("results", List.of()), thread));
    result(client.run(Command.resume("a1"), thread));
    result(client.run(Command.resume("b1"), thread));
    RunResult asked = result(client.run(Map.of("results", List.of()), thread));
    ThreadState child = result(client.getState("t", null, true)).subgraphState(0);
    assertEquals("sub_node", child.metadata().get("checkpointNs"));
    assertEquals("t", child.threadId());
    assertEquals(List.of("step_a"), child.next());
    assertEquals(Map.of("value", List.of("a:a1", "b:b1")), child.values().asMap());
    assertEquals(List.of("question_a"), child.interrupts().stream().map(i -> i.get("value")).toList());
    // the interrupt's namespace is the subgraph task's, without the parent's task id; its id answers it
    assertEquals("sub_node", asked.interrupts().get(0).get("ns"));
    RunResult answered = result(client.run(Command.resume(Map.of(asked.interrupts().get(0).get("id"), "x")), thread));
    assertEquals(List.of("question_b"), answered.interrupts().stream().map(i -> i.get("value")).toList());
  }

  /**
   * Two Sends of one step to a stateful subgraph (no LangGraph test: LangGraph runs both on one namespace at once):
   * the child runs take the thread in turn, each applying its input to the state the other left.
   */
  @Test
  void twoSendsToAStatefulSubgraphTakeItsThreadInTurn(Vertx vertx) {
    CompiledGraph sub = new StateGraph("sp-sends-sub").strictChannels().channel("value", Channels.append())
        .addNode("sub_step", step("sub_step", "value", "s")).addEdge(START, "sub_step").addEdge("sub_step", END)
        .compile();
    CompiledGraph parent = new StateGraph("sp-sends").strictChannels().channel("results", Channels.append())
        .addNode("fan", writes("results", "fan")).addSubgraph("sub_node", Subgraph.of(sub).stateful())
        .addEdge(START, "fan")
        .addConditionalEdges("fan", s -> List.of(new io.graphloop.graph.Send("sub_node", Map.of("value", List.of())),
            new io.graphloop.graph.Send("sub_node", Map.of("value", List.of()))), List.of("sub_node"))
        .addEdge("sub_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    assertEquals(List.of("fan"), result(client.run(Map.of("results", List.of()), thread)).values().getList("results"));
    List<List<Object>> both = taken();
    assertEquals(List.of(seen("sub_step", List.of()), seen("sub_step", List.of("s"))), both);
  }

  /** The README's example of a stateful subgraph, as written there. */
  @Test
  void theReadmeExampleKeepsTheChildsStateAcrossRuns(Vertx vertx) {
    CompiledGraph notes = new StateGraph("notes").strictChannels().channel("seen", Channels.append())
        .addNode("note", state -> Future.succeededFuture(Map.of("seen", "visit")))
        .addEdge(START, "note").addEdge("note", END).compile();
    CompiledGraph app = new StateGraph("app").strictChannels().channel("results", Channels.append())
        .addSubgraph("notes", Subgraph.of(notes).stateful())
        .addEdge(START, "notes").addEdge("notes", END).compile();
    GraphRuntime runtime = result(GraphRuntime.deploy(vertx, app, MEMORY));
    result(runtime.client().run(Map.of("results", List.of()), thread));
    result(runtime.client().run(Map.of("results", List.of()), thread));
    GraphClient child = GraphClient.create(vertx, "notes");
    assertEquals(List.of("visit", "visit"), result(child.getState("t|notes")).values().getList("seen"));
  }
}
