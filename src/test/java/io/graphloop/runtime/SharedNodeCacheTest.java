package io.graphloop.runtime;

import io.graphloop.cache.NodeCache;
import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.PostgresCheckpointStore;
import io.graphloop.checkpoint.PostgresTestServer;
import io.graphloop.checkpoint.SqliteCheckpointStore;
import io.graphloop.checkpoint.SqliteStoreOptions;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.CachePolicy;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The node cache lives in the checkpoint store, so coordinators that share a store share cached writes: a node run
 * by one runtime (its own Vert.x instance, as a cluster member) is served from the cache by another, with the
 * {@code cached} marker, and clearing the cache through one is seen by the other. SQLite: two runtimes on one store;
 * PostgreSQL: two stores (two pools, as two JVMs) on one throwaway server.
 */
class SharedNodeCacheTest {

  @TempDir
  Path dir;

  private final List<Vertx> instances = new ArrayList<>();
  private final List<CheckpointStore> stores = new ArrayList<>();
  private PostgresTestServer server;

  @AfterEach
  void close() {
    stores.forEach(store -> result(store.close()));
    instances.forEach(vertx -> result(vertx.close()));
    if (server != null) {
      server.close();
    }
  }

  private Vertx vertx() {
    Vertx vertx = Vertx.vertx();
    instances.add(vertx);
    return vertx;
  }

  private static CompiledGraph graph(NodeCache cache, AtomicInteger runs) {
    return new StateGraph("shared-cache")
        .addNode("expensive", (state, ctx) -> {
          runs.incrementAndGet();
          return Future.succeededFuture(Map.of("answer", "for " + state.getString("question")));
        }, new NodeOptions().setCachePolicy(CachePolicy.keyedBy(state -> state.getString("question"))))
        .addEdge(START, "expensive").addEdge("expensive", END)
        .compile(cache);
  }

  private static void coordinatorsShareCachedWrites(Vertx one, NodeCache first, Vertx two, NodeCache second) {
    AtomicInteger runsOnOne = new AtomicInteger();
    AtomicInteger runsOnTwo = new AtomicInteger();
    CompiledGraph graphOne = graph(first, runsOnOne);
    GraphClient clientOne = result(GraphRuntime.deploy(one, graphOne)).client();
    GraphClient clientTwo = result(GraphRuntime.deploy(two, graph(second, runsOnTwo))).client();

    result(graphOne.clearCache(List.of("expensive"))); // a shared database may hold an entry of an earlier run
    long before = result(second.size());
    assertEquals(Map.of("question", "q1", "answer", "for q1"), result(clientOne.invoke(Map.of("question", "q1"))).asMap());
    // the first run's cached write is stored in the background after its outcome: wait (bounded) until it is visible
    for (int i = 0; i < 200 && result(second.size()) <= before; i++) {
      result(one.timer(10));
    }
    List<StreamEvent> events = result(collect(two, () -> clientTwo.stream(Map.of("question", "q1"), new RunOptions(),
        StreamMode.UPDATES)));
    Map<String, Object> cached = new LinkedHashMap<>();
    cached.put("expensive", Map.of("answer", "for q1"));
    cached.put("__metadata__", Map.of("cached", true));
    assertEquals(cached, events.get(0).data());
    assertEquals(1, runsOnOne.get());
    assertEquals(0, runsOnTwo.get());

    result(graphOne.clearCache(List.of("expensive")));
    assertEquals(Map.of("question", "q1", "answer", "for q1"), result(clientTwo.invoke(Map.of("question", "q1"))).asMap());
    assertEquals(1, runsOnTwo.get(), "cleared through the first runtime, the second runs the node again");
  }

  @Test
  void twoRuntimesOnOneSqliteStoreShareCachedWrites() {
    Vertx one = vertx();
    Vertx two = vertx();
    SqliteCheckpointStore store = result(SqliteCheckpointStore.open(one, new SqliteStoreOptions()
        .setDataDir(dir.toString()).setFileName("shared.db")));
    stores.add(store);
    coordinatorsShareCachedWrites(one, store.nodeCache(), two, store.nodeCache());
  }

  @Test
  void twoPostgresStoresOnOneDatabaseShareCachedWrites() {
    server = PostgresTestServer.startOrSkip();
    Vertx one = vertx();
    Vertx two = vertx();
    PostgresCheckpointStore first = result(PostgresCheckpointStore.open(one, server.storeOptions()));
    stores.add(first);
    PostgresCheckpointStore second = result(PostgresCheckpointStore.open(two, server.storeOptions()));
    stores.add(second);
    coordinatorsShareCachedWrites(one, first.nodeCache(), two, second.nodeCache());
  }
}
