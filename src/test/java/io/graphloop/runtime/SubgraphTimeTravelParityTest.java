package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
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
 * Time travel into a subgraph's own checkpoint (LangGraph's config whose {@code checkpoint_ns} names the child:
 * {@link RunOptions#setCheckpointNs}), a replay and a resume from it, and a fork of it made by an update of the child's
 * checkpoint through the parent's client ({@code updateState(childState.config(), ...)}): the tests of {@code libs/langgraph/tests/test_time_travel.py} named on each method, written as
 * src/test/resources/langgraph/subgraph_time_travel.py runs them against LangGraph 1.2.12; the expected values
 * (results, interrupts and the nodes called) are that script's output.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SubgraphTimeTravelParityTest {

  private final List<String> called = Collections.synchronizedList(new ArrayList<>());
  private final RunOptions thread = new RunOptions().setThreadId("t");

  private AsyncNode node(String name, String value) {
    return (state, ctx) -> {
      called.add(name);
      return Future.succeededFuture(Map.of("value", value));
    };
  }

  private AsyncNode asker(String name, String question, String prefix) {
    return (state, ctx) -> {
      called.add(name);
      return Future.succeededFuture(Map.of("value", prefix + ":" + ctx.interrupt(question)));
    };
  }

  /** router -> subgraph_node (step_a -> ask_human -> step_b) -> post_process. */
  private GraphClient flow(Vertx vertx, String name, Subgraph.Persistence persistence) {
    CompiledGraph sub = new StateGraph(name + "-sub").channel("value", Channels.append())
        .addNode("step_a", node("step_a", "sub_a")).addNode("ask_human", asker("ask_human", "Provide input:", "human"))
        .addNode("step_b", node("step_b", "sub_b")).addEdge(START, "step_a").addEdge("step_a", "ask_human")
        .addEdge("ask_human", "step_b").addEdge("step_b", END).compile();
    CompiledGraph parent = new StateGraph(name).channel("value", Channels.append())
        .addNode("router", node("router", "routed")).addSubgraph("subgraph_node", Subgraph.of(sub).persistence(persistence))
        .addNode("post_process", node("post_process", "post")).addEdge(START, "router")
        .addEdge("router", "subgraph_node").addEdge("subgraph_node", "post_process").addEdge("post_process", END)
        .compile();
    return result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
  }

  private List<Object> show(RunResult result) {
    List<Object> shown = List.of(result.values().has("value") ? result.values().getList("value") : List.of(),
        result.interrupts().stream().map(i -> i.get("value")).toList(), List.copyOf(called));
    called.clear();
    return shown;
  }

  private static List<Object> shown(List<?> value, List<?> interrupts, List<?> called) {
    return List.of(value, interrupts, called);
  }

  /** The child state of the parent's first task, as getState(subgraphs=true) shows it. */
  private static ThreadState child(GraphClient client) {
    return result(client.getState("t", null, true)).subgraphState(0);
  }

  /** A run from {@code state}, a subgraph's checkpoint: LangGraph's invoke(..., sub_task.state.config). */
  private static RunOptions at(ThreadState state) {
    return new RunOptions().setThreadId(state.threadId()).setCheckpointId(state.checkpointId())
        .setCheckpointNs((String) state.metadata().get("checkpointNs"));
  }

  /**
   * LangGraph's update_state(sub_config, values): the parent's client updates the child's checkpoint named by the
   * child state's config (its namespace and checkpoint id); the answer carries the namespace.
   */
  private static ThreadState update(GraphClient client, ThreadState state, Map<String, Object> values) {
    ThreadState updated = result(client.updateState(state.config(), values, null));
    assertEquals(state.config().checkpointNs(), updated.config().checkpointNs());
    return updated;
  }

  private void replayAndResumeFromTheChildsCheckpoint(Vertx vertx, String name, Subgraph.Persistence persistence,
                                                      List<String> replayed) {
    GraphClient client = flow(vertx, name, persistence);
    assertEquals(shown(List.of("routed"), List.of("Provide input:"), List.of("router", "step_a", "ask_human")),
        show(result(client.run(Map.of("value", List.of()), thread))));
    ThreadState sub = child(client);
    assertEquals("subgraph_node", ((String) sub.metadata().get("checkpointNs")).split(":")[0]);
    assertEquals(shown(List.of("routed"), List.of("Provide input:"), replayed), show(result(client.proceed(at(sub)))));
    assertEquals(shown(List.of("routed", "routed", "sub_a", "human:replayed_answer", "sub_b", "post"), List.of(),
        List.of("ask_human", "step_b", "post_process")),
        show(result(client.run(Command.resume("replayed_answer"), at(sub)))));
  }

  /** test_subgraph_replay_from_subgraph_checkpoint (checkpointer=True). */
  @Test
  void aReplayFromAStatefulSubgraphsCheckpointAsksAgainAndAResumeFromItCompletesTheParent(Vertx vertx) {
    replayAndResumeFromTheChildsCheckpoint(vertx, "stt-replay", Subgraph.Persistence.STATEFUL,
        List.of("ask_human"));
  }

  /**
   * test_subgraph_replay_from_subgraph_checkpoint with checkpointer=None: the parent's replay runs the subgraph task
   * anew (a new task, a new namespace), so the child starts over; a resume keeps the task and continues the child's
   * checkpoint.
   */
  @Test
  void aReplayFromAPerInvocationSubgraphsCheckpointRunsTheChildAnew(Vertx vertx) {
    replayAndResumeFromTheChildsCheckpoint(vertx, "stt-replay-pi", Subgraph.Persistence.PER_INVOCATION,
        List.of("step_a", "ask_human"));
  }

  private void forkTheChildsCheckpoint(Vertx vertx, String name, Subgraph.Persistence persistence,
                                       List<String> replayed) {
    GraphClient client = flow(vertx, name, persistence);
    show(result(client.run(Map.of("value", List.of()), thread)));
    ThreadState fork = update(client, child(client), Map.of("value", List.of("sub_forked")));
    assertEquals(List.of("ask_human"), fork.next());
    assertEquals(List.of("routed", "sub_a", "sub_forked"), fork.values().getList("value"));
    assertEquals("update", fork.source().wireName());
    assertEquals(shown(List.of("routed"), List.of("Provide input:"), replayed), show(result(client.proceed(at(fork)))));
    assertEquals(shown(List.of("routed", "routed", "sub_a", "sub_forked", "human:new_answer", "sub_b", "post"),
        List.of(), List.of("ask_human", "step_b", "post_process")),
        show(result(client.run(Command.resume("new_answer"), at(fork)))));
  }

  /** test_subgraph_interrupt_full_flow (checkpointer=True): a fork of the child's checkpoint, replayed and resumed. */
  @Test
  void aForkOfAStatefulSubgraphsCheckpointAsksAgainAndANewAnswerCompletesTheParent(Vertx vertx) {
    forkTheChildsCheckpoint(vertx, "stt-fork", Subgraph.Persistence.STATEFUL, List.of("ask_human"));
  }

  /** test_subgraph_interrupt_full_flow with checkpointer=None. */
  @Test
  void aForkOfAPerInvocationSubgraphsCheckpoint(Vertx vertx) {
    forkTheChildsCheckpoint(vertx, "stt-fork-pi", Subgraph.Persistence.PER_INVOCATION,
        List.of("step_a", "ask_human"));
  }

  /**
   * test_subgraph_time_travel_to_first_interrupt, test_subgraph_time_travel_to_second_interrupt,
   * test_subgraph_time_travel_resume_from_first_interrupt, test_subgraph_time_travel_resume_from_second_interrupt: a
   * stateful executor asking twice, taken back to each of its interrupts after it completed.
   */
  @Test
  void timeTravelToEachInterruptOfAStatefulSubgraph(Vertx vertx) {
    CompiledGraph executor = new StateGraph("stt-exec-sub").channel("value", Channels.append())
        .addNode("step_a", node("step_a", "step_a_done")).addNode("ask_1", asker("ask_1", "Question 1?", "ask_1"))
        .addNode("ask_2", asker("ask_2", "Question 2?", "ask_2")).addEdge(START, "step_a").addEdge("step_a", "ask_1")
        .addEdge("ask_1", "ask_2").addEdge("ask_2", END).compile();
    CompiledGraph parent = new StateGraph("stt-exec").channel("value", Channels.append())
        .addSubgraph("executor", Subgraph.of(executor).stateful()).addEdge(START, "executor")
        .addEdge("executor", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    assertEquals(shown(List.of(), List.of("Question 1?"), List.of("step_a", "ask_1")),
        show(result(client.run(Map.of("value", List.of()), thread))));
    ThreadState atFirst = child(client);
    assertEquals(shown(List.of(), List.of("Question 2?"), List.of("ask_1", "ask_2")),
        show(result(client.run(Command.resume("answer_1"), thread))));
    ThreadState atSecond = child(client);
    assertEquals(shown(List.of("step_a_done", "ask_1:answer_1", "ask_2:answer_2"), List.of(), List.of("ask_2")),
        show(result(client.run(Command.resume("answer_2"), thread))));
    assertEquals(shown(List.of(), List.of("Question 1?"), List.of("ask_1")), show(result(client.proceed(at(atFirst)))));
    ThreadState fork = update(client, atFirst, Map.of("value", List.of("forked")));
    assertEquals(shown(List.of(), List.of("Question 1?"), List.of("ask_1")), show(result(client.proceed(at(fork)))));
    assertEquals(shown(List.of(), List.of("Question 2?"), List.of("ask_1", "ask_2")),
        show(result(client.run(Command.resume("new_1"), at(fork)))));
    assertEquals(shown(List.of(), List.of("Question 2?"), List.of("ask_2")), show(result(client.proceed(at(atSecond)))));
    assertEquals(shown(List.of("step_a_done", "ask_1:answer_1", "ask_2:new_2"), List.of(), List.of("ask_2")),
        show(result(client.run(Command.resume("new_2"), at(atSecond)))));
  }
}
