package io.graphloop.runtime;

import io.graphloop.cache.CacheKey;
import io.graphloop.cache.MemoryNodeCache;
import io.graphloop.client.GraphClient;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.CachePolicy;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task's own retry, cache and timeout policies ({@link Task#withRetry}, {@link Task#withCache},
 * {@link Task#withTimeout}; LangGraph's {@code @task(retry_policy=..., cache_policy=..., timeout=...)}). Expected
 * values from LangGraph 1.2.12 with {@code src/test/resources/langgraph/functional_policies.py}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FunctionalPoliciesTest {

  private static GraphClient deploy(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
  }

  private static Future<Integer> later(Vertx vertx, long ms, int value) {
    Promise<Integer> promise = Promise.promise();
    vertx.setTimer(ms, id -> promise.complete(value));
    return promise.future();
  }

  private static Object sevenRuns(GraphClient client) {
    RunOptions thread = new RunOptions().setThreadId(UUID.randomUUID().toString());
    result(client.run(Entrypoint.input(Map.of()), thread));
    for (String answer : List.of("a", "b", "c", "d", "e")) {
      result(client.run(Command.resume(answer), thread));
    }
    return Entrypoint.output(result(client.run(Command.resume("f"), thread)));
  }

  /**
   * Mirrors {@code test_pregel.py::test_multiple_interrupts_functional_cache}: a cached task runs once per input
   * across threads; after its namespace is cleared it runs again.
   */
  @Test
  void testMultipleInterruptsFunctionalCache(Vertx vertx) {
    AtomicInteger counter = new AtomicInteger();
    Task<Integer, Integer> twice = Task.<Integer, Integer>of("double", (x, ctx) -> {
      counter.incrementAndGet();
      return Future.succeededFuture(2 * x);
    }).withCache(CachePolicy.defaults());
    MemoryNodeCache cache = new MemoryNodeCache();
    CompiledGraph graph = Entrypoint.<Map<String, Object>, Object>of("graph", (state, ctx) -> {
      List<Object> values = java.util.Collections.synchronizedList(new ArrayList<>());
      Future<Void> chain = Future.succeededFuture();
      for (int idx : new int[] {1, 1, 2, 2, 3, 3}) {
        chain = chain.compose(v -> ctx.call(twice, idx)).compose(doubled -> {
          values.add(doubled);
          values.add(ctx.interrupt(Map.of("a", "boo")));
          return Future.succeededFuture();
        });
      }
      return chain.map(v -> Map.of("values", values));
    }).compile().withCache(cache);
    GraphClient client = deploy(vertx, graph);
    Map<String, Object> expected = Map.of("values", List.of(2, "a", 2, "b", 4, "c", 4, "d", 6, "e", 6, "f"));

    assertEquals(expected, sevenRuns(client));
    assertEquals(3, counter.get());
    assertEquals(expected, sevenRuns(client));
    assertEquals(3, counter.get(), "every call is served from the cache on a new thread");
    result(cache.clear(List.of(CacheKey.taskNamespace("graph", "double"))));
    assertEquals(expected, sevenRuns(client));
    assertEquals(6, counter.get());
  }

  /** A task's key function receives a state whose {@code arg()} is the call's input. */
  @Test
  void aCacheKeyFunctionSeesTheCallsInput(Vertx vertx) {
    AtomicInteger runs = new AtomicInteger();
    Task<Map<String, Object>, Object> greet = Task.<Map<String, Object>, Object>of("greet", (in, ctx) -> {
      runs.incrementAndGet();
      return Future.succeededFuture("hi " + in.get("name"));
    }).withCache(CachePolicy.keyedBy(state -> ((Map<?, ?>) state.arg()).get("name")));
    GraphClient client = deploy(vertx, Entrypoint.<Object, Object>of("greeter", (in, ctx) ->
        ctx.call(greet, Map.of("name", "ann", "noise", in))).compile().withCache(new MemoryNodeCache()));

    assertEquals("hi ann", Entrypoint.output(result(client.run(Entrypoint.input(1), new RunOptions()))));
    assertEquals("hi ann", Entrypoint.output(result(client.run(Entrypoint.input(2), new RunOptions()))));
    assertEquals(1, runs.get());
  }

  /**
   * A call served from the cache streams as LangGraph's: its start event, then its {@code updates} chunk marked
   * {@code cached}, and no result event.
   */
  @Test
  void aCachedCallIsStreamedAsCached(Vertx vertx) {
    Task<Integer, Integer> twice = Task.<Integer, Integer>of("double2", (x, ctx) -> Future.succeededFuture(2 * x))
        .withCache(CachePolicy.defaults());
    GraphClient client = deploy(vertx, Entrypoint.<Integer, Object>of("g", (x, ctx) -> ctx.call(twice, x)).compile()
        .withCache(new MemoryNodeCache()));
    List<List<Object>> expected = List.of(
        List.of(List.of("tasks", "g", false), List.of("tasks", "double2", false),
            List.of("updates", Map.of("double2", 6)), List.of("tasks", "double2", true),
            List.of("updates", Map.of("g", 6)), List.of("tasks", "g", true)),
        List.of(List.of("tasks", "g", false), List.of("tasks", "double2", false),
            List.of("updates", Map.of("double2", 6, "__metadata__", Map.of("cached", true))),
            List.of("updates", Map.of("g", 6)), List.of("tasks", "g", true)));
    for (String thread : List.of("1", "2")) {
      List<List<Object>> events = new ArrayList<>();
      for (StreamEvent event : result(collect(vertx, () -> client.stream(Entrypoint.input(3),
          new RunOptions().setThreadId(thread), StreamMode.UPDATES, StreamMode.TASKS)))) {
        if (event.event() == StreamEventType.UPDATES) {
          events.add(List.of("updates", event.data()));
        } else if (event.event() == StreamEventType.TASKS) {
          events.add(List.of("tasks", event.data().get("name"), event.data().containsKey("result")));
        }
      }
      assertEquals(expected.get(Integer.parseInt(thread) - 1), events, "thread " + thread);
    }
  }

  /** A task retried by its policy: fails twice, succeeds on the third attempt; its result is streamed once. */
  @Test
  void aTaskIsRetriedByItsOwnPolicy(Vertx vertx) {
    AtomicInteger attempts = new AtomicInteger();
    Task<Integer, Integer> flaky = Task.<Integer, Integer>of("flaky", (x, ctx) -> attempts.incrementAndGet() < 3
        ? Future.failedFuture(new IllegalStateException("down")) : Future.succeededFuture(x + 1))
        .withRetry(RetryPolicy.builder().maxAttempts(3).initialIntervalMs(10).jitterMs(0).build());
    GraphClient client = deploy(vertx, Entrypoint.<Integer, Object>of("retried", (x, ctx) ->
        ctx.call(flaky, x).map(y -> y * 10)).compile());

    List<Object> chunks = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(Entrypoint.input(1),
        new RunOptions().setThreadId("1"), StreamMode.UPDATES)))) {
      if (event.event() == StreamEventType.UPDATES) {
        chunks.add(event.data());
      }
    }
    assertEquals(List.of(Map.of("flaky", 2), Map.of("retried", 20)), chunks);
    assertEquals(3, attempts.get());

    attempts.set(-10); // fails on every attempt: the call fails with the last failure, after 3 attempts
    Throwable failed = failure(client.run(Entrypoint.input(1), new RunOptions().setThreadId("2")));
    assertTrue(String.valueOf(failed.getCause()).contains("down") || failed.getMessage().contains("down"),
        String.valueOf(failed));
    assertEquals(-7, attempts.get());
  }

  /** Mirrors {@code test_retry.py::test_task_decorator_timeout_e2e}: a task over its time limit fails the run. */
  @Test
  void testTaskDecoratorTimeoutE2e(Vertx vertx) {
    Task<Integer, Integer> slow = Task.<Integer, Integer>of("slow_task", (x, ctx) -> later(ctx.vertx(), 200, x + 1))
        .withTimeout(Duration.ofMillis(50));
    GraphClient client = deploy(vertx, Entrypoint.<Integer, Object>of("workflow", (x, ctx) -> ctx.call(slow, x))
        .compile());
    Throwable failed = failure(client.run(Entrypoint.input(1), new RunOptions()));
    Throwable cause = failed;
    while (cause != null && !(cause instanceof NodeTimeoutException)) {
      cause = cause.getCause();
    }
    assertInstanceOf(NodeTimeoutException.class, cause, String.valueOf(failed));
    assertTrue(cause.getMessage().contains("'slow_task'"), cause.getMessage());
  }

  /** A timed-out attempt is retried when the policy retries timeouts (LangGraph's retry_on=NodeTimeoutError). */
  @Test
  void aTimedOutAttemptIsRetried(Vertx vertx) {
    AtomicInteger calls = new AtomicInteger();
    Task<Integer, Integer> slowOnce = Task.<Integer, Integer>of("slow_once", (x, ctx) ->
        calls.incrementAndGet() < 2 ? later(ctx.vertx(), 500, -1) : Future.succeededFuture(x + 1))
        .withTimeout(Duration.ofMillis(50))
        .withRetry(RetryPolicy.builder().maxAttempts(3).initialIntervalMs(1).jitterMs(0)
            .retryOn(NodeTimeoutException.class).build());
    GraphClient client = deploy(vertx, Entrypoint.<Integer, Object>of("workflow2", (x, ctx) ->
        ctx.call(slowOnce, x)).compile());
    assertEquals(2, Entrypoint.output(result(client.run(Entrypoint.input(1), new RunOptions()))));
    assertEquals(2, calls.get());
  }

  /** As LangGraph, a timeout on a blocking task is refused when it is declared. */
  @Test
  void aBlockingTaskTakesNoTimeout() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
        Task.<Integer, Integer>blocking("sync_task", (x, ctx) -> x).withTimeout(Duration.ofSeconds(1)));
    assertTrue(refused.getMessage().contains("only supported for async tasks"), refused.getMessage());
  }
}
