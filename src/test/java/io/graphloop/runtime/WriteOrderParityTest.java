package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The order of a step's writes as LangGraph 1.2.12 applies them ({@code _algo.py}'s {@code apply_writes} sorts pull
 * tasks before push tasks): the edge-triggered tasks' writes first (declaration order here equals name order, so
 * Graphloop's documented rule and LangGraph's sort agree), then every Send task's in the order the Sends were
 * produced: by the producing tasks in that same order, a task's Command goto Sends before its edges', and Sends made
 * by Send tasks after those made by edge-triggered ones. Like {@code test_send_sequences} of {@code test_pregel.py}
 * (ported in {@link SendStreamTest}); {@code test_concurrent_emit_sends}, {@code test_cond_edge_after_send} and
 * {@code test_conditional_entrypoint_to_multiple_state_graph} are ported here; the expected values are the output of
 * src/test/resources/langgraph/write_order.py run against LangGraph 1.2.12. Node delays make the tasks finish in the
 * opposite order, so arrival order would give another answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class WriteOrderParityTest {

  private static final Map<String, Object> EMPTY = Map.of("value", List.of());

  private static Object last(State state) {
    List<Object> value = state.getList("value");
    return value.get(value.size() - 1);
  }

  /** A node that appends {@code write(state)} after {@code delayMs}. */
  private static io.graphloop.graph.AsyncNode slow(Vertx vertx, long delayMs,
                                                   java.util.function.Function<State, Object> write) {
    return (state, ctx) -> {
      io.vertx.core.Promise<Object> done = io.vertx.core.Promise.promise();
      vertx.setTimer(delayMs, id -> done.complete(Map.of("value", List.of(write.apply(state)))));
      return done.future();
    };
  }

  private static List<Object> run(Vertx vertx, CompiledGraph graph) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    return result(client.invoke(EMPTY)).getList("value");
  }

  @Test
  void sendTasksWriteAfterTheEdgeTriggeredTaskOfTheSameStep(Vertx vertx) {
    CompiledGraph graph = new StateGraph("wo-edge-and-send").channel("value", Channels.append())
        .addNode("a", state -> Future.succeededFuture(Map.of("value", List.of("a"))))
        .addNode("b", slow(vertx, 150, state -> "b"))
        .addNode("w", slow(vertx, 5, state -> "w:" + last(state)))
        .addEdge(START, "a").addEdge("a", "b")
        .addConditionalEdges("a", state -> List.of(new Send("w", Map.of("value", List.of("x"))),
            new Send("w", Map.of("value", List.of("y")))), List.of("w"))
        .addEdge("b", END).addEdge("w", END)
        .compile();
    assertEquals(List.of("a", "b", "w:x", "w:y"), run(vertx, graph));
  }

  @Test
  void sendsKeepTheOrderOfTheTasksThatProducedThem(Vertx vertx) {
    CompiledGraph graph = new StateGraph("wo-two-producers").channel("value", Channels.append())
        .addNode("p", state -> Future.succeededFuture(Command.of(Map.of("value", List.of("p")),
            List.of(new Send("w", Map.of("value", List.of("from-p-1"))),
                new Send("w", Map.of("value", List.of("from-p-2")))))))
        .addNode("q", slow(vertx, 5, state -> "q"))
        .addNode("r", slow(vertx, 150, state -> "r"))
        .addNode("w", (state, ctx) -> {
          String arg = String.valueOf(last(state));
          io.vertx.core.Promise<Object> done = io.vertx.core.Promise.promise();
          // the first Send finishes last
          vertx.setTimer(arg.equals("from-p-1") ? 120 : 5, id -> done.complete(Map.of("value", List.of("w:" + arg))));
          return done.future();
        })
        .addEdge(START, "p").addEdge(START, "q").addEdge("p", "r")
        .addConditionalEdges("q", state -> List.of(new Send("w", Map.of("value", List.of("from-q"))), "r"),
            List.of("w", "r"))
        .addEdge("r", END).addEdge("w", END)
        .compile();
    assertEquals(List.of("p", "q", "r", "w:from-p-1", "w:from-p-2", "w:from-q"), run(vertx, graph));
  }

  @Test
  void sendsMadeBySendTasksFollowTheEdgeTriggeredTasksSends(Vertx vertx) {
    CompiledGraph graph = new StateGraph("wo-nested").channel("value", Channels.append())
        .addNode("a", state -> Future.succeededFuture(Map.of("value", List.of("a"))))
        .addNode("m", slow(vertx, 5, state -> "m:" + last(state)))
        .addNode("v", (state, ctx) -> {
          String arg = String.valueOf(last(state));
          io.vertx.core.Promise<Object> done = io.vertx.core.Promise.promise();
          vertx.setTimer(arg.endsWith(".a") ? 100 : 5, id -> done.complete(Map.of("value", List.of("v:" + arg))));
          return done.future();
        })
        .addNode("z", slow(vertx, 120, state -> "z"))
        .addEdge(START, "a")
        .addConditionalEdges("a", state -> List.of(new Send("m", Map.of("value", List.of("1"))),
            new Send("m", Map.of("value", List.of("2"))), "z"), List.of("m", "z"))
        .addConditionalEdges("m", state -> List.of(new Send("v", Map.of("value", List.of(last(state) + ".a"))),
            new Send("v", Map.of("value", List.of(last(state) + ".b")))), List.of("v"))
        .addEdge("z", "v").addEdge("v", END)
        .compile();
    assertEquals(List.of("a", "z", "m:1", "m:2", "v:m:2", "v:m:1.a", "v:m:1.b", "v:m:2.a", "v:m:2.b"),
        run(vertx, graph));
  }

  /** Appends the node's name, or "name|arg" when a Send gave it a bare (not a map) argument. */
  private static io.graphloop.graph.AsyncNode named(String name) {
    return (state, ctx) -> Future.succeededFuture(Map.of("value",
        List.of(state.arg() instanceof Map ? name : name + "|" + state.arg())));
  }

  /**
   * test_concurrent_emit_sends (the state a map of one append channel): two nodes of one step emit Sends with bare
   * arguments and an edge; the edge-triggered 3.1 writes first, then the Sends of 1 and of 1.1 in that order.
   */
  @Test
  void concurrentEmitSends(Vertx vertx) {
    StateGraph graph = new StateGraph("wo-concurrent-emit").channel("value", Channels.append());
    for (String node : List.of("1", "1.1", "2", "3", "3.1")) {
      graph.addNode(node, named(node));
    }
    graph.addEdge(START, "1").addEdge(START, "1.1")
        .addConditionalEdges("1", state -> List.of(new Send("2", 1), new Send("2", 2), "3.1"))
        .addConditionalEdges("1.1", state -> List.of(new Send("2", 3), new Send("2", 4)))
        .addConditionalEdges("2", state -> "3", List.of("3"));
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    assertEquals(List.of("0", "1", "1.1", "3.1", "2|1", "2|2", "2|3", "2|4", "3"),
        result(client.invoke(Map.of("value", List.of("0")))).getList("value"));
  }

  /** test_cond_edge_after_send: two Send tasks of one node route to the same node, which runs once. */
  @Test
  void condEdgeAfterSend(Vertx vertx) {
    StateGraph graph = new StateGraph("wo-cond-after-send").channel("value", Channels.append());
    for (String node : List.of("1", "2", "3")) {
      graph.addNode(node, named(node));
    }
    graph.addEdge(START, "1")
        .addConditionalEdges("1", state -> List.of(new Send("2", state.asMap()), new Send("2", state.asMap())))
        .addConditionalEdges("2", state -> "3", List.of("3"));
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    assertEquals(List.of("0", "1", "2", "2", "3"), result(client.invoke(Map.of("value", List.of("0")))).getList("value"));
  }

  /** test_conditional_entrypoint_to_multiple_state_graph: Sends from START, their writes in the Sends' order. */
  @Test
  void conditionalEntrypointToMultipleSends(Vertx vertx) {
    CompiledGraph graph = new StateGraph("wo-entry-sends").strictChannels()
        .channel("locations", Channels.lastValue()).channel("results", Channels.append())
        .addNode("get_weather", (state, ctx) -> {
          String location = state.getString("location");
          io.vertx.core.Promise<Object> done = io.vertx.core.Promise.promise();
          // the first Send finishes last
          vertx.setTimer(location.equals("sf") ? 100 : 5, id -> done.complete(Map.of("results",
              List.of("It's " + (location.length() > 2 ? "sunny" : "cloudy") + " in " + location))));
          return done.future();
        })
        .addEdge("get_weather", END)
        .addConditionalEdges(START, state -> state.getList("locations").stream()
            .map(location -> new Send("get_weather", Map.of("location", location))).toList(), List.of("get_weather"))
        .compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    assertEquals(Map.of("locations", List.of("sf", "nyc"), "results", List.of("It's cloudy in sf", "It's sunny in nyc")),
        result(client.invoke(Map.of("locations", List.of("sf", "nyc")))).asMap());
  }
}
