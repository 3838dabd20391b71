package io.graphloop.runtime;

import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Nodes of one step share one immutable snapshot; nothing a node does changes what others see. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SnapshotIsolationTest {

  private static final Map<String, Object> INPUT = Map.of("items", List.of("x", "y"), "name", "original");

  @Test
  void nodesOfOneStepReceiveTheSameStateInstance(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<State> seenByA = new AtomicReference<>();
    AtomicReference<State> seenByB = new AtomicReference<>();
    StateGraph graph = new StateGraph("snapshot-same")
        .addNode("a", state -> {
          seenByA.set(state);
          return Future.succeededFuture(Map.of("a", 1));
        })
        .addNode("b", state -> {
          seenByB.set(state);
          return Future.succeededFuture(Map.of("b", 2));
        })
        .addEdge(START, "a").addEdge(START, "b").addEdge("a", END).addEdge("b", END);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(INPUT))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertNotNull(seenByA.get());
          assertSame(seenByA.get(), seenByB.get(), "one snapshot per step, passed by reference");
          assertEquals(List.of("x", "y"), seenByA.get().getList("items"));
          ctx.completeNow();
        })));
  }

  @Test
  void writingToTheStateMapFailsTheNodeAndASiblingSeesTheOriginal(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> mutationTried = Promise.promise();
    AtomicReference<Map<String, Object>> siblingSaw = new AtomicReference<>();
    StateGraph graph = new StateGraph("snapshot-put")
        .addNode("mutator", state -> {
          try {
            state.asMap().put("name", "changed");
            state.asMap().put("injected", true);
          } finally {
            mutationTried.complete();
          }
          return Future.succeededFuture();
        })
        .addNode("sibling", state -> mutationTried.future().map(done -> {
          siblingSaw.set(Map.copyOf(state.asMap()));
          return Map.of("sibling", "done");
        }))
        .addEdge(START, "mutator").addEdge(START, "sibling").addEdge("mutator", END).addEdge("sibling", END);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(INPUT))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          NodeFailedException e = assertInstanceOf(NodeFailedException.class, failure);
          assertEquals("mutator", e.node());
          assertInstanceOf(UnsupportedOperationException.class, e.getCause());
          assertEquals(INPUT, siblingSaw.get());
          ctx.completeNow();
        })));
  }

  @Test
  void changingANestedListFailsTheNode(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<List<Object>> siblingSaw = new AtomicReference<>();
    Promise<Void> mutationTried = Promise.promise();
    StateGraph graph = new StateGraph("snapshot-nested")
        .addNode("mutator", state -> {
          try {
            state.getList("items").add("z");
          } finally {
            mutationTried.complete();
          }
          return Future.succeededFuture();
        })
        .addNode("sibling", state -> mutationTried.future().map(done -> {
          siblingSaw.set(new ArrayList<>(state.getList("items")));
          return null;
        }))
        .addEdge(START, "mutator").addEdge(START, "sibling").addEdge("mutator", END).addEdge("sibling", END);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(INPUT))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          NodeFailedException e = assertInstanceOf(NodeFailedException.class, failure);
          assertInstanceOf(UnsupportedOperationException.class, e.getCause());
          assertEquals(List.of("x", "y"), siblingSaw.get());
          ctx.completeNow();
        })));
  }

  @Test
  void changingAReturnedMapAfterReturningDoesNotChangeTheRunState(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> changedAfterReturn = Promise.promise();
    AtomicReference<Map<String, Object>> returned = new AtomicReference<>();
    AtomicReference<State> nextStepSaw = new AtomicReference<>();
    StateGraph graph = new StateGraph("snapshot-returned")
        .addNode("writer", (state, c) -> {
          List<Object> items = new ArrayList<>(List.of("w1"));
          Map<String, Object> update = new HashMap<>();
          update.put("items", items);
          update.put("name", "written");
          returned.set(update);
          c.vertx().setTimer(20, id -> {
            update.put("name", "changed later");
            update.put("sneaky", true);
            items.add("w2");
            changedAfterReturn.complete();
          });
          return Future.succeededFuture(update);
        })
        .addNode("reader", state -> changedAfterReturn.future().map(done -> {
          nextStepSaw.set(state);
          return null;
        }))
        .addEdge(START, "writer").addEdge("writer", "reader").addEdge("reader", END);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of()))
        .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
          assertEquals(true, returned.get().get("sneaky"), "the node did change its own map");
          assertEquals(List.of("w1"), state.getList("items"));
          assertEquals("written", state.getString("name"));
          assertFalse(state.has("sneaky"));
          assertEquals(state, nextStepSaw.get(), "the next step saw the values as returned");
          ctx.completeNow();
        })));
  }
}
