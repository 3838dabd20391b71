package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenarios of LangGraph 1.2.12's test_retry.py and functional-API tests of test_pregel.py not covered elsewhere, each
 * test naming the LangGraph test it mirrors; the expected values are the output of
 * src/test/resources/langgraph/ported_retry_functional.py (its printed labels are named). LangGraph's
 * {@code ValueError} is Java's {@link IllegalStateException} here, its {@code KeyError} a
 * {@link NoSuchElementException}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PortedRetryFunctionalTest {

  private static RetryPolicy policy(int maxAttempts) {
    return RetryPolicy.builder().maxAttempts(maxAttempts).initialIntervalMs(10).backoffFactor(2.0).jitterMs(0)
        .retryOn(IllegalStateException.class).build();
  }

  /** {@code test_retry.py::test_graph_with_single_retry_policy} ("single_retry_policy"). */
  @Test
  void testGraphWithSingleRetryPolicy(Vertx vertx) {
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    RetryPolicy retry = policy(3);
    CompiledGraph graph = new StateGraph("single-retry")
        .addNode("failing_node", (state, ctx) -> {
          attempts.add(ctx.attempt());
          return attempts.size() < 3 ? Future.failedFuture(new IllegalStateException("Intentional failure"))
              : Future.succeededFuture(Map.of("foo", "success"));
        }, new NodeOptions().setRetry(retry))
        .addNode("other_node", (state, ctx) -> Future.succeededFuture(Map.of("foo", "other_node")))
        .addEdge(START, "failing_node").addEdge("failing_node", "other_node").addEdge("other_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    assertEquals(Map.of("foo", "other_node"), result(client.invoke(Map.of("foo", ""))).asMap());
    assertEquals(List.of(1, 2, 3), attempts);
    IllegalStateException failure = new IllegalStateException("Intentional failure");
    assertEquals(List.of(10L, 20L), List.of(retry.nextDelayMs(1, failure), retry.nextDelayMs(2, failure)),
        "the sleeps [0.01, 0.02]");
  }

  /**
   * {@code test_retry.py::test_graph_with_jitter_retry_policy} ("jitter_retry_policy"): LangGraph's {@code jitter=True}
   * adds {@code random.uniform(0, 1)} seconds, Graphloop's {@code jitterMs(1000)} the same fraction of 1000 ms.
   */
  @Test
  void testGraphWithJitterRetryPolicy(Vertx vertx) {
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).initialIntervalMs(10).jitterMs(1000)
        .retryOn(IllegalStateException.class).build();
    CompiledGraph graph = new StateGraph("jitter-retry")
        .addNode("failing_node", (state, ctx) -> {
          attempts.add(ctx.attempt());
          return attempts.size() < 2 ? Future.failedFuture(new IllegalStateException("Intentional failure"))
              : Future.succeededFuture(Map.of("foo", "success"));
        }, new NodeOptions().setRetry(retry))
        .addEdge(START, "failing_node").addEdge("failing_node", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    assertEquals(Map.of("foo", "success"), result(client.invoke(Map.of("foo", ""))).asMap());
    assertEquals(List.of(1, 2), attempts);
    assertEquals(60L, retry.nextDelayMs(1, new IllegalStateException(), () -> 0.05), "the sleep 0.01 + 0.05");
  }

  /** {@code test_retry.py::test_graph_with_max_attempts_exceeded} ("max_attempts_exceeded"), and "not_retried". */
  @Test
  void testGraphWithMaxAttemptsExceeded(Vertx vertx) {
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    RetryPolicy retry = policy(2);
    CompiledGraph graph = new StateGraph("max-attempts")
        .addNode("always_failing", (state, ctx) -> {
          attempts.add(ctx.attempt());
          return Future.failedFuture(new IllegalStateException("Always fails"));
        }, new NodeOptions().setRetry(retry))
        .addNode("n", (state, ctx) -> {
          attempts.add(-ctx.attempt());
          return Future.failedFuture(new NoSuchElementException("nope"));
        }, new NodeOptions().setRetry(retry))
        .addConditionalEdges(START, state -> state.get("which").equals("n") ? "n" : "always_failing",
            List.of("n", "always_failing"))
        .addEdge("always_failing", END).addEdge("n", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    Throwable failed = result(client.invoke(Map.of("which", "always_failing")).transform(done ->
        Future.<Throwable>succeededFuture(done.cause())));
    assertInstanceOf(NodeFailedException.class, failed);
    assertInstanceOf(IllegalStateException.class, failed.getCause());
    assertEquals("Always fails", failed.getCause().getMessage());
    assertTrue(failed.getMessage().contains("attempt 2/2"), failed.getMessage());
    assertEquals(List.of(1, 2), attempts);
    assertEquals(10L, retry.nextDelayMs(1, new IllegalStateException()), "the one sleep, 0.01");

    attempts.clear();
    failed = result(client.invoke(Map.of("which", "n")).transform(done ->
        Future.<Throwable>succeededFuture(done.cause())));
    assertInstanceOf(NoSuchElementException.class, failed.getCause());
    assertEquals(List.of(-1), attempts, "a failure the policy does not name is tried once");
  }

  /** {@code test_pregel.py::test_falsy_return_from_task} ("falsy_return ..."): a false result comes back on resume. */
  @Test
  void testFalsyReturnFromTask(Vertx vertx) {
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    Task<Object, Boolean> falsyTask = Task.of("falsy_task", (input, ctx) -> {
      ran.add(1);
      return Future.succeededFuture(false);
    });
    CompiledGraph graph = Entrypoint.<Object, Object>of("falsy", (state, ctx) -> ctx.call(falsyTask, null)
        .map(value -> Map.of("falsy", value, "answer", ctx.interrupt("test")))).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("f");
    RunResult first = result(client.run(Entrypoint.input(Map.of("a", 5)), thread));
    assertEquals(List.of("test"), first.interrupts().stream().map(i -> i.get("value")).toList());
    RunResult resumed = result(client.run(Command.resume("ok"), thread));
    assertEquals(Map.of("falsy", false, "answer", "ok"), Entrypoint.output(resumed));
    assertEquals(1, ran.size(), "task runs");
  }

  /** {@code test_pregel.py::test_multiple_tasks_before_interrupt_resume} ("multiple_tasks_before_interrupt ..."). */
  @Test
  void testMultipleTasksBeforeInterruptResume(Vertx vertx) {
    List<String> runs = Collections.synchronizedList(new ArrayList<>());
    Task<Integer, Integer> stepA = Task.of("step_a", (x, ctx) -> {
      runs.add("a");
      return Future.succeededFuture(x + 1);
    });
    Task<Integer, Integer> stepB = Task.of("step_b", (x, ctx) -> {
      runs.add("b");
      return Future.succeededFuture(x * 2);
    });
    Task<String, Object> ask = Task.of("ask", (question, ctx) -> Future.succeededFuture(ctx.interrupt(question)));
    CompiledGraph graph = Entrypoint.<Map<String, Object>, Object>of("workflow", (inputs, ctx) ->
        ctx.call(stepA, ((Number) inputs.get("x")).intValue()).compose(a -> ctx.call(stepB, a))
            .compose(b -> ctx.call(ask, "Result so far is " + b + ". What next?")
                .map(answer -> Map.of("computed", b, "answer", answer)))).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");
    RunResult first = result(client.run(Entrypoint.input(Map.of("x", 5)), thread));
    assertEquals(List.of("Result so far is 12. What next?"), first.interrupts().stream().map(i -> i.get("value"))
        .toList());
    RunResult resumed = result(client.run(Command.resume("continue"), thread));
    assertEquals(RunStatus.SUCCESS, resumed.status());
    assertEquals(Map.of("computed", 12, "answer", "continue"), Entrypoint.output(resumed));
    assertEquals(List.of("a", "b"), runs);
  }
}
