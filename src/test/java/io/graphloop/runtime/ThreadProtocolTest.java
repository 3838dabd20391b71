package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads, interrupts and resume over the event-bus protocol, as any client sees them: plain JSON to
 * {@code graphloop.<graph>.run} and {@code graphloop.<graph>.threads}, plain JSON back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ThreadProtocolTest {

  private static final String RUN = "graphloop.hitl.run";
  private static final String THREADS = "graphloop.hitl.threads";
  private static final DeliveryOptions WAIT = new DeliveryOptions().setSendTimeout(10_000);

  private static CompiledGraph approval() {
    return new StateGraph("hitl")
        .addNode("draft", state -> Future.succeededFuture(Map.of("draft", "Draft about " + state.getString("topic"))))
        .addNode("approve", (state, ctx) -> Future.succeededFuture(Map.of("answer",
            ctx.interrupt(Map.of("question", "Publish it?", "draft", state.getString("draft"))))))
        .addNode("publish", state -> Future.succeededFuture(Map.of("published",
            "yes".equals(state.getString("answer")))))
        .addEdge(START, "draft").addEdge("draft", "approve").addEdge("approve", "publish").addEdge("publish", END)
        .compile();
  }

  private static JsonObject ask(Vertx vertx, String address, JsonObject body) {
    Message<Object> reply = result(vertx.eventBus().request(address, body, WAIT));
    return assertInstanceOf(JsonObject.class, reply.body(), "a JSON request gets a JSON reply");
  }

  private static ReplyException refused(Vertx vertx, String address, Object body) {
    return assertInstanceOf(ReplyException.class, failure(vertx.eventBus().request(address, body, WAIT)));
  }

  @Test
  void aJsonClientRunsOnAThreadIsInterruptedResumesAndReadsTheState(Vertx vertx) {
    result(GraphRuntime.deploy(vertx, approval(), MEMORY));

    JsonObject interrupted = ask(vertx, RUN, new JsonObject().put("input", new JsonObject().put("topic", "loops"))
        .put("options", new JsonObject().put("threadId", "t1")));
    assertEquals("interrupted", interrupted.getString("status"));
    assertEquals("t1", interrupted.getString("threadId"));
    JsonObject interrupt = interrupted.getJsonArray("interrupts").getJsonObject(0);
    assertEquals("approve", interrupt.getString("node"));
    assertEquals(new JsonObject().put("question", "Publish it?").put("draft", "Draft about loops"),
        interrupt.getJsonObject("value"));

    JsonObject state = ask(vertx, THREADS, new JsonObject().put("op", "get").put("threadId", "t1"));
    assertEquals(interrupted.getString("checkpointId"), state.getString("checkpointId"));
    assertEquals(new JsonArray().add("approve"), state.getJsonArray("next"));
    assertEquals(interrupt, state.getJsonArray("interrupts").getJsonObject(0));
    assertEquals("Draft about loops", state.getJsonObject("values").getString("draft"));

    JsonObject resumed = ask(vertx, RUN, new JsonObject().put("command", new JsonObject().put("resume", "yes"))
        .put("options", new JsonObject().put("threadId", "t1")));
    assertEquals("success", resumed.getString("status"));
    assertEquals(true, resumed.getJsonObject("values").getBoolean("published"));
    assertTrue(!resumed.containsKey("interrupts"));

    JsonObject history = ask(vertx, THREADS, new JsonObject().put("op", "history").put("threadId", "t1")
        .put("limit", 2));
    JsonArray states = history.getJsonArray("states");
    assertEquals(2, states.size());
    assertEquals(resumed.getString("checkpointId"), states.getJsonObject(0).getString("checkpointId"));
    assertEquals(states.getJsonObject(1).getString("checkpointId"),
        states.getJsonObject(0).getString("parentCheckpointId"));
    JsonObject older = ask(vertx, THREADS, new JsonObject().put("op", "history").put("threadId", "t1")
        .put("before", states.getJsonObject(1).getString("checkpointId")));
    assertEquals("input", older.getJsonArray("states").getJsonObject(older.getJsonArray("states").size() - 1)
        .getString("source"));

    JsonObject updated = ask(vertx, THREADS, new JsonObject().put("op", "update").put("threadId", "t1")
        .put("values", new JsonObject().put("answer", "no")).put("asNode", "approve"));
    assertEquals("update", updated.getString("source"));
    assertEquals(new JsonArray().add("publish"), updated.getJsonArray("next"));
    JsonObject republished = ask(vertx, RUN, new JsonObject().put("options", new JsonObject().put("threadId", "t1")));
    assertEquals(false, republished.getJsonObject("values").getBoolean("published"));
  }

  /** {"a": {"a": ... }} nested {@code depth} levels: too deep to encode or freeze. */
  private static JsonObject deeplyNested(int depth) {
    JsonObject root = new JsonObject();
    JsonObject at = root;
    for (int i = 0; i < depth; i++) {
      JsonObject next = new JsonObject();
      at.put("a", next);
      at = next;
    }
    return root;
  }

  @Test
  void badThreadRequestsAreRefusedWithStableCodes(Vertx vertx) {
    result(GraphRuntime.deploy(vertx, approval(), MEMORY));
    List<Object[]> cases = List.of(
        new Object[] {new JsonObject().put("op", "get"), 400, "threadId"},
        new Object[] {new JsonObject().put("op", "fly").put("threadId", "t"), 400, "get, history, update"},
        new Object[] {new JsonObject().put("op", "get").put("threadId", "t").put("thread", "x"), 400, "'thread'"},
        new Object[] {new JsonObject().put("op", "history").put("threadId", "t").put("limit", -1), 400, "limit"},
        new Object[] {new JsonObject().put("op", "get").put("threadId", "t").put("asNode", "a"), 400, "update"},
        new Object[] {"not json", 400, "Bad thread request"},
        new Object[] {42, 400, "a ThreadRequest or a JSON object"},
        new Object[] {"{\"op\": \"get\", \"threadId\": \"" + "x".repeat(5_000_000) + "\"}", 400,
            "over the limit of"},
        new Object[] {new JsonObject().put("op", "update").put("threadId", "t").put("values", deeplyNested(1_500)), 400,
            "Bad thread request"},
        new Object[] {new JsonObject().put("op", "get").put("threadId", "nobody"), 404, "'nobody'"},
        new Object[] {new JsonObject().put("op", "update").put("threadId", "t").put("asNode", "ghost")
            .put("values", new JsonObject()), 400, "[draft, approve, publish]"});
    for (Object[] c : cases) {
      ReplyException e = refused(vertx, THREADS, c[0]);
      // the case named by its fields or first characters: encoding a deeply nested one would overflow this stack
      String name = c[0] instanceof JsonObject ? "JSON with " + ((JsonObject) c[0]).fieldNames()
          : String.valueOf(c[0]).substring(0, Math.min(60, String.valueOf(c[0]).length()));
      assertEquals(c[1], e.failureCode(), name + " -> " + e.getMessage());
      assertTrue(e.getMessage().contains((String) c[2]), name + " -> " + e.getMessage());
    }
    ReplyException both = refused(vertx, RUN, new JsonObject().put("input", new JsonObject())
        .put("command", new JsonObject().put("resume", 1)).put("options", new JsonObject().put("threadId", "t")));
    assertEquals(400, both.failureCode());
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    ReplyException noThread = refused(vertx, RUN, new JsonObject().put("command", new JsonObject().put("resume", 1)));
    assertEquals(400, noThread.failureCode());
    assertTrue(noThread.getMessage().contains("threadId"), noThread.getMessage());
  }
}
