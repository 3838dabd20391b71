package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TypedStateGraph;
import io.graphloop.graph.Update;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.state.Append;
import io.graphloop.state.Reduce;
import io.graphloop.state.Reducer;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Typed state over a record: channels from its components' annotations, nodes that receive the record and return
 * partial records or {@link Update}s, over the event bus and through checkpoints (memory and SQLite, JSON).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TypedStateTest {

  /** A nested record inside the state, to show records survive the wire and the checkpoint. */
  public record Source(String url, Double score) {
  }

  public record Research(String topic, @Append List<String> notes, @Reduce(Sum.class) Integer total,
                         Source best, Integer revision) {
  }

  /** Adds the writes to the total. */
  public static final class Sum implements Reducer<Integer> {
    @Override
    public Integer apply(Integer current, Integer write) {
      return current + write;
    }
  }

  private static Research update() {
    return new Research(null, null, null, null, null);
  }

  private static TypedStateGraph<Research> research(String name) {
    return StateGraph.typed(name, Research.class)
        .addNode("search", (state, ctx) -> ctx.vertx().timer(5).map(t -> new Research(null,
            List.of("web: " + state.topic()), 2, new Source("https://example.org/" + state.topic(), 0.5), null)))
        .addBlockingNode("archive", state -> new Research(null, List.of("archive: " + state.topic().toUpperCase()),
            3, null, null))
        .addNode("write", state -> Future.succeededFuture(new Research(null, null, 10, null,
            state.revision() == null ? 1 : state.revision() + 1)))
        .addEdge(START, "search").addEdge(START, "archive")
        .addEdge(List.of("search", "archive"), "write")
        .addConditionalEdges("write", state -> state.revision() < 2 ? "write" : END);
  }

  @Test
  void nodesReceiveTheRecordAndTheirPartialRecordsMeetAtTheDeclaredReducers(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, research("typed").compile())).client();
    State state = result(client.invoke(Map.of("topic", "loops")));
    Research typed = state.as(Research.class);
    assertEquals("loops", typed.topic());
    assertEquals(List.of("web: loops", "archive: LOOPS"), typed.notes(), "append channel, declaration order");
    assertEquals(2 + 3 + 10 + 10, typed.total(), "the Sum reducer folded every write");
    assertEquals(new Source("https://example.org/loops", 0.5), typed.best());
    assertEquals(2, typed.revision());
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void aTypedStateGoesThroughCheckpointsAndBackIntoTheRecord(String store, Vertx vertx, @TempDir Path dir) {
    JsonObject config = store.equals("memory") ? new JsonObject().put("type", "memory")
        : new JsonObject().put("type", "sqlite").put("dataDir", dir.toString());
    TypedStateGraph<Research> graph = research("typed-" + store).interruptBefore("write");
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(),
        new GraphRuntimeOptions().setCheckpointer(config))).client();
    RunOptions thread = new RunOptions().setThreadId("t").setDurability(Durability.SYNC);
    RunResult stopped = result(client.run(graph.input(new Research("loops", null, 1, null, null)), thread));
    assertTrue(stopped.isInterrupted());
    Research saved = graph.read(result(client.getState("t")).values());
    assertEquals(new Research("loops", List.of("web: loops", "archive: LOOPS"), 1 + 2 + 3,
        new Source("https://example.org/loops", 0.5), null), saved);
    RunResult resumed = result(client.proceed(thread));
    assertTrue(resumed.isInterrupted(), "the breakpoint holds before the second write too");
    RunResult done = result(client.proceed(thread));
    Research last = graph.read(done.values());
    assertEquals(2, last.revision());
    assertEquals(1 + 2 + 3 + 10 + 10, last.total());
  }

  @Test
  void anUpdateNodeSetsNullAndRoutes(Vertx vertx) {
    CompiledGraph graph = StateGraph.typed("typed-update", Research.class)
        .addUpdateNode("review", state -> Future.succeededFuture(Update.of(new Research(null, null, 1, null, null))
            .set(Research::topic, null).goTo(state.revision() == null ? "again" : END)),
            new NodeOptions().setDestinations(List.of("again", END)))
        .addNode("again", state -> Future.succeededFuture(new Research(null, List.of("again"), null, null, 7)))
        .addEdge(START, "review").compile();
    Research done = result(result(GraphRuntime.deploy(vertx, graph)).client()
        .invoke(Map.of("topic", "x", "revision", 1))).as(Research.class);
    assertNull(done.topic(), "set to null by the Update");
    assertEquals(1, done.total());
    assertEquals(List.of(), done.notes(), "went to END, not to 'again' (notes: the append channel's default, [] "
        + "before any write, as in LangGraph)");
  }

  @Test
  void aBadUpdateOrInputIsRefusedNamingTheComponent(Vertx vertx) {
    // Java infers T as the common supertype of Integer and String here, so this compiles; it is checked at run time
    Update<Research> wrong = Update.<Research>none().set(Research::revision, "two");
    CompiledGraph graph = StateGraph.typed("typed-bad", Research.class)
        .addUpdateNode("n", state -> Future.succeededFuture(wrong))
        .addEdge(START, "n").addEdge("n", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    Throwable bad = failure(client.invoke(Map.of("topic", "x")));
    assertTrue(bad.getMessage().contains("'revision'") && bad.getMessage().contains("Integer"), bad.getMessage());
    // an input key outside the record is dropped, as LangGraph drops keys outside its input schema: n runs
    Throwable unknown = failure(client.invoke(Map.of("topci", "x")));
    assertTrue(unknown.getMessage().contains("'revision'") && !unknown.getMessage().contains("topci"),
        unknown.getMessage());
    Throwable unreadable = failure(client.invoke(Map.of("revision", "seven")));
    assertTrue(unreadable.getMessage().contains(Research.class.getName()), unreadable.getMessage());
  }

  @Test
  void anUpdateOfAKnownRecordChecksTheValueWhenSet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Update.of(update())
        .set(Research::revision, "two"));
    assertTrue(e.getMessage().contains("'revision'"), e.getMessage());
    IllegalArgumentException lambda = assertThrows(IllegalArgumentException.class,
        () -> Update.of(update()).set((Research state) -> state.revision(), 3));
    assertTrue(lambda.getMessage().contains("method reference"), lambda.getMessage());
  }

  public record Primitive(int count) {
  }

  public record AppendToText(@Append String text) {
  }

  public record WrongReducer(@Reduce(Sum.class) String text) {
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aRecordThatCannotBeAStateIsRefusedSayingWhy() {
    assertMessage("wrapper type", () -> StateGraph.typed(Primitive.class));
    assertMessage("a List", () -> StateGraph.typed(AppendToText.class));
    assertMessage("Reducer<Integer>", () -> StateGraph.typed(WrongReducer.class));
    assertMessage("is not one", () -> StateGraph.typed("x", (Class) String.class));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
