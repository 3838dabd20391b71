package io.graphloop.runtime;

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
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ParityExpectations.typeAndContent;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.list;
import static io.graphloop.runtime.Parity.map;

/**
 * Subgraphs stopped at a breakpoint inside, reached by Sends ({@code test_send_to_nested_graphs}) and by a
 * conditional edge, with {@code custom} and {@code updates} streams with subgraphs ({@code test_weather_subgraph}),
 * of {@code test_large_cases.py}, up to the tests' update of a child's own state (the rest is
 * {@link SubgraphUpdateStateParityTest}): results, chunks, the parent's state with its children's and its history, as LangGraph 1.2.12 gives them. The expected
 * values are src/test/resources/langgraph/nested_sends.json, written by nested_sends.py beside it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NestedSendsParityTest {

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/nested_sends.json");

  private static List<Object> chunks(List<StreamEvent> events) {
    List<Object> out = new ArrayList<>();
    for (StreamEvent e : events) {
      List<String> ns = new ArrayList<>();
      if (e.ns() != null && !e.ns().isEmpty()) {
        for (String level : e.ns().split("\\|")) {
          ns.add(level.split(":")[0]);
        }
      }
      Object data = e.data();
      if (e.event().wireName().equals("custom") && e.data().containsKey("value")) {
        data = e.data().get("value");
      }
      out.add(list(ns, typeAndContent(data)));
    }
    return out;
  }

  private static Map<String, Object> state(GraphClient client, String thread) {
    ThreadState s = result(client.getState(thread, null, true));
    List<Object> subs = new ArrayList<>();
    for (int i = 0; i < s.tasks().size(); i++) {
      ThreadState child = s.subgraphState(i);
      if (child != null) {
        subs.add(list(s.tasks().get(i).get("node"), typeAndContent(child.values().asMap()), child.next(), child.step()));
      }
    }
    return map("values", typeAndContent(s.values().asMap()), "next", s.next(), "step", s.step(), "source",
        s.source().wireName(), "subs", subs);
  }

  @Test
  void testSendToNestedGraphs(Vertx vertx) {
    CompiledGraph subgraph = new StateGraph("send-to-nested-child").channel("subject", Channels.lastValue())
        .channel("jokes", Channels.append()).strictChannels()
        .addNode("edit", s -> Future.succeededFuture(Map.of("subject", s.getString("subject") + " - hohoho")))
        .addNode("generate", s -> Future.succeededFuture(Map.of("jokes",
            List.of("Joke about " + s.getString("subject")))))
        .setEntryPoint("edit").addEdge("edit", "generate").setFinishPoint("generate").interruptBefore("generate")
        .compile();
    GraphClient client = deploy(vertx, new StateGraph("send-to-nested").channel("subjects", Channels.lastValue())
        .channel("jokes", Channels.append()).strictChannels()
        .addSubgraph("generate_joke", subgraph)
        .addConditionalEdges(START, s -> ((List<?>) s.get("subjects")).stream()
            .map(x -> (Object) new Send("generate_joke", Map.of("subject", x))).toList())
        .addEdge("generate_joke", END).compile());
    RunOptions thread = new RunOptions().setThreadId("1");
    Map<String, Object> actual = new LinkedHashMap<>();
    actual.put("first", result(client.run(Map.of("subjects", List.of("cats", "dogs")), thread)).values().asMap());
    actual.put("state", state(client, "1"));
    List<Object> resumed = new ArrayList<>(Parity.resumed(vertx, client, thread, StreamMode.UPDATES));
    resumed.sort(Comparator.comparing(Object::toString)); // (the test sorts them: the subgraphs run in parallel)
    actual.put("resumed", resumed);
    actual.put("final", state(client, "1"));
    List<Object> history = new ArrayList<>();
    for (ThreadState s : result(client.getStateHistory("1", 0, null))) {
      history.add(list(s.source().wireName(), s.step(), s.next(), s.values().asMap()));
    }
    actual.put("history", history);
    EXPECTED.check("test_send_to_nested_graphs", actual);
  }

  @Test
  void testWeatherSubgraph(Vertx vertx) {
    CompiledGraph subgraph = new StateGraph("weather-child").channel("messages", Channels.messages())
        .channel("city", Channels.lastValue()).strictChannels()
        .addNode("model_node", (s, ctx) -> {
          ctx.emit(" very");
          return Future.succeededFuture(Map.of("city", "San Francisco"));
        })
        .addNode("weather_node", (s, ctx) -> {
          ctx.emit(" good");
          return Future.succeededFuture(Map.of("messages", List.of(map("role", "assistant", "content",
              "I'ts sunny in " + s.getString("city") + "!", "id", "w1"))));
        })
        .addEdge(START, "model_node").addEdge("model_node", "weather_node").addEdge("weather_node", END)
        .interruptBefore("weather_node").compile();
    GraphClient client = deploy(vertx, new StateGraph("weather").channel("messages", Channels.messages())
        .channel("route", Channels.lastValue()).strictChannels()
        .addNode("router_node", (s, ctx) -> {
          ctx.emit("I'm");
          return Future.succeededFuture(Map.of("route", "weather"));
        })
        .addNode("normal_llm_node", s -> Future.succeededFuture(Map.of("messages",
            List.of(map("role", "assistant", "content", "Hello!", "id", "h1")))))
        .addSubgraph("weather_graph", subgraph)
        .addEdge(START, "router_node")
        .addConditionalEdges("router_node", s -> "weather".equals(s.get("route")) ? "weather_graph"
            : "normal_llm_node", List.of("weather_graph", "normal_llm_node"))
        .addEdge("normal_llm_node", END).addEdge("weather_graph", END).compile());
    Map<String, Object> inputs = map("messages", List.of(map("role", "user", "content", "what's the weather in sf",
        "id", "u1")));
    Map<String, Object> actual = new LinkedHashMap<>();
    RunOptions two = new RunOptions().setThreadId("2").setStreamSubgraphs(true);
    actual.put("custom", chunks(Parity.events(vertx, client, inputs, null, two, StreamMode.CUSTOM)));
    actual.put("resumedCustom", chunks(Parity.events(vertx, client, null, null, two, StreamMode.CUSTOM)));
    RunOptions one = new RunOptions().setThreadId("1").setStreamSubgraphs(true);
    actual.put("updates", chunks(Parity.events(vertx, client, inputs, null,
        new RunOptions(one).setDurability(Durability.EXIT), StreamMode.UPDATES)));
    actual.put("state", state(client, "1"));
    actual.put("resumedUpdates", chunks(Parity.events(vertx, client, null, null, one, StreamMode.UPDATES)));
    actual.put("final", state(client, "1"));
    EXPECTED.check("test_weather_subgraph", actual);
  }
}
