package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.Command;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channel;
import io.graphloop.state.Channels;
import io.graphloop.state.Overwrite;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph's {@code Overwrite} (bypass a reducer for one write) through the deployed runtime. Mirrors the
 * {@code Overwrite} docstring example of LangGraph's {@code types.py} and its Overwrite tests of
 * {@code test_pregel.py} (BinaryOperatorAggregate with Overwrite, two Overwrites in one super-step). Every expected
 * value was produced by LangGraph 1.2.12 running {@code src/test/resources/langgraph/overwrite.py} (its printed
 * line number is named in each test).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OverwriteTest {

  private static final Channel SUM = Channels.reducer((a, b) -> ((Number) a).intValue() + ((Number) b).intValue());

  private static StateGraph graph(String name) {
    return new StateGraph(name).channel("messages", Channels.append()).channel("total", SUM);
  }

  private static GraphClient deploy(Vertx vertx, StateGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
  }

  /** The docstring example: without Overwrite, ["START", "a", "b"]; with it, ["b"] (line 1). */
  @Test
  void anOverwriteReplacesTheAppendedListInsteadOfAppending(Vertx vertx) {
    GraphClient client = deploy(vertx, graph("ow-doc")
        .addNode("node_a", state -> Future.succeededFuture(Map.of("messages", List.of("a"))))
        .addNode("node_b", state -> Future.succeededFuture(Map.of("messages", new Overwrite(List.of("b")))))
        .addEdge(START, "node_a").addEdge("node_a", "node_b").addEdge("node_b", END));
    assertEquals(List.of("b"), result(client.invoke(Map.of("messages", List.of("START")))).getList("messages"));
  }

  /** Plain writes of the same step are dropped whatever their order (line 2, both declaration orders). */
  @Test
  void anOverwriteWinsOverPlainWritesOfTheSameStepInEitherOrder(Vertx vertx) {
    for (List<String> order : List.of(List.of("x", "o"), List.of("o", "x"))) {
      StateGraph graph = graph("ow-par-" + String.join("", order));
      for (String node : order) {
        graph.addNode(node, state -> Future.succeededFuture(node.equals("x")
            ? Map.of("messages", List.of("x"), "total", 5)
            : Map.of("messages", new Overwrite(List.of("o")), "total", new Overwrite(100))));
        graph.addEdge(START, node).addEdge(node, END);
      }
      State state = result(deploy(vertx, graph).invoke(Map.of("messages", List.of("in"), "total", 1)));
      assertEquals(List.of("o"), state.getList("messages"), "order " + order);
      assertEquals(100, state.getInteger("total"), "order " + order);
    }
  }

  /** LangGraph: InvalidUpdateError "Can receive only one Overwrite value per super-step." (line 3). */
  @Test
  void twoOverwritesOfOneChannelInOneStepFailTheRunNamingChannelAndWriters(Vertx vertx) {
    GraphClient client = deploy(vertx, graph("ow-two")
        .addNode("p", state -> Future.succeededFuture(Map.of("messages", new Overwrite(List.of("p")))))
        .addNode("q", state -> Future.succeededFuture(Map.of("messages", new Overwrite(List.of("q")))))
        .addEdge(START, "p").addEdge(START, "q").addEdge("p", END).addEdge("q", END));
    InvalidUpdateException e = assertInstanceOf(InvalidUpdateException.class,
        failure(client.invoke(Map.of("messages", List.of()))));
    assertTrue(e.getMessage().contains("Can receive only one Overwrite value per super-step"), e.getMessage());
    assertEquals("messages", e.channel());
    assertEquals(List.of("p", "q"), e.writers());
  }

  /** Both of LangGraph's JSON forms are Overwrites too, so one crossing a JVM keeps its meaning (line 4). */
  @Test
  void langGraphsTwoJsonFormsAreOverwrites(Vertx vertx) {
    GraphClient client = deploy(vertx, graph("ow-json")
        .addNode("d", state -> Future.succeededFuture(Map.of("messages", Map.of("__overwrite__", List.of("d")))))
        .addNode("e", state -> Future.succeededFuture(Map.of("total", Map.of("type", "__overwrite__", "value", 7))))
        .addEdge(START, "d").addEdge("d", "e").addEdge("e", END));
    State state = result(client.invoke(Map.of("messages", List.of("in"), "total", 3)));
    assertEquals(List.of("d"), state.getList("messages"));
    assertEquals(7, state.getInteger("total"));
  }

  /** A Command's update, and Overwrite(None), follow the same rule (lines 7 and 9). */
  @Test
  void aCommandsUpdateMayOverwriteAndAnOverwriteWithNullStoresNull(Vertx vertx) {
    GraphClient client = deploy(vertx, graph("ow-cmd")
        .addNode("c", (state, ctx) -> Future.succeededFuture(Command.gotoNode("f")
            .update(Map.of("messages", new Overwrite(List.of("cmd"))))), new NodeOptions().setDestinations(List.of("f")))
        .addNode("f", state -> Future.succeededFuture(Map.of("messages", List.of("f"))))
        .addEdge(START, "c").addEdge("f", END));
    assertEquals(List.of("cmd", "f"), result(client.invoke(Map.of("messages", List.of("in")))).getList("messages"));

    GraphClient nulls = deploy(vertx, graph("ow-null")
        .addNode("n", state -> Future.succeededFuture(Map.of("messages", new Overwrite(null))))
        .addEdge(START, "n").addEdge("n", END));
    State state = result(nulls.invoke(Map.of("messages", List.of("in"))));
    assertTrue(state.has("messages"));
    assertNull(state.get("messages"));
  }

  /** On a thread: an Overwrite as a run's input and through updateState (lines 8, 8b, 11, 11b). */
  @Test
  void anOverwriteInARunsInputOrInUpdateStateReplacesTheStoredList(Vertx vertx) {
    GraphClient client = deploy(vertx, graph("ow-thread")
        .addNode("node_a", state -> Future.succeededFuture(Map.of("messages", List.of("a"))))
        .addEdge(START, "node_a").addEdge("node_a", END));
    RunOptions thread = new RunOptions().setThreadId("t1");
    assertEquals(List.of("in", "a"), result(client.invoke(Map.of("messages", List.of("in")), thread))
        .getList("messages"));
    assertEquals(List.of("fresh", "a"), result(client.invoke(Map.of("messages", new Overwrite(List.of("fresh"))),
        thread)).getList("messages"));

    result(client.updateState("t1", Map.of("messages", new Overwrite(List.of("upd"))), null));
    assertEquals(List.of("upd"), result(client.getState("t1")).values().getList("messages"));
    result(client.updateState("t1", Map.of("messages", List.of("more")), null));
    assertEquals(List.of("upd", "more"), result(client.getState("t1")).values().getList("messages"));
  }

  /**
   * The updates stream shows the write as LangGraph's JSON form of the dataclass, {"value": [...], "type":
   * "__overwrite__"} (line 10); a last-value channel stores the wrapped value (LangGraph stores the Overwrite object
   * there, line 6: a listed difference).
   */
  @Test
  void theUpdatesStreamShowsLangGraphsJsonFormAndALastValueChannelStoresTheValue(Vertx vertx) {
    GraphClient client = deploy(vertx, graph("ow-stream")
        .addNode("node_a", state -> Future.succeededFuture(Map.of("messages", List.of("a"))))
        .addNode("node_b", state -> Future.succeededFuture(Map.of("messages", new Overwrite(List.of("b")),
            "last", new Overwrite("v"))))
        .addEdge(START, "node_a").addEdge("node_a", "node_b").addEdge("node_b", END));
    List<StreamEvent> events = result(StreamCollector.collect(vertx,
        () -> client.stream(Map.of("messages", List.of("START")), new RunOptions(), StreamMode.UPDATES)));
    List<Object> updates = events.stream().filter(e -> e.event().wireName().equals("updates")).map(e -> (Object) e.data())
        .toList();
    Map<String, Object> overwrite = new HashMap<>();
    overwrite.put("value", List.of("b"));
    overwrite.put("type", "__overwrite__");
    Map<String, Object> lastValue = Map.of("value", "v", "type", "__overwrite__");
    assertEquals(Arrays.asList(Map.of("node_a", Map.of("messages", List.of("a"))),
        Map.of("node_b", Map.of("messages", overwrite, "last", lastValue))), updates);
    Map<?, ?> values = (Map<?, ?>) events.get(events.size() - 1).data().get("values");
    assertEquals(List.of("b"), values.get("messages"));
    assertEquals("v", values.get("last"));
  }
}
