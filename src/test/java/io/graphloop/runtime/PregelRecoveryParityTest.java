package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.Command;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamMode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.later;
import static io.graphloop.runtime.Parity.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * StateGraph tests of LangGraph 1.2.12's {@code test_pregel.py} about failures, resumption and mixed returns:
 * {@code test_pending_writes_resume}, {@code test_checkpoint_recovery}, {@code test_batch_update_as_input} (each
 * durability), {@code test_dict_mixed_return}, {@code test_invoke_two_processes_two_in_two_out_invalid} (its
 * StateGraph part), {@code test_multiple_nodes_before_interrupt_resume_graph_api},
 * {@code test_node_before_multiple_interrupt_cycles_graph_api}, {@code test_fork_and_update_task_results}. The expected
 * values are
 * src/test/resources/langgraph/pregel_recovery.json, written by pregel_recovery.py beside it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class PregelRecoveryParityTest {

  private static final List<Durability> DURABILITIES = List.of(Durability.SYNC, Durability.ASYNC, Durability.EXIT);

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/pregel_recovery.json");

  /** pregel_recovery.py's {@code snap}: values, next, step, source and each task's name, result and failure. */
  static Map<String, Object> snap(ThreadState s) {
    List<Object> tasks = new ArrayList<>();
    for (Map<String, Object> task : s.tasks()) {
      tasks.add(map("name", task.get("node"), "result", task.get("result"), "failed", task.get("error") != null));
    }
    return map("values", s.values().asMap(), "next", s.next(), "step", s.step(), "source", s.source().wireName(),
        "tasks", tasks);
  }

  static List<Object> history(GraphClient client, String thread) {
    List<Object> out = new ArrayList<>();
    result(client.getStateHistory(thread, 0, null)).forEach(s -> out.add(snap(s)));
    return out;
  }

  private static int sum(Object a, Object b) {
    return ((Number) a).intValue() + ((Number) b).intValue();
  }

  private static String messageOf(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  @Test
  void testPendingWritesResume(Vertx vertx) {
    for (Durability durability : DURABILITIES) {
      AtomicInteger oneCalls = new AtomicInteger();
      AtomicInteger twoCalls = new AtomicInteger();
      AtomicReference<Map<String, Object>> twoReturns = new AtomicReference<>();
      GraphClient client = deploy(vertx, new StateGraph("pending-writes-resume-" + durability.wireName())
          .channel("value", Channels.reducer(PregelRecoveryParityTest::sum, 0)).strictChannels()
          .addNode("one", s -> {
            oneCalls.incrementAndGet();
            return later(vertx, 100, Map.of("value", 2));
          })
          .addNode("two", (s, ctx) -> {
            twoCalls.incrementAndGet();
            return later(vertx, 200, (Object) null).compose(v -> twoReturns.get() == null
                ? Future.failedFuture(new java.net.ConnectException("I'm not good"))
                : Future.succeededFuture(twoReturns.get()));
          }, new NodeOptions().setRetry(RetryPolicy.builder().maxAttempts(2).initialIntervalMs(0).jitterMs(0)
              .build()))
          .addEdge(START, "one").addEdge(START, "two").compile());
      RunOptions thread = new RunOptions().setThreadId("1").setDurability(durability);
      Map<String, Object> actual = new LinkedHashMap<>();
      actual.put("firstError", messageOf(failure(client.run(Map.of("value", 1), thread))));
      actual.put("callsAfterFirst", List.of(oneCalls.get(), twoCalls.get()));
      ThreadState state = result(client.getState("1"));
      actual.put("state", snap(state));
      actual.put("stateById", snap(result(client.getState("1", state.checkpointId()))));
      actual.put("secondError", messageOf(failure(client.proceed(thread))));
      actual.put("callsAfterSecond", List.of(oneCalls.get(), twoCalls.get()));
      actual.put("stateAfterSecond", snap(result(client.getState("1"))));
      twoReturns.set(Map.of("value", 3));
      actual.put("result", result(client.proceed(thread)).values().asMap());
      List<Object> history = history(client, "1");
      actual.put("checkpoints", history.size());
      actual.put("history", history);
      EXPECTED.check("test_pending_writes_resume " + durability.wireName(), actual);
    }
  }

  @Test
  void testCheckpointRecovery(Vertx vertx) {
    for (Durability durability : DURABILITIES) {
      GraphClient client = deploy(vertx, new StateGraph("checkpoint-recovery-" + durability.wireName())
          .channel("steps", Channels.append()).channel("attempt", Channels.lastValue()).strictChannels()
          .addNode("node1", s -> ((Number) s.get("attempt")).intValue() == 1
              ? Future.failedFuture(new IllegalStateException("Simulated failure"))
              : Future.succeededFuture(Map.of("steps", List.of("node1"))))
          .addNode("node2", s -> Future.succeededFuture(Map.of("steps", List.of("node2"))))
          .addEdge(START, "node1").addEdge("node1", "node2").compile());
      RunOptions thread = new RunOptions().setThreadId("1").setDurability(durability);
      Map<String, Object> actual = new LinkedHashMap<>();
      actual.put("firstError", messageOf(failure(client.run(map("steps", List.of("start"), "attempt", 1), thread))));
      actual.put("state", snap(result(client.getState("1"))));
      actual.put("result", result(client.run(map("steps", List.of(), "attempt", 2), thread)).values().asMap());
      actual.put("history", history(client, "1"));
      result(client.deleteThread("1"));
      // LangGraph lists no history for a deleted thread; Graphloop refuses a thread without checkpoints (404), as it
      // does for any unknown thread (LANGGRAPH-DIFFERENCES.md)
      Throwable gone = failure(client.getStateHistory("1", 0, null));
      assertTrue(gone.getMessage().contains("has no checkpoints"), gone.getMessage());
      actual.put("afterDelete", List.of());
      EXPECTED.check("test_checkpoint_recovery " + durability.wireName(), actual);
    }
  }

  @Test
  void testBatchUpdateAsInput(Vertx vertx) {
    for (Durability durability : DURABILITIES) {
      List<Send> sends = List.of(new Send("task", Map.of("index", 0)), new Send("task", Map.of("index", 1)),
          new Send("task", Map.of("index", 2)));
      GraphClient client = deploy(vertx, new StateGraph("batch-update-as-input-" + durability.wireName())
          .channel("foo", Channels.lastValue()).channel("tasks", Channels.append()).strictChannels()
          .addNode("agent", s -> Future.succeededFuture(Map.of("foo", "agent")))
          .addNode("map", (s, ctx) -> Future.succeededFuture(Command.ofUpdate(Map.of("foo", "map"))
              .andSend(sends.toArray(new Send[0]))), new NodeOptions().setDestinations(List.of("task")))
          .addNode("task", s -> Future.succeededFuture(Map.of("tasks", List.of(s.arg() instanceof Map<?, ?> arg
              ? arg.get("index") : s.get("index")))))
          .addEdge(START, "agent").addEdge("agent", "map").compile());
      Map<String, Object> actual = new LinkedHashMap<>();
      actual.put("result", result(client.run(Map.of("foo", "input"),
          new RunOptions().setThreadId("1").setDurability(durability))).values().asMap());
      actual.put("history", history(client, "1"));
      result(client.bulkUpdateState("2", null, List.of(
          List.of(ThreadUpdate.of(Map.of("foo", "input"), "__input__")),
          List.of(ThreadUpdate.of(Map.of("foo", "input"), START)),
          List.of(ThreadUpdate.of(map("foo", "agent", "tasks", List.of()), "agent")),
          List.of(ThreadUpdate.ofCommand(Command.ofUpdate(Map.of("foo", "map")).andSend(sends.toArray(new Send[0])), "map")),
          List.of(ThreadUpdate.of(Map.of("tasks", List.of(0)), "task"),
              ThreadUpdate.of(Map.of("tasks", List.of(1)), "task"),
              ThreadUpdate.of(Map.of("tasks", List.of(2)), "task")))));
      actual.put("bulkState", snap(result(client.getState("2"))));
      actual.put("bulkHistory", history(client, "2"));
      EXPECTED.check("test_batch_update_as_input " + durability.wireName(), actual);
    }
  }

  @Test
  void testDictMixedReturn(Vertx vertx) {
    GraphClient client = deploy(vertx, new StateGraph("dict-mixed-return")
        .channel("foo", Channels.reducer((a, b) -> String.valueOf(a) + b, "")).strictChannels()
        .addNode("my_node", s -> Future.succeededFuture(List.of(Command.ofUpdate(Map.of("foo", "a")),
            Map.of("foo", "b"))))
        .addEdge(START, "my_node").compile());
    Map<String, Object> actual = new LinkedHashMap<>();
    actual.put("result", result(client.invoke(Map.of("foo", ""))).asMap());
    actual.put("updates", Parity.chunks(vertx, client, Map.of("foo", ""), new RunOptions(), StreamMode.UPDATES));
    EXPECTED.check("test_dict_mixed_return", actual);
  }

  @Test
  void testInvokeTwoProcessesTwoInTwoOutInvalid(Vertx vertx) {
    GraphClient client = deploy(vertx, new StateGraph("two-in-two-out-invalid")
        .channel("hello", Channels.lastValue()).strictChannels()
        .addNode("one", s -> Future.succeededFuture(Map.of("hello", "world")))
        .addNode("two", s -> Future.succeededFuture(Map.of("hello", "world")))
        .addConditionalEdges(START, s -> List.of("one", "two"), List.of("one", "two")).compile());
    Throwable refused = failure(client.run(Map.of("hello", "there"), new RunOptions().setThreadId("1")));
    InvalidUpdateException invalid = assertInstanceOf(InvalidUpdateException.class, refused);
    assertEquals("hello", invalid.channel());
    assertTrue(invalid.getMessage().contains("'hello'"), invalid.getMessage());
    Map<String, Object> actual = new LinkedHashMap<>();
    actual.put("error", "InvalidUpdateError");
    actual.put("atKey", true);
    actual.put("history", history(client, "1"));
    EXPECTED.check("test_invoke_two_processes_two_in_two_out_invalid", actual);
  }

  private static Map<String, Object> interrupted(RunResult run) {
    List<Object> asked = new ArrayList<>();
    for (Map<String, Object> i : run.interrupts()) {
      asked.add(i.get("value"));
    }
    return map("values", run.values().asMap(), "interrupts", asked);
  }

  @Test
  void testMultipleNodesBeforeInterruptResumeGraphApi(Vertx vertx) {
    GraphClient client = deploy(vertx, new StateGraph("multiple-nodes-before-interrupt")
        .channel("value", Channels.lastValue()).channel("answer", Channels.lastValue()).strictChannels()
        .addNode("step_a", s -> Future.succeededFuture(Map.of("value", ((Number) s.get("value")).intValue() + 1)))
        .addNode("step_b", s -> Future.succeededFuture(Map.of("value", ((Number) s.get("value")).intValue() * 2)))
        .addNode("ask", (s, ctx) -> Future.succeededFuture(Map.of("answer",
            ctx.interrupt("Result so far is " + s.get("value") + ". What next?"))))
        .addEdge(START, "step_a").addEdge("step_a", "step_b").addEdge("step_b", "ask").addEdge("ask", END)
        .compile());
    RunOptions thread = new RunOptions().setThreadId("1");
    Map<String, Object> actual = new LinkedHashMap<>();
    actual.put("first", interrupted(result(client.run(map("value", 5, "answer", ""), thread))));
    actual.put("waiting", snap(result(client.getState("1"))));
    actual.put("result", result(client.run(Command.resume("continue"), thread)).values().asMap());
    actual.put("history", history(client, "1"));
    EXPECTED.check("test_multiple_nodes_before_interrupt_resume_graph_api", actual);
  }

  @Test
  void testNodeBeforeMultipleInterruptCyclesGraphApi(Vertx vertx) {
    GraphClient client = deploy(vertx, new StateGraph("node-before-multiple-interrupt-cycles")
        .channel("count", Channels.lastValue()).channel("data", Channels.lastValue()).strictChannels()
        .addNode("prepare", s -> Future.succeededFuture(Map.of("count", ((Number) s.get("count")).intValue() + 10)))
        .addNode("multi_interrupt", (s, ctx) -> {
          Object first = ctx.interrupt("First question?");
          Object second = ctx.interrupt("Second question?");
          return Future.succeededFuture(Map.of("data", first + "," + second));
        })
        .addEdge(START, "prepare").addEdge("prepare", "multi_interrupt").addEdge("multi_interrupt", END)
        .compile());
    RunOptions thread = new RunOptions().setThreadId("1");
    List<Object> runs = new ArrayList<>();
    runs.add(interrupted(result(client.run(map("count", 0, "data", ""), thread))));
    runs.add(interrupted(result(client.run(Command.resume("first_answer"), thread))));
    runs.add(interrupted(result(client.run(Command.resume("second_answer"), thread))));
    List<Object> history = new ArrayList<>();
    for (Object line : history(client, "1")) {
      Map<String, Object> without = new LinkedHashMap<>((Map<String, Object>) line);
      without.remove("tasks");
      history.add(without);
    }
    EXPECTED.check("test_node_before_multiple_interrupt_cycles_graph_api", map("runs", runs, "history", history));
  }
  /** pregel_recovery.py's {@code tree} (LangGraph's test's {@code get_tree}): the history as nested branches. */
  private static Object tree(List<ThreadState> history) {
    Map<String, List<ThreadState>> children = new LinkedHashMap<>();
    Map<String, ThreadState> byId = new LinkedHashMap<>();
    List<ThreadState> roots = new ArrayList<>();
    for (int i = history.size() - 1; i >= 0; i--) {
      ThreadState item = history.get(i);
      byId.put(item.checkpointId(), item);
      children.put(item.checkpointId(), new ArrayList<>());
      String parent = item.parentCheckpointId();
      if (parent != null && children.containsKey(parent)) {
        children.get(parent).add(item);
      } else {
        roots.add(item);
      }
    }
    if (roots.size() == 1) {
      return walk(roots.get(0), children);
    }
    List<Object> branches = new ArrayList<>();
    roots.forEach(root -> branches.add(walk(root, children)));
    return branches;
  }

  private static List<Object> walk(ThreadState node, Map<String, List<ThreadState>> children) {
    List<Object> out = new ArrayList<>();
    out.add(List.of("checkpoint", node.values().asMap()));
    for (Map<String, Object> task : node.tasks()) {
      out.add(Parity.list("task", task.get("node"), task.get("result")));
    }
    List<ThreadState> kids = children.get(node.checkpointId());
    if (kids.size() > 1) {
      List<Object> branches = new ArrayList<>();
      kids.forEach(kid -> branches.add(walk(kid, children)));
      out.add(branches);
    } else if (kids.size() == 1) {
      out.addAll(walk(kids.get(0), children));
    }
    return out;
  }

  /**
   * test_fork_and_update_task_results. LangGraph's {@code update_state(config, [StateUpdate...], "__copy__")} copies
   * the checkpoint and applies the updates to the copy in one call; Graphloop's form is a bulk update of two
   * supersteps, the copy and then the updates (the same two checkpoints).
   */
  @Test
  void testForkAndUpdateTaskResults(Vertx vertx) {
    GraphClient client = deploy(vertx, new StateGraph("fork-and-update-task-results")
        .channel("name", Channels.reducer((a, b) -> a == null || String.valueOf(a).isEmpty() ? b : a + " > " + b, ""))
        .strictChannels()
        .addNode("one", (s, ctx) -> Future.succeededFuture(Command.ofUpdate(Map.of("name", "one"))
            .andSend(new Send("two", Map.of()))), new NodeOptions().setDestinations(List.of("two")))
        .addNode("two", s -> Future.succeededFuture(Map.of("name", "two")))
        .addNode("three", s -> Future.succeededFuture(Map.of("name", "three")))
        .addEdge(START, "one").addEdge("one", "two").addEdge("two", "three").compile());
    Map<String, Object> actual = new LinkedHashMap<>();
    RunOptions one = new RunOptions().setThreadId("1");
    result(client.run(Map.of("name", "start"), one));
    List<ThreadState> h = result(client.getStateHistory("1", 0, null));
    actual.put("first", tree(h));
    ThreadState forked = result(client.bulkUpdateState("1", h.get(4).checkpointId(), List.of(
        List.of(ThreadUpdate.of(null, "__copy__")), List.of(ThreadUpdate.of(Map.of("name", "start*"), START)))));
    result(client.proceed(new RunOptions(one).setCheckpointId(forked.checkpointId())));
    h = result(client.getStateHistory("1", 0, null));
    actual.put("afterStartFork", tree(h));
    forked = result(client.bulkUpdateState("1", h.get(3).checkpointId(), List.of(
        List.of(ThreadUpdate.of(null, "__copy__")), List.of(ThreadUpdate.of(Map.of("name", "one*"), "one")))));
    result(client.proceed(new RunOptions(one).setCheckpointId(forked.checkpointId())));
    actual.put("afterOneFork", tree(result(client.getStateHistory("1", 0, null))));
    RunOptions two = new RunOptions().setThreadId("2");
    result(client.run(Map.of("name", "start"), two));
    h = result(client.getStateHistory("2", 0, null));
    forked = result(client.bulkUpdateState("2", h.get(2).checkpointId(), List.of(
        List.of(ThreadUpdate.of(null, "__copy__")),
        List.of(ThreadUpdate.of(Map.of("name", "two"), "two"), ThreadUpdate.of(Map.of("name", "two"), "two")))));
    result(client.proceed(new RunOptions(two).setCheckpointId(forked.checkpointId())));
    actual.put("afterTwoFork", tree(result(client.getStateHistory("2", 0, null))));
    EXPECTED.check("test_fork_and_update_task_results", actual);
  }
}
