package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step model and task events of the functional API as LangGraph 1.2.12's: an entrypoint's run has an input
 * checkpoint (step -1, the entrypoint due) and runs the entrypoint in step 0 (no {@code __start__} task), and each task
 * call shows in the {@code tasks} and {@code debug} streams as a task of its own (a start event with its input and
 * {@code __pregel_push} trigger, a result event {@code {"__return__": result}}). Expected values were produced by
 * LangGraph 1.2.12 with {@code src/test/resources/langgraph/functional_steps.py} (ids aside: LangGraph's are hashes).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FunctionalStepsTest {

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static CompiledGraph streamed() {
    Task<Integer, Integer> addOne = Task.of("add_one", (x, ctx) -> Future.succeededFuture(x + 1));
    Task<Integer, Integer> twice = Task.of("double", (x, ctx) -> Future.succeededFuture(2 * x));
    return Entrypoint.<Integer, Object>of("streamed", (input, ctx) ->
        ctx.call(addOne, input).compose(a -> ctx.call(twice, a))
            .map(b -> map("b", b, "ans", ctx.interrupt(map("b", b))))).compile();
  }

  /** One line per history entry: source, step, next, task names, interrupts per task (as the Python script prints). */
  private static List<List<Object>> history(GraphClient client, String thread) {
    List<List<Object>> lines = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory(thread, 100, null))) {
      List<Object> names = new ArrayList<>();
      List<Object> interrupts = new ArrayList<>();
      for (Map<String, Object> task : state.tasks()) {
        names.add(task.get("node"));
        Object asked = task.get("interrupts");
        interrupts.add(asked instanceof List ? ((List<?>) asked).size() : 0);
      }
      lines.add(List.of(state.source().wireName(), state.step(), state.next(), names, interrupts));
    }
    return lines;
  }

  /** The debug and tasks events as the Python script prints them. */
  private static List<List<Object>> events(List<StreamEvent> events) {
    List<List<Object>> lines = new ArrayList<>();
    for (StreamEvent event : events) {
      Map<String, Object> data = event.data();
      if (event.event() == StreamEventType.DEBUG) {
        Map<?, ?> payload = (Map<?, ?>) data.get("payload");
        lines.add(List.of("debug", data.get("type"), data.get("step"), data.get("type").equals("checkpoint")
            ? ((Map<?, ?>) payload.get("metadata")).get("source") : payload.get("name")));
      } else if (event.event() == StreamEventType.TASKS) {
        lines.add(List.of("tasks", data.get("name"), data.containsKey("result") ? data.get("result") : false));
      }
    }
    return lines;
  }

  /**
   * Mirrors the step model of {@code test_pregel.py::test_interrupt_functional} and the task events of
   * {@code test_pregel.py::test_sync_streaming_with_functional_api}: the first run's history is the input checkpoint
   * alone (the entrypoint due, interrupted); the resume saves the loop checkpoint of step 0; on the resume the stored
   * calls show their start events but no result (they did not run).
   */
  @Test
  void anEntrypointRunsInStepZeroAndItsTaskCallsAreTasks(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, streamed(), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");

    List<List<Object>> first = events(result(collect(vertx, () -> client.stream(Entrypoint.input(3), thread,
        StreamMode.DEBUG, StreamMode.TASKS))));
    assertEquals(List.of(
        List.of("debug", "checkpoint", -1, "input"),
        List.of("tasks", "streamed", false), List.of("debug", "task", 0, "streamed"),
        List.of("tasks", "add_one", false), List.of("debug", "task", 0, "add_one"),
        List.of("tasks", "add_one", Map.of("__return__", 4)), List.of("debug", "task_result", 0, "add_one"),
        List.of("tasks", "double", false), List.of("debug", "task", 0, "double"),
        List.of("tasks", "double", Map.of("__return__", 8)), List.of("debug", "task_result", 0, "double"),
        List.of("tasks", "streamed", Map.of()), List.of("debug", "task_result", 0, "streamed")), first);
    ThreadState interrupted = result(client.getState("1"));
    assertEquals(-1, interrupted.step());
    assertEquals(List.of("streamed"), interrupted.next());
    assertEquals(List.of(List.of("input", -1, List.of("streamed"), List.of("streamed"), List.of(1))),
        history(client, "1"));

    List<List<Object>> second = events(result(collect(vertx, () -> client.stream(Command.resume("yes"), thread,
        StreamMode.DEBUG, StreamMode.TASKS))));
    // LangGraph's last two task_result payloads show {"__end__": output}, Graphloop's the entrypoint's channels
    assertEquals(List.of(
        List.of("debug", "checkpoint", -1, "input"),
        List.of("tasks", "streamed", false), List.of("debug", "task", 0, "streamed"),
        List.of("tasks", "add_one", false), List.of("debug", "task", 0, "add_one"),
        List.of("tasks", "double", false), List.of("debug", "task", 0, "double")), second.subList(0, 7));
    assertEquals(List.of(List.of("debug", "task_result", 0, "streamed"), List.of("debug", "checkpoint", 0, "loop")),
        second.subList(8, 10));
    assertEquals(10, second.size(), second.toString());
    assertEquals(List.of(
        List.of("loop", 0, List.of(), List.of(), List.of()),
        List.of("input", -1, List.of("streamed"), List.of("streamed"), List.of(1))), history(client, "1"));

    // a second run on the thread: its input checkpoint is the last step + 1, the entrypoint runs in the step after it
    result(client.run(Entrypoint.input(5), thread));
    assertEquals(List.of(
        List.of("input", 1, List.of("streamed"), List.of("streamed"), List.of(1)),
        List.of("loop", 0, List.of(), List.of(), List.of())), history(client, "1").subList(0, 2));
  }

  /**
   * The payloads of a task call's {@code tasks} events (LangGraph 1.2.12 prints {@code {'name': 'add_one', 'input':
   * ((1,), {}), 'triggers': ('__pregel_push',)}} and {@code {'name': 'add_one', 'error': None, 'result':
   * {'__return__': 2}, 'interrupts': []}}): Java tasks take one argument, so the input is that value.
   */
  @Test
  void aTaskCallsEventsCarryItsInputAndResult(Vertx vertx) {
    Task<Integer, Integer> addOne = Task.of("add_one", (x, ctx) -> Future.succeededFuture(x + 1));
    CompiledGraph graph = Entrypoint.<Integer, Object>of("plain", (input, ctx) -> ctx.call(addOne, input)).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    List<Map<String, Object>> payloads = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(Entrypoint.input(1),
        new RunOptions().setThreadId("2"), StreamMode.TASKS)))) {
      if (event.event() == StreamEventType.TASKS) {
        payloads.add(event.data());
      }
    }
    assertEquals(4, payloads.size(), payloads.toString());
    Map<String, Object> start = payloads.get(1);
    assertEquals("add_one", start.get("name"));
    assertEquals(1, start.get("input"));
    assertEquals(List.of("__pregel_push"), start.get("triggers"));
    Map<String, Object> end = payloads.get(2);
    assertEquals("add_one", end.get("name"));
    assertEquals(Map.of("__return__", 2), end.get("result"));
    assertEquals(List.of(), end.get("interrupts"));
    assertTrue(end.containsKey("error") && end.get("error") == null);
    assertEquals(start.get("id"), end.get("id"));
    assertNotEquals(payloads.get(0).get("id"), start.get("id"), "a task call has its own task id");
  }
}
