package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channel;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subgraphs as LangGraph 1.2.12 runs them: a static breakpoint ({@code interruptBefore}) inside a grandchild or a child
 * stops the whole run and a run without input continues it ({@code test_doubly_nested_graph_interrupts},
 * {@code test_nested_graph_interrupts_parallel} of {@code test_pregel.py}), and {@code interrupt()} inside a subgraph
 * reached by two Sends of one step, answered by one resume map. The expected values (results, {@code values} chunks,
 * the parent's state with its subgraphs' states, histories) are the output of
 * src/test/resources/langgraph/subgraph_parity.py run against LangGraph 1.2.12.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SubgraphParityTest {

  private static final Channel CONCAT = Channels.reducer((a, b) -> (String) a + b, "");

  private static GraphClient deploy(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
  }

  /** The parent's next, values and interrupts' values, then (task, next, values, interrupts, namespace's node) per child. */
  private static List<Object> state(GraphClient client, String thread) {
    ThreadState state = result(client.getState(thread, null, true));
    List<Object> out = new ArrayList<>(List.of(state.next(), state.values().asMap(),
        state.interrupts().stream().map(i -> i.get("value")).toList()));
    for (int i = 0; i < state.tasks().size(); i++) {
      ThreadState child = state.subgraphState(i);
      if (child != null) {
        out.add(Arrays.asList(state.tasks().get(i).get("node"), child.next(), child.values().asMap(),
            child.interrupts().stream().map(x -> x.get("value")).toList(),
            String.valueOf(child.metadata().get("checkpointNs")).split(":")[0]));
      }
    }
    return out;
  }

  private static List<List<Object>> history(GraphClient client, String thread) {
    List<List<Object>> lines = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory(thread, 0, null))) {
      lines.add(Arrays.asList(state.source().wireName(), state.step(), state.next(), state.values().asMap()));
    }
    return lines;
  }

  private static List<Object> line(String source, int step, List<String> next, Map<String, ?> values) {
    return Arrays.asList(source, step, next, values);
  }

  private static List<Object> values(Vertx vertx, java.util.function.Supplier<io.graphloop.client.RunEventStream> open) {
    List<Object> chunks = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, open))) {
      if (event.event().wireName().equals("values")) {
        chunks.add(event.data());
      }
    }
    return chunks;
  }

  private static StateGraph myKey(String name) {
    return new StateGraph(name).channel("my_key", Channels.lastValue());
  }

  /** test_doubly_nested_graph_interrupts: interrupt_before in the grandchild stops the parent; None continues it. */
  @Test
  void aBreakpointInAGrandchildStopsTheParentAndARunWithoutInputContinuesIt(Vertx vertx) {
    CompiledGraph grandchild = myKey("dn-grandchild")
        .addNode("grandchild_1", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " here")))
        .addNode("grandchild_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and there")))
        .addEdge("grandchild_1", "grandchild_2").setEntryPoint("grandchild_1").setFinishPoint("grandchild_2")
        .interruptBefore("grandchild_2").compile();
    CompiledGraph child = myKey("dn-child").addSubgraph("child_1", grandchild)
        .setEntryPoint("child_1").setFinishPoint("child_1").compile();
    GraphClient client = deploy(vertx, myKey("dn-parent")
        .addNode("parent_1", s -> Future.succeededFuture(Map.of("my_key", "hi " + s.getString("my_key"))))
        .addSubgraph("child", child)
        .addNode("parent_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and back again")))
        .setEntryPoint("parent_1").addEdge("parent_1", "child").addEdge("child", "parent_2").setFinishPoint("parent_2")
        .compile());

    RunOptions thread = new RunOptions().setThreadId("1");
    assertEquals(Map.of("my_key", "hi my value"), result(client.run(Map.of("my_key", "my value"), thread)).values().asMap());
    assertEquals(List.of(List.of("child"), Map.of("my_key", "hi my value"), List.of(),
        Arrays.asList("child", List.of("child_1"), Map.of("my_key", "hi my value"), List.of(), "child")),
        state(client, "1"));
    assertEquals(Map.of("my_key", "hi my value here and there and back again"),
        result(client.proceed(thread)).values().asMap());
    assertEquals(List.of(
        line("loop", 3, List.of(), Map.of("my_key", "hi my value here and there and back again")),
        line("loop", 2, List.of("parent_2"), Map.of("my_key", "hi my value here and there")),
        line("loop", 1, List.of("child"), Map.of("my_key", "hi my value")),
        line("loop", 0, List.of("parent_1"), Map.of("my_key", "my value")),
        line("input", -1, List.of(START), Map.of())), history(client, "1"));

    RunOptions three = new RunOptions().setThreadId("3");
    assertEquals(List.of(Map.of("my_key", "my value"), Map.of("my_key", "hi my value")),
        values(vertx, () -> client.stream(Map.of("my_key", "my value"), three, StreamMode.VALUES)));
    assertEquals(List.of(Map.of("my_key", "hi my value"), Map.of("my_key", "hi my value here and there"),
        Map.of("my_key", "hi my value here and there and back again")),
        values(vertx, () -> client.stream((Map<String, ?>) null, three, StreamMode.VALUES)));
  }

  /** test_nested_graph_interrupts_parallel: the sibling's writes are kept and it does not run again. */
  @Test
  void aBreakpointInASubgraphBesideAParallelNode(Vertx vertx) {
    CompiledGraph inner = new StateGraph("np-inner").channel("my_key", CONCAT).channel("my_other_key", Channels.lastValue())
        .addNode("inner_1", s -> Future.succeededFuture(Map.of("my_key", "got here", "my_other_key", s.getString("my_key"))))
        .addNode("inner_2", s -> Future.succeededFuture(Map.of("my_key", " and there", "my_other_key", s.getString("my_key"))))
        .addEdge("inner_1", "inner_2").setEntryPoint("inner_1").setFinishPoint("inner_2")
        .interruptBefore("inner_2").compile();
    java.util.function.Function<String, StateGraph> outer = name -> new StateGraph(name).strictChannels()
        .channel("my_key", CONCAT)
        .addSubgraph("inner", inner)
        .addNode("outer_1", s -> Future.succeededFuture(Map.of("my_key", " and parallel")))
        .addNode("outer_2", s -> Future.succeededFuture(Map.of("my_key", " and back again")))
        .addEdge(START, "inner").addEdge(START, "outer_1").addEdge(List.of("inner", "outer_1"), "outer_2")
        .setFinishPoint("outer_2");
    GraphClient client = deploy(vertx, outer.apply("np-outer").compile());
    RunOptions thread = new RunOptions().setThreadId("1");
    assertEquals(Map.of("my_key", " and parallel"), result(client.run(Map.of("my_key", ""), thread)).values().asMap());
    assertEquals(List.of(List.of("inner"), Map.of("my_key", " and parallel"), List.of(),
        Arrays.asList("inner", List.of("inner_2"), Map.of("my_key", "got here", "my_other_key", ""), List.of(), "inner")),
        state(client, "1"));
    assertEquals(Map.of("my_key", "got here and there and parallel and back again"),
        result(client.proceed(thread)).values().asMap());
    assertEquals(List.of(
        line("loop", 2, List.of(), Map.of("my_key", "got here and there and parallel and back again")),
        line("loop", 1, List.of("outer_2"), Map.of("my_key", "got here and there and parallel")),
        line("loop", 0, List.of("inner", "outer_1"), Map.of("my_key", "")),
        line("input", -1, List.of(START), Map.of("my_key", ""))), history(client, "1"));

    GraphClient after = deploy(vertx, outer.apply("np-outer-after").interruptAfter("outer_1").compile());
    RunOptions five = new RunOptions().setThreadId("5");
    assertEquals(List.of(Map.of("my_key", ""), Map.of("my_key", " and parallel")),
        values(vertx, () -> after.stream(Map.of("my_key", ""), five, StreamMode.VALUES)));
    assertEquals(List.of(Map.of("my_key", ""), Map.of("my_key", "got here and there and parallel")),
        values(vertx, () -> after.stream((Map<String, ?>) null, five, StreamMode.VALUES)));
    assertEquals(List.of(Map.of("my_key", "got here and there and parallel"),
        Map.of("my_key", "got here and there and parallel and back again")),
        values(vertx, () -> after.stream((Map<String, ?>) null, five, StreamMode.VALUES)));
  }

  /** interrupt() in a subgraph reached by two Sends of one step; one resume map answers both children. */
  @Test
  void interruptsInSubgraphsReachedBySendAreAnsweredByOneResumeMap(Vertx vertx) {
    CompiledGraph child = new StateGraph("ss-child").channel("item", Channels.lastValue())
        .channel("results", Channels.append())
        .addNode("ask", (s, ctx) -> Future.succeededFuture(Map.of("results",
            List.of(s.getString("item") + ":" + ctx.interrupt("approve " + s.getString("item") + "?")))))
        .addNode("done", s -> Future.succeededFuture(Map.of("results", List.of(s.getString("item") + " done"))))
        .addEdge(START, "ask").addEdge("ask", "done").addEdge("done", END).compile();
    GraphClient client = deploy(vertx, new StateGraph("ss-parent").strictChannels().channel("results", Channels.append())
        .addNode("fan", s -> Future.succeededFuture(Map.of("results", List.of("fan"))))
        .addSubgraph("work", child)
        .addNode("end", s -> Future.succeededFuture(Map.of("results", List.of("end"))))
        .addEdge(START, "fan")
        .addConditionalEdges("fan", s -> List.of(new Send("work", Map.of("item", "x", "results", List.of())),
            new Send("work", Map.of("item", "y", "results", List.of()))), List.of("work"))
        .addEdge("work", "end").addEdge("end", END).compile());
    RunOptions thread = new RunOptions().setThreadId("s");
    RunResult asked = result(client.run(Map.of("results", List.of()), thread));
    assertEquals(List.of("fan"), asked.values().getList("results"));
    Map<Object, Object> ids = new HashMap<>();
    asked.interrupts().forEach(i -> ids.put(i.get("value"), i.get("id")));
    assertEquals(java.util.Set.of("approve x?", "approve y?"), ids.keySet());
    assertEquals(List.of(List.of("work", "work"), Map.of("results", List.of("fan")), List.of("approve x?", "approve y?"),
        Arrays.asList("work", List.of("ask"), Map.of("item", "x", "results", List.of()), List.of("approve x?"), "work"),
        Arrays.asList("work", List.of("ask"), Map.of("item", "y", "results", List.of()), List.of("approve y?"), "work")),
        state(client, "s"));
    RunResult answered = result(client.run(Command.resume(Map.of(ids.get("approve x?"), "ok", ids.get("approve y?"),
        "fine")), thread));
    assertTrue(answered.interrupts().isEmpty());
    assertEquals(List.of("fan", "x:ok", "x done", "y:fine", "y done", "end"), answered.values().getList("results"));
    assertEquals(List.of(
        line("loop", 3, List.of(), Map.of("results", List.of("fan", "x:ok", "x done", "y:fine", "y done", "end"))),
        line("loop", 2, List.of("end"), Map.of("results", List.of("fan", "x:ok", "x done", "y:fine", "y done"))),
        line("loop", 1, List.of("work", "work"), Map.of("results", List.of("fan"))),
        line("loop", 0, List.of("fan"), Map.of("results", List.of())),
        line("input", -1, List.of(START), Map.of("results", List.of()))), history(client, "s"));
  }

  /**
   * test_parent_command_goto_deeply_nested: a node three levels down sends Command.PARENT to its immediate parent (the
   * middle graph), which goes to sub_child_3 with the update; the root receives the middle graph's whole list again
   * through its reducer (LangGraph's operator.add re-adds the input).
   */
  @Test
  void parentCommandFromThreeLevelsDownRoutesTheImmediateParent(Vertx vertx) {
    CompiledGraph subSub = new StateGraph("pc3-sub-sub").channel("dialog_state", Channels.append())
        .addNode("sub_sub_child", s -> Future.succeededFuture(Command.gotoNode("sub_child_3")
            .update(Map.of("dialog_state", List.of("sub_sub_child"))).graph(Command.PARENT)))
        .addEdge(START, "sub_sub_child").compile();
    CompiledGraph sub = new StateGraph("pc3-sub").channel("dialog_state", Channels.append())
        .addNode("sub_child_1", s -> Future.succeededFuture(Map.of("dialog_state", List.of("sub_child_1"))))
        .addSubgraph("sub_child_2", subSub)
        .addNode("sub_child_3", s -> Future.succeededFuture(Map.of("dialog_state", List.of("sub_child_3"))))
        .addEdge(START, "sub_child_1").addEdge("sub_child_1", "sub_child_2").compile();
    GraphClient client = deploy(vertx, new StateGraph("pc3-main").channel("dialog_state", Channels.append())
        .addNode("child_1", s -> Future.succeededFuture(Map.of("dialog_state", List.of("child_1"))))
        .addSubgraph("child_2", sub)
        .addEdge(START, "child_1").addEdge("child_1", "child_2").compile());
    List<String> all = List.of("init", "child_1", "init", "child_1", "sub_child_1", "sub_sub_child", "sub_child_3");
    assertEquals(all, result(client.run(Map.of("dialog_state", List.of("init")), new RunOptions().setThreadId("1")))
        .values().getList("dialog_state"));
    assertEquals(List.of(
        line("loop", 2, List.of(), Map.of("dialog_state", all)),
        line("loop", 1, List.of("child_2"), Map.of("dialog_state", List.of("init", "child_1"))),
        line("loop", 0, List.of("child_1"), Map.of("dialog_state", List.of("init"))),
        line("input", -1, List.of(START), Map.of("dialog_state", List.of()))), history(client, "1"));
  }

  /**
   * A child with a private key interrupts (no LangGraph test of its own; the last scenario of subgraph_parity.py):
   * the parent's result and state never show the key, the child's state (with subgraphs) does, and the resumed child
   * still has it. The parent is strict (LangGraph's TypedDict), the child declares the private key.
   */
  @Test
  void aChildsPrivateKeyStaysInTheChildAcrossAnInterrupt(Vertx vertx) {
    CompiledGraph child = new StateGraph("pk-child").strictChannels()
        .channel("foo", Channels.lastValue()).channel("bar", Channels.lastValue())
        .addNode("c1", s -> Future.succeededFuture(Map.of("bar", "private", "foo", s.getString("foo") + "|c1")))
        .addNode("c2", (s, ctx) -> Future.succeededFuture(Map.of("foo",
            s.getString("foo") + "|c2:" + ctx.interrupt("ok?") + ":" + s.getString("bar"))))
        .addEdge(START, "c1").addEdge("c1", "c2").addEdge("c2", END).compile();
    GraphClient client = deploy(vertx, new StateGraph("pk-parent").strictChannels().channel("foo", Channels.lastValue())
        .addNode("p", s -> Future.succeededFuture(Map.of("foo", s.getString("foo") + "|p")))
        .addSubgraph("child", child)
        .addEdge(START, "p").addEdge("p", "child").addEdge("child", END).compile());
    RunOptions thread = new RunOptions().setThreadId("1");
    RunResult asked = result(client.run(Map.of("foo", "in"), thread));
    assertEquals(Map.of("foo", "in|p"), asked.values().asMap());
    assertEquals(List.of("ok?"), asked.interrupts().stream().map(i -> i.get("value")).toList());
    assertEquals(List.of(List.of("child"), Map.of("foo", "in|p"), List.of("ok?"),
        Arrays.asList("child", List.of("c2"), Map.of("foo", "in|p|c1", "bar", "private"), List.of("ok?"), "child")),
        state(client, "1"));
    assertEquals(Map.of("foo", "in|p|c1|c2:yes:private"),
        result(client.run(Command.resume("yes"), thread)).values().asMap());
    assertEquals(Map.of("foo", "in|p|c1|c2:yes:private"), result(client.getState("1")).values().asMap());
  }
}
