package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Addresses;
import io.graphloop.run.ThreadState;
import io.graphloop.run.ThreadUpdate;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * {@code updateState} as LangGraph 1.2.12's {@code update_state}: which tasks are due after an update. Expected values
 * were produced by running the same graphs on LangGraph 1.2.12 (InMemorySaver).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class UpdateStateParityTest {

  private static StateGraph appending(String name, String... nodes) {
    StateGraph graph = new StateGraph(name).channel("value", Channels.append());
    for (String node : nodes) {
      graph.addNode(node, state -> Future.succeededFuture(Map.of("value", node)));
    }
    return graph;
  }

  private static List<String> split(String names) {
    return names.isEmpty() ? List.of() : Arrays.asList(names.split(" "));
  }

  /**
   * Mirrors test_pregel.py::test_in_one_fan_out_state_graph_waiting_edge (interrupt_before qa, then update_state:
   * qa stays due): START -> a -> (b, c) -> join [b, c] -> d, interrupted before d, updated as {@code asNode}. The join
   * fired and d has not run, so d stays due whatever node the update counts as; an update as a also makes b and c due,
   * and once they have run again the join fires again.
   */
  @ParameterizedTest
  @CsvSource({
      "b, d,     3, in a b c u d,     '',  in a b c u d",
      "c, d,     3, in a b c u d,     '',  in a b c u d",
      "d, d,     3, in a b c u d,     '',  in a b c u d",
      "a, b c d, 3, in a b c u b c d, d,   in a b c u b c d d"})
  void anUpdateAtAWaitingJoinKeepsItsTargetDue(String asNode, String next, int step, String firstRun,
                                               String nextAfter, String secondRun, Vertx vertx) {
    CompiledGraph graph = appending("join-update-" + asNode, "a", "b", "c", "d")
        .addEdge(START, "a").addEdge("a", "b").addEdge("a", "c").addEdge(List.of("b", "c"), "d").addEdge("d", END)
        .interruptBefore("d").compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t");
    result(client.run(Map.of("value", List.of("in")), thread));
    assertEquals(List.of("d"), result(client.getState("t")).next());

    ThreadState updated = result(client.updateState("t", Map.of("value", List.of("u")), asNode));
    assertEquals(split(next), updated.next());
    assertEquals(step, updated.step());
    assertEquals("update", updated.source().wireName());
    assertEquals(split(firstRun), result(client.proceed(thread)).values().getList("value"));
    assertEquals(split(nextAfter), result(client.getState("t")).next());
    assertEquals(split(secondRun), result(client.proceed(thread)).values().getList("value"));
  }

  /**
   * An update at a checkpoint whose task is due by a plain edge replaces that task by the update node's successors
   * (LangGraph's update clears the edge's one-step channel): START -> a -> b -> c, updated at the checkpoint where b
   * is due.
   */
  @ParameterizedTest
  @CsvSource({
      "a, b,  in a u b c",
      "b, c,  in a u c",
      "c, '', in a u"})
  void anUpdateReplacesTheTasksDueByAnEdge(String asNode, String next, String continued, Vertx vertx) {
    CompiledGraph graph = appending("edge-update-" + asNode, "a", "b", "c")
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", "c").addEdge("c", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t");
    result(client.run(Map.of("value", List.of("in")), thread));
    ThreadState beforeB = result(client.getStateHistory("t", 0, null)).stream()
        .filter(s -> s.next().equals(List.of("b"))).findFirst().orElseThrow();

    ThreadState updated = result(client.updateState("t", beforeB.checkpointId(), Map.of("value", List.of("u")),
        asNode));
    assertEquals(split(next), updated.next());
    assertEquals(2, updated.step());
    assertEquals(split(continued), result(client.proceed(thread)).values().getList("value"));
  }

  /**
   * An update at the step of a fan-out, as one of the fanned-out nodes: the join has seen only that node, and the
   * other node's edge task is gone, so nothing is due (LangGraph 1.2.12 gives next=() and the same values).
   */
  @ParameterizedTest
  @CsvSource({
      "b, '',  in a u",
      "a, b c, in a u b c d"})
  void anUpdateAtAFanOut(String asNode, String next, String continued, Vertx vertx) {
    CompiledGraph graph = appending("fan-update-" + asNode, "a", "b", "c", "d")
        .addEdge(START, "a").addEdge("a", "b").addEdge("a", "c").addEdge(List.of("b", "c"), "d").addEdge("d", END)
        .compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t");
    result(client.run(Map.of("value", List.of("in")), thread));
    ThreadState fanOut = result(client.getStateHistory("t", 0, null)).stream()
        .filter(s -> s.next().equals(List.of("b", "c"))).findFirst().orElseThrow();

    ThreadState updated = result(client.updateState("t", fanOut.checkpointId(), Map.of("value", List.of("u")),
        asNode));
    assertEquals(split(next), updated.next());
    assertEquals(split(continued), result(client.proceed(thread)).values().getList("value"));
  }

  /**
   * Mirrors test_pregel.py::test_bulk_state_updates: one checkpoint per superstep, a superstep's updates written
   * together and planned as if their nodes had run in one step; the refusals. Values, next, steps and the number of
   * checkpoints are LangGraph 1.2.12's.
   */
  @Test
  void bulkUpdateStateAppliesEachSuperstepAsOneCheckpoint(Vertx vertx) {
    CompiledGraph graph = new StateGraph("bulk")
        .addNode("node_a", state -> Future.succeededFuture(Map.of("foo", "bar")))
        .addNode("node_b", state -> Future.succeededFuture(Map.of("baz", "qux")))
        .addEdge(START, "node_a").addEdge("node_a", "node_b").addEdge("node_b", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();

    ThreadState first = result(client.bulkUpdateState("1", null,
        List.of(List.of(ThreadUpdate.of(Map.of("foo", "bar"), "node_a")))));
    assertEquals(List.of(Map.of("foo", "bar"), List.of("node_b"), 0, "update"),
        List.of(first.values().asMap(), first.next(), first.step(), first.source().wireName()));
    ThreadState both = result(client.bulkUpdateState("1", null, List.of(List.of(
        ThreadUpdate.of(Map.of("foo", "updated"), "node_a"), ThreadUpdate.of(Map.of("baz", "new"), "node_b")))));
    assertEquals(List.of(Map.of("foo", "updated", "baz", "new"), List.of("node_b"), 1, "update"),
        List.of(both.values().asMap(), both.next(), both.step(), both.source().wireName()));
    assertEquals(2, result(client.getStateHistory("1", 0, null)).size(), "one checkpoint per superstep");
    assertEquals(Map.of("foo", "updated", "baz", "qux"),
        result(client.proceed(new RunOptions().setThreadId("1"))).values().asMap());

    result(client.bulkUpdateState("2", null, List.of(
        List.of(ThreadUpdate.of(Map.of("foo", "bar"), "node_a")),
        List.of(ThreadUpdate.of(Map.of("foo", "updated"), "node_a"), ThreadUpdate.of(Map.of("baz", "new"), "node_b")))));
    List<ThreadState> history = result(client.getStateHistory("2", 0, null));
    assertEquals(List.of(
            List.of(Map.of("foo", "updated", "baz", "new"), List.of("node_b"), 1, "update"),
            List.of(Map.of("foo", "bar"), List.of("node_b"), 0, "update")),
        history.stream().map(s -> List.of(s.values().asMap(), s.next(), s.step(), s.source().wireName())).toList());
    assertEquals(history.get(1).checkpointId(), history.get(0).parentCheckpointId());

    for (List<List<ThreadUpdate>> bad : List.<List<List<ThreadUpdate>>>of(
        List.of(List.of(ThreadUpdate.of(Map.of("foo", "error"), null), ThreadUpdate.of(Map.of("bar", "error"), null))),
        List.of(), List.of(List.of(), List.of()),
        List.of(List.of(ThreadUpdate.of(null, END), ThreadUpdate.of(null, "__copy__"))))) {
      GraphloopException failure = assertInstanceOf(GraphloopException.class,
          Await.failure(client.bulkUpdateState("2", null, bad)));
      assertEquals(FailureCode.BAD_REQUEST, failure.code(), failure.getMessage());
    }
    assertEquals(2, result(client.getStateHistory("2", 0, null)).size(), "a refused bulk update saves nothing");
  }

  /** The JSON form of a bulk update on the event bus, as a non-Java client sends it. */
  @Test
  void bulkUpdateOverTheEventBusAsJson(Vertx vertx) {
    CompiledGraph graph = appending("bulk-json", "a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", END)
        .compile();
    result(GraphRuntime.deploy(vertx, graph, MEMORY));
    JsonObject request = new JsonObject().put("op", "bulkUpdate").put("threadId", "t").put("supersteps",
        new JsonArray().add(new JsonArray().add(new JsonObject().put("values", new JsonObject().put("value", "x"))
            .put("asNode", "a"))).add(new JsonArray()
            .add(new JsonObject().put("values", new JsonObject().put("value", "y")).put("asNode", "a"))
            .add(new JsonObject().put("values", new JsonObject().put("value", "z")).put("asNode", "b"))));
    JsonObject state = (JsonObject) result(vertx.eventBus().request(Addresses.threads("bulk-json"), request)).body();
    assertEquals(new JsonArray().add("x").add("y").add("z"), state.getJsonObject("values").getJsonArray("value"));
    assertEquals(new JsonArray().add("b"), state.getJsonArray("next"));
    assertEquals(1, state.getInteger("step"));
  }
}
