package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TypedStateGraph;
import io.graphloop.graph.Update;
import io.graphloop.run.RunOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pydantic/dataclass state tests of {@code libs/langgraph/tests/test_pregel.py} that map onto a typed state (a
 * Java record; each method names the test it mirrors): a node's explicit null (LangGraph writes a field the returned
 * model set, None included; a partial record's null is "not written", so the null is {@link Update#set}), the same as
 * a Command's update (an {@link Update} is the typed form of a Command), and a Command whose update is the state object
 * with a goto. The expected values are what
 * src/test/resources/langgraph/pregel_typed.py printed against LangGraph 1.2.12 (pregel_typed.json), compared whole.
 * Not mapped: {@code test_pydantic_state_mutation*} (mutating the state object in place; a record is immutable).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PregelTypedStateParityTest {

  /** LangGraph's {@code foo: str | None}. */
  public record NoneState(String foo) {
  }

  /** LangGraph's {@code foo: str | None = None; bar: str | None = None}. */
  public record TwoState(String foo, String bar) {
  }

  private static JsonObject expected;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = PregelTypedStateParityTest.class.getResourceAsStream("/langgraph/pregel_typed.json")) {
      expected = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static JsonObject run(Vertx vertx, CompiledGraph graph, Map<String, Object> input) {
    return new JsonObject(result(result(GraphRuntime.deploy(vertx, graph)).client().run(input, new RunOptions()))
        .values().toJson().getMap());
  }

  /** test_pydantic_none_state_update: a node's explicit null is written. */
  @Test
  void testPydanticNoneStateUpdate(Vertx vertx) {
    CompiledGraph graph = StateGraph.typed("pts-none", NoneState.class)
        .addUpdateNode("node_a", state -> Future.succeededFuture(Update.<NoneState>none().set(NoneState::foo, null)))
        .addEdge(START, "node_a").compile();
    assertEquals(expected.getJsonObject("test_pydantic_none_state_update"), run(vertx, graph, Map.of("foo", "")));
  }

  /** test_pydantic_state_update_command: the null as a Command's update; then a partial record and a Command's. */
  @Test
  void testPydanticStateUpdateCommand(Vertx vertx) {
    JsonObject want = expected.getJsonObject("test_pydantic_state_update_command");
    CompiledGraph none = StateGraph.typed("pts-command-none", NoneState.class)
        .addUpdateNode("node_a", state -> Future.succeededFuture(Update.<NoneState>none().set(NoneState::foo, null)))
        .addEdge(START, "node_a").compile();
    TypedStateGraph<TwoState> two = StateGraph.typed("pts-command-partial", TwoState.class);
    CompiledGraph partial = two
        .addNode("node_a", state -> Future.succeededFuture(new TwoState("foo", null)))
        .addUpdateNode("node_b", state -> Future.succeededFuture(Update.of(new TwoState(null, "bar"))))
        .addEdge(START, "node_a").addEdge("node_a", "node_b").addEdge("node_b", END).compile();
    JsonObject got = new JsonObject().put("none", run(vertx, none, Map.of("foo", "")))
        .put("partial", run(vertx, partial, two.input(new TwoState(null, null))));
    assertEquals(want, got);
  }

  /** LangGraph's {@code foo: str} (its pydantic and dataclass forms are both a record here). */
  public record FooState(String foo) {
  }

  /** test_command_pydantic_dataclass: a Command whose update is the state object, going to node_b. */
  @Test
  void testCommandPydanticDataclass(Vertx vertx) {
    TypedStateGraph<FooState> builder = StateGraph.typed("pts-command-state", FooState.class);
    CompiledGraph graph = builder
        .addUpdateNode("node_a", state -> Future.succeededFuture(Update.of(new FooState("foo")).goTo("node_b")))
        .addNode("node_b", state -> Future.succeededFuture(new FooState(state.foo() + "bar")))
        .addEdge(START, "node_a").compile();
    JsonObject result = run(vertx, graph, builder.input(new FooState("")));
    JsonObject want = expected.getJsonObject("test_command_pydantic_dataclass");
    assertEquals(want.getJsonObject("PydanticState"), result);
    assertEquals(want.getJsonObject("DataclassState"), result);
  }
}
