package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.Command;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.Router;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends and Commands through the deployed runtime: map-reduce fan-out whose push tasks each get their own
 * input and are reduced in a deterministic order under random timing; Command goto (async and blocking
 * nodes); and the failures of bad targets and non-JSON values, named after the node.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SendCommandRuntimeTest {

  /** Deliberately not alphabetical, so Send order is visible. */
  private static final List<String> PARTS = List.of("kiwi", "cherry", "apple", "mango", "banana", "fig", "date");
  private static final int RUNS = 100;
  private static final int BATCH = 25;

  /** What each push task of "work" saw, by run: its step and its input. */
  private final Map<String, Queue<String>> seenByRun = new ConcurrentHashMap<>();
  private final Map<String, Queue<String>> arrivalsByRun = new ConcurrentHashMap<>();

  private StateGraph mapReduce() {
    return new StateGraph("map-reduce")
        .channel("results", Channels.append())
        .addNode("split", state -> Future.succeededFuture(Map.of("parts", PARTS)))
        .addNode("work", (state, ctx) -> {
          seenByRun.computeIfAbsent(ctx.runId(), id -> new ConcurrentLinkedQueue<>())
              .add("step " + ctx.step() + " " + state.asMap());
          long delay = ThreadLocalRandom.current().nextLong(0, 6);
          Future<Void> wait = delay == 0 ? Future.succeededFuture() : ctx.vertx().timer(delay).mapEmpty();
          return wait.map(done -> {
            arrivalsByRun.computeIfAbsent(ctx.runId(), id -> new ConcurrentLinkedQueue<>())
                .add(state.getString("part"));
            return Map.of("results", state.getString("part").toUpperCase());
          });
        })
        .addNode("join", state -> Future.succeededFuture(Map.of("joined", String.join(",",
            state.getList("results").stream().map(String::valueOf).toList()))))
        .addEdge(START, "split")
        .addConditionalEdges("split", state -> state.getList("parts").stream()
            .map(part -> new Send("work", Map.of("part", part))).toList())
        .addEdge("work", "join")
        .addEdge("join", END);
  }

  @Test
  void mapReduceRunsEverySendWithItsOwnInputInOneStepAndReducesInSendOrder(Vertx vertx, VertxTestContext ctx) {
    List<Object> upper = new ArrayList<>();
    PARTS.forEach(part -> upper.add(part.toUpperCase()));
    GraphRuntime.deploy(vertx, mapReduce().compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().batch(Collections.nCopies(RUNS, Map.of()), new RunOptions(), BATCH))
        .onComplete(ctx.succeeding(states -> ctx.verify(() -> {
          assertEquals(RUNS, states.size());
          for (State state : states) {
            assertEquals(upper, state.getList("results"), "Send order, whatever order the tasks finished in");
            assertEquals(String.join(",", PARTS).toUpperCase(), state.getString("joined"), "join ran once, after all");
          }
          assertEquals(RUNS, seenByRun.size());
          for (Queue<String> seen : seenByRun.values()) {
            List<String> expected = new ArrayList<>();
            PARTS.forEach(part -> expected.add("step 2 {part=" + part + "}"));
            List<String> sorted = new ArrayList<>(seen);
            Collections.sort(sorted);
            Collections.sort(expected);
            assertEquals(expected, sorted, "one task per Send, all in step 2, each seeing only its own input");
          }
          long reordered = arrivalsByRun.values().stream().filter(a -> !new ArrayList<>(a).equals(PARTS)).count();
          assertTrue(reordered > 0, "the random delays should make Sends finish out of order");
          ctx.completeNow();
        })));
  }

  @Test
  void commandsRouteAsyncAndBlockingNodesAndTheirGotoAddsToTheStaticEdges(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("review")
        .channel("trace", Channels.append())
        .addNode("review", (state, context) -> Future.succeededFuture(
            Command.gotoNode(state.getInteger("score") >= 5 ? "publish" : "rewrite")
                .update(Map.of("trace", "review " + state.getInteger("score")))),
            new NodeOptions().setDestinations(List.of("publish", "rewrite")))
        .addBlockingNode("rewrite", (state, context) -> Command.of(Map.of("trace", "rewrite", "score", 7), "review"),
            new NodeOptions().setDestinations(List.of("review")))
        .addNode("publish", state -> Future.succeededFuture(Command.gotoNode(END).update(Map.of("trace", "publish"))))
        .addNode("notify", state -> Future.succeededFuture(Map.of("trace", "notify")))
        .addEdge(START, "review")
        .addEdge("publish", "notify")           // Command.goto(END) does not cancel the static edge
        .addEdge("notify", END);

    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of("score", 2)))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(List.of("review 2", "rewrite", "review 7", "publish", "notify"), state.getList("trace"));
          assertEquals(7, state.getInteger("score"));
          ctx.completeNow();
        })));
  }

  @Test
  void aCommandSendingFromABlockingNodeFansOutLikeARouter(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = new StateGraph("command-send")
        .channel("squares", Channels.append())
        .addBlockingNode("plan", (state, context) -> Command.send(
            state.getList("numbers").stream().map(n -> new Send("square", Map.of("n", n))).toList()),
            new NodeOptions().setDestinations(List.of("square")))
        .addNode("square", state -> Future.succeededFuture(Map.of("squares",
            state.getInteger("n") * state.getInteger("n"))))
        .addEdge(START, "plan")
        .addEdge("square", END);

    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of("numbers", List.of(3, 1, 2))))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(List.of(9, 1, 4), state.getList("squares"));
          ctx.completeNow();
        })));
  }

  /** START -> a; a runs {@code node} (and {@code router}, if any); b and c exist so the messages have nodes to list. */
  private static StateGraph failing(String name, AsyncNode node, Router router) {
    StateGraph graph = new StateGraph(name)
        .addNode("a", node, new NodeOptions().setDestinations(List.of("b", "c")))
        .addNode("b", state -> Future.succeededFuture(Map.of()))
        .addNode("c", state -> Future.succeededFuture(Map.of()))
        .addEdge(START, "a").addEdge("b", END).addEdge("c", END);
    return router == null ? graph : graph.addConditionalEdges("a", router, List.of("b", "c", END));
  }

  private static Future<State> runOnce(Vertx vertx, StateGraph graph, String runId) {
    return GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of(), new RunOptions().setRunId(runId)));
  }

  @Test
  void aCommandToAnUnknownNodeFailsTheRunNamingTheKnownNodesAndEnd(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = failing("failing", (state, context) -> Future.succeededFuture(Command.gotoNode("nowhere")),
        null);

    runOnce(vertx, graph, "run-goto").onComplete(ctx.failing(failure -> ctx.verify(() -> {
      InvalidUpdateException e = assertInstanceOf(InvalidUpdateException.class, failure);
      assertEquals(FailureCode.INVALID_UPDATE, e.code());
      assertEquals("failing", e.graph());
      assertEquals("run-goto", e.runId());
      assertEquals(1, e.step());
      assertEquals("a", e.node());
      assertTrue(e.getMessage().contains("'nowhere'") && e.getMessage().contains("known nodes are [a, b, c] (or END)"),
          e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void aSendToAnUnknownNodeFailsTheRunNamingTheKnownNodes(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = failing("failing", (state, context) -> Future.succeededFuture(Map.of()),
        state -> List.of("b", new Send("ghost", Map.of("x", 1))));

    runOnce(vertx, graph, "run-send").onComplete(ctx.failing(failure -> ctx.verify(() -> {
      GraphloopException e = assertInstanceOf(GraphloopException.class, failure);
      assertEquals(FailureCode.NODE_FAILED, e.code());
      assertEquals("run-send", e.runId());
      assertEquals("a", e.node());
      assertTrue(e.getMessage().contains("Send to 'ghost'") && e.getMessage().contains("known nodes are [a, b, c]"),
          e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void aSendToEndFailsTheRunNamingTheKnownNodes(Vertx vertx, VertxTestContext ctx) {
    StateGraph graph = failing("failing", (state, context) -> Future.succeededFuture(
        Command.send(new Send(END, Map.of()))), null);

    runOnce(vertx, graph, "run-send-end").onComplete(ctx.failing(failure -> ctx.verify(() -> {
      InvalidUpdateException e = assertInstanceOf(InvalidUpdateException.class, failure);
      assertEquals("a", e.node());
      assertTrue(e.getMessage().contains("sends to END") && e.getMessage().contains("known nodes are [a, b, c]"),
          e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void aCommandOrSendWithANonJsonValueFailsWithAnInvalidUpdateNamingTheNode(Vertx vertx, VertxTestContext ctx) {
    Checkpoint bothFailed = ctx.checkpoint(2);
    StateGraph updateGraph = failing("bad-update", (state, context) -> Future.succeededFuture(
        Command.gotoNode("b").update(Map.of("handle", new Object()))), null);
    StateGraph sendGraph = failing("bad-send", (state, context) -> Future.succeededFuture(Map.of()),
        state -> new Send("b", Map.of("handle", new Object())));

    runOnce(vertx, updateGraph, "run-update").onComplete(ctx.failing(failure -> ctx.verify(() -> {
      InvalidUpdateException e = assertInstanceOf(InvalidUpdateException.class, failure);
      assertEquals("a", e.node());
      assertTrue(e.getMessage().contains("node 'a'") && e.getMessage().contains("JSON"), e.getMessage());
      bothFailed.flag();
    })));
    runOnce(vertx, sendGraph, "run-send-input").onComplete(ctx.failing(failure -> ctx.verify(() -> {
      InvalidUpdateException e = assertInstanceOf(InvalidUpdateException.class, failure);
      assertEquals(List.of("a"), e.writers());
      assertTrue(e.getMessage().contains("Send to 'b'") && e.getMessage().contains("JSON"), e.getMessage());
      bothFailed.flag();
    })));
  }
}
