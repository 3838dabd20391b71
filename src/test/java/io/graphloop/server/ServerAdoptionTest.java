package io.graphloop.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Two servers in front of the same graphs (as two members' servers in front of coordinators sharing a store, or one
 * server restarted): a thread created and run through server A is found through server B, which adopts it from its
 * checkpoints (state, history, a run continuing it), for its owner only; deleting it deletes its checkpoints, so
 * neither server finds it again. Real HTTP on 127.0.0.1; the graphs' runtime has an in-memory checkpointer shared by
 * both servers (the two-JVM version with PostgreSQL is {@code ServeClusterIT}).
 */
class ServerAdoptionTest {

  private static final String KEY_A = "adoption-key-a";
  private static final String KEY_B = "adoption-key-b";

  private static ServerFixture a;
  private static WebCalls toA;
  private static WebCalls toB;

  @BeforeAll
  static void start() {
    ServerOptions options = new ServerOptions().setApiKeys(List.of(KEY_A, KEY_B));
    a = ServerFixture.start(options);
    ServerVerticle b = new ServerVerticle(List.of(SdkGraphs.echo(), SdkGraphs.slow(), SdkGraphs.hitl(),
        SdkGraphs.boom()), new ServerOptions(options).setHost("127.0.0.1").setPort(0));
    ServerFixture.await(a.vertx.deployVerticle(b));
    toA = new WebCalls(WebCalls.port(a.base));
    toB = new WebCalls(b.actualPort());
  }

  @AfterAll
  static void stop() {
    toA.close();
    toB.close();
    a.close();
  }

  private static String[] key(String key) {
    return new String[] {"x-api-key", key};
  }

  @Test
  void aThreadOfServerAIsServedByServerBForItsOwnerOnly() {
    String thread = toA.call(HttpMethod.POST, "/threads", new JsonObject(), key(KEY_A)).bodyAsJsonObject()
        .getString("thread_id");
    String other = toA.call(HttpMethod.POST, "/threads", new JsonObject(), key(KEY_A)).bodyAsJsonObject()
        .getString("thread_id");
    toA.call(HttpMethod.POST, "/threads/" + other + "/runs/wait", new JsonObject().put("assistant_id", "echo")
        .put("input", new JsonObject().put("in", "x")), key(KEY_A));
    JsonObject again = toB.call(HttpMethod.POST, "/threads", new JsonObject().put("thread_id", other)
        .put("if_exists", "do_nothing"), key(KEY_A)).bodyAsJsonObject();
    assertEquals("x!", again.getJsonObject("values").getString("out"), again.encode());
    JsonObject interrupted = toA.call(HttpMethod.POST, "/threads/" + thread + "/runs/wait", new JsonObject()
        .put("assistant_id", "hitl").put("input", new JsonObject().put("topic", "cats")), key(KEY_A))
        .bodyAsJsonObject();
    assertEquals("Draft about cats", interrupted.getString("text"));
    // another user asks B first: not found, and not adopted for anyone
    assertEquals(404, toB.call(HttpMethod.GET, "/threads/" + thread + "/state", null, key(KEY_B)).statusCode());
    JsonObject state = toB.call(HttpMethod.GET, "/threads/" + thread + "/state", null, key(KEY_A))
        .bodyAsJsonObject();
    assertEquals(new JsonArray().add("approve"), state.getJsonArray("next"));
    assertEquals("Draft about cats", state.getJsonObject("values").getString("text"));
    JsonObject record = toB.call(HttpMethod.GET, "/threads/" + thread, null, key(KEY_A)).bodyAsJsonObject();
    assertEquals("interrupted", record.getString("status"));
    assertEquals("hitl", record.getJsonObject("metadata").getString("graph_id"));
    JsonArray history = toB.call(HttpMethod.POST, "/threads/" + thread + "/history", new JsonObject(), key(KEY_A))
        .bodyAsJsonArray();
    assertFalse(history.isEmpty());
    assertEquals(404, toB.call(HttpMethod.GET, "/threads/" + thread, null, key(KEY_B)).statusCode());
    // creating it again through B conflicts, as on A; do_nothing answers the thread
    assertEquals(409, toB.call(HttpMethod.POST, "/threads", new JsonObject().put("thread_id", thread), key(KEY_A))
        .statusCode());
    // B continues it: the resume reaches the interrupt A's run stopped at
    JsonObject done = toB.call(HttpMethod.POST, "/threads/" + thread + "/runs/wait", new JsonObject()
        .put("assistant_id", "hitl").put("command", new JsonObject().put("resume", "yes")), key(KEY_A))
        .bodyAsJsonObject();
    assertEquals(true, done.getBoolean("published"), done.encode());
    assertEquals(true, toA.call(HttpMethod.GET, "/threads/" + thread + "/state", null, key(KEY_A))
        .bodyAsJsonObject().getJsonObject("values").getBoolean("published"));
    // deleted through B: its checkpoints are gone, and A, which had its record, drops it when the deletion is
    // published (graphloop.threads.deleted): waited for, bounded
    assertEquals(204, toB.call(HttpMethod.DELETE, "/threads/" + thread, null, key(KEY_A)).statusCode());
    assertEquals(404, toB.call(HttpMethod.GET, "/threads/" + thread, null, key(KEY_A)).statusCode());
    int status = 0;
    for (int i = 0; i < 200 && (status = toA.call(HttpMethod.GET, "/threads/" + thread + "/state", null, key(KEY_A))
        .statusCode()) != 404; i++) {
      sleep();
    }
    assertEquals(404, status, "A dropped its record of the deleted thread");
  }

  private static void sleep() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
