package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.GraphSchemas;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TypedStateGraph;
import io.graphloop.graph.Update;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.state.Append;
import io.graphloop.state.Reduce;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Typed state over a JavaBean, with the same semantics as over a record ({@link TypedStateTest}, mirrored test by
 * test): channels from its properties' annotations (on the field, getter or setter), nodes that receive the bean and
 * return partial beans (their non-null properties) or {@link Update}s naming properties by getter, over the event bus
 * and through checkpoints (memory and SQLite, JSON), reducer channels starting at their type's empty value, the JSON
 * Schemas of {@code /assistants/{id}/schemas}, and beans that cannot be a state refused saying why. A bean with public
 * fields works the same way.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TypedBeanStateTest {

  /** The state bean: getters and setters; annotations on a field and on a getter. */
  public static final class Research {
    private String topic;
    @Append
    private List<String> notes;
    private Integer total;
    private TypedStateTest.Source best;
    private Integer revision;

    public Research() {
    }

    static Research of(String topic, List<String> notes, Integer total, TypedStateTest.Source best, Integer revision) {
      Research r = new Research();
      r.topic = topic;
      r.notes = notes;
      r.total = total;
      r.best = best;
      r.revision = revision;
      return r;
    }

    public String getTopic() {
      return topic;
    }

    public void setTopic(String topic) {
      this.topic = topic;
    }

    public List<String> getNotes() {
      return notes;
    }

    public void setNotes(List<String> notes) {
      this.notes = notes;
    }

    @Reduce(TypedStateTest.Sum.class)
    public Integer getTotal() {
      return total;
    }

    public void setTotal(Integer total) {
      this.total = total;
    }

    public TypedStateTest.Source getBest() {
      return best;
    }

    public void setBest(TypedStateTest.Source best) {
      this.best = best;
    }

    public Integer getRevision() {
      return revision;
    }

    public void setRevision(Integer revision) {
      this.revision = revision;
    }

    /** Its properties in declaration order, for assertions. */
    List<Object> values() {
      return java.util.Arrays.asList(topic, notes, total, best, revision);
    }
  }

  private static TypedStateGraph<Research> research(String name) {
    return StateGraph.typed(name, Research.class)
        .addNode("search", (state, ctx) -> ctx.vertx().timer(5).map(t -> Research.of(null,
            List.of("web: " + state.getTopic()), 2, new TypedStateTest.Source("https://example.org/"
                + state.getTopic(), 0.5), null)))
        .addBlockingNode("archive", state -> Research.of(null, List.of("archive: " + state.getTopic().toUpperCase()),
            3, null, null))
        .addNode("write", state -> Future.succeededFuture(Research.of(null, null, 10, null,
            state.getRevision() == null ? 1 : state.getRevision() + 1)))
        .addEdge(START, "search").addEdge(START, "archive")
        .addEdge(List.of("search", "archive"), "write")
        .addConditionalEdges("write", state -> state.getRevision() < 2 ? "write" : END);
  }

  @Test
  void nodesReceiveTheBeanAndTheirPartialBeansMeetAtTheDeclaredReducers(Vertx vertx) {
    CompiledGraph compiled = research("typed-bean").compile();
    assertEquals(List.of("topic", "notes", "total", "best", "revision"), List.copyOf(compiled.channels().keySet()),
        "the channels in the bean's declaration order");
    GraphClient client = result(GraphRuntime.deploy(vertx, compiled)).client();
    State state = result(client.invoke(Map.of("topic", "loops")));
    Research typed = state.as(Research.class);
    assertEquals("loops", typed.getTopic());
    assertEquals(List.of("web: loops", "archive: LOOPS"), typed.getNotes(), "append channel, declaration order");
    assertEquals(2 + 3 + 10 + 10, typed.getTotal(), "the Sum reducer (annotated on the getter) folded every write");
    assertEquals(new TypedStateTest.Source("https://example.org/loops", 0.5), typed.getBest());
    assertEquals(2, typed.getRevision());
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void aBeanStateGoesThroughCheckpointsAndBackIntoTheBean(String store, Vertx vertx, @TempDir Path dir) {
    JsonObject config = store.equals("memory") ? new JsonObject().put("type", "memory")
        : new JsonObject().put("type", "sqlite").put("dataDir", dir.toString());
    TypedStateGraph<Research> graph = research("typed-bean-" + store).interruptBefore("write");
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(),
        new GraphRuntimeOptions().setCheckpointer(config))).client();
    RunOptions thread = new RunOptions().setThreadId("t").setDurability(Durability.SYNC);
    RunResult stopped = result(client.run(graph.input(Research.of("loops", null, 1, null, null)), thread));
    assertTrue(stopped.isInterrupted());
    Research saved = graph.read(result(client.getState("t")).values());
    assertEquals(List.of("loops", List.of("web: loops", "archive: LOOPS"), 1 + 2 + 3,
        new TypedStateTest.Source("https://example.org/loops", 0.5)), saved.values().subList(0, 4));
    assertNull(saved.getRevision());
    assertTrue(result(client.proceed(thread)).isInterrupted(), "the breakpoint holds before the second write too");
    Research last = graph.read(result(client.proceed(thread)).values());
    assertEquals(2, last.getRevision());
    assertEquals(1 + 2 + 3 + 10 + 10, last.getTotal());
  }

  @Test
  void anUpdateNodeSetsNullAndRoutesNamingPropertiesByGetter(Vertx vertx) {
    CompiledGraph graph = StateGraph.typed("typed-bean-update", Research.class)
        .addUpdateNode("review", state -> Future.succeededFuture(Update.of(Research.of(null, null, 1, null, null))
            .set(Research::getTopic, null).goTo(state.getRevision() == null ? "again" : END)),
            new NodeOptions().setDestinations(List.of("again", END)))
        .addNode("again", state -> Future.succeededFuture(Research.of(null, List.of("again"), null, null, 7)))
        .addEdge(START, "review").compile();
    Research done = result(result(GraphRuntime.deploy(vertx, graph)).client()
        .invoke(Map.of("topic", "x", "revision", 1))).as(Research.class);
    assertNull(done.getTopic(), "set to null by the Update");
    assertEquals(1, done.getTotal());
    assertEquals(List.of(), done.getNotes(), "went to END, not to 'again' (notes: the append channel's default)");

    CompiledGraph unknownType = StateGraph.typed("typed-bean-none", Research.class)
        .addUpdateNode("n", state -> Future.succeededFuture(Update.<Research>none().set(Research::getRevision, 5)))
        .addEdge(START, "n").addEdge("n", END).compile();
    assertEquals(5, result(result(GraphRuntime.deploy(vertx, unknownType)).client().invoke(Map.of("topic", "x")))
        .as(Research.class).getRevision(), "a getter's name is read as its property's when the node returns");
  }

  @Test
  void aBadUpdateOrInputIsRefusedNamingTheProperty(Vertx vertx) {
    Update<Research> wrong = Update.<Research>none().set(Research::getRevision, "two");
    CompiledGraph graph = StateGraph.typed("typed-bean-bad", Research.class)
        .addUpdateNode("n", state -> Future.succeededFuture(wrong))
        .addEdge(START, "n").addEdge("n", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();
    Throwable bad = failure(client.invoke(Map.of("topic", "x")));
    assertTrue(bad.getMessage().contains("'revision'") && bad.getMessage().contains("Integer"), bad.getMessage());
    Throwable unreadable = failure(client.invoke(Map.of("revision", "seven")));
    assertTrue(unreadable.getMessage().contains(Research.class.getName()), unreadable.getMessage());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Update.of(new Research())
        .set(Research::getRevision, "two"));
    assertTrue(e.getMessage().contains("'revision'"), e.getMessage());
  }

  /** Reducer kinds on a bean with public fields: each starts at its type's empty value, as on a record. */
  public static final class Kinds {
    @Reduce(io.graphloop.runtime.StateSchemaParityTest.Sum.class)
    public Integer n;
    @Reduce(io.graphloop.runtime.StateSchemaParityTest.Concat.class)
    public String s;
    @Append
    public List<Object> l;
    @Reduce(io.graphloop.runtime.StateSchemaParityTest.Merge.class)
    public Map<String, Object> d;
    public String plain;
  }

  @Test
  void aBeanWithPublicFieldsStartsReducersAtTheirEmptyValues(Vertx vertx) {
    List<List<Object>> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    TypedStateGraph<Kinds> typed = StateGraph.typed("bean-kinds", Kinds.class)
        .addNode("first", state -> {
          seen.add(java.util.Arrays.asList(state.n, state.s, state.l, state.d, state.plain));
          Kinds write = new Kinds();
          write.n = 2;
          write.s = "x";
          return Future.succeededFuture(write);
        })
        .addEdge(START, "first");
    GraphClient client = result(GraphRuntime.deploy(vertx, typed.compile(), ThreadStateTest.MEMORY)).client();
    Kinds input = new Kinds();
    input.plain = "p";
    assertEquals(Map.of("plain", "p"), typed.input(input), "a partial bean's input: its non-null properties");
    State out = result(client.invoke(typed.input(input), new RunOptions().setThreadId("k")));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("n", 2);
    expected.put("s", "x");
    expected.put("l", List.of());
    expected.put("d", Map.of());
    expected.put("plain", "p");
    assertEquals(expected, out.asMap());
    assertEquals(List.of(java.util.Arrays.asList(0, "", List.of(), Map.of(), "p")), seen);
  }

  /** The state schema of {@code /assistants/{id}/schemas} lists a bean's properties as a record's components. */
  @Test
  void aBeanStateHasTheSchemaOfTheSameRecord() {
    JsonObject bean = GraphSchemas.state(research("schema-bean").compile());
    JsonObject record = GraphSchemas.state(StateGraph.typed("schema-record", TypedStateTest.Research.class)
        .addNode("n", state -> Future.succeededFuture(state)).addEdge(START, "n").addEdge("n", END).compile());
    assertEquals(record.getJsonObject("properties").fieldNames(), bean.getJsonObject("properties").fieldNames());
    for (String name : List.of("topic", "notes", "total", "best", "revision")) {
      assertEquals(record.getJsonObject("properties").getValue(name), bean.getJsonObject("properties").getValue(name),
          name);
    }
    assertEquals("Research", bean.getString("title"));
  }

  public static final class Primitive {
    private int count;

    public int getCount() {
      return count;
    }

    public void setCount(int count) {
      this.count = count;
    }
  }

  public static final class ReadOnly {
    public String getName() {
      return "fixed";
    }
  }

  public static final class AppendToText {
    @Append
    public String text;
  }

  public static final class NoDefaultConstructor {
    public String text;

    public NoDefaultConstructor(String text) {
      this.text = text;
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aBeanThatCannotBeAStateIsRefusedSayingWhy() {
    assertMessage("wrapper type", () -> StateGraph.typed(Primitive.class));
    assertMessage("can be read but not written", () -> StateGraph.typed(ReadOnly.class));
    assertMessage("a List", () -> StateGraph.typed(AppendToText.class));
    assertMessage("public no-argument constructor", () -> StateGraph.typed(NoDefaultConstructor.class));
    assertMessage("is not one", () -> StateGraph.typed("x", (Class) String.class));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
