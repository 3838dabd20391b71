package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.chunks;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.list;
import static io.graphloop.runtime.Parity.map;
import static io.graphloop.runtime.Parity.snapshot;
import static io.graphloop.runtime.Parity.values;
import static io.graphloop.runtime.Parity.withoutIds;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Interrupts and static breakpoints of StateGraphs as LangGraph 1.2.12 handles them: breakpoints after every node
 * ({@code "*"}) under each durability, an interrupt asked again in a loop, a node before the asking node, Commands at
 * a static breakpoint, an interrupt beside a Send task whose write is kept, clearing an interrupt with an update as
 * END, two interrupts in a row inside a subgraph, and a resume map answering Sends to a subgraph. Each test names the
 * LangGraph test it mirrors ({@code test_interruption.py}, {@code test_large_cases.py}, {@code test_pregel.py}); the
 * expected values are the lines src/test/resources/langgraph/interruption_parity.py prints (labels named).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class InterruptionParityTest {

  private static final Map<String, Object> INTERRUPT = Map.of("__interrupt__", List.of());

  private static Map<String, Object> asked(Object value) {
    return map("__interrupt__", List.of(map("value", value)));
  }

  private static Map<String, Object> upd(String node, Object... pairs) {
    return Collections.singletonMap(node, pairs.length == 0 ? null : map(pairs));
  }

  /** test_interruption_without_state_updates ("without-updates ..." lines): {@code interrupt_after="*"}. */
  @ParameterizedTest
  @EnumSource(Durability.class)
  void testInterruptionWithoutStateUpdates(Durability durability, Vertx vertx) {
    StateGraph graph = new StateGraph("without-updates-" + durability.wireName()).strictChannels()
        .channel("input", Channels.lastValue()).interruptAfter("*");
    for (String node : List.of("step_1", "step_2", "step_3")) {
      graph.addNode(node, s -> Future.succeededFuture(null));
    }
    graph.addEdge(START, "step_1").addEdge("step_1", "step_2").addEdge("step_2", "step_3").addEdge("step_3", END);
    GraphClient client = deploy(vertx, graph.compile());
    RunOptions thread = new RunOptions().setThreadId("1").setDurability(durability);
    boolean exit = durability == Durability.EXIT;
    Map<String, Object> hello = Map.of("input", "hello world");
    assertEquals(hello, result(client.run(hello, thread)).values().asMap());
    assertEquals(list(List.of("step_2"), exit ? 1 : 3), nextAndLength(client));
    assertEquals(hello, result(client.proceed(thread)).values().asMap());
    assertEquals(list(List.of("step_3"), exit ? 2 : 4), nextAndLength(client));
    assertEquals(hello, result(client.proceed(thread)).values().asMap());
    assertEquals(list(List.of(), exit ? 3 : 5), nextAndLength(client));
    List<Object> all = List.of(list("loop", 3, List.of()), list("loop", 2, List.of("step_3")),
        list("loop", 1, List.of("step_2")), list("loop", 0, List.of("step_1")), list("input", -1, List.of(START)));
    assertEquals(exit ? all.subList(0, 3) : all, Parity.steps(client, "1"));
  }

  private static List<Object> nextAndLength(GraphClient client) {
    return list(result(client.getState("1")).next(), result(client.getStateHistory("1", 0, null)).size());
  }

  /** test_interrupt_loop ("loop ..." lines): one node asks again until the answer is valid. */
  @Test
  void testInterruptLoop(Vertx vertx) {
    CompiledGraph graph = new StateGraph("interrupt-loop").strictChannels()
        .channel("age", Channels.lastValue()).channel("other", Channels.lastValue())
        .addNode("node", (s, ctx) -> {
          String question = "How old are you?";
          String value = null;
          for (int i = 0; i < 10; i++) {
            value = (String) ctx.interrupt(question);
            if (!value.chars().allMatch(Character::isDigit) || Integer.parseInt(value) < 18) {
              question = "invalid response";
              value = null;
            } else {
              break;
            }
          }
          return Future.succeededFuture(Map.of("age", Integer.parseInt(value)));
        })
        .addEdge(START, "node").compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("1");
    assertEquals(List.of(asked("How old are you?")),
        withoutIds(chunks(vertx, client, Map.of("other", ""), thread, StreamMode.UPDATES)));
    assertEquals(List.of(asked("invalid response")),
        withoutIds(chunks(vertx, client, Command.resume("13"), thread, StreamMode.UPDATES)));
    assertEquals(List.of(asked("invalid response")),
        withoutIds(chunks(vertx, client, Command.resume("15"), thread, StreamMode.UPDATES)));
    assertEquals(List.of(upd("node", "age", 19)),
        withoutIds(chunks(vertx, client, Command.resume("19"), thread, StreamMode.UPDATES)));
    assertEquals(map("values", map("age", 19, "other", ""), "next", List.of(), "tasks", List.of(), "source", "loop",
        "step", 1, "interrupts", List.of(), "history", 3), snapshot(client, "1"));
  }

  /**
   * test_node_before_interrupt_resume_graph_api ("topics ..." lines): a node runs before the node that asks once per
   * topic; each resume asks the next. Differs in one field (LANGGRAPH-DIFFERENCES.md): after the second question
   * LangGraph 1.2.12 shows {@code next=()} and the asking task with result {@code {}} (it counts the stored resume
   * value as the task's write), Graphloop shows the task still due, as after the first question.
   */
  @Test
  void testNodeBeforeInterruptResumeGraphApi(Vertx vertx) {
    CompiledGraph graph = new StateGraph("topics").strictChannels()
        .channel("topics", Channels.lastValue()).channel("answers", Channels.append())
        .addNode("setup", s -> {
          List<String> topics = new ArrayList<>();
          for (int i = 0; i < s.getList("topics").size(); i++) {
            topics.add("topic " + (i + 1));
          }
          return Future.succeededFuture(Map.of("topics", topics));
        })
        .addNode("ask", (s, ctx) -> {
          List<Object> answers = new ArrayList<>();
          for (Object topic : s.getList("topics")) {
            answers.add(ctx.interrupt("Whats the answer for " + topic + "?"));
          }
          return Future.succeededFuture(Map.of("answers", answers));
        })
        .addEdge(START, "setup").addEdge("setup", "ask").addEdge("ask", END).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("1");
    Map<String, Object> topics = map("topics", List.of("topic 1", "topic 2"), "answers", List.of());
    RunResult first = result(client.run(map("topics", List.of("a", "b"), "answers", List.of()), thread));
    assertEquals(list(topics, List.of(map("value", "Whats the answer for topic 1?"))),
        list(first.values().asMap(), values(first.interrupts())));
    RunResult second = result(client.run(Command.resume("answer1"), thread));
    assertEquals(list(topics, List.of(map("value", "Whats the answer for topic 2?"))),
        list(second.values().asMap(), values(second.interrupts())));
    Map<String, Object> state = snapshot(client, "1");
    assertEquals(list(topics, "loop", 1, List.of(map("value", "Whats the answer for topic 2?")), 3),
        list(state.get("values"), state.get("source"), state.get("step"), state.get("interrupts"),
            state.get("history")));
    // Graphloop's choice where LangGraph shows next=() and result {}: the task is still due, asking
    assertEquals(list(List.of("ask"), List.of(list("ask", null, List.of(map("value", "Whats the answer for topic 2?"))))),
        list(state.get("next"), state.get("tasks")));
    Map<String, Object> done = map("topics", List.of("topic 1", "topic 2"), "answers", List.of("answer1", "answer2"));
    assertEquals(done, result(client.run(Command.resume("answer2"), thread)).values().asMap());
    assertEquals(map("values", done, "next", List.of(), "tasks", List.of(), "source", "loop", "step", 2,
        "interrupts", List.of(), "history", 4), snapshot(client, "1"));
  }

  /**
   * test_command_with_static_breakpoints and test_command_goto_with_static_breakpoints ("static ...", "goto ..."
   * lines): at a breakpoint before node1, a Command with a resume value goes on past it; a Command with a goto runs
   * its target beside the node due.
   */
  @Test
  void testCommandWithStaticBreakpoints(Vertx vertx) {
    CompiledGraph graph = new StateGraph("static-breakpoints").strictChannels().channel("foo", Channels.lastValue())
        .addNode("node1", s -> Future.succeededFuture(Map.of("foo", s.getString("foo") + "|node-1")))
        .addNode("node2", s -> Future.succeededFuture(Map.of("foo", s.getString("foo") + "|node-2")))
        .addEdge(START, "node1").addEdge("node1", "node2").interruptBefore("node1").compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("1");
    assertEquals(Map.of("foo", "abc"), result(client.run(Map.of("foo", "abc"), thread)).values().asMap());
    assertEquals(Map.of("foo", "abc|node-1|node-2"),
        result(client.run(Command.resume("node1"), thread)).values().asMap());

    CompiledGraph adding = new StateGraph("goto-breakpoints").strictChannels()
        .channel("foo", Channels.reducer((a, b) -> (String) a + b, ""))
        .addNode("node1", s -> Future.succeededFuture(Map.of("foo", "|node-1")))
        .addNode("node2", s -> Future.succeededFuture(Map.of("foo", "|node-2")))
        .addEdge(START, "node1").addEdge("node1", "node2").interruptBefore("node1").compile();
    GraphClient gotoClient = deploy(vertx, adding);
    assertEquals(Map.of("foo", "abc"), result(gotoClient.run(Map.of("foo", "abc"), thread)).values().asMap());
    assertEquals(List.of(upd("node1", "foo", "|node-1"), upd("node2", "foo", "|node-2"),
        upd("node2", "foo", "|node-2")),
        chunks(vertx, gotoClient, Command.gotoNodes("node2"), thread, StreamMode.UPDATES));
    assertEquals(map("values", map("foo", "abc|node-1|node-2|node-2"), "next", List.of(), "tasks", List.of(),
        "source", "loop", "step", 2, "interrupts", List.of(), "history", 4), snapshot(gotoClient, "1"));
  }

  private static StateGraph market(String name) {
    return new StateGraph(name).strictChannels()
        .channel("my_key", Channels.reducer((a, b) -> (String) a + b, "")).channel("market", Channels.lastValue());
  }

  /**
   * test_dynamic_interrupt ("dynamic ..." lines): an interrupt is not retried by the node's retry policy; a run
   * without a thread returns the interrupt; under exit durability only the loop checkpoint is stored; an update as
   * END clears the interrupt and the task due.
   */
  @Test
  void testDynamicInterrupt(Vertx vertx) {
    AtomicInteger count = new AtomicInteger();
    CompiledGraph graph = market("dynamic-interrupt")
        .addNode("tool_two", (s, ctx) -> {
          count.incrementAndGet();
          Object answer = "DE".equals(s.getString("market")) ? ctx.interrupt("Just because...") : " all good";
          return Future.succeededFuture(Map.of("my_key", answer));
        }, new NodeOptions().setRetry(RetryPolicy.builder().build()))
        .addEdge(START, "tool_two").compile();
    GraphClient client = deploy(vertx, graph);
    RunResult alone = result(client.run(Map.of("my_key", "value", "market", "DE"), new RunOptions()));
    assertEquals(list(map("my_key", "value", "market", "DE"), List.of(map("value", "Just because...")), 1),
        list(alone.values().asMap(), values(alone.interrupts()), count.get()));
    assertEquals(map("my_key", "value all good", "market", "US"),
        result(client.invoke(Map.of("my_key", "value", "market", "US"))).asMap());

    RunOptions two = new RunOptions().setThreadId("2");
    assertEquals(List.of(asked("Just because...")),
        withoutIds(chunks(vertx, client, Map.of("my_key", "value ⛰️", "market", "DE"), two, StreamMode.UPDATES)));
    assertEquals(List.of(upd("tool_two", "my_key", " my answer")),
        withoutIds(chunks(vertx, client, Command.resume(" my answer"), two, StreamMode.UPDATES)));

    RunOptions one = new RunOptions().setThreadId("1").setDurability(Durability.EXIT);
    RunResult exit = result(client.run(Map.of("my_key", "value ⛰️", "market", "DE"), one));
    Map<String, Object> values = map("my_key", "value ⛰️", "market", "DE");
    assertEquals(list(values, List.of(map("value", "Just because..."))),
        list(exit.values().asMap(), values(exit.interrupts())));
    assertEquals(List.of(list("loop", 0, List.of("tool_two"))), Parity.steps(client, "1"));
    assertEquals(map("values", values, "next", List.of("tool_two"),
        "tasks", List.of(list("tool_two", null, List.of(map("value", "Just because...")))), "source", "loop",
        "step", 0, "interrupts", List.of(map("value", "Just because...")), "history", 1), snapshot(client, "1"));
    result(client.updateState("1", null, END));
    assertEquals(map("values", values, "next", List.of(), "tasks", List.of(), "source", "update", "step", 1,
        "interrupts", List.of(), "history", 2), snapshot(client, "1"));
  }

  /**
   * test_partial_pending_checkpoint ("partial ..." lines): a Send task completes beside a task that asks; its write
   * is kept, shown as its task's result, not run again on resume (its {@code updates} chunk is replayed with
   * {@code "__metadata__": {"cached": true}}), and kept when an update as END clears the interrupt.
   */
  @Test
  void testPartialPendingCheckpoint(Vertx vertx) {
    CompiledGraph graph = market("partial-pending")
        .addNode("tool_two", (s, ctx) -> {
          if (!"DE".equals(s.getString("market"))) {
            return Future.succeededFuture(Map.of("my_key", " all good"));
          }
          return Parity.later(vertx, 100, null).map(v -> Map.of("my_key", ctx.interrupt("Just because...")));
        }, new NodeOptions().setRetry(RetryPolicy.builder().build()))
        .addNode("tool_one", s -> Future.succeededFuture(Map.of("my_key", " one")))
        .addConditionalEdges(START, s -> List.of("tool_two", new Send("tool_one", s.asMap())),
            List.of("tool_two", "tool_one"))
        .compile();
    GraphClient client = deploy(vertx, graph);
    RunResult alone = result(client.run(Map.of("my_key", "value", "market", "DE"), new RunOptions()));
    assertEquals(list(map("my_key", "value one", "market", "DE"), List.of(map("value", "Just because..."))),
        list(alone.values().asMap(), values(alone.interrupts())));
    assertEquals(map("my_key", "value all good one", "market", "US"),
        result(client.invoke(Map.of("my_key", "value", "market", "US"))).asMap());

    RunOptions two = new RunOptions().setThreadId("2");
    assertEquals(List.of(upd("tool_one", "my_key", " one"), asked("Just because...")),
        withoutIds(chunks(vertx, client, Map.of("my_key", "value ⛰️", "market", "DE"), two, StreamMode.UPDATES)));
    assertEquals(List.of(map("tool_one", map("my_key", " one"), "__metadata__", map("cached", true)),
        upd("tool_two", "my_key", " my answer")),
        withoutIds(chunks(vertx, client, Command.resume(" my answer"), two, StreamMode.UPDATES)));
    assertEquals(map("values", map("my_key", "value ⛰️ my answer one", "market", "DE"), "next", List.of(),
        "tasks", List.of(), "source", "loop", "step", 1, "interrupts", List.of(), "history", 3),
        snapshot(client, "2"));

    RunOptions one = new RunOptions().setThreadId("1").setDurability(Durability.EXIT);
    RunResult exit = result(client.run(Map.of("my_key", "value ⛰️", "market", "DE"), one));
    Map<String, Object> values = map("my_key", "value ⛰️ one", "market", "DE");
    assertEquals(list(values, List.of(map("value", "Just because..."))),
        list(exit.values().asMap(), values(exit.interrupts())));
    assertEquals(List.of(list("loop", 0, List.of("tool_one", "tool_two"))), Parity.steps(client, "1"));
    assertEquals(map("values", values, "next", List.of("tool_two"),
        "tasks", List.of(list("tool_one", map("my_key", " one"), List.of()),
            list("tool_two", null, List.of(map("value", "Just because...")))), "source", "loop",
        "step", 0, "interrupts", List.of(map("value", "Just because...")), "history", 1), snapshot(client, "1"));
    result(client.updateState("1", null, END));
    assertEquals(map("values", values, "next", List.of(), "tasks", List.of(), "source", "update", "step", 1,
        "interrupts", List.of(), "history", 2), snapshot(client, "1"));
  }

  private static StateGraph doubleInterrupt(String name) {
    return new StateGraph(name).strictChannels().channel("input", Channels.lastValue())
        .addNode("node_1", (s, ctx) -> Future.succeededFuture(Map.of("input", ctx.interrupt("interrupt node 1"))))
        .addNode("node_2", (s, ctx) -> Future.succeededFuture(Map.of("input", ctx.interrupt("interrupt node 2"))))
        .addEdge(START, "node_1").addEdge("node_1", "node_2").addEdge("node_2", END);
  }

  /**
   * test_double_interrupt_subgraph ("double ..." lines): two interrupts in a row, in a graph and in the same graph
   * as a subgraph node; the parent's state while its child waits lists the subgraph task with the child's interrupt.
   */
  @Test
  void testDoubleInterruptSubgraph(Vertx vertx) {
    GraphClient alone = deploy(vertx, doubleInterrupt("double-alone").compile());
    RunOptions thread = new RunOptions().setThreadId("1");
    assertEquals(List.of(asked("interrupt node 1")),
        withoutIds(chunks(vertx, alone, Map.of("input", "test"), thread, StreamMode.UPDATES)));
    assertEquals(List.of(upd("node_1", "input", "123"), asked("interrupt node 2")),
        withoutIds(chunks(vertx, alone, Command.resume("123"), thread, StreamMode.UPDATES)));
    assertEquals(List.of(upd("node_2", "input", "123")),
        withoutIds(chunks(vertx, alone, Command.resume("123"), thread, StreamMode.UPDATES)));

    CompiledGraph parent = new StateGraph("double-parent").strictChannels().channel("input", Channels.lastValue())
        .addSubgraph("invoke_sub_agent", doubleInterrupt("double-child").compile())
        .addEdge(START, "invoke_sub_agent").addEdge("invoke_sub_agent", END).compile();
    GraphClient client = deploy(vertx, parent);
    assertEquals(List.of(asked("interrupt node 1")),
        withoutIds(chunks(vertx, client, Map.of("input", "test"), thread, StreamMode.UPDATES)));
    assertEquals(List.of(asked("interrupt node 2")),
        withoutIds(chunks(vertx, client, Command.resume(true), thread, StreamMode.UPDATES)));
    assertEquals(map("values", map("input", "test"), "next", List.of("invoke_sub_agent"),
        "tasks", List.of(list("invoke_sub_agent", null, List.of(map("value", "interrupt node 2")))),
        "source", "loop", "step", 0, "interrupts", List.of(map("value", "interrupt node 2")), "history", 2),
        snapshot(client, "1"));
    assertEquals(List.of(upd("invoke_sub_agent", "input", true)),
        withoutIds(chunks(vertx, client, Command.resume(true), thread, StreamMode.UPDATES)));
    assertEquals(map("values", map("input", true), "next", List.of(), "tasks", List.of(), "source", "loop",
        "step", 1, "interrupts", List.of(), "history", 3), snapshot(client, "1"));
  }

  /**
   * test_multi_resume ("multi-resume ..." lines): five Sends to a subgraph node each ask; one resume map of every
   * interrupt's id answers them all, and the parent's join node sees the five answers.
   */
  @Test
  void testMultiResume(Vertx vertx) {
    CompiledGraph child = new StateGraph("multi-resume-child").strictChannels()
        .channel("prompt", Channels.lastValue()).channel("human_input", Channels.lastValue())
        .channel("human_inputs", Channels.lastValue())
        .addNode("get_human_input", (s, ctx) -> {
          Object answer = ctx.interrupt(s.getString("prompt"));
          return Future.succeededFuture(Map.of("human_input", answer, "human_inputs", List.of(answer)));
        })
        .addEdge(START, "get_human_input").addEdge("get_human_input", END).compile();
    List<String> prompts = List.of("a", "b", "c", "d", "e");
    CompiledGraph parent = new StateGraph("multi-resume").strictChannels()
        .channel("prompts", Channels.lastValue()).channel("human_inputs", Channels.append())
        .addSubgraph("child_graph", child)
        .addNode("cleanup", s -> {
          assertEquals(s.getList("prompts").size(), s.getList("human_inputs").size());
          return Future.succeededFuture(null);
        })
        .addConditionalEdges(START, s -> s.getList("prompts").stream()
            .map(p -> new Send("child_graph", Map.of("prompt", p))).toList(), List.of("child_graph"))
        .addEdge("child_graph", "cleanup").addEdge("cleanup", END).compile();
    GraphClient client = deploy(vertx, parent);
    RunOptions thread = new RunOptions().setThreadId("1");
    RunResult first = result(client.run(Map.of("prompts", prompts), thread));
    List<Object> asked = new ArrayList<>();
    first.interrupts().forEach(i -> asked.add(i.get("value")));
    Collections.sort(asked, (a, b) -> ((String) a).compareTo((String) b));
    assertEquals(prompts, asked);
    Map<String, Object> resume = new HashMap<>();
    for (Map<String, Object> interrupt : result(client.getState("1")).interrupts()) {
      resume.put((String) interrupt.get("id"), "human input for prompt " + interrupt.get("value"));
    }
    Map<String, Object> done = map("prompts", prompts, "human_inputs",
        prompts.stream().map(p -> "human input for prompt " + p).toList());
    assertEquals(done, result(client.run(Command.resume(resume), thread)).values().asMap());
    assertEquals(map("values", done, "next", List.of(), "tasks", List.of(), "source", "loop", "step", 2,
        "interrupts", List.of(), "history", 4), snapshot(client, "1"));
  }
}
