package io.graphloop.runtime;

import io.graphloop.cache.MemoryNodeCache;
import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;
import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CachePolicy;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node caching as LangGraph's {@code CachePolicy}: a node's writes are reused across runs for equal keys, streamed as
 * {@code updates} marked {@code "__metadata__": {"cached": true}}, expire after their ttl, and are removed by
 * {@code clearCache}. Expected values were produced by LangGraph 1.2.12 ({@code src/test/resources/langgraph/
 * node_cache.py}, which prints them).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NodeCachingTest {

  /** A clock tests move by hand (no sleeping for a ttl). */
  static final class ManualClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_000_000);

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    void advance(Duration by) {
      millis.addAndGet(by.toMillis());
    }
  }

  @SuppressWarnings("unchecked")
  private static Object sortedAdd(Object left, Object right) {
    List<Object> all = new ArrayList<>(left == null ? List.of() : (List<Object>) left);
    all.addAll((List<Object>) right);
    all.sort((a, b) -> ((String) a).compareTo((String) b));
    return all;
  }

  /** The graph of {@code test_pregel.py::test_in_one_fan_out_state_graph_waiting_edge_multiple}. */
  static CompiledGraph fanOut(String name, boolean withCache, NodeCache cache, AtomicInteger rewrites) {
    return new StateGraph(name)
        .channel("docs", Channels.reducer(NodeCachingTest::sortedAdd))
        .addNode("rewrite_query", (state, ctx) -> {
          rewrites.incrementAndGet();
          return Future.succeededFuture(Map.of("query", "query: " + state.getString("query")));
        }, new NodeOptions().setCachePolicy(withCache ? CachePolicy.defaults() : null))
        .addNode("analyzer_one", state -> Future.succeededFuture(Map.of("query", "analyzed: "
            + state.getString("query"))))
        .addNode("retriever_one", state -> Future.succeededFuture(Map.of("docs", List.of("doc1", "doc2"))))
        .addNode("retriever_two", state -> Future.succeededFuture(Map.of("docs", List.of("doc3", "doc4"))))
        .addNode("decider", state -> Future.succeededFuture(Map.of()))
        .addNode("qa", state -> Future.succeededFuture(Map.of("answer", String.join(",",
            (List<String>) (List<?>) state.getList("docs")))))
        .setEntryPoint("rewrite_query")
        .addEdge("rewrite_query", "analyzer_one")
        .addEdge("analyzer_one", "retriever_one")
        .addEdge("rewrite_query", "retriever_two")
        .addEdge(List.of("retriever_one", "retriever_two"), "decider")
        .addConditionalEdges("decider", state -> state.getString("query").split("analyzed", -1).length - 1 > 1
            ? "qa" : "rewrite_query", List.of("qa", "rewrite_query"))
        .setFinishPoint("qa")
        .compile(cache);
  }

  private static final Map<String, Object> FINAL = Map.of(
      "query", "analyzed: query: analyzed: query: what is weather in sf",
      "answer", "doc1,doc1,doc2,doc2,doc3,doc3,doc4,doc4",
      "docs", List.of("doc1", "doc1", "doc2", "doc2", "doc3", "doc3", "doc4", "doc4"));

  private static Map<String, Object> cached(String node, Map<String, Object> update) {
    Map<String, Object> chunk = new LinkedHashMap<>();
    chunk.put(node, update);
    chunk.put("__metadata__", Map.of("cached", true));
    return chunk;
  }

  private static Map<String, Object> update(String node, Map<String, Object> update) {
    return Collections.singletonMap(node, update);
  }

  private static List<Map<String, Object>> updates(List<StreamEvent> events) {
    List<Map<String, Object>> chunks = new ArrayList<>();
    for (StreamEvent event : events) {
      if (event.event().wireName().equals("updates")) {
        chunks.add(event.data());
      }
    }
    return chunks;
  }

  /** Mirrors {@code test_pregel.py::test_in_one_fan_out_state_graph_waiting_edge_multiple} (with_cache True/False). */
  @Test
  void aCachedNodeIsReusedAcrossRunsAndStreamedAsCached(Vertx vertx) {
    for (boolean withCache : List.of(true, false)) {
      AtomicInteger rewrites = new AtomicInteger();
      CompiledGraph graph = fanOut("fan-out-cache-" + withCache, withCache, new MemoryNodeCache(), rewrites);
      GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
      String q = "what is weather in sf";

      assertEquals(FINAL, result(client.invoke(Map.of("query", q))).asMap());
      List<StreamEvent> events = result(collect(vertx, () -> client.stream(Map.of("query", q), new RunOptions(),
          StreamMode.UPDATES)));
      List<Map<String, Object>> expected = List.of(
          withCache ? cached("rewrite_query", Map.of("query", "query: what is weather in sf"))
              : update("rewrite_query", Map.of("query", "query: what is weather in sf")),
          update("analyzer_one", Map.of("query", "analyzed: query: what is weather in sf")),
          update("retriever_two", Map.of("docs", List.of("doc3", "doc4"))),
          update("retriever_one", Map.of("docs", List.of("doc1", "doc2"))),
          update("decider", null),
          withCache ? cached("rewrite_query", Map.of("query", "query: analyzed: query: what is weather in sf"))
              : update("rewrite_query", Map.of("query", "query: analyzed: query: what is weather in sf")),
          update("analyzer_one", Map.of("query", "analyzed: query: analyzed: query: what is weather in sf")),
          update("retriever_two", Map.of("docs", List.of("doc3", "doc4"))),
          update("retriever_one", Map.of("docs", List.of("doc1", "doc2"))),
          update("decider", null),
          update("qa", Map.of("answer", "doc1,doc1,doc2,doc2,doc3,doc3,doc4,doc4")));
      assertEquals(expected, updates(events));
      assertEquals(withCache ? 2 : 4, rewrites.get());

      if (withCache) { // LangGraph: app.clear_cache(), then the node runs again
        result(graph.clearCache(null));
        assertEquals(FINAL, result(client.invoke(Map.of("query", q))).asMap());
        assertEquals(4, rewrites.get());
        result(graph.clearCache(List.of("analyzer_one"))); // another node's entries: rewrite_query stays cached
        result(client.invoke(Map.of("query", q)));
        assertEquals(4, rewrites.get());
      }
    }
  }

  private static CompiledGraph upper(String name, CachePolicy policy, NodeCache cache, List<String> calls) {
    return new StateGraph(name)
        .channel("out", Channels.append())
        .addNode("a", (state, ctx) -> {
          calls.add(state.getString("query"));
          return Future.succeededFuture(Map.of("out", List.of(state.getString("query").toUpperCase())));
        }, new NodeOptions().setCachePolicy(policy))
        .addEdge(START, "a").addEdge("a", END)
        .compile(cache);
  }

  /** A key function and a ttl, as LangGraph's {@code CachePolicy(key_func=lambda s: s["query"], ttl=1)}. */
  @Test
  void aKeyFunctionChoosesWhatIsEqualAndEntriesExpireAfterTheirTtl(Vertx vertx) {
    ManualClock clock = new ManualClock();
    List<String> calls = new CopyOnWriteArrayList<>();
    CompiledGraph graph = upper("key-ttl", CachePolicy.keyedBy(state -> state.getString("query")).withTtlSeconds(1),
        new MemoryNodeCache(new NodeCacheOptions(), clock), calls);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();

    assertEquals(Map.of("query", "x", "n", 1, "out", List.of("X")), result(client.invoke(Map.of("query", "x", "n", 1))).asMap());
    assertEquals(Map.of("query", "x", "n", 2, "out", List.of("X")), result(client.invoke(Map.of("query", "x", "n", 2))).asMap());
    assertEquals(Map.of("query", "y", "n", 2, "out", List.of("Y")), result(client.invoke(Map.of("query", "y", "n", 2))).asMap());
    assertEquals(List.of("x", "y"), calls);
    clock.advance(Duration.ofMillis(1_200));
    assertEquals(Map.of("query", "x", "n", 3, "out", List.of("X")), result(client.invoke(Map.of("query", "x", "n", 3))).asMap());
    assertEquals(List.of("x", "y", "x"), calls);
  }

  /** LangGraph streams a cached task's start in {@code tasks} but no result for it (output_writes(cached=True)). */
  @Test
  void aCachedTaskIsAnnouncedButHasNoResultEvent(Vertx vertx) {
    List<String> calls = new CopyOnWriteArrayList<>();
    CompiledGraph graph = upper("tasks-cached", CachePolicy.defaults(), new MemoryNodeCache(), calls);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    result(client.invoke(Map.of("query", "x")));
    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Map.of("query", "x"), new RunOptions(),
        StreamMode.TASKS, StreamMode.UPDATES, StreamMode.VALUES)));
    List<String> kinds = new ArrayList<>();
    for (StreamEvent event : events) {
      kinds.add(event.event().wireName() + (event.event().wireName().equals("tasks") ? (event.data().containsKey("result") ? ":result"
          : ":start") : ""));
    }
    assertEquals(List.of("values", "tasks:start", "updates", "values", StreamEvent.END.wireName()), kinds);
    assertEquals(cached("a", Map.of("out", List.of("X"))), events.get(2).data());
    assertEquals(Map.of("query", "x", "out", List.of("X")), events.get(3).data());
    assertEquals(List.of("x"), calls);
  }

  /** Sends are cached by their argument (LangGraph: key_func(packet.arg)). */
  @Test
  void sendTasksAreCachedByTheirArgument(Vertx vertx) {
    List<String> calls = new CopyOnWriteArrayList<>();
    CompiledGraph graph = new StateGraph("send-cache")
        .channel("out", Channels.append())
        .addNode("a", (state, ctx) -> {
          calls.add(state.getString("query"));
          return Future.succeededFuture(Map.of("out", List.of(state.getString("query").toUpperCase())));
        }, new NodeOptions().setCachePolicy(CachePolicy.defaults()))
        .addConditionalEdges(START, state -> List.of(new Send("a", Map.of("query", "p")),
            new Send("a", Map.of("query", "q"))), List.of("a"))
        .addEdge("a", END)
        .compile(new MemoryNodeCache());
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    assertEquals(Map.of("query", "z", "out", List.of("P", "Q")), result(client.invoke(Map.of("query", "z"))).asMap());
    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Map.of("query", "z"), new RunOptions(),
        StreamMode.UPDATES)));
    assertEquals(List.of(cached("a", Map.of("out", List.of("P"))), cached("a", Map.of("out", List.of("Q")))),
        updates(events));
    assertEquals(List.of("p", "q"), calls);
  }

  /** A failing key function fails the run with an error naming the node (LangGraph raises the function's error). */
  @Test
  void aFailingKeyFunctionFailsTheRunNamingTheNode(Vertx vertx) {
    List<String> calls = new CopyOnWriteArrayList<>();
    CompiledGraph graph = upper("bad-key", CachePolicy.keyedBy(state -> {
      throw new IllegalArgumentException("boom key");
    }), new MemoryNodeCache(), calls);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    Throwable failure = assertThrows(Throwable.class, () -> result(client.invoke(Map.of("query", "x"))));
    GraphloopException cause = assertInstanceOf(GraphloopException.class, failure instanceof GraphloopException
        ? failure : failure.getCause());
    assertEquals("a", cause.node());
    assertTrue(cause.getMessage().contains("cache key function failed") && cause.getMessage().contains("boom key"),
        cause.getMessage());
    assertEquals(List.of(), calls);

    CompiledGraph nullKey = upper("null-key", CachePolicy.keyedBy(state -> null), new MemoryNodeCache(), calls);
    GraphClient other = result(GraphRuntime.deploy(vertx, nullKey)).client();
    Throwable nullFailure = assertThrows(Throwable.class, () -> result(other.invoke(Map.of("query", "x"))));
    assertTrue(String.valueOf(nullFailure.getMessage()).contains("returned null"), nullFailure.getMessage());
  }

  /** LangGraph: "No cache is set for this graph. Cannot clear cache." */
  @Test
  void clearingTheCacheOfAGraphWithoutOneFails() {
    CompiledGraph graph = upper("no-cache", CachePolicy.defaults(), null, new ArrayList<>());
    Throwable failure = assertThrows(Throwable.class, () -> result(graph.clearCache(null)));
    assertTrue(String.valueOf(failure.getMessage()).contains("No cache is set for graph 'no-cache'"),
        failure.getMessage());
    assertNull(graph.cache());
  }

  /** Only successful tasks are cached: a failed node runs again next time. */
  @Test
  void aFailedTaskIsNotCached(Vertx vertx) {
    AtomicInteger runs = new AtomicInteger();
    CompiledGraph graph = new StateGraph("fails-once")
        .addNode("a", (state, ctx) -> runs.incrementAndGet() == 1 ? Future.failedFuture(new IllegalStateException("first"))
            : Future.succeededFuture(Map.of("out", "ok")), new NodeOptions().setCachePolicy(CachePolicy.defaults()))
        .addEdge(START, "a").addEdge("a", END)
        .compile(new MemoryNodeCache());
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    assertThrows(Throwable.class, () -> result(client.invoke(Map.of("q", 1))));
    assertEquals(Map.of("q", 1, "out", "ok"), result(client.invoke(Map.of("q", 1))).asMap());
    assertEquals(Map.of("q", 1, "out", "ok"), result(client.invoke(Map.of("q", 1))).asMap());
    assertEquals(2, runs.get());
  }

  /**
   * A graph with a checkpointer and a cache (LangGraph: {@code compile(cache=InMemoryCache(), checkpointer=
   * InMemorySaver())}): a second thread is served from the cache, and its history is the same as if the node had run
   * (input -1, loop 0, 1, 2).
   */
  @Test
  void cachedWritesOnAThreadCheckpointAsIfTheNodeHadRun(Vertx vertx) {
    List<String> calls = new CopyOnWriteArrayList<>();
    CompiledGraph graph = new StateGraph("thread-cache")
        .channel("out", Channels.append())
        .addNode("a", (state, ctx) -> {
          calls.add(state.getString("query"));
          return Future.succeededFuture(Map.of("out", List.of(state.getString("query").toUpperCase())));
        }, new NodeOptions().setCachePolicy(CachePolicy.defaults()))
        .addNode("b", state -> Future.succeededFuture(Map.of("out", List.of("b"))))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END)
        .compile(new MemoryNodeCache());
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, ThreadStateTest.MEMORY)).client();
    assertEquals(Map.of("query", "k", "out", List.of("K", "b")),
        result(client.invoke(Map.of("query", "k"), new RunOptions().setThreadId("1"))).asMap());
    assertEquals(Map.of("query", "k", "out", List.of("K", "b")),
        result(client.invoke(Map.of("query", "k"), new RunOptions().setThreadId("2"))).asMap());
    // thread 1 again: its state now holds out=[K, b], so the input differs and a runs
    assertEquals(Map.of("query", "k", "out", List.of("K", "b", "K", "b")),
        result(client.invoke(Map.of("query", "k"), new RunOptions().setThreadId("1"))).asMap());
    assertEquals(List.of("k", "k"), calls);
    List<List<Object>> history = new ArrayList<>();
    for (io.graphloop.run.ThreadState state : result(client.getStateHistory("2", 10, null))) {
      history.add(List.of(state.source() + " " + state.step() + " " + state.next(), state.values().asMap()));
    }
    // the append channel shows its default [] before its first write, as LangGraph's Annotated[list, add]
    assertEquals(List.of(List.of("loop 2 []", Map.of("query", "k", "out", List.of("K", "b"))),
        List.of("loop 1 [b]", Map.of("query", "k", "out", List.of("K"))),
        List.of("loop 0 [a]", Map.of("query", "k", "out", List.of())),
        List.of("input -1 [__start__]", Map.of("out", List.of()))), history);
  }

  /**
   * The runtime option {@code nodeCache} gives a graph compiled without a cache its checkpoint store's (here SQLite,
   * from JSON configuration as {@code conf/} gives it), so members configured alike share cached writes.
   */
  @Test
  void theRuntimeOptionNodeCacheUsesTheCheckpointStoresCache(Vertx vertx, @org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) {
    List<String> calls = new CopyOnWriteArrayList<>();
    CompiledGraph graph = upper("option-cache", CachePolicy.defaults(), null, calls);
    GraphRuntimeOptions options = new GraphRuntimeOptions(new io.vertx.core.json.JsonObject()
        .put("checkpointer", new io.vertx.core.json.JsonObject().put("type", "sqlite").put("dataDir", dir.toString()))
        .put("nodeCache", new io.vertx.core.json.JsonObject().put("maxEntries", 100)));
    GraphRuntime runtime = result(GraphRuntime.deploy(vertx, graph, options));
    assertEquals(100, runtime.graph().cache() == null ? -1 : options.getNodeCache().getMaxEntries());
    GraphClient client = runtime.client();
    result(client.invoke(Map.of("query", "x")));
    result(client.invoke(Map.of("query", "x")));
    assertEquals(List.of("x"), calls);
    result(runtime.clearCache(null));
    result(client.invoke(Map.of("query", "x")));
    assertEquals(List.of("x", "x"), calls);
    result(runtime.undeploy());

    Throwable refused = assertThrows(Throwable.class, () -> result(GraphRuntime.deploy(vertx,
        upper("option-cache-no-store", CachePolicy.defaults(), null, calls),
        new GraphRuntimeOptions().setNodeCache(new NodeCacheOptions()))));
    assertTrue(String.valueOf(refused.getMessage()).contains("needs a checkpoint store"), refused.getMessage());
  }
}
