package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A subgraph stopped at a static breakpoint ({@code interruptBefore} in the child) as LangGraph 1.2.12 shows it: the
 * parent's result lists no interrupt (LangGraph's has no {@code __interrupt__}, as for a breakpoint of the parent
 * itself) while the run is {@code interrupted} with the subgraph task due, its {@code updates} stream ends with one
 * empty {@code {"__interrupt__": []}} chunk, and a run without input continues the child past its breakpoint.
 * Expected values printed by {@code src/test/resources/langgraph/subgraph_breakpoint.py}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SubgraphBreakpointParityTest {

  private static CompiledGraph parent() {
    CompiledGraph child = new StateGraph("bp-child")
        .addNode("inner_1", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " here")))
        .addNode("inner_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and there")))
        .addEdge(START, "inner_1").addEdge("inner_1", "inner_2").addEdge("inner_2", END)
        .interruptBefore("inner_2").compile();
    return new StateGraph("bp-parent").addSubgraph("child", child)
        .addNode("after", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " after")))
        .addEdge(START, "child").addEdge("child", "after").addEdge("after", END).compile();
  }

  private static List<Object> chunks(List<StreamEvent> events) {
    List<Object> chunks = new ArrayList<>();
    for (StreamEvent event : events) {
      if (event.event() == StreamEventType.UPDATES || event.event() == StreamEventType.VALUES) {
        chunks.add(List.of(event.event().wireName(), event.data()));
      }
    }
    return chunks;
  }

  @Test
  void theParentsResultHasNoInterruptAndItsThreadWaitsAtTheSubgraph(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, parent(), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("inv");

    RunResult stopped = result(client.run(Map.of("my_key", "x"), thread));
    assertEquals(Map.of("my_key", "x"), stopped.values().asMap());
    assertEquals(List.of(), stopped.interrupts(), "LangGraph's result has no __interrupt__");
    assertEquals(RunStatus.INTERRUPTED, stopped.status(), "the thread waits: the subgraph task is due");
    ThreadState state = result(client.getState("inv"));
    assertEquals(List.of("child"), state.next());
    assertEquals(List.of(), state.interrupts());
    assertEquals(List.of(), state.tasks().get(0).get("interrupts"));
    assertEquals(List.of("inner_2"), result(client.getState("inv", null, true)).subgraphState(0).next());

    RunResult resumed = result(client.proceed(thread));
    assertEquals(RunStatus.SUCCESS, resumed.status());
    assertEquals(Map.of("my_key", "x here and there after"), resumed.values().asMap());
  }

  @Test
  void itsStreamsEndAsLangGraphs(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, parent(), MEMORY)).client();
    assertEquals(List.of(List.of("updates", Map.of("__interrupt__", List.of()))), chunks(result(collect(vertx,
        () -> client.stream(Map.of("my_key", "x"), new RunOptions().setThreadId("u"), StreamMode.UPDATES)))));
    assertEquals(List.of(List.of("values", Map.of("my_key", "x"))), chunks(result(collect(vertx,
        () -> client.stream(Map.of("my_key", "x"), new RunOptions().setThreadId("v"), StreamMode.VALUES)))));
    assertEquals(List.of(List.of("values", Map.of("my_key", "x")), List.of("updates", Map.of("__interrupt__",
        List.of()))), chunks(result(collect(vertx, () -> client.stream(Map.of("my_key", "x"),
        new RunOptions().setThreadId("uv"), StreamMode.UPDATES, StreamMode.VALUES)))));
  }
}
