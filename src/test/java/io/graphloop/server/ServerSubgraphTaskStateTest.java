package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a subgraph task's child checkpoints, without {@code subgraphs=true}: LangGraph 1.2.12's
 * {@code StateSnapshot.tasks[].state} (checked with its {@code InMemorySaver}: {@code get_state},
 * {@code get_state_history}, the {@code checkpoints} / {@code debug} stream events) is the child's config
 * {@code {"configurable": {"thread_id", "checkpoint_ns": "<node>:<task>"}}} for a task of a subgraph node whose child
 * keeps checkpoints (per invocation or stateful), under the state's own namespace for a nested one, null for a plain
 * node's task and for a subgraph without checkpoints ({@code checkpointer=False}); LangGraph Server (the JS reference,
 * as the Python server) sends it as the task's {@code checkpoint} ({@code {thread_id, checkpoint_ns}} in states, with
 * a null {@code checkpoint_id} and {@code checkpoint_map} in debug events), its {@code state} null; the
 * {@code checkpoints} events keep LangGraph's payload. The namespace the state names is the one the stream names, and the child's state is
 * found there. Real HTTP on 127.0.0.1.
 */
class ServerSubgraphTaskStateTest {

  private static final String TASK = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private static CompiledGraph graph() {
    CompiledGraph ask = new StateGraph("ts-ask").channel("x", Channels.append())
        .addNode("ask", (state, ctx) -> Future.succeededFuture(Map.of("x", "answer:" + ctx.interrupt("q"))))
        .addEdge(START, "ask").addEdge("ask", END).compile();
    CompiledGraph inner = new StateGraph("ts-inner").channel("x", Channels.append())
        .addSubgraph("deep", ask)
        .addNode("leaf", state -> Future.succeededFuture(Map.of("x", "inner-leaf")))
        .addEdge(START, "deep").addEdge(START, "leaf").addEdge("deep", END).addEdge("leaf", END).compile();
    CompiledGraph none = new StateGraph("ts-none").channel("x", Channels.append())
        .addNode("leaf", state -> Future.succeededFuture(Map.of("x", "none-leaf")))
        .addEdge(START, "leaf").addEdge("leaf", END).compile();
    CompiledGraph kept = new StateGraph("ts-kept").channel("x", Channels.append())
        .addNode("leaf", state -> Future.succeededFuture(Map.of("x", "kept-leaf")))
        .addEdge(START, "leaf").addEdge("leaf", END).compile();
    return new StateGraph("ts-parent").channel("x", Channels.append())
        .addNode("plain", state -> Future.succeededFuture(Map.of("x", "plain")))
        .addSubgraph("sub", inner)
        .addSubgraph("nocp", Subgraph.of(none).withoutCheckpoints())
        .addSubgraph("keep", Subgraph.of(kept).stateful())
        .addEdge(START, "plain").addEdge(START, "sub").addEdge(START, "nocp").addEdge(START, "keep")
        .addEdge("plain", END).addEdge("sub", END).addEdge("nocp", END).addEdge("keep", END).compile();
  }

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions(), List.of(graph()));

  private static JsonObject input() {
    return new JsonObject().put("assistant_id", "ts-parent").put("input", new JsonObject().put("x",
        new JsonArray().add("a")));
  }

  /** What each task of {@code tasks} says of its child, by task name: its {@code key} field. */
  private static Map<String, Object> byName(JsonArray tasks, String key) {
    Map<String, Object> found = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      JsonObject task = tasks.getJsonObject(i);
      assertTrue(task.containsKey(key), "every task has its " + key + ", null or not: " + task.encode());
      found.put(task.getString("name"), task.getValue(key));
    }
    return found;
  }

  /**
   * A state's tasks by name, each its {@code checkpoint} (LangGraph Server's: the child's {@code {thread_id,
   * checkpoint_ns}} for a subgraph task), after checking that no task has a {@code state} (none without subgraphs).
   */
  private static Map<String, Object> statesByName(JsonArray tasks) {
    byName(tasks, "state").forEach((name, state) -> assertNull(state, name + "'s state without subgraphs=true"));
    Map<String, Object> checkpoints = new LinkedHashMap<>();
    byName(tasks, "checkpoint").forEach((name, checkpoint) -> checkpoints.put(name, checkpoint == null ? null
        : new JsonObject().put("configurable", checkpoint)));
    return checkpoints;
  }

  /** A debug checkpoint's tasks by name: a subgraph task's checkpoint {thread_id, checkpoint_ns, null id and map}. */
  private static Map<String, Object> debugByName(JsonArray tasks) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      JsonObject task = tasks.getJsonObject(i);
      JsonObject checkpoint = task.getJsonObject("checkpoint");
      if (checkpoint != null) {
        assertFalse(task.containsKey("state"), task.encode());
        assertNull(checkpoint.getValue("checkpoint_id"), task.encode());
        assertTrue(checkpoint.containsKey("checkpoint_map"), task.encode());
        out.put(task.getString("name"), new JsonObject().put("configurable", new JsonObject()
            .put("thread_id", checkpoint.getValue("thread_id")).put("checkpoint_ns", checkpoint.getValue("checkpoint_ns"))));
      } else {
        assertTrue(task.containsKey("state") && task.getValue("state") == null, task.encode());
        out.put(task.getString("name"), null);
      }
    }
    return out;
  }

  /** A checkpoints event's tasks by name, each its {@code state} (Python LangGraph's CheckpointPayload: the config). */
  private static Map<String, Object> rawByName(JsonArray tasks) {
    return byName(tasks, "state");
  }

  /** The child namespace a subgraph task names, after checking the config's shape. */
  private static String childNamespace(String thread, Object state) {
    assertTrue(state instanceof JsonObject, "a subgraph task names its child's namespace: " + state);
    JsonObject config = (JsonObject) state;
    assertEquals(Set.of("configurable"), config.fieldNames(), config.encode());
    JsonObject configurable = config.getJsonObject("configurable");
    assertEquals(Set.of("thread_id", "checkpoint_ns"), configurable.fieldNames(), config.encode());
    assertEquals(thread, configurable.getString("thread_id"));
    return configurable.getString("checkpoint_ns");
  }

  private static void assertParentTasks(String thread, Map<String, Object> states, String subNs, String keepNs) {
    assertEquals(Set.of("plain", "sub", "nocp", "keep"), states.keySet(), states.toString());
    assertNull(states.get("plain"), "a plain node's task has no state");
    assertNull(states.get("nocp"), "a subgraph without checkpoints is none to LangGraph: " + states);
    assertEquals(subNs, childNamespace(thread, states.get("sub")));
    assertEquals(keepNs, childNamespace(thread, states.get("keep")));
  }

  @Test
  void stateAtACheckpointAndHistoryNameOnlyCheckpointedSubgraphsChildren() {
    String thread = server.thread();
    server.post("/threads/" + thread + "/runs/wait", input());
    JsonObject state = server.get("/threads/" + thread + "/state").json();
    Map<String, Object> states = statesByName(state.getJsonArray("tasks"));
    String subNs = childNamespace(thread, states.get("sub"));
    String keepNs = childNamespace(thread, states.get("keep"));
    assertTrue(subNs.matches("sub:" + TASK), subNs);
    assertTrue(keepNs.matches("keep:" + TASK), "LangGraph names a stateful child's task too: " + keepNs);
    assertParentTasks(thread, states, subNs, keepNs);

    String checkpointId = state.getString("checkpoint_id");
    JsonObject atCheckpoint = server.get("/threads/" + thread + "/state/" + checkpointId).json();
    assertParentTasks(thread, statesByName(atCheckpoint.getJsonArray("tasks")), subNs, keepNs);

    JsonArray history = server.post("/threads/" + thread + "/history", new JsonObject().put("limit", 100)).array();
    assertEquals(checkpointId, history.getJsonObject(0).getString("checkpoint_id"));
    assertParentTasks(thread, statesByName(history.getJsonObject(0).getJsonArray("tasks")), subNs, keepNs);
    JsonObject first = history.getJsonObject(history.size() - 1);
    assertEquals(Map.of("__start__", "null"), toStrings(statesByName(first.getJsonArray("tasks"))),
        "the input checkpoint's task is START's: no subgraph");

    // the child's state is found where the task's state says, and its own subgraph task names the nested namespace
    JsonObject child = server.post("/threads/" + thread + "/state/checkpoint", new JsonObject()
        .put("checkpoint", new JsonObject().put("checkpoint_ns", subNs))).json();
    Map<String, Object> childStates = statesByName(child.getJsonArray("tasks"));
    assertEquals(Set.of("deep", "leaf"), childStates.keySet(), child.encode());
    assertNull(childStates.get("leaf"));
    assertTrue(childNamespace(thread, childStates.get("deep")).matches(java.util.regex.Pattern.quote(subNs)
        + "\\|deep:" + TASK), childStates.toString());
  }

  @Test
  void checkpointAndDebugEventsNameTheNamespacesTheStateNames() {
    String thread = server.thread();
    ServerFixture.Stream stream = server.stream("/threads/" + thread + "/runs/stream", input()
        .put("stream_mode", new JsonArray().add("checkpoints").add("debug")).put("stream_subgraphs", true), 10_000);
    JsonObject state = server.get("/threads/" + thread + "/state").json();
    Map<String, Object> states = statesByName(state.getJsonArray("tasks"));
    String subNs = childNamespace(thread, states.get("sub"));
    String keepNs = childNamespace(thread, states.get("keep"));
    JsonObject child = server.post("/threads/" + thread + "/state/checkpoint", new JsonObject()
        .put("checkpoint", new JsonObject().put("checkpoint_ns", subNs))).json();
    String deepNs = childNamespace(thread, statesByName(child.getJsonArray("tasks")).get("deep"));

    List<Map<String, Object>> rootCheckpoints = new ArrayList<>();
    List<Map<String, Object>> rootDebug = new ArrayList<>();
    List<Map<String, Object>> subCheckpoints = new ArrayList<>();
    for (ServerFixture.Event event : stream.events()) {
      if (event.event().equals("checkpoints")) {
        rootCheckpoints.add(rawByName(event.json().getJsonArray("tasks")));
      } else if (event.event().equals("debug") && "checkpoint".equals(event.json().getString("type"))) {
        rootDebug.add(debugByName(event.json().getJsonObject("payload").getJsonArray("tasks")));
      } else if (event.event().equals("checkpoints|" + subNs)) {
        subCheckpoints.add(rawByName(event.json().getJsonArray("tasks")));
      }
    }
    assertEquals(rootCheckpoints, rootDebug, "debug checkpoint events name the same children, as checkpoints");
    Map<String, Object> parentStep = rootCheckpoints.stream().filter(tasks -> tasks.containsKey("sub")).findFirst()
        .orElse(null);
    assertNotNull(parentStep, "a checkpoint lists the subgraph tasks: " + stream.names());
    assertParentTasks(thread, parentStep, subNs, keepNs);
    assertNull(rootCheckpoints.get(0).get("__start__"), "the input checkpoint's START task has no state");
    Map<String, Object> childStep = subCheckpoints.stream().filter(tasks -> tasks.containsKey("deep")).findFirst()
        .orElse(null);
    assertNotNull(childStep, "the child's checkpoint lists its subgraph task: " + stream.names());
    assertEquals(deepNs, childNamespace(thread, childStep.get("deep")));
    assertNull(childStep.get("leaf"));
  }

  private static Map<String, String> toStrings(Map<String, Object> states) {
    Map<String, String> out = new LinkedHashMap<>();
    states.forEach((name, value) -> out.put(name, String.valueOf(value)));
    return out;
  }
}
