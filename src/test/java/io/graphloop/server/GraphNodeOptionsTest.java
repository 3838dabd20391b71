package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.studio.StudioGraphs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code GET /assistants/{id}/graph} over real HTTP: LangGraph's {@code get_graph().to_json()} shape unchanged, with
 * each declared node's Graphloop options (kind, timeout, retry policy, bulkhead limits) under
 * {@code metadata.graphloop}, for the studio's node details; xray's inner nodes carry their subgraph's options.
 */
class GraphNodeOptionsTest {

  private static final CompiledGraph PAUSING = new StateGraph("pausing")
      .addNode("ask", state -> Future.succeededFuture(Map.of("asked", true)))
      .addEdge(START, "ask").addEdge("ask", END).interruptBefore("ask").compile();

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions(),
      List.of(StudioGraphs.guarded(), StudioGraphs.nested(), PAUSING));

  private static Map<String, JsonObject> nodes(JsonObject graph) {
    Map<String, JsonObject> byId = new HashMap<>();
    graph.getJsonArray("nodes").forEach(node -> byId.put(((JsonObject) node).getString("id"), (JsonObject) node));
    return byId;
  }

  /** The graph JSON without the {@code graphloop} metadata (and without metadata it left empty). */
  private static JsonObject withoutOptions(JsonObject graph) {
    JsonObject copy = graph.copy();
    for (Object node : copy.getJsonArray("nodes")) {
      JsonObject metadata = ((JsonObject) node).getJsonObject("metadata");
      if (metadata != null) {
        metadata.remove(NodeOptionsMetadata.KEY);
        if (metadata.isEmpty()) {
          ((JsonObject) node).remove("metadata");
        }
      }
    }
    return copy;
  }

  @Test
  void eachNodeCarriesItsOptionsUnderMetadataAndTheRestIsLangGraphsJson() {
    ServerFixture.Answer answer = server.get("/assistants/guarded/graph");
    assertEquals(200, answer.status(), answer.body());
    JsonObject graph = answer.json();
    assertEquals(StudioGraphs.guarded().drawing(0).toJson(), withoutOptions(graph));

    JsonObject fetch = nodes(graph).get("fetch").getJsonObject("metadata").getJsonObject("graphloop");
    assertEquals("async", fetch.getString("kind"));
    assertEquals(5_000L, fetch.getLong("timeoutMs"));
    assertEquals(4, fetch.getInteger("maxConcurrency"));
    assertEquals(50, fetch.getInteger("maxQueued"));
    JsonObject retry = fetch.getJsonObject("retry");
    assertEquals(3, retry.getInteger("maxAttempts"));
    assertEquals(10L, retry.getLong("initialIntervalMs"));
    JsonObject check = nodes(graph).get("check").getJsonObject("metadata").getJsonObject("graphloop");
    assertEquals(1, check.getJsonObject("retry").getInteger("maxAttempts"));
    assertEquals(0L, check.getLong("timeoutMs"));
    assertFalse(nodes(graph).get("__start__").containsKey("metadata"), "START has no options");
    assertFalse(nodes(graph).get("__end__").containsKey("metadata"), "END has no options");
  }

  @Test
  void langGraphsOwnMetadataStaysNextToTheOptions() {
    JsonObject ask = nodes(server.get("/assistants/pausing/graph").json()).get("ask").getJsonObject("metadata");
    assertEquals("before", ask.getString("__interrupt"));
    assertEquals("async", ask.getJsonObject("graphloop").getString("kind"));
  }

  @Test
  void aSubgraphNodeSaysSoAndXrayGivesItsInnerNodesTheirOwnOptions() {
    JsonObject plain = server.get("/assistants/nested/graph").json();
    JsonObject inner = nodes(plain).get("inner").getJsonObject("metadata").getJsonObject("graphloop");
    assertEquals("subgraph", inner.getString("kind"));
    assertEquals("inner", inner.getString("subgraph"));

    JsonObject xray = server.get("/assistants/nested/graph?xray=true").json();
    assertEquals(StudioGraphs.nested().drawing(-1).toJson(), withoutOptions(xray));
    Map<String, JsonObject> nodes = nodes(xray);
    assertNull(nodes.get("inner"), "xray replaces the subgraph node by its nodes: " + nodes.keySet());
    assertEquals("async", nodes.get("inner:plan").getJsonObject("metadata").getJsonObject("graphloop")
        .getString("kind"));
    assertEquals(new JsonArray().add("__start__").add("prepare").add("finish").add("inner:plan").add("inner:act")
        .add("__end__").size(), nodes.size());
  }
}
