package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channel;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.chunks;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.later;
import static io.graphloop.runtime.Parity.list;
import static io.graphloop.runtime.Parity.map;
import static io.graphloop.runtime.Parity.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fan-out, waiting joins (a join with a branch, with a plain edge to the same node, with conditional edges in a
 * loop), {@code defer} nodes and a node writing one channel twice, as LangGraph 1.2.12 runs them. Each test names the
 * test of LangGraph's {@code test_pregel.py} it mirrors; the expected values are the lines that
 * src/test/resources/langgraph/fan_out_parity.py prints (its label named in each test). A node that sleeps in
 * LangGraph's test takes as long here (the order of one step's updates follows the tasks' timing in both).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FanOutParityTest {

  private static final Map<String, Object> Q = Map.of("query", "what is weather in sf");
  private static final String FINAL_QUERY = "analyzed: query: what is weather in sf";
  private static final Map<String, Object> ANSWERED = map("query", FINAL_QUERY, "answer", "doc1,doc2,doc3,doc4",
      "docs", List.of("doc1", "doc2", "doc3", "doc4"));

  /** LangGraph's test's {@code sorted_add} reducer, starting from its list's default (empty). */
  @SuppressWarnings("unchecked")
  static Channel sortedAdd() {
    return Channels.reducer((a, b) -> {
      List<String> all = new ArrayList<>((List<String>) a);
      all.addAll((List<String>) b);
      Collections.sort(all);
      return all;
    }, List.of());
  }

  private static StateGraph rag(String name, Vertx vertx, long analyzerMs, long retrieverTwoMs) {
    return new StateGraph(name).strictChannels()
        .channel("query", Channels.lastValue()).channel("answer", Channels.lastValue()).channel("docs", sortedAdd())
        .addNode("rewrite_query", s -> Future.succeededFuture(Map.of("query", "query: " + s.getString("query"))))
        .addNode("analyzer_one", s -> later(vertx, analyzerMs, Map.of("query", "analyzed: " + s.getString("query"))))
        .addNode("retriever_one", s -> Future.succeededFuture(Map.of("docs", List.of("doc1", "doc2"))))
        .addNode("retriever_two", s -> later(vertx, retrieverTwoMs, Map.of("docs", List.of("doc3", "doc4"))));
  }

  private static Future<Object> qa(io.graphloop.state.State s) {
    return Future.succeededFuture(Map.of("answer", String.join(",", s.getList("docs").stream().map(String::valueOf).toList())));
  }

  private static Map<String, Object> upd(String node, Object... pairs) {
    return Collections.singletonMap(node, pairs.length == 0 ? null : map(pairs));
  }

  private static final Map<String, Object> INTERRUPT = Map.of("__interrupt__", List.of());

  /** test_in_one_fan_out_state_graph_waiting_edge_via_branch ("via-branch ..." lines). */
  @Test
  void testInOneFanOutStateGraphWaitingEdgeViaBranch(Vertx vertx) {
    StateGraph graph = rag("via-branch", vertx, 0, 100).addNode("qa", FanOutParityTest::qa)
        .setEntryPoint("rewrite_query")
        .addEdge("rewrite_query", "analyzer_one").addEdge("analyzer_one", "retriever_one")
        .addConditionalEdges("rewrite_query", s -> "retriever_two", List.of("retriever_two"))
        .addEdge(List.of("retriever_one", "retriever_two"), "qa").setFinishPoint("qa");
    GraphClient client = deploy(vertx, graph.compile());
    assertEquals(ANSWERED, result(client.invoke(Q)).asMap());
    List<Object> run = List.of(upd("rewrite_query", "query", "query: what is weather in sf"),
        upd("analyzer_one", "query", FINAL_QUERY), upd("retriever_two", "docs", List.of("doc3", "doc4")),
        upd("retriever_one", "docs", List.of("doc1", "doc2")));
    List<Object> all = new ArrayList<>(run);
    all.add(upd("qa", "answer", "doc1,doc2,doc3,doc4"));
    assertEquals(all, chunks(vertx, client, Q, new RunOptions(), StreamMode.UPDATES));

    RunOptions thread = new RunOptions().setThreadId("1").setInterruptAfter(List.of("retriever_one"))
        .setDurability(Durability.SYNC);
    List<Object> interrupted = new ArrayList<>(run);
    interrupted.add(INTERRUPT);
    assertEquals(interrupted, chunks(vertx, client, Q, thread, StreamMode.UPDATES));
    ThreadState state = result(client.getState("1"));
    assertEquals(list(map("query", FINAL_QUERY, "docs", List.of("doc1", "doc2", "doc3", "doc4")), List.of("qa"),
        "loop", 3), list(state.values().asMap(), state.next(), state.source().wireName(), state.step()));
    assertEquals(List.of(upd("qa", "answer", "doc1,doc2,doc3,doc4")),
        Parity.resumed(vertx, client, thread, StreamMode.UPDATES));
    assertEquals(List.of(list("loop", 4, List.of()), list("loop", 3, List.of("qa")),
        list("loop", 2, List.of("retriever_one")), list("loop", 1, List.of("analyzer_one", "retriever_two")),
        list("loop", 0, List.of("rewrite_query")), list("input", -1, List.of(START))), steps(client, "1"));
  }

  /**
   * test_in_one_fan_out_state_graph_waiting_edge_plus_regular ("plus-regular ..." lines): a plain edge to the join's
   * node runs it early (with no docs yet) without spoiling the join, which runs it again once both sources ran.
   */
  @Test
  void testInOneFanOutStateGraphWaitingEdgePlusRegular(Vertx vertx) {
    StateGraph graph = rag("plus-regular", vertx, 100, 200).addNode("qa", FanOutParityTest::qa)
        .setEntryPoint("rewrite_query")
        .addEdge("rewrite_query", "analyzer_one").addEdge("analyzer_one", "retriever_one")
        .addEdge("rewrite_query", "retriever_two").addEdge(List.of("retriever_one", "retriever_two"), "qa")
        .setFinishPoint("qa").addEdge("rewrite_query", "qa");
    GraphClient client = deploy(vertx, graph.compile());
    assertEquals(ANSWERED, result(client.invoke(Q)).asMap());
    List<Object> run = List.of(upd("rewrite_query", "query", "query: what is weather in sf"),
        upd("qa", "answer", ""), upd("analyzer_one", "query", FINAL_QUERY),
        upd("retriever_two", "docs", List.of("doc3", "doc4")), upd("retriever_one", "docs", List.of("doc1", "doc2")));
    List<Object> all = new ArrayList<>(run);
    all.add(upd("qa", "answer", "doc1,doc2,doc3,doc4"));
    assertEquals(all, chunks(vertx, client, Q, new RunOptions(), StreamMode.UPDATES));

    RunOptions thread = new RunOptions().setThreadId("1").setInterruptAfter(List.of("retriever_one"))
        .setDurability(Durability.SYNC);
    List<Object> interrupted = new ArrayList<>(run);
    interrupted.add(INTERRUPT);
    assertEquals(interrupted, chunks(vertx, client, Q, thread, StreamMode.UPDATES));
    assertEquals(List.of(upd("qa", "answer", "doc1,doc2,doc3,doc4")),
        Parity.resumed(vertx, client, thread, StreamMode.UPDATES));
    assertEquals(List.of(list("loop", 4, List.of()), list("loop", 3, List.of("qa")),
        list("loop", 2, List.of("retriever_one")), list("loop", 1, List.of("analyzer_one", "retriever_two", "qa")),
        list("loop", 0, List.of("rewrite_query")), list("input", -1, List.of(START))), steps(client, "1"));
  }

  /**
   * test_in_one_fan_out_state_graph_waiting_edge_multiple_cond_edge ("multiple-cond ..." lines): a router returning
   * two nodes feeds a join, whose node (returning nothing) loops back once; the join fires again on the second lap.
   */
  @Test
  void testInOneFanOutStateGraphWaitingEdgeMultipleCondEdge(Vertx vertx) {
    StateGraph graph = rag("multiple-cond", vertx, 0, 100).addNode("qa", FanOutParityTest::qa)
        .addNode("decider", s -> Future.succeededFuture(null))
        .setEntryPoint("rewrite_query")
        .addConditionalEdges("rewrite_query", s -> List.of("analyzer_one", "retriever_two"))
        .addEdge("analyzer_one", "retriever_one").addEdge(List.of("retriever_one", "retriever_two"), "decider")
        .addConditionalEdges("decider", s -> s.getString("query").split("analyzed", -1).length - 1 > 1 ? "qa"
            : "rewrite_query")
        .setFinishPoint("qa");
    GraphClient client = deploy(vertx, graph.compile());
    List<String> docs = List.of("doc1", "doc1", "doc2", "doc2", "doc3", "doc3", "doc4", "doc4");
    String twice = "analyzed: query: analyzed: query: what is weather in sf";
    assertEquals(map("query", twice, "answer", String.join(",", docs), "docs", docs), result(client.invoke(Q)).asMap());
    assertEquals(List.of(upd("rewrite_query", "query", "query: what is weather in sf"),
        upd("analyzer_one", "query", FINAL_QUERY), upd("retriever_two", "docs", List.of("doc3", "doc4")),
        upd("retriever_one", "docs", List.of("doc1", "doc2")), upd("decider"),
        upd("rewrite_query", "query", "query: " + FINAL_QUERY), upd("analyzer_one", "query", twice),
        upd("retriever_two", "docs", List.of("doc3", "doc4")), upd("retriever_one", "docs", List.of("doc1", "doc2")),
        upd("decider"), upd("qa", "answer", String.join(",", docs))),
        chunks(vertx, client, Q, new RunOptions(), StreamMode.UPDATES));
  }

  /**
   * test_in_one_fan_out_state_graph_defer_node, with and without a waiting edge ("defer waiting=... " lines): the
   * deferred qa runs when nothing else is due, after analyzer_one; the debug stream's steps, inputs and results;
   * breakpoints after analyzer_one and before qa; an update at the breakpoint keeps qa due (source update, step 4).
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void testInOneFanOutStateGraphDeferNode(boolean waiting, Vertx vertx) {
    StateGraph graph = rag("defer-" + waiting, vertx, 0, 100)
        .addNode("qa", (s, ctx) -> qa(s), new NodeOptions().setDefer(true))
        .setEntryPoint("rewrite_query")
        .addEdge("rewrite_query", "retriever_one").addEdge("retriever_one", "analyzer_one")
        .addEdge("rewrite_query", "retriever_two");
    if (waiting) {
      graph.addEdge(List.of("retriever_one", "retriever_two"), "qa");
    } else {
      graph.addEdge("retriever_one", "qa").addEdge("retriever_two", "qa");
    }
    graph.setFinishPoint("qa");
    GraphClient client = deploy(vertx, graph.compile());
    assertEquals(ANSWERED, result(client.invoke(Q)).asMap());
    List<Object> run = List.of(upd("rewrite_query", "query", "query: what is weather in sf"),
        upd("retriever_one", "docs", List.of("doc1", "doc2")), upd("retriever_two", "docs", List.of("doc3", "doc4")),
        upd("analyzer_one", "query", FINAL_QUERY));
    List<Object> all = new ArrayList<>(run);
    all.add(upd("qa", "answer", "doc1,doc2,doc3,doc4"));
    assertEquals(all, chunks(vertx, client, Q, new RunOptions(), StreamMode.UPDATES));

    Map<String, Object> asked = map("query", "query: what is weather in sf", "docs", List.of());
    List<String> four = List.of("doc1", "doc2", "doc3", "doc4");
    assertEquals(List.of(
        list("task", 1, "rewrite_query", map("query", "what is weather in sf", "docs", List.of()), null),
        list("task_result", 1, "rewrite_query", null, map("query", "query: what is weather in sf")),
        list("task", 2, "retriever_one", asked, null), list("task", 2, "retriever_two", asked, null),
        list("task_result", 2, "retriever_one", null, map("docs", List.of("doc1", "doc2"))),
        list("task_result", 2, "retriever_two", null, map("docs", List.of("doc3", "doc4"))),
        list("task", 3, "analyzer_one", map("query", "query: what is weather in sf", "docs", four), null),
        list("task_result", 3, "analyzer_one", null, map("query", FINAL_QUERY)),
        list("task", 4, "qa", map("query", FINAL_QUERY, "docs", four), null),
        list("task_result", 4, "qa", null, map("answer", "doc1,doc2,doc3,doc4"))), debugTasks(vertx, client));

    RunOptions after = new RunOptions().setThreadId("1").setInterruptAfter(List.of("analyzer_one"));
    List<Object> interrupted = new ArrayList<>(run);
    interrupted.add(INTERRUPT);
    assertEquals(interrupted, chunks(vertx, client, Q, after, StreamMode.UPDATES));
    assertEquals(List.of(upd("qa", "answer", "doc1,doc2,doc3,doc4")),
        Parity.resumed(vertx, client, after, StreamMode.UPDATES));

    RunOptions before = new RunOptions().setThreadId("2").setInterruptBefore(List.of("qa"));
    assertEquals(interrupted, chunks(vertx, client, Q, before, StreamMode.UPDATES));
    result(client.updateState("2", Map.of("docs", List.of("doc5")), null));
    ThreadState state = result(client.getState("2"));
    assertEquals(list(map("query", FINAL_QUERY, "docs", List.of("doc1", "doc2", "doc3", "doc4", "doc5")),
        List.of("qa"), List.of("qa"), "update", 4, Map.of(), List.of()),
        list(state.values().asMap(), state.next(), state.tasks().stream().map(t -> t.get("node")).toList(),
            state.source().wireName(), state.step(), state.metadata().get("parents"), state.interrupts()));
    assertEquals(List.of(upd("qa", "answer", "doc1,doc2,doc3,doc4,doc5")),
        Parity.resumed(vertx, client, before, StreamMode.UPDATES));
    assertEquals(List.of(list("loop", 5, List.of()), list("update", 4, List.of("qa")), list("loop", 3, List.of("qa")),
        list("loop", 2, List.of("analyzer_one")), list("loop", 1, List.of("retriever_one", "retriever_two")),
        list("loop", 0, List.of("rewrite_query")), list("input", -1, List.of(START))), steps(client, "2"));
  }

  /** Task events of the debug stream as {@code [type, step, name, input, result]}. */
  @SuppressWarnings("unchecked")
  private static List<Object> debugTasks(Vertx vertx, GraphClient client) {
    List<Object> out = new ArrayList<>();
    for (StreamEvent event : Parity.events(vertx, client, Q, null, new RunOptions(), StreamMode.DEBUG)) {
      Map<String, Object> data = event.data();
      if (!"checkpoint".equals(data.get("type"))) {
        Map<String, Object> payload = (Map<String, Object>) data.get("payload");
        out.add(list(data.get("type"), data.get("step"), payload.get("name"), payload.get("input"),
            payload.get("result")));
      }
    }
    return out;
  }

  /** test_simple_multi_edge ("multi-edge ..." lines): a join whose sources are a node and that node's successor. */
  @Test
  void testSimpleMultiEdge(Vertx vertx) {
    StateGraph graph = new StateGraph("multi-edge").channel("my_key", Channels.reducer((a, b) -> (String) a + b, ""))
        .addNode("up", s -> Future.succeededFuture(null)).addNode("side", s -> later(vertx, 50, null))
        .addNode("other", s -> Future.succeededFuture(Map.of("my_key", "_more")))
        .addNode("down", s -> Future.succeededFuture(null))
        .setEntryPoint("up").addEdge("up", "side").addEdge("up", "other").addEdge(List.of("up", "side"), "down")
        .setFinishPoint("down");
    GraphClient client = deploy(vertx, graph.compile());
    Map<String, Object> input = Map.of("my_key", "my_value");
    assertEquals(Map.of("my_key", "my_value_more"), result(client.invoke(input)).asMap());
    assertEquals(List.of(upd("up"), upd("other", "my_key", "_more"), upd("side"), upd("down")),
        chunks(vertx, client, input, new RunOptions(), StreamMode.UPDATES));
    assertEquals(List.of(Map.of("my_key", "my_value"), Map.of("my_key", "my_value_more")),
        chunks(vertx, client, input, new RunOptions(), StreamMode.VALUES));
  }

  /**
   * test_multiple_writes_same_channel_from_same_node ("same-channel ..." lines): two writes of one channel by one
   * node (LangGraph's {@code Command(update=[("foo", "one.0"), ("foo", "one.1")])}, here two Commands) reach the
   * reducer in order; the updates, the tasks stream and each checkpoint's task results show both.
   */
  @Test
  void testMultipleWritesSameChannelFromSameNode(Vertx vertx) {
    StateGraph graph = new StateGraph("same-channel")
        .channel("foo", Channels.reducer((a, b) -> ((String) a).isEmpty() ? b : ((String) b).isEmpty() ? a
            : a + ", " + b, ""))
        .addNode("one", s -> Future.succeededFuture(List.of(Command.ofUpdate(Map.of("foo", "one.0")),
            Command.ofUpdate(Map.of("foo", "one.1")))))
        .addNode("two", s -> Future.succeededFuture(Map.of("foo", "two")))
        .addEdge(START, "one").addEdge("one", "two").addEdge("two", END);
    GraphClient client = deploy(vertx, graph.compile());
    List<Object> seen = new ArrayList<>();
    for (StreamEvent event : Parity.events(vertx, client, Map.of("foo", "input"), null,
        new RunOptions().setThreadId("1"), StreamMode.UPDATES, StreamMode.TASKS)) {
      Map<String, Object> data = new java.util.LinkedHashMap<>(event.data());
      if (event.event().wireName().equals("tasks")) {
        data.keySet().retainAll(List.of("name", "input", "error", "result", "interrupts"));
      }
      seen.add(list(event.event().wireName(), data));
    }
    Map<String, Object> oneResult = map("foo", map("$writes", List.of("one.0", "one.1")));
    assertEquals(List.of(list("tasks", map("name", "one", "input", map("foo", "input"))),
        list("updates", map("one", List.of(map("foo", "one.0"), map("foo", "one.1")))),
        list("tasks", map("name", "one", "error", null, "result", oneResult, "interrupts", List.of())),
        list("tasks", map("name", "two", "input", map("foo", "input, one.0, one.1"))),
        list("updates", map("two", map("foo", "two"))),
        list("tasks", map("name", "two", "error", null, "result", map("foo", "two"), "interrupts", List.of()))), seen);
    assertEquals(List.of(map("tasks", List.of(), "values", map("foo", "input, one.0, one.1, two")),
        map("tasks", List.of(map("name", "two", "result", map("foo", "two"))), "values",
            map("foo", "input, one.0, one.1")),
        map("tasks", List.of(map("name", "one", "result", oneResult)), "values", map("foo", "input")),
        map("tasks", List.of(map("name", START, "result", map("foo", "input"))), "values", map("foo", ""))),
        Parity.taskResults(client, "1"));
  }
}
