package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time travel as LangGraph 1.2.12's, scenario by scenario: the tests of {@code libs/langgraph/tests/test_time_travel.py}
 * named on each method, written as src/test/resources/langgraph/time_travel.py runs them against LangGraph 1.2.12; the
 * expected values (results, nodes called, and each history as {@code (source, step, next, value, parent's index)})
 * are that script's output.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TimeTravelParityTest {

  private final List<String> called = Collections.synchronizedList(new ArrayList<>());
  private final RunOptions thread = new RunOptions().setThreadId("t");

  /** Appends "name" plus how often it was called since the last {@link #show}. */
  private AsyncNode node(String name) {
    return (state, ctx) -> {
      called.add(name);
      return Future.succeededFuture(Map.of("value", name + Collections.frequency(called, name)));
    };
  }

  /** Appends "name:answer". */
  private AsyncNode asker(String name, String question) {
    return (state, ctx) -> {
      called.add(name);
      return Future.succeededFuture(Map.of("value", name + ":" + ctx.interrupt(question)));
    };
  }

  /** A chain START -> nodes... -> END over an append channel "value". */
  private GraphClient chain(Vertx vertx, String name, Object... nodes) {
    StateGraph graph = new StateGraph(name).channel("value", Channels.append());
    String previous = START;
    for (int i = 0; i < nodes.length; i += 2) {
      String node = (String) nodes[i];
      graph.addNode(node, (AsyncNode) nodes[i + 1]);
      graph.addEdge(previous, node);
      previous = node;
    }
    return result(GraphRuntime.deploy(vertx, graph.addEdge(previous, END).compile(), MEMORY)).client();
  }

  /** The result's values, its interrupts' values and the nodes called since the last call; clears the calls. */
  private List<Object> show(RunResult result) {
    List<Object> shown = List.of(result.values().getList("value"),
        result.interrupts().stream().map(i -> i.get("value")).toList(), List.copyOf(called));
    called.clear();
    return shown;
  }

  private static List<Object> shown(List<?> value, List<?> interrupts, List<?> called) {
    return List.of(value, interrupts, called);
  }

  /** The history newest first as LangGraph's script prints it: (source, step, next, value, parent's index). */
  private static List<List<Object>> history(GraphClient client) {
    List<ThreadState> states = result(client.getStateHistory("t", 0, null));
    List<String> ids = states.stream().map(ThreadState::checkpointId).toList();
    List<List<Object>> lines = new ArrayList<>();
    for (ThreadState state : states) {
      int parent = state.parentCheckpointId() == null ? -1 : ids.indexOf(state.parentCheckpointId());
      lines.add(Arrays.asList(state.source().wireName(), state.step(), state.next(), state.values().getList("value"),
          parent < 0 ? null : parent));
    }
    return lines;
  }

  private static List<Object> line(String source, int step, List<String> next, List<String> value, Integer parent) {
    return Arrays.asList(source, step, next, value, parent);
  }

  /** The last (oldest) checkpoint of the history with exactly {@code node} due. */
  private static ThreadState due(GraphClient client, String node) {
    return result(client.getStateHistory("t", 0, null)).stream().filter(s -> s.next().equals(List.of(node)))
        .reduce((newer, older) -> older).orElseThrow();
  }

  private RunOptions at(String checkpointId) {
    return new RunOptions().setThreadId("t").setCheckpointId(checkpointId);
  }

  /** test_replay_reruns_nodes_after_checkpoint and test_replay_creates_branch_preserving_old_checkpoints. */
  @Test
  void replayRerunsTheNodesAfterTheCheckpointOnANewBranch(Vertx vertx) {
    GraphClient client = chain(vertx, "tt-replay", "a", node("a"), "b", node("b"), "c", node("c"));
    assertEquals(shown(List.of("a1", "b1", "c1"), List.of(), List.of("a", "b", "c")),
        show(result(client.run(Map.of("value", List.of()), thread))));
    assertEquals(shown(List.of("a1", "b1", "c1"), List.of(), List.of("b", "c")),
        show(result(client.proceed(at(due(client, "b").checkpointId())))));
    assertEquals(List.of(
        line("loop", 4, List.of(), List.of("a1", "b1", "c1"), 1),
        line("loop", 3, List.of("c"), List.of("a1", "b1"), 2),
        line("fork", 2, List.of("b"), List.of("a1"), 5),
        line("loop", 3, List.of(), List.of("a1", "b1", "c1"), 4),
        line("loop", 2, List.of("c"), List.of("a1", "b1"), 5),
        line("loop", 1, List.of("b"), List.of("a1"), 6),
        line("loop", 0, List.of("a"), List.of(), 7),
        line("input", -1, List.of("__start__"), List.of(), null)), history(client));
  }

  /**
   * test_fork_creates_branch_preserving_old_checkpoints (src/test/resources/langgraph/time_travel_branches.py): an
   * update at the checkpoint before b, then a run from it, makes a new branch; the first run's checkpoints stay.
   */
  @Test
  void aForkBranchesAndKeepsTheOriginalCheckpoints(Vertx vertx) {
    GraphClient client = chain(vertx, "tt-fork-branch", "a", node("a"), "b", node("b"), "c", node("c"));
    assertEquals(shown(List.of("a1", "b1", "c1"), List.of(), List.of("a", "b", "c")),
        show(result(client.run(Map.of("value", List.of()), thread))));
    ThreadState fork = result(client.updateState("t", due(client, "b").checkpointId(), Map.of("value", List.of("x")),
        null));
    assertEquals(shown(List.of("a1", "x", "b1", "c1"), List.of(), List.of("b", "c")),
        show(result(client.proceed(at(fork.checkpointId())))));
    assertEquals(List.of(
        line("loop", 4, List.of(), List.of("a1", "x", "b1", "c1"), 1),
        line("loop", 3, List.of("c"), List.of("a1", "x", "b1"), 2),
        line("update", 2, List.of("b"), List.of("a1", "x"), 5),
        line("loop", 3, List.of(), List.of("a1", "b1", "c1"), 4),
        line("loop", 2, List.of("c"), List.of("a1", "b1"), 5),
        line("loop", 1, List.of("b"), List.of("a1"), 6),
        line("loop", 0, List.of("a"), List.of(), 7),
        line("input", -1, List.of("__start__"), List.of(), null)), history(client));
  }

  /**
   * test_subgraph_fork_from_before (time_travel_branches.py, "subgraph ..." lines): a fork before a subgraph node runs
   * the subgraph again on the forked state; its whole list comes back through the parent's append reducer.
   */
  @Test
  void aForkBeforeASubgraphRunsItWithTheForkedState(Vertx vertx) {
    CompiledGraph sub = new StateGraph("tt-fork-sub-child").channel("value", Channels.append())
        .addNode("step_a", node("step_a")).addNode("step_b", node("step_b"))
        .addEdge(START, "step_a").addEdge("step_a", "step_b").addEdge("step_b", END).compile();
    CompiledGraph parent = new StateGraph("tt-fork-sub").channel("value", Channels.append())
        .addNode("parent_node", node("parent_node")).addSubgraph("subgraph", sub)
        .addNode("post_process", node("post_process"))
        .addEdge(START, "parent_node").addEdge("parent_node", "subgraph").addEdge("subgraph", "post_process")
        .addEdge("post_process", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    assertEquals(shown(List.of("parent_node1", "parent_node1", "step_a1", "step_b1", "post_process1"), List.of(),
        List.of("parent_node", "step_a", "step_b", "post_process")),
        show(result(client.run(Map.of("value", List.of()), thread))));
    ThreadState fork = result(client.updateState("t", due(client, "subgraph").checkpointId(),
        Map.of("value", List.of("forked")), null));
    assertEquals(shown(List.of("parent_node1", "forked", "parent_node1", "forked", "step_a1", "step_b1",
        "post_process1"), List.of(), List.of("step_a", "step_b", "post_process")),
        show(result(client.proceed(at(fork.checkpointId())))));
  }

  /**
   * test_subgraph_interrupt_replay_from_parent_then_resume (time_travel_branches.py, "interrupt ..." lines): replaying
   * the parent's checkpoint where the subgraph's interrupt fired runs the subgraph again and asks again (a fork
   * checkpoint); a new answer completes the graph on the new branch.
   */
  @Test
  void replayFromTheSubgraphsInterruptCheckpointAsksAgainAndANewAnswerCompletes(Vertx vertx) {
    AsyncNode askHuman = (state, ctx) -> {
      called.add("ask_human");
      return Future.succeededFuture(Map.of("value", "human:" + ctx.interrupt("Provide input:")));
    };
    CompiledGraph sub = new StateGraph("tt-replay-sub-child").channel("value", Channels.append())
        .addNode("step_a", node("step_a")).addNode("ask_human", askHuman).addNode("step_b", node("step_b"))
        .addEdge(START, "step_a").addEdge("step_a", "ask_human").addEdge("ask_human", "step_b")
        .addEdge("step_b", END).compile();
    CompiledGraph parent = new StateGraph("tt-replay-sub").channel("value", Channels.append())
        .addNode("router", node("router")).addSubgraph("subgraph_node", sub)
        .addNode("post_process", node("post_process"))
        .addEdge(START, "router").addEdge("router", "subgraph_node").addEdge("subgraph_node", "post_process")
        .addEdge("post_process", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    result(client.run(Map.of("value", List.of()), thread));
    assertEquals(shown(List.of("router1", "router1", "step_a1", "human:old_answer", "step_b1", "post_process1"),
        List.of(), List.of("router", "step_a", "ask_human", "ask_human", "step_b", "post_process")),
        show(result(client.run(Command.resume("old_answer"), thread))));
    assertEquals(shown(List.of("router1"), List.of("Provide input:"), List.of("step_a", "ask_human")),
        show(result(client.proceed(at(due(client, "subgraph_node").checkpointId())))));
    assertEquals(shown(List.of("router1", "router1", "step_a1", "human:new_answer", "step_b1", "post_process1"),
        List.of(), List.of("ask_human", "step_b", "post_process")),
        show(result(client.run(Command.resume("new_answer"), thread))));
    List<String> old = List.of("router1", "router1", "step_a1", "human:old_answer", "step_b1");
    List<String> next = List.of("router1", "router1", "step_a1", "human:new_answer", "step_b1");
    List<String> oldDone = new ArrayList<>(old);
    oldDone.add("post_process1");
    List<String> nextDone = new ArrayList<>(next);
    nextDone.add("post_process1");
    assertEquals(List.of(
        line("loop", 4, List.of(), nextDone, 1),
        line("loop", 3, List.of("post_process"), next, 2),
        line("fork", 2, List.of("subgraph_node"), List.of("router1"), 5),
        line("loop", 3, List.of(), oldDone, 4),
        line("loop", 2, List.of("post_process"), old, 5),
        line("loop", 1, List.of("subgraph_node"), List.of("router1"), 6),
        line("loop", 0, List.of("router"), List.of(), 7),
        line("input", -1, List.of("__start__"), List.of(), null)), history(client));
  }

  /** test_replay_from_final_checkpoint_is_noop: nothing runs, but a fork of the checkpoint is saved. */
  @Test
  void replayOfTheFinalCheckpointRunsNothing(Vertx vertx) {
    GraphClient client = chain(vertx, "tt-final", "a", node("a"));
    result(client.run(Map.of("value", List.of()), thread));
    called.clear();
    RunResult replay = result(client.proceed(at(result(client.getState("t")).checkpointId())));
    assertEquals(RunStatus.SUCCESS, replay.status());
    assertEquals(shown(List.of("a1"), List.of(), List.of()), show(replay));
    assertEquals(List.of(
        line("fork", 2, List.of(), List.of("a1"), 1),
        line("loop", 1, List.of(), List.of("a1"), 2),
        line("loop", 0, List.of("a"), List.of(), 3),
        line("input", -1, List.of("__start__"), List.of(), null)), history(client));
    assertEquals(replay.checkpointId(), result(client.getState("t")).checkpointId());
  }

  /**
   * A resume naming the earlier checkpoint of an interrupt answered since (no LangGraph test of its own; the last
   * scenario of time_travel.py): LangGraph replays (the task runs again) but keeps the stored answer, since a run with
   * {@code Command.resume} is not time travel ({@code _loop.py}'s {@code _first}); the new answer is not used.
   */
  @Test
  void aResumeAtAnEarlierCheckpointReRunsTheTaskWithTheStoredAnswer(Vertx vertx) {
    GraphClient client = chain(vertx, "tt-resume-earlier", "a", node("a"), "ask", asker("ask", "Q?"), "b", node("b"));
    result(client.run(Map.of("value", List.of()), thread));
    assertEquals(shown(List.of("a1", "ask:old", "b1"), List.of(), List.of("a", "ask", "ask", "b")),
        show(result(client.run(Command.resume("old"), thread))));
    String before = due(client, "ask").checkpointId();
    assertEquals(shown(List.of("a1", "ask:old", "b1"), List.of(), List.of("ask", "b")),
        show(result(client.run(Command.resume("new"), at(before)))));
    assertEquals(List.of(
        line("loop", 3, List.of(), List.of("a1", "ask:old", "b1"), 1),
        line("loop", 2, List.of("b"), List.of("a1", "ask:old"), 4),
        line("loop", 3, List.of(), List.of("a1", "ask:old", "b1"), 3),
        line("loop", 2, List.of("b"), List.of("a1", "ask:old"), 4),
        line("loop", 1, List.of("ask"), List.of("a1"), 5),
        line("loop", 0, List.of("a"), List.of(), 6),
        line("input", -1, List.of("__start__"), List.of(), null)), history(client));
  }

  /**
   * test_replay_from_before_interrupt_then_resume, test_replay_from_before_interrupt_refires and
   * test_replay_interrupt_stable_across_replays: the answer given after the checkpoint is not reused.
   */
  @Test
  void replayBeforeAnAnsweredInterruptAsksItAgain(Vertx vertx) {
    GraphClient client = chain(vertx, "tt-interrupt", "a", node("a"), "ask", asker("ask", "Q?"), "b", node("b"));
    result(client.run(Map.of("value", List.of()), thread));
    assertEquals(shown(List.of("a1", "ask:old", "b1"), List.of(), List.of("a", "ask", "ask", "b")),
        show(result(client.run(Command.resume("old"), thread))));
    String before = due(client, "ask").checkpointId();
    assertEquals(shown(List.of("a1"), List.of("Q?"), List.of("ask")), show(result(client.proceed(at(before)))));
    assertEquals(shown(List.of("a1"), List.of("Q?"), List.of("ask")), show(result(client.proceed(at(before)))));
    assertEquals(shown(List.of("a1", "ask:new", "b1"), List.of(), List.of("ask", "b")),
        show(result(client.run(Command.resume("new"), thread))));
    assertEquals(List.of(
        line("loop", 4, List.of(), List.of("a1", "ask:new", "b1"), 1),
        line("loop", 3, List.of("b"), List.of("a1", "ask:new"), 2),
        line("fork", 2, List.of("ask"), List.of("a1"), 6),
        line("fork", 2, List.of("ask"), List.of("a1"), 6),
        line("loop", 3, List.of(), List.of("a1", "ask:old", "b1"), 5),
        line("loop", 2, List.of("b"), List.of("a1", "ask:old"), 6),
        line("loop", 1, List.of("ask"), List.of("a1"), 7),
        line("loop", 0, List.of("a"), List.of(), 8),
        line("input", -1, List.of("__start__"), List.of(), null)), history(client));
  }

  /** test_sequential_interrupts_fork_from_middle (with test_fork_from_before_interrupt_refires's update). */
  @Test
  void forkBetweenTwoInterruptsAsksOnlyTheSecondAndReplayBeforeTheFirstAsksOnlyTheFirst(Vertx vertx) {
    GraphClient client = chain(vertx, "tt-sequential", "a", node("a"), "i1", asker("i1", "First?"),
        "i2", asker("i2", "Second?"), "b", node("b"));
    result(client.run(Map.of("value", List.of()), thread));
    result(client.run(Command.resume("ans1"), thread));
    assertEquals(shown(List.of("a1", "i1:ans1", "i2:ans2", "b1"), List.of(), List.of("a", "i1", "i1", "i2", "i2", "b")),
        show(result(client.run(Command.resume("ans2"), thread))));
    ThreadState fork = result(client.updateState("t", due(client, "i2").checkpointId(), Map.of("value", "mid"), null));
    assertEquals(shown(List.of("a1", "i1:ans1", "mid"), List.of("Second?"), List.of("i2")),
        show(result(client.proceed(at(fork.checkpointId())))));
    assertEquals(shown(List.of("a1", "i1:ans1", "mid", "i2:new", "b1"), List.of(), List.of("i2", "b")),
        show(result(client.run(Command.resume("new"), at(fork.checkpointId())))));
    assertEquals(shown(List.of("a1"), List.of("First?"), List.of("i1")),
        show(result(client.proceed(at(due(client, "i1").checkpointId())))));
    assertEquals(List.of(
        line("fork", 2, List.of("i1"), List.of("a1"), 7),
        line("loop", 5, List.of(), List.of("a1", "i1:ans1", "mid", "i2:new", "b1"), 2),
        line("loop", 4, List.of("b"), List.of("a1", "i1:ans1", "mid", "i2:new"), 3),
        line("update", 3, List.of("i2"), List.of("a1", "i1:ans1", "mid"), 6),
        line("loop", 4, List.of(), List.of("a1", "i1:ans1", "i2:ans2", "b1"), 5),
        line("loop", 3, List.of("b"), List.of("a1", "i1:ans1", "i2:ans2"), 6),
        line("loop", 2, List.of("i2"), List.of("a1", "i1:ans1"), 7),
        line("loop", 1, List.of("i1"), List.of("a1"), 8),
        line("loop", 0, List.of("a"), List.of(), 9),
        line("input", -1, List.of("__start__"), List.of(), null)), history(client));
  }

  /** test_multiple_interrupts_in_one_node: the replay asks the first question again, not the second. */
  @Test
  void replayOfANodeThatAskedTwiceAsksTheFirstQuestionAgain(Vertx vertx) {
    GraphClient client = chain(vertx, "tt-multiple", "ask", (AsyncNode) (state, ctx) -> {
      Object first = ctx.interrupt("First?");
      Object second = ctx.interrupt("Second?");
      return Future.succeededFuture(Map.of("value", List.of("a1:" + first, "a2:" + second)));
    }, "after", node("after"));
    result(client.run(Map.of("value", List.of()), thread));
    assertEquals(shown(List.of(), List.of("Second?"), List.of()),
        show(result(client.run(Command.resume("ans1"), at(result(client.getState("t")).checkpointId())))));
    assertEquals(shown(List.of("a1:ans1", "a2:ans2", "after1"), List.of(), List.of("after")),
        show(result(client.run(Command.resume("ans2"), at(result(client.getState("t")).checkpointId())))));
    assertEquals(shown(List.of(), List.of("First?"), List.of()),
        show(result(client.proceed(at(due(client, "ask").checkpointId())))));
    assertEquals(List.of(
        line("fork", 1, List.of("ask"), List.of(), 3),
        line("loop", 2, List.of(), List.of("a1:ans1", "a2:ans2", "after1"), 2),
        line("loop", 1, List.of("after"), List.of("a1:ans1", "a2:ans2"), 3),
        line("loop", 0, List.of("ask"), List.of(), 4),
        line("input", -1, List.of("__start__"), List.of(), null)), history(client));
  }

  /**
   * test_copy_fork_retriggers_interrupt, test_copy_fork_creates_sibling_checkpoint and
   * test_update_state_with_none_values: an update without values is an {@code update}; {@code __copy__} a
   * {@code fork} beside the checkpoint (same parent); running either asks the interrupt again.
   */
  @Test
  void copyForksBesideTheCheckpointAndAnUpdateWithoutValuesIsAnUpdate(Vertx vertx) {
    GraphClient client = chain(vertx, "tt-copy", "a", node("a"), "ask", asker("ask", "Q?"), "b", node("b"));
    result(client.run(Map.of("value", List.of()), thread));
    result(client.run(Command.resume("hello"), thread));
    called.clear();
    ThreadState before = due(client, "ask");
    ThreadState update = result(client.updateState("t", before.checkpointId(), null, null));
    assertEquals(List.of("update", 2, List.of("ask"), List.of("a1")),
        List.of(update.source().wireName(), update.step(), update.next(), update.values().getList("value")));
    ThreadState copy = result(client.updateState("t", before.checkpointId(), null, "__copy__"));
    assertEquals(List.of("fork", 2, List.of("ask"), List.of("a1")),
        List.of(copy.source().wireName(), copy.step(), copy.next(), copy.values().getList("value")));
    assertEquals(before.parentCheckpointId(), copy.parentCheckpointId(), "a sibling of the copied checkpoint");
    assertEquals(shown(List.of("a1"), List.of("Q?"), List.of("ask")),
        show(result(client.proceed(at(copy.checkpointId())))));
    assertEquals(shown(List.of("a1", "ask:new", "b1"), List.of(), List.of("ask", "b")),
        show(result(client.run(Command.resume("new"), at(copy.checkpointId())))));
    assertEquals(List.of(
        line("loop", 4, List.of(), List.of("a1", "ask:new", "b1"), 1),
        line("loop", 3, List.of("b"), List.of("a1", "ask:new"), 2),
        line("fork", 2, List.of("ask"), List.of("a1"), 7),
        line("update", 2, List.of("ask"), List.of("a1"), 6),
        line("loop", 3, List.of(), List.of("a1", "ask:hello", "b1"), 5),
        line("loop", 2, List.of("b"), List.of("a1", "ask:hello"), 6),
        line("loop", 1, List.of("ask"), List.of("a1"), 7),
        line("loop", 0, List.of("a"), List.of(), 8),
        line("input", -1, List.of("__start__"), List.of(), null)), history(client));
    assertTrue(result(client.getState("t")).next().isEmpty());
  }
}
