package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
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

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@code interrupt} inside a subgraph, as LangGraph 1.2.12 runs it (mirrors {@code test_nested_graph_interrupts}
 * and {@code test_checkpoint_ns} of LangGraph's {@code test_pregel.py}; the expected values were produced by LangGraph
 * 1.2.12 with {@code InMemorySaver}, see {@code src/test/resources/langgraph/subgraph_interrupt.py}): the parent stops
 * as interrupted with the child's payload, the child checkpoints under the parent's thread in its own namespace, the
 * parent's state shows it with {@code subgraphs}, and {@code Command.resume} continues the child where it stopped.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SubgraphInterruptTest {

  private static final io.graphloop.state.Channel CONCAT = Channels.reducer((a, b) -> (String) a + b);

  private static CompiledGraph inner(String name, AtomicInteger inner1Runs) {
    return new StateGraph(name)
        .channel("my_key", CONCAT)
        .addNode("inner_1", state -> {
          inner1Runs.incrementAndGet();
          return Future.succeededFuture(Map.of("my_key", " inner_1", "market", "US"));
        })
        .addNode("inner_2", (state, ctx) -> {
          Object answer = ctx.interrupt(Map.of("q", "approve?", "seen", state.getString("my_key")));
          return Future.succeededFuture(Map.of("my_key", " inner_2:" + answer));
        })
        .addEdge(START, "inner_1").addEdge("inner_1", "inner_2").addEdge("inner_2", END)
        .compile();
  }

  private static CompiledGraph outer(String name, CompiledGraph inner) {
    return new StateGraph(name)
        .channel("my_key", CONCAT)
        .addNode("outer_1", state -> Future.succeededFuture(Map.of("my_key", " outer_1")))
        .addSubgraph("inner", inner)
        .addNode("outer_2", state -> Future.succeededFuture(Map.of("my_key", " outer_2")))
        .addEdge(START, "outer_1").addEdge("outer_1", "inner").addEdge("inner", "outer_2").addEdge("outer_2", END)
        .compile();
  }

  @Test
  void anInterruptInASubgraphStopsTheParentAndResumeContinuesTheChild(Vertx vertx) {
    AtomicInteger inner1Runs = new AtomicInteger();
    GraphClient client = result(GraphRuntime.deploy(vertx, outer("nested-outer", inner("nested-inner", inner1Runs)),
        MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");

    RunResult asked = result(client.run(Map.of("my_key", "my value", "market", "DE"), thread));
    assertEquals(RunStatus.INTERRUPTED, asked.status(), "the child's interrupt stops the parent");
    assertEquals(Map.of("my_key", "my value outer_1", "market", "DE"), asked.values().asMap());
    assertEquals(1, asked.interrupts().size());
    Map<String, Object> interrupt = asked.interrupts().get(0);
    assertEquals(Map.of("q", "approve?", "seen", "my value outer_1 inner_1"), interrupt.get("value"));
    String ns = (String) interrupt.get("ns");
    assertTrue(ns.matches("inner:[0-9a-f-]{36}"), "the payload comes with the task's namespace: " + ns);

    ThreadState parent = result(client.getState("1"));
    assertEquals(List.of("inner"), parent.next());
    assertEquals(List.of(Map.of("q", "approve?", "seen", "my value outer_1 inner_1")),
        parent.tasks().get(0).get("interrupts"));
    assertEquals(ns, parent.tasks().get(0).get("checkpointNs"));
    assertEquals(interrupt.get("id"), parent.interrupts().get(0).get("id"));

    ThreadState withChild = result(client.getState("1", null, true));
    ThreadState child = withChild.subgraphState(0);
    assertNotNull(child, "the child checkpointed under the parent's thread");
    assertEquals("1", child.threadId());
    assertEquals(ns, child.metadata().get("checkpointNs"));
    assertEquals(Map.of("my_key", "my value outer_1 inner_1", "market", "US"), child.values().asMap());
    assertEquals(List.of("inner_2"), child.next());

    RunResult answered = result(client.run(Command.resume("yes"), thread));
    assertEquals(RunStatus.SUCCESS, answered.status());
    // LangGraph's operator.add re-adds the child's whole value to the parent's
    assertEquals(Map.of("my_key", "my value outer_1my value outer_1 inner_1 inner_2:yes outer_2", "market", "US"),
        answered.values().asMap());
    assertEquals(1, inner1Runs.get(), "the child continued from its checkpoint: inner_1 did not run again");
  }

  private static CompiledGraph nestedWithSolo(String name) {
    CompiledGraph inner = new StateGraph(name + "-inner").channel("items", Channels.append())
        .addNode("ask", (state, ctx) -> {
          Object answer = ctx.interrupt("q-" + state.getList("items").size());
          return Future.succeededFuture(Map.of("items", List.of("ans:" + answer)));
        })
        .addEdge(START, "ask").addEdge("ask", END).compile();
    CompiledGraph middle = new StateGraph(name + "-middle").channel("items", Channels.append())
        .addNode("m", state -> Future.succeededFuture(Map.of("items", List.of("m"))))
        .addSubgraph("inner", inner)
        .addEdge(START, "m").addEdge("m", "inner").addEdge("inner", END).compile();
    return new StateGraph(name).channel("items", Channels.append())
        .addSubgraph("middle", middle)
        .addNode("solo", (state, ctx) -> {
          Object answer = ctx.interrupt("solo?");
          return Future.succeededFuture(Map.of("items", List.of("solo:" + answer)));
        })
        .addEdge(START, "middle").addEdge(START, "solo").addEdge("middle", END).addEdge("solo", END).compile();
  }

  private static Map<Object, String> idsByValue(List<Map<String, Object>> interrupts) {
    Map<Object, String> ids = new java.util.HashMap<>();
    interrupts.forEach(interrupt -> ids.put(interrupt.get("value"), (String) interrupt.get("id")));
    return ids;
  }

  /** Mirrors LangGraph's multiple-interrupt resume through two levels of subgraphs (values from LangGraph 1.2.12). */
  @Test
  void interruptsTwoSubgraphLevelsDeepAreAnsweredByIdBesideAParentNodesOwn(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, nestedWithSolo("two-levels"), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");
    RunResult asked = result(client.run(Map.of("items", List.of("in")), thread));
    assertEquals(java.util.Set.of("solo?", "q-2"), java.util.Set.copyOf(asked.interrupts().stream()
        .map(interrupt -> interrupt.get("value")).toList()));
    Map<String, Object> deep = asked.interrupts().stream().filter(i -> "q-2".equals(i.get("value"))).findFirst()
        .orElseThrow();
    assertTrue(((String) deep.get("ns")).matches("middle:[0-9a-f-]{36}\\|inner:[0-9a-f-]{36}"),
        "a nested interrupt carries every level of its namespace: " + deep.get("ns"));
    assertEquals(RunStatus.INTERRUPTED, asked.status());
    assertEquals(400, Await.failure(client.run(Command.resume("x"), thread)) instanceof
        io.graphloop.errors.GraphloopException e ? e.code().code() : -1, "one plain value cannot answer two interrupts");

    ThreadState state = result(client.getState("1", null, true));
    ThreadState middle = state.subgraphState(0);
    assertEquals(Map.of("items", List.of("in", "m")), middle.values().asMap());
    assertEquals(List.of("inner"), middle.next());
    ThreadState inner = middle.subgraphState(0);
    assertEquals(Map.of("items", List.of("in", "m")), inner.values().asMap());
    assertEquals(List.of("ask"), inner.next());

    Map<Object, String> ids = idsByValue(asked.interrupts());
    RunResult answered = result(client.run(Command.resume(Map.of(ids.get("q-2"), "deep", ids.get("solo?"), "top")),
        thread));
    assertEquals(RunStatus.SUCCESS, answered.status());
    assertEquals(List.of("in", "in", "m", "in", "m", "ans:deep", "solo:top"), answered.values().getList("items"));
  }

  /** LangGraph 1.2.12: answering only the subgraph's interrupt completes it and asks the other again. */
  @Test
  void answeringOnlyTheSubgraphsInterruptLeavesTheOtherPending(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, nestedWithSolo("partial"), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("2");
    RunResult asked = result(client.run(Map.of("items", List.of("in")), thread));
    RunResult partly = result(client.run(Command.resume(Map.of(idsByValue(asked.interrupts()).get("q-2"), "deep")),
        thread));
    assertEquals(RunStatus.INTERRUPTED, partly.status());
    assertEquals(List.of("solo?"), partly.interrupts().stream().map(i -> i.get("value")).toList());
    assertEquals(List.of("in", "in", "m", "in", "m", "ans:deep"), result(client.getState("2")).values().getList("items"),
        "the completed subgraph's writes are in the thread's state, as LangGraph shows them");
    assertEquals(List.of("solo"), result(client.getState("2")).next());
  }
}
