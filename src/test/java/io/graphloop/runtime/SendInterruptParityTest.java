package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.ThreadState;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.list;
import static io.graphloop.runtime.Parity.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sends planned by a router (or by a node's Command), stopped at a breakpoint before their node and changed by an
 * update of the state: an update as the router's node plans its Sends again from the new state (none, or a new one),
 * while Sends a node returned in a Command are not planned again. Mirrors test_large_cases.py's
 * {@code test_send_react_interrupt} and {@code test_send_react_interrupt_control} with a plain "calls" list in place of
 * the messages; the expected values are the lines src/test/resources/langgraph/send_interrupt_parity.py prints.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SendInterruptParityTest {

  private static final Map<String, Object> CALL = map("name", "foo", "args", map("hi", List.of(1, 2, 3)), "id", "c1");
  private static final Map<String, Object> EMPTY = map("calls", List.of(), "results", List.of());

  private static StateGraph graph(String name, List<Object> called) {
    return new StateGraph(name).strictChannels()
        .channel("calls", Channels.lastValue()).channel("results", Channels.append())
        .addNode("foo", call -> {
          called.add(call.get("id"));
          return Future.succeededFuture(Map.of("results", List.of(call.get("id") + ":" + args(call))));
        });
  }

  /** Python's {@code json.dumps} of the call's {@code {"hi": [...]}}. */
  private static String args(State call) {
    return "{\"hi\": " + ((Map<?, ?>) call.get("args")).get("hi") + "}";
  }

  private static Map<String, Object> snapshot(GraphClient client, String thread) {
    ThreadState state = result(client.getState(thread));
    return map("values", state.values().asMap(), "next", state.next(),
        "tasks", state.tasks().stream().map(task -> task.get("node")).toList(), "source", state.source().wireName(),
        "step", state.step());
  }

  private static Map<String, Object> values(Map<String, Object> call, Object... results) {
    return map("calls", call == null ? List.of() : List.of(call), "results", List.of(results));
  }

  /** test_send_react_interrupt ("plain", "stopped ...", "cleared ...", "replaced ..." lines). */
  @Test
  void testSendReactInterrupt(Vertx vertx) {
    List<Object> called = new CopyOnWriteArrayList<>();
    StateGraph graph = graph("send-react", called)
        .addNode("agent", s -> Future.succeededFuture(Map.of("calls", List.of(CALL))))
        .addEdge(START, "agent")
        .addConditionalEdges("agent", s -> s.getList("calls").stream()
            .map(c -> new Send((String) ((Map<?, ?>) c).get("name"), (Map<String, Object>) c)).toList(),
            List.of("foo"));
    String one = "c1:{\"hi\": [1, 2, 3]}";
    GraphClient plain = deploy(vertx, graph.compile());
    assertEquals(values(CALL, one), result(plain.invoke(EMPTY)).asMap());
    assertEquals(List.of("c1"), called);

    called.clear();
    GraphClient client = deploy(vertx, graph("send-react-stop", called)
        .addNode("agent", s -> Future.succeededFuture(Map.of("calls", List.of(CALL))))
        .addEdge(START, "agent")
        .addConditionalEdges("agent", s -> s.getList("calls").stream()
            .map(c -> new Send((String) ((Map<?, ?>) c).get("name"), (Map<String, Object>) c)).toList(),
            List.of("foo"))
        .interruptBefore("foo").compile());
    RunOptions t1 = new RunOptions().setThreadId("1");
    assertEquals(values(CALL), result(client.run(EMPTY, t1)).values().asMap());
    assertEquals(List.of(), called);
    assertEquals(map("values", values(CALL), "next", List.of("foo"), "tasks", List.of("foo"), "source", "loop",
        "step", 1), snapshot(client, "1"));
    assertEquals(values(CALL, one), result(client.proceed(t1)).values().asMap());
    assertEquals(List.of("c1"), called);

    called.clear();
    RunOptions t2 = new RunOptions().setThreadId("2");
    result(client.run(EMPTY, t2));
    result(client.updateState("2", Map.of("calls", List.of()), null));
    assertEquals(map("values", values(null), "next", List.of(), "tasks", List.of(), "source", "update", "step", 2),
        snapshot(client, "2"));
    assertEquals(values(null), result(client.proceed(t2)).values().asMap());
    assertEquals(List.of(), called);

    RunOptions t3 = new RunOptions().setThreadId("3");
    result(client.run(EMPTY, t3));
    Map<String, Object> replaced = map("name", "foo", "args", map("hi", List.of(4, 5, 6)), "id", "tool1");
    result(client.updateState("3", Map.of("calls", List.of(replaced)), null));
    assertEquals(map("values", values(replaced), "next", List.of("foo"), "tasks", List.of("foo"), "source", "update",
        "step", 2), snapshot(client, "3"));
    assertEquals(values(replaced, "tool1:{\"hi\": [4, 5, 6]}"), result(client.proceed(t3)).values().asMap());
    assertEquals(List.of("tool1"), called);
    assertEquals(List.of(list("loop", 3, List.of()), list("update", 2, List.of("foo")),
        list("loop", 1, List.of("foo")), list("loop", 0, List.of("agent")), list("input", -1, List.of(START))),
        Parity.steps(client, "3"));
  }

  /** test_send_react_interrupt_control ("control ..." lines): the Sends come from the agent's Command. */
  @Test
  void testSendReactInterruptControl(Vertx vertx) {
    List<Object> called = new CopyOnWriteArrayList<>();
    StateGraph graph = graph("send-react-control", called)
        .addNode("agent", (s, ctx) -> Future.succeededFuture(Command.of(Map.of("calls", List.of(CALL)),
            List.of(new Send("foo", CALL)))), new NodeOptions().setDestinations(List.of("foo")))
        .addEdge(START, "agent");
    String one = "c1:{\"hi\": [1, 2, 3]}";
    assertEquals(values(CALL, one), result(deploy(vertx, graph.compile()).invoke(EMPTY)).asMap());
    assertEquals(List.of("c1"), called);

    called.clear();
    GraphClient client = deploy(vertx, graph("send-react-control-stop", called)
        .addNode("agent", (s, ctx) -> Future.succeededFuture(Command.of(Map.of("calls", List.of(CALL)),
            List.of(new Send("foo", CALL)))), new NodeOptions().setDestinations(List.of("foo")))
        .addEdge(START, "agent").interruptBefore("foo").compile());
    RunOptions t1 = new RunOptions().setThreadId("1");
    assertEquals(values(CALL), result(client.run(EMPTY, t1)).values().asMap());
    assertEquals(List.of(), called);
    assertEquals(map("values", values(CALL), "next", List.of("foo"), "tasks", List.of("foo"), "source", "loop",
        "step", 1), snapshot(client, "1"));
    result(client.updateState("1", Map.of("calls", List.of()), null));
    assertEquals(map("values", values(null), "next", List.of(), "tasks", List.of(), "source", "update", "step", 2),
        snapshot(client, "1"));
    assertEquals(values(null), result(client.proceed(t1)).values().asMap());
    assertEquals(List.of(), called);
  }
}
