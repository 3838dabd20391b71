package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
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
import io.graphloop.state.Overwrite;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The API LangGraph has and Graphloop added (issue 10, class 9), against test_pregel.py scenarios not ported before:
 * {@code Overwrite} from one of two parallel branches ({@code test_overwrite_parallel}), nested task calls running in
 * parallel before an interrupt ({@code test_imp_nested}), an entrypoint's saved value set by {@code updateState}
 * ({@code test_entrypoint_stateful_update_state}) and named tasks ({@code test_named_tasks_functional}). Every expected
 * value is the output of src/test/resources/langgraph/missing_api_parity.py run against LangGraph 1.2.12 (its printed
 * label is named).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MissingApiParityTest {

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static List<Map<String, Object>> chunks(List<StreamEvent> events, String type) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (StreamEvent event : events) {
      if (event.event().wireName().equals(type)) {
        out.add(event.data());
      }
    }
    return out;
  }

  /** Mirrors {@code test_pregel.py::test_overwrite_parallel} ("overwrite_parallel ..." lines), both forms. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anOverwriteFromOneOfTwoParallelBranchesReplacesTheList(boolean asJson, Vertx vertx) {
    Object overwrite = asJson ? Map.of("__overwrite__", List.of("b")) : new Overwrite(List.of("b"));
    CompiledGraph graph = new StateGraph("ow-parallel-" + asJson).channel("messages", Channels.append())
        .addNode("node_a", state -> Future.succeededFuture(Map.of("messages", List.of("a"))))
        .addNode("node_b", state -> Future.succeededFuture(Map.of("messages", overwrite)))
        .addNode("node_c", state -> Future.succeededFuture(Map.of("messages", List.of("c"))))
        .addNode("node_d", state -> Future.succeededFuture(Map.of("messages", List.of("d"))))
        .addEdge(START, "node_a").addEdge("node_a", "node_b").addEdge("node_a", "node_c")
        .addEdge("node_b", "node_d").addEdge("node_c", "node_d").compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();

    assertEquals(List.of("b", "d"), result(client.invoke(Map.of("messages", List.of("START")),
        new RunOptions().setThreadId("1"))).getList("messages"));
    List<Object> history = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory("1", 100, null))) {
      history.add(List.of(state.step(), state.values().getList("messages")));
    }
    assertEquals(List.of(List.of(3, List.of("b", "d")), List.of(2, List.of("b")), List.of(1, List.of("START", "a")),
        List.of(0, List.of("START")), List.of(-1, List.of())), history);
    List<Map<String, Object>> updates = chunks(result(collect(vertx, () -> client.stream(Map.of("messages",
        List.of("START")), new RunOptions().setThreadId("2"), StreamMode.UPDATES))), "updates");
    assertEquals(Map.of("node_a", Map.of("messages", List.of("a"))), updates.get(0));
    // LangGraph streams the Overwrite object, whose JSON form is {"value", "type"}, or the JSON form it was given
    Object streamed = asJson ? Map.of("__overwrite__", List.of("b"))
        : Map.of("value", List.of("b"), "type", "__overwrite__");
    assertEquals(Set.of(Map.of("node_b", Map.of("messages", streamed)),
        Map.of("node_c", Map.of("messages", List.of("c")))), new HashSet<>(updates.subList(1, 3)));
    assertEquals(Map.of("node_d", Map.of("messages", List.of("d"))), updates.get(3));
  }

  /**
   * Mirrors {@code test_pregel.py::test_imp_nested} ("imp_nested ..." lines; its subgraph call left out): each
   * {@code mapper} call calls {@code submapper}, the calls run in parallel, then the entrypoint interrupts; the
   * resume reuses every stored call.
   */
  @Test
  void nestedTaskCallsRunInParallelAndAreNotRunAgainOnResume(Vertx vertx) {
    List<Object> ran = java.util.Collections.synchronizedList(new ArrayList<>());
    Task<Integer, String> submapper = Task.of("submapper", (input, ctx) -> {
      ran.add("submapper " + input);
      return ctx.vertx().timer(1 + input * 10L).map(t -> String.valueOf(input));
    });
    Task<Integer, String> mapper = Task.of("mapper", (input, ctx) -> {
      ran.add("mapper " + input);
      Future<String> sub = ctx.call(submapper, input);
      return ctx.vertx().timer(1 + input * 10L).compose(t -> sub).map(s -> s + s);
    });
    CompiledGraph graph = Entrypoint.<List<Integer>, Object>of("imp-nested", (input, ctx) -> {
      List<Future<String>> futures = new ArrayList<>();
      input.forEach(i -> futures.add(ctx.call(mapper, i)));
      return Future.all(futures).map(all -> {
        Object answer = ctx.interrupt("question");
        List<String> out = new ArrayList<>();
        futures.forEach(f -> out.add(f.result() + answer));
        return out;
      });
    }).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");

    List<Map<String, Object>> updates = chunks(result(collect(vertx, () -> client.stream(Entrypoint.input(List.of(0,
        1)), thread, StreamMode.UPDATES))), "updates");
    assertEquals(Set.of(Map.of("mapper", "00"), Map.of("mapper", "11"), Map.of("submapper", "0"),
        Map.of("submapper", "1")), new HashSet<>(updates.subList(0, 4)));
    assertEquals(5, updates.size(), updates.toString());
    assertEquals("question", ((Map<?, ?>) ((List<?>) updates.get(4).get("__interrupt__")).get(0)).get("value"));
    RunResult resumed = result(client.run(Command.resume("answer"), thread));
    assertEquals(RunStatus.SUCCESS, resumed.status());
    assertEquals(List.of("00answer", "11answer"), Entrypoint.output(resumed));
    assertEquals(4, ran.size(), "every call ran once: " + ran);

    List<Object> tasks = new ArrayList<>();
    for (Map<String, Object> event : chunks(result(collect(vertx, () -> client.stream(Entrypoint.input(List.of(2)),
        new RunOptions().setThreadId("2"), StreamMode.TASKS))), "tasks")) {
      tasks.add(List.of(event.get("name"), event.containsKey("result")));
    }
    assertEquals(List.of(List.of("imp-nested", false), List.of("mapper", false), List.of("submapper", false),
        List.of("submapper", true), List.of("mapper", true), List.of("imp-nested", true)), tasks);
  }

  /**
   * Mirrors {@code test_pregel.py::test_entrypoint_stateful_update_state} ("update_state ...", "stateful ..." lines):
   * an update of the entrypoint's saved value is the next run's {@code previous}.
   */
  @Test
  void anUpdatedSavedValueIsTheNextRunsPrevious(Vertx vertx) {
    List<Object> states = java.util.Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = Entrypoint.of("stateful-update", (inputs, ctx) -> {
      states.add(ctx.previous());
      return Future.succeededFuture(map("previous", ctx.previous(), "current", inputs));
    }).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");

    ThreadState updated = result(client.updateState("1", Map.of(Entrypoint.PREVIOUS, map("a", "-1")), null));
    assertEquals(List.of(), updated.next());
    assertEquals(map("previous", map("a", "-1"), "current", map("a", "1")),
        Entrypoint.output(result(client.run(Entrypoint.input(map("a", "1")), thread))));
    assertEquals(map("previous", map("previous", map("a", "-1"), "current", map("a", "1")), "current", map("a", "2")),
        Entrypoint.output(result(client.run(Entrypoint.input(map("a", "2")), thread))));
    result(client.updateState("1", Map.of(Entrypoint.PREVIOUS, map("a", "3")), null));
    List<Map<String, Object>> updates = chunks(result(collect(vertx, () -> client.stream(
        Entrypoint.input(map("a", "1")), thread, StreamMode.UPDATES))), "updates");
    assertEquals(List.of(Map.of("stateful-update", map("previous", map("a", "3"), "current", map("a", "1")))),
        updates);
    assertEquals(List.of(map("a", "-1"), map("previous", map("a", "-1"), "current", map("a", "1")), map("a", "3")),
        states);
    List<Object> sources = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory("1", 100, null))) {
      sources.add(List.of(state.source().wireName(), state.step()));
    }
    assertEquals(List.of(List.of("loop", 7), List.of("input", 6), List.of("update", 5), List.of("loop", 4),
        List.of("input", 3), List.of("loop", 2), List.of("input", 1), List.of("update", 0)), sources);
  }

  /** Mirrors {@code test_pregel.py::test_named_tasks_functional} ("named ..." line): tasks stream under their names. */
  @Test
  void tasksStreamUnderTheirNames(Vertx vertx) {
    Task<String, String> foo = Task.of("custom_foo", (value, ctx) -> Future.succeededFuture(value + "foo"));
    Task<String, String> bar = Task.of("custom_bar", (value, ctx) -> Future.succeededFuture(value + "|bar"));
    CompiledGraph graph = Entrypoint.<String, Object>of("workflow", (input, ctx) ->
        ctx.call(foo, input).compose(r -> ctx.call(bar, r))).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    assertEquals(List.of(Map.of("custom_foo", "foo"), Map.of("custom_bar", "foo|bar"), Map.of("workflow", "foo|bar")),
        chunks(result(collect(vertx, () -> client.stream(Entrypoint.input(""), new RunOptions(),
            StreamMode.UPDATES))), "updates"));
  }
}
