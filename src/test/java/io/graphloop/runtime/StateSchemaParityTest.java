package io.graphloop.runtime;

import io.graphloop.agents.Message;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TypedStateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Append;
import io.graphloop.state.Channels;
import io.graphloop.state.Reduce;
import io.graphloop.state.Reducer;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Typed state and input as LangGraph 1.2.12 reads them (issue 10, class 7), for scenarios of test_pregel.py not
 * covered by {@code TypedStateTest}/{@code InputSchemaTest}: a typed state whose reducer channels start at their
 * type's empty value ({@code test_empty_invoke}; LangGraph's {@code BinaryOperatorAggregate} starts as {@code typ()}),
 * and a run's input going through the channel's reducer before the first node ({@code test_reducer_before_first_node}).
 * Every expected value is the output of src/test/resources/langgraph/state_schema_parity.py run against LangGraph
 * 1.2.12 (its printed label is named).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class StateSchemaParityTest {

  /** LangGraph's {@code reducer_merge_dicts}. */
  public static final class Merge implements Reducer<Map<String, Object>> {
    @Override
    public Map<String, Object> apply(Map<String, Object> current, Map<String, Object> write) {
      Map<String, Object> merged = new HashMap<>(current);
      merged.putAll(write);
      return merged;
    }
  }

  /** {@code test_empty_invoke}'s {@code SimpleGraphState}. */
  public record Simple(@Append List<String> x1, @Reduce(Merge.class) Map<String, Object> x2) {
  }

  /** Mirrors {@code test_pregel.py::test_empty_invoke} ("empty_invoke ..." lines). */
  @Test
  void reducerChannelsOfATypedStateStartAtTheirTypesEmptyValue(Vertx vertx) {
    List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    TypedStateGraph<Simple> typed = StateGraph.typed("empty-invoke", Simple.class);
    String[][] nodes = {{"x1_1", "x1", "111"}, {"x1_2", "x1", "222"}, {"x2_1", "x2", "111"}, {"x2_2", "x2", "222"}};
    for (String[] node : nodes) {
      typed.addNode(node[0], state -> {
        seen.add(List.of(node[0], state.x1(), state.x2()));
        return Future.succeededFuture(node[1].equals("x1") ? new Simple(List.of(node[2]), null)
            : new Simple(null, Map.of(node[2], Integer.parseInt(node[2]))));
      });
    }
    typed.addEdge(START, "x1_1").addEdge("x1_1", "x1_2").addEdge("x1_2", "x2_1").addEdge("x2_1", "x2_2")
        .addEdge("x2_2", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, typed.compile(), ThreadStateTest.MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("e");

    List<Object> values = new ArrayList<>();
    for (StreamEvent event : result(collect(vertx, () -> client.stream(typed.input(new Simple(null, null)), thread,
        StreamMode.VALUES)))) {
      if (!event.isTerminal()) {
        values.add(event.data());
      }
    }
    List<String> both = List.of("111", "222");
    assertEquals(List.of(Map.of("x1", List.of("111"), "x2", Map.of()), Map.of("x1", both, "x2", Map.of()),
        Map.of("x1", both, "x2", Map.of("111", 111)), Map.of("x1", both, "x2", Map.of("111", 111, "222", 222))),
        values);
    assertEquals(List.of(List.of("x1_1", List.of(), Map.of()), List.of("x1_2", List.of("111"), Map.of()),
        List.of("x2_1", both, Map.of()), List.of("x2_2", both, Map.of("111", 111))), seen);
    List<Object> history = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory("e", 100, null))) {
      history.add(List.of(state.step(), state.values().asMap()));
    }
    assertEquals(List.of(List.of(4, Map.of("x1", both, "x2", Map.of("111", 111, "222", 222))),
        List.of(3, Map.of("x1", both, "x2", Map.of("111", 111))), List.of(2, Map.of("x1", both, "x2", Map.of())),
        List.of(1, Map.of("x1", List.of("111"), "x2", Map.of())), List.of(0, Map.of("x1", List.of(), "x2", Map.of())),
        List.of(-1, Map.of("x1", List.of(), "x2", Map.of()))), history);
  }

  /** Adds integers. */
  public static final class Sum implements Reducer<Integer> {
    @Override
    public Integer apply(Integer current, Integer write) {
      return current + write;
    }
  }

  /** Concatenates strings. */
  public static final class Concat implements Reducer<String> {
    @Override
    public String apply(String current, String write) {
      return current + write;
    }
  }

  /** Adds doubles. */
  public static final class DoubleSum implements Reducer<Double> {
    @Override
    public Double apply(Double current, Double write) {
      return current + write;
    }
  }

  /** Logical or. */
  public static final class Or implements Reducer<Boolean> {
    @Override
    public Boolean apply(Boolean current, Boolean write) {
      return current || write;
    }
  }

  /** A record component of each kind LangGraph gives an empty start value, and a last-value one. */
  public record Kinds(@Reduce(Sum.class) Integer n, @Reduce(Concat.class) String s, @Reduce(DoubleSum.class) Double f,
                      @Reduce(Or.class) Boolean b, @Append List<Object> l, @Reduce(Merge.class) Map<String, Object> d,
                      String plain) {
  }

  /** "kinds ..." lines: each reducer channel's start value is its type's empty value; a last-value one has none. */
  @Test
  void eachReducerTypeStartsAtItsEmptyValue(Vertx vertx) {
    List<Kinds> seen = Collections.synchronizedList(new ArrayList<>());
    TypedStateGraph<Kinds> typed = StateGraph.typed("reducer-kinds", Kinds.class)
        .addNode("first", state -> {
          seen.add(state);
          return Future.succeededFuture(new Kinds(2, "x", 0.5, true, null, null, null));
        })
        .addEdge(START, "first");
    GraphClient client = result(GraphRuntime.deploy(vertx, typed.compile(), ThreadStateTest.MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("k");

    State out = result(client.invoke(typed.input(new Kinds(null, null, null, null, null, null, "p")), thread));
    assertEquals(new Kinds(2, "x", 0.5, true, List.of(), Map.of(), "p"), typed.read(out));
    assertEquals(List.of(new Kinds(0, "", 0.0, false, List.of(), Map.of(), "p")), seen);
    List<ThreadState> history = result(client.getStateHistory("k", 100, null));
    ThreadState input = history.get(history.size() - 1);
    assertEquals(-1, input.step());
    assertEquals(new Kinds(0, "", 0.0, false, List.of(), Map.of(), null), typed.read(input.values()));
  }

  /** Mirrors {@code test_pregel.py::test_reducer_before_first_node} ("reducer_before_first_node ..." lines). */
  @Test
  void theInputGoesThroughTheChannelsReducerBeforeTheFirstNode(Vertx vertx) {
    List<Object> saw = Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = new StateGraph("reducer-before-first-node").channel("messages", Channels.messages())
        .addNode("a", state -> {
          saw.add(List.of(state.get("hello"), kinds(state.getList("messages"))));
          return Future.succeededFuture(Map.of());
        })
        .setEntryPoint("a").setFinishPoint("a").compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph)).client();

    State out = result(client.invoke(Map.of("hello", "there", "messages", "hello")));
    assertEquals(List.of(List.of("there", List.of(List.of("human", "hello")))), saw);
    assertEquals("there", out.get("hello"));
    assertEquals(List.of(List.of("human", "hello")), kinds(out.getList("messages")));
  }

  /** (type, content) of each message, as the script prints them. */
  private static List<Object> kinds(List<Object> messages) {
    List<Object> out = new ArrayList<>();
    for (Object message : messages) {
      Message read = Message.from(message);
      out.add(List.of(read.type(), read.content()));
    }
    return out;
  }
}
