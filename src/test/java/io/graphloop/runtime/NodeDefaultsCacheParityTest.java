package io.graphloop.runtime;

import io.graphloop.cache.MemoryNodeCache;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.CachePolicy;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefaults;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The graph's default cache policy ({@link NodeDefaults#setCachePolicy}) as LangGraph 1.2.12's
 * {@code set_node_defaults(cache_policy=...)}: every node without a policy of its own is cached (a second run with
 * the same input runs nothing and streams cached updates), a node's own policy wins, a default set after the nodes
 * applies and a later {@code setNodeDefaults} that leaves it unset keeps it. Expected values are
 * src/test/resources/langgraph/node_defaults_cache.json, the output of node_defaults_cache.py beside it run against the
 * installed LangGraph 1.2.12 (its keys are named). One scenario differs on purpose: LangGraph caches a node that
 * failed and was handled as a task with no writes, so its second run runs neither the node nor its handler; Graphloop
 * caches only a node's successful writes (LANGGRAPH-DIFFERENCES.md, "Node defaults").
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NodeDefaultsCacheParityTest {

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/node_defaults_cache.json");

  private static StateGraph graph(String name) {
    return new StateGraph(name).channel("x", Channels.lastValue()).channel("trail", Channels.append());
  }

  /** The script's {@code counting(calls, name)}: counts its calls and appends {@code name:x}. */
  private static io.graphloop.graph.AsyncNode counting(Map<String, Integer> calls, String name) {
    return (state, ctx) -> {
      calls.merge(name, 1, Integer::sum);
      return Future.succeededFuture(Map.of("trail", List.of(name + ":" + state.get("x"))));
    };
  }

  /** The script's {@code chain}: START -> a -> b -> END, b with {@code bPolicy} (null: none of its own). */
  private static CompiledGraph chain(String name, NodeDefaults defaults, CachePolicy bPolicy,
                                     Map<String, Integer> calls) {
    StateGraph graph = graph(name);
    if (defaults != null) {
      graph.setNodeDefaults(defaults);
    }
    return graph.addNode("a", counting(calls, "a"))
        .addNode("b", counting(calls, "b"), new NodeOptions().setCachePolicy(bPolicy))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile(new MemoryNodeCache());
  }

  private static Map<String, Object> input(int x) {
    return Map.of("x", x, "trail", List.of());
  }

  /** The script's {@code runs}: invokes every input but the last, then streams the last one's updates. */
  private static Map<String, Object> runs(Vertx vertx, CompiledGraph graph, Map<String, Integer> calls,
                                          List<Map<String, Object>> inputs) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    Object first = null;
    for (Map<String, Object> input : inputs.subList(0, inputs.size() - 1)) {
      Map<String, Object> values = result(client.invoke(input)).asMap();
      first = first == null ? values : first;
    }
    List<Object> updates = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(inputs.get(inputs.size() - 1),
        new RunOptions(), StreamMode.UPDATES)))) {
      if (!event.isTerminal()) {
        updates.add(event.data());
      }
    }
    return Map.of("first", first, "updates", updates, "calls", new TreeMap<>(calls));
  }

  @Test
  void theDefaultCachesEveryNodeWithoutAPolicyOfItsOwn(Vertx vertx) {
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    CompiledGraph graph = chain("cache-default", new NodeDefaults().setCachePolicy(CachePolicy.defaults()), null,
        calls);
    EXPECTED.check("default_caches_every_node", runs(vertx, graph, calls, List.of(input(1), input(1))));
  }

  @Test
  void aNodesOwnCachePolicyWinsOverTheDefault(Vertx vertx) {
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    CompiledGraph graph = chain("cache-node-wins", new NodeDefaults().setCachePolicy(CachePolicy.defaults()),
        CachePolicy.keyedBy(state -> "one"), calls);
    EXPECTED.check("node_policy_wins", runs(vertx, graph, calls, List.of(input(1), input(2))));
  }

  @Test
  void aDefaultSetAfterTheNodesAppliesAndALaterCallKeepsIt(Vertx vertx) {
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    CompiledGraph graph = graph("cache-after-nodes").addNode("a", counting(calls, "a"))
        .addEdge(START, "a").addEdge("a", END)
        .setNodeDefaults(new NodeDefaults().setCachePolicy(CachePolicy.defaults()))
        .setNodeDefaults(new NodeDefaults().setRetry(RetryPolicy.none()))
        .compile(new MemoryNodeCache());
    EXPECTED.check("default_set_after_nodes_and_kept", runs(vertx, graph, calls, List.of(input(3), input(3))));
  }

  /**
   * A node that failed is not cached, so its handler (never cached by the default) runs again: where LangGraph 1.2.12
   * answers the second run from the cache with no writes (its trail empty, neither the node nor the handler called),
   * Graphloop's second run is its first.
   */
  @Test
  void aFailedNodeIsNotCachedSoItsHandlerRunsAgain(Vertx vertx) {
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    CompiledGraph graph = graph("cache-handler")
        .setNodeDefaults(new NodeDefaults().setCachePolicy(CachePolicy.defaults()))
        .addNode("fails", (state, ctx) -> {
          calls.merge("fails", 1, Integer::sum);
          return Future.failedFuture(new IllegalStateException("boom " + state.get("x")));
        })
        .errorHandler("fails", (state, ctx) -> {
          calls.merge("handler", 1, Integer::sum);
          return Future.succeededFuture(Map.of("trail", List.of("handled:" + state.get("x"))));
        })
        .addEdge(START, "fails").addEdge("fails", END).compile(new MemoryNodeCache());
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    JsonObject langGraph = EXPECTED.of("handler_not_cached");
    Map<String, Object> first = result(client.invoke(input(4))).asMap();
    Map<String, Object> second = result(client.invoke(input(4))).asMap();
    ParityExpectations.check("first run", langGraph.getJsonObject("first"), first);
    assertNotEquals(langGraph.getJsonObject("first"), langGraph.getJsonObject("second"),
        "LangGraph's second run comes from its cache without the handler's update: " + langGraph);
    ParityExpectations.check("second run, as the first", langGraph.getJsonObject("first"), second);
    assertEquals(Map.of("fails", 2, "handler", 2), new TreeMap<>(calls), "both run again");
    assertEquals(new JsonObject().put("fails", 1).put("handler", 1), langGraph.getJsonObject("calls"));
  }
}
