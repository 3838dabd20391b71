package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
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
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node's write to a key outside the state schema, as LangGraph 1.2.12 treats it: with a schema (LangGraph's
 * TypedDict state; Graphloop's {@code strictChannels()} graphs and typed graphs, which are strict) the key is dropped
 * without an error, from the state, from the {@code updates} chunk (a node that wrote only such keys streams
 * {@code {node: null}}), from a Command's update and from {@code updateState}; without one (LangGraph's
 * {@code StateGraph(dict)}, Graphloop's default graphs) every key is a channel. Expected values were produced by
 * LangGraph 1.2.12 with {@code src/test/resources/langgraph/outside_schema.py}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OutsideSchemaTest {

  /** START -> n -> m -> END; n writes a, items and the undeclared zzz; m writes only zzz. */
  private static StateGraph graph(String name) {
    return new StateGraph(name)
        .channel("a", Channels.lastValue()).channel("items", Channels.append())
        .addNode("n", state -> Future.succeededFuture(Map.of("a", state.getString("a") + "!", "zzz", 1,
            "items", List.of("x"))))
        .addNode("m", state -> Future.succeededFuture(Map.of("zzz", 2)))
        .addEdge(START, "n").addEdge("n", "m").addEdge("m", END);
  }

  @Test
  void aStrictGraphDropsKeysOutsideItsChannelsAsLangGraphsTypedDictState(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph("outside-strict").strictChannels().compile(),
        MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");

    // typed result {'a': 'hi!', 'items': ['x']}
    assertEquals(Map.of("a", "hi!", "items", List.of("x")),
        result(client.run(Map.of("a", "hi", "items", List.of()), thread)).values().asMap());

    // updates [{'n': {'a': 'hi!', 'items': ['x']}}, {'m': None}]
    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Map.of("a", "hi", "items", List.of()),
        new RunOptions().setThreadId("2"), StreamMode.UPDATES)));
    List<Object> updates = new ArrayList<>();
    events.stream().filter(e -> e.event().wireName().equals("updates")).forEach(e -> updates.add(e.data()));
    assertEquals(List.of(Map.of("n", Map.of("a", "hi!", "items", List.of("x"))), Collections.singletonMap("m", null)),
        updates);

    // update_state {'a': 'hi!', 'items': ['x']}
    result(client.updateState("1", Map.of("zzz", 3), null));
    assertEquals(Map.of("a", "hi!", "items", List.of("x")), result(client.getState("1")).values().asMap());
  }

  /** LangGraph: {@code command {'a': 'c', 'items': []} [{'c': {'a': 'c'}}]}. */
  @Test
  void aCommandsUpdateOutsideTheChannelsIsDroppedToo(Vertx vertx) {
    CompiledGraph graph = new StateGraph("outside-command").strictChannels()
        .channel("a", Channels.lastValue()).channel("items", Channels.append())
        .addNode("c", state -> Future.succeededFuture(Command.ofUpdate(Map.of("zzz", 9, "a", "c"))))
        .addEdge(START, "c").addEdge("c", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();

    assertEquals(Map.of("a", "c", "items", List.of()), result(client.run(Map.of("a", "hi"), new RunOptions()))
        .values().asMap());
    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Map.of("a", "hi"), new RunOptions(),
        StreamMode.UPDATES)));
    assertEquals(Map.of("c", Map.of("a", "c")), events.get(0).data());
  }

  /**
   * LangGraph's {@code StateGraph(dict)} keeps the key ({@code dict result {'a': 'hi!', 'zzz': 1, 'items': ['x']}},
   * with n alone); here m writes zzz after n.
   */
  @Test
  void aGraphWithoutAClosedSchemaTakesEveryKey(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph("outside-open").compile())).client();
    assertEquals(Map.of("a", "hi!", "zzz", 2, "items", List.of("x")),
        result(client.run(Map.of("a", "hi", "items", List.of()), new RunOptions())).values().asMap());
  }
}
