package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.ParentCommand;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.run.RunOptions;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code Command.PARENT}: a node of a subgraph routes and updates its parent (mirrors {@code test_parent_command} of
 * LangGraph's {@code test_pregel.py}; the expected values were produced by LangGraph 1.2.12, see
 * {@code src/test/resources/langgraph/subgraph_parent_command.py}). The child stops there, its own writes are dropped,
 * the Command's update goes through the parent's reducers and its goto runs beside the subgraph node's edges.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ParentCommandTest {

  private static CompiledGraph parent(String name, AtomicInteger c3Runs) {
    CompiledGraph child = new StateGraph(name + "-child")
        .channel("items", Channels.append())
        .addNode("c1", state -> Future.succeededFuture(Map.of("items", List.of("c1"), "secret", "hidden", "count", 5)))
        .addNode("c2", state -> Future.succeededFuture(Command.gotoNode("p_after")
            .update(Map.of("items", List.of("from_c2"), "count", 7)).graph(Command.PARENT)))
        .addNode("c3", state -> {
          c3Runs.incrementAndGet();
          return Future.succeededFuture(Map.of("items", List.of("c3")));
        })
        .addEdge(START, "c1").addEdge("c1", "c2").addEdge("c2", "c3").addEdge("c3", END)
        .compile();
    return new StateGraph(name)
        .channel("items", Channels.append())
        .addNode("p1", state -> Future.succeededFuture(Map.of("items", List.of("p1"), "count", 1)))
        .addSubgraph("sub", Subgraph.of(child), new NodeOptions().setDestinations(List.of("p_after")))
        .addNode("p_after", state -> Future.succeededFuture(Map.of("items", List.of("after:" + state.get("count")))))
        .addNode("p_other", state -> Future.succeededFuture(Map.of("items", List.of("other"))))
        .addEdge(START, "p1").addEdge("p1", "sub").addEdge("sub", "p_other").addEdge("p_other", END)
        .addEdge("p_after", END)
        .compile();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aChildNodeRoutesAndUpdatesTheParent(boolean onAThread, Vertx vertx) {
    AtomicInteger c3Runs = new AtomicInteger();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent("parent-cmd-" + onAThread, c3Runs), MEMORY))
        .client();
    RunOptions options = onAThread ? new RunOptions().setThreadId("t") : new RunOptions();
    State state = result(client.invoke(Map.of("items", List.of("in")), options));
    assertEquals(Map.of("items", List.of("in", "p1", "from_c2", "after:7", "other"), "count", 7), state.asMap());
    assertEquals(0, c3Runs.get(), "the child stops at the Command for its parent");
  }

  @Test
  void aRootGraphHasNoParentToCommand(Vertx vertx) {
    CompiledGraph root = new StateGraph("no-parent")
        .addNode("a", state -> Future.succeededFuture(Command.ofUpdate(Map.of("x", 1)).graph(Command.PARENT)))
        .addEdge(START, "a").addEdge("a", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, root)).client();
    ParentCommand failure = assertInstanceOf(ParentCommand.class, failure(client.invoke(Map.of())));
    assertEquals("a", failure.node());
  }

  @Test
  void aCommandAddressesOnlyItsGraphOrItsParent() {
    assertThrows(IllegalArgumentException.class, () -> Command.gotoNode("x").graph("other"));
  }

  /** The README's example of Command.PARENT. */
  @Test
  void theReadmeExampleRoutesTheParentToFix(Vertx vertx) {
    CompiledGraph review = new StateGraph("review")
        .addNode("check", state -> Future.succeededFuture(state.getBoolean("ok")
            ? Map.of("checked", true)
            : Command.gotoNode("fix").update(Map.of("reason", "not ok")).graph(Command.PARENT)))
        .addEdge(START, "check").addEdge("check", END).compile();
    CompiledGraph app = new StateGraph("app")
        .addSubgraph("review", Subgraph.of(review), new NodeOptions().setDestinations(List.of("fix")))
        .addNode("fix", state -> Future.succeededFuture(Map.of("fixed", state.getString("reason"))))
        .addEdge(START, "review").addEdge("review", END).addEdge("fix", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, app)).client();
    assertEquals(Map.of("ok", false, "reason", "not ok", "fixed", "not ok"),
        result(client.invoke(Map.of("ok", false))).asMap());
    assertEquals(Map.of("ok", true), result(client.invoke(Map.of("ok", true))).asMap(),
        "'checked' is the child's own key: it does not leak into the parent");
  }
}
