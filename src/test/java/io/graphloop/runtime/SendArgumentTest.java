package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sends whose argument is not a map (LangGraph's {@code Send("node", 3)}, as test_pregel.py's Send tests use
 * plain values for arguments): the node gets the argument itself from
 * {@link State#arg()}, and the tasks stream shows it as the task's input. Expected values were produced by
 * LangGraph 1.2.12 running {@code src/test/resources/langgraph/send_arguments.py}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SendArgumentTest {

  /** The arguments of send_arguments.py, in its order: 3, "x", [1, 2], None, {"k": 1}, 2.5. */
  private static final List<Object> ARGS = Arrays.asList(3, "x", List.of(1, 2), null, Map.of("k", 1), 2.5);

  private static StateGraph graph(String name, boolean byCommand) {
    StateGraph graph = new StateGraph(name).channel("items", Channels.append())
        .addNode("n", state -> Future.succeededFuture(Map.of("items", Arrays.asList(state.arg()))))
        .addEdge(START, "start").addEdge("n", END);
    List<Send> sends = ARGS.stream().map(arg -> new Send("n", arg)).toList();
    if (byCommand) {
      return graph.addNode("start", (state, ctx) -> Future.succeededFuture(Command.send(sends)
          .update(Map.of("items", List.of("start")))), new NodeOptions().setDestinations(List.of("n")));
    }
    return graph.addNode("start", state -> Future.succeededFuture(Map.of("items", List.of("start"))))
        .addConditionalEdges("start", state -> sends);
  }

  /** Line 1 of send_arguments.py: ['start', 3, 'x', [1, 2], None, {'k': 1}, 2.5]. */
  @Test
  void aNodeSentAPlainValueReceivesThatValueFromARouterOrACommand(Vertx vertx) {
    List<Object> expected = new java.util.ArrayList<>(List.of("start"));
    expected.addAll(ARGS);
    for (boolean byCommand : List.of(false, true)) {
      GraphClient client = result(GraphRuntime.deploy(vertx, graph("send-arg-" + byCommand, byCommand).compile(),
          MEMORY)).client();
      State state = result(client.invoke(Map.of("items", List.of()), new RunOptions().setThreadId("t")));
      assertEquals(expected, state.getList("items"), byCommand ? "Sends of a Command" : "Sends of a router");
    }
  }

  /** Lines "2" of send_arguments.py: each push task's input in the tasks stream is its argument. */
  @Test
  void theTasksStreamShowsEachPushTasksArgumentAsItsInput(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph("send-arg-stream", false).compile())).client();
    List<StreamEvent> events = result(StreamCollector.collect(vertx,
        () -> client.stream(Map.of("items", List.of()), new RunOptions(), StreamMode.TASKS)));
    List<Object> inputs = events.stream()
        .filter(e -> e.event().wireName().equals("tasks") && "n".equals(e.node()) && e.data().containsKey("input"))
        .map(e -> e.data().get("input")).toList();
    assertEquals(ARGS, inputs);
  }

  @Test
  void aSendKeepsItsArgumentAndAMapArgumentIsTheNodesState() {
    assertEquals(3, new Send("n", 3).arg());
    assertEquals(null, new Send("n", (Object) null).arg());
    assertEquals(Map.of("k", 1), new Send("n", (Object) Map.of("k", 1)).input(), "a map given as Object is the state");
    assertEquals(List.of("a"), State.of(new Send("n", List.of("a")).frozen("test").input()).arg());
    assertEquals(Map.of("k", 1), State.of(Map.of("k", 1)).arg(), "a plain state's arg() is the state itself");
  }
}
