package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.list;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code tasks} and {@code debug} streams of a graph with a subgraph node, with subgraph events asked for
 * ({@code subgraphs=True}), as LangGraph 1.2.12 streams them: the child's own input and loop checkpoints, task events
 * and step numbers under the subgraph task's namespace, between the parent's start and result events of that task.
 * Mirrors test_pregel.py's {@code test_debug_nested_subgraphs}; expected values: the "nested" lines of
 * src/test/resources/langgraph/subgraph_debug_stream.py.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SubgraphDebugStreamTest {

  private static StateGraph chain(String name, String first) {
    return new StateGraph(name).channel("messages", Channels.append())
        .addNode(first, s -> Future.succeededFuture(Map.of("messages", List.of("entered " + first + " node"))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void testDebugNestedSubgraphs(Vertx vertx) {
    CompiledGraph child = chain("nested-child", "c_one")
        .addNode("c_two", s -> Future.succeededFuture(Map.of("messages", List.of("entered c_two node"))))
        .addEdge(START, "c_one").addEdge("c_one", "c_two").addEdge("c_two", END).compile();
    CompiledGraph parent = chain("nested-parent", "p_one").addSubgraph("p_two", child)
        .addEdge(START, "p_one").addEdge("p_one", "p_two").addEdge("p_two", END).compile();
    GraphClient client = deploy(vertx, parent);
    List<Object> seen = new ArrayList<>();
    for (StreamEvent event : Parity.events(vertx, client, Map.of("messages", List.of()), null,
        new RunOptions().setThreadId("1").setStreamSubgraphs(true), StreamMode.TASKS, StreamMode.DEBUG)) {
      String ns = String.join("|", Arrays.stream(event.ns().split("\\|")).map(p -> p.split(":")[0]).toList());
      Map<String, Object> data = event.data();
      if (event.event().wireName().equals("tasks")) {
        boolean result = data.containsKey("result");
        seen.add(list(ns, "tasks", data.get("name"), result ? "result" : "start",
            result ? data.get("result") : data.get("input")));
      } else {
        Map<String, Object> payload = (Map<String, Object>) data.get("payload");
        boolean checkpoint = "checkpoint".equals(data.get("type"));
        seen.add(list(ns, "debug", data.get("type"), data.get("step"),
            checkpoint ? ((Map<String, Object>) payload.get("metadata")).get("source") : payload.get("name"),
            checkpoint ? payload.get("values") : payload.containsKey("result") ? payload.get("result")
                : payload.get("input"), checkpoint ? payload.get("next") : null));
      }
    }
    List<Object> none = List.of();
    List<Object> p1 = List.of("entered p_one node");
    List<Object> c1 = List.of("entered p_one node", "entered c_one node");
    List<Object> c2 = List.of("entered p_one node", "entered c_one node", "entered c_two node");
    assertEquals(List.of(
        list("", "debug", "checkpoint", -1, "input", msgs(none), List.of(START)),
        list("", "debug", "checkpoint", 0, "loop", msgs(none), List.of("p_one")),
        list("", "tasks", "p_one", "start", msgs(none)),
        list("", "debug", "task", 1, "p_one", msgs(none), null),
        list("", "tasks", "p_one", "result", msgs(p1)),
        list("", "debug", "task_result", 1, "p_one", msgs(p1), null),
        list("", "debug", "checkpoint", 1, "loop", msgs(p1), List.of("p_two")),
        list("", "tasks", "p_two", "start", msgs(p1)),
        list("", "debug", "task", 2, "p_two", msgs(p1), null),
        list("p_two", "debug", "checkpoint", -1, "input", msgs(none), List.of(START)),
        list("p_two", "debug", "checkpoint", 0, "loop", msgs(p1), List.of("c_one")),
        list("p_two", "tasks", "c_one", "start", msgs(p1)),
        list("p_two", "debug", "task", 1, "c_one", msgs(p1), null),
        list("p_two", "tasks", "c_one", "result", msgs(List.of("entered c_one node"))),
        list("p_two", "debug", "task_result", 1, "c_one", msgs(List.of("entered c_one node")), null),
        list("p_two", "debug", "checkpoint", 1, "loop", msgs(c1), List.of("c_two")),
        list("p_two", "tasks", "c_two", "start", msgs(c1)),
        list("p_two", "debug", "task", 2, "c_two", msgs(c1), null),
        list("p_two", "tasks", "c_two", "result", msgs(List.of("entered c_two node"))),
        list("p_two", "debug", "task_result", 2, "c_two", msgs(List.of("entered c_two node")), null),
        list("p_two", "debug", "checkpoint", 2, "loop", msgs(c2), List.of()),
        list("", "tasks", "p_two", "result", msgs(c2)),
        list("", "debug", "task_result", 2, "p_two", msgs(c2), null),
        list("", "debug", "checkpoint", 2, "loop", msgs(List.of("entered p_one node", "entered p_one node",
            "entered c_one node", "entered c_two node")), List.of())), seen);
  }

  private static Map<String, Object> msgs(List<Object> messages) {
    return Map.of("messages", messages);
  }
}
