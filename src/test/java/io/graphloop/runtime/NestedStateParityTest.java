package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ParityExpectations.withoutTaskIds;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.list;
import static io.graphloop.runtime.Parity.map;

/**
 * States of a thread whose subgraph (or a subgraph's subgraph) stopped at a static breakpoint, as LangGraph 1.2.12
 * shows them under {@code exit} and {@code async} durability: results, {@code getState} with and without subgraphs
 * (the child's and grandchild's values, next, tasks, step, source, {@code parents} and namespace), the parent's
 * history, and the {@code updates}/{@code values} streams with subgraphs, of a run and of its resumption
 * ({@code test_nested_graph_state} and {@code test_doubly_nested_graph_state} of {@code test_large_cases.py}). The
 * expected values are src/test/resources/langgraph/nested_graph_state.json, written by nested_graph_state.py beside
 * it; each state is reduced as that script reduces LangGraph's {@code StateSnapshot}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NestedStateParityTest {

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/nested_graph_state.json");

  /** A state as nested_graph_state.py's {@code snap} prints it. */
  private static Map<String, Object> snap(ThreadState s) {
    List<Object> tasks = new ArrayList<>();
    List<Object> subs = new ArrayList<>();
    for (int i = 0; i < s.tasks().size(); i++) {
      Map<String, Object> task = s.tasks().get(i);
      tasks.add(list(task.get("node"), task.get("result"), task.get("interrupts")));
      ThreadState sub = s.subgraphState(i);
      if (sub != null) {
        subs.add(snap(sub));
      }
    }
    Object ns = s.metadata().get("checkpointNs");
    Object parents = s.metadata().get("parents");
    Map<String, Object> out = map("values", s.values().asMap(), "next", s.next(), "source", s.source().wireName(),
        "step", s.step(), "parents", ((Map<?, ?>) parents).keySet().stream().map(k -> withoutTaskIds(String.valueOf(k)))
            .sorted().toList(),
        "hasParent", s.parentCheckpointId() != null, "tasks", tasks, "ns", ns == null ? "" : withoutTaskIds(String.valueOf(ns)));
    if (!subs.isEmpty()) {
      out.put("subs", subs);
    }
    return out;
  }

  private static List<Object> history(GraphClient client, String thread) {
    List<Object> out = new ArrayList<>();
    for (ThreadState s : result(client.getStateHistory(thread, 0, null))) {
      out.add(snap(s));
    }
    return out;
  }

  /** Chunks as {@code [namespace levels, chunk]}, or {@code [levels, mode, chunk]} for several modes. */
  private static List<Object> chunks(List<StreamEvent> events, boolean withMode) {
    List<Object> out = new ArrayList<>();
    for (StreamEvent e : events) {
      List<String> ns = new ArrayList<>();
      if (e.ns() != null && !e.ns().isEmpty()) {
        for (String level : e.ns().split("\\|")) {
          ns.add(level.split(":")[0]);
        }
      }
      out.add(withMode ? list(ns, e.event().wireName(), e.data()) : list(ns, e.data()));
    }
    return out;
  }

  private static StateGraph myKey(String name) {
    return new StateGraph(name).channel("my_key", Channels.lastValue()).strictChannels();
  }

  @Test
  void testNestedGraphState(Vertx vertx) {
    for (Durability durability : List.of(Durability.EXIT, Durability.ASYNC)) {
      CompiledGraph inner = myKey("nested-state-inner-" + durability).channel("my_other_key", Channels.lastValue())
          .addNode("inner_1", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " here",
              "my_other_key", s.getString("my_key"))))
          .addNode("inner_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and there",
              "my_other_key", s.getString("my_key"))))
          .addEdge("inner_1", "inner_2").setEntryPoint("inner_1").setFinishPoint("inner_2")
          .interruptBefore("inner_2").compile();
      GraphClient client = deploy(vertx, myKey("nested-state-" + durability)
          .channel("other_parent_key", Channels.lastValue())
          .addNode("outer_1", s -> Future.succeededFuture(Map.of("my_key", "hi " + s.getString("my_key"))))
          .addSubgraph("inner", inner)
          .addNode("outer_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and back again")))
          .setEntryPoint("outer_1").addEdge("outer_1", "inner").addEdge("inner", "outer_2").setFinishPoint("outer_2")
          .compile());
      RunOptions thread = new RunOptions().setThreadId("1").setDurability(durability);
      Map<String, Object> actual = new LinkedHashMap<>();
      actual.put("first", result(client.run(Map.of("my_key", "my value"), thread)).values().asMap());
      actual.put("state", snap(result(client.getState("1"))));
      actual.put("stateWithSubgraphs", snap(result(client.getState("1", null, true))));
      actual.put("history", history(client, "1"));
      actual.put("second", result(client.proceed(thread)).values().asMap());
      actual.put("finalState", snap(result(client.getState("1", null, true))));
      actual.put("finalHistory", history(client, "1"));
      EXPECTED.check("test_nested_graph_state " + durability.wireName(), actual);
    }
  }

  @Test
  void testDoublyNestedGraphState(Vertx vertx) {
    for (Durability durability : List.of(Durability.EXIT, Durability.ASYNC)) {
      CompiledGraph grandchild = myKey("doubly-nested-grandchild-" + durability)
          .addNode("grandchild_1", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " here")))
          .addNode("grandchild_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and there")))
          .addEdge("grandchild_1", "grandchild_2").setEntryPoint("grandchild_1").setFinishPoint("grandchild_2")
          .interruptBefore("grandchild_2").compile();
      CompiledGraph child = myKey("doubly-nested-child-" + durability).addSubgraph("child_1", grandchild)
          .setEntryPoint("child_1").setFinishPoint("child_1").compile();
      GraphClient client = deploy(vertx, myKey("doubly-nested-" + durability)
          .addNode("parent_1", s -> Future.succeededFuture(Map.of("my_key", "hi " + s.getString("my_key"))))
          .addSubgraph("child", child)
          .addNode("parent_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and back again")))
          .setEntryPoint("parent_1").addEdge("parent_1", "child").addEdge("child", "parent_2").setFinishPoint("parent_2")
          .compile());
      Map<String, Object> actual = new LinkedHashMap<>();
      RunOptions one = new RunOptions().setThreadId("1").setDurability(durability).setStreamSubgraphs(true);
      actual.put("updates", chunks(Parity.events(vertx, client, Map.of("my_key", "my value"), null, one,
          StreamMode.UPDATES), false));
      actual.put("state", snap(result(client.getState("1"))));
      actual.put("stateWithSubgraphs", snap(result(client.getState("1", null, true))));
      actual.put("resumedUpdates", chunks(Parity.events(vertx, client, null, null, one, StreamMode.UPDATES), false));
      actual.put("finalState", snap(result(client.getState("1", null, true))));
      actual.put("history", history(client, "1"));
      RunOptions two = new RunOptions().setThreadId("2").setDurability(durability).setStreamSubgraphs(true);
      actual.put("values", chunks(Parity.events(vertx, client, Map.of("my_key", "my value"), null, two,
          StreamMode.VALUES), false));
      actual.put("resumedValues", chunks(Parity.events(vertx, client, null, null, two, StreamMode.VALUES), false));
      RunOptions three = new RunOptions().setThreadId("3").setDurability(durability).setStreamSubgraphs(true);
      actual.put("valuesAndUpdates", chunks(Parity.events(vertx, client, Map.of("my_key", "my value"), null, three,
          StreamMode.VALUES, StreamMode.UPDATES), true));
      actual.put("resumedValuesAndUpdates", chunks(Parity.events(vertx, client, null, null, three,
          StreamMode.VALUES, StreamMode.UPDATES), true));
      EXPECTED.check("test_doubly_nested_graph_state " + durability.wireName(), actual);
    }
  }
}
