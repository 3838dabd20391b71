package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.GraphSchemas;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TypedStateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Append;
import io.graphloop.state.Default;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Typed state field defaults on last-value keys as LangGraph 1.2.12 shows them (issue 10): a pydantic model or a
 * dataclass with {@code x: int = 0}, {@code s: str = "a"}, a list with a default factory, {@code Optional = None}, and
 * an {@code operator.add} list whose factory gives {@code ["n0"]}; in Java a record with {@link Default} and a bean
 * with field initializers. LangGraph's nodes and routers read a default while its channel is unset; the stored state,
 * the {@code values} stream, the result and the history do not show it (it is not a write); the input schema lists it
 * as {@code "default"}; a reducer channel starts from its type's empty value, never from the field's default; an
 * explicit write of the default's value or of None is stored. A TypedDict (a record without defaults) reads unset
 * channels as absent (null). Every expected value is the output of src/test/resources/langgraph/typed_defaults.py run
 * against LangGraph 1.2.12 (its printed label is named).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TypedDefaultsParityTest {

  /** The dataclass {@code D}. */
  public record Rec(@Default("null") String req, @Default("0") Integer x, @Default("\"a\"") String s,
                    @Default("[]") List<String> items, @Default("null") String o,
                    @Append @Default("[\"n0\"]") List<String> notes) {
  }

  /** The TypedDict {@code T}: no defaults. */
  public record Plain(String req, Integer x, String s, List<String> items, String o, @Append List<String> notes) {
  }

  /** The pydantic model {@code P} as a bean: its defaults are field initializers. */
  public static final class Bean {
    public String req;
    public Integer x = 0;
    public String s = "a";
    public List<String> items = new ArrayList<>();
    public String o;
    @Append
    public List<String> notes = new ArrayList<>(List.of("n0"));
  }

  private static Map<String, Object> view(Object req, Object x, Object s, Object items, Object o, Object notes) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("req", req);
    view.put("x", x);
    view.put("s", s);
    view.put("items", items);
    view.put("o", o);
    view.put("notes", notes);
    return view;
  }

  /** {@code a} writes x = 5, the router sends to {@code b}, which writes s = "b"; a breakpoint before {@code b}. */
  private static <S> TypedStateGraph<S> graph(String name, Class<S> type, Function<S, Map<String, Object>> view,
                                              Function<Map<String, Object>, S> partial, List<Object> seen) {
    return StateGraph.typed(name, type)
        .addNode("a", state -> {
          seen.add(List.of("a", view.apply(state)));
          return Future.succeededFuture(partial.apply(Map.of("x", 5)));
        })
        .addNode("b", state -> {
          seen.add(List.of("b", view.apply(state)));
          return Future.succeededFuture(partial.apply(Map.of("s", "b")));
        })
        .addEdge(START, "a")
        .addConditionalEdges("a", state -> {
          seen.add(List.of("route", view.apply(state)));
          return "b";
        }, List.of("b"))
        .addEdge("b", END)
        .interruptBefore("b");
  }

  private static <S> Map<String, Object> run(Vertx vertx, TypedStateGraph<S> graph, List<Object> seen) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), ThreadStateTest.MEMORY)).client();
    Map<String, Object> out = new HashMap<>();
    RunOptions thread = new RunOptions().setThreadId("1");
    List<Object> values = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(Map.of("req", "r"), thread,
        StreamMode.VALUES)))) {
      if (!event.isTerminal()) {
        values.add(event.data());
      }
    }
    out.put("values", values);
    out.put("state", result(client.getState("1")).values().asMap());
    out.put("result", result(client.proceed(thread)).values().asMap());
    List<Object> history = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory("1", 100, null))) {
      history.add(List.of(state.step(), state.values().asMap()));
    }
    out.put("history", history);
    out.put("seen", List.copyOf(seen));
    Map<String, Object> explicit = new HashMap<>();
    explicit.put("x", 0);
    explicit.put("o", null);
    explicit.put("s", "a");
    out.put("explicit", result(client.run(explicit, new RunOptions().setThreadId("2"))).values().asMap());
    out.put("schema", GraphSchemas.input(graph.compile()));
    return out;
  }

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** The lines every schema prints alike: "values", "state", "result", "history", "explicit". */
  private static void assertStoredStateHasNoDefaults(Map<String, Object> out) {
    assertEquals(List.of(map("req", "r", "notes", List.of()), map("req", "r", "x", 5, "notes", List.of())),
        out.get("values"), "values");
    assertEquals(map("notes", List.of(), "req", "r", "x", 5), out.get("state"), "state");
    assertEquals(map("notes", List.of(), "req", "r", "s", "b", "x", 5), out.get("result"), "result");
    assertEquals(List.of(List.of(2, map("notes", List.of(), "req", "r", "s", "b", "x", 5)),
        List.of(1, map("notes", List.of(), "req", "r", "x", 5)), List.of(0, map("notes", List.of(), "req", "r")),
        List.of(-1, map("notes", List.of()))), out.get("history"), "history");
    assertEquals(map("notes", List.of(), "o", null, "s", "a", "x", 5), out.get("explicit"), "explicit");
  }

  private static Map<String, Object> schemaDefaults(Object schema) {
    Map<String, Object> defaults = new HashMap<>();
    JsonObject properties = ((JsonObject) schema).getJsonObject("properties");
    for (String key : properties.fieldNames()) {
      if (properties.getJsonObject(key).containsKey("default")) {
        Object value = properties.getJsonObject(key).getValue("default");
        defaults.put(key, value instanceof io.vertx.core.json.JsonArray array ? array.getList() : value);
      }
    }
    return defaults;
  }

  /** Mirrors the "dataclass ..." lines (the "pydantic ..." lines differ only in the schema's factory defaults). */
  @Test
  void aRecordsDefaultsAreReadByNodesAndRoutersButNeverStored(Vertx vertx) {
    List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    Map<String, Object> out = run(vertx, graph("typed-defaults-record", Rec.class,
        r -> view(r.req(), r.x(), r.s(), r.items(), r.o(), r.notes()),
        update -> new Rec(null, (Integer) update.get("x"), (String) update.get("s"), null, null, null), seen), seen);
    assertStoredStateHasNoDefaults(out);
    List<String> none = List.of();
    assertEquals(List.of(List.of("a", view("r", 0, "a", none, null, none)),
        List.of("route", view("r", 5, "a", none, null, none)), List.of("b", view("r", 5, "a", none, null, none))),
        out.get("seen"), "seen: the notes reducer starts at [], not at its default [\"n0\"]");
    assertEquals(map("items", List.of(), "notes", List.of("n0"), "o", null, "req", null, "s", "a", "x", 0),
        new HashMap<>(schemaDefaults(out.get("schema"))), "dataclass input schema defaults");
  }

  /** Mirrors the "pydantic ..." lines with a bean whose defaults are its field initializers. */
  @Test
  void aBeansFieldInitializersAreItsDefaultsAndAPartialBeanDoesNotWriteThem(Vertx vertx) {
    List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    Map<String, Object> out = run(vertx, graph("typed-defaults-bean", Bean.class,
        b -> view(b.req, b.x, b.s, b.items, b.o, b.notes),
        update -> {
          Bean partial = new Bean();                 // x = 0, s = "a", items = [], notes = ["n0"]: not written
          partial.x = (Integer) update.getOrDefault("x", partial.x);
          partial.s = (String) update.getOrDefault("s", partial.s);
          return partial;
        }, seen), seen);
    assertStoredStateHasNoDefaults(out);
    List<String> none = List.of();
    assertEquals(List.of(List.of("a", view("r", 0, "a", none, null, none)),
        List.of("route", view("r", 5, "a", none, null, none)), List.of("b", view("r", 5, "a", none, null, none))),
        out.get("seen"), "seen");
    assertEquals(map("items", List.of(), "notes", List.of("n0"), "s", "a", "x", 0),
        schemaDefaults(out.get("schema")), "input schema defaults (no null initializer to show)");
  }

  /** Mirrors the "typeddict ..." lines: no defaults, an unset channel reads as null. */
  @Test
  void aRecordWithoutDefaultsReadsUnsetChannelsAsNull(Vertx vertx) {
    List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    Map<String, Object> out = run(vertx, graph("typed-defaults-plain", Plain.class,
        p -> view(p.req(), p.x(), p.s(), p.items(), p.o(), p.notes()),
        update -> new Plain(null, (Integer) update.get("x"), (String) update.get("s"), null, null, null), seen), seen);
    assertStoredStateHasNoDefaults(out);
    List<String> none = List.of();
    assertEquals(List.of(List.of("a", view("r", null, null, null, null, none)),
        List.of("route", view("r", 5, null, null, null, none)), List.of("b", view("r", 5, null, null, null, none))),
        out.get("seen"), "seen");
    assertEquals(Map.of(), schemaDefaults(out.get("schema")), "typeddict input schema defaults");
  }

  /** The README's example. */
  public record Counter(String label, @Default("0") Integer count, @Default("[\"a\"]") List<String> tags) {
  }

  @Test
  void theReadmeCounterStartsFromItsDefault(Vertx vertx) {
    List<Object> tags = Collections.synchronizedList(new ArrayList<>());
    TypedStateGraph<Counter> counter = StateGraph.typed("counter", Counter.class)
        .addNode("inc", state -> {
          tags.add(state.tags());
          return Future.succeededFuture(new Counter(null, state.count() + 1, null));
        })
        .addEdge(START, "inc").addEdge("inc", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, counter.compile())).client();
    assertEquals(map("label", "x", "count", 1), result(client.invoke(Map.of("label", "x"))).asMap());
    assertEquals(List.of(List.of("a")), tags);
  }

  /** Bad defaults are refused when the graph is made, naming the component and why. */
  public record NotJson(@Default("a") String s) {
  }

  /** A default that is not the component's type. */
  public record WrongType(@Default("\"many\"") Integer count) {
  }

  /** A bean whose annotation and initializer disagree. */
  public static final class Both {
    @Default("1")
    public Integer count = 2;
  }

  @Test
  void aDefaultThatIsNotJsonOrNotOfItsTypeIsRefused() {
    for (Class<?> type : Arrays.asList(NotJson.class, WrongType.class, Both.class)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateGraph.typed("bad", type));
      assertTrue(e.getMessage().contains(type.getSimpleName()) && e.getMessage().contains("@Default("),
          e.getMessage());
    }
    String message = assertThrows(IllegalArgumentException.class, () -> StateGraph.typed("bad", NotJson.class))
        .getMessage();
    assertTrue(message.contains("Component 's' of NotJson: @Default(\"a\") is not JSON text"), message);
    message = assertThrows(IllegalArgumentException.class, () -> StateGraph.typed("bad", WrongType.class))
        .getMessage();
    assertTrue(message.contains("Component 'count' of WrongType: @Default(\"\\\"many\\\"\") is not a java.lang.Integer"),
        message);
    message = assertThrows(IllegalArgumentException.class, () -> StateGraph.typed("bad", Both.class)).getMessage();
    assertTrue(message.contains("Property 'count' of Both: @Default(\"1\") disagrees with its field initializer (2)"),
        message);
  }
}
