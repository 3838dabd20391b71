package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deferred nodes (LangGraph's {@code add_node(..., defer=True)}, {@link NodeOptions#setDefer}): a due deferred node
 * waits until a step in which no other node is due. Mirrors LangGraph's {@code test_defer_nodes} (test_pregel.py:
 * branches of different lengths meeting at a deferred node) and the defer cases around it. Every expected value was
 * produced by LangGraph 1.2.12 running {@code src/test/resources/langgraph/defer.py} (its line label is named).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DeferTest {

  private static StateGraph graph(String name, String deferred, String... nodes) {
    StateGraph graph = new StateGraph(name).channel("log", Channels.append());
    for (String node : nodes) {
      graph.addNode(node, (state, ctx) -> Future.succeededFuture(Map.of("log", node)),
          new NodeOptions().setDefer(node.equals(deferred)));
    }
    return graph;
  }

  private static List<Object> run(Vertx vertx, StateGraph graph) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    return result(client.invoke(Map.of("log", List.of()))).getList("log");
  }

  /** Lines 1 and 2: the short branch's edge, or a waiting join, makes d due; it runs after the long branch. */
  @Test
  void aDeferredNodeWaitsForTheLongerBranchWhetherReachedByEdgesOrByAJoin(Vertx vertx) {
    StateGraph edges = graph("defer-edges", "d", "a", "b", "b2", "c", "d")
        .addEdge(START, "a").addEdge("a", "b").addEdge("a", "c").addEdge("b", "b2")
        .addEdge("b2", "d").addEdge("c", "d").addEdge("d", END);
    assertEquals(List.of("a", "b", "c", "b2", "d"), run(vertx, edges));
    StateGraph join = graph("defer-join", "d", "a", "b", "b2", "c", "d")
        .addEdge(START, "a").addEdge("a", "b").addEdge("a", "c").addEdge("b", "b2")
        .addEdge(List.of("b2", "c"), "d").addEdge("d", END);
    assertEquals(List.of("a", "b", "c", "b2", "d"), run(vertx, join));
  }

  /** Line 3: Sends do not hold a deferred node back (LangGraph's push tasks trigger no channel), so agg runs twice. */
  @Test
  void sendsDoNotCountAsSomethingElseDue(Vertx vertx) {
    StateGraph graph = new StateGraph("defer-sends").channel("log", Channels.append())
        .addNode("start", state -> Future.succeededFuture(Map.of("log", "start")))
        .addNode("agg", (state, ctx) -> Future.succeededFuture(Map.of("log", "agg:" + state.getList("log").size())),
            new NodeOptions().setDefer(true))
        .addNode("w", state -> Future.succeededFuture(Map.of("log", "w")))
        .addNode("w2", state -> Future.succeededFuture(Map.of("log", "w2")))
        .addEdge(START, "start")
        .addConditionalEdges("start", state -> List.of(new Send("w", Map.of("log", List.of("x"))),
            new Send("w", Map.of("log", List.of("y")))))
        .addEdge("w", "w2").addEdge("start", "agg").addEdge("w2", "agg").addEdge("agg", END);
    assertEquals(List.of("start", "agg:1", "w", "w", "w2", "agg:5"), run(vertx, graph));
  }

  /** Line 4: made due in every step of a loop, the deferred node runs once, when the loop ends. */
  @Test
  void aDeferredNodeDueInEveryStepOfALoopRunsOnceAfterIt(Vertx vertx) {
    assertEquals(List.of("a", "a", "a", "a", "d"), run(vertx, loop("defer-loop")));
  }

  /** Lines 9 and 9b: from START, alone it runs at once; beside another node it waits for it. */
  @Test
  void aDeferredEntryNodeRunsFirstWhenAloneAndAfterTheOthersOtherwise(Vertx vertx) {
    assertEquals(List.of("d"), run(vertx, graph("defer-start", "d", "d").addEdge(START, "d").addEdge("d", END)));
    assertEquals(List.of("a", "d"), run(vertx, graph("defer-start2", "d", "d", "a")
        .addEdge(START, "d").addEdge(START, "a").addEdge("d", END).addEdge("a", END)));
  }

  /** Lines 5, 5b, 8 and 8b: on a thread, a waiting deferred node survives an interrupt and runs on resume. */
  @Test
  void aWaitingDeferredNodeIsKeptInTheCheckpointAcrossAnInterrupt(Vertx vertx) {
    GraphClient loop = result(GraphRuntime.deploy(vertx, loop("defer-int-loop").interruptBefore("d").compile(),
        MEMORY)).client();
    RunOptions t5 = new RunOptions().setThreadId("t5");
    RunResult stopped = result(loop.run(Map.of("log", List.of()), t5));
    assertTrue(stopped.isInterrupted());
    assertEquals(List.of("a", "a", "a", "a"), stopped.values().getList("log"));
    assertEquals(List.of("d"), result(loop.getState("t5")).next());
    assertEquals(List.of("a", "a", "a", "a", "d"), result(loop.proceed(t5)).values().getList("log"));

    GraphClient chain = result(GraphRuntime.deploy(vertx, graph("defer-int-chain", "d", "a", "b", "c", "d")
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", "c").addEdge("a", "d").addEdge("c", END)
        .addEdge("d", END).interruptBefore("c").compile(), MEMORY)).client();
    RunOptions t8 = new RunOptions().setThreadId("t8");
    RunResult waiting = result(chain.run(Map.of("log", List.of()), t8));
    assertEquals(List.of("a", "b"), waiting.values().getList("log"));
    assertEquals(List.of("c"), result(chain.getState("t8")).next());
    assertEquals(List.of("a", "b", "c", "d"), result(chain.proceed(t8)).values().getList("log"));
  }

  @Test
  void deferIsANodeOptionThatRoundTripsThroughJson() {
    NodeOptions options = new NodeOptions().setDefer(true);
    assertEquals(options, new NodeOptions(options.toJson()));
    assertEquals(true, options.toJson().getBoolean("defer"));
    assertEquals(false, new NodeOptions(new JsonObject()).isDefer());
    IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new NodeOptions(new JsonObject().put("defer", "yes")));
    assertTrue(bad.getMessage().contains("defer"), bad.getMessage());
  }

  /** START -> a, a loops while log has fewer than 4 entries, and a -> d (deferred) every time. */
  private static StateGraph loop(String name) {
    return graph(name, "d", "a", "d")
        .addEdge(START, "a")
        .addConditionalEdges("a", state -> state.getList("log").size() < 4 ? "a" : END)
        .addEdge("a", "d").addEdge("d", END);
  }
}
