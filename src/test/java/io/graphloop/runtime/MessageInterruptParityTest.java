package io.graphloop.runtime;

import io.graphloop.agents.Message;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ParityExpectations.mapMessages;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.list;
import static io.graphloop.runtime.Parity.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A messages state ({@code Channels.messages()}, LangGraph's {@code add_messages}) stopped by
 * {@code interruptAfter("agent")} and by {@code interruptBefore("tools")} with Send tasks due, then updated with the
 * last AI message edited (same id: replaced, not appended), resumed, updated again and resumed (nothing due): the
 * {@code updates} chunks, each state (values, next, tasks with results, source, step) and the history, as LangGraph
 * 1.2.12 gives them ({@code test_state_graph_packets} of {@code test_large_cases.py}; the expected values are
 * src/test/resources/langgraph/message_interrupts.json, written by message_interrupts.py beside it).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MessageInterruptParityTest {

  private static final List<Map<String, Object>> RESPONSES = List.of(
      map("type", "ai", "id", "ai1", "content", "", "tool_calls",
          List.of(map("id", "tool_call123", "name", "search_api", "args", map("query", "query")))),
      map("type", "ai", "id", "ai2", "content", "", "tool_calls", List.of(
          map("id", "tool_call234", "name", "search_api", "args", map("query", "another", "idx", 0)),
          map("id", "tool_call567", "name", "search_api", "args", map("query", "a third one", "idx", 1)))),
      map("type", "ai", "id", "ai3", "content", "answer"));

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/message_interrupts.json");

  private static StateGraph workflow(String name) {
    return new StateGraph(name).channel("messages", Channels.messages()).strictChannels()
        .addNode("agent", s -> {
          long ais = ((List<?>) s.get("messages")).stream().filter(m -> "ai".equals(((Map<?, ?>) m).get("type")))
              .count();
          return Future.succeededFuture(map("messages", RESPONSES.get((int) ais), "something_extra", "hi there"));
        })
        .addNode("tools", s -> {
          Map<?, ?> call = (Map<?, ?>) s.arg();
          return Future.succeededFuture(map("messages", map("type", "tool", "content",
              "result for " + ((Map<?, ?>) call.get("args")).get("query"), "name", call.get("name"),
              "tool_call_id", call.get("id"), "id", "tm-" + call.get("id"))));
        })
        .setEntryPoint("agent")
        .addConditionalEdges("agent", s -> {
          List<?> messages = (List<?>) s.get("messages");
          Object calls = ((Map<?, ?>) messages.get(messages.size() - 1)).get("tool_calls");
          if (calls instanceof List<?> list && !list.isEmpty()) {
            List<Object> sends = new ArrayList<>();
            list.forEach(call -> sends.add(new Send("tools", call)));
            return sends;
          }
          return END;
        })
        .addEdge("tools", "agent");
  }

  /** As message_interrupts.py's {@code d}: a message as its type, id, content, tool_calls, tool_call_id and name. */
  private static Object reduce(Object value) {
    return mapMessages(value, m -> m.containsKey("type") && m.containsKey("content"), m -> {
      Map<String, Object> dump = Message.from(m).toMap();
      Map<String, Object> out = new LinkedHashMap<>();
      for (String key : List.of("type", "id", "content", "tool_calls", "tool_call_id", "name")) {
        if (dump.containsKey(key)) {
          out.put(key, reduce(dump.get(key)));
        }
      }
      return out;
    });
  }

  /** A mutable deep copy of a JSON-like value. */
  private static Object copy(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(copy(v)));
      return out;
    }
    return value;
  }

  private static Map<String, Object> state(GraphClient client, String thread) {
    ThreadState s = result(client.getState(thread));
    List<Object> tasks = new ArrayList<>();
    s.tasks().forEach(task -> tasks.add(list(task.get("node"), reduce(task.get("result")))));
    return map("values", reduce(s.values().asMap()), "next", s.next(), "tasks", tasks, "source", s.source().wireName(),
        "step", s.step());
  }

  private static List<Object> updates(List<StreamEvent> events) {
    List<Object> out = new ArrayList<>();
    events.forEach(event -> out.add(reduce(event.data())));
    return out;
  }

  @SuppressWarnings("unchecked")
  @Test
  void testStateGraphPackets(Vertx vertx) {
    for (String scenario : List.of("after", "before")) {
      StateGraph builder = workflow("state-graph-packets-" + scenario);
      CompiledGraph graph = scenario.equals("after") ? builder.interruptAfter("agent").compile()
          : builder.interruptBefore("tools").compile();
      GraphClient client = deploy(vertx, graph);
      RunOptions thread = new RunOptions().setThreadId("1");
      Map<String, Object> actual = new LinkedHashMap<>();
      actual.put("first", updates(Parity.events(vertx, client, map("messages", map("type", "human",
          "content", "what is weather in sf", "id", "h1")), null,
          new RunOptions(thread).setDurability(Durability.EXIT), StreamMode.UPDATES)));
      actual.put("state", state(client, "1"));
      List<Object> messages = (List<Object>) result(client.getState("1")).values().asMap().get("messages");
      Map<String, Object> last = (Map<String, Object>) copy(messages.get(messages.size() - 1));
      ((Map<String, Object>) ((Map<String, Object>) ((List<Object>) last.get("tool_calls")).get(0)).get("args"))
          .put("query", "a different query");
      result(client.updateState("1", map("messages", last, "something_extra", "hi there"), null));
      actual.put("updated", state(client, "1"));
      actual.put("second", updates(Parity.events(vertx, client, null, null, thread, StreamMode.UPDATES)));
      actual.put("state2", state(client, "1"));
      result(client.updateState("1", map("messages", map("type", "ai", "content", "answer", "id", "ai2")), null));
      actual.put("updated2", state(client, "1"));
      actual.put("third", updates(Parity.events(vertx, client, null, null, thread, StreamMode.UPDATES)));
      actual.put("final", state(client, "1"));
      List<Object> history = new ArrayList<>();
      for (ThreadState s : result(client.getStateHistory("1", 0, null))) {
        history.add(list(s.source().wireName(), s.step(), s.next(),
            ((List<?>) s.values().asMap().getOrDefault("messages", List.of())).size()));
      }
      actual.put("history", history);
      JsonObject expected = EXPECTED.of(scenario);
      for (String key : actual.keySet()) {
        assertEquals(expected.getValue(key), new JsonObject(Map.of("v", actual.get(key))).getValue("v"),
            scenario + " " + key);
      }
      assertEquals(expected.fieldNames(), actual.keySet());
    }
  }
}
