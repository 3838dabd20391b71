package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphValidationException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TypedStateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Append;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
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
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's input keys outside the graph's input schema are dropped, as LangGraph 1.2.12 drops them: its
 * {@code __start__} writes only the input schema's keys ({@code graph/state.py}), and {@code apply_writes} skips a
 * Command update's channels the graph does not have. The expected values are the output of
 * src/test/resources/langgraph/input_schema.py run against LangGraph 1.2.12 (the state {@code a} last-value,
 * {@code log} an append channel; one node {@code n} that appends "n"); the scenarios extend the inputs of
 * {@code test_input_schema_conditional_edge} (test_state.py, its {@code something_else}) and the {@code Input}
 * schema of test_pregel.py's {@code test_in_one_fan_out_state_graph_waiting_edge_custom_state_class_pydantic_input}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class InputSchemaTest {

  /** LangGraph's {@code State}: a (last value), log (operator.add). */
  public record Doc(String a, @Append List<String> log) {
  }

  /** LangGraph's {@code Input}: a only. */
  public record DocInput(String a) {
  }

  private final List<Map<String, Object>> seen = Collections.synchronizedList(new ArrayList<>());
  private final RunOptions thread = new RunOptions().setThreadId("t");

  private StateGraph untypedStrict(String name) {
    return new StateGraph(name).channel("a", Channels.lastValue()).channel("log", Channels.append()).strictChannels()
        .addNode("n", (state, ctx) -> {
          seen.add(state.asMap());
          return Future.succeededFuture(Map.of("log", List.of("n")));
        })
        .addEdge(START, "n").addEdge("n", END);
  }

  private TypedStateGraph<Doc> typed(String name) {
    return StateGraph.typed(name, Doc.class)
        .addNode("n", doc -> {
          seen.add(Map.of("a", String.valueOf(doc.a()), "log", doc.log()));
          return Future.succeededFuture(new Doc(null, List.of("n")));
        })
        .addEdge(START, "n").addEdge("n", END);
  }

  private GraphClient deploy(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
  }

  private List<Object> seenOnce() {
    List<Object> copy = List.copyOf(seen);
    seen.clear();
    return copy;
  }

  /** Extra input keys are dropped: invoke {'a': 'x', 'zzz': 1} gives {'a': 'x', 'log': ['n']}; the input checkpoint. */
  @Test
  void extraInputKeysAreDropped(Vertx vertx) {
    for (CompiledGraph graph : List.of(untypedStrict("in-extra").compile(), typed("in-extra-typed").compile())) {
      GraphClient client = deploy(vertx, graph);
      State out = result(client.invoke(Map.of("a", "x", "zzz", 1), thread));
      assertEquals(Map.of("a", "x", "log", List.of("n")), out.asMap());
      assertEquals(List.of(Map.of("a", "x", "log", List.of())), seenOnce());
      List<List<Object>> history = new ArrayList<>();
      for (ThreadState state : result(client.getStateHistory("t", 0, null))) {
        history.add(List.of(state.source().wireName(), state.step(), state.values().asMap()));
      }
      assertEquals(List.of(List.of("loop", 1, Map.of("a", "x", "log", List.of("n"))),
          List.of("loop", 0, Map.of("a", "x", "log", List.of())),
          List.of("input", -1, Map.of("log", List.of()))), history);
    }
  }

  /** An input of unknown keys only writes nothing: no values chunk for the input, [updates n, values {log: [n]}]. */
  @Test
  void anInputOfUnknownKeysOnlyWritesNothing(Vertx vertx) {
    GraphClient client = deploy(vertx, untypedStrict("in-unknown").compile());
    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Map.of("zzz", 1), thread,
        StreamMode.VALUES, StreamMode.UPDATES)));
    List<List<Object>> chunks = new ArrayList<>();
    for (StreamEvent event : events) {
      if (!event.isTerminal()) {
        chunks.add(List.of(event.event().wireName(), event.data()));
      }
    }
    assertEquals(List.of(List.of("updates", Map.of("n", Map.of("log", List.of("n")))),
        List.of("values", Map.of("log", List.of("n")))), chunks);
    assertEquals(List.of(Map.of("log", List.of())), seenOnce());
  }

  /** input_schema=Input: {'a': 'x', 'log': ['in'], 'zzz': 1} writes a only. */
  @Test
  void anInputSchemaDropsStateKeysOutsideIt(Vertx vertx) {
    for (CompiledGraph graph : List.of(untypedStrict("in-schema").inputKeys("a").compile(),
        typed("in-schema-typed").inputType(DocInput.class).compile(),
        // a graph with no closed schema takes any key, unless it names its input keys
        new StateGraph("in-open").channel("log", Channels.append()).inputKeys("a")
            .addNode("n", (state, ctx) -> {
              seen.add(state.asMap());
              return Future.succeededFuture(Map.of("log", List.of("n")));
            }).addEdge(START, "n").addEdge("n", END).compile())) {
      GraphClient client = deploy(vertx, graph);
      State out = result(client.invoke(Map.of("a", "x", "log", List.of("in"), "zzz", 1), thread));
      assertEquals(Map.of("a", "x", "log", List.of("n")), out.asMap());
      assertEquals(List.of(Map.of("a", "x", "log", List.of())), seenOnce());
    }
  }

  /** A Command's update as input: {'a': 'y', 'zzz': 1} with goto n gives {'a': 'y', 'log': ['n', 'n']}. */
  @Test
  void aCommandUpdateSkipsKeysThatAreNoChannel(Vertx vertx) {
    GraphClient client = deploy(vertx, untypedStrict("in-command").compile());
    result(client.invoke(Map.of("a", "x"), thread));
    seen.clear();
    State out = result(client.invoke(Command.of(Map.of("a", "y", "zzz", 1), "n"), thread));
    assertEquals(Map.of("a", "y", "log", List.of("n", "n")), out.asMap());
    assertEquals(List.of(Map.of("a", "y", "log", List.of("n"))), seenOnce());
  }

  /** update_state as __start__ with input_schema=Input: {'a': 'u', 'log': ['u'], 'zzz': 1} -> {'a': 'u', 'log': []}. */
  @Test
  void anUpdateAsStartIsAnInput(Vertx vertx) {
    GraphClient client = deploy(vertx, untypedStrict("in-update").inputKeys("a").compile());
    ThreadState state = result(client.updateState("t", Map.of("a", "u", "log", List.of("u"), "zzz", 1), START));
    assertEquals(Map.of("a", "u", "log", List.of()), state.values().asMap());
    assertEquals(List.of("n"), state.next());
  }

  /** Input keys of a strict graph are declared channels; of a typed graph, state components. */
  @Test
  void inputKeysMustBeChannelsOfAStrictGraph() {
    GraphValidationException notDeclared = assertThrows(GraphValidationException.class,
        () -> untypedStrict("in-bad").inputKeys("a", "b").compile());
    assertTrue(notDeclared.getMessage().contains("'b'") && notDeclared.getMessage().contains("[a, log]"),
        notDeclared.getMessage());
    IllegalArgumentException notComponent = assertThrows(IllegalArgumentException.class,
        () -> typed("in-bad-typed").inputType(Other.class));
    assertTrue(notComponent.getMessage().contains("'zzz'") && notComponent.getMessage().contains("Doc"),
        notComponent.getMessage());
  }

  /** Not an input schema of {@link Doc}: zzz is no component of it. */
  public record Other(String zzz) {
  }
}
