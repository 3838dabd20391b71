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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * More time travel into subgraphs: nested levels (a replay, fork and resume of the innermost or the middle stateful
 * subgraph's own checkpoint), the parent's history after a time travel into a child, a replay of a completed run, a
 * replay from the parent's checkpoint where a child's interrupt fired, a resume naming the head checkpoint, branches
 * of a parent replayed or forked before a subgraph, and three levels of stateful subgraphs loading their state on a
 * parent's replay or fork. Each method names the test of {@code libs/langgraph/tests/test_time_travel.py} it mirrors;
 * the expected values are what src/test/resources/langgraph/subgraph_time_travel_nested.py printed against LangGraph
 * 1.2.12 (subgraph_time_travel_nested.json), compared whole: results, interrupts, the nodes called, histories.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class SubgraphTimeTravelNestedParityTest {

  private static JsonObject expected;

  private final List<String> called = Collections.synchronizedList(new ArrayList<>());
  private final List<Object> observed = Collections.synchronizedList(new ArrayList<>());
  private final RunOptions thread = new RunOptions().setThreadId("1");

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = SubgraphTimeTravelNestedParityTest.class
        .getResourceAsStream("/langgraph/subgraph_time_travel_nested.json")) {
      expected = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

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

  private static AsyncNode writes(String key, String value) {
    return (state, ctx) -> Future.succeededFuture(Map.of(key, value));
  }

  /** A node that records the state it saw (its one key's list) as the script's {@code observed}. */
  private AsyncNode observing(String name, String key, String written) {
    return (state, ctx) -> {
      observed.add(new JsonArray().add(name).add(new JsonObject().put(key, new JsonArray(
          state.has(key) ? new ArrayList<>(state.getList(key)) : List.of()))));
      return Future.succeededFuture(Map.of(key, written));
    };
  }

  private JsonObject show(RunResult result) {
    JsonObject shown = new JsonObject()
        .put("value", new JsonArray(result.values().has("value") ? new ArrayList<>(result.values().getList("value"))
            : List.of()))
        .put("interrupts", new JsonArray(result.interrupts().stream().map(i -> i.get("value")).toList()))
        .put("called", new JsonArray(new ArrayList<>(called)));
    called.clear();
    return shown;
  }

  private static JsonObject values(io.graphloop.state.State state) {
    return state.toJson();
  }

  private static JsonArray summary(GraphClient client) {
    JsonArray out = new JsonArray();
    for (ThreadState s : result(client.getStateHistory("1", 0, null))) {
      out.add(new JsonObject().put("source", s.source().wireName()).put("next", new JsonArray(new ArrayList<>(s.next())))
          .put("values", values(s.values())));
    }
    return out;
  }

  /** A run from {@code state}, a subgraph's checkpoint: LangGraph's invoke(..., sub_task.state.config). */
  private static RunOptions at(ThreadState state) {
    return new RunOptions().setThreadId(state.threadId()).setCheckpointId(state.checkpointId())
        .setCheckpointNs((String) state.metadata().get("checkpointNs"));
  }

  /**
   * LangGraph's update_state(sub_config, values): the parent's client updates the child's checkpoint named by the
   * child state's config (its namespace, nested levels included, and checkpoint id); the answer carries the namespace.
   */
  private static ThreadState update(GraphClient client, ThreadState state, Map<String, Object> values) {
    ThreadState updated = result(client.updateState(state.config(), values, null));
    assertEquals(state.config().checkpointNs(), updated.config().checkpointNs());
    return updated;
  }

  private static ThreadState child(GraphClient client) {
    return result(client.getState("1", null, true)).subgraphState(0);
  }

  private static Map<String, Object> input() {
    return Map.of("value", List.of());
  }

  /** outer (stateful) -> inner (stateful): step_a -> ask_1 [-> ask_2], the middle asking first when {@code pre}. */
  private GraphClient threeLevels(Vertx vertx, String name, boolean pre) {
    StateGraph inner = new StateGraph(name + "-inner").channel("value", Channels.append())
        .addNode("step_a", node("step_a", "step_a_done")).addNode("ask_1", asker("ask_1", "Question 1?", "ask_1"))
        .addEdge(START, "step_a").addEdge("step_a", "ask_1");
    if (pre) {
      inner.addEdge("ask_1", END);
    } else {
      inner.addNode("ask_2", asker("ask_2", "Question 2?", "ask_2")).addEdge("ask_1", "ask_2").addEdge("ask_2", END);
    }
    StateGraph middle = new StateGraph(name + "-middle").channel("value", Channels.append())
        .addSubgraph("inner", Subgraph.of(inner.compile()).stateful());
    if (pre) {
      middle.addNode("pre", asker("pre", "Pre-question?", "pre")).addEdge(START, "pre").addEdge("pre", "inner");
    } else {
      middle.addEdge(START, "inner");
    }
    middle.addEdge("inner", END);
    CompiledGraph parent = new StateGraph(name).channel("value", Channels.append())
        .addSubgraph("outer", Subgraph.of(middle.compile()).stateful()).addEdge(START, "outer").addEdge("outer", END)
        .compile();
    return result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
  }

  private void threeLevelsDeep(Vertx vertx, String test, String name, boolean second, boolean innermost) {
    JsonObject want = expected.getJsonObject(test);
    GraphClient client = threeLevels(vertx, name, false);
    JsonObject got = new JsonObject().put("first", show(result(client.run(input(), thread))));
    if (second) {
      got.put("second", show(result(client.run(Command.resume("answer_1"), thread))));
    }
    ThreadState mid = child(client);
    ThreadState at = innermost ? mid.subgraphState(0) : mid;
    got.put("ns", ((String) at.metadata().get("checkpointNs")).split("\\|").length - 1);
    if (!second) {
      got.put("second", show(result(client.run(Command.resume("answer_1"), thread))));
    }
    got.put("done", show(result(client.run(Command.resume("answer_2"), thread))));
    got.put("replay", show(result(client.proceed(at(at)))));
    ThreadState fork = update(client, at, Map.of("value", List.of("forked")));
    got.put("fork", show(result(client.proceed(at(fork)))));
    got.put("resumeFork", show(result(client.run(Command.resume("new"), at(fork)))));
    got.put("replayAgain", show(result(client.proceed(at(at)))));
    got.put("resumeReplay", show(result(client.run(Command.resume("again"), at(at)))));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** test_3_levels_deep_time_travel_to_first_interrupt, with a resume of the fork and a second replay. */
  @Test
  void test3LevelsDeepTimeTravelToFirstInterrupt(Vertx vertx) {
    threeLevelsDeep(vertx, "test_3_levels_deep_time_travel_to_first_interrupt", "sttn-first", false, true);
  }

  /** test_3_levels_deep_time_travel_to_second_interrupt, with a resume of the fork and of a second replay. */
  @Test
  void test3LevelsDeepTimeTravelToSecondInterrupt(Vertx vertx) {
    threeLevelsDeep(vertx, "test_3_levels_deep_time_travel_to_second_interrupt", "sttn-second", true, true);
  }

  /**
   * test_3_levels_deep_time_travel_to_middle_subgraph: the middle level's checkpoint at the second interrupt is the
   * one before its inner task ran; replayed, its stateful inner child loads its state as it was before that (the
   * middle's ReplayState), so step_a runs again and the first question is asked.
   */
  @Test
  void test3LevelsDeepTimeTravelToMiddleSubgraph(Vertx vertx) {
    threeLevelsDeep(vertx, "test_3_levels_deep_time_travel_to_middle_subgraph", "sttn-middle", true, false);
  }

  /** test_3_levels_deep_middle_has_interrupts, with a resume of each time travel. */
  @Test
  void test3LevelsDeepMiddleHasInterrupts(Vertx vertx) {
    JsonObject want = expected.getJsonObject("test_3_levels_deep_middle_has_interrupts");
    GraphClient client = threeLevels(vertx, "sttn-pre", true);
    JsonObject got = new JsonObject().put("first", show(result(client.run(input(), thread))));
    ThreadState atPre = child(client);
    got.put("second", show(result(client.run(Command.resume("pre_answer"), thread))));
    ThreadState atAsk = child(client);
    got.put("done", show(result(client.run(Command.resume("answer_1"), thread))));
    got.put("replayPre", show(result(client.proceed(at(atPre)))));
    ThreadState fork = update(client, atPre, Map.of("value", List.of("forked")));
    got.put("forkPre", show(result(client.proceed(at(fork)))));
    got.put("resumeForkPre", show(result(client.run(Command.resume("new_pre"), at(fork)))));
    got.put("replayAsk", show(result(client.proceed(at(atAsk)))));
    got.put("resumeAsk", show(result(client.run(Command.resume("new_1"), at(atAsk)))));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** START -> executor (stateful: the nodes named, in a chain; a null question makes a plain node) -> END. */
  private GraphClient executor(Vertx vertx, String name, String... nodesAndQuestions) {
    StateGraph sub = new StateGraph(name + "-sub").channel("value", Channels.append());
    String previous = START;
    for (int i = 0; i < nodesAndQuestions.length; i += 2) {
      String node = nodesAndQuestions[i];
      String question = nodesAndQuestions[i + 1];
      sub.addNode(node, question == null ? node(node, node + "_done") : asker(node, question, node))
          .addEdge(previous, node);
      previous = node;
    }
    sub.addEdge(previous, END);
    CompiledGraph parent = new StateGraph(name).channel("value", Channels.append())
        .addSubgraph("executor", Subgraph.of(sub.compile()).stateful()).addEdge(START, "executor")
        .addEdge("executor", END).compile();
    return result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
  }

  /**
   * test_subgraph_time_travel_checkpoint_pattern: a time travel to the child's interrupt saves a fork of the parent's
   * checkpoint where the child ran (a child of it), which becomes the thread's latest; the resume completes from it.
   */
  @Test
  void testSubgraphTimeTravelCheckpointPattern(Vertx vertx) {
    JsonObject want = expected.getJsonObject("test_subgraph_time_travel_checkpoint_pattern");
    GraphClient client = executor(vertx, "sttn-pattern", "ask", "Q?");
    JsonObject got = new JsonObject().put("first", show(result(client.run(input(), thread))));
    ThreadState sub = child(client);
    String replayPoint = result(client.getState("1", null)).checkpointId();
    got.put("done", show(result(client.run(Command.resume("first"), thread))));
    got.put("original", summary(client));
    got.put("replay", show(result(client.proceed(at(sub)))));
    got.put("afterReplay", summary(client));
    got.put("forkParentIsReplayPoint", replayPoint.equals(
        result(client.getStateHistory("1", 0, null)).get(0).parentCheckpointId()));
    got.put("resume", show(result(client.run(Command.resume("second"), thread))));
    got.put("final", summary(client));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** test_subgraph_time_travel_after_completion: a replay of the last checkpoint runs nothing (a fork of it saved). */
  @Test
  void testSubgraphTimeTravelAfterCompletion(Vertx vertx) {
    JsonObject want = expected.getJsonObject("test_subgraph_time_travel_after_completion");
    GraphClient client = executor(vertx, "sttn-after", "step_a", null, "ask_1", "Question 1?", "ask_2", "Question 2?");
    JsonObject got = new JsonObject().put("first", show(result(client.run(input(), thread))))
        .put("second", show(result(client.run(Command.resume("answer_1"), thread))))
        .put("done", show(result(client.run(Command.resume("answer_2"), thread))));
    ThreadState last = result(client.getState("1", null));
    got.put("tasks", last.tasks().size());
    got.put("replay", show(result(client.proceed(new RunOptions().setThreadId("1")
        .setCheckpointId(last.checkpointId())))));
    got.put("history", summary(client));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** router -> subgraph_node (step_a -> ask_human -> step_b) -> post_process. */
  private GraphClient routed(Vertx vertx, String name, Subgraph.Persistence persistence) {
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

  private void replayFromTheInterruptCheckpoint(Vertx vertx, String test, String name,
                                                Subgraph.Persistence persistence) {
    JsonObject want = expected.getJsonObject(test);
    GraphClient client = routed(vertx, name, persistence);
    JsonObject got = new JsonObject().put("first", show(result(client.run(input(), thread))))
        .put("done", show(result(client.run(Command.resume("answer"), thread))));
    ThreadState at = result(client.getStateHistory("1", 0, null)).stream()
        .filter(s -> s.next().equals(List.of("subgraph_node")) && s.tasks().stream()
            .anyMatch(t -> t.get("interrupts") instanceof List && !((List<?>) t.get("interrupts")).isEmpty()))
        .findFirst().orElseThrow();
    got.put("replay", show(result(client.proceed(new RunOptions().setThreadId("1")
        .setCheckpointId(at.checkpointId())))));
    got.put("resume", show(result(client.run(Command.resume("again"), thread))));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** test_subgraph_interrupt_replay_from_interrupt_checkpoint (checkpointer=True), with a resume of the replay. */
  @Test
  void testSubgraphInterruptReplayFromInterruptCheckpoint(Vertx vertx) {
    replayFromTheInterruptCheckpoint(vertx, "test_subgraph_interrupt_replay_from_interrupt_checkpoint",
        "sttn-interrupt-cp", Subgraph.Persistence.STATEFUL);
  }

  /** test_subgraph_interrupt_replay_from_interrupt_checkpoint with a per-invocation child (checkpointer=None). */
  @Test
  void testSubgraphInterruptReplayFromInterruptCheckpointPerInvocation(Vertx vertx) {
    replayFromTheInterruptCheckpoint(vertx,
        "test_subgraph_interrupt_replay_from_interrupt_checkpoint[checkpointer=None]", "sttn-interrupt-cp-pi",
        Subgraph.Persistence.PER_INVOCATION);
  }

  /** test_subgraph_interrupt_resume_with_explicit_head_checkpoint_id: a resume naming the head continues the child. */
  @Test
  void testSubgraphInterruptResumeWithExplicitHeadCheckpointId(Vertx vertx) {
    JsonObject want = expected.getJsonObject("test_subgraph_interrupt_resume_with_explicit_head_checkpoint_id");
    CompiledGraph sub = new StateGraph("sttn-head-sub").channel("value", Channels.append())
        .addNode("step_a", node("step_a", "sub_a")).addNode("ask_human", asker("ask_human", "Provide input:", "human"))
        .addNode("step_b", node("step_b", "sub_b")).addEdge(START, "step_a").addEdge("step_a", "ask_human")
        .addEdge("ask_human", "step_b").addEdge("step_b", END).compile();
    CompiledGraph parent = new StateGraph("sttn-head").channel("value", Channels.append())
        .addSubgraph("subgraph_node", Subgraph.of(sub).stateful()).addEdge(START, "subgraph_node")
        .addEdge("subgraph_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    JsonObject got = new JsonObject().put("first", show(result(client.run(input(), thread))));
    String head = result(client.getState("1", null)).checkpointId();
    got.put("resume", show(result(client.run(Command.resume("answer"), new RunOptions().setThreadId("1")
        .setCheckpointId(head).setCheckpointNs("")))));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  private void branchInSubgraph(Vertx vertx, String test, String name, boolean fork) {
    JsonObject want = expected.getJsonObject(test);
    int[] count = {0};
    CompiledGraph sub = new StateGraph(name + "-sub").strictChannels().channel("sub_value", Channels.append())
        .addNode("sub_step", (state, ctx) -> Future.succeededFuture(Map.of("sub_value", "sub" + (++count[0]))))
        .addEdge(START, "sub_step").addEdge("sub_step", END).compile();
    CompiledGraph parent = new StateGraph(name).strictChannels().channel("value", Channels.append())
        .channel("sub_value", Channels.append()).addNode("parent_start", writes("value", "p_start"))
        .addSubgraph("sub_graph", Subgraph.of(sub)).addNode("parent_end", writes("value", "p_end"))
        .addEdge(START, "parent_start").addEdge("parent_start", "sub_graph").addEdge("sub_graph", "parent_end")
        .addEdge("parent_end", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    JsonObject got = new JsonObject().put("first", values(result(client.run(Map.of("value", List.of(),
        "sub_value", List.of()), thread)).values()));
    ThreadState before = result(client.getStateHistory("1", 0, null)).stream()
        .filter(s -> s.next().equals(List.of("sub_graph"))).findFirst().orElseThrow();
    String at = fork ? result(client.updateState("1", before.checkpointId(), Map.of("value", List.of("extra")), null))
        .checkpointId() : before.checkpointId();
    got.put("again", values(result(client.proceed(new RunOptions().setThreadId("1").setCheckpointId(at))).values()));
    got.put("history", summary(client));
    got.put("latest", values(result(client.getState("1", null)).values()));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** test_replay_creates_branch_in_subgraph: the whole history of both branches. */
  @Test
  void testReplayCreatesBranchInSubgraph(Vertx vertx) {
    branchInSubgraph(vertx, "test_replay_creates_branch_in_subgraph", "sttn-branch", false);
  }

  /** test_fork_creates_branch_in_subgraph: the whole history of both branches. */
  @Test
  void testForkCreatesBranchInSubgraph(Vertx vertx) {
    branchInSubgraph(vertx, "test_fork_creates_branch_in_subgraph", "sttn-fork-branch", true);
  }

  private void threeLevelNested(Vertx vertx, String test, String name, boolean fork) {
    JsonObject want = expected.getJsonObject(test);
    CompiledGraph inner = new StateGraph(name + "-inner").strictChannels().channel("inner_trail", Channels.append())
        .addNode("inner_step", observing("inner_step", "inner_trail", "inner")).addEdge(START, "inner_step")
        .addEdge("inner_step", END).compile();
    CompiledGraph mid = new StateGraph(name + "-mid").strictChannels().channel("mid_trail", Channels.append())
        .addNode("mid_step", observing("mid_step", "mid_trail", "mid"))
        .addSubgraph("inner_node", Subgraph.of(inner).stateful()).addEdge(START, "mid_step")
        .addEdge("mid_step", "inner_node").addEdge("inner_node", END).compile();
    CompiledGraph parent = new StateGraph(name).strictChannels().channel("results", Channels.append())
        .addNode("parent_step", writes("results", "p")).addSubgraph("mid_node", Subgraph.of(mid).stateful())
        .addEdge(START, "parent_step").addEdge("parent_step", "mid_node").addEdge("mid_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    JsonObject got = new JsonObject();
    for (String run : List.of("first", "second")) {
      observed.clear();
      got.put(run + "Result", values(result(client.run(Map.of("results", List.of()), thread)).values()));
      got.put(run, new JsonArray(new ArrayList<>(observed)));
    }
    ThreadState before = result(client.getStateHistory("1", 0, null)).stream()
        .filter(s -> s.next().equals(List.of("parent_step"))).findFirst().orElseThrow();
    String at = fork ? result(client.updateState("1", before.checkpointId(), Map.of("results", List.of("forked")),
        null)).checkpointId() : before.checkpointId();
    observed.clear();
    got.put("againResult", values(result(client.proceed(new RunOptions().setThreadId("1").setCheckpointId(at)))
        .values()));
    got.put("again", new JsonArray(new ArrayList<>(observed)));
    observed.clear();
    got.put("thirdResult", values(result(client.run(Map.of("results", List.of()), thread)).values()));
    got.put("third", new JsonArray(new ArrayList<>(observed)));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** test_three_level_nested_subgraph_loads_state_on_replay, with the results and a third run. */
  @Test
  void testThreeLevelNestedSubgraphLoadsStateOnReplay(Vertx vertx) {
    threeLevelNested(vertx, "test_three_level_nested_subgraph_loads_state_on_replay", "sttn-3replay", false);
  }

  /** test_three_level_nested_subgraph_loads_state_on_fork, with the results and a third run. */
  @Test
  void testThreeLevelNestedSubgraphLoadsStateOnFork(Vertx vertx) {
    threeLevelNested(vertx, "test_three_level_nested_subgraph_loads_state_on_fork", "sttn-3fork", true);
  }
}
