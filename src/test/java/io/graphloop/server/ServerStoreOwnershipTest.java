package io.graphloop.server;

import io.graphloop.graph.StateGraph;
import io.graphloop.store.InMemoryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With auth on, a long-term store item belongs to the user who put it: for another user it is absent (a get answers as
 * for a key never put), does not see it in search or namespaces, and cannot delete or overwrite it; its owner still has
 * it. Real HTTP on 127.0.0.1, a {@link ServerVerticle} with an {@link InMemoryStore}.
 */
class ServerStoreOwnershipTest {

  private static Vertx vertx;
  private static WebCalls http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ServerVerticle server = new ServerVerticle(List.of(new StateGraph("noop")
        .addNode("noop", state -> Future.succeededFuture(Map.of()))
        .addEdge(StateGraph.START, "noop").addEdge("noop", StateGraph.END).compile()),
        new ServerOptions().setApiKeys(List.of("store-a", "store-b")).setPort(0)).store(new InMemoryStore());
    ServerFixture.await(vertx.deployVerticle(server));
    http = new WebCalls(server.actualPort());
  }

  @AfterAll
  static void stop() {
    http.close();
    ServerFixture.await(vertx.close());
  }

  private static String[] key(String key) {
    return new String[] {"x-api-key", key};
  }

  private static HttpResponse<Buffer> get(String user) {
    return http.call(HttpMethod.GET, "/store/items?namespace=memories.profile&key=k1", null, key(user));
  }

  @Test
  void anItemIsNotFoundForAnotherUser() {
    JsonArray namespace = new JsonArray().add("memories").add("profile");
    assertEquals(204, http.call(HttpMethod.PUT, "/store/items", new JsonObject().put("namespace", namespace)
        .put("key", "k1").put("value", new JsonObject().put("likes", "tea")), key("store-a")).statusCode());
    HttpResponse<Buffer> mine = get("store-a");
    assertEquals(200, mine.statusCode(), mine.bodyAsString());
    assertEquals("tea", mine.bodyAsJsonObject().getJsonObject("value").getString("likes"));
    assertEquals(namespace, mine.bodyAsJsonObject().getJsonArray("namespace"), "the owner's label is hidden");

    // for bob it is absent: the same answer as a key nobody ever put (LangGraph's store answers 200 null then)
    HttpResponse<Buffer> theirs = get("store-b");
    HttpResponse<Buffer> absent = http.call(HttpMethod.GET, "/store/items?namespace=memories.profile&key=never", null,
        key("store-a"));
    assertEquals(absent.statusCode(), theirs.statusCode(), theirs.bodyAsString());
    assertEquals(absent.bodyAsString(), theirs.bodyAsString());
    assertEquals(new JsonArray(), http.call(HttpMethod.POST, "/store/items/search", new JsonObject()
        .put("namespace_prefix", new JsonArray().add("memories")), key("store-b")).bodyAsJsonObject()
        .getJsonArray("items"));
    assertEquals(new JsonArray(), http.call(HttpMethod.POST, "/store/namespaces", new JsonObject(), key("store-b"))
        .bodyAsJsonObject().getJsonArray("namespaces"));
    http.call(HttpMethod.DELETE, "/store/items", new JsonObject().put("namespace", namespace).put("key", "k1"),
        key("store-b"));
    assertEquals(204, http.call(HttpMethod.PUT, "/store/items", new JsonObject().put("namespace", namespace)
        .put("key", "k1").put("value", new JsonObject().put("likes", "coffee")), key("store-b")).statusCode());
    assertEquals(1, http.call(HttpMethod.POST, "/store/items/search", new JsonObject()
        .put("namespace_prefix", new JsonArray().add("memories")), key("store-a")).bodyAsJsonObject()
        .getJsonArray("items").size());
    assertEquals("tea", get("store-a").bodyAsJsonObject().getJsonObject("value").getString("likes"),
        "bob's delete and put touched his own namespace only");
    assertEquals("coffee", get("store-b").bodyAsJsonObject().getJsonObject("value").getString("likes"));
    assertEquals(401, get("nobody").statusCode());
  }
}
