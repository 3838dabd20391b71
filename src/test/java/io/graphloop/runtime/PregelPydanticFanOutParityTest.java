package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TypedStateGraph;
import io.graphloop.run.CheckpointConfig;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Reduce;
import io.graphloop.state.Reducer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.Parity.chunks;
import static io.graphloop.runtime.Parity.deploy;
import static io.graphloop.runtime.Parity.later;
import static io.graphloop.runtime.Parity.map;
import static io.graphloop.runtime.Parity.resumed;
import static io.graphloop.runtime.Parity.withoutIds;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code test_in_one_fan_out_state_graph_waiting_edge_custom_state_class_pydantic2} of LangGraph's
 * {@code test_pregel.py}: a typed state with a nested object ({@code inner}), a custom sorted reducer ({@code docs}),
 * partial-state updates, an input and an output schema; its invalid input refused, its result (the output schema's
 * keys), its {@code updates} stream, the same stopped after {@code retriever_one} and resumed, and an
 * {@code update_state} as {@code rewrite_query}. Pydantic models are records here. The expected values are what
 * src/test/resources/langgraph/pregel_pydantic_fanout.py printed against LangGraph 1.2.12
 * (pregel_pydantic_fanout.json). Not compared: the Mermaid drawing and JSON schemas the test snapshots
 * ({@code MermaidTest}, {@code GraphSchemasTest} cover those).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PregelPydanticFanOutParityTest {

  private static final ParityExpectations EXPECTED = ParityExpectations.load("/langgraph/pregel_pydantic_fanout.json");
  private static final String QUERY = "what is weather in sf";

  /** LangGraph's {@code InnerObject(BaseModel)}. */
  public record InnerObject(Integer yo) {
  }

  /** The test's {@code sorted_add}: the two lists concatenated and sorted. */
  public static final class SortedAdd implements Reducer<List<String>> {
    @Override
    public List<String> apply(List<String> current, List<String> write) {
      List<String> all = new ArrayList<>(current == null ? List.of() : current);
      all.addAll(write);
      all.sort(null);
      return all;
    }
  }

  /** LangGraph's {@code State}: {@code inner} last-value (its {@code lambda x, y: y}), {@code docs} sorted. */
  public record State(String query, InnerObject inner, String answer, @Reduce(SortedAdd.class) List<String> docs) {
  }

  /** LangGraph's {@code Input}. */
  public record Input(String query, InnerObject inner) {
  }

  /** LangGraph's {@code Output}. */
  public record Output(String answer, List<String> docs) {
  }

  private static TypedStateGraph<State> workflow(Vertx vertx, String name) {
    return StateGraph.typed(name, State.class).inputType(Input.class).outputType(Output.class)
        .addNode("rewrite_query", s -> {
          assertInner(s);
          return Future.succeededFuture(new State("query: " + s.query(), null, null, null));
        })
        .addNode("analyzer_one", s -> {
          assertInner(s);
          return Future.succeededFuture(new State("analyzed: " + s.query(), null, null, null));
        })
        .addNode("retriever_one", s -> Future.succeededFuture(new State(null, null, null, List.of("doc1", "doc2"))))
        .addNode("retriever_two", s -> later(vertx, 100, new State(null, null, null, List.of("doc3", "doc4"))))
        .addNode("qa", s -> Future.succeededFuture(new State(null, null, String.join(",", s.docs()), null)))
        .setEntryPoint("rewrite_query")
        .addEdge("rewrite_query", "analyzer_one")
        .addEdge("analyzer_one", "retriever_one")
        .addConditionalEdges("rewrite_query", s -> "retriever_two", Map.of("retriever_two", "retriever_two"))
        .addEdge(List.of("retriever_one", "retriever_two"), "qa")
        .setFinishPoint("qa");
  }

  /** The nodes' {@code assert isinstance(data.inner, InnerObject)}: the nested object arrives as its record. */
  private static void assertInner(State s) {
    if (!(s.inner() instanceof InnerObject)) {
      throw new IllegalStateException("inner is not an InnerObject: " + s.inner());
    }
  }

  private static Map<String, Object> input() {
    return map("query", QUERY, "inner", map("yo", 1));
  }

  @Test
  void testInOneFanOutStateGraphWaitingEdgeCustomStateClassPydantic2(Vertx vertx) {
    GraphClient client = deploy(vertx, workflow(vertx, "pydantic2").compile());
    // LangGraph's ValidationError for {"query": {}}: the run fails, naming the record, and nothing runs
    Throwable invalid = Await.failure(client.run(map("query", map()), new RunOptions()));
    assertTrue(invalid.getMessage().contains("State") && invalid.getMessage().contains("query"),
        "the refusal names the record and the component: " + invalid.getMessage());

    Map<String, Object> invoked = result(client.run(input(), new RunOptions())).values().asMap();
    List<Object> streamed = chunks(vertx, client, input(), new RunOptions(), StreamMode.UPDATES);

    CompiledGraph withInterrupt = workflow(vertx, "pydantic2-interrupt").interruptAfter("retriever_one").compile();
    GraphClient interrupting = deploy(vertx, withInterrupt);
    RunOptions thread = new RunOptions().setThreadId("1");
    List<Object> interrupted = withoutIds(chunks(vertx, interrupting, input(), thread, StreamMode.UPDATES));
    List<Object> resumedChunks = resumed(vertx, interrupting, thread, StreamMode.UPDATES);
    ThreadState updated = result(interrupting.updateState("1", map("docs", List.of("doc5")), "rewrite_query"));
    TreeSet<String> configKeys = new TreeSet<>(); // the keys of update_state's returned config that are set
    CheckpointConfig config = updated.config();
    if (config.threadId() != null) {
      configKeys.add("thread_id");
    }
    if (config.checkpointNs() != null) {
      configKeys.add("checkpoint_ns");
    }
    if (config.checkpointId() != null) {
      configKeys.add("checkpoint_id");
    }
    ThreadState after = result(interrupting.getState("1"));

    EXPECTED.check("test_in_one_fan_out_state_graph_waiting_edge_custom_state_class_pydantic2", map(
        "invalid_input", invalid instanceof RuntimeException ? "ValidationError" : "accepted",
        "invoke", invoked,
        "stream", streamed,
        "interrupted", interrupted,
        "resumed", resumedChunks,
        "updated_config_keys", new ArrayList<>(configKeys),
        "after_update", map("values", after.values().asMap(), "next", after.next())));
  }
}
