package io.graphloop.runtime;

import io.graphloop.client.RunEventStream;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.Subgraph;
import io.graphloop.protocol.Addresses;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A compiled graph as a node of another: channel mapping, stream namespaces, failures, lifecycle. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SubgraphTest {

  private static CompiledGraph child(String name) {
    return new StateGraph(name)
        .channel("messages", Channels.append())
        .addNode("think", state -> Future.succeededFuture(Map.of("messages", "thought about " + state.getString("topic"))))
        .addNode("write", state -> Future.succeededFuture(Map.of("messages", "wrote",
            "summary", state.getList("messages").size() + " messages seen")))
        .addEdge(START, "think").addEdge("think", "write").addEdge("write", END)
        .compile();
  }

  private static CompiledGraph parent(String name, CompiledGraph child) {
    return new StateGraph(name)
        .channel("messages", Channels.append())
        .addNode("prep", state -> Future.succeededFuture(Map.of("messages", "prepared")))
        .addSubgraph("research", child)
        .addNode("finish", state -> Future.succeededFuture(Map.of("done", true)))
        .addEdge(START, "prep").addEdge("prep", "research").addEdge("research", "finish").addEdge("finish", END)
        .compile();
  }

  /**
   * Shared keys as LangGraph 1.2.12 passes them (the scenario and expected values are LangGraph's, from
   * {@code src/test/resources/langgraph/subgraph_shared_keys.py}; it mirrors {@code test_subgraph_*} state sharing of
   * {@code test_pregel.py}): the child's final value of every key the parent has goes through the parent's reducer,
   * so an append channel gets the child's whole list again, and a key only the child has does not leak.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theChildsSharedKeysGoThroughTheParentsReducersAndItsOwnKeysStayInside(boolean strict, Vertx vertx,
                                                                            VertxTestContext test) {
    StateGraph child = new StateGraph("c1-" + strict)
        .channel("items", Channels.append())
        .addNode("c1", state -> Future.succeededFuture(Map.of("items", List.of("c1"), "inner_only", "x",
            "name", "child:" + state.getString("name"))))
        .addEdge(START, "c1").addEdge("c1", END);
    StateGraph parent = new StateGraph("p1-" + strict)
        .channel("items", Channels.append())
        .addNode("p1", state -> Future.succeededFuture(Map.of("items", List.of("p1"))))
        .addSubgraph("sub", child.compile())
        .addEdge(START, "p1").addEdge("p1", "sub").addEdge("sub", END);
    if (strict) {
      parent.channel("name", Channels.lastValue()).channel("untouched", Channels.lastValue()).strictChannels();
    }
    GraphRuntime.deploy(vertx, parent.compile())
        .compose(runtime -> runtime.client().invoke(Map.of("items", List.of("in"), "name", "n", "untouched", "u")))
        .onComplete(test.succeeding(state -> test.verify(() -> {
          assertEquals(Map.of("items", List.of("in", "p1", "in", "p1", "c1"), "name", "child:n", "untouched", "u"),
              state.asMap());
          test.completeNow();
        })));
  }

  /** LangGraph 1.2.12: a subgraph writes back every shared key, so a parallel writer of one collides with it. */
  @Test
  void anUnchangedSharedKeyStillCollidesWithAParallelWriter(Vertx vertx, VertxTestContext test) {
    CompiledGraph child = new StateGraph("c6").channel("items", Channels.append())
        .addNode("c1", state -> Future.succeededFuture(Map.of("items", List.of("c1"))))
        .addEdge(START, "c1").addEdge("c1", END).compile();
    CompiledGraph parent = new StateGraph("p6").channel("items", Channels.append())
        .addNode("p2", state -> Future.succeededFuture(Map.of("untouched", "p2")))
        .addSubgraph("sub", child)
        .addEdge(START, "p2").addEdge(START, "sub").addEdge("sub", END).addEdge("p2", END).compile();
    GraphRuntime.deploy(vertx, parent)
        .compose(runtime -> runtime.client().invoke(Map.of("items", List.of(), "name", "n", "untouched", "u")))
        .onComplete(test.failing(failure -> test.verify(() -> {
          InvalidUpdateException invalid = assertInstanceOf(InvalidUpdateException.class, failure);
          assertEquals("untouched", invalid.channel());
          test.completeNow();
        })));
  }

  @Test
  void keyMappingRenamesChannelsBothWays(Vertx vertx, VertxTestContext test) {
    CompiledGraph translator = new StateGraph("c2")
        .addNode("answer", state -> Future.succeededFuture(Map.of("reply", "re: " + state.getString("query"),
            "scratch", "internal")))
        .addEdge(START, "answer").addEdge("answer", END).compile();
    CompiledGraph parent = new StateGraph("p2")
        .addSubgraph("ask", Subgraph.of(translator).inputKeys(Map.of("question", "query"))
            .outputKeys(Map.of("reply", "answer")), new NodeOptions())
        .addEdge(START, "ask").addEdge("ask", END).compile();
    GraphRuntime.deploy(vertx, parent)
        .compose(runtime -> runtime.client().invoke(Map.of("question", "why?", "other", 1)))
        .onComplete(test.succeeding(state -> test.verify(() -> {
          assertEquals("re: why?", state.getString("answer"));
          assertTrue(!state.has("scratch") && !state.has("reply"), "only mapped keys come back: " + state);
          test.completeNow();
        })));
  }

  @Test
  void theChildsEventsAppearInTheParentStreamUnderANamespace(Vertx vertx, VertxTestContext test) {
    GraphRuntime.deploy(vertx, parent("p3", child("c3"))).onComplete(test.succeeding(runtime -> vertx.runOnContext(v -> {
      List<StreamEvent> events = new ArrayList<>();
      RunEventStream stream = runtime.client().stream(Map.of("topic", "ns"),
          new RunOptions().setStreamSubgraphs(true), StreamMode.UPDATES);
      stream.handler(events::add);
      stream.exceptionHandler(test::failNow);
      stream.endHandler(end -> test.verify(() -> {
        List<String> top = events.stream().filter(e -> e.ns().isEmpty() && e.event().wireName().equals("updates"))
            .map(StreamEvent::node).toList();
        assertEquals(List.of("prep", "research", "finish"), top);
        List<StreamEvent> nested = events.stream().filter(e -> !e.ns().isEmpty()).toList();
        assertEquals(List.of("think", "write"), nested.stream().map(StreamEvent::node).toList());
        assertTrue(nested.get(0).ns().startsWith("research:"), nested.get(0).ns());
        int researchUpdate = events.indexOf(events.stream().filter(e -> "research".equals(e.node())).findFirst()
            .orElseThrow());
        assertTrue(events.indexOf(nested.get(1)) < researchUpdate, "child events come before the node's update");
        for (int i = 0; i < events.size(); i++) {
          assertEquals(i + 1, events.get(i).seq(), "forwarded events are renumbered in the parent's sequence");
        }
        test.completeNow();
      }));
    })));
  }

  @Test
  void aFailingChildFailsTheParentNodeWithTheChildsFailureAsCause(Vertx vertx, VertxTestContext test) {
    CompiledGraph broken = new StateGraph("c4")
        .addNode("boom", state -> Future.failedFuture(new IllegalStateException("child exploded")))
        .addEdge(START, "boom").addEdge("boom", END).compile();
    CompiledGraph parent = new StateGraph("p4").addSubgraph("sub", broken).addEdge(START, "sub").addEdge("sub", END)
        .compile();
    GraphRuntime.deploy(vertx, parent)
        .compose(runtime -> runtime.client().invoke(Map.of()))
        .onComplete(test.failing(failure -> test.verify(() -> {
          NodeFailedException nodeFailure = assertInstanceOf(NodeFailedException.class, failure);
          assertEquals("p4", nodeFailure.graph());
          assertEquals("sub", nodeFailure.node());
          GraphloopException cause = assertInstanceOf(GraphloopException.class, nodeFailure.getCause());
          assertEquals("c4", cause.graph());
          assertEquals("boom", cause.node());
          test.completeNow();
        })));
  }

  @Test
  void undeployingTheParentUndeploysTheChild(Vertx vertx, VertxTestContext test) {
    GraphRuntime.deploy(vertx, parent("p5", child("c5")))
        .compose(runtime -> runtime.undeploy())
        .compose(done -> vertx.eventBus().request(Addresses.run("c5"), new JsonObject()))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertEquals(ReplyFailure.NO_HANDLERS, assertInstanceOf(ReplyException.class, failure).failureType());
          test.completeNow();
        })));
  }
}
