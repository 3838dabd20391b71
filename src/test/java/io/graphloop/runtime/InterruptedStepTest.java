package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A run interrupted in a step whose other tasks completed, as LangGraph 1.2.12 ends it: the interrupt is streamed as
 * an {@code updates} chunk {@code {"__interrupt__": [...]}} and a {@code values} chunk of the step's state plus
 * {@code "__interrupt__"} when the task asks; on the way out the completed tasks' writes are applied (LangGraph's
 * {@code _loop.py _suppress_interrupt}): the run's result shows them, and one last {@code values} chunk carries them
 * when they wrote a channel; the thread stays at the step, and a resume streams the stored writes as cached updates
 * ({@code "__metadata__": {"cached": true}}). Expected values were produced by LangGraph 1.2.12 with
 * {@code src/test/resources/langgraph/interrupted_step.py}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class InterruptedStepTest {

  /** Mirrors {@code test_pregel.py::test_interrupt_stream_mode_values}. */
  @Test
  void interruptsAreStreamedInValuesAndUpdates(Vertx vertx) {
    CompiledGraph graph = new StateGraph("values-interrupt")
        .addNode("robot_input_node", state -> Future.succeededFuture(Map.of("robot_input", "beep boop i am a robot")))
        .addNode("human_input_node", (state, ctx) -> Future.succeededFuture(
            Command.ofUpdate(Map.of("human_input", ctx.interrupt("interrupt")))))
        .addEdge(START, "robot_input_node").addEdge("robot_input_node", "human_input_node")
        .addEdge("human_input_node", END)
        .compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");

    List<StreamEvent> asked = result(collect(vertx, () -> client.stream(Map.of(), thread, StreamMode.UPDATES,
        StreamMode.VALUES)));
    List<String> modes = new ArrayList<>();
    asked.forEach(e -> modes.add(e.event().wireName()));
    assertEquals(List.of("updates", "values", "updates", "values", StreamEvent.END.wireName()), modes);
    assertEquals(Map.of("robot_input_node", Map.of("robot_input", "beep boop i am a robot")), asked.get(0).data());
    assertEquals(Map.of("robot_input", "beep boop i am a robot"), asked.get(1).data());
    String id = (String) interrupts(asked.get(2).data()).get(0).get("id");
    assertEquals(Map.of("__interrupt__", List.of(Map.of("value", "interrupt", "id", id))), asked.get(2).data());
    assertEquals(Map.of("robot_input", "beep boop i am a robot",
        "__interrupt__", List.of(Map.of("value", "interrupt", "id", id))), asked.get(3).data());

    List<StreamEvent> resumed = result(collect(vertx, () -> client.stream(Command.resume("i am a human"), thread,
        StreamMode.UPDATES, StreamMode.VALUES)));
    modes.clear();
    resumed.forEach(e -> modes.add(e.event().wireName()));
    assertEquals(List.of("values", "updates", "values", StreamEvent.END.wireName()), modes);
    assertEquals(Map.of("robot_input", "beep boop i am a robot"), resumed.get(0).data());
    assertEquals(Map.of("human_input_node", Map.of("human_input", "i am a human")), resumed.get(1).data());
    assertEquals(Map.of("robot_input", "beep boop i am a robot", "human_input", "i am a human"),
        resumed.get(2).data());
  }

  /** a, b (asks) and c in one step, then the join [a, b, c] -> d (after {@code test_pregel.py::test_parallel_interrupts}). */
  private static CompiledGraph join(String name) {
    return new StateGraph(name)
        .channel("items", Channels.append())
        .addNode("a", state -> Future.succeededFuture(Map.of("items", List.of("a"), "x", "a")))
        .addNode("b", (state, ctx) -> Future.succeededFuture(Map.of("items", List.of("b:" + ctx.interrupt("ask-b")))))
        .addNode("c", state -> Future.succeededFuture(Map.of("items", List.of("c"))))
        .addNode("d", state -> Future.succeededFuture(Map.of("items", List.of("d"))))
        .addEdge(START, "a").addEdge(START, "b").addEdge(START, "c")
        .addEdge(List.of("a", "b", "c"), "d").addEdge("d", END)
        .compile();
  }

  /** Mirrors {@code test_pregel.py::test_parallel_interrupts}: the result applies the siblings' writes. */
  @Test
  void theResultOfAnInterruptedStepShowsTheWritesOfItsCompletedTasks(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, join("interrupted-join"), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("2");

    RunResult asked = result(client.run(Map.of("items", List.of("in")), thread));
    assertEquals(RunStatus.INTERRUPTED, asked.status());
    assertEquals(Map.of("items", List.of("in", "a", "c"), "x", "a"), asked.values().asMap());
    assertEquals("ask-b", asked.interrupts().get(0).get("value"));

    ThreadState state = result(client.getState("2"));
    assertEquals(Map.of("items", List.of("in", "a", "c"), "x", "a"), state.values().asMap());
    assertEquals(List.of("b"), state.next());
    Map<String, Object> results = new LinkedHashMap<>();
    state.tasks().forEach(task -> results.put((String) task.get("node"), task.get("result")));
    assertEquals(Map.of("items", List.of("a"), "x", "a"), results.get("a"));
    assertEquals(Map.of("items", List.of("c")), results.get("c"));
  }

  /** Mirrors {@code test_pregel.py::test_parallel_interrupts} (its stream and resume, cached writes). */
  @Test
  void anInterruptedStepEndsItsValuesStreamWithTheSiblingsWrites(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, join("interrupted-join-stream"), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("3");

    List<StreamEvent> asked = result(collect(vertx, () -> client.stream(Map.of("items", List.of("in")), thread,
        StreamMode.VALUES, StreamMode.UPDATES)));
    assertEquals(StreamEvent.END, asked.get(asked.size() - 1).event());
    List<StreamEvent> chunks = asked.subList(0, asked.size() - 1);
    // LangGraph: values {'items': ['in']} first, then (in the tasks' timing) the updates of a and c, the interrupt's
    // updates and values chunks, and last values {'items': ['in', 'a', 'c'], 'x': 'a'}
    assertEquals(6, chunks.size());
    assertEquals("values", chunks.get(0).event().wireName());
    assertEquals(Map.of("items", List.of("in")), chunks.get(0).data());
    StreamEvent last = chunks.get(5);
    assertEquals("values", last.event().wireName());
    assertEquals(Map.of("items", List.of("in", "a", "c"), "x", "a"), last.data());
    Set<Map<String, Object>> middle = new HashSet<>();
    chunks.subList(1, 5).forEach(e -> middle.add(Map.of("mode", e.event().wireName(), "data", e.data())));
    String id = (String) asked.stream().filter(e -> e.data().containsKey("__interrupt__")).findFirst()
        .map(e -> interrupts(e.data()).get(0).get("id")).orElseThrow();
    List<Map<String, Object>> interrupt = List.of(Map.of("value", "ask-b", "id", id));
    assertEquals(Set.of(
        Map.of("mode", "updates", "data", Map.of("a", Map.of("items", List.of("a"), "x", "a"))),
        Map.of("mode", "updates", "data", Map.of("c", Map.of("items", List.of("c")))),
        Map.of("mode", "updates", "data", Map.of("__interrupt__", interrupt)),
        Map.of("mode", "values", "data", Map.of("items", List.of("in"), "__interrupt__", interrupt))), middle);

    List<StreamEvent> resumed = result(collect(vertx, () -> client.stream(Command.resume("yes"), thread,
        StreamMode.VALUES, StreamMode.UPDATES)));
    List<Map<String, Object>> seen = new ArrayList<>();
    resumed.subList(0, resumed.size() - 1).forEach(e -> seen.add(Map.of("mode", e.event().wireName(), "data", e.data())));
    Map<String, Object> cached = Map.of("cached", true);
    assertEquals(List.of(
        Map.of("mode", "values", "data", Map.of("items", List.of("in"))),
        Map.of("mode", "updates", "data", Map.of("a", Map.of("items", List.of("a"), "x", "a"), "__metadata__", cached)),
        Map.of("mode", "updates", "data", Map.of("c", Map.of("items", List.of("c")), "__metadata__", cached)),
        Map.of("mode", "updates", "data", Map.of("b", Map.of("items", List.of("b:yes")))),
        Map.of("mode", "values", "data", Map.of("items", List.of("in", "a", "b:yes", "c"), "x", "a")),
        Map.of("mode", "updates", "data", Map.of("d", Map.of("items", List.of("d")))),
        Map.of("mode", "values", "data", Map.of("items", List.of("in", "a", "b:yes", "c", "d"), "x", "a"))), seen);

    List<ThreadState> history = result(client.getStateHistory("3", 10, null));
    List<List<Object>> steps = new ArrayList<>();
    history.forEach(h -> steps.add(List.of(h.step(), h.source().wireName(), h.next())));
    assertEquals(List.of(List.of(2, "loop", List.of()), List.of(1, "loop", List.of("d")),
        List.of(0, "loop", List.of("a", "b", "c")), List.of(-1, "input", List.of("__start__"))), steps);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> interrupts(Map<String, Object> chunk) {
    return (List<Map<String, Object>>) chunk.get("__interrupt__");
  }
}
