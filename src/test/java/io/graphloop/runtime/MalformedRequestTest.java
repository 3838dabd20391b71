package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.FailureReply;
import io.graphloop.protocol.Failures;
import io.graphloop.protocol.NodeReply;
import io.graphloop.runtime.MalformedRequests.Case;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of malformed requests sent straight to a graph's event-bus addresses (the run address and a node's
 * address), generated from a fixed seed so a failure reproduces: text that is not JSON, truncated JSON, a wrong
 * type at every field, out-of-range values, unknown and missing fields, unsupported body types, nesting deeper
 * than {@link Values#MAX_DEPTH}, bodies over {@code maxRequestBytes} (as a JSON object, a string and a buffer),
 * and input the graph's channels refuse. Every one must be answered with a failure whose code is right and whose
 * message names what was wrong; afterwards the graph still runs, and no run is left in flight.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MalformedRequestTest {

  private static final String GRAPH = MalformedRequests.GRAPH;
  private static final String RUN = MalformedRequests.RUN;
  private static final String NODE = MalformedRequests.NODE;
  private static final long SEED = 0x6A7B_2024L;
  /** Requests in flight at once while the cases are sent. */
  private static final int WINDOW = 64;
  private static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(10_000);

  /** START -> echo -> END over strict channels: text (last value), count (a sum), log (append). */
  private static CompiledGraph graph() {
    return new StateGraph(GRAPH).strictChannels()
        .channel("text", Channels.lastValue())
        .channel("count", Channels.reducer((a, b) -> ((Number) a).longValue() + ((Number) b).longValue(), 0L))
        .channel("log", Channels.append())
        .addNode("echo", state -> Future.succeededFuture(Map.of("log", List.of("echo: " + state.getString("text")),
            "count", 1)))
        .addEdge(START, "echo").addEdge("echo", END)
        .compile();
  }

  private static GraphRuntimeOptions options() {
    return new GraphRuntimeOptions().setCoordinatorInstances(3).setNodeInstances(2)
        .setMaxRequestBytes(MalformedRequests.MAX_REQUEST_BYTES);
  }

  @Test
  void thousandsOfMalformedRunRequestsAreEachRefusedWithTheRightCodeAndNothingLeaks(Vertx vertx,
                                                                                   VertxTestContext ctx) {
    vertx.eventBus().registerDefaultCodec(MalformedRequests.Stranger.class,
        new MalformedRequests.StrangerCodec());
    List<Case> cases = MalformedRequests.runCases(new Random(SEED));
    assertTrue(cases.size() >= 3_000, "enough cases: " + cases.size());
    GraphRuntime.deploy(vertx, graph(), options()).onComplete(ctx.succeeding(runtime -> vertx.runOnContext(v ->
        sendAll(vertx, cases).onComplete(ctx.succeeding(problems -> {
          ctx.verify(() -> {
            assertEquals(List.of(), problems.subList(0, Math.min(15, problems.size())), summary(problems, cases));
            assertEquals(0, runtime.metrics().node("echo").executions(), "no malformed request reached a node");
            assertEquals(0, runtime.metrics().runsInFlight(), "refused and failed runs left nothing in flight");
          });
          JsonObject valid = new JsonObject().put("input", new JsonObject().put("text", "still here"))
              .put("options", new JsonObject().put("runId", "after-the-storm"));
          vertx.eventBus().<Object>request(RUN, valid.encode(), SEND)
              .compose(raw -> runtime.client().invoke(Map.of("text", "client", "count", 40))
                  .map(state -> Map.entry(raw.body(), state)))
              .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
                JsonObject raw = assertInstanceOf(JsonObject.class, both.getKey());
                assertEquals("after-the-storm", raw.getString("runId"));
                assertEquals("success", raw.getString("status"));
                assertEquals(new JsonObject().put("text", "still here").put("count", 1L)
                    .put("log", new JsonArray().add("echo: still here")), raw.getJsonObject("values"));
                State state = both.getValue();
                assertEquals(41L, ((Number) state.get("count")).longValue());
                assertEquals(List.of("echo: client"), state.getList("log"));
                assertEquals(2, runtime.metrics().node("echo").executions());
                assertEquals(0, runtime.metrics().runsInFlight(), "the valid runs ended too");
                ctx.completeNow();
              })));
        })))));
  }

  @Test
  void malformedNodeRequestsAreRefusedWith400AndTheNodeStillWorks(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().registerDefaultCodec(MalformedRequests.Stranger.class,
        new MalformedRequests.StrangerCodec());
    List<Case> cases = MalformedRequests.nodeCases(new Random(SEED + 1));
    assertTrue(cases.size() >= 500, "enough cases: " + cases.size());
    GraphRuntime.deploy(vertx, graph(), options()).onComplete(ctx.succeeding(runtime -> vertx.runOnContext(v ->
        sendAll(vertx, cases).onComplete(ctx.succeeding(problems -> {
          ctx.verify(() -> {
            assertEquals(List.of(), problems.subList(0, Math.min(15, problems.size())), summary(problems, cases));
            assertEquals(0, runtime.metrics().node("echo").executions(), "no malformed request ran the node");
          });
          JsonObject direct = new JsonObject().put("graph", GRAPH).put("runId", "direct").put("node", "echo")
              .put("input", new JsonObject().put("text", "hello"));
          vertx.eventBus().<Object>request(NODE, direct, SEND)
              .compose(reply -> runtime.client().invoke(Map.of("text", "run")).map(state -> Map.entry(reply.body(),
                  state)))
              .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
                Object body = both.getKey();
                NodeReply reply = body instanceof NodeReply ? (NodeReply) body : NodeReply.fromJson((JsonObject) body);
                assertEquals(Map.of("log", List.of("echo: hello"), "count", 1), reply.update());
                assertEquals(List.of("echo: run"), both.getValue().getList("log"));
                assertEquals(2, runtime.metrics().node("echo").executions());
                assertEquals(0, runtime.metrics().runsInFlight());
                ctx.completeNow();
              })));
        })))));
  }

  // ---- sending and checking -------------------------------------------------------------------------------------

  /** Sends every case, at most {@link #WINDOW} at once, on the calling context; the future lists what went wrong. */
  private static Future<List<String>> sendAll(Vertx vertx, List<Case> cases) {
    List<String> problems = new ArrayList<>();
    Promise<List<String>> done = Promise.promise();
    int[] next = {0};
    int[] pending = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (pending[0] < WINDOW && next[0] < cases.size()) {
        Case c = cases.get(next[0]++);
        pending[0]++;
        request(vertx, c).onComplete(result -> {
          String problem = check(c, result.succeeded() ? result.result() : null, result.cause());
          if (problem != null) {
            problems.add(problem);
          }
          pending[0]--;
          if (next[0] == cases.size() && pending[0] == 0) {
            done.complete(problems);
          } else {
            pump[0].run();
          }
        });
      }
    };
    pump[0].run();
    return done.future();
  }

  /** The request; a codec missing for the body fails it at the sender, which becomes a failed future here. */
  private static Future<Message<Object>> request(Vertx vertx, Case c) {
    try {
      return vertx.eventBus().request(c.address(), c.body(), SEND);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Null when {@code c} got what it must get, else what went wrong. */
  private static String check(Case c, Message<Object> reply, Throwable failure) {
    String label = "[" + c.label() + "] ";
    if (failure == null) {
      return label + "succeeded with " + MalformedRequests.describe(reply.body());
    }
    switch (c.outcome()) {
      case SENDER_REFUSES:
        return failure instanceof IllegalArgumentException && failure.getMessage().contains("No message codec") ? null
            : label + "expected the sender to refuse the body, got " + failure;
      case NO_HANDLERS:
        return failure instanceof ReplyException && ((ReplyException) failure).failureType() == ReplyFailure.NO_HANDLERS
            ? null : label + "expected NO_HANDLERS, got " + failure;
      default:
        break;
    }
    if (!(failure instanceof FailureReply)) {
      return label + "expected a FailureReply, got " + failure;
    }
    FailureReply e = (FailureReply) failure;
    if (e.failureCode() != c.code()) {
      return label + "expected code " + c.code() + ", got " + e.failureCode() + ": " + e.getMessage();
    }
    if (e.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return label + "expected a recipient failure, got " + e.failureType();
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    for (String mention : c.mentions()) {
      if (!message.contains(mention)) {
        return label + "message does not mention " + mention + ": " + message;
      }
    }
    if (!GRAPH.equals(e.failure().graph()) && c.address().equals(RUN)) {
      return label + "the failure does not name the graph: " + e.failure().graph();
    }
    JsonObject json = Failures.toJson(e.failure());
    if (json.getInteger("code") != c.code() || !message.equals(json.getString("message"))) {
      return label + "the failure's JSON disagrees with the reply: " + json.encode();
    }
    return null;
  }

  /** How many cases went wrong, per kind of case, for the assertion message (the first ones follow it). */
  private static String summary(List<String> problems, List<Case> cases) {
    Map<String, Long> byKind = new java.util.TreeMap<>();
    for (String problem : problems) {
      String label = problem.substring(1, problem.indexOf(']'));
      int cut = label.indexOf(':');
      byKind.merge((cut < 0 ? label : label.substring(0, cut)).replaceAll("\\d+", "N"), 1L, Long::sum);
    }
    return problems.size() + " of " + cases.size() + " cases went wrong " + byKind + "; the first ones are listed";
  }
}
