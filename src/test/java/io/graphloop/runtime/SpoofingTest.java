package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.run.RunOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A foreign verticle on the same bus tries to take over other callers' runs: it hosts one node of the graph (a
 * hostile worker), so it sees that node's requests (run ids, the coordinator's results address, correlation ids),
 * and forges results for the requests it did not receive, as a member of a shared bus could. Graphloop must apply
 * only the results of the attempts it asked for; the forged ones are dropped and counted.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SpoofingTest {

  private static final int RUNS = 40;

  /** {@code scout} is hosted by the attacker; {@code work} by Graphloop, slow enough to be forged while in flight. */
  private static CompiledGraph graph(String name) {
    return new StateGraph(name)
        .addNode("scout", state -> Future.succeededFuture(Map.of("scouted", "by the graph")))
        .addNode("work", (state, ctx) -> ctx.vertx().timer(300)
            .map(t -> Map.of("work", "real " + state.getString("id"))))
        .addEdge(START, "scout")
        .addEdge("scout", "work")
        .addEdge("work", END)
        .compile();
  }

  @Test
  void forgedNodeResultsAreDroppedAndCountedAndEveryRunEndsWithItsRealResult(Vertx vertx, VertxTestContext test) {
    String name = "spoof-results";
    Attacker attacker = new Attacker(name);
    vertx.deployVerticle(attacker)
        .compose(deployed -> GraphRuntime.deploy(vertx, graph(name), new GraphRuntimeOptions()
            .setNodes(List.of("work"))))
        .compose(runtime -> {
          List<Future<State>> runs = new ArrayList<>();
          for (int i = 0; i < RUNS; i++) {
            runs.add(runtime.client().invoke(Map.of("id", "r" + i), new RunOptions().setTimeoutMs(30_000)));
          }
          return Future.join(runs).map(all -> {
            test.verify(() -> {
              for (int i = 0; i < RUNS; i++) {
                State state = runs.get(i).result();
                assertEquals("real r" + i, state.getString("work"), "run r" + i + " took a forged result: " + state);
                assertEquals("by the attacker's real answer", state.getString("scouted"), state.toString());
              }
              assertEquals(RUNS, attacker.requests.get(), "the attacker hosted scout for every run");
              assertTrue(attacker.forgeries.get() > RUNS * 100, "it forged many results: " + attacker.forgeries);
              assertTrue(runtime.metrics().forgedResults() >= RUNS,
                  "the replayed ids with a wrong tag are counted: " + runtime.metrics().toJson());
              assertTrue(runtime.metrics().lateResults() > 0, "the guessed ids are counted: "
                  + runtime.metrics().toJson());
              assertEquals(attacker.malformed.get(), runtime.metrics().malformedResults(),
                  "every message that is not a result is counted: " + runtime.metrics().toJson());
            });
            return runtime;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  /**
   * A victim streams a run by raw JSON with a window of 1 and grants no credit; a foreign member, which learnt the
   * coordinator's control address from a streamed run of its own and guesses the victim's run id, grants credits
   * and publishes cancels, without the run's token and with a made-up one. Nothing moves: the victim still has one
   * event, and its run is not cancelled. Then the victim, with the token its acknowledgement gave it, gets the rest.
   */
  @Test
  void creditsAndCancelsWithoutTheRunsTokenAreRefused(Vertx vertx, VertxTestContext test) {
    String name = "spoof-control";
    CompiledGraph graph = new StateGraph(name)
        .addNode("one", (state, ctx) -> ctx.vertx().timer(20).map(t -> Map.of("one", 1)))
        .addNode("two", (state, ctx) -> ctx.vertx().timer(400).map(t -> Map.of("two", 2)))
        .addEdge(START, "one").addEdge("one", "two").addEdge("two", END)
        .compile();
    EventBus bus = vertx.eventBus();
    List<JsonObject> victimEvents = new ArrayList<>();
    io.vertx.core.Promise<JsonObject> victimEnd = io.vertx.core.Promise.promise();
    List<JsonObject> attackerAcks = new ArrayList<>();
    bus.<Object>consumer("victim.events", message -> {
      Object body = message.body();
      JsonObject event = body instanceof io.graphloop.run.StreamEvent
          ? ((io.graphloop.run.StreamEvent) body).toJson() : (JsonObject) body;
      victimEvents.add(event);
      if ("end".equals(event.getString("event")) || "error".equals(event.getString("event"))) {
        victimEnd.tryComplete(event);
      }
    });
    bus.<JsonObject>consumer("attacker.acks", message -> attackerAcks.add(message.body()));
    JsonObject victimRun = new JsonObject().put("input", new JsonObject().put("who", "victim"))
        .put("options", new JsonObject().put("runId", "victim-stream-1"))
        .put("stream", new JsonObject().put("to", "victim.events").put("modes", "values").put("window", 1));
    JsonObject attackerRun = new JsonObject().put("input", new JsonObject())
        .put("stream", new JsonObject().put("to", "attacker.events").put("modes", "values"));
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setCoordinatorInstances(1))
        .compose(runtime -> bus.<JsonObject>request("graphloop." + name + ".run", attackerRun)
            .compose(attackerAck -> bus.<JsonObject>request("graphloop." + name + ".run", victimRun)
                .map(victimAck -> {
                  String control = attackerAck.body().getString("control"); // one coordinator: the victim's too
                  for (Object token : java.util.Arrays.asList(null, "0123456789abcdef0123456789abcdef",
                      attackerAck.body().getString("token"))) {
                    bus.send(control, new JsonObject().put("runId", "victim-stream-1").put("credits", 1000)
                        .put("token", token));
                    bus.publish("graphloop." + name + ".cancel", new JsonObject().put("runId", "victim-stream-1")
                        .put("replyTo", "attacker.acks").put("token", token));
                  }
                  return victimAck.body();
                }))
            .compose(victimAck -> vertx.timer(1_000).map(t -> {
              test.verify(() -> {
                assertEquals(1, victimEvents.size(), "only the victim's window was sent: " + victimEvents);
                assertTrue(attackerAcks.isEmpty(), "no cancel was confirmed to the attacker: " + attackerAcks);
                assertEquals(6, runtime.metrics().refusedControls(), runtime.metrics().toJson().toString());
              });
              bus.send(victimAck.getString("control"), new JsonObject().put("runId", "victim-stream-1")
                  .put("credits", 100).put("token", victimAck.getString("token")));
              return victimAck;
            }))
            .compose(victimAck -> victimEnd.future())
            .map(end -> {
              test.verify(() -> {
                assertEquals("end", end.getString("event"), "the victim's run was not cancelled: " + end);
                assertEquals(2, end.getJsonObject("data").getJsonObject("values").getInteger("two"));
              });
              return end;
            }))
        .onComplete(test.succeedingThenComplete());
  }

  /**
   * A run the attacker knows by id (it chose a guessable one) is cancelled only by its submitter: the attacker's
   * cancels (no token, a wrong one) are ignored and the run succeeds; the submitter's {@code cancel(runId)} (from
   * this JVM, with the token the client kept) and {@code cancel(runId, token)} (as from another JVM) work.
   */
  @Test
  void onlyTheSubmitterCancelsARun(Vertx vertx, VertxTestContext test) {
    String name = "spoof-cancel";
    CompiledGraph graph = new StateGraph(name)
        .addNode("slow", (state, ctx) -> ctx.vertx().timer(800).map(t -> Map.of("done", true)))
        .addEdge(START, "slow").addEdge("slow", END)
        .compile();
    EventBus bus = vertx.eventBus();
    List<JsonObject> attackerAcks = new ArrayList<>();
    bus.<JsonObject>consumer("attacker.cancel-acks", message -> attackerAcks.add(message.body()));
    GraphRuntime.deploy(vertx, graph).compose(runtime -> {
      io.graphloop.client.GraphClient client = runtime.client();
      Future<State> attacked = client.invoke(Map.of(), new RunOptions().setRunId("order-42"));
      Future<State> cancelledHere = client.invoke(Map.of(), new RunOptions().setRunId("order-43"));
      String token = io.graphloop.internal.bus.SecureIds.token();
      Future<State> cancelledElsewhere = client.invoke(Map.of(), new RunOptions().setRunId("order-44")
          .setControlToken(token));
      return vertx.timer(100).compose(t -> {
        for (Object guess : java.util.Arrays.asList(null, "", "order-42", io.graphloop.internal.bus.SecureIds.token())) {
          bus.publish("graphloop." + name + ".cancel", new JsonObject().put("runId", "order-42")
              .put("replyTo", "attacker.cancel-acks").put("token", guess));
        }
        // another JVM knows only the id and the token it was given
        io.graphloop.client.GraphClient other = io.graphloop.client.GraphClient.create(vertx, name);
        return Future.all(client.cancel("order-43"), other.cancel("order-44", token));
      }).compose(confirmations -> Future.join(attacked, cancelledHere, cancelledElsewhere).transform(done -> {
        test.verify(() -> {
          assertEquals(true, confirmations.resultAt(0), "the submitter cancels by id");
          assertEquals(true, confirmations.resultAt(1), "anyone with the token cancels");
          assertTrue(attacked.succeeded(), "the attacked run was not cancelled: " + attacked.cause());
          assertEquals(true, attacked.result().get("done"));
          assertTrue(cancelledHere.cause() instanceof io.graphloop.errors.RunCancelledException,
              String.valueOf(cancelledHere.cause()));
          assertTrue(cancelledElsewhere.cause() instanceof io.graphloop.errors.RunCancelledException,
              String.valueOf(cancelledElsewhere.cause()));
          assertTrue(attackerAcks.isEmpty(), attackerAcks.toString());
          assertTrue(runtime.metrics().refusedControls() >= 4, runtime.metrics().toJson().toString());
        });
        return Future.succeededFuture();
      }));
    }).onComplete(test.succeedingThenComplete());
  }

  /**
   * Threads carry their owner: alice's thread is "not found" for a foreign member acting for mallory, or for nobody,
   * whether it reads (get, get at a checkpoint, history), writes (update), runs on it (input, proceed, resume); alice's
   * thread is unchanged afterwards. An unowned thread is not seen by an owner either. A blank owner is refused.
   */
  @Test
  void threadsOfAnotherOwnerAreNotFound(Vertx vertx, VertxTestContext test) {
    String name = "spoof-threads";
    CompiledGraph graph = new StateGraph(name)
        .channel("notes", io.graphloop.state.Channels.append())
        .addNode("note", state -> Future.succeededFuture(Map.of("notes", "noted " + state.getString("text"))))
        .addEdge(START, "note").addEdge("note", END)
        .compile();
    EventBus bus = vertx.eventBus();
    String runAddress = "graphloop." + name + ".run";
    String threadsAddress = "graphloop." + name + ".threads";
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory")))
        .compose(runtime -> {
          io.graphloop.client.GraphClient alice = runtime.client().asOwner("alice");
          RunOptions thread = new RunOptions().setThreadId("t-1");
          return alice.run(Map.of("text", "secret plan"), thread).compose(first -> alice.getState("t-1")
              .compose(before -> {
                List<JsonObject> attempts = new ArrayList<>();
                attempts.add(new JsonObject().put("op", "get").put("threadId", "t-1"));
                attempts.add(new JsonObject().put("op", "get").put("threadId", "t-1")
                    .put("checkpointId", first.checkpointId()));
                attempts.add(new JsonObject().put("op", "history").put("threadId", "t-1"));
                attempts.add(new JsonObject().put("op", "update").put("threadId", "t-1")
                    .put("values", new JsonObject().put("notes", "mallory was here")).put("asNode", "note"));
                List<JsonObject> runs = List.of(
                    new JsonObject().put("input", new JsonObject().put("text", "x"))
                        .put("options", new JsonObject().put("threadId", "t-1")),
                    new JsonObject().put("options", new JsonObject().put("threadId", "t-1")),
                    new JsonObject().put("command", new JsonObject().put("resume", "yes"))
                        .put("options", new JsonObject().put("threadId", "t-1")));
                List<Future<?>> refused = new ArrayList<>();
                for (String owner : java.util.Arrays.asList("mallory", null, "ALICE")) {
                  io.vertx.core.eventbus.DeliveryOptions as = new io.vertx.core.eventbus.DeliveryOptions();
                  if (owner != null) {
                    as.addHeader(io.graphloop.internal.bus.Owners.HEADER, owner);
                  }
                  attempts.forEach(request -> refused.add(expectCode(bus.request(threadsAddress, request, as), 404)));
                  runs.forEach(request -> refused.add(expectCode(bus.request(runAddress, request, as), 404)));
                }
                refused.add(expectCode(bus.request(threadsAddress, attempts.get(0), new io.vertx.core.eventbus
                    .DeliveryOptions().addHeader(io.graphloop.internal.bus.Owners.HEADER, " ")), 400));
                return Future.all(refused).compose(all -> alice.getState("t-1")).map(after -> {
                  test.verify(() -> {
                    assertEquals(before.checkpointId(), after.checkpointId(), "nothing was written to alice's thread");
                    assertEquals(List.of("noted secret plan"), after.values().getList("notes"));
                    assertEquals("alice", after.metadata().get("owner"));
                  });
                  return alice;
                });
              }))
              .compose(done -> alice.updateState("t-1", Map.of("notes", "alice's own note"), "note"))
              .compose(updated -> runtime.client().run(Map.of("text", "open"), new RunOptions().setThreadId("t-2")))
              .compose(unowned -> expectCode(alice.getState("t-2"), 404)
                  .compose(v -> runtime.client().getState("t-2")))
              .map(unowned -> {
                test.verify(() -> assertEquals(List.of("noted open"), unowned.values().getList("notes")));
                return unowned;
              });
        })
        .onComplete(test.succeedingThenComplete());
  }

  /** Succeeds when {@code future} fails with a Graphloop failure (or a reply failure) of {@code code}. */
  private static Future<Void> expectCode(Future<?> future, int code) {
    return future.transform(done -> {
      if (done.succeeded()) {
        return Future.failedFuture(new AssertionError("expected a failure " + code + ", got " + done.result()));
      }
      Throwable cause = done.cause();
      int actual = cause instanceof io.graphloop.errors.GraphloopException
          ? ((io.graphloop.errors.GraphloopException) cause).code().code()
          : cause instanceof io.vertx.core.eventbus.ReplyException
          ? ((io.vertx.core.eventbus.ReplyException) cause).failureCode() : -1;
      return actual == code ? Future.succeededFuture()
          : Future.failedFuture(new AssertionError("expected a failure " + code + ", got " + cause));
    });
  }

  /**
   * Hosts {@code scout}. For each request it first sends a result with the request's correlation id but another tag
   * (a replay with a guessed tag), then its real answer, and 100 ms later, while the run's {@code work} request is
   * in flight, a forged {@code work} result for every correlation id within 64 of the one it saw (with and without
   * its tag), as JSON, the form any member of a clustered bus can send.
   */
  private static final class Attacker extends VerticleBase {
    private final String graph;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger forgeries = new AtomicInteger();
    final AtomicInteger malformed = new AtomicInteger();

    Attacker(String graph) {
      this.graph = graph;
    }

    @Override
    public Future<?> start() {
      EventBus bus = vertx.eventBus();
      return bus.consumer("graphloop." + graph + ".node.scout", message -> {
        requests.incrementAndGet();
        Object body = message.body();
        JsonObject request = body instanceof NodeRequest ? ((NodeRequest) body).toJson() : (JsonObject) body;
        String replyTo = request.getString("replyTo");
        Object correlation = request.getValue("correlation");
        bus.send(replyTo, new JsonObject().put("correlation", otherTag(correlation))
            .put("reply", new JsonObject().put("update", new JsonObject().put("scouted", "forged"))));
        malformed.addAndGet(3); // messages that are not results at all: dropped, counted and logged (item 13)
        bus.send(replyTo, "not a result");
        bus.send(replyTo, new JsonObject().put("correlation", correlation)); // neither reply nor failure
        bus.send(replyTo, new JsonObject().put("correlation", "zz").put("reply", new JsonObject()));
        bus.send(replyTo, new JsonObject().put("correlation", correlation)
            .put("reply", new JsonObject().put("update", new JsonObject().put("scouted",
                "by the attacker's real answer"))));
        vertx.setTimer(100, t -> {
          for (long d = -64; d <= 64; d++) {
            for (Object guess : guesses(correlation, d)) {
              forgeries.incrementAndGet();
              bus.send(replyTo, new JsonObject().put("correlation", guess)
                  .put("reply", new JsonObject().put("update", new JsonObject().put("work", "forged"))));
            }
          }
        });
      }).completion();
    }

    /** The same id with its tag changed (the key part kept); a numeric id as it is. */
    private static Object otherTag(Object correlation) {
      if (correlation instanceof String) {
        String text = (String) correlation;
        char first = text.charAt(0) == '0' ? '1' : '0';
        return first + text.substring(1);
      }
      return correlation;
    }

    /** Ids near the one seen: a counter plus {@code d}; for a tagged id, its key plus {@code d}, with its tag or 0. */
    private static List<Object> guesses(Object correlation, long d) {
      if (correlation instanceof Number) {
        return List.of(((Number) correlation).longValue() + d);
      }
      String text = (String) correlation;
      long key = Long.parseUnsignedLong(text.substring(16), 16) + d;
      return List.of(text.substring(0, 16) + String.format("%016x", key), key);
    }
  }
}
