package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefaults;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import static io.graphloop.runtime.ErrorHandlerFixtures.valueErrors;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graph-wide node defaults ({@link StateGraph#setNodeDefaults}: a default retry policy and a default error handler),
 * each test naming the test of LangGraph 1.2.12's test_retry.py it mirrors; expected values are
 * src/test/resources/langgraph/error_handlers.json (see {@link ErrorHandlerFixtures}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NodeDefaultsTest {

  /** route_node -> Command(goto=route) with the conditional edge of the LangGraph tests; fail_a and fail_b fail. */
  private static StateGraph routed(String name) {
    return new StateGraph(name).channel("route", Channels.lastValue()).channel("foo", Channels.append())
        .addNode("route_node", state -> Future.succeededFuture(Command.gotoNode((String) state.get("route"))))
        .addNode("fail_a", (state, ctx) -> fail(new RuntimeException("a failed")))
        .addNode("fail_b", (state, ctx) -> fail(new RuntimeException("b failed")))
        .addEdge(START, "route_node")
        .addConditionalEdges("route_node", state -> state.get("route"), List.of("fail_a", "fail_b"));
  }

  private static Object invoke(GraphClient client, String route) {
    return json(result(client.invoke(Map.of("route", route, "foo", List.of()))).asMap());
  }

  /** {@code test_retry.py::test_set_node_defaults_error_handler_catches_all_nodes} ("defaults_catch_all_nodes"). */
  @Test
  void testSetNodeDefaultsErrorHandlerCatchesAllNodes(Vertx vertx) {
    List<String> nodes = Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = routed("defaults-catch-all")
        .setNodeDefaults(new NodeDefaults().errorHandler((state, ctx) -> {
          nodes.add(ctx.nodeError().node());
          return Future.succeededFuture(Map.of("foo", List.of("handled_" + ctx.nodeError().node())));
        })).compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("defaults_catch_all_nodes");
    assertEquals(expected.getValue("a"), invoke(client, "fail_a"));
    assertEquals(expected.getValue("b"), invoke(client, "fail_b"));
    assertEquals(expected.getValue("nodes"), json(nodes));
  }

  /**
   * {@code test_retry.py::test_set_node_defaults_error_handler_overridden_by_node_handler}
   * ("defaults_overridden_by_node_handler").
   */
  @Test
  void testSetNodeDefaultsErrorHandlerOverriddenByNodeHandler(Vertx vertx) {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = routed("defaults-overridden")
        .setNodeDefaults(new NodeDefaults().errorHandler((state, ctx) -> {
          calls.add("default:" + ctx.nodeError().node());
          return Future.succeededFuture(Map.of("foo", List.of("default_handled_" + ctx.nodeError().node())));
        }))
        .errorHandler("fail_a", (state, ctx) -> {
          calls.add("node:" + ctx.nodeError().node());
          return Future.succeededFuture(Map.of("foo", List.of("node_handled_" + ctx.nodeError().node())));
        }).compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("defaults_overridden_by_node_handler");
    assertEquals(expected.getValue("a"), invoke(client, "fail_a"));
    assertEquals(expected.getValue("b"), invoke(client, "fail_b"));
    assertEquals(expected.getValue("calls"), json(calls));
  }

  /**
   * {@code test_retry.py::test_set_node_defaults_error_handler_skips_per_node_handler_nodes}
   * ("defaults_skip_per_node_handler_nodes"): a node's own handler that fails is not handled by the default one.
   */
  @Test
  void testSetNodeDefaultsErrorHandlerSkipsPerNodeHandlerNodes(Vertx vertx) {
    CompiledGraph graph = foo("defaults-skip-handlers")
        .setNodeDefaults(new NodeDefaults().errorHandler(
            (state, ctx) -> Future.succeededFuture(Map.of("foo", "default recovered"))))
        .addNode("always_failing", (state, ctx) -> fail(new RuntimeException("node boom")))
        .errorHandler("always_failing", (state, ctx) -> fail(new RuntimeException("handler boom")))
        .addEdge(START, "always_failing").compile();
    GraphClient client = client(vertx, graph);
    Throwable failure = assertThrows(Throwable.class, () -> result(client.invoke(Map.of("foo", ""))));
    assertEquals(EXPECTED.of("defaults_skip_per_node_handler_nodes").getString("error"), failureText(failure));
  }

  /**
   * {@code test_retry.py::test_set_node_defaults_error_handler_failure_fails_run}
   * ("defaults_handler_failure_fails_run"): no recursion, no second routing.
   */
  @Test
  void testSetNodeDefaultsErrorHandlerFailureFailsRun(Vertx vertx) {
    AtomicInteger handlerCalls = new AtomicInteger();
    CompiledGraph graph = foo("defaults-handler-fails")
        .setNodeDefaults(new NodeDefaults().errorHandler((state, ctx) -> {
          handlerCalls.incrementAndGet();
          return fail(new RuntimeException("default handler boom"));
        }))
        .addNode("always_failing", (state, ctx) -> fail(new RuntimeException("node boom")))
        .addEdge(START, "always_failing").compile();
    GraphClient client = client(vertx, graph);
    Throwable failure = assertThrows(Throwable.class, () -> result(client.invoke(Map.of("foo", ""))));
    assertEquals(EXPECTED.of("defaults_handler_failure_fails_run").getString("error"), failureText(failure));
    assertEquals(1, handlerCalls.get(), "the default handler does not handle itself");
  }

  /**
   * {@code test_retry.py::test_set_node_defaults_error_handler_receives_runnable_config} ("defaults_receive_config"):
   * the handler sees the run's configuration. A Graphloop node's configuration is the run's {@code configurable}
   * values without {@code thread_id} (no node sees it), so the port passes a value of its own beside the thread.
   */
  @Test
  void testSetNodeDefaultsErrorHandlerReceivesRunnableConfig(Vertx vertx) {
    AtomicReference<Object> seen = new AtomicReference<>();
    CompiledGraph graph = foo("defaults-config")
        .setNodeDefaults(new NodeDefaults().blockingErrorHandler((state, ctx) -> {
          seen.set(ctx.config().get("user_thread"));
          return Map.of("foo", "handled");
        }))
        .addNode("always_failing", (state, ctx) -> fail(new RuntimeException("boom")))
        .addEdge(START, "always_failing").compile();
    GraphClient client = client(vertx, graph, MEMORY);
    JsonObject expected = EXPECTED.of("defaults_receive_config");
    RunOptions options = new RunOptions().setThreadId("t-config").setConfig(new JsonObject().put("user_thread", "t-config"));
    assertEquals(expected.getValue("result"), json(result(client.invoke(Map.of("foo", ""), options)).asMap()));
    assertEquals(expected.getString("thread_id"), seen.get());
  }

  /**
   * {@code test_retry.py::test_set_node_defaults_error_handler_collides_with_user_node} ("defaults_collide_with_user_node",
   * "node_handler_collides_with_user_node"): compile refuses, naming the generated node.
   */
  @Test
  void testSetNodeDefaultsErrorHandlerCollidesWithUserNode() {
    StateGraph builder = foo("defaults-collide")
        .setNodeDefaults(new NodeDefaults().errorHandler((state, ctx) -> Future.succeededFuture(Map.of())))
        .addNode(StateGraph.DEFAULT_ERROR_HANDLER, state -> Future.succeededFuture(Map.of()))
        .addEdge(START, StateGraph.DEFAULT_ERROR_HANDLER);
    GraphloopException refused = assertThrows(GraphloopException.class, builder::compile);
    String langGraph = EXPECTED.of("defaults_collide_with_user_node").getString("error");
    assertTrue(langGraph.contains("`" + StateGraph.DEFAULT_ERROR_HANDLER + "` already exists"), langGraph);
    assertTrue(refused.getMessage().contains("Auto-generated default error handler node `"
        + StateGraph.DEFAULT_ERROR_HANDLER + "` already exists"), refused.getMessage());

    StateGraph own = foo("node-handler-collide")
        .addNode("__error_handler__a", state -> Future.succeededFuture(Map.of()))
        .addNode("a", state -> Future.succeededFuture(Map.of()))
        .errorHandler("a", (state, ctx) -> Future.succeededFuture(Map.of())).addEdge(START, "a");
    refused = assertThrows(GraphloopException.class, own::compile);
    assertTrue(EXPECTED.of("node_handler_collides_with_user_node").getString("error")
        .contains("`__error_handler__a` already exists"));
    assertTrue(refused.getMessage().contains("Auto-generated error handler node `__error_handler__a` already exists"),
        refused.getMessage());
  }

  /** A flaky node failing with IllegalStateException until call {@code succeedsAt}. */
  private static io.graphloop.graph.AsyncNode flaky(AtomicInteger calls, int succeedsAt) {
    return (state, ctx) -> calls.incrementAndGet() < succeedsAt ? fail(new IllegalStateException("not yet"))
        : Future.succeededFuture(Map.of("foo", "ok"));
  }

  /** {@code test_retry.py::test_set_node_defaults_retry_policy} ("defaults_retry_policy"). */
  @Test
  void testSetNodeDefaultsRetryPolicy(Vertx vertx) {
    AtomicInteger calls = new AtomicInteger();
    CompiledGraph graph = foo("defaults-retry")
        .setNodeDefaults(new NodeDefaults().setRetry(valueErrors(3)))
        .addNode("flaky", flaky(calls, 3)).addEdge(START, "flaky").compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("defaults_retry_policy");
    assertEquals(expected.getValue("result"), invokeFoo(client));
    assertEquals(expected.getInteger("attempts"), calls.get());
  }

  /** {@code test_retry.py::test_set_node_defaults_retry_policy_per_node_wins} ("defaults_retry_policy_per_node_wins"). */
  @Test
  void testSetNodeDefaultsRetryPolicyPerNodeWins(Vertx vertx) {
    AtomicInteger calls = new AtomicInteger();
    CompiledGraph graph = foo("defaults-retry-node-wins")
        .setNodeDefaults(new NodeDefaults().setRetry(valueErrors(1)))
        .addNode("flaky", flaky(calls, 2), new NodeOptions().setRetry(valueErrors(3)))
        .addEdge(START, "flaky").compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("defaults_retry_policy_per_node_wins");
    assertEquals(expected.getValue("result"), invokeFoo(client));
    assertEquals(expected.getInteger("attempts"), calls.get());
  }

  /** A node's explicit {@code RetryPolicy.none()} also wins over the graph's default (it is set). */
  @Test
  void anExplicitNoRetryWinsOverTheDefault(Vertx vertx) {
    AtomicInteger calls = new AtomicInteger();
    CompiledGraph graph = foo("defaults-retry-none-wins")
        .setNodeDefaults(new NodeDefaults().setRetry(valueErrors(3)))
        .addNode("flaky", flaky(calls, 3), new NodeOptions().setRetry(RetryPolicy.none()))
        .addEdge(START, "flaky").compile();
    GraphClient client = client(vertx, graph);
    assertThrows(Throwable.class, () -> result(client.invoke(Map.of("foo", ""))));
    assertEquals(1, calls.get());
  }

  /** The default retry policy also retries an error handler, as LangGraph's ("defaults_retry_policy_retries_handler"). */
  @Test
  void theDefaultRetryPolicyRetriesAnErrorHandler(Vertx vertx) {
    AtomicInteger handlerCalls = new AtomicInteger();
    CompiledGraph graph = foo("defaults-retry-handler")
        .setNodeDefaults(new NodeDefaults().setRetry(valueErrors(2)))
        .addNode("a", (state, ctx) -> fail(new IllegalStateException("boom")))
        .errorHandler("a", (state, ctx) -> handlerCalls.incrementAndGet() < 2
            ? fail(new IllegalStateException("handler not yet"))
            : Future.succeededFuture(Map.of("foo", "handled after " + handlerCalls.get())))
        .addEdge(START, "a").compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("defaults_retry_policy_retries_handler");
    assertEquals(expected.getValue("result"), invokeFoo(client));
    assertEquals(expected.getInteger("handler_calls"), handlerCalls.get());
  }

  /**
   * {@code test_retry.py::test_set_node_defaults_chaining} ("defaults_chaining"): set after the nodes and edges, the
   * defaults still apply.
   */
  @Test
  void testSetNodeDefaultsChaining(Vertx vertx) {
    CompiledGraph graph = foo("defaults-chaining")
        .addNode("a", (state, ctx) -> fail(new RuntimeException("boom")))
        .addEdge(START, "a")
        .setNodeDefaults(new NodeDefaults().setRetry(RetryPolicy.builder().maxAttempts(1).initialIntervalMs(10)
            .jitterMs(0).build()).errorHandler((state, ctx) -> Future.succeededFuture(Map.of("foo", "handled"))))
        .compile();
    GraphClient client = client(vertx, graph);
    assertEquals(EXPECTED.of("defaults_chaining").getValue("result"),
        invokeFoo(client));
  }

  /**
   * {@code test_retry.py::test_set_node_defaults_combined_retry_and_error_handler}
   * ("defaults_combined_retry_and_error_handler"): the retries are used up first, then the handler runs.
   */
  @Test
  void testSetNodeDefaultsCombinedRetryAndErrorHandler(Vertx vertx) {
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<String> error = new AtomicReference<>();
    CompiledGraph graph = foo("defaults-combined")
        .setNodeDefaults(new NodeDefaults().setRetry(valueErrors(2)).errorHandler((state, ctx) -> {
          error.set(ctx.nodeError().message());
          return Future.succeededFuture(Map.of("foo", "handled"));
        }))
        .addNode("fail", (state, ctx) -> {
          attempts.incrementAndGet();
          return fail(new IllegalStateException("Always fails"));
        })
        .addEdge(START, "fail").compile();
    GraphClient client = client(vertx, graph);
    JsonObject expected = EXPECTED.of("defaults_combined_retry_and_error_handler");
    assertEquals(expected.getValue("result"), invokeFoo(client));
    assertEquals(expected.getInteger("attempts"), attempts.get());
    assertEquals(expected.getJsonObject("captured").getString("error"), error.get());
  }

  /** A node's retry policy counts as set from JSON when the JSON names one, so {@code conf/} options win too. */
  @Test
  void aRetryInNodeOptionsJsonIsSetAndItsAbsenceIsNot() {
    assertTrue(new NodeOptions(new JsonObject().put("retry", new JsonObject().put("maxAttempts", 1))).isRetrySet());
    assertTrue(!new NodeOptions(new JsonObject()).isRetrySet());
    assertTrue(new NodeOptions(new NodeOptions().setRetry(RetryPolicy.none())).isRetrySet(), "kept by the copy");
  }

  /** Later {@code setNodeDefaults} calls keep what they leave unset, as LangGraph's keyword arguments. */
  @Test
  void laterDefaultsKeepWhatTheyLeaveUnset(Vertx vertx) {
    AtomicInteger calls = new AtomicInteger();
    CompiledGraph graph = foo("defaults-merge")
        .setNodeDefaults(new NodeDefaults().setRetry(valueErrors(3)))
        .setNodeDefaults(new NodeDefaults().errorHandler((state, ctx) -> Future.succeededFuture(Map.of("foo", "h"))))
        .addNode("flaky", flaky(calls, 3)).addEdge(START, "flaky").compile();
    GraphClient client = client(vertx, graph);
    assertEquals("ok", result(client.invoke(Map.of("foo", ""))).get("foo"));
    assertEquals(3, calls.get(), "the retry default set first still applies");
  }
}
