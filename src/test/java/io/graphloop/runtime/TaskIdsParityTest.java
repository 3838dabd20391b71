package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.deploy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task has one id wherever a client sees it, as in LangGraph 1.2.12: its {@code tasks} and {@code debug} events,
 * the debug checkpoint that planned it, the thread's state and history, and the stream of the run that resumes it.
 * As LangGraph's, a task's id derives from the checkpoint it was planned from: a fork ({@code updateState} at an
 * earlier checkpoint) or a replay from an earlier checkpoint gives the tasks it runs again new ids, a resume keeps them.
 * The relations LangGraph shows are printed by {@code src/test/resources/langgraph/task_ids.py} and
 * {@code task_ids_branches.py} (the ids themselves differ: the checkpoint ids they digest do).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TaskIdsParityTest {

  private static CompiledGraph graph() {
    return new StateGraph("task-ids").channel("x", io.graphloop.state.Channels.lastValue())
        .addNode("a", s -> Future.succeededFuture(Map.of("x", ((Number) s.get("x")).intValue() + 1)))
        .addNode("b", (s, ctx) -> {
          Object answer = ctx.interrupt("ask");
          return Future.succeededFuture(Map.of("x", ((Number) s.get("x")).intValue() + ((Number) answer).intValue()));
        })
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile();
  }

  /** Node name -> every id its task events carried (tasks and debug), and the ids the debug checkpoints planned. */
  @SuppressWarnings("unchecked")
  private static void collect(List<StreamEvent> events, Map<String, Set<Object>> streamed,
                              Map<String, Object> planned) {
    for (StreamEvent event : events) {
      Map<String, Object> data = event.data();
      if (event.event().wireName().equals("tasks")) {
        streamed.computeIfAbsent((String) data.get("name"), n -> new LinkedHashSet<>()).add(data.get("id"));
        continue;
      }
      Map<String, Object> payload = (Map<String, Object>) data.get("payload");
      if ("checkpoint".equals(data.get("type"))) {
        for (Map<String, Object> task : (List<Map<String, Object>>) payload.get("tasks")) {
          planned.put((String) task.get("name"), task.get("id"));
        }
      } else {
        streamed.computeIfAbsent((String) payload.get("name"), n -> new LinkedHashSet<>()).add(payload.get("id"));
      }
    }
  }

  @Test
  void aTaskStreamsTheIdOfItsStateAndHistoryAndKeepsItWhenResumed(Vertx vertx) {
    GraphClient client = deploy(vertx, graph());
    RunOptions thread = new RunOptions().setThreadId("1");
    Map<String, Set<Object>> streamed = new LinkedHashMap<>();
    Map<String, Object> planned = new LinkedHashMap<>();
    collect(Parity.events(vertx, client, Map.of("x", 1), null, thread, StreamMode.TASKS, StreamMode.DEBUG),
        streamed, planned);

    ThreadState state = result(client.getState("1"));
    Object b = state.tasks().get(0).get("id");
    Map<String, Object> history = new LinkedHashMap<>();
    for (ThreadState checkpoint : result(client.getStateHistory("1", 0, null))) {
      checkpoint.tasks().forEach(task -> history.put((String) task.get("node"), task.get("id")));
    }
    assertEquals(Set.of(b), streamed.get("b"), "stream == state");
    assertEquals(Set.of(history.get("a")), streamed.get("a"), "stream == history");
    assertEquals(b, history.get("b"));
    assertEquals(Set.of(planned.get("a")), streamed.get("a"), "stream == debug checkpoint");
    assertEquals(Set.of(planned.get("b")), streamed.get("b"));
    assertNotEquals(streamed.get("a"), streamed.get("b"));

    Map<String, Set<Object>> resumed = new LinkedHashMap<>();
    collect(Parity.events(vertx, client, null, Command.resume(5), thread, StreamMode.TASKS), resumed, planned);
    assertEquals(Set.of(b), resumed.get("b"), "the resumed run streams the interrupted task's id");
    assertEquals(7, ((Number) result(client.getState("1")).values().asMap().get("x")).intValue());
  }

  /** a -> b -> c, each writing x: three steps, one task each. */
  private static CompiledGraph chain() {
    return new StateGraph("task-ids-chain").channel("x", io.graphloop.state.Channels.lastValue())
        .addNode("a", s -> Future.succeededFuture(Map.of("x", ((Number) s.get("x")).intValue() + 1)))
        .addNode("b", s -> Future.succeededFuture(Map.of("x", ((Number) s.get("x")).intValue() * 2)))
        .addNode("c", s -> Future.succeededFuture(Map.of("x", ((Number) s.get("x")).intValue() + 100)))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", "c").addEdge("c", END).compile();
  }

  /** Node name -> the ids the thread's history shows for its tasks, every checkpoint's. */
  private static Map<String, Set<Object>> historyIds(GraphClient client, String thread) {
    Map<String, Set<Object>> ids = new LinkedHashMap<>();
    for (ThreadState checkpoint : result(client.getStateHistory(thread, 0, null))) {
      checkpoint.tasks().forEach(task -> ids.computeIfAbsent((String) task.get("node"), n -> new LinkedHashSet<>())
          .add(task.get("id")));
    }
    return ids;
  }

  /** The checkpoint of {@code thread} whose next task is {@code node} (the first in the history, newest first). */
  private static ThreadState before(GraphClient client, String thread, String node) {
    for (ThreadState checkpoint : result(client.getStateHistory(thread, 0, null))) {
      if (checkpoint.next().equals(List.of(node))) {
        return checkpoint;
      }
    }
    throw new AssertionError("no checkpoint of thread " + thread + " has next " + node);
  }

  @Test
  void aReplayFromAnEarlierCheckpointRunsItsTasksUnderNewIds(Vertx vertx) {
    GraphClient client = deploy(vertx, chain());
    Map<String, Set<Object>> original = new LinkedHashMap<>();
    Map<String, Object> planned = new LinkedHashMap<>();
    collect(Parity.events(vertx, client, Map.of("x", 1), null, new RunOptions().setThreadId("r"), StreamMode.TASKS,
        StreamMode.DEBUG), original, planned);
    ThreadState beforeB = before(client, "r", "b");
    assertEquals(Set.of(beforeB.tasks().get(0).get("id")), original.get("b"), "the history shows the streamed id");

    Map<String, Set<Object>> replayed = new LinkedHashMap<>();
    Map<String, Object> replayPlanned = new LinkedHashMap<>();
    collect(Parity.events(vertx, client, null, null, new RunOptions().setThreadId("r")
        .setCheckpointId(beforeB.checkpointId()), StreamMode.TASKS, StreamMode.DEBUG), replayed, replayPlanned);
    assertEquals(1, replayed.get("b").size(), "one id per task in the replay's stream");
    assertNotEquals(original.get("b"), replayed.get("b"), "a replayed task is a new task (LangGraph: new id)");
    assertNotEquals(original.get("c"), replayed.get("c"));
    assertEquals(Set.of(replayPlanned.get("b")), replayed.get("b"), "stream == the debug checkpoint that planned it");
    Map<String, Set<Object>> history = historyIds(client, "r");
    assertEquals(Set.of(original.get("b").iterator().next(), replayed.get("b").iterator().next()), history.get("b"),
        "the history shows both branches' ids");
    assertTrue(history.get("c").containsAll(replayed.get("c")));
  }

  @Test
  void aForkByAnUpdateAtAnEarlierCheckpointRunsItsTasksUnderNewIds(Vertx vertx) {
    GraphClient client = deploy(vertx, chain());
    Map<String, Set<Object>> original = new LinkedHashMap<>();
    collect(Parity.events(vertx, client, Map.of("x", 1), null, new RunOptions().setThreadId("f"), StreamMode.TASKS),
        original, new LinkedHashMap<>());
    ThreadState beforeB = before(client, "f", "b");
    ThreadState fork = result(client.updateState("f", beforeB.checkpointId(), Map.of("x", 10), null));
    Object forkB = result(client.getState("f")).tasks().get(0).get("id");
    assertNotEquals(original.get("b"), Set.of(forkB), "the fork's task is a new task (LangGraph: new id)");

    Map<String, Set<Object>> forked = new LinkedHashMap<>();
    Map<String, Object> planned = new LinkedHashMap<>();
    collect(Parity.events(vertx, client, null, null, new RunOptions().setThreadId("f")
        .setCheckpointId(fork.checkpointId()), StreamMode.TASKS, StreamMode.DEBUG), forked, planned);
    assertEquals(Set.of(forkB), forked.get("b"), "the run from the fork streams the id its state showed");
    assertNotEquals(original.get("c"), forked.get("c"));
    assertEquals(Set.of(planned.get("c")), forked.get("c"), "stream == the debug checkpoint that planned it");
    assertTrue(historyIds(client, "f").get("c").containsAll(forked.get("c")), "stream == history");
    assertEquals(120, ((Number) result(client.getState("f")).values().asMap().get("x")).intValue());

    ThreadState again = result(client.updateState("f", beforeB.checkpointId(), Map.of("x", 10), null));
    assertNotEquals(forkB, again.tasks().get(0).get("id"), "a second fork of the same checkpoint: new ids again");
  }

  @Test
  void twoRunsOfOneThreadReachingTheSameStepHaveDifferentIds(Vertx vertx) {
    GraphClient client = deploy(vertx, chain());
    RunOptions thread = new RunOptions().setThreadId("two");
    Map<String, Set<Object>> first = new LinkedHashMap<>();
    Map<String, Set<Object>> second = new LinkedHashMap<>();
    collect(Parity.events(vertx, client, Map.of("x", 1), null, thread, StreamMode.TASKS), first,
        new LinkedHashMap<>());
    ThreadState beforeB = before(client, "two", "b");
    collect(Parity.events(vertx, client, null, null, new RunOptions().setThreadId("two")
        .setCheckpointId(beforeB.checkpointId()), StreamMode.TASKS), second, new LinkedHashMap<>());
    Map<String, Set<Object>> third = new LinkedHashMap<>();
    collect(Parity.events(vertx, client, null, null, new RunOptions().setThreadId("two")
        .setCheckpointId(beforeB.checkpointId()), StreamMode.TASKS), third, new LinkedHashMap<>());
    assertNotEquals(second.get("b"), third.get("b"), "each replay runs from its own fork copy");
  }

  @Test
  void runsWithoutAThreadStreamTheirOwnIds(Vertx vertx) {
    GraphClient client = deploy(vertx, new StateGraph("no-thread").channel("x", io.graphloop.state.Channels.lastValue())
        .addNode("a", s -> Future.succeededFuture(Map.of("x", 2))).addEdge(START, "a").addEdge("a", END).compile());
    Map<String, Set<Object>> first = new LinkedHashMap<>();
    Map<String, Set<Object>> second = new LinkedHashMap<>();
    collect(Parity.events(vertx, client, Map.of("x", 1), null, new RunOptions(), StreamMode.TASKS), first,
        new LinkedHashMap<>());
    collect(Parity.events(vertx, client, Map.of("x", 1), null, new RunOptions(), StreamMode.TASKS), second,
        new LinkedHashMap<>());
    assertEquals(1, first.get("a").size(), "its start and result carry one id");
    assertNotEquals(first.get("a"), second.get("a"), "two runs without a thread are two tasks");
  }
}
