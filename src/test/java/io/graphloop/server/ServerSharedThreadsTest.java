package io.graphloop.server;

import io.graphloop.checkpoint.PostgresTestServer;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thread records shared by servers on one durable checkpoint store ({@link ServerVerticle#sharedThreads}): two servers
 * (A, B) with their own registries in front of the same graphs, their records in one SQLite file or one PostgreSQL
 * database (a throwaway server; skipped without its binaries unless {@code GRAPHLOOP_REQUIRE_POSTGRES=1}). A thread
 * created through A and never run, its metadata updated through A, its run's status and values, are seen through B:
 * get, search (metadata, values, status, ids filters; sort; paging; select) and count, for their owner only; a delete
 * through A is a 404 through B; a third server started later lists them all (a restart). Real HTTP on 127.0.0.1.
 */
class ServerSharedThreadsTest {

  private static final String KEY_A = "shared-key-a";
  private static final String KEY_B = "shared-key-b";
  private static final String[] A = {"x-api-key", KEY_A};
  private static final String[] B = {"x-api-key", KEY_B};

  @TempDir
  Path dir;

  @Test
  void serversOnOneSqliteFileShareTheirThreads() {
    scenario(new JsonObject().put("type", "sqlite").put("dataDir", dir.toString()));
  }

  @Test
  void serversOnOnePostgresDatabaseShareTheirThreads() {
    try (PostgresTestServer postgres = PostgresTestServer.startOrSkip()) {
      scenario(postgres.storeOptions().toJson().put("type", "postgres"));
    }
  }

  private static List<String> ids(JsonArray threads) {
    List<String> ids = new ArrayList<>();
    threads.forEach(thread -> ids.add(((JsonObject) thread).getString("thread_id")));
    return ids;
  }

  private static JsonArray search(WebCalls server, JsonObject body) {
    return server.call(HttpMethod.POST, "/threads/search", body, A).bodyAsJsonArray();
  }

  private void scenario(JsonObject records) {
    Vertx vertx = Vertx.vertx();
    List<WebCalls> calls = new ArrayList<>();
    try {
      List<CompiledGraph> graphs = List.of(SdkGraphs.echo(), SdkGraphs.hitl());
      GraphRuntimeOptions runtime = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"));
      Future<Void> deployed = Future.succeededFuture();
      for (CompiledGraph graph : graphs) {
        deployed = deployed.compose(ready -> GraphRuntime.deploy(vertx, graph, runtime).mapEmpty());
      }
      ServerFixture.await(deployed);
      WebCalls a = server(vertx, graphs, records, calls);
      WebCalls b = server(vertx, graphs, records, calls);

      // created through A, never run: B serves it, to its owner only
      JsonObject created = a.call(HttpMethod.POST, "/threads", new JsonObject()
          .put("metadata", new JsonObject().put("team", "red").put("tags", new JsonObject().put("k", 1))), A)
          .bodyAsJsonObject();
      String idle = created.getString("thread_id");
      JsonObject onB = b.call(HttpMethod.GET, "/threads/" + idle, null, A).bodyAsJsonObject();
      assertEquals("red", onB.getJsonObject("metadata").getString("team"), onB.encode());
      assertEquals(created.getString("created_at"), onB.getString("created_at"));
      assertEquals("idle", onB.getString("status"));
      assertEquals(404, b.call(HttpMethod.GET, "/threads/" + idle, null, B).statusCode());
      assertEquals(409, b.call(HttpMethod.POST, "/threads", new JsonObject().put("thread_id", idle), A).statusCode());
      assertEquals(idle, b.call(HttpMethod.POST, "/threads", new JsonObject().put("thread_id", idle)
          .put("if_exists", "do_nothing"), A).bodyAsJsonObject().getString("thread_id"));

      // run through A: its values and status are stored before /runs/wait answers
      String echoed = a.call(HttpMethod.POST, "/threads", new JsonObject(), A).bodyAsJsonObject()
          .getString("thread_id");
      a.call(HttpMethod.POST, "/threads/" + echoed + "/runs/wait", new JsonObject().put("assistant_id", "echo")
          .put("input", new JsonObject().put("in", "x")), A);
      String interrupted = a.call(HttpMethod.POST, "/threads", new JsonObject(), A).bodyAsJsonObject()
          .getString("thread_id");
      a.call(HttpMethod.POST, "/threads/" + interrupted + "/runs/wait", new JsonObject().put("assistant_id", "hitl")
          .put("input", new JsonObject().put("topic", "cats")), A);
      // a thread of another user, created through B
      String others = b.call(HttpMethod.POST, "/threads", new JsonObject()
          .put("metadata", new JsonObject().put("team", "red")), B).bodyAsJsonObject().getString("thread_id");

      assertEquals(List.of(interrupted, echoed, idle), ids(search(b, new JsonObject())));
      assertEquals(List.of(idle, echoed), ids(search(b, new JsonObject().put("sort_order", "asc").put("limit", 2))));
      assertEquals(List.of(interrupted), ids(search(b, new JsonObject().put("sort_order", "asc").put("offset", 2))));
      // paging headers from the shared records: matches before paging, next offset while matches remain
      var firstPage = b.call(HttpMethod.POST, "/threads/search", new JsonObject().put("limit", 2), A);
      assertEquals("3", firstPage.getHeader(PageHeaders.TOTAL));
      assertEquals("2", firstPage.getHeader(PageHeaders.NEXT));
      var lastPage = b.call(HttpMethod.POST, "/threads/search", new JsonObject().put("offset", 2), A);
      assertEquals("3", lastPage.getHeader(PageHeaders.TOTAL));
      assertEquals(null, lastPage.getHeader(PageHeaders.NEXT));
      List<String> byId = new ArrayList<>(List.of(interrupted, echoed, idle));
      byId.sort(null);
      assertEquals(byId, ids(search(b, new JsonObject().put("sort_by", "thread_id").put("sort_order", "asc"))));
      assertEquals(List.of(idle), ids(search(b, new JsonObject().put("metadata", new JsonObject()
          .put("tags", new JsonObject().put("k", 1))))));
      assertEquals(List.of(echoed), ids(search(b, new JsonObject().put("values", new JsonObject().put("out", "x!")))));
      assertEquals(List.of(interrupted), ids(search(b, new JsonObject().put("status", "interrupted"))));
      assertEquals(List.of(echoed), ids(search(b, new JsonObject().put("metadata", new JsonObject()
          .put("graph_id", "echo")))));
      assertEquals(List.of(echoed, idle), ids(search(b, new JsonObject().put("ids", new JsonArray().add(idle)
          .add(echoed).add(others)))));
      JsonObject selected = search(b, new JsonObject().put("ids", new JsonArray().add(echoed))
          .put("select", new JsonArray().add("thread_id").add("values"))).getJsonObject(0);
      assertEquals(new JsonObject().put("thread_id", echoed).put("values", new JsonObject().put("in", "x")
          .put("out", "x!")), selected);
      JsonObject interruptedOnB = b.call(HttpMethod.GET, "/threads/" + interrupted, null, A).bodyAsJsonObject();
      assertEquals("interrupted", interruptedOnB.getString("status"), interruptedOnB.encode());
      assertEquals("Draft about cats", interruptedOnB.getJsonObject("values").getString("text"));
      assertEquals(1, interruptedOnB.getJsonObject("interrupts").size(), interruptedOnB.encode());
      assertEquals(3, b.call(HttpMethod.POST, "/threads/count", new JsonObject(), A).bodyAsJson(Integer.class));
      assertEquals(1, b.call(HttpMethod.POST, "/threads/count", new JsonObject(), B).bodyAsJson(Integer.class));
      assertEquals(1, a.call(HttpMethod.POST, "/threads/count", new JsonObject()
          .put("metadata", new JsonObject().put("team", "red")), B).bodyAsJson(Integer.class));
      assertEquals(List.of(others), ids(a.call(HttpMethod.POST, "/threads/search", new JsonObject(), B)
          .bodyAsJsonArray()));

      // metadata updated through A (B already keeps a copy of the thread): B sees the update
      assertEquals(200, a.call(HttpMethod.PATCH, "/threads/" + idle, new JsonObject().put("metadata",
          new JsonObject().put("team", "blue")), A).statusCode());
      assertEquals("blue", b.call(HttpMethod.GET, "/threads/" + idle, null, A).bodyAsJsonObject()
          .getJsonObject("metadata").getString("team"));
      assertEquals(List.of(idle), ids(search(b, new JsonObject().put("metadata", new JsonObject()
          .put("team", "blue")))));
      assertEquals(0, b.call(HttpMethod.POST, "/threads/count", new JsonObject()
          .put("metadata", new JsonObject().put("team", "red")), A).bodyAsJson(Integer.class));
      assertEquals(1, b.call(HttpMethod.POST, "/threads/count", new JsonObject()
          .put("metadata", new JsonObject().put("team", "blue")), A).bodyAsJson(Integer.class));
      // and a state update through B is seen by A
      b.call(HttpMethod.POST, "/threads/" + echoed + "/state", new JsonObject().put("values",
          new JsonObject().put("out", "changed")), A);
      assertEquals("changed", a.call(HttpMethod.GET, "/threads/" + echoed, null, A).bodyAsJsonObject()
          .getJsonObject("values").getString("out"));

      // deleted through A: gone through B, which kept a copy
      assertEquals(204, a.call(HttpMethod.DELETE, "/threads/" + idle, null, A).statusCode());
      assertEquals(404, b.call(HttpMethod.GET, "/threads/" + idle, null, A).statusCode());
      assertEquals(List.of(interrupted, echoed), ids(search(b, new JsonObject())));
      assertEquals(2, b.call(HttpMethod.POST, "/threads/count", new JsonObject(), A).bodyAsJson(Integer.class));

      // a server started later (a restart) lists the stored threads
      WebCalls c = server(vertx, graphs, records, calls);
      assertEquals(List.of(interrupted, echoed), ids(search(c, new JsonObject())));
      JsonObject resumed = c.call(HttpMethod.POST, "/threads/" + interrupted + "/runs/wait", new JsonObject()
          .put("assistant_id", "hitl").put("command", new JsonObject().put("resume", "yes")), A).bodyAsJsonObject();
      assertEquals(true, resumed.getBoolean("published"), resumed.encode());
      assertEquals(List.of(interrupted), ids(search(a, new JsonObject().put("values", new JsonObject()
          .put("published", true)))));
      assertTrue(search(a, new JsonObject().put("status", "interrupted")).isEmpty());
    } finally {
      calls.forEach(WebCalls::close);
      ServerFixture.await(vertx.close());
    }
  }

  private static WebCalls server(Vertx vertx, List<CompiledGraph> graphs, JsonObject records, List<WebCalls> calls) {
    ServerVerticle server = new ServerVerticle(graphs, new ServerOptions().setApiKeys(List.of(KEY_A, KEY_B))
        .setHost("127.0.0.1").setPort(0)).sharedThreads(records);
    ServerFixture.await(vertx.deployVerticle(server));
    WebCalls calls1 = new WebCalls(server.actualPort());
    calls.add(calls1);
    return calls1;
  }
}
