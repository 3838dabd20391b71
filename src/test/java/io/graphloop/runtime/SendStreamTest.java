package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
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
import java.util.HashSet;
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
 * Each stream mode of a map-reduce run with {@code Send}, chunk by chunk, as LangGraph 1.2.12 streams it: the
 * expected chunks are the output of src/test/resources/langgraph/send_stream.py (plan -> three Sends to work ->
 * reduce; the stream-mode checks of test_pregel.py's Send tests, e.g. {@code test_send_sequences}, made per mode).
 * The Send tasks of one step complete in any order in both systems, so their chunks are compared as a set; the
 * chunks around them keep their place. Task ids, timestamps and LangGraph's {@code triggers} (which Graphloop's task
 * events do not carry, see src/docs/LANGGRAPH-DIFFERENCES.md) are left out.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SendStreamTest {

  private static CompiledGraph graph() {
    return new StateGraph("send-stream").channel("done", Channels.append())
        .addNode("plan", state -> Future.succeededFuture(Map.of("items", List.of("a", "b", "c"))))
        .addNode("work", state -> Future.succeededFuture(Map.of("done", List.of(state.getString("item").toUpperCase()))))
        .addNode("reduce", state -> Future.succeededFuture(Map.of("done", List.of("reduced"))))
        .addEdge(START, "plan")
        .addConditionalEdges("plan", state -> {
          List<Object> sends = new ArrayList<>();
          for (Object item : state.getList("items")) {
            sends.add(new Send("work", Map.of("item", item)));
          }
          return sends;
        }, List.of("work"))
        .addEdge("work", "reduce").addEdge("reduce", END).compile();
  }

  /** The chunks of one mode, LangGraph's task/debug fields only. */
  private static List<Object> chunks(Vertx vertx, GraphClient client, StreamMode mode) {
    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Map.of("done", List.of()), new RunOptions(),
        mode)));
    List<Object> out = new ArrayList<>();
    for (StreamEvent event : events) {
      if (event.isTerminal()) {
        continue;
      }
      Map<String, Object> data = event.data();
      if (mode == StreamMode.TASKS) {
        out.add(List.of(data.containsKey("result") ? "result" : "start", kept(data)));
      } else if (mode == StreamMode.DEBUG) {
        String type = (String) data.get("type");
        if (!type.equals("checkpoint")) { // (LangGraph streams no checkpoint events without a checkpointer)
          out.add(List.of(type, data.get("step"), kept(castMap(data.get("payload")))));
        }
      } else {
        out.add(data);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object value) {
    return (Map<String, Object>) value;
  }

  private static Map<String, Object> kept(Map<String, Object> payload) {
    Map<String, Object> kept = new LinkedHashMap<>();
    for (String key : List.of("name", "input", "result", "error")) {
      if (payload.containsKey(key)) {
        kept.put(key, payload.get(key));
      }
    }
    return kept;
  }

  /** {@code chunks} with positions {@code from..to} (exclusive) as a set, for tasks that complete in any order. */
  private static List<Object> unordered(List<Object> chunks, int from, int to) {
    List<Object> out = new ArrayList<>(chunks.subList(0, from));
    out.add(new HashSet<>(chunks.subList(from, to)));
    out.addAll(chunks.subList(to, chunks.size()));
    return out;
  }

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void everyModeStreamsTheSendTasksAsLangGraph(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph())).client();
    List<String> abc = List.of("a", "b", "c");
    assertEquals(List.of(
        Map.of("done", List.of()),
        Map.of("items", abc, "done", List.of()),
        Map.of("items", abc, "done", List.of("A", "B", "C")),
        Map.of("items", abc, "done", List.of("A", "B", "C", "reduced"))),
        chunks(vertx, client, StreamMode.VALUES));
    assertEquals(unordered(List.of(
        Map.of("plan", Map.of("items", abc)),
        Map.of("work", Map.of("done", List.of("A"))),
        Map.of("work", Map.of("done", List.of("B"))),
        Map.of("work", Map.of("done", List.of("C"))),
        Map.of("reduce", Map.of("done", List.of("reduced")))), 1, 4),
        unordered(chunks(vertx, client, StreamMode.UPDATES), 1, 4));
    Map<String, Object> reduceInput = Map.of("items", abc, "done", List.of("A", "B", "C"));
    assertEquals(unordered(List.of(
        List.of("start", map("name", "plan", "input", Map.of("done", List.of()))),
        List.of("result", map("name", "plan", "result", Map.of("items", abc), "error", null)),
        List.of("start", map("name", "work", "input", Map.of("item", "a"))),
        List.of("start", map("name", "work", "input", Map.of("item", "b"))),
        List.of("start", map("name", "work", "input", Map.of("item", "c"))),
        List.of("result", map("name", "work", "result", Map.of("done", List.of("A")), "error", null)),
        List.of("result", map("name", "work", "result", Map.of("done", List.of("B")), "error", null)),
        List.of("result", map("name", "work", "result", Map.of("done", List.of("C")), "error", null)),
        List.of("start", map("name", "reduce", "input", reduceInput)),
        List.of("result", map("name", "reduce", "result", Map.of("done", List.of("reduced")), "error", null))),
        5, 8), unordered(chunks(vertx, client, StreamMode.TASKS), 5, 8));
    assertEquals(unordered(List.of(
        List.of("task", 1, map("name", "plan", "input", Map.of("done", List.of()))),
        List.of("task_result", 1, map("name", "plan", "result", Map.of("items", abc), "error", null)),
        List.of("task", 2, map("name", "work", "input", Map.of("item", "a"))),
        List.of("task", 2, map("name", "work", "input", Map.of("item", "b"))),
        List.of("task", 2, map("name", "work", "input", Map.of("item", "c"))),
        List.of("task_result", 2, map("name", "work", "result", Map.of("done", List.of("A")), "error", null)),
        List.of("task_result", 2, map("name", "work", "result", Map.of("done", List.of("B")), "error", null)),
        List.of("task_result", 2, map("name", "work", "result", Map.of("done", List.of("C")), "error", null)),
        List.of("task", 3, map("name", "reduce", "input", reduceInput)),
        List.of("task_result", 3, map("name", "reduce", "result", Map.of("done", List.of("reduced")), "error", null))),
        5, 8), unordered(chunks(vertx, client, StreamMode.DEBUG), 5, 8));
  }
}
