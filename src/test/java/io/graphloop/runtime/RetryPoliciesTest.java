package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Several retry policies for one node or task ({@link RetryPolicy#firstOf}, LangGraph's
 * {@code retry_policy=(p1, p2)}): the first policy that accepts a failure decides, counting the task's attempts so
 * far. Mirrors {@code test_retry.py::test_graph_with_multiple_retry_policies} and extends it with failures that change
 * kind; every expected value is the output of src/test/resources/langgraph/retry_policies.py run against LangGraph
 * 1.2.12 (its ValueError is an {@code IllegalStateException} here, KeyError a {@code NoSuchElementException},
 * TypeError an {@code UnsupportedOperationException}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RetryPoliciesTest {

  private static final RetryPolicy VALUE = RetryPolicy.builder().maxAttempts(2).initialIntervalMs(10).jitterMs(0)
      .retryOn(IllegalStateException.class).build();
  private static final RetryPolicy KEY = RetryPolicy.builder().maxAttempts(3).initialIntervalMs(20).jitterMs(0)
      .retryOn(NoSuchElementException.class).build();
  private static final RetryPolicy BOTH = RetryPolicy.firstOf(VALUE, KEY);

  /** The failure of a plan's letter, or null for success. */
  private static RuntimeException failureOf(String plan, int call) {
    char kind = call <= plan.length() ? plan.charAt(call - 1) : '.';
    return kind == 'V' ? new IllegalStateException("V") : kind == 'K' ? new NoSuchElementException("K")
        : kind == 'T' ? new UnsupportedOperationException("T") : null;
  }

  /** (result or the failure's class, calls), as the script prints a node's run of {@code plan}. */
  private static List<Object> runNode(Vertx vertx, String plan) {
    AtomicInteger calls = new AtomicInteger();
    CompiledGraph graph = new StateGraph("retry-policies-" + plan)
        .addNode("n", (state, ctx) -> {
          int call = calls.incrementAndGet();
          RuntimeException failure = failureOf(plan, call);
          return failure != null ? Future.failedFuture(failure) : Future.succeededFuture(Map.of("foo", "ok after "
              + call));
        }, new NodeOptions().setRetry(BOTH))
        .addEdge(START, "n").addEdge("n", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    Future<Object> out = client.invoke(Map.of("foo", "")).map(state -> state.get("foo"));
    Object value = result(out.transform(done -> Future.succeededFuture(done.succeeded() ? done.result()
        : rootName(done.cause()))));
    return List.of(value, calls.get());
  }

  private static String rootName(Throwable failure) {
    Throwable cause = failure instanceof NodeFailedException && failure.getCause() != null ? failure.getCause()
        : failure;
    return cause.getClass().getSimpleName();
  }

  /** "node plan ..." lines. */
  @Test
  void theFirstPolicyThatAcceptsAFailureDecidesCountingEveryAttempt(Vertx vertx) {
    List<Object> seen = new ArrayList<>();
    for (String plan : List.of("V", "KK", "VV", "KKK", "KV", "VK", "T", "KT")) {
      seen.add(List.of(plan, runNode(vertx, plan)));
    }
    assertEquals(List.of(
        List.of("V", List.of("ok after 2", 2)), List.of("KK", List.of("ok after 3", 3)),
        List.of("VV", List.of("IllegalStateException", 2)), List.of("KKK", List.of("NoSuchElementException", 3)),
        List.of("KV", List.of("IllegalStateException", 2)), List.of("VK", List.of("ok after 3", 3)),
        List.of("T", List.of("UnsupportedOperationException", 1)),
        List.of("KT", List.of("UnsupportedOperationException", 2))), seen);
  }

  /** "task plan ..." lines: a task's list of policies ({@code @task(retry_policy=[...])}). */
  @Test
  void aTaskTakesSeveralPoliciesToo(Vertx vertx) {
    List<Object> seen = new ArrayList<>();
    for (String plan : List.of("KK", "KV", "VV")) {
      AtomicInteger calls = new AtomicInteger();
      Task<Integer, Integer> flaky = Task.<Integer, Integer>of("flaky", (x, ctx) -> {
        int call = calls.incrementAndGet();
        RuntimeException failure = failureOf(plan, call);
        return failure != null ? Future.failedFuture(failure) : Future.succeededFuture(x + call);
      }).withRetry(BOTH);
      CompiledGraph graph = Entrypoint.<Integer, Object>of("retry-task-" + plan, (x, ctx) -> ctx.call(flaky, x))
          .compile();
      GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
      Future<Object> out = client.run(Entrypoint.input(100), new RunOptions()).map(Entrypoint::output);
      Object value = result(out.transform(done -> Future.succeededFuture(done.succeeded() ? done.result()
          : rootName(done.cause()))));
      seen.add(List.of(plan, value, calls.get()));
    }
    assertEquals(List.of(List.of("KK", 103, 3), List.of("KV", "IllegalStateException", 2),
        List.of("VV", "IllegalStateException", 2)), seen);
  }

  @Test
  void severalPoliciesRoundTripThroughJsonAndNeedOneAtLeast() {
    assertEquals(BOTH, RetryPolicy.fromJson(BOTH.toJson().copy()));
    assertEquals(List.of(VALUE, KEY), BOTH.policies());
    assertEquals(3, BOTH.maxAttempts());
    assertEquals(VALUE, RetryPolicy.firstOf(List.of(VALUE)));
    assertEquals(new NodeOptions(new NodeOptions().setRetry(BOTH).toJson()).getRetry(), BOTH);
    IllegalArgumentException none = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RetryPolicy.firstOf(List.of()));
    assertEquals("RetryPolicy.firstOf needs at least one policy", none.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RetryPolicy.fromJson(new io.vertx.core.json.JsonObject("{\"policies\": []}")));
  }
}
