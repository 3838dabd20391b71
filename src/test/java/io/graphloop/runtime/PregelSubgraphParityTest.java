package io.graphloop.runtime;

import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Subgraph tests of {@code libs/langgraph/tests/test_pregel.py} (each method names the one it mirrors): an interrupt in
 * a subgraph node and its resume, a stateful subgraph called twice by a conditional loop and streamed with subgraphs
 * under each durability, how many checkpoints a thread and its subgraphs hold under each durability (under exit the
 * stateful child keeps one checkpoint per call, a per-invocation child none; the rule is NestedExitSaveTest's), and a
 * subgraph node's results and streams. The expected values are what src/test/resources/langgraph/pregel_subgraphs.py printed
 * against LangGraph 1.2.12 (pregel_subgraphs.json), compared whole; a task id in a namespace shows as {@code <id>}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class PregelSubgraphParityTest {

  private static JsonObject expected;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = PregelSubgraphParityTest.class.getResourceAsStream("/langgraph/pregel_subgraphs.json")) {
      expected = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** A namespace as the script shows it: levels split, a task id replaced by {@code <id>}. */
  private static JsonArray ns(String namespace) {
    JsonArray out = new JsonArray();
    if (namespace != null && !namespace.isEmpty()) {
      for (String part : namespace.split("\\|")) {
        out.add(part.replaceAll(":[0-9a-f-]{32,36}$", ":<id>"));
      }
    }
    return out;
  }

  private static JsonArray interrupts(RunResult result) {
    return new JsonArray(result.interrupts().stream().map(i -> i.get("value")).toList());
  }

  /** test_interrupt_subgraph: foo, then the subgraph bar whose node asks; resumed; the parent's history. */
  @Test
  void testInterruptSubgraph(Vertx vertx) {
    JsonObject want = expected.getJsonObject("test_interrupt_subgraph");
    CompiledGraph child = new StateGraph("pgs-interrupt-sub").channel("baz", Channels.lastValue())
        .addNode("bar", (state, ctx) -> Future.succeededFuture(Map.of("baz", ctx.interrupt("Please provide baz value:"))))
        .addEdge(START, "bar").addEdge("bar", END).compile();
    CompiledGraph parent = new StateGraph("pgs-interrupt").channel("baz", Channels.lastValue())
        .addNode("foo", (state, ctx) -> Future.succeededFuture(Map.of("baz", "foo"))).addSubgraph("bar", child)
        .addEdge(START, "foo").addEdge("foo", "bar").addEdge("bar", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");
    RunResult first = result(client.run(Map.of("baz", ""), thread));
    JsonObject got = new JsonObject().put("first", new JsonObject().put("baz", first.values().get("baz"))
        .put("interrupts", interrupts(first)));
    ThreadState state = result(client.getState("1", null));
    JsonArray taskInterrupts = new JsonArray();
    for (Map<String, Object> task : state.tasks()) {
      Object asked = task.get("interrupts"); // the values asked
      taskInterrupts.add(new JsonArray(asked instanceof List ? new ArrayList<>((List<?>) asked) : List.of()));
    }
    got.put("state", new JsonObject().put("next", new JsonArray(new ArrayList<>(state.next())))
        .put("values", state.values().toJson()).put("taskInterrupts", taskInterrupts));
    RunResult resumed = result(client.run(Command.resume("bar"), thread));
    got.put("resume", new JsonObject().put("baz", resumed.values().get("baz")).put("interrupts", interrupts(resumed)));
    JsonArray history = new JsonArray();
    for (ThreadState h : result(client.getStateHistory("1", 0, null))) {
      history.add(new JsonObject().put("source", h.source().wireName()).put("step", h.step())
          .put("next", new JsonArray(new ArrayList<>(h.next()))).put("values", h.values().toJson()));
    }
    got.put("history", history);
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** inner (inner_1 -> inner_2, my_key concatenated) looped by the parent until my_key has "there" twice. */
  private static CompiledGraph looping(String name, Subgraph.Persistence persistence) {
    CompiledGraph inner = new StateGraph(name + "-inner").strictChannels()
        .channel("my_key", Channels.reducer((a, b) -> String.valueOf(a) + b, ""))
        .channel("my_other_key", Channels.lastValue())
        .addNode("inner_1", (state, ctx) -> Future.succeededFuture(Map.of("my_key", " got here",
            "my_other_key", state.get("my_key"))))
        .addNode("inner_2", (state, ctx) -> Future.succeededFuture(Map.of("my_key", " and there")))
        .addEdge("inner_1", "inner_2").setEntryPoint("inner_1").setFinishPoint("inner_2").compile();
    return new StateGraph(name).strictChannels().channel("my_key", Channels.lastValue())
        .addSubgraph("inner", Subgraph.of(inner).persistence(persistence)).addEdge(START, "inner")
        .addConditionalEdges("inner", s -> ((String) s.get("my_key")).split("there", -1).length - 1 < 2 ? "inner" : END,
            List.of("inner", END))
        .compile();
  }

  /** Checkpoints per namespace of thread {@code thread} (its child threads' included), as the script counts them. */
  private static JsonObject perNamespace(GraphRuntime runtime, String thread) {
    CheckpointStore store = runtime.checkpointer().store();
    Map<String, Integer> counts = new TreeMap<>();
    for (String stored : result(store.idleThreads(java.time.Instant.now().plusSeconds(3600), 10_000))) {
      if (stored.equals(thread) || stored.startsWith(thread + SubgraphThreads.SEPARATOR)) {
        String key = String.join("|", ns(SubgraphThreads.namespaceOf(stored)).stream().map(String::valueOf).toList());
        counts.merge(key, result(store.list(stored, Integer.MAX_VALUE, null)).size(), Integer::sum);
      }
    }
    return new JsonObject(new java.util.LinkedHashMap<>(counts));
  }

  private static JsonObject sorted(JsonObject json) {
    return new JsonObject(new java.util.LinkedHashMap<>(new TreeMap<>(json.getMap())));
  }

  private void checkpointTrue(Vertx vertx, String durability) {
    JsonObject want = expected.getJsonObject("test_subgraph_checkpoint_true[" + durability + "]");
    GraphRuntime runtime = result(GraphRuntime.deploy(vertx, looping("pgs-true-" + durability,
        Subgraph.Persistence.STATEFUL), MEMORY));
    GraphClient client = runtime.client();
    RunOptions options = new RunOptions().setThreadId("2").setStreamSubgraphs(true)
        .setDurability(Durability.of(durability));
    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Map.of("my_key", ""), options,
        StreamMode.UPDATES)));
    JsonArray chunks = new JsonArray();
    for (StreamEvent event : events) {
      if (!event.isTerminal()) {
        chunks.add(new JsonArray().add(ns(event.ns())).add(new JsonObject(new java.util.LinkedHashMap<>(event.data()))));
      }
    }
    JsonObject got = new JsonObject().put("chunks", chunks)
        .put("history", result(client.getStateHistory("2", 0, null)).size())
        .put("checkpointsPerNamespace", perNamespace(runtime, "2"));
    want.put("checkpointsPerNamespace", sorted(want.getJsonObject("checkpointsPerNamespace")));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** test_subgraph_checkpoint_true[sync]. */
  @Test
  void testSubgraphCheckpointTrueSync(Vertx vertx) {
    checkpointTrue(vertx, "sync");
  }

  /** test_subgraph_checkpoint_true[async]. */
  @Test
  void testSubgraphCheckpointTrueAsync(Vertx vertx) {
    checkpointTrue(vertx, "async");
  }

  /** test_subgraph_checkpoint_true[exit]: the parent saves once at exit, the stateful child once per call. */
  @Test
  void testSubgraphCheckpointTrueExit(Vertx vertx) {
    checkpointTrue(vertx, "exit");
  }

  private void durabilityInherited(Vertx vertx, String durability) {
    JsonObject want = expected.getJsonObject("test_subgraph_durability_inherited[" + durability + "]");
    GraphRuntime runtime = result(GraphRuntime.deploy(vertx, looping("pgs-inherited-" + durability,
        Subgraph.Persistence.PER_INVOCATION), MEMORY));
    String thread = java.util.UUID.randomUUID().toString();
    RunResult run = result(runtime.client().run(Map.of("my_key", ""), new RunOptions().setThreadId(thread)
        .setDurability(Durability.of(durability))));
    JsonObject counted = perNamespace(runtime, thread);
    int total = counted.stream().mapToInt(e -> (Integer) e.getValue()).sum();
    JsonObject got = new JsonObject().put("result", run.values().toJson()).put("checkpoints", total)
        .put("perNamespace", counted);
    want.put("perNamespace", sorted(want.getJsonObject("perNamespace")));
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }

  /** test_subgraph_durability_inherited[sync]: 4 checkpoints of the parent, 4 of each of the two child runs. */
  @Test
  void testSubgraphDurabilityInheritedSync(Vertx vertx) {
    durabilityInherited(vertx, "sync");
  }

  /** test_subgraph_durability_inherited[async]. */
  @Test
  void testSubgraphDurabilityInheritedAsync(Vertx vertx) {
    durabilityInherited(vertx, "async");
  }

  /** test_subgraph_durability_inherited[exit]: one checkpoint of the parent, none of the completed child runs. */
  @Test
  void testSubgraphDurabilityInheritedExit(Vertx vertx) {
    durabilityInherited(vertx, "exit");
  }

  /** test_nested_graph (a plain value where the test has a never-called runnable): results and streams. */
  @Test
  void testNestedGraph(Vertx vertx) {
    JsonObject want = expected.getJsonObject("test_nested_graph");
    CompiledGraph inner = new StateGraph("pgs-nested-inner").strictChannels().channel("my_key", Channels.lastValue())
        .channel("my_other_key", Channels.lastValue())
        .addNode("up", (state, ctx) -> Future.succeededFuture(Map.of("my_key", state.get("my_key") + " there",
            "my_other_key", state.get("my_key"))))
        .setEntryPoint("up").setFinishPoint("up").compile();
    CompiledGraph parent = new StateGraph("pgs-nested").strictChannels().channel("my_key", Channels.lastValue())
        .channel("never_called", Channels.lastValue()).addSubgraph("inner", inner)
        .addNode("side", (state, ctx) -> Future.succeededFuture(Map.of("my_key", state.get("my_key") + " and back again")))
        .setEntryPoint("inner").addEdge("inner", "side").setFinishPoint("side").compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent)).client();
    Map<String, Object> given = Map.of("my_key", "my value", "never_called", "never");
    JsonObject got = new JsonObject().put("invoke", result(client.run(given, new RunOptions())).values().toJson());
    for (String mode : List.of("updates", "values")) {
      JsonArray chunks = new JsonArray();
      for (StreamEvent event : result(collect(vertx, () -> client.stream(given, new RunOptions(),
          StreamMode.of(mode))))) {
        if (!event.isTerminal()) {
          chunks.add(new JsonObject(new java.util.LinkedHashMap<>(event.data())));
        }
      }
      got.put(mode, chunks);
    }
    JsonArray chunks = new JsonArray();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(given, new RunOptions().setStreamSubgraphs(true),
        StreamMode.UPDATES)))) {
      if (!event.isTerminal()) {
        chunks.add(new JsonArray().add(ns(event.ns())).add(new JsonObject(new java.util.LinkedHashMap<>(event.data()))));
      }
    }
    got.put("subgraphs", chunks);
    assertEquals(want.encodePrettily(), got.encodePrettily());
  }
}
