package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphValidationException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.GraphSchemas;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Append;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.chunks;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangGraph's output schema ({@code StateGraph(State, output_schema=Output)}) as {@link StateGraph#outputKeys} and
 * {@code TypedStateGraph.outputType}: a run's result has only the output keys, while the thread's state and the
 * {@code values}/{@code updates} streams keep every channel; a subgraph with an output schema writes only its output
 * keys to the parent; an interrupted and a resumed run's result; the output JSON schema. The expected values are what
 * src/test/resources/langgraph/output_schema.py printed against LangGraph 1.2.12 (output_schema.json).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OutputSchemaParityTest {

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/output_schema.json");

  /** LangGraph's {@code State}: {@code a: str; b: Annotated[list, operator.add]; c: str}. */
  private static StateGraph state(String name) {
    return new StateGraph(name).strictChannels().channel("a", Channels.lastValue()).channel("b", Channels.append())
        .channel("c", Channels.lastValue());
  }

  /** output_schema.py's first graph: input schema {@code a}, output schema {@code b}, then n1 and n2. */
  @Test
  void testOutputSchemaInvoke(Vertx vertx) {
    CompiledGraph graph = state("os-invoke").inputKeys("a").outputKeys("b")
        .addNode("n1", s -> Future.succeededFuture(map("b", List.of("x"), "c", "c1")))
        .addNode("n2", s -> Future.succeededFuture(map("c", "c2")))
        .addEdge(START, "n1").addEdge("n1", "n2").compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions one = new RunOptions().setThreadId("1");
    RunResult run = result(client.run(map("a", "in", "c", "dropped"), one));
    EXPECTED.check("test_output_schema_invoke", map(
        "invoke", run.values().asMap(),
        "state", result(client.getState("1")).values().asMap(),
        "values", chunks(vertx, client, map("a", "in"), new RunOptions().setThreadId("2"), StreamMode.VALUES),
        "updates", chunks(vertx, client, map("a", "in"), new RunOptions().setThreadId("3"), StreamMode.UPDATES),
        "output_schema", typedOutputSchema()));
  }

  /** A subgraph with an output schema writes only its output keys to the parent. */
  @Test
  void testOutputSchemaSubgraph(Vertx vertx) {
    CompiledGraph child = state("os-child").outputKeys("b")
        .addNode("inner", s -> Future.succeededFuture(map("a", "child-a", "b", List.of("x"), "c", "child-c")))
        .addEdge(START, "inner").compile();
    CompiledGraph parent = state("os-parent").addSubgraph("child", child).addEdge(START, "child").compile();
    GraphClient client = deploy(vertx, parent);
    EXPECTED.check("test_output_schema_subgraph", map(
        "invoke", result(client.run(map("a", "in", "c", "pc"), new RunOptions())).values().asMap(),
        "updates", chunks(vertx, client, map("a", "in", "c", "pc"), new RunOptions(), StreamMode.UPDATES)));
  }

  /** An interrupted run's result is its output keys (LangGraph adds {@code __interrupt__}); so is a resumed one's. */
  @Test
  void testOutputSchemaInterrupt(Vertx vertx) {
    CompiledGraph graph = state("os-interrupt").outputKeys("b")
        .addNode("n1", s -> Future.succeededFuture(map("c", "c1")))
        .addNode("ask", (s, ctx) -> Future.succeededFuture(map("b", List.of(ctx.interrupt("q")))))
        .addEdge(START, "n1").addEdge("n1", "ask").compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("t");
    RunResult first = result(client.run(map("a", "x"), thread));
    assertTrue(first.isInterrupted());
    List<Object> asked = new ArrayList<>();
    first.interrupts().forEach(interrupt -> asked.add(interrupt.get("value")));
    EXPECTED.check("test_output_schema_interrupt", map(
        "interrupted", first.values().asMap(),
        "asked", asked,
        "resumed", result(client.run(Command.resume("ans"), thread)).values().asMap(),
        "state", result(client.getState("t")).values().asMap()));
  }

  /** An output key that is no channel of a strict graph is refused at compile time, naming the channels. */
  @Test
  void anOutputKeyOutsideAStrictGraphsChannelsIsRefused() {
    GraphValidationException refused = assertThrows(GraphValidationException.class, () -> state("os-bad")
        .outputKeys("b", "nope").addNode("n", s -> Future.succeededFuture(null)).addEdge(START, "n").compile());
    assertTrue(refused.getMessage().contains("Output key 'nope' is not a declared channel of strict graph 'os-bad'"),
        refused.getMessage());
  }

  /** LangGraph's TypedDicts as records (the schema's title is the output type's name). */
  public record State(String a, @Append List<Object> b, String c) {
  }

  /** The input schema. */
  public record Input(String a) {
  }

  /** The output schema. */
  public record Output(List<Object> b) {
  }

  private static JsonObject typedOutputSchema() {
    CompiledGraph typed = StateGraph.typed("os-typed", State.class).inputType(Input.class).outputType(Output.class)
        .addNode("n1", s -> Future.succeededFuture(new State(null, List.of("x"), "c1")))
        .addEdge(START, "n1").compile();
    assertEquals(List.of("b"), List.copyOf(typed.outputKeys()));
    return GraphSchemas.output(typed);
  }

  /** The result of a typed graph with an output type is its output record's components. */
  @Test
  void aTypedGraphsResultIsItsOutputTypesComponents(Vertx vertx) {
    CompiledGraph typed = StateGraph.typed("os-typed-run", State.class).inputType(Input.class)
        .outputType(Output.class)
        .addNode("n1", s -> Future.succeededFuture(new State(null, List.of("x"), "c1")))
        .addEdge(START, "n1").compile();
    GraphClient client = deploy(vertx, typed);
    Map<String, Object> values = result(client.run(map("a", "in"), new RunOptions())).values().asMap();
    assertEquals(map("b", List.of("x")), values);
  }
}
