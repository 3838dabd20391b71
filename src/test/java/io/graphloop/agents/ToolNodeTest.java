package io.graphloop.agents;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.runtime.Await.result;
import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ToolNode} and {@link ToolsCondition} in a deployed graph. Expected contents were produced by LangGraph 1.2.12
 * (ToolNode in a StateGraph; invalid tool name, invalid arguments, and handle_tool_errors=True for a raising tool;
 * with the default handle_tool_errors a raising tool's ValueError('bad a') propagates out of invoke, while invalid
 * arguments still give "Error invoking tool 'boom' with kwargs {'a': 'x'} with error: ...").
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ToolNodeTest {

  record Args(int a, int b) {
  }

  record One(int a) {
  }

  @Test
  void callsRunAndFailuresBecomeErrorToolMessages(Vertx vertx) {
    Tool add = Tool.of("add", "Adds", Args.class, a -> Future.succeededFuture(a.a() + a.b()));
    Tool boom = Tool.blocking("boom", "Fails", One.class, a -> {
      throw new IllegalStateException("no good");
    });
    StateGraph graph = new StateGraph("tool-node").channel("messages", Channels.messages())
        .addNode("tools", new ToolNode(List.of(add, boom)).handleToolErrors(true)).addEdge(START, "tools").addEdge("tools", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())).client();
    AiMessage calls = new AiMessage("", List.of(new ToolCall("c1", "add", Map.of("a", 2, "b", 3)),
        new ToolCall("c3", "nope", Map.of()), new ToolCall("c2", "boom", Map.of("a", 1)),
        new ToolCall("c4", "add", Map.of("a", "zz", "b", 3))), "ai1");
    State state = result(client.invoke(Map.of("messages", List.of(calls))));
    List<Message> out = AddMessages.read(state.get("messages"));
    List<ToolMessage> tools = out.subList(1, out.size()).stream().map(m -> (ToolMessage) m).toList();
    assertEquals(List.of("c1", "c3", "c2", "c4"), tools.stream().map(ToolMessage::toolCallId).toList());
    assertEquals("5", tools.get(0).content());
    assertEquals(ToolMessage.SUCCESS, tools.get(0).status());
    assertEquals("Error: nope is not a valid tool, try one of [add, boom].", tools.get(1).content());
    assertEquals("Error: IllegalStateException('no good')\n Please fix your mistakes.", tools.get(2).content());
    assertEquals(List.of("error", "error", "error"), tools.subList(1, 4).stream().map(ToolMessage::status).toList());
    assertEquals(true, ((String) tools.get(3).content()).startsWith("Error invoking tool 'add' with kwargs"));
    assertEquals("tools", ToolsCondition.INSTANCE.route(State.of(Map.of("messages",
        List.of(calls.toMap())))));
    assertEquals(END, ToolsCondition.INSTANCE.route(State.of(Map.of("messages",
        List.of(Message.ai("done").withId("x").toMap())))));
  }

  @Test
  void byDefaultAFailingToolFailsTheRunAsLangGraphs(Vertx vertx) {
    Tool boom = Tool.of("boom", "Fails", One.class, a -> Future.failedFuture(new IllegalStateException("bad a")));
    StateGraph graph = new StateGraph("tool-node-strict").channel("messages", Channels.messages())
        .addNode("tools", new ToolNode(List.of(boom))).addEdge(START, "tools").addEdge("tools", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions())).client();
    Throwable failure = io.graphloop.runtime.Await.failure(client.invoke(Map.of("messages", List.of(
        new AiMessage("", List.of(new ToolCall("c1", "boom", Map.of("a", 1))), "ai1")))));
    assertInstanceOf(NodeFailedException.class, failure);
    assertTrue(failure.getMessage().contains("bad a"), failure.getMessage());
    State state = result(client.invoke(Map.of("messages", List.of(
        new AiMessage("", List.of(new ToolCall("c2", "boom", Map.of("a", "x"))), "ai2")))));
    ToolMessage invalid = (ToolMessage) AddMessages.read(state.get("messages")).get(1);
    assertEquals(ToolMessage.ERROR, invalid.status());
    assertTrue(((String) invalid.content()).startsWith("Error invoking tool 'boom' with kwargs {\"a\":\"x\"} with error:"),
        String.valueOf(invalid.content()));
  }
}
