package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.ExecutionInfo;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.run.RunOptions;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.graphloop.store.InMemoryStore;
import io.graphloop.store.SearchRequest;
import io.graphloop.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's view of its execution ({@code NodeContext.executionInfo()}, {@code threadId()}, {@code checkpointNs()}):
 * LangGraph 1.2.12's {@code runtime.execution_info} and the {@code thread_id}/{@code checkpoint_ns} of a node's
 * config, each test naming the LangGraph test it mirrors (test_retry.py, test_pregel.py, test_time_travel.py). The
 * expected values are the output of src/test/resources/langgraph/timeout_policies.py (timeout_policies.json; its keys
 * are named).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ExecutionInfoParityTest {

  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/timeout_policies.json");

  /**
   * test_retry.py::test_runtime_execution_info_defaults_without_retry ("execution_info_defaults"). Differences:
   * Graphloop always has a run id (LangGraph's is None unless given), and a run without a thread has no checkpoint,
   * so no checkpoint id (LangGraph makes one anyway).
   */
  @Test
  void testRuntimeExecutionInfoDefaultsWithoutRetry(Vertx vertx) {
    List<ExecutionInfo> seen = Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = new StateGraph("ei-defaults").addNode("node", (state, ctx) -> {
      seen.add(ctx.executionInfo());
      return Future.succeededFuture(Map.of("x", 2));
    }).addEdge(START, "node").addEdge("node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    long before = System.currentTimeMillis();
    result(client.invoke(Map.of("x", 1), new RunOptions().setRunId("run-ei")));
    ExecutionInfo info = seen.get(0);
    JsonObject want = EXPECTED.of("execution_info_defaults");
    JsonObject got = new JsonObject().put("node_attempt", info.nodeAttempt())
        .put("first_is_float", info.nodeFirstAttemptAtMs() >= before
            && info.nodeFirstAttemptAtMs() <= System.currentTimeMillis())
        .put("thread_id", info.threadId()).put("run_id", null)
        .put("checkpoint_ns_is_node_colon_task_id", info.checkpointNs().equals("node:" + info.taskId()))
        .put("task_id_is_str", info.taskId().matches(UUID)).put("checkpoint_id_is_str", true);
    assertEquals(want, got);
    assertEquals("run-ei", info.runId(), "Graphloop's run id (a difference: LangGraph's is None unless given)");
    assertNull(info.checkpointId(), "a run without a thread has no checkpoint (a difference, see the javadoc)");
  }

  /** test_retry.py::test_execution_info_identity_fields_populated_on_retry ("execution_info_on_retry"). */
  @Test
  void testExecutionInfoIdentityFieldsPopulatedOnRetry(Vertx vertx) {
    List<Map<String, Object>> infos = Collections.synchronizedList(new ArrayList<>());
    RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).initialIntervalMs(10).jitterMs(0)
        .retryOn(IllegalStateException.class).build();
    CompiledGraph graph = new StateGraph("ei-retry").addNode("failing_node", (state, ctx) -> {
      Map<String, Object> seen = new LinkedHashMap<>();
      seen.put("info", ctx.executionInfo());
      seen.put("threadId", ctx.threadId());
      seen.put("checkpointNs", ctx.checkpointNs());
      infos.add(seen);
      return infos.size() < 2 ? Future.failedFuture(new IllegalStateException("Intentional failure"))
          : Future.succeededFuture(Map.of("x", 2));
    }, new NodeOptions().setRetry(retry)).addEdge(START, "failing_node").addEdge("failing_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("retry-thread");
    result(client.invoke(Map.of("x", 1), thread));
    String stepZero = null;
    for (ThreadState state : result(client.getStateHistory("retry-thread", 0, null))) {
      if (state.step() == 0) {
        stepZero = state.checkpointId();
      }
    }
    assertNotNull(stepZero);
    List<Object> threadIds = new ArrayList<>();
    List<Object> attempts = new ArrayList<>();
    List<Object> nsIsTask = new ArrayList<>();
    List<Object> configNs = new ArrayList<>();
    List<Object> configThreads = new ArrayList<>();
    List<Object> checkpoints = new ArrayList<>();
    for (Map<String, Object> seen : infos) {
      ExecutionInfo info = (ExecutionInfo) seen.get("info");
      threadIds.add(info.threadId());
      attempts.add(info.nodeAttempt());
      nsIsTask.add(info.checkpointNs().equals("failing_node:" + info.taskId()));
      configNs.add(info.checkpointNs().equals(seen.get("checkpointNs")));
      configThreads.add(seen.get("threadId"));
      checkpoints.add(stepZero.equals(info.checkpointId()));
    }
    ExecutionInfo first = (ExecutionInfo) infos.get(0).get("info");
    ExecutionInfo second = (ExecutionInfo) infos.get(1).get("info");
    JsonObject got = new JsonObject().put("thread_ids", threadIds).put("attempts", attempts)
        .put("same_first_time", first.nodeFirstAttemptAtMs() == second.nodeFirstAttemptAtMs()
            && first.nodeFirstAttemptAtMs() > 0)
        .put("checkpoint_ns_is_node_colon_task_id", nsIsTask).put("config_checkpoint_ns_equals_info", configNs)
        .put("config_thread_ids", configThreads).put("checkpoint_id_is_step0_checkpoint", checkpoints);
    EXPECTED.check("execution_info_on_retry", got.getMap());
    assertEquals(first.taskId(), second.taskId(), "the same task on both attempts");
  }

  /** test_time_travel.py::test_checkpoint_ns_accessible_in_subgraph ("checkpoint_ns_in_subgraph"). */
  @Test
  void testCheckpointNsAccessibleInSubgraph(Vertx vertx) {
    Map<String, Object> seen = Collections.synchronizedMap(new LinkedHashMap<>());
    CompiledGraph subgraph = new StateGraph("ei-sub").addNode("inner", (state, ctx) -> {
      seen.put("checkpoint_ns", ctx.checkpointNs());
      seen.put("thread_id", ctx.threadId());
      return Future.succeededFuture(Map.of("x", 2));
    }).addEdge(START, "inner").addEdge("inner", END).compile();
    CompiledGraph parent = new StateGraph("ei-parent").addSubgraph("outer", subgraph).addEdge(START, "outer")
        .addEdge("outer", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    result(client.invoke(Map.of("x", 1), new RunOptions().setThreadId("1")));
    JsonObject got = new JsonObject().put("thread_id", seen.get("thread_id"))
        .put("shape", String.valueOf(seen.get("checkpoint_ns")).replaceAll(UUID, "<uuid>"));
    EXPECTED.check("checkpoint_ns_in_subgraph", got.getMap());

    seen.clear(); // without a thread: no thread id, a namespace all the same
    result(client.invoke(Map.of("x", 1)));
    EXPECTED.check("checkpoint_ns_in_subgraph_no_thread", new JsonObject()
        .put("thread_id", seen.get("thread_id"))
        .put("ns_nonempty", !String.valueOf(seen.get("checkpoint_ns")).isEmpty()).getMap());
  }

  /**
   * test_pregel.py::test_store_injected ("store_injected"): 51 parallel nodes write one document of the long-term
   * store stamped with their run's thread id ({@code config["configurable"]["thread_id"]}, here
   * {@code NodeContext.threadId()}); LangGraph's {@code graph.batch} of one input is one invoke.
   */
  @Test
  void testStoreInjected(Vertx vertx) {
    Store store = new InMemoryStore();
    List<String> namespace = List.of("foo", "bar");
    List<String> threads = List.of("thread-1", "thread-2");
    StateGraph builder = new StateGraph("ei-store").channel("count", Channels.reducer((a, b) ->
        ((Number) a).longValue() + ((Number) b).longValue(), 0L));
    for (int i = -1; i < 50; i++) {
      String name = i < 0 ? "node" : "node_" + i;
      int index = i;
      builder.addNode(name, (state, ctx) -> {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("some-key", "this-is-a-val");
        doc.put("from_thread", ctx.threadId());
        doc.put("some_val", state.get("count"));
        List<String> where = index >= 0 && threads.contains(ctx.threadId()) ? namespace
            : List.of("foo_" + index, "bar");
        return ctx.store().put(where, "doc", doc).map(done -> Map.of("count", 1));
      });
      builder.addEdge(START, name);
    }
    GraphClient client = result(GraphRuntime.deploy(vertx, builder.compile(),
        new GraphRuntimeOptions(MEMORY).setStore(store))).client();
    JsonArray rows = new JsonArray();
    for (String thread : List.of("thread-1", "thread-1", "thread-2")) {
      State result = result(client.invoke(Map.of("count", 0), new RunOptions().setThreadId(thread)));
      rows.add(new JsonObject().put("result", new JsonObject(result.asMap()))
          .put("doc", new JsonObject(result(store.get(namespace, "doc")).value()))
          .put("found", result(store.search(SearchRequest.under(namespace))).size()));
    }
    assertEquals(EXPECTED.of("store_injected").getJsonArray("rows"), rows);
  }

  /**
   * A node on another JVM reads the same execution facts: they travel in the node request's JSON (its codec between
   * JVMs), not in the coordinator's memory.
   */
  @Test
  void executionFactsTravelInTheNodeRequestJson() {
    NodeRequest.Execution execution = new NodeRequest.Execution("t|outer:" + java.util.UUID.randomUUID(), 2, "cp-1",
        1_700_000_000_000L, 500, 250, true);
    NodeRequest request = new NodeRequest("g", "run", 3, "n", 2, 3, 500, Map.of(), null, List.of(), "results", 7L, 9L,
        List.of(), State.of(Map.of("x", 1)), null, false, 10, null, null, null, 25, null, execution);
    NodeRequest back = NodeRequest.fromJson(request.toJson());
    assertEquals(execution, back.execution());
    assertEquals(NodeRequest.Execution.NONE, NodeRequest.fromJson(new NodeRequest("g", "run", 3, "n", 1, 1, 0,
        Map.of(), null, List.of(), null, 0L, 0L, List.of(), State.empty()).toJson()).execution(),
        "a request without facts (an older peer's) reads as none");
    assertTrue(request.toJson().getJsonObject("execution").getBoolean("heartbeatOnly"));
  }
}
