package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.ThreadState;
import io.graphloop.run.ThreadUpdate;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph 1.2.12's step model as a history shows it: an input checkpoint at step -1 with {@code __start__} due, a
 * loop checkpoint per superstep, each checkpoint's {@code next} and {@code tasks} (with the result each task wrote),
 * its parent, and the steps of a second run on the same thread. Each test names the test of LangGraph's
 * {@code test_pregel.py} it mirrors; the expected values are the output of
 * src/test/resources/langgraph/step_model.py run against LangGraph 1.2.12 ({@code InMemorySaver}). A history line is
 * {@code (source, step, next, values, parent's index, [(task, result)])}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class StepModelParityTest {

  private static List<List<Object>> history(GraphClient client, String thread) {
    List<ThreadState> states = result(client.getStateHistory(thread, 0, null));
    List<String> ids = states.stream().map(ThreadState::checkpointId).toList();
    List<List<Object>> lines = new ArrayList<>();
    for (ThreadState state : states) {
      int parent = state.parentCheckpointId() == null ? -1 : ids.indexOf(state.parentCheckpointId());
      List<Object> tasks = new ArrayList<>();
      state.tasks().forEach(task -> tasks.add(Arrays.asList(task.get("node"), task.get("result"))));
      lines.add(Arrays.asList(state.source().wireName(), state.step(), state.next(), state.values().asMap(),
          parent < 0 ? null : parent, tasks));
      assertEquals(Map.of(), state.metadata().get("parents"), "a root graph's checkpoint has no parents");
    }
    return lines;
  }

  /** A history line with LangGraph's values: every task with its result, also a step's only task. */
  private static List<Object> line(String source, int step, List<String> next, Map<String, ?> values, Integer parent,
                                   Object... tasks) {
    List<Object> taskList = new ArrayList<>();
    for (int i = 0; i < tasks.length; i += 2) {
      taskList.add(Arrays.asList(tasks[i], tasks[i + 1]));
    }
    return Arrays.asList(source, step, next, values, parent, taskList);
  }

  /**
   * test_run_from_checkpoint_id_retains_previous_writes: two nodes sharing one switch, routed by conditional edges,
   * over a summing channel; replaying from the second newest checkpoint saves a fork of it (source {@code fork}, the
   * replayed checkpoint's step + 1) and runs node_two again on the values stored there.
   */
  @Test
  void replayFromACheckpointIdRetainsThePreviousWrites(Vertx vertx) {
    AtomicBoolean toggle = new AtomicBoolean();
    io.graphloop.graph.AsyncNode anode = (state, ctx) -> {
      boolean on = !toggle.get();
      toggle.set(on);
      return Future.succeededFuture(Map.of("myval", on ? 2 : 1, "otherval", on));
    };
    StateGraph graph = new StateGraph("sm-retains")
        .channel("myval", Channels.reducer((a, b) -> ((Number) a).intValue() + ((Number) b).intValue(), 0))
        .channel("otherval", Channels.lastValue())
        .addNode("node_one", anode).addNode("node_two", anode)
        .addEdge(START, "node_one");
    for (String src : List.of("node_one", "node_two")) {
      String swap = src.equals("node_one") ? "node_two" : "node_one";
      graph.addConditionalEdges(src, state -> state.getInteger("myval") > 3 ? END
          : Boolean.TRUE.equals(state.get("otherval")) ? swap : src, List.of("node_one", "node_two", END));
    }
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t");
    assertEquals(Map.of("myval", 4, "otherval", false),
        result(client.run(Map.of("myval", 1), thread)).values().asMap());
    List<List<Object>> first = List.of(
        line("loop", 2, List.of(), Map.of("myval", 4, "otherval", false), 1),
        line("loop", 1, List.of("node_two"), Map.of("myval", 3, "otherval", true), 2,
            "node_two", Map.of("myval", 1, "otherval", false)),
        line("loop", 0, List.of("node_one"), Map.of("myval", 1), 3,
            "node_one", Map.of("myval", 2, "otherval", true)),
        line("input", -1, List.of(START), Map.of("myval", 0), null, START, Map.of("myval", 1)));
    assertEquals(first, history(client, "t"));

    String second = result(client.getStateHistory("t", 0, null)).get(1).checkpointId();
    assertEquals(Map.of("myval", 5, "otherval", true),
        result(client.proceed(new RunOptions().setThreadId("t").setCheckpointId(second))).values().asMap());
    assertEquals(List.of(
        line("loop", 3, List.of(), Map.of("myval", 5, "otherval", true), 1),
        line("fork", 2, List.of("node_two"), Map.of("myval", 3, "otherval", true), 3,
            "node_two", Map.of("myval", 2, "otherval", true)),
        line("loop", 2, List.of(), Map.of("myval", 4, "otherval", false), 3),
        line("loop", 1, List.of("node_two"), Map.of("myval", 3, "otherval", true), 4,
            "node_two", Map.of("myval", 1, "otherval", false)),
        line("loop", 0, List.of("node_one"), Map.of("myval", 1), 5,
            "node_one", Map.of("myval", 2, "otherval", true)),
        line("input", -1, List.of(START), Map.of("myval", 0), null, START, Map.of("myval", 1))),
        history(client, "t"));
  }

  /**
   * test_supersteps_populate_task_results: every checkpoint's task shows the writes it made, for a run and for the
   * same steps written with {@code bulkUpdateState} (as {@code __input__}, {@code __start__}, then the node); an
   * update as {@code __input__} alone is an input checkpoint a run without input continues.
   */
  @Test
  void superstepsPopulateTaskResults(Vertx vertx) {
    StateGraph graph = new StateGraph("sm-task-results").strictChannels()
        .channel("num", Channels.lastValue()).channel("text", Channels.lastValue())
        .addNode("double", state -> Future.succeededFuture(Map.of("num", state.getInteger("num") * 2,
            "text", state.getString("text").repeat(2))))
        .addEdge(START, "double").addEdge("double", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    result(client.run(Map.of("num", 1, "text", "one"), new RunOptions().setThreadId("ref")));
    assertEquals(List.of(
        line("loop", 1, List.of(), Map.of("num", 2, "text", "oneone"), 1),
        line("loop", 0, List.of("double"), Map.of("num", 1, "text", "one"), 2,
            "double", Map.of("num", 2, "text", "oneone")),
        line("input", -1, List.of(START), Map.of(), null, START, Map.of("num", 1, "text", "one"))),
        history(client, "ref"));

    result(client.bulkUpdateState("bulk", null, List.of(
        List.of(ThreadUpdate.of(Map.of(), "__input__")),
        List.of(ThreadUpdate.of(Map.of("num", 1, "text", "one"), START)),
        List.of(ThreadUpdate.of(Map.of("num", 2, "text", "oneone"), "double")))));
    assertEquals(List.of(
        line("update", 1, List.of(), Map.of("num", 2, "text", "oneone"), 1),
        line("update", 0, List.of("double"), Map.of("num", 1, "text", "one"), 2,
            "double", Map.of("num", 2, "text", "oneone")),
        line("input", -1, List.of(START), Map.of(), null, START, Map.of("num", 1, "text", "one"))),
        history(client, "bulk"));

    // an update as __input__ alone: an input checkpoint that a run without input continues
    result(client.updateState("in", Map.of("num", 3, "text", "x"), "__input__"));
    assertEquals(List.of(line("input", -1, List.of(START), Map.of(), null, START, null)), history(client, "in"));
    assertEquals(Map.of("num", 6, "text", "xx"),
        result(client.proceed(new RunOptions().setThreadId("in"))).values().asMap());
    assertEquals(List.of(
        line("loop", 1, List.of(), Map.of("num", 6, "text", "xx"), 1),
        line("loop", 0, List.of("double"), Map.of("num", 3, "text", "x"), 2, "double", Map.of("num", 6, "text", "xx")),
        line("input", -1, List.of(START), Map.of(), null, START, Map.of("num", 3, "text", "x"))),
        history(client, "in"));
  }

  /**
   * History with parallel branches and a waiting join (START -> a -> (b, c) -> [b, c] -> d), over two runs on one
   * thread: the second run's input checkpoint takes the thread's last step + 1 and its steps go on from there; the
   * step of b and c lists both tasks with their results.
   */
  @Test
  void historyWithParallelBranchesAndASecondRun(Vertx vertx) {
    StateGraph graph = new StateGraph("sm-parallel").channel("value", Channels.append());
    for (String node : List.of("a", "b", "c", "d")) {
      graph.addNode(node, state -> Future.succeededFuture(Map.of("value", List.of(node))));
    }
    graph.addEdge(START, "a").addEdge("a", "b").addEdge("a", "c").addEdge(List.of("b", "c"), "d").addEdge("d", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("p");
    assertEquals(List.of("in", "a", "b", "c", "d"),
        result(client.run(Map.of("value", List.of("in")), thread)).values().getList("value"));
    assertEquals(List.of("in", "a", "b", "c", "d", "again", "a", "b", "c", "d"),
        result(client.run(Map.of("value", List.of("again")), thread)).values().getList("value"));
    List<String> run1 = List.of("in", "a", "b", "c", "d");
    assertEquals(List.of(
        line("loop", 8, List.of(), Map.of("value", List.of("in", "a", "b", "c", "d", "again", "a", "b", "c", "d")), 1),
        line("loop", 7, List.of("d"), Map.of("value", List.of("in", "a", "b", "c", "d", "again", "a", "b", "c")), 2,
            "d", Map.of("value", List.of("d"))),
        line("loop", 6, List.of("b", "c"), Map.of("value", List.of("in", "a", "b", "c", "d", "again", "a")), 3,
            "b", Map.of("value", List.of("b")), "c", Map.of("value", List.of("c"))),
        line("loop", 5, List.of("a"), Map.of("value", List.of("in", "a", "b", "c", "d", "again")), 4,
            "a", Map.of("value", List.of("a"))),
        line("input", 4, List.of(START), Map.of("value", run1), 5, START, Map.of("value", List.of("again"))),
        line("loop", 3, List.of(), Map.of("value", run1), 6),
        line("loop", 2, List.of("d"), Map.of("value", List.of("in", "a", "b", "c")), 7,
            "d", Map.of("value", List.of("d"))),
        line("loop", 1, List.of("b", "c"), Map.of("value", List.of("in", "a")), 8,
            "b", Map.of("value", List.of("b")), "c", Map.of("value", List.of("c"))),
        line("loop", 0, List.of("a"), Map.of("value", List.of("in")), 9, "a", Map.of("value", List.of("a"))),
        line("input", -1, List.of(START), Map.of("value", List.of()), null, START, Map.of("value", List.of("in")))),
        history(client, "p"));
  }

  /**
   * test_debug_retry: an update (no values) of the checkpoint before step 1, then a run from it streamed in
   * {@code debug}: LangGraph first streams the checkpoint it starts from, then each step's tasks and checkpoint, with
   * its steps; every streamed checkpoint's config and parent config are the history's.
   */
  @Test
  void debugRetryStreamsCheckpointsAsTheHistoryHasThem(Vertx vertx) {
    StateGraph graph = new StateGraph("sm-debug-retry").channel("messages", Channels.append());
    for (String node : List.of("one", "two")) {
      graph.addNode(node, state -> Future.succeededFuture(Map.of("messages", List.of("entered " + node + " node"))));
    }
    graph.addEdge(START, "one").addEdge("one", "two").addEdge("two", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    result(client.run(Map.of("messages", List.of()), new RunOptions().setThreadId("1")));
    String target = result(client.getStateHistory("1", 0, null)).stream().filter(s -> s.step() == 1).findFirst()
        .orElseThrow().parentCheckpointId();
    ThreadState update = result(client.updateState("1", target, null, null));
    assertEquals(Arrays.asList("update", 1, List.of("one"), Map.of("messages", List.of())),
        Arrays.asList(update.source().wireName(), update.step(), update.next(), update.values().asMap()));

    List<io.graphloop.run.StreamEvent> events = result(StreamCollector.collect(vertx, () -> client.stream(
        (Map<String, ?>) null, new RunOptions().setThreadId("1").setCheckpointId(update.checkpointId()),
        io.graphloop.run.StreamMode.DEBUG)));
    List<Object> seen = new ArrayList<>();
    List<Map<String, Object>> checkpoints = new ArrayList<>();
    for (io.graphloop.run.StreamEvent event : events) {
      if (event.isTerminal()) {
        continue;
      }
      Map<String, Object> data = event.data();
      @SuppressWarnings("unchecked") Map<String, Object> payload = (Map<String, Object>) data.get("payload");
      seen.add(Arrays.asList(data.get("type"), data.get("step"), payload.get("name"),
          payload.getOrDefault("next", List.of())));
      if ("checkpoint".equals(data.get("type"))) {
        checkpoints.add(payload);
      }
    }
    assertEquals(List.of(
        Arrays.asList("checkpoint", 1, null, List.of("one")),
        Arrays.asList("task", 2, "one", List.of()), Arrays.asList("task_result", 2, "one", List.of()),
        Arrays.asList("checkpoint", 2, null, List.of("two")),
        Arrays.asList("task", 3, "two", List.of()), Arrays.asList("task_result", 3, "two", List.of()),
        Arrays.asList("checkpoint", 3, null, List.of())), seen);
    Map<String, ThreadState> byId = new java.util.HashMap<>();
    result(client.getStateHistory("1", 0, null)).forEach(s -> byId.put(s.checkpointId(), s));
    for (Map<String, Object> payload : checkpoints) {
      String id = configured(payload.get("config"));
      assertTrue(byId.containsKey(id), "a streamed checkpoint is in the history: " + id);
      assertEquals(byId.get(id).parentCheckpointId(), configured(payload.get("parent_config")));
    }
    assertEquals(List.of(
        line("loop", 3, List.of(), Map.of("messages", List.of("entered one node", "entered two node")), 1),
        line("loop", 2, List.of("two"), Map.of("messages", List.of("entered one node")), 2, "two", Map.of("messages", List.of("entered two node"))),
        line("update", 1, List.of("one"), Map.of("messages", List.of()), 5, "one",
            Map.of("messages", List.of("entered one node"))),
        line("loop", 2, List.of(), Map.of("messages", List.of("entered one node", "entered two node")), 4),
        line("loop", 1, List.of("two"), Map.of("messages", List.of("entered one node")), 5, "two", Map.of("messages", List.of("entered two node"))),
        line("loop", 0, List.of("one"), Map.of("messages", List.of()), 6, "one",
            Map.of("messages", List.of("entered one node"))),
        line("input", -1, List.of(START), Map.of("messages", List.of()), null, START, Map.of("messages", List.of()))),
        history(client, "1"));
  }

  /** The checkpoint id of a LangGraph checkpoint config ({@code {"configurable": {"checkpoint_id"}}}), or null. */
  @SuppressWarnings("unchecked")
  private static String configured(Object config) {
    return config == null ? null : (String) ((Map<String, Object>) ((Map<String, Object>) config).get("configurable"))
        .get("checkpoint_id");
  }
}
