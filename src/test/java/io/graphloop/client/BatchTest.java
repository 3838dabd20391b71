package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.RequestBodies;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GraphClient#batch} takes constant stack whatever completes synchronously (issue 11, item 12: 50,000 refused
 * inputs threw {@code StackOverflowError}), and a request nested too deep is refused by a depth check, not by
 * catching {@code StackOverflowError}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class BatchTest {

  private static final int MANY = 50_000;

  private static CompiledGraph graph(String name) {
    return new StateGraph(name)
        .addNode("inc", state -> Future.succeededFuture(Map.of("n", state.getInteger("n") + 1)))
        .addEdge(START, "inc").addEdge("inc", END)
        .compile();
  }

  /** Inputs refused before they are sent (a map with a non-string key), the last ones valid. */
  private static List<Map<String, ?>> refusedThenValid(int refused, int valid) {
    List<Map<String, ?>> inputs = new ArrayList<>(refused + valid);
    for (int i = 0; i < refused; i++) {
      inputs.add(Map.of("n", Map.of(i, "an integer key")));
    }
    for (int i = 0; i < valid; i++) {
      inputs.add(Map.of("n", i));
    }
    return inputs;
  }

  @Test
  void fiftyThousandRefusedInputsFromAPlainThreadFailWithTheFirstRefusal(Vertx vertx) throws Exception {
    GraphRuntime runtime = GraphRuntime.deploy(vertx, graph("batch-thread")).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    ExecutionException failed = assertThrows(ExecutionException.class, () -> runtime.client()
        .batch(refusedThenValid(MANY, 3), new RunOptions(), 4).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS));
    GraphloopException e = assertInstanceOf(GraphloopException.class, failed.getCause());
    assertEquals(FailureCode.BAD_REQUEST, e.code());
    assertTrue(e.getMessage().contains("string keys only"), e.getMessage());
  }

  @Test
  void fiftyThousandRefusedInputsFromAnEventLoopEndAndTheValidOnesStillRun(Vertx vertx, VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, graph("batch-loop")).onComplete(ctx.succeeding(runtime -> vertx.runOnContext(v -> {
      GraphClient client = runtime.client();
      client.batch(refusedThenValid(MANY, 0), new RunOptions(), 8).onComplete(ctx.failing(failure -> ctx.verify(() -> {
        assertEquals(FailureCode.BAD_REQUEST, assertInstanceOf(GraphloopException.class, failure).code());
        // the launcher is not stuck after a long synchronous run of refusals: valid inputs still run, in order
        client.batch(refusedThenValid(0, 2_000), new RunOptions(), 16).onComplete(ctx.succeeding(states ->
            ctx.verify(() -> {
              assertEquals(2_000, states.size());
              for (int i = 0; i < states.size(); i++) {
                assertEquals(i + 1, states.get(i).getInteger("n"));
              }
              ctx.completeNow();
            })));
      })));
    })));
  }

  /** A batch refused input by input at once lets its event loop run other tasks between bounded runs of starts. */
  @Test
  void refusalsOnAnEventLoopYieldTheLoopBetweenBoundedRunsOfStarts(Vertx vertx, VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, graph("batch-yield")).onComplete(ctx.succeeding(runtime -> vertx.runOnContext(v -> {
      Future<List<State>> batch = runtime.client().batch(refusedThenValid(MANY, 0), new RunOptions(), 8);
      ctx.verify(() -> assertFalse(batch.isComplete(), "the batch returned having refused all " + MANY
          + " inputs in one task of the loop"));
      boolean[] otherTaskRan = new boolean[1];
      vertx.runOnContext(other -> otherTaskRan[0] = true); // queued behind the batch's first run of starts
      batch.onComplete(ctx.failing(failure -> ctx.verify(() -> {
        assertTrue(otherTaskRan[0], "a task queued on the loop ran before the batch ended");
        assertEquals(FailureCode.BAD_REQUEST, assertInstanceOf(GraphloopException.class, failure).code());
        ctx.completeNow();
      })));
    })));
  }

  @Test
  void aRequestNestedDeeperThanTheParserAcceptsIsRefusedByItsDepth(Vertx vertx) throws Exception {
    GraphRuntime.deploy(vertx, graph("batch-deep")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    JsonObject deep = new JsonObject();
    JsonObject at = deep;
    for (int i = 0; i < RequestBodies.MAX_NESTING + 500; i++) {
      JsonObject next = new JsonObject();
      at.put("a", next);
      at = next;
    }
    for (String address : List.of(Addresses.run("batch-deep"), Addresses.threads("batch-deep"))) {
      JsonObject request = address.endsWith(".threads")
          ? new JsonObject().put("op", "update").put("threadId", "t").put("values", deep)
          : new JsonObject().put("input", new JsonObject().put("n", deep));
      ExecutionException failed = assertThrows(ExecutionException.class, () -> vertx.eventBus().request(address,
          request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      ReplyException e = assertInstanceOf(ReplyException.class, failed.getCause());
      assertEquals(400, e.failureCode(), e.getMessage());
      assertTrue(e.getMessage().contains("nests deeper than " + RequestBodies.MAX_NESTING + " levels"),
          address + ": " + e.getMessage());
    }
  }
}
