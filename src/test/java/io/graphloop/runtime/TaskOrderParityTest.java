package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.list;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The order in which a step's tasks are listed, as LangGraph 1.2.12 lists them: Send tasks first (in the order they
 * were produced), then the edge-triggered tasks, in a thread's {@code next} and {@code tasks} (state and history) and
 * in the task start events of the {@code tasks} and {@code debug} streams. The writes stay applied edge-triggered
 * tasks first ({@code WriteOrderParityTest}). Expected values: the lines src/test/resources/langgraph/task_order.py
 * prints ("order ..."), with Graphloop's declaration order where LangGraph sorts edge-triggered tasks by name (here
 * {@code zeta} before {@code alpha}; LANGGRAPH-DIFFERENCES.md).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TaskOrderParityTest {

  private static StateGraph graph(String name) {
    StateGraph graph = new StateGraph(name).channel("value", Channels.append());
    for (String node : List.of("zeta", "alpha", "last")) {
      graph.addNode(node, s -> Future.succeededFuture(Map.of("value", List.of(node))));
    }
    return graph.addNode("w", s -> Future.succeededFuture(Map.of("value", List.of("w:" + last(s.getList("value"))))))
        .addConditionalEdges(START, s -> List.of(new Send("w", Map.of("value", List.of("x"))), "zeta", "alpha",
            new Send("w", Map.of("value", List.of("y")))), List.of("w", "zeta", "alpha"))
        .addEdge("zeta", "last").addEdge("alpha", "last").addEdge("w", "last").addEdge("last", END);
  }

  private static Object last(List<Object> values) {
    return values.get(values.size() - 1);
  }

  /** A thread's next and tasks, at a breakpoint and in its history ("order state", "order history"). */
  @Test
  void sendTasksAreListedFirstInNextAndTasks(Vertx vertx) {
    GraphClient client = deploy(vertx, graph("order-state").interruptBefore("zeta").compile());
    RunOptions thread = new RunOptions().setThreadId("1");
    assertEquals(Map.of("value", List.of()), result(client.run(Map.of("value", List.of()), thread)).values().asMap());
    List<String> due = List.of("w", "w", "zeta", "alpha");
    ThreadState state = result(client.getState("1"));
    assertEquals(list(due, due), list(state.next(), names(state)));
    List<Object> history = new ArrayList<>();
    result(client.getStateHistory("1", 0, null)).forEach(h -> history.add(list(h.next(), names(h))));
    assertEquals(List.of(list(due, due), list(List.of(START), List.of(START))), history);
    assertEquals(List.of("zeta", "alpha", "w:x", "w:y", "last"),
        result(client.proceed(thread)).values().getList("value"));
  }

  private static List<Object> names(ThreadState state) {
    return state.tasks().stream().map(task -> task.get("node")).toList();
  }

  /** The task start events of the tasks and debug streams ("order tasks", "order debug"). */
  @Test
  @SuppressWarnings("unchecked")
  void sendTasksStartFirstInTheStreams(Vertx vertx) {
    GraphClient client = deploy(vertx, graph("order-streams").compile());
    List<Object> started = new ArrayList<>();
    for (StreamEvent event : Parity.events(vertx, client, Map.of("value", List.of()), null, new RunOptions(),
        StreamMode.TASKS)) {
      if (event.data().containsKey("input")) {
        started.add(event.data().get("name"));
      }
    }
    assertEquals(List.of("w", "w", "zeta", "alpha", "last"), started);
    List<Object> debug = new ArrayList<>();
    for (StreamEvent event : Parity.events(vertx, client, Map.of("value", List.of()), null, new RunOptions(),
        StreamMode.DEBUG)) {
      if ("task".equals(event.data().get("type"))) {
        debug.add(list(event.data().get("step"), ((Map<String, Object>) event.data().get("payload")).get("name")));
      }
    }
    assertEquals(List.of(list(1, "w"), list(1, "w"), list(1, "zeta"), list(1, "alpha"), list(2, "last")), debug);
  }
}
