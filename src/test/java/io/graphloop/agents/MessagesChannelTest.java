package io.graphloop.agents;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
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

import static io.graphloop.runtime.Await.result;
import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code Channels.messages()} in a deployed graph: a node writes Message objects, the state holds LangChain's JSON
 * messages merged by id, and a thread keeps them across runs.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MessagesChannelTest {

  @Test
  void nodesWriteMessagesThatAreMergedByIdAcrossRunsOfAThread(Vertx vertx) {
    StateGraph graph = new StateGraph("messages-channel").channel("messages", Channels.messages())
        .addNode("bot", state -> {
          List<Message> held = AddMessages.read(state.get("messages"));
          Message last = held.get(held.size() - 1);
          return Future.succeededFuture(Map.of("messages", List.of(new AiMessage("echo " + last.text(), List.of(),
              "reply-" + held.size()))));
        })
        .addEdge(START, "bot").addEdge("bot", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions()
        .setCheckpointer(new JsonObject().put("type", "memory")))).client();
    io.graphloop.run.RunOptions thread = new io.graphloop.run.RunOptions().setThreadId("t1");
    State first = result(client.invoke(Map.of("messages", List.of(Map.of("role", "user", "content", "hi"))), thread));
    List<Message> messages = AddMessages.read(first.get("messages"));
    assertEquals(List.of("human", "ai"), messages.stream().map(Message::type).toList());
    assertEquals("echo hi", messages.get(1).text());
    java.util.UUID.fromString(messages.get(0).id());
    State second = result(client.invoke(Map.of("messages", List.of(new HumanMessage("again", null),
        Message.remove(messages.get(0).id()))), thread));
    List<Message> after = AddMessages.read(second.get("messages"));
    assertEquals(List.of("reply-1", "again", "reply-2"), after.stream()
        .map(m -> m.id().startsWith("reply") ? m.id() : m.text()).toList());
  }
}
