package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Streams as LangGraph 1.2.12 streams them (issue 10, class 6), for scenarios of test_pregel.py not covered by the
 * other stream tests: the {@code updates} chunk of a node that returns several Commands
 * ({@code test_multiple_updates}), and the {@code debug} stream's checkpoint events of a graph with a subgraph node
 * matching the thread's history ({@code test_debug_subgraphs}). Every expected value is the output of
 * src/test/resources/langgraph/stream_parity.py run against LangGraph 1.2.12 (its printed label is named).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class StreamParityTest {

  /** LangGraph's {@code Annotated[str, operator.add]}. */
  private static StateGraph concat(String name) {
    return new StateGraph(name).channel("foo", Channels.reducer((a, b) -> (String) a + b, ""));
  }

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static List<Object> chunks(Vertx vertx, GraphClient client, Map<String, Object> input, StreamMode mode) {
    List<Object> out = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(input, new RunOptions(), mode)))) {
      if (!event.isTerminal()) {
        out.add(mode == StreamMode.TASKS ? List.of(event.data().get("name"),
            event.data().containsKey("result") ? event.data().get("result") : "start") : event.data());
      }
    }
    return out;
  }

  /** Mirrors {@code test_pregel.py::test_multiple_updates} ("multiple_updates ..." lines). */
  @Test
  void aNodeReturningSeveralCommandsStreamsEachWriteOfTheChannelItWritesTwice(Vertx vertx) {
    CompiledGraph graph = concat("multi-updates")
        .addNode("node_a", state -> Future.succeededFuture(List.of(Command.ofUpdate(Map.of("foo", "a1")),
            Command.ofUpdate(Map.of("foo", "a2")))))
        .addNode("node_b", state -> Future.succeededFuture(Map.of("foo", "b")))
        .addEdge(START, "node_a").addEdge("node_a", "node_b").addEdge("node_b", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    Map<String, Object> input = Map.of("foo", "");

    assertEquals("a1a2b", result(client.invoke(input)).get("foo"));
    assertEquals(List.of(Map.of("node_a", List.of(Map.of("foo", "a1"), Map.of("foo", "a2"))),
        Map.of("node_b", Map.of("foo", "b"))), chunks(vertx, client, input, StreamMode.UPDATES));
    assertEquals(List.of(Map.of("foo", ""), Map.of("foo", "a1a2"), Map.of("foo", "a1a2b")),
        chunks(vertx, client, input, StreamMode.VALUES));
    assertEquals(List.of(List.of("node_a", "start"),
        List.of("node_a", Map.of("foo", Map.of("$writes", List.of("a1", "a2")))),
        List.of("node_b", "start"), List.of("node_b", Map.of("foo", "b"))),
        chunks(vertx, client, input, StreamMode.TASKS));
  }

  /**
   * A list of a Command, an update map and a goto-only Command; a node returning only a goto
   * ("mixed ...", "single-in-list ...", "goto-first ..." lines): the updates in write order, {@code {node: null}}
   * for a node that wrote nothing, one map when no channel is written twice.
   */
  @Test
  void updatesOfCommandListsAndGotoOnlyCommands(Vertx vertx) {
    CompiledGraph mixed = concat("multi-mixed")
        .addNode("a2", (state, ctx) -> Future.succeededFuture(List.of(Command.ofUpdate(Map.of("foo", "x")),
            Map.of("foo", "y"), Command.gotoNode("c2"))), new NodeOptions().setDestinations(List.of("c2")))
        .addNode("b2", state -> Future.succeededFuture(Map.of("foo", "b")))
        .addNode("c2", (state, ctx) -> Future.succeededFuture(Command.gotoNode("b2")),
            new NodeOptions().setDestinations(List.of("b2")))
        .addEdge(START, "a2").addEdge("b2", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, mixed)).client();
    Map<String, Object> input = Map.of("foo", "");
    assertEquals(List.of(Map.of("a2", List.of(Map.of("foo", "x"), Map.of("foo", "y"))),
        Collections.singletonMap("c2", null), Map.of("b2", Map.of("foo", "b"))),
        chunks(vertx, client, input, StreamMode.UPDATES));
    assertEquals("xyb", result(client.invoke(input)).get("foo"));

    CompiledGraph single = concat("multi-single")
        .addNode("a3", state -> Future.succeededFuture(List.of(Command.ofUpdate(Map.of("foo", "only")))))
        .addNode("a4", state -> Future.succeededFuture(List.of(Command.gotoNode(END),
            Command.ofUpdate(Map.of("foo", "z")))))
        .addEdge(START, "a3").addEdge("a3", "a4").compile();
    GraphClient singleClient = result(GraphRuntime.deploy(vertx, single)).client();
    assertEquals(List.of(Map.of("a3", Map.of("foo", "only")), Map.of("a4", Map.of("foo", "z"))),
        chunks(vertx, singleClient, input, StreamMode.UPDATES));
  }

  /**
   * Mirrors {@code test_pregel.py::test_debug_subgraphs} ("debug_subgraphs ..." lines): p_one, then a subgraph node
   * p_two (c_one -> c_two), over an append channel; the debug stream's checkpoint events, newest first, are the
   * thread's history (values, next, task names, configs), for every durability (under {@code exit} the history
   * holds the last checkpoint only, as LangGraph's).
   */
  @ParameterizedTest
  @EnumSource(Durability.class)
  void debugCheckpointEventsAreTheHistoryWithASubgraphNode(Durability durability, Vertx vertx) {
    String name = "debug-subgraphs-" + durability.wireName();
    CompiledGraph child = new StateGraph(name + "-child").channel("messages", Channels.append())
        .addNode("c_one", state -> Future.succeededFuture(Map.of("messages", List.of("entered c_one node"))))
        .addNode("c_two", state -> Future.succeededFuture(Map.of("messages", List.of("entered c_two node"))))
        .addEdge(START, "c_one").addEdge("c_one", "c_two").addEdge("c_two", END).compile();
    CompiledGraph parent = new StateGraph(name).channel("messages", Channels.append())
        .addNode("p_one", state -> Future.succeededFuture(Map.of("messages", List.of("entered p_one node"))))
        .addSubgraph("p_two", child)
        .addEdge(START, "p_one").addEdge("p_one", "p_two").addEdge("p_two", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, ThreadStateTest.MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1").setDurability(durability);

    List<Map<String, Object>> checkpoints = new ArrayList<>();
    List<Object> types = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(Map.of("messages", List.of()), thread,
        StreamMode.DEBUG)))) {
      if (!event.isTerminal()) {
        Map<String, Object> data = event.data();
        types.add(List.of(data.get("type"), data.get("step")));
        if (data.get("type").equals("checkpoint")) {
          checkpoints.add(0, cast(data.get("payload")));
        }
      }
    }
    assertEquals(List.of(List.of("checkpoint", -1), List.of("checkpoint", 0), List.of("task", 1),
        List.of("task_result", 1), List.of("checkpoint", 1), List.of("task", 2), List.of("task_result", 2),
        List.of("checkpoint", 2)), types);
    List<String> all = List.of("entered p_one node", "entered p_one node", "entered c_one node",
        "entered c_two node");
    assertEquals(List.of(map("values", Map.of("messages", all), "next", List.of(), "tasks", List.of()),
        map("values", Map.of("messages", List.of("entered p_one node")), "next", List.of("p_two"),
            "tasks", List.of("p_two")),
        map("values", Map.of("messages", List.of()), "next", List.of("p_one"), "tasks", List.of("p_one")),
        map("values", Map.of("messages", List.of()), "next", List.of(START), "tasks", List.of(START))),
        seen(checkpoints));

    List<ThreadState> history = result(client.getStateHistory("1", 100, null));
    List<Map<String, Object>> kept = durability == Durability.EXIT ? checkpoints.subList(0, 1) : checkpoints;
    assertEquals(kept.size(), history.size());
    for (int i = 0; i < history.size(); i++) {
      ThreadState state = history.get(i);
      Map<String, Object> event = kept.get(i);
      assertEquals(event.get("values"), state.values().asMap());
      assertEquals(event.get("next"), state.next());
      List<Object> names = new ArrayList<>();
      state.tasks().forEach(task -> names.add(task.get("node")));
      assertEquals(seen(List.of(event)).get(0).get("tasks"), names);
      assertEquals(cast(event.get("metadata")).get("step"), state.step());
      assertEquals(cast(event.get("metadata")).get("source"), state.source().wireName());
      assertEquals(cast(cast(event.get("config")).get("configurable")).get("checkpoint_id"), state.checkpointId());
      Object parentConfig = event.get("parent_config");
      assertEquals(parentConfig == null ? null : cast(cast(parentConfig).get("configurable")).get("checkpoint_id"),
          durability == Durability.EXIT ? parentOfLast(checkpoints) : state.parentCheckpointId());
    }
  }

  /** The last checkpoint event's parent as its event says (under exit, the history does not hold that parent). */
  private static Object parentOfLast(List<Map<String, Object>> checkpoints) {
    Object parentConfig = checkpoints.get(0).get("parent_config");
    return parentConfig == null ? null : cast(cast(parentConfig).get("configurable")).get("checkpoint_id");
  }

  private static List<Map<String, Object>> seen(List<Map<String, Object>> checkpoints) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> payload : checkpoints) {
      List<Object> names = new ArrayList<>();
      for (Object task : (List<?>) payload.get("tasks")) {
        names.add(cast(task).get("name"));
      }
      out.add(map("values", payload.get("values"), "next", payload.get("next"), "tasks", names));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object value) {
    return (Map<String, Object>) value;
  }
}
