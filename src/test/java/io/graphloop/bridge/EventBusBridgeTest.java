package io.graphloop.bridge;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Exposing graphs through an event-bus bridge", with a real bridge: vertx-web's SockJS event-bus bridge
 * on 127.0.0.1 with exactly the README's permissions and bridge event handler ({@link BridgeGuard}), and clients
 * speaking the bridge's frames over a real WebSocket ({@link BridgeClient}). A client runs and streams the exposed
 * graph (credits with its token, events on its own prefix), runs it on a thread that the bridge gives the session's
 * owner, and is refused when it sends to a node's address, a results address (a forged result, to the real address
 * and correlation of a request in flight), another graph, a control address without the token or with a custom
 * event, a cancel without the token, a stream to another session's prefix, and when it registers another prefix or a
 * Graphloop address. The coordinator sees none of what was refused (its dropped-message counters stay 0). A cancel
 * that carries a token passes the bridge, and the coordinator decides: with another token (from another session
 * that learnt the run id, or made up) it cancels nothing and acknowledges nothing; with the token the submitter got
 * in its acknowledgement it cancels the run (acknowledged, the stream ends with a 409 {@code error} event).
 *
 * <p>The JUnit thread waits on futures; nothing blocks an event loop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventBusBridgeTest {

  private static final String GRAPH = "bridged";
  private static final String PATH = "/eventbus";

  private Vertx vertx;
  private GraphRuntime runtime;
  private HttpServer server;
  private final List<BridgeClient> clients = new ArrayList<>();
  /** The last request of node {@code draft} (its results address and correlation), to forge a result for. */
  private final AtomicReference<JsonObject> seenRequest = new AtomicReference<>();
  /** Requests of node {@code draft} for a topic starting with "held", by topic: answered when the test says so. */
  private final Map<String, JsonObject> held = new java.util.concurrent.ConcurrentHashMap<>();

  private static CompiledGraph graph(String name) {
    return new StateGraph(name)
        .addNode("draft", (state, ctx) -> ctx.vertx().timer(50).map(t -> Map.of("draft", "about "
            + state.getString("topic"))))
        .addNode("review", (state, ctx) -> ctx.vertx().timer(50).map(t -> Map.of("review", "ok: "
            + state.getString("draft"))))
        .addEdge(START, "draft").addEdge("draft", "review").addEdge("review", END)
        .compile();
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    // node 'draft' is hosted by a verticle of the test that answers as the node would, after a second, and keeps the
    // request: so a request is in flight while the client tries to forge its result
    await(vertx.eventBus().<Object>consumer("graphloop." + GRAPH + ".node.draft", message -> {
      JsonObject request = message.body() instanceof NodeRequest ? ((NodeRequest) message.body()).toJson()
          : (JsonObject) message.body();
      seenRequest.set(request);
      String topic = request.getJsonObject("input").getString("topic");
      if (topic.startsWith("held")) { // answered when the test says so
        held.put(topic, request);
        return;
      }
      vertx.setTimer(1_000, t -> answer(request));
    }).completion());
    runtime = await(GraphRuntime.deploy(vertx, graph(GRAPH), new GraphRuntimeOptions().setNodes(List.of("review"))
        .setCheckpointer(new JsonObject().put("type", "memory"))));
    await(GraphRuntime.deploy(vertx, graph("hidden"), new GraphRuntimeOptions()));
    Router router = Router.router(vertx);
    router.route(PATH + "/*").subRouter(SockJSHandler.create(vertx).bridge(BridgeGuard.options(GRAPH),
        new BridgeGuard(GRAPH)));
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  /** Node {@code draft}'s answer to {@code request}, as the node would send it. */
  private void answer(JsonObject request) {
    vertx.eventBus().send(request.getString("replyTo"), new JsonObject()
        .put("correlation", request.getValue("correlation"))
        .put("reply", new JsonObject().put("update", new JsonObject().put("draft", "about "
            + request.getJsonObject("input").getString("topic")))));
  }

  @AfterEach
  void stop() throws Exception {
    for (BridgeClient client : clients) {
      client.close().otherwiseEmpty().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    await(vertx.close());
  }

  private BridgeClient connect(String user) throws Exception {
    BridgeClient client = await(BridgeClient.connect(vertx, server.actualPort(), PATH, user));
    clients.add(client);
    return client;
  }

  @Test
  void aClientRunsAndStreamsTheExposedGraphThroughTheBridge() throws Exception {
    BridgeClient alice = connect("alice");
    await(alice.write("register", "app.alice.events", null));
    JsonObject plain = await(alice.request("graphloop." + GRAPH + ".run",
        new JsonObject().put("input", new JsonObject().put("topic", "loops")), null));
    assertEquals("rec", plain.getString("type"), plain.encode());
    assertEquals("ok: about loops", plain.getJsonObject("body").getJsonObject("values").getString("review"),
        plain.encode());

    JsonObject ack = await(alice.request("graphloop." + GRAPH + ".run", new JsonObject()
        .put("input", new JsonObject().put("topic", "bridges"))
        .put("stream", new JsonObject().put("to", "app.alice.events").put("modes", new JsonArray().add("updates"))
            .put("window", 1)), null));
    JsonObject accepted = ack.getJsonObject("body");
    assertEquals("streaming", accepted.getString("status"), ack.encode());
    String runId = accepted.getString("runId");
    String control = accepted.getString("control");
    String token = accepted.getString("token");
    JsonObject first = await(alice.next(f -> "app.alice.events".equals(f.getString("address")), 10_000));
    JsonObject event = first.getJsonObject("body");
    assertEquals(runId, event.getString("runId"), first.encode());
    assertEquals("updates", event.getString("event"), first.encode());
    assertEquals(java.util.Set.of("runId", "seq", "event", "step", "node", "ns", "data"), event.fieldNames(),
        "the protocol's JSON form of an event: " + first.encode());
    // window 1: the rest comes only with credits, which the bridge lets through with exactly runId, credits, token
    await(alice.write("send", control, new JsonObject().put("runId", runId).put("credits", 10).put("token", token)));
    JsonObject end = await(alice.next(f -> "app.alice.events".equals(f.getString("address"))
        && "end".equals(f.getJsonObject("body").getString("event")), 10_000));
    assertEquals("ok: about bridges", end.getJsonObject("body").getJsonObject("data").getJsonObject("values")
        .getString("review"), end.encode());
  }

  @Test
  void theBridgeRefusesNodeResultsOtherGraphsTokenlessControlsAndOtherSessionsAddresses() throws Exception {
    BridgeClient mallory = connect("mallory");
    String base = "graphloop." + GRAPH + ".";
    // a run of its own shows it the control address (as any streaming client sees it) and a node request in flight
    await(mallory.write("register", "app.mallory.events", null));
    seenRequest.set(null);
    JsonObject ack = await(mallory.request(base + "run", new JsonObject().put("input", new JsonObject()
        .put("topic", "x")).put("stream", new JsonObject().put("to", "app.mallory.events").put("modes", "values")
        .put("window", 1)), null)).getJsonObject("body");
    String control = ack.getString("control");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seenRequest.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(10); // the JUnit thread, not an event loop
    }
    JsonObject request = seenRequest.get();
    assertNotNull(request, "the run's request of node draft is in flight");

    // nodes and results: a client would be a node, or answer for one (the real results address and correlation)
    JsonObject forged = new JsonObject().put("correlation", request.getValue("correlation"))
        .put("reply", new JsonObject().put("update", new JsonObject().put("draft", "forged")));
    assertDenied(mallory.refused("send", request.getString("replyTo"), forged));
    assertDenied(mallory.refused("send", base + "node.draft", new JsonObject()));
    assertDenied(mallory.refused("send", base + "node.draft@vert.x-eventloop-thread-0", new JsonObject()));
    assertDenied(mallory.refused("publish", base + "results.x", forged));
    // another graph on the same bus
    assertDenied(mallory.refused("send", "graphloop.hidden.run", new JsonObject()));
    // control and cancel without the token, or with events a node would send
    assertRejected(mallory.refused("send", control, new JsonObject().put("runId", ack.getString("runId"))
        .put("credits", 5)));
    assertRejected(mallory.refused("send", control, new JsonObject().put("runId", ack.getString("runId"))
        .put("credits", 1).put("token", ack.getString("token")).put("custom", new JsonObject().put("fake", 1))));
    assertRejected(mallory.refused("publish", base + "cancel", new JsonObject().put("runId",
        ack.getString("runId"))));
    // another session's addresses
    assertRejected(mallory.refused("send", base + "run", new JsonObject().put("stream", new JsonObject()
        .put("to", "app.alice.events").put("modes", "values"))));
    assertRejected(mallory.refused("send", base + "run", new JsonObject().put("replyTo", "app.alice.replies")));
    assertRejected(mallory.refused("register", "app.alice.events", null));
    assertRejected(mallory.refused("register", base + "run", null));
    assertRejected(mallory.refused("register", base + "node.draft", null));

    // nothing refused reached the coordinator: no forged, late or malformed result, no refused control
    JsonObject metrics = runtime.metrics().toJson();
    assertEquals(0, runtime.metrics().forgedResults(), metrics.encode());
    assertEquals(0, runtime.metrics().lateResults(), metrics.encode());
    assertEquals(0, runtime.metrics().malformedResults(), metrics.encode());
    assertEquals(0, runtime.metrics().refusedControls(), metrics.encode());
    // and its own run still ends, with its token
    await(mallory.write("send", control, new JsonObject().put("runId", ack.getString("runId")).put("credits", 10)
        .put("token", ack.getString("token"))));
    JsonObject end = await(mallory.next(f -> "app.mallory.events".equals(f.getString("address"))
        && "end".equals(f.getJsonObject("body").getString("event")), 10_000));
    assertEquals("about x", end.getJsonObject("body").getJsonObject("data").getJsonObject("values")
        .getString("draft"), "the forged result was not taken: " + end.encode());
    assertEquals("ok: about x", end.getJsonObject("body").getJsonObject("data").getJsonObject("values")
        .getString("review"), end.encode());
  }

  @Test
  void aCancelThroughTheBridgeCancelsOnlyWithTheRunsToken() throws Exception {
    BridgeClient alice = connect("alice");
    BridgeClient mallory = connect("mallory");
    String base = "graphloop." + GRAPH + ".";
    await(alice.write("register", "app.alice.events", null));
    await(alice.write("register", "app.alice.acks", null));
    await(mallory.write("register", "app.mallory.acks", null));
    // alice's run waits in node draft until the test answers it
    JsonObject accepted = await(alice.request(base + "run", new JsonObject()
        .put("input", new JsonObject().put("topic", "held-1"))
        .put("stream", new JsonObject().put("to", "app.alice.events").put("modes", "values")), null))
        .getJsonObject("body");
    String runId = accepted.getString("runId");
    String token = accepted.getString("token");
    awaitHeld("held-1");
    // a cancel that names the run but shows another token passes the bridge (it has a token) and cancels nothing:
    // from another session that learnt the run id, and from alice's own session with a token she made up
    String madeUp = "0123456789abcdef0123456789abcdef";
    await(mallory.write("publish", base + "cancel", new JsonObject().put("runId", runId).put("token", madeUp)
        .put("replyTo", "app.mallory.acks")));
    await(alice.write("publish", base + "cancel", new JsonObject().put("runId", runId)
        .put("token", token.substring(1) + (token.charAt(0) == 'a' ? 'b' : 'a')).put("replyTo", "app.alice.acks")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (runtime.metrics().refusedControls() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10); // the JUnit thread, not an event loop
    }
    assertEquals(2, runtime.metrics().refusedControls(), runtime.metrics().toJson().encode());
    answer(held.remove("held-1"));
    JsonObject end = await(alice.next(f -> "app.alice.events".equals(f.getString("address"))
        && Set.of("end", "error").contains(f.getJsonObject("body").getString("event")), 10_000));
    assertEquals("end", end.getJsonObject("body").getString("event"), "the run was cancelled: " + end.encode());
    assertEquals("ok: about held-1", end.getJsonObject("body").getJsonObject("data").getJsonObject("values")
        .getString("review"), end.encode());
    assertTrue(mallory.unclaimed().stream().noneMatch(f -> "app.mallory.acks".equals(f.getString("address"))),
        "a refused cancel is not acknowledged: " + mallory.unclaimed());

    // with the token from its acknowledgement, alice cancels her next run through the bridge
    JsonObject second = await(alice.request(base + "run", new JsonObject()
        .put("input", new JsonObject().put("topic", "held-2"))
        .put("stream", new JsonObject().put("to", "app.alice.events").put("modes", "values")), null))
        .getJsonObject("body");
    awaitHeld("held-2");
    await(alice.write("publish", base + "cancel", new JsonObject().put("runId", second.getString("runId"))
        .put("token", second.getString("token")).put("replyTo", "app.alice.acks")));
    JsonObject ack = await(alice.next(f -> "app.alice.acks".equals(f.getString("address")), 10_000));
    assertEquals(new JsonObject().put("runId", second.getString("runId")).put("cancelled", true),
        ack.getJsonObject("body"), ack.encode());
    JsonObject failed = await(alice.next(f -> "app.alice.events".equals(f.getString("address"))
        && second.getString("runId").equals(f.getJsonObject("body").getString("runId"))
        && Set.of("end", "error").contains(f.getJsonObject("body").getString("event")), 10_000));
    assertEquals("error", failed.getJsonObject("body").getString("event"), failed.encode());
    assertEquals(409, failed.getJsonObject("body").getJsonObject("data").getInteger("code"), failed.encode());
    assertEquals(2, runtime.metrics().refusedControls(), runtime.metrics().toJson().encode());
  }

  /** Waits (bounded) until node draft holds the request of {@code topic}. */
  private void awaitHeld(String topic) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!held.containsKey(topic) && System.nanoTime() < deadline) {
      Thread.sleep(10); // the JUnit thread, not an event loop
    }
    assertTrue(held.containsKey(topic), "node draft got no request for " + topic);
  }

  @Test
  void theBridgeSetsTheOwnerSoAThreadIsHiddenFromOtherSessionsWhateverHeaderTheySend() throws Exception {
    BridgeClient alice = connect("alice");
    BridgeClient bob = connect("bob");
    String base = "graphloop." + GRAPH + ".";
    JsonObject run = await(alice.request(base + "run", new JsonObject().put("input", new JsonObject()
        .put("topic", "secrets")).put("options", new JsonObject().put("threadId", "t-alice")),
        new JsonObject().put(BridgeGuard.OWNER_HEADER, "bob"))); // the bridge overwrites it with alice
    assertEquals("rec", run.getString("type"), run.encode());
    JsonObject get = new JsonObject().put("op", "get").put("threadId", "t-alice");
    JsonObject own = await(alice.request(base + "threads", get, null));
    assertEquals("ok: about secrets", own.getJsonObject("body").getJsonObject("values").getString("review"),
        own.encode());
    JsonObject stolen = await(bob.request(base + "threads", get, new JsonObject().put(BridgeGuard.OWNER_HEADER,
        "alice")));
    assertEquals("err", stolen.getString("type"), stolen.encode());
    assertEquals(404, stolen.getInteger("failureCode"), stolen.encode());
    JsonObject continued = await(bob.request(base + "run", new JsonObject().put("options", new JsonObject()
        .put("threadId", "t-alice")), new JsonObject().put(BridgeGuard.OWNER_HEADER, "alice")));
    assertEquals(404, continued.getInteger("failureCode"), continued.encode());
    assertFalse(continued.encode().contains("secrets"), continued.encode());
  }

  private static void assertDenied(Future<JsonObject> refusal) throws Exception {
    JsonObject error = await(refusal);
    assertEquals("access_denied", error.getString("body"), error.encode());
  }

  private static void assertRejected(Future<JsonObject> refusal) throws Exception {
    JsonObject error = await(refusal);
    assertEquals("rejected", error.getString("body"), error.encode());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
