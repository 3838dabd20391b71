package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Forks and replays as LangGraph 1.2.12's, beyond {@link TimeTravelParityTest}: forks with modified state (two from
 * one checkpoint), a fork of the checkpoint where an interrupt fired, and replays of a parent from before its subgraph
 * (which runs afresh, its interrupt asked again). Each test names the test of {@code test_time_travel.py} it mirrors;
 * the expected values (results, interrupts, nodes called, histories as {@code (source, step, next, value, parent's
 * index)}) are the output of src/test/resources/langgraph/time_travel_forks.py run against LangGraph 1.2.12.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TimeTravelForkParityTest {

  private final List<String> called = Collections.synchronizedList(new ArrayList<>());
  private final RunOptions thread = new RunOptions().setThreadId("1");

  private AsyncNode node(String name, String write) {
    return (state, ctx) -> {
      called.add(name);
      return Future.succeededFuture(Map.of("value", List.of(write)));
    };
  }

  private AsyncNode asker(String name) {
    return (state, ctx) -> {
      called.add(name);
      return Future.succeededFuture(Map.of("value", List.of("human:" + ctx.interrupt("What is your input?"))));
    };
  }

  /** START -> nodes... (name, node or CompiledGraph pairs) -> END over an append channel "value". */
  private static CompiledGraph chain(String name, Object... nodes) {
    StateGraph graph = new StateGraph(name).channel("value", Channels.append());
    String previous = START;
    for (int i = 0; i < nodes.length; i += 2) {
      String node = (String) nodes[i];
      if (nodes[i + 1] instanceof CompiledGraph sub) {
        graph.addSubgraph(node, sub);
      } else {
        graph.addNode(node, (AsyncNode) nodes[i + 1]);
      }
      graph.addEdge(previous, node);
      previous = node;
    }
    return graph.addEdge(previous, END).compile();
  }

  private static GraphClient deploy(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
  }

  private List<Object> show(RunResult result) {
    List<Object> shown = List.of(result.values().getList("value"),
        result.interrupts().stream().map(i -> i.get("value")).toList(), List.copyOf(called));
    called.clear();
    return shown;
  }

  private static List<Object> shown(List<?> value, List<?> interrupts, List<?> called) {
    return List.of(value, interrupts, called);
  }

  private static List<List<Object>> history(GraphClient client) {
    List<ThreadState> states = result(client.getStateHistory("1", 0, null));
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

  /** The newest checkpoint with exactly {@code node} due (and, when asked, an interrupt). */
  private static ThreadState first(GraphClient client, String node, boolean interrupted) {
    return result(client.getStateHistory("1", 0, null)).stream()
        .filter(s -> s.next().equals(List.of(node)) && (!interrupted || s.tasks().stream()
            .anyMatch(t -> !((List<?>) t.get("interrupts")).isEmpty())))
        .findFirst().orElseThrow();
  }

  /** The oldest checkpoint with exactly {@code node} due. */
  private static ThreadState last(GraphClient client, String node) {
    return result(client.getStateHistory("1", 0, null)).stream().filter(s -> s.next().equals(List.of(node)))
        .reduce((newer, older) -> older).orElseThrow();
  }

  private RunOptions at(String checkpointId) {
    return new RunOptions().setThreadId("1").setCheckpointId(checkpointId);
  }

  /** test_fork_reruns_with_modified_state and test_multiple_forks_from_same_checkpoint. */
  @Test
  void forksWithModifiedStateAreIndependentBranches(Vertx vertx) {
    GraphClient client = deploy(vertx, chain("ttf-forks", "node_a", node("node_a", "a"), "node_b", node("node_b", "b")));
    assertEquals(shown(List.of("a", "b"), List.of(), List.of("node_a", "node_b")),
        show(result(client.run(Map.of("value", List.of()), thread))));
    String beforeB = first(client, "node_b", false).checkpointId();
    ThreadState fork1 = result(client.updateState("1", beforeB, Map.of("value", List.of("fork1")), null));
    assertEquals(shown(List.of("a", "fork1", "b"), List.of(), List.of("node_b")),
        show(result(client.proceed(at(fork1.checkpointId())))));
    ThreadState fork2 = result(client.updateState("1", beforeB, Map.of("value", List.of("fork2")), null));
    assertEquals(shown(List.of("a", "fork2", "b"), List.of(), List.of("node_b")),
        show(result(client.proceed(at(fork2.checkpointId())))));
    assertEquals(List.of(
        line("loop", 3, List.of(), List.of("a", "fork2", "b"), 1),
        line("update", 2, List.of("node_b"), List.of("a", "fork2"), 5),
        line("loop", 3, List.of(), List.of("a", "fork1", "b"), 3),
        line("update", 2, List.of("node_b"), List.of("a", "fork1"), 5),
        line("loop", 2, List.of(), List.of("a", "b"), 5),
        line("loop", 1, List.of("node_b"), List.of("a"), 6),
        line("loop", 0, List.of("node_a"), List.of(), 7),
        line("input", -1, List.of(START), List.of(), null)), history(client));
  }

  /** test_fork_from_interrupt_checkpoint_refires: the fork asks again; a new answer is used. */
  @Test
  void aForkOfTheInterruptCheckpointAsksAgain(Vertx vertx) {
    GraphClient client = deploy(vertx, chain("ttf-interrupt", "node_a", node("node_a", "a"),
        "ask_human", asker("ask_human"), "node_b", node("node_b", "b")));
    assertEquals(shown(List.of("a"), List.of("What is your input?"), List.of("node_a", "ask_human")),
        show(result(client.run(Map.of("value", List.of()), thread))));
    assertEquals(shown(List.of("a", "human:hello", "b"), List.of(), List.of("ask_human", "node_b")),
        show(result(client.run(Command.resume("hello"), thread))));
    ThreadState fork = result(client.updateState("1", first(client, "ask_human", true).checkpointId(),
        Map.of("value", List.of("forked")), null));
    assertEquals(shown(List.of("a", "forked"), List.of("What is your input?"), List.of("ask_human")),
        show(result(client.proceed(at(fork.checkpointId())))));
    assertEquals(shown(List.of("a", "forked", "human:different", "b"), List.of(), List.of("ask_human", "node_b")),
        show(result(client.run(Command.resume("different"), at(fork.checkpointId())))));
    assertEquals(List.of(
        line("loop", 4, List.of(), List.of("a", "forked", "human:different", "b"), 1),
        line("loop", 3, List.of("node_b"), List.of("a", "forked", "human:different"), 2),
        line("update", 2, List.of("ask_human"), List.of("a", "forked"), 5),
        line("loop", 3, List.of(), List.of("a", "human:hello", "b"), 4),
        line("loop", 2, List.of("node_b"), List.of("a", "human:hello"), 5),
        line("loop", 1, List.of("ask_human"), List.of("a"), 6),
        line("loop", 0, List.of("node_a"), List.of(), 7),
        line("input", -1, List.of(START), List.of(), null)), history(client));
  }

  /** test_subgraph_replay_from_before: the subgraph and what follows run again, the node before it does not. */
  @Test
  void replayFromBeforeASubgraphRunsTheSubgraphAgain(Vertx vertx) {
    CompiledGraph sub = chain("ttf-sub-child", "step_a", node("step_a", "sub_a"), "step_b", node("step_b", "sub_b"));
    GraphClient client = deploy(vertx, chain("ttf-sub", "parent_node", node("parent_node", "parent"), "subgraph", sub,
        "post_process", node("post_process", "post")));
    List<String> all = List.of("parent", "parent", "sub_a", "sub_b", "post");
    assertEquals(shown(all, List.of(), List.of("parent_node", "step_a", "step_b", "post_process")),
        show(result(client.run(Map.of("value", List.of()), thread))));
    assertEquals(shown(all, List.of(), List.of("step_a", "step_b", "post_process")),
        show(result(client.proceed(at(first(client, "subgraph", false).checkpointId())))));
    assertEquals(List.of(
        line("loop", 4, List.of(), all, 1),
        line("loop", 3, List.of("post_process"), List.of("parent", "parent", "sub_a", "sub_b"), 2),
        line("fork", 2, List.of("subgraph"), List.of("parent"), 5),
        line("loop", 3, List.of(), all, 4),
        line("loop", 2, List.of("post_process"), List.of("parent", "parent", "sub_a", "sub_b"), 5),
        line("loop", 1, List.of("subgraph"), List.of("parent"), 6),
        line("loop", 0, List.of("parent_node"), List.of(), 7),
        line("input", -1, List.of(START), List.of(), null)), history(client));
  }

  /**
   * test_subgraph_interrupt_replay_from_parent (with a subgraph that keeps no state between calls, Graphloop's kind):
   * replaying the parent from before the subgraph runs the subgraph from its start, and its interrupt is asked again
   * though it was answered on the original branch; the new answer is used.
   */
  @Test
  void replayFromBeforeASubgraphAsksItsInterruptAgain(Vertx vertx) {
    CompiledGraph sub = chain("ttf-subask-child", "step_a", node("step_a", "sub_a"), "ask_human", asker("ask_human"),
        "step_b", node("step_b", "sub_b"));
    GraphClient client = deploy(vertx, chain("ttf-subask", "router", node("router", "routed"), "subgraph_node", sub,
        "post_process", node("post_process", "post")));
    assertEquals(shown(List.of("routed"), List.of("What is your input?"), List.of("router", "step_a", "ask_human")),
        show(result(client.run(Map.of("value", List.of()), thread))));
    assertEquals(shown(List.of("routed", "routed", "sub_a", "human:answer", "sub_b", "post"), List.of(),
        List.of("ask_human", "step_b", "post_process")), show(result(client.run(Command.resume("answer"), thread))));
    assertEquals(shown(List.of("routed"), List.of("What is your input?"), List.of("step_a", "ask_human")),
        show(result(client.proceed(at(last(client, "subgraph_node").checkpointId())))));
    assertEquals(shown(List.of("routed", "routed", "sub_a", "human:again", "sub_b", "post"), List.of(),
        List.of("ask_human", "step_b", "post_process")), show(result(client.run(Command.resume("again"), thread))));
    assertEquals(List.of(
        line("loop", 4, List.of(), List.of("routed", "routed", "sub_a", "human:again", "sub_b", "post"), 1),
        line("loop", 3, List.of("post_process"), List.of("routed", "routed", "sub_a", "human:again", "sub_b"), 2),
        line("fork", 2, List.of("subgraph_node"), List.of("routed"), 5),
        line("loop", 3, List.of(), List.of("routed", "routed", "sub_a", "human:answer", "sub_b", "post"), 4),
        line("loop", 2, List.of("post_process"), List.of("routed", "routed", "sub_a", "human:answer", "sub_b"), 5),
        line("loop", 1, List.of("subgraph_node"), List.of("routed"), 6),
        line("loop", 0, List.of("router"), List.of(), 7),
        line("input", -1, List.of(START), List.of(), null)), history(client));
  }

  /**
   * Time travel over parallel branches (no LangGraph test of its own; the last scenario of time_travel_forks.py):
   * START -> a -> (b, c) -> [b, c] -> d. Replaying the step of b and c runs both and the join again; an update as b at
   * that checkpoint counts as b's writes alone, so c is no longer due and the join [b, c] does not fire: nothing is
   * due, and a run from the update does nothing.
   */
  @Test
  void timeTravelOverParallelBranchesAndAWaitingJoin(Vertx vertx) {
    StateGraph graph = new StateGraph("ttf-parallel").channel("value", Channels.append());
    for (String node : List.of("a", "b", "c", "d")) {
      graph.addNode(node, node(node, node));
    }
    graph.addEdge(START, "a").addEdge("a", "b").addEdge("a", "c").addEdge(List.of("b", "c"), "d").addEdge("d", END);
    GraphClient client = deploy(vertx, graph.compile());
    result(client.run(Map.of("value", List.of()), thread));
    called.clear();
    String bc = result(client.getStateHistory("1", 0, null)).stream().filter(s -> s.next().equals(List.of("b", "c")))
        .findFirst().orElseThrow().checkpointId();
    RunResult replay = result(client.proceed(at(bc)));
    assertEquals(List.of("a", "b", "c", "d"), replay.values().getList("value"));
    assertEquals(List.of("b", "c", "d"), called.stream().sorted().toList());
    called.clear();
    ThreadState update = result(client.updateState("1", bc, Map.of("value", List.of("B")), "b"));
    assertEquals(Arrays.asList("update", 2, List.of(), List.of("a", "B")),
        Arrays.asList(update.source().wireName(), update.step(), update.next(), update.values().getList("value")));
    assertEquals(shown(List.of("a", "B"), List.of(), List.of()), show(result(client.proceed(at(update.checkpointId())))));
    assertEquals(List.of(
        line("update", 2, List.of(), List.of("a", "B"), 6),
        line("loop", 4, List.of(), List.of("a", "b", "c", "d"), 2),
        line("loop", 3, List.of("d"), List.of("a", "b", "c"), 3),
        line("fork", 2, List.of("b", "c"), List.of("a"), 6),
        line("loop", 3, List.of(), List.of("a", "b", "c", "d"), 5),
        line("loop", 2, List.of("d"), List.of("a", "b", "c"), 6),
        line("loop", 1, List.of("b", "c"), List.of("a"), 7),
        line("loop", 0, List.of("a"), List.of(), 8),
        line("input", -1, List.of(START), List.of(), null)), history(client));
  }
}
