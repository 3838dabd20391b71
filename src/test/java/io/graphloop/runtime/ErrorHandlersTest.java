package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeError;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ErrorHandlerFixtures.EXPECTED;
import static io.graphloop.runtime.ErrorHandlerFixtures.client;
import static io.graphloop.runtime.ErrorHandlerFixtures.fail;
import static io.graphloop.runtime.ErrorHandlerFixtures.failureText;
import static io.graphloop.runtime.ErrorHandlerFixtures.foo;
import static io.graphloop.runtime.ErrorHandlerFixtures.invokeFoo;
import static io.graphloop.runtime.ErrorHandlerFixtures.json;
import static io.graphloop.runtime.ErrorHandlerFixtures.tasks;
import static io.graphloop.runtime.ErrorHandlerFixtures.updates;
import static io.graphloop.runtime.ErrorHandlerFixtures.valueErrors;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Error-handler nodes ({@link StateGraph#errorHandler}), each test naming the test of LangGraph 1.2.12's
 * test_retry.py it mirrors. Expected values are src/test/resources/langgraph/error_handlers.json, the output of
 * error_handlers.py beside it run against the installed LangGraph 1.2.12 (its keys are named), loaded with the
 * scaffolding this class shares with {@link NodeDefaultsTest} ({@link ErrorHandlerFixtures}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ErrorHandlersTest {

  /** {@code test_retry.py::test_graph_error_handler_runs_after_retry_exhaustion} ("runs_after_retry_exhaustion"). */
  @Test
  void testGraphErrorHandlerRunsAfterRetryExhaustion(Vertx vertx) {
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<NodeError> captured = new AtomicReference<>();
    CompiledGraph graph = foo("eh-exhaustion")
        .addNode("always_failing", (state, ctx) -> {
          attempts.incrementAndGet();
          return fail(new IllegalStateException("Always fails"));
        }, new NodeOptions().setRetry(valueErrors(2)))
        .errorHandler("always_failing", (state, ctx) -> {
          captured.set(ctx.nodeError());
          return Future.succeededFuture(Command.of(Map.of("foo", "handled"), "after_handler"));
        })
        .addNode("after_handler", state -> Future.succeededFuture(Map.of("foo", state.get("foo") + "_after")))
        .addEdge(START, "always_failing").compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("runs_after_retry_exhaustion");

    assertEquals(expected.getValue("updates"), json(updates(vertx, client, Map.of("foo", ""))));
    assertEquals(expected.getValue("tasks"), json(tasks(vertx, client, Map.of("foo", ""))),
        "the tasks stream: the failed task's result with its error, then the handler's result (no start for it)");
    attempts.set(0);
    assertEquals(expected.getValue("result"), invokeFoo(client));
    assertEquals(expected.getInteger("attempts"), attempts.get());
    assertEquals(expected.getJsonObject("captured").getString("node"), captured.get().node());
    assertEquals(expected.getJsonObject("captured").getString("error"), captured.get().message());
    assertTrue(captured.get().isA(IllegalStateException.class), captured.get().toString());
    assertEquals(2, captured.get().attempts(), "the attempts the node took");
  }

  /** {@code test_retry.py::test_graph_error_handler_can_route_with_command} ("route_with_command"). */
  @Test
  void testGraphErrorHandlerCanRouteWithCommand(Vertx vertx) {
    AtomicInteger attempts = new AtomicInteger();
    CompiledGraph graph = foo("eh-route")
        .addNode("always_failing", (state, ctx) -> {
          attempts.incrementAndGet();
          return fail(new IllegalStateException("Always fails"));
        }, new NodeOptions().setRetry(valueErrors(1)))
        .errorHandler("always_failing",
            (state, ctx) -> Future.succeededFuture(Command.of(Map.of("foo", "handled"), "next_node")))
        .addNode("next_node", state -> Future.succeededFuture(Map.of("foo", state.get("foo") + "_next")))
        .addEdge(START, "always_failing").compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("route_with_command");
    assertEquals(expected.getValue("result"), invokeFoo(client));
    assertEquals(expected.getInteger("attempts"), attempts.get());
  }

  /** {@code test_retry.py::test_graph_error_handler_failure_fails_run} ("handler_failure_fails_run"). */
  @Test
  void testGraphErrorHandlerFailureFailsRun(Vertx vertx) {
    CompiledGraph graph = foo("eh-handler-fails")
        .addNode("always_failing", (state, ctx) -> fail(new IllegalStateException("Always fails")))
        .errorHandler("always_failing", (state, ctx) -> fail(new RuntimeException("handler failed")))
        .addEdge(START, "always_failing").compile();
    GraphClient client = client(vertx, graph);
    Throwable failure = assertThrows(Throwable.class, () -> result(client.invoke(Map.of("foo", ""))));
    assertEquals(EXPECTED.of("handler_failure_fails_run").getString("error"), failureText(failure));
    assertEquals(StateGraph.ERROR_HANDLER_PREFIX + "always_failing", ((NodeFailedException) failure).node(),
        "the run fails as the handler's node");
  }

  /**
   * A handler that returns a plain update (no Command): the failed node's own edges are not taken, so the run ends
   * after the handler's step ("plain_update_ends_run"); its update streams under the handler's node.
   */
  @Test
  void aHandlersPlainUpdateEndsTheRunWithoutTheFailedNodesEdges(Vertx vertx) {
    CompiledGraph graph = foo("eh-plain-update")
        .addNode("a", (state, ctx) -> fail(new RuntimeException("boom")))
        .errorHandler("a", (state, ctx) -> Future.succeededFuture(Map.of("foo", "h:" + ctx.nodeError().node())))
        .addNode("b", state -> Future.succeededFuture(Map.of("foo", state.get("foo") + "_b")))
        .addEdge(START, "a").addEdge("a", "b").compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("plain_update_ends_run");
    assertEquals(expected.getValue("result"), invokeFoo(client));
    assertEquals(expected.getValue("updates"), json(updates(vertx, client, Map.of("foo", ""))));
  }

  /** {@code test_retry.py::test_graph_error_handler_handles_subgraph_internal_failure} ("subgraph_internal_failure"). */
  @Test
  void testGraphErrorHandlerHandlesSubgraphInternalFailure(Vertx vertx) {
    CompiledGraph child = foo("eh-child")
        .addNode("sub_fail_node", (state, ctx) -> fail(new IllegalStateException("subgraph boom")))
        .addEdge(START, "sub_fail_node").compile();
    AtomicReference<NodeError> captured = new AtomicReference<>();
    CompiledGraph parent = foo("eh-parent")
        .addSubgraph("subgraph_node", Subgraph.of(child))
        .errorHandler("subgraph_node", (state, ctx) -> {
          captured.set(ctx.nodeError());
          return Future.succeededFuture(Map.of("foo", "handled_by_parent"));
        })
        .addEdge(START, "subgraph_node").compile();
    GraphClient client = client(vertx, parent);
    JsonObject expected = EXPECTED.of("subgraph_internal_failure");
    assertEquals(expected.getValue("result"), invokeFoo(client));
    assertEquals(expected.getJsonObject("captured").getString("node"), captured.get().node());
    assertTrue(captured.get().message().contains(expected.getJsonObject("captured").getString("error")),
        "the child's failure reaches the parent's handler: " + captured.get());
  }

  /**
   * {@code test_retry.py::test_graph_error_handler_error_context_survives_checkpoint_resume}
   * ("error_context_survives_checkpoint_resume"): a breakpoint before the handler's node does not stop the run (the
   * handler is not planned, it runs in the failed task's place, as in LangGraph), so the first run already ends
   * handled; the resume has nothing to do; the history is LangGraph's.
   */
  @Test
  void testGraphErrorHandlerErrorContextSurvivesCheckpointResume(Vertx vertx) {
    List<NodeError> captured = Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = foo("eh-context-resume")
        .addNode("always_failing", (state, ctx) -> fail(new RuntimeException("failed before handler")))
        .errorHandler("always_failing", (state, ctx) -> {
          captured.add(ctx.nodeError());
          return Future.succeededFuture(Map.of("foo", "handled_after_resume"));
        })
        .addEdge(START, "always_failing")
        .interruptBefore(StateGraph.ERROR_HANDLER_PREFIX + "always_failing").compile();
    GraphClient client = client(vertx, graph, MEMORY);
    RunOptions thread = new RunOptions().setThreadId("graph-error-resume");
    JsonObject expected = EXPECTED.of("error_context_survives_checkpoint_resume");

    assertEquals(expected.getValue("first"), json(result(client.invoke(Map.of("foo", ""), thread)).asMap()));
    ThreadState state = result(client.getState("graph-error-resume"));
    assertEquals(expected.getJsonArray("next").getList(), state.next());
    assertEquals(expected.getJsonArray("tasks").getList(), state.tasks());
    RunResult resumed = result(client.proceed(thread));
    assertEquals(expected.getValue("result"), json(resumed.values().asMap()));
    assertEquals(1, captured.size(), "the handler ran once, in the first run");
    assertEquals(expected.getJsonObject("captured").getString("node"), captured.get(0).node());
    assertEquals(expected.getJsonObject("captured").getString("error"), captured.get(0).message());
    List<Object> history = new ArrayList<>();
    for (ThreadState entry : result(client.getStateHistory("graph-error-resume", 10, null))) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("next", entry.next());
      row.put("source", entry.metadata().get("source"));
      row.put("step", entry.metadata().get("step"));
      row.put("values", entry.values().asMap());
      history.add(json(row));
    }
    assertEquals(expected.getValue("history"), json(history));
  }

  /**
   * {@code test_retry.py::test_graph_error_handler_does_not_swallow_interrupt_concurrent}
   * ("does_not_swallow_interrupt"): a node with a handler that interrupts beside another node stops the run as
   * interrupted; the resume answers it.
   */
  @Test
  void testGraphErrorHandlerDoesNotSwallowInterruptConcurrent(Vertx vertx) {
    AtomicBoolean handled = new AtomicBoolean();
    CompiledGraph graph = foo("eh-interrupt")
        .addNode("node_a", (state, ctx) -> Future.succeededFuture(Map.of("foo", "a_" + ctx.interrupt("need human input"))))
        .errorHandler("node_a", (state, ctx) -> {
          handled.set(true);
          return Future.succeededFuture(Map.of("foo", "handled"));
        })
        .addNode("node_b", state -> Future.succeededFuture(Map.of()))
        .addEdge(START, "node_a").addEdge(START, "node_b").compile();
    GraphClient client = client(vertx, graph, MEMORY);
    RunOptions thread = new RunOptions().setThreadId("test-interrupt-concurrent");
    JsonObject expected = EXPECTED.of("does_not_swallow_interrupt");

    RunResult first = result(client.run(Map.of("foo", ""), thread));
    assertEquals(RunStatus.INTERRUPTED, first.status());
    assertEquals(expected.getJsonObject("first").getString("foo"), first.values().get("foo"));
    ThreadState state = result(client.getState("test-interrupt-concurrent"));
    assertEquals(expected.getJsonArray("next").getList(), state.next());
    List<Object> interrupts = new ArrayList<>();
    for (Map<String, Object> task : state.tasks()) {
      List<?> asked = (List<?>) task.get("interrupts");
      if (asked != null && !asked.isEmpty()) {
        List<Object> values = new ArrayList<>();
        asked.forEach(interrupt -> values.add(interrupt instanceof Map ? ((Map<?, ?>) interrupt).get("value") : interrupt));
        interrupts.add(List.of(task.get("node"), values));
      }
    }
    assertEquals(expected.getValue("interrupts"), json(interrupts));
    assertEquals(expected.getValue("resumed"),
        json(result(client.invoke(Command.resume("yes"), thread)).asMap()));
    assertFalse(handled.get(), "an interrupt is never handed to the error handler");
  }

  /** {@code test_retry.py::test_node_error_handlers_route_to_matching_handler} ("route_to_matching_handler"). */
  @Test
  void testNodeErrorHandlersRouteToMatchingHandler(Vertx vertx) {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = new StateGraph("eh-matching").channel("route", Channels.lastValue())
        .channel("foo", Channels.append())
        .addNode("route_node", state -> Future.succeededFuture(Map.of("foo", List.of())))
        .addNode("fail_a", (state, ctx) -> fail(new IllegalStateException("a failed")))
        .addNode("fail_b", (state, ctx) -> fail(new RuntimeException("b failed")))
        .errorHandler("fail_a", (state, ctx) -> {
          seen.add(ctx.nodeError().node());
          return Future.succeededFuture(Map.of("foo", List.of("handled_a")));
        })
        .errorHandler("fail_b", (state, ctx) -> {
          seen.add(ctx.nodeError().node());
          return Future.succeededFuture(Map.of("foo", List.of("handled_b")));
        })
        .addEdge(START, "route_node")
        .addConditionalEdges("route_node", state -> state.get("route"),
            List.of("fail_a", "fail_b"))
        .compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("route_to_matching_handler");
    assertEquals(expected.getValue("a"),
        json(result(client.invoke(Map.of("route", "fail_a", "foo", List.of()))).asMap()));
    assertEquals(expected.getValue("b"),
        json(result(client.invoke(Map.of("route", "fail_b", "foo", List.of()))).asMap()));
    assertEquals(List.of("fail_a", "fail_b"), seen, "each handler saw its own node's failure");
  }

  /**
   * {@code test_retry.py::test_error_handler_resumes_after_crash} ("resumes_after_crash"): a handler that failed runs
   * again on a resume, with the failure's context from the checkpoint, and the failed node does not.
   */
  @Test
  void testErrorHandlerResumesAfterCrash(Vertx vertx) {
    AtomicInteger node = new AtomicInteger();
    AtomicInteger handler = new AtomicInteger();
    AtomicBoolean shouldFail = new AtomicBoolean(true);
    List<NodeError> errors = Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = foo("eh-crash")
        .setNodeDefaults(new io.graphloop.graph.NodeDefaults().errorHandler((state, ctx) -> {
          handler.incrementAndGet();
          errors.add(ctx.nodeError());
          return shouldFail.get() ? fail(new RuntimeException("handler crash"))
              : Future.succeededFuture(Map.of("foo", "recovered"));
        }))
        .addNode("fail", (state, ctx) -> {
          node.incrementAndGet();
          return fail(new RuntimeException("boom"));
        })
        .addEdge(START, "fail").compile();
    GraphClient client = client(vertx, graph, MEMORY);
    RunOptions thread = new RunOptions().setThreadId("t1");
    JsonObject expected = EXPECTED.of("resumes_after_crash");

    Throwable failure = assertThrows(Throwable.class, () -> result(client.invoke(Map.of("foo", ""), thread)));
    assertEquals(expected.getString("first"), failureText(failure));
    JsonObject countsFirst = expected.getJsonObject("counts_after_first");
    assertEquals(countsFirst.getInteger("node"), node.get());
    assertEquals(countsFirst.getInteger("handler"), handler.get());

    shouldFail.set(false);
    assertEquals(expected.getValue("result"), json(result(client.proceed(thread)).values().asMap()));
    assertEquals(expected.getJsonObject("counts").getInteger("node"), node.get(), "the failed node did not run again");
    assertEquals(expected.getJsonObject("counts").getInteger("handler"), handler.get());
    JsonArray expectedErrors = expected.getJsonArray("errors");
    for (int i = 0; i < 2; i++) {
      assertEquals(expectedErrors.getJsonArray(i).getString(0), errors.get(i).node());
      assertTrue(expectedErrors.getJsonArray(i).getString(1).contains(errors.get(i).message()),
          "the resumed handler sees the stored failure: " + errors.get(i));
    }
    assertEquals(errors.get(0), errors.get(1), "the context survives the checkpoint whole (type, message, attempts)");
    assertTrue(errors.get(1).isA(RuntimeException.class), errors.get(1).toString());
  }

  /**
   * {@code test_retry.py::test_error_handler_resumes_after_crash_multiple_nodes} ("resumes_after_crash_multiple_nodes"):
   * node b fails only once a's handler has started (the handler runs while b is still in flight, in the same step);
   * both handlers crash; the resume runs both handlers again, and neither node.
   */
  @Test
  void testErrorHandlerResumesAfterCrashMultipleNodes(Vertx vertx) {
    Map<String, AtomicInteger> counts = new LinkedHashMap<>();
    for (String key : List.of("a", "b", "handler_a", "handler_b")) {
      counts.put(key, new AtomicInteger());
    }
    AtomicBoolean shouldFail = new AtomicBoolean(true);
    AtomicReference<Promise<Void>> handlerAStarted = new AtomicReference<>(Promise.promise());
    StateGraph builder = new StateGraph("eh-crash-multi").channel("results", Channels.append());
    for (String name : List.of("a", "b")) {
      builder.addNode(name, (state, ctx) -> {
        counts.get(name).incrementAndGet();
        Future<Void> after = name.equals("b") ? handlerAStarted.get().future() : Future.succeededFuture();
        return after.compose(v -> fail(new RuntimeException(name + " failed")));
      });
      builder.errorHandler(name, (state, ctx) -> {
        counts.get("handler_" + name).incrementAndGet();
        NodeError error = ctx.nodeError();
        assertEquals(name, error.node());
        assertTrue(error.message().contains(name + " failed"), error.toString());
        if (name.equals("a")) {
          handlerAStarted.get().tryComplete();
        }
        return shouldFail.get() ? fail(new RuntimeException("handler_" + name + " crash"))
            : Future.succeededFuture(Map.of("results", List.of("recovered_" + name + ":" + error.node())));
      });
    }
    CompiledGraph graph = builder.addEdge(START, "a").addEdge(START, "b").compile();
    GraphClient client = client(vertx, graph, MEMORY);
    RunOptions thread = new RunOptions().setThreadId("t1");
    JsonObject expected = EXPECTED.of("resumes_after_crash_multiple_nodes");

    Throwable failure = assertThrows(Throwable.class, () -> result(client.invoke(Map.of("results", List.of()), thread)));
    assertInstanceOf(GraphloopException.class, failure);
    expected.getJsonObject("counts_after_first").forEach(count ->
        assertEquals(count.getValue(), counts.get(count.getKey()).get(), count.getKey() + " after the first run"));

    shouldFail.set(false);
    handlerAStarted.set(Promise.promise());
    Map<String, Object> resumed = result(client.proceed(thread)).values().asMap();
    expected.getJsonObject("counts").forEach(count ->
        assertEquals(count.getValue(), counts.get(count.getKey()).get(), count.getKey() + " after the resume"));
    assertEquals(expected.getValue("result"), json(resumed));
  }

  /** The drawing: each handler's node unconnected, a node's own just before it, the default one last ("drawing"). */
  @Test
  void aHandlersNodeIsDrawnUnconnectedWhereLangGraphDrawsIt() {
    CompiledGraph graph = foo("eh-drawing")
        .setNodeDefaults(new io.graphloop.graph.NodeDefaults().errorHandler(
            (state, ctx) -> Future.succeededFuture(Map.of("foo", "handled"))))
        .addNode("a", state -> Future.succeededFuture(Map.of()))
        .errorHandler("a", (state, ctx) -> Future.succeededFuture(Command.gotoNode("b")))
        .addNode("b", state -> Future.succeededFuture(Map.of()))
        .addEdge(START, "a").compile();
    JsonObject expected = EXPECTED.of("drawing");
    assertEquals(expected.getString("mermaid"), graph.toMermaid());
    List<Object> nodes = new ArrayList<>();
    graph.drawing(0).nodes().forEach(node -> nodes.add(node.id()));
    assertEquals(expected.getValue("nodes"), json(nodes));
  }

  /** A typed state record for {@link #aTypedGraphsHandlerReturnsAnUpdateThatRoutes}. */
  public record Foo(String foo) {
  }

  /**
   * A typed graph's handlers ({@code TypedStateGraph.errorHandler}, {@code defaultErrorHandler}) return an
   * {@link io.graphloop.graph.Update} whose goto routes, as {@code test_graph_error_handler_can_route_with_command}
   * ("route_with_command") in typed form; the default handler takes the other node.
   */
  @Test
  void aTypedGraphsHandlerReturnsAnUpdateThatRoutes(Vertx vertx) {
    CompiledGraph graph = StateGraph.typed("eh-typed", Foo.class)
        .addNode("always_failing", state -> fail(new IllegalStateException("Always fails")).map(v -> state))
        .errorHandler("always_failing", (state, ctx) -> Future.succeededFuture(
            io.graphloop.graph.Update.of(new Foo("handled")).goTo("next_node")))
        .addNode("next_node", state -> fail(new IllegalStateException("next fails")).map(v -> state))
        .defaultErrorHandler((state, ctx) -> Future.succeededFuture(
            io.graphloop.graph.Update.of(new Foo(state.foo() + "_" + ctx.nodeError().node()))))
        .addEdge(START, "always_failing").compile();
    GraphClient client = client(vertx, graph);
    assertEquals(Map.of("foo", "handled_next_node"), result(client.invoke(Map.of("foo", ""))).asMap());
  }

  /**
   * A handler that interrupts ("handler_interrupt"): the run stops as interrupted with the handler's question, and
   * the resume's answer reaches the handler, which runs again in the failed node's place (the node does not).
   */
  @Test
  void aHandlersInterruptStopsTheRunAndTheResumeAnswersTheHandler(Vertx vertx) {
    AtomicInteger node = new AtomicInteger();
    AtomicInteger handler = new AtomicInteger();
    CompiledGraph graph = foo("eh-handler-interrupt")
        .addNode("a", (state, ctx) -> {
          node.incrementAndGet();
          return fail(new IllegalStateException("boom"));
        })
        .errorHandler("a", (state, ctx) -> {
          handler.incrementAndGet();
          return Future.succeededFuture(Map.of("foo", "answer:" + ctx.interrupt("fix " + ctx.nodeError().node() + "?")));
        })
        .addEdge(START, "a").compile();
    GraphClient client = client(vertx, graph, MEMORY);
    RunOptions thread = new RunOptions().setThreadId("handler-interrupt");
    JsonObject expected = EXPECTED.of("handler_interrupt");

    RunResult first = result(client.run(Map.of("foo", ""), thread));
    assertEquals(RunStatus.INTERRUPTED, first.status());
    assertEquals(expected.getJsonObject("first").getString("foo"), first.values().get("foo"));
    List<Object> asked = new ArrayList<>();
    first.interrupts().forEach(interrupt -> asked.add(interrupt.get("value")));
    assertEquals(expected.getJsonObject("first").getValue("interrupts"), json(asked));
    assertEquals(expected.getJsonObject("counts_after_first").getInteger("node"), node.get());
    assertEquals(expected.getJsonObject("counts_after_first").getInteger("handler"), handler.get());

    assertEquals(expected.getValue("resumed"), json(result(client.invoke(Command.resume("yes"), thread)).asMap()));
    assertEquals(expected.getJsonObject("counts").getInteger("node"), node.get(), "the failed node did not run again");
    assertEquals(expected.getJsonObject("counts").getInteger("handler"), handler.get());
  }

  /** A handler for a node the graph does not declare is refused at compile time, naming the known nodes. */
  @Test
  void aHandlerForAnUnknownNodeIsRefused() {
    StateGraph graph = foo("eh-unknown").addNode("a", state -> Future.succeededFuture(Map.of()))
        .errorHandler("b", (state, ctx) -> Future.succeededFuture(Map.of())).addEdge(START, "a");
    GraphloopException refused = assertThrows(GraphloopException.class, graph::compile);
    assertTrue(refused.getMessage().contains("errorHandler is given for unknown node 'b'"), refused.getMessage());
    assertTrue(refused.getMessage().contains("[a"), refused.getMessage());
  }

  /** Outside an error handler, {@link io.graphloop.graph.NodeContext#nodeError()} is null. */
  @Test
  void anOrdinaryNodeSeesNoNodeError(Vertx vertx) {
    AtomicReference<Object> seen = new AtomicReference<>("unset");
    CompiledGraph graph = foo("eh-ordinary")
        .addNode("a", (state, ctx) -> {
          seen.set(ctx.nodeError());
          return Future.succeededFuture(Map.of("foo", "ok"));
        })
        .errorHandler("a", (state, ctx) -> Future.succeededFuture(Map.of("foo", "handled")))
        .addEdge(START, "a").compile();
    GraphClient client = client(vertx, graph);
    assertEquals("ok", result(client.invoke(Map.of("foo", ""))).get("foo"));
    assertNull(seen.get());
  }
}
