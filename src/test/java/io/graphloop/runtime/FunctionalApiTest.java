package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphloopException;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Final;
import io.graphloop.func.Task;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph's functional API ({@code @entrypoint}, {@code @task}) as {@link Entrypoint} and {@link Task}: tests ported
 * from LangGraph 1.2.12's {@code test_pregel.py}, each named in its javadoc. The expected values were produced by
 * LangGraph 1.2.12 with {@code src/test/resources/langgraph/functional_api.py}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FunctionalApiTest {

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }

  private static GraphClient deploy(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
  }

  private static List<Object> interruptValues(RunResult result) {
    List<Object> values = new ArrayList<>();
    result.interrupts().forEach(interrupt -> values.add(interrupt.get("value")));
    return values;
  }

  private static final Task<Map<String, Object>, Map<String, Object>> FOO = Task.of("foo",
      (state, ctx) -> Future.succeededFuture(map("a", state.get("a") + "foo")));

  /** Mirrors {@code test_pregel.py::test_interrupt_functional}: an interrupt in the entrypoint, a task after it. */
  @Test
  void anInterruptInTheEntrypointIsAnsweredOnResume(Vertx vertx) {
    AtomicInteger foos = new AtomicInteger();
    Task<Map<String, Object>, Map<String, Object>> foo = Task.of("foo", (state, ctx) -> {
      foos.incrementAndGet();
      return Future.succeededFuture(map("a", state.get("a") + "foo"));
    });
    Task<Map<String, Object>, Map<String, Object>> bar = Task.of("bar",
        (state, ctx) -> Future.succeededFuture(map("a", state.get("a") + "bar", "b", state.get("b"))));
    CompiledGraph graph = Entrypoint.<Map<String, Object>, Object>of("graph", (inputs, ctx) -> {
      Future<Map<String, Object>> futFoo = ctx.call(foo, inputs);
      Object value = ctx.interrupt("Provide value for bar:");
      return futFoo.compose(fooResult -> {
        Map<String, Object> barInput = new LinkedHashMap<>(fooResult);
        barInput.put("b", value);
        return ctx.call(bar, barInput);
      });
    }).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("1");

    RunResult asked = result(client.run(Entrypoint.input(map("a", "")), thread));
    assertEquals(RunStatus.INTERRUPTED, asked.status());
    assertEquals(List.of("Provide value for bar:"), interruptValues(asked));
    RunResult answered = result(client.run(Command.resume("bar"), thread));
    assertEquals(map("a", "foobar", "b", "bar"), Entrypoint.output(answered));
    assertEquals(1, foos.get(), "foo completed before the interrupt: its stored result is reused on resume");
  }

  /**
   * Mirrors {@code test_pregel.py::test_interrupt_task_functional}: a task interrupts, twice in one run (the same task
   * called twice); the first call's stored result keeps its answer, the second call gets the next one.
   */
  @Test
  void aTaskInterruptsAndEachCallGetsItsOwnAnswer(Vertx vertx) {
    Task<Map<String, Object>, Map<String, Object>> bar = Task.of("bar", (state, ctx) -> Future.succeededFuture(
        map("a", state.get("a") + (String) ctx.interrupt("Provide value for bar:"))));
    CompiledGraph graph = Entrypoint.<Map<String, Object>, Object>of("graph2", (inputs, ctx) ->
        ctx.call(FOO, inputs).compose(fooResult -> ctx.call(bar, fooResult))
            .compose(barResult -> ctx.call(bar, barResult))).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("2");

    assertEquals(List.of("Provide value for bar:"), interruptValues(result(client.run(
        Entrypoint.input(map("a", "")), thread))));
    assertEquals(List.of("Provide value for bar:"), interruptValues(result(client.run(Command.resume("bar"),
        thread))));
    assertEquals(map("a", "foobarbaz"), Entrypoint.output(result(client.run(Command.resume("baz"), thread))));
  }

  /** Mirrors {@code test_pregel.py::test_multiple_interrupts_functional}: a task's result is not computed again. */
  @Test
  void tasksBetweenInterruptsRunOnce(Vertx vertx) {
    AtomicInteger counter = new AtomicInteger();
    Task<Integer, Integer> twice = Task.of("double", (x, ctx) -> {
      counter.incrementAndGet();
      return Future.succeededFuture(2 * x);
    });
    CompiledGraph graph = Entrypoint.<Map<String, Object>, Object>of("graph3", (state, ctx) -> {
      List<Object> values = Collections.synchronizedList(new ArrayList<>());
      Future<Void> chain = Future.succeededFuture();
      for (int idx : new int[] {1, 2, 3}) {
        chain = chain.compose(v -> ctx.call(twice, idx)).compose(doubled -> {
          values.add(doubled);
          values.add(ctx.interrupt(map("a", "boo")));
          return Future.succeededFuture();
        });
      }
      return chain.map(v -> map("values", values));
    }).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("3");

    result(client.run(Entrypoint.input(Map.of()), thread));
    result(client.run(Command.resume("a"), thread));
    result(client.run(Command.resume("b"), thread));
    RunResult done = result(client.run(Command.resume("c"), thread));
    assertEquals(map("values", List.of(2, "a", 4, "b", 6, "c")), Entrypoint.output(done));
    assertEquals(3, counter.get());
  }

  /** Mirrors {@code test_pregel.py::test_task_before_interrupt_resume}: a stored task keeps the answer it used. */
  @Test
  void aStoredTaskCallPassesOverTheAnswersItUsed(Vertx vertx) {
    Task<Integer, Integer> setup = Task.of("setup", (n, ctx) -> Future.succeededFuture(n));
    Task<String, Object> ask = Task.of("ask", (question, ctx) -> Future.succeededFuture(ctx.interrupt(question)));
    CompiledGraph graph = Entrypoint.<Integer, Object>of("workflow", (topics, ctx) ->
        ctx.call(setup, topics).compose(n -> {
          List<Object> answers = Collections.synchronizedList(new ArrayList<>());
          Future<Void> chain = Future.succeededFuture();
          for (int i = 0; i < n; i++) {
            String question = "Whats the answer for topic " + (i + 1) + "?";
            chain = chain.compose(v -> ctx.call(ask, question)).map(answer -> {
              answers.add(answer);
              return null;
            });
          }
          return chain.map(v -> map("answers", answers));
        })).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("4");

    assertEquals(List.of("Whats the answer for topic 1?"), interruptValues(result(client.run(Entrypoint.input(2),
        thread))));
    assertEquals(List.of("Whats the answer for topic 2?"), interruptValues(result(client.run(
        Command.resume("answer1"), thread))));
    assertEquals(map("answers", List.of("answer1", "answer2")),
        Entrypoint.output(result(client.run(Command.resume("answer2"), thread))));
  }

  /**
   * Mirrors {@code test_pregel.py::test_entrypoint_stateful}: {@code previous} is what the thread's last run returned;
   * a streamed run's {@code updates} chunk is {@code {entrypoint: output}}.
   */
  @Test
  void previousIsTheLastRunsOutput(Vertx vertx) {
    CompiledGraph graph = Entrypoint.of("stateful", (inputs, ctx) -> {
      Map<String, Object> out = new HashMap<>();
      out.put("previous", ctx.previous());
      out.put("current", inputs);
      return Future.succeededFuture(out);
    }).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("5");

    Map<String, Object> first = new HashMap<>();
    first.put("previous", null);
    first.put("current", map("a", "1"));
    assertEquals(first, Entrypoint.output(result(client.run(Entrypoint.input(map("a", "1")), thread))));
    assertEquals(map("previous", first, "current", map("a", "2")),
        Entrypoint.output(result(client.run(Entrypoint.input(map("a", "2")), thread))));

    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Entrypoint.input(map("a", "3")),
        new RunOptions().setThreadId("5b"), StreamMode.UPDATES)));
    Map<String, Object> third = new HashMap<>();
    third.put("previous", null);
    third.put("current", map("a", "3"));
    assertEquals(List.of(Map.of("stateful", third)), updates(events));
  }

  /** Mirrors {@code test_pregel.py::test_entrypoint_with_return_and_save}: {@link Final}'s value vs saved value. */
  @Test
  void finalReturnsOneValueAndSavesAnother(Vertx vertx) {
    CompiledGraph graph = Entrypoint.<String, Object>of("saving", (msg, ctx) -> {
      List<Object> previous = ctx.previous() == null ? List.of() : asList(ctx.previous());
      List<Object> saved = new ArrayList<>(previous);
      saved.add(msg);
      return Future.succeededFuture(Final.of(previous.size(), saved));
    }).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("6");

    assertEquals(0, Entrypoint.output(result(client.run(Entrypoint.input("hello"), thread))));
    assertEquals(1, Entrypoint.output(result(client.run(Entrypoint.input("goodbye"), thread))));
    assertEquals(2, Entrypoint.output(result(client.run(Entrypoint.input("definitely"), thread))));
    assertEquals(List.of("hello", "goodbye", "definitely"),
        result(client.getState("6")).values().get(Entrypoint.PREVIOUS));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> asList(Object value) {
    return (List<Object>) value;
  }

  /**
   * The {@code updates} stream as LangGraph's for the functional API (the chunks of
   * {@code test_pregel.py::test_sync_streaming_with_functional_api}): {@code {task: result}} per task call as it
   * completes, then the interrupt; the resume streams only the entrypoint's output (stored calls are not streamed).
   */
  @Test
  void taskResultsAreStreamedAsUpdates(Vertx vertx) {
    List<Object> ran = Collections.synchronizedList(new ArrayList<>());
    Task<Integer, Integer> addOne = Task.of("add_one", (x, ctx) -> {
      ran.add(x);
      return Future.succeededFuture(x + 1);
    });
    Task<Integer, Integer> twice = Task.blocking("double", (x, ctx) -> 2 * x);
    CompiledGraph graph = Entrypoint.<Integer, Object>of("streamed", (input, ctx) ->
        ctx.call(addOne, input).compose(a -> ctx.call(twice, a))
            .map(b -> map("b", b, "ans", ctx.interrupt(map("b", b))))).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("7");

    List<StreamEvent> first = result(collect(vertx, () -> client.stream(Entrypoint.input(3), thread,
        StreamMode.UPDATES)));
    List<Object> chunks = updates(first);
    assertEquals(3, chunks.size(), chunks.toString());
    assertEquals(Map.of("add_one", 4), chunks.get(0));
    assertEquals(Map.of("double", 8), chunks.get(1));
    assertEquals(List.of(map("b", 8)), interruptValuesOf(asMap(chunks.get(2)).get("__interrupt__")));

    List<StreamEvent> second = result(collect(vertx, () -> client.stream(Command.resume("yes"), thread,
        StreamMode.UPDATES)));
    assertEquals(List.of(Map.of("streamed", map("b", 8, "ans", "yes"))), updates(second));
    assertEquals(List.of(3), ran);
  }

  private static List<Object> interruptValuesOf(Object interrupts) {
    List<Object> values = new ArrayList<>();
    asList(interrupts).forEach(interrupt -> values.add(asMap(interrupt).get("value")));
    return values;
  }

  private static List<Object> updates(List<StreamEvent> events) {
    List<Object> chunks = new ArrayList<>();
    for (StreamEvent event : events) {
      if (event.event().wireName().equals("updates")) {
        chunks.add(event.data());
      }
    }
    return chunks;
  }

  /**
   * A failure after a task completed: continuing the thread (input {@code null}, LangGraph's {@code invoke(None)})
   * does not run the task again (as in LangGraph 1.2.12: {@code continued 20 ran [('add_one', 1)]}).
   */
  @Test
  void aCompletedTaskIsNotRunAgainAfterAFailure(Vertx vertx) {
    List<Object> ran = Collections.synchronizedList(new ArrayList<>());
    Task<Integer, Integer> addOne = Task.of("add_one", (x, ctx) -> {
      ran.add(x);
      return Future.succeededFuture(x + 1);
    });
    AtomicBoolean fail = new AtomicBoolean(true);
    CompiledGraph graph = Entrypoint.<Integer, Object>of("flaky", (input, ctx) ->
        ctx.call(addOne, input).compose(a -> fail.getAndSet(false) ? Future.failedFuture(new IllegalStateException(
            "boom")) : Future.succeededFuture(a * 10))).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("8");

    Throwable failed = failure(client.run(Entrypoint.input(1), thread));
    assertTrue(failed instanceof GraphloopException && String.valueOf(failed.getMessage()).contains("boom")
        || String.valueOf(failed.getCause()).contains("boom"), String.valueOf(failed));
    assertEquals(20, Entrypoint.output(result(client.proceed(thread))));
    assertEquals(List.of(1), ran);
  }

  /** Without a thread (LangGraph's {@code test_entrypoint_without_checkpointer}): tasks run, previous is null. */
  @Test
  void anEntrypointRunsWithoutAThread(Vertx vertx) {
    CompiledGraph graph = Entrypoint.<Map<String, Object>, Object>of("nothread", (inputs, ctx) ->
        ctx.call(FOO, inputs).map(foo -> {
          Map<String, Object> out = new HashMap<>(foo);
          out.put("previous", ctx.previous());
          return out;
        })).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    Map<String, Object> expected = new HashMap<>();
    expected.put("a", "1foo");
    expected.put("previous", null);
    assertEquals(expected, Entrypoint.output(result(client.run(Entrypoint.input(map("a", "1")), new RunOptions()))));
    assertNull(Entrypoint.output(new RunResult(null, RunStatus.SUCCESS, null, null, null, List.of())));
  }
}
