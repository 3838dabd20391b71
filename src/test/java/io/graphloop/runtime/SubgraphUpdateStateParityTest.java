package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.CheckpointConfig;
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
import static io.graphloop.runtime.ParityExpectations.withoutTaskIds;
import static io.graphloop.runtime.ParityExpectations.typeAndContent;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.list;
import static io.graphloop.runtime.Parity.map;

/**
 * LangGraph's {@code get_state}, {@code get_state_history} and {@code update_state} of a config whose
 * {@code checkpoint_ns} names a subgraph, through the parent's client ({@link CheckpointConfig}: a child state's
 * {@link ThreadState#config()}, or {@link ThreadState#taskConfig(int)} of a state read without subgraphs): the tests
 * of {@code test_large_cases.py} named on each method, from their update of a child's state on. The expected values
 * are src/test/resources/langgraph/subgraph_update_state.json, written by subgraph_update_state.py beside it against
 * LangGraph 1.2.12; each state is reduced as that script's {@code snap} reduces a {@code StateSnapshot}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SubgraphUpdateStateParityTest {

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/subgraph_update_state.json");

  /** A state as the script's {@code snap} prints it. */
  private static Map<String, Object> snap(ThreadState s) {
    List<Object> tasks = new ArrayList<>();
    List<Object> subs = new ArrayList<>();
    for (int i = 0; i < s.tasks().size(); i++) {
      Map<String, Object> task = s.tasks().get(i);
      tasks.add(list(task.get("node"), typeAndContent(task.get("result")), task.get("interrupts")));
      ThreadState sub = s.subgraphState(i);
      if (sub != null) {
        subs.add(snap(sub));
      }
    }
    Object parents = s.metadata().get("parents");
    Map<String, Object> out = map("values", typeAndContent(s.values().asMap()), "next", s.next(), "source",
        s.source().wireName(), "step", s.step(), "parents", parents == null ? List.of()
            : ((Map<?, ?>) parents).keySet().stream().map(k -> withoutTaskIds(String.valueOf(k))).sorted().toList(),
        "hasParent", s.parentCheckpointId() != null, "tasks", tasks, "ns", withoutTaskIds(s.config().checkpointNs()));
    if (!subs.isEmpty()) {
      out.put("subs", subs);
    }
    return out;
  }

  private static Map<String, Object> cfg(CheckpointConfig config) {
    return map("ns", withoutTaskIds(config.checkpointNs()), "hasId", config.checkpointId() != null);
  }

  private static List<Object> chunks(List<StreamEvent> events) {
    List<Object> out = new ArrayList<>();
    for (StreamEvent e : events) {
      out.add(list(List.of(withoutTaskIds(e.ns()).isEmpty() ? new String[0] : withoutTaskIds(e.ns()).split("\\|")), typeAndContent(e.data())));
    }
    return out;
  }

  private static List<Object> history(GraphClient client, CheckpointConfig config) {
    List<Object> out = new ArrayList<>();
    result(client.getStateHistory(config, 0, null)).forEach(s -> out.add(snap(s)));
    return out;
  }

  @Test
  void testWeatherSubgraph(Vertx vertx) {
    CompiledGraph subgraph = new StateGraph("upd-weather-child").channel("messages", Channels.messages())
        .channel("city", Channels.lastValue()).strictChannels()
        .addNode("model_node", s -> Future.succeededFuture(Map.of("city", "San Francisco")))
        .addNode("weather_node", s -> Future.succeededFuture(Map.of("messages", List.of(map("role", "assistant",
            "content", "I'ts sunny in " + s.getString("city") + "!", "id", "w1")))))
        .addEdge(START, "model_node").addEdge("model_node", "weather_node").addEdge("weather_node", END)
        .interruptBefore("weather_node").compile();
    GraphClient client = deploy(vertx, new StateGraph("upd-weather").channel("messages", Channels.messages())
        .channel("route", Channels.lastValue()).strictChannels()
        .addNode("router_node", s -> Future.succeededFuture(Map.of("route", "weather")))
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
    RunOptions one = new RunOptions().setThreadId("1").setStreamSubgraphs(true);
    actual.put("updates", chunks(Parity.events(vertx, client, inputs, null,
        new RunOptions(one).setDurability(Durability.EXIT), StreamMode.UPDATES)));
    CheckpointConfig task = result(client.getState("1")).taskConfig(0);
    actual.put("taskConfig", cfg(task));
    actual.put("updated", cfg(result(client.updateState(task, Map.of("city", "la"), null)).config()));
    actual.put("stateAfterUpdate", snap(result(client.getState("1", null, true))));
    actual.put("resumedUpdates", chunks(Parity.events(vertx, client, null, null, one, StreamMode.UPDATES)));
    actual.put("final", snap(result(client.getState("1", null, true))));
    RunOptions fourteen = new RunOptions().setThreadId("14").setStreamSubgraphs(true);
    actual.put("updates14", chunks(Parity.events(vertx, client, inputs, null,
        new RunOptions(fourteen).setDurability(Durability.EXIT), StreamMode.UPDATES)));
    ThreadState state = result(client.getState("14", null, true));
    actual.put("state14", snap(state));
    CheckpointConfig child = state.subgraphState(0).config();
    actual.put("childState", snap(result(client.getState(child, false))));
    actual.put("updated14", cfg(result(client.updateState(child, Map.of("messages", List.of(map("role", "assistant",
        "content", "rainy", "id", "r1"))), "weather_node")).config()));
    actual.put("state14AfterUpdate", snap(result(client.getState("14", null, true))));
    actual.put("childHistory14", history(client, result(client.getState("14")).taskConfig(0)));
    actual.put("resumedUpdates14", chunks(Parity.events(vertx, client, null, null, fourteen, StreamMode.UPDATES)));
    actual.put("final14", snap(result(client.getState("14"))));
    EXPECTED.check("test_weather_subgraph", actual);
  }

  @Test
  void testSendToNestedGraphs(Vertx vertx) {
    CompiledGraph subgraph = new StateGraph("upd-send-nested-child").channel("subject", Channels.lastValue())
        .channel("jokes", Channels.append()).strictChannels()
        .addNode("edit", s -> Future.succeededFuture(Map.of("subject", s.getString("subject") + " - hohoho")))
        .addNode("generate", s -> Future.succeededFuture(Map.of("jokes",
            List.of("Joke about " + s.getString("subject")))))
        .setEntryPoint("edit").addEdge("edit", "generate").setFinishPoint("generate").interruptBefore("generate")
        .compile();
    GraphClient client = deploy(vertx, new StateGraph("upd-send-nested").channel("subjects", Channels.lastValue())
        .channel("jokes", Channels.append()).strictChannels()
        .addSubgraph("generate_joke", subgraph)
        .addConditionalEdges(START, s -> ((List<?>) s.get("subjects")).stream()
            .map(x -> (Object) new Send("generate_joke", Map.of("subject", x))).toList())
        .addEdge("generate_joke", END).compile());
    RunOptions thread = new RunOptions().setThreadId("1");
    Map<String, Object> actual = new LinkedHashMap<>();
    actual.put("first", result(client.run(Map.of("subjects", List.of("cats", "dogs")), thread)).values().asMap());
    CheckpointConfig dogs = result(client.getState("1")).taskConfig(1);
    actual.put("dogs", snap(result(client.getState(dogs, false))));
    actual.put("updated", cfg(result(client.updateState(dogs, Map.of("subject", "turtles - hohoho"), null)).config()));
    List<Object> resumed = new ArrayList<>(Parity.resumed(vertx, client, thread, StreamMode.UPDATES));
    resumed.sort(Comparator.comparing(Object::toString)); // (the test sorts them: the subgraphs run in parallel)
    actual.put("resumed", resumed);
    actual.put("final", result(client.getState("1")).values().asMap());
    EXPECTED.check("test_send_to_nested_graphs", actual);
  }

  private static StateGraph myKey(String name) {
    return new StateGraph(name).channel("my_key", Channels.lastValue()).strictChannels();
  }

  @Test
  void testNestedGraphState(Vertx vertx) {
    CompiledGraph inner = myKey("upd-nested-inner").channel("my_other_key", Channels.lastValue())
        .addNode("inner_1", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " here",
            "my_other_key", s.getString("my_key"))))
        .addNode("inner_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and there",
            "my_other_key", s.getString("my_key"))))
        .addEdge("inner_1", "inner_2").setEntryPoint("inner_1").setFinishPoint("inner_2")
        .interruptBefore("inner_2").compile();
    GraphClient client = deploy(vertx, myKey("upd-nested").channel("other_parent_key", Channels.lastValue())
        .addNode("outer_1", s -> Future.succeededFuture(Map.of("my_key", "hi " + s.getString("my_key"))))
        .addSubgraph("inner", inner)
        .addNode("outer_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and back again")))
        .setEntryPoint("outer_1").addEdge("outer_1", "inner").addEdge("inner", "outer_2").setFinishPoint("outer_2")
        .compile());
    result(client.run(Map.of("my_key", "my value"), new RunOptions().setThreadId("1")
        .setDurability(Durability.EXIT)));
    Map<String, Object> actual = new LinkedHashMap<>();
    actual.put("childHistory", history(client, result(client.getState("1")).taskConfig(0)));
    actual.put("childState", snap(result(client.getState(result(client.getState("1")).taskConfig(0), false))));
    EXPECTED.check("test_nested_graph_state", actual);
  }

  @Test
  void testDoublyNestedGraphState(Vertx vertx) {
    CompiledGraph grandchild = myKey("upd-doubly-grandchild")
        .addNode("grandchild_1", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " here")))
        .addNode("grandchild_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and there")))
        .addEdge("grandchild_1", "grandchild_2").setEntryPoint("grandchild_1").setFinishPoint("grandchild_2")
        .interruptBefore("grandchild_2").compile();
    CompiledGraph child = myKey("upd-doubly-child").addSubgraph("child_1", grandchild)
        .setEntryPoint("child_1").setFinishPoint("child_1").compile();
    GraphClient client = deploy(vertx, myKey("upd-doubly")
        .addNode("parent_1", s -> Future.succeededFuture(Map.of("my_key", "hi " + s.getString("my_key"))))
        .addSubgraph("child", child)
        .addNode("parent_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and back again")))
        .setEntryPoint("parent_1").addEdge("parent_1", "child").addEdge("child", "parent_2").setFinishPoint("parent_2")
        .compile());
    RunOptions thread = new RunOptions().setThreadId("1").setDurability(Durability.EXIT);
    result(client.run(Map.of("my_key", "my value"), thread));
    Map<String, Object> actual = new LinkedHashMap<>();
    ThreadState childState = result(client.getState(result(client.getState("1")).taskConfig(0), false));
    actual.put("childState", snap(childState));
    actual.put("grandchildState", snap(result(client.getState(childState.taskConfig(0), false))));
    result(client.proceed(thread));
    List<ThreadState> outerHistory = result(client.getStateHistory("1", 0, null));
    List<ThreadState> childHistory = result(client.getStateHistory(outerHistory.get(1).taskConfig(0), 0, null));
    List<Object> children = new ArrayList<>();
    childHistory.forEach(s -> children.add(snap(s)));
    actual.put("childHistory", children);
    actual.put("grandchildHistory", history(client, childHistory.get(0).taskConfig(0)));
    EXPECTED.check("test_doubly_nested_graph_state", actual);
  }
}
